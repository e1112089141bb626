//! The template's variables, each inserted at the cursor of the last
//! focused field with a click.

use gatehouse_core::emails::{TemplatePart, VariableInfo};
use leptos::prelude::*;

use super::fields::{insert_at, place_cursor, Cursor};

/// Returns the template text that inserts a variable, such as `{{ user.email }}`.
pub fn placeholder(name: &str) -> String {
    format!("{{{{ {name} }}}}")
}

/// Inserts a variable at `cursor` into the field it belongs to, or at the
/// end of the HTML body when no field was focused yet. Returns where the
/// cursor goes afterwards.
pub fn insert_variable(
    name: &str,
    cursor: Option<Cursor>,
    field_of: impl Fn(TemplatePart) -> RwSignal<String>,
) -> Cursor {
    let cursor = cursor.unwrap_or_else(|| {
        let end = field_of(TemplatePart::Html).with_untracked(|text| text.encode_utf16().count());
        Cursor { part: TemplatePart::Html, start: end as u32, end: end as u32 }
    });
    let value = field_of(cursor.part);
    let (text, after) =
        value.with_untracked(|text| insert_at(text, cursor.start, cursor.end, &placeholder(name)));
    value.set(text);
    Cursor { part: cursor.part, start: after, end: after }
}

/// The variables with their description, sample value and an Insert button.
#[component]
pub fn VariableList(
    variables: Vec<VariableInfo>,
    cursor: RwSignal<Option<Cursor>>,
    /// Returns the signal of a part's text.
    field_of: Callback<TemplatePart, RwSignal<String>>,
) -> impl IntoView {
    let target = move || match cursor.get().map(|cursor| cursor.part) {
        Some(TemplatePart::Subject) => "the subject",
        Some(TemplatePart::Text) => "the text body",
        Some(TemplatePart::Html) | None => "the HTML body",
    };
    let rows = variables
        .into_iter()
        .map(|variable| {
            let name = variable.name.clone();
            let insert = move |_| {
                let after = insert_variable(&name, cursor.get_untracked(), |part| field_of.run(part));
                cursor.set(Some(after));
                // The field gets its new value on the next render, so the
                // cursor is placed after it.
                request_animation_frame(move || place_cursor(after.part, after.start));
            };
            view! {
                <li class="variable">
                    <button
                        class="button variable__insert"
                        type="button"
                        data-variable=variable.name.clone()
                        on:click=insert
                    >
                        {placeholder(&variable.name)}
                    </button>
                    {variable.required.then(|| view! { <span class="variable__required">" required"</span> })}
                    <p class="variable__description">
                        {variable.description}
                        " Sample: "
                        <q>{variable.sample}</q>
                    </p>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="variables" id="email-variables">
            <h2>"Variables"</h2>
            <p class="variables__target" aria-live="polite">
                {move || format!("A click inserts at the cursor in {}.", target())}
            </p>
            <ul class="variables__list">{rows}</ul>
        </section>
    }
}
