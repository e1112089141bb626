//! A text input checked by the shared field rules of `gatehouse-core`.

use gatehouse_core::rules::{Issue, UserField};
use gatehouse_core::Severity;
use leptos::prelude::*;

/// The message under a field: a rule issue or a server error.
#[derive(Debug, Clone, PartialEq)]
struct Message {
    severity: Severity,
    text: String,
}

/// Chooses the message to show. A server error wins because it reflects the
/// stored data (such as a taken login id), which the local rules cannot know.
fn message_for(server_error: Option<String>, issue: Option<Issue>) -> Option<Message> {
    if let Some(text) = server_error {
        return Some(Message { severity: Severity::Error, text });
    }
    issue.map(|issue| Message { severity: issue.severity, text: issue.message })
}

/// A labelled input for one user field. The rule's message appears once the
/// input loses focus or the form is submitted; `aria-invalid` is true only
/// for errors, since warnings let the form be saved.
#[component]
pub fn Field(
    /// Which user field this input edits; gives the label, name and rule.
    field: UserField,
    /// The typed value, owned by the form so it survives a rejected save.
    value: RwSignal<String>,
    /// The server's message for this field, cleared when the value changes.
    #[prop(optional)]
    server_error: Option<RwSignal<Option<String>>>,
    /// Whether the form was submitted, which shows rule messages of untouched fields.
    #[prop(into, optional)]
    submitted: Signal<bool>,
    /// Overrides whether the field must be filled; defaults to the field's rule.
    #[prop(optional)]
    required: Option<bool>,
) -> impl IntoView {
    let required = required.unwrap_or(field.required());
    let touched = RwSignal::new(false);
    let input_id = format!("field-{}", field.name());
    let message_id = format!("{input_id}-message");

    let message = Memo::new(move |_| {
        let server = server_error.and_then(|error| error.get());
        let visible = touched.get() || submitted.get();
        let issue = if visible { value.with(|value| field.check(value, required)) } else { None };
        message_for(server, issue)
    });
    let invalid = move || {
        let is_error = message.with(|message| {
            message.as_ref().is_some_and(|message| message.severity == Severity::Error)
        });
        if is_error {
            "true"
        } else {
            "false"
        }
    };
    let on_input = move |event| {
        value.set(event_target_value(&event));
        if let Some(error) = server_error {
            error.set(None);
        }
    };

    view! {
        <div class="field">
            <label class="field__label" for=input_id.clone()>
                {field.label()}
                {required.then(|| view! { <span class="field__required">" (required)"</span> })}
            </label>
            <input
                class="field__input"
                id=input_id
                name=field.name()
                required=required
                prop:value=move || value.get()
                aria-invalid=invalid
                aria-describedby=message_id.clone()
                on:input=on_input
                on:blur=move |_| touched.set(true)
            />
            <p class=move || message_class(message.get().as_ref()) id=message_id aria-live="polite">
                {move || message.get().map(|message| message.text)}
            </p>
        </div>
    }
}

/// The CSS classes of the message element for a severity.
fn message_class(message: Option<&Message>) -> &'static str {
    match message.map(|message| message.severity) {
        Some(Severity::Error) => "field__message field__message--error",
        Some(Severity::Warning) => "field__message field__message--warning",
        Some(Severity::Notice) => "field__message field__message--notice",
        None => "field__message",
    }
}
