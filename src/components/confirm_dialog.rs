//! A yes-or-no confirmation before an action that throws work away.

use leptos::prelude::*;

use crate::components::dialog::Dialog;

/// A dialog with a question and one button that confirms it; Cancel and
/// Escape close it without acting.
#[component]
pub fn ConfirmDialog(
    /// Element id of the dialog.
    id: &'static str,
    /// The dialog's heading, such as "Reset the theme?".
    title: String,
    /// What confirming does and what it loses.
    message: String,
    /// The confirm button's label, such as "Reset to default".
    confirm_label: &'static str,
    /// Called when the person confirms.
    on_confirm: Callback<()>,
    /// Called when the person cancels.
    on_close: Callback<()>,
) -> impl IntoView {
    view! {
        <Dialog id title on_close>
            <p>{message}</p>
            <button
                class="button button--danger"
                id=format!("{id}-confirm")
                type="button"
                on:click=move |_| on_confirm.run(())
            >
                {confirm_label}
            </button>
        </Dialog>
    }
}
