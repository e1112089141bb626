//! Sending the typed template, rendered with the sample values, to an
//! address as a test.

use gatehouse_core::api::TestSendRequest;
use gatehouse_core::emails::{EmailParts, EmailTemplate, Language};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::problem::ProblemView;
use crate::session::use_session;

/// An email address field and a Send test button. A server without SMTP
/// returns 503 with a message on how to configure it, which is shown as the
/// server wrote it.
#[component]
pub fn TestSend(
    template: EmailTemplate,
    language: Language,
    #[prop(into)] parts: Signal<EmailParts>,
) -> impl IntoView {
    let session = use_session();
    let to = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let send = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let parts = parts.get_untracked();
        let request = TestSendRequest {
            to: to.get_untracked(),
            subject: parts.subject,
            html: parts.html,
            text: parts.text,
        };
        let csrf_token = session.csrf_token();
        busy.set(true);
        outcome.set(None);
        error.set(None);
        spawn_local(async move {
            let result = api::emails::test_send(&csrf_token, template, language, &request).await;
            busy.set(false);
            match result {
                Ok(sent) => outcome.set(Some(format!("Sent “{}” to {}.", sent.subject, sent.to))),
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let unavailable = move || {
        error.with(|error| {
            error.as_ref().filter(|error| error.status() == Some(503)).map(|error| {
                error.problem().and_then(|problem| problem.detail.clone()).unwrap_or(error.title())
            })
        })
    };
    view! {
        <form class="test-send" id="test-send-form" novalidate on:submit=send>
            <h2>"Send a test"</h2>
            <div class="field">
                <label class="field__label" for="test-send-to">"Send to"</label>
                <input class="field__input" id="test-send-to" type="email" autocomplete="email" prop:value=move || to.get() on:input=move |event| to.set(event_target_value(&event))/>
            </div>
            <button class="button" id="send-test" type="submit" disabled=move || busy.get()>"Send test"</button>
            <p class="saved-notice" role="status">{move || outcome.get()}</p>
            {move || match unavailable() {
                Some(message) => view! { <p class="test-send__unavailable" role="alert" id="test-send-unavailable">"Test emails cannot be sent: " {message}</p> }.into_any(),
                None => error.get().map(|error| view! { <ProblemView error/> }).into_any(),
            }}
        </form>
    }
}
