//! One colour token of the theme: a colour picker and its hex text field.

use gatehouse_core::branding::{parse_hex, Theme, ThemeToken};
use leptos::prelude::*;

/// Sets one token of a theme.
pub fn set_token(theme: &mut Theme, token: ThemeToken, value: String) {
    let slot = match token {
        ThemeToken::Primary => &mut theme.primary,
        ThemeToken::OnPrimary => &mut theme.on_primary,
        ThemeToken::Background => &mut theme.background,
        ThemeToken::Surface => &mut theme.surface,
        ThemeToken::Text => &mut theme.text,
        ThemeToken::Link => &mut theme.link,
        ThemeToken::Error => &mut theme.error,
    };
    *slot = value;
}

/// A `<input type=color>` and a hex text field bound to one token. The text
/// field is checked with the core's `parse_hex`; while it is invalid the
/// picker keeps the last valid colour, because a colour input accepts only
/// `#rrggbb`.
#[component]
pub fn ColourField(
    /// The token this field edits.
    token: ThemeToken,
    /// The edited theme.
    theme: RwSignal<Theme>,
) -> impl IntoView {
    let value = move || theme.with(|theme| token.get(theme).to_owned());
    let last_valid = RwSignal::new(value());
    let problem = move || parse_hex(&value()).err();
    Effect::new(move |_| {
        let current = value();
        if parse_hex(&current).is_ok() {
            last_valid.set(current.to_ascii_lowercase());
        }
    });
    let set = move |text: String| theme.update(|theme| set_token(theme, token, text));
    let text_id = format!("colour-{}", token.name());
    let picker_id = format!("{text_id}-picker");
    let message_id = format!("{text_id}-message");

    view! {
        <div class="colour-field">
            <label class="field__label colour-field__label" for=text_id.clone()>
                {token.label()}
            </label>
            <input
                class="colour-field__picker"
                id=picker_id
                type="color"
                aria-label=format!("{} colour picker", token.label())
                prop:value=move || last_valid.get()
                on:input=move |event| set(event_target_value(&event))
            />
            <input
                class="field__input colour-field__hex"
                id=text_id
                name=token.name()
                spellcheck="false"
                autocomplete="off"
                prop:value=value
                aria-invalid=move || if problem().is_some() { "true" } else { "false" }
                aria-describedby=message_id.clone()
                on:input=move |event| set(event_target_value(&event).trim().to_owned())
            />
            <p class="field__message field__message--error colour-field__message" id=message_id>
                {problem}
            </p>
        </div>
    }
}
