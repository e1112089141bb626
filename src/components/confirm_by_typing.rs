//! Confirmation of a destructive action by retyping a name.

use leptos::prelude::*;

/// An input and a button that stays disabled until the typed text equals
/// `expected` exactly, so a person cannot erase the wrong record by a slip.
#[component]
pub fn ConfirmByTyping(
    /// The text the person must type, such as the user's login id.
    expected: String,
    /// The label of the confirm button, such as "Erase for good".
    button_label: &'static str,
    /// Whether the action is running, which disables the button.
    #[prop(into)]
    busy: Signal<bool>,
    /// Called with the typed text when the person confirms.
    on_confirm: Callback<String>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let expected_for_check = expected.clone();
    let disabled =
        Signal::derive(move || typed.with(|typed| *typed != expected_for_check) || busy.get());
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if !disabled.get_untracked() {
            on_confirm.run(typed.get_untracked());
        }
    };

    view! {
        <form class="confirm" on:submit=on_submit>
            <label class="field__label" for="confirm-text">
                "Type " <code>{expected}</code> " to confirm."
            </label>
            <input class="field__input" id="confirm-text" autocomplete="off" bind:value=typed/>
            <button
                class="button button--danger"
                id="confirm-button"
                type="submit"
                disabled=disabled
            >
                {button_label}
            </button>
        </form>
    }
}
