//! A modal dialog drawn over the page.

use leptos::prelude::*;

/// A dialog with a title that closes on Escape or its Cancel button.
#[component]
pub fn Dialog(
    /// Element id of the dialog; the title gets `{id}-title`.
    id: &'static str,
    /// The heading shown at the top and announced as the dialog's name.
    title: String,
    /// Called when the person cancels the dialog.
    on_close: Callback<()>,
    /// The dialog's content.
    children: Children,
) -> impl IntoView {
    let title_id = format!("{id}-title");
    let heading_id = title_id.clone();
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" {
            on_close.run(());
        }
    };
    view! {
        <div class="dialog__backdrop">
            <div
                class="dialog"
                id=id
                role="dialog"
                aria-modal="true"
                aria-labelledby=title_id
                on:keydown=on_keydown
            >
                <h2 class="dialog__title" id=heading_id>{title}</h2>
                {children()}
                <button class="button dialog__cancel" type="button" on:click=move |_| on_close.run(())>
                    "Cancel"
                </button>
            </div>
        </div>
    }
}
