//! Local drafts of an editor in `localStorage`, so a reload, a crash or a
//! failed save does not lose what a designer typed.

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::components::debounce::debounce;

/// How long typing must pause before the draft is written, in milliseconds.
pub const DRAFT_DELAY_MS: u64 = 400;

/// A stored draft: the edited value and when it was written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft<T> {
    /// Milliseconds since the Unix epoch, from `Date.now()`.
    pub saved_at: f64,
    pub value: T,
}

/// Returns the `localStorage` key of an editor's draft, such as
/// `gatehouse.draft.email.pw_reset_request.en`.
pub fn draft_key(editor: &str, scope: &[&str]) -> String {
    let mut key = format!("gatehouse.draft.{editor}");
    for part in scope {
        key.push('.');
        key.push_str(part);
    }
    key
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Writes a draft stamped with the current time. Fails when storage is
/// unavailable or full, with a message that names the cause.
pub fn save_draft<T: Serialize>(key: &str, value: &T) -> Result<(), String> {
    let draft = Draft { saved_at: js_sys::Date::now(), value };
    let text = serde_json::to_string(&draft)
        .map_err(|error| format!("The draft could not be encoded: {error}."))?;
    let storage = storage().ok_or("This browser does not allow local storage.")?;
    storage.set_item(key, &text).map_err(|_| {
        "The draft could not be stored; the browser's local storage may be full.".to_owned()
    })
}

/// Reads a draft; a missing or unreadable draft is `None`.
pub fn load_draft<T: DeserializeOwned>(key: &str) -> Option<Draft<T>> {
    let text = storage()?.get_item(key).ok()??;
    serde_json::from_str(&text).ok()
}

/// Removes a draft, after a successful save or when it is discarded.
pub fn clear_draft(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

/// Formats a draft's time in the browser's locale and time zone.
pub fn draft_time(saved_at: f64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(saved_at));
    String::from(date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED))
}

/// Writes `value` as a draft under `key` whenever it changes, after
/// [`DRAFT_DELAY_MS`] without typing, and removes the draft once `value`
/// equals `saved` again. The value at creation is not written, so opening an
/// editor does not restamp an older draft.
pub fn autosave_draft<T>(key: String, value: Signal<T>, saved: Signal<T>)
where
    T: Serialize + Clone + PartialEq + Send + Sync + 'static,
{
    let settled = debounce(value, DRAFT_DELAY_MS);
    Effect::new(move |previous: Option<()>| {
        let current = settled.get();
        if previous.is_none() {
            return;
        }
        if saved.with_untracked(|saved| *saved == current) {
            clear_draft(&key);
        } else if let Err(message) = save_draft(&key, &current) {
            leptos::logging::warn!("{message}");
        }
    });
}

/// The notice shown when an editor restored a draft, with a button that
/// discards it and goes back to the saved version.
#[component]
pub fn DraftNotice(
    /// When the restored draft was written, or `None` when none was restored.
    restored_at: RwSignal<Option<f64>>,
    /// Discards the draft and loads the saved version.
    on_discard: Callback<()>,
) -> impl IntoView {
    move || {
        restored_at.get().map(|saved_at| {
            view! {
                <div class="draft-notice" role="status" id="draft-notice">
                    <p class="draft-notice__text">
                        {format!("Restored your unsaved draft from {}.", draft_time(saved_at))}
                    </p>
                    <button
                        class="button"
                        id="discard-draft"
                        type="button"
                        on:click=move |_| on_discard.run(())
                    >
                        "Discard draft"
                    </button>
                </div>
            }
        })
    }
}
