//! The theme editor at `/branding/theme`: seven colours, their contrast
//! table and a live preview of the sign-in screen.

use gatehouse_core::api::ThemeSettings;
use gatehouse_core::branding::{check_theme, Theme, ThemeToken};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::colour_field::ColourField;
use super::contrast::ContrastTable;
use super::preview::{PreviewContext, SignInPreview};
use super::SavedNotice;
use crate::api::{self, ApiError};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::draft::{autosave_draft, clear_draft, draft_key, load_draft, DraftNotice};
use crate::components::problem::ProblemView;
use crate::components::unsaved_guard::guard_unsaved_changes;
use crate::components::version_conflict::{ConflictRow, VersionConflict};
use crate::session::use_session;

/// Loads the saved theme and shows its editor.
#[component]
pub fn ThemePage() -> impl IntoView {
    let settings = LocalResource::new(api::branding::theme);
    view! {
        <section class="branding-page" id="theme-page">
            <h1>"Theme colours"</h1>
            <p class="branding-page__intro">
                "The colours of the sign-in screens. Low contrast does not block a save, "
                "but the table below says which pairs fail WCAG AA."
            </p>
            <Suspense fallback=|| view! { <p>"Loading the theme…"</p> }>
                {move || {
                    settings
                        .get()
                        .map(|loaded| match loaded {
                            Ok(settings) => view! { <ThemeForm settings/> }.into_any(),
                            Err(error) => view! { <ProblemView error/> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

/// Lists each token's typed and stored colour for the conflict view.
fn conflict_rows(yours: &Theme, saved: &Theme) -> Vec<ConflictRow> {
    ThemeToken::ALL
        .into_iter()
        .map(|token| ConflictRow {
            label: token.label().to_owned(),
            yours: token.get(yours).to_owned(),
            saved: token.get(saved).to_owned(),
        })
        .collect()
}

/// The colour fields, the contrast table, the preview and the save and
/// reset buttons, with a local draft and a guard against leaving unsaved.
#[component]
fn ThemeForm(settings: ThemeSettings) -> impl IntoView {
    let session = use_session();
    let key = draft_key("theme", &[]);
    let saved = RwSignal::new(settings.clone());
    let theme = RwSignal::new(settings.theme.clone());
    let restored_at = RwSignal::new(None::<f64>);
    if let Some(draft) = load_draft::<Theme>(&key).filter(|draft| draft.value != settings.theme) {
        theme.set(draft.value);
        restored_at.set(Some(draft.saved_at));
    }
    let saved_theme = Signal::derive(move || saved.with(|saved| saved.theme.clone()));
    let dirty =
        Signal::derive(move || theme.with(|theme| saved.with(|saved| *theme != saved.theme)));
    guard_unsaved_changes(dirty);
    autosave_draft(key.clone(), theme.into(), saved_theme);

    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let conflict = RwSignal::new(None::<ThemeSettings>);
    let confirming_reset = RwSignal::new(false);
    let saved_message = RwSignal::new(None::<String>);
    let invalid = Signal::derive(move || theme.with(|theme| !check_theme(theme).is_empty()));
    let key = StoredValue::new(key);

    let finish = move |settings: ThemeSettings, message: &str| {
        theme.set(settings.theme.clone());
        saved.set(settings);
        key.with_value(|key| clear_draft(key));
        restored_at.set(None);
        error.set(None);
        saved_message.set(Some(message.to_owned()));
    };
    let save = move || {
        if invalid.get_untracked() {
            return;
        }
        let (csrf_token, version) = (session.csrf_token(), saved.get_untracked().version);
        let edited = theme.get_untracked();
        busy.set(true);
        saved_message.set(None);
        spawn_local(async move {
            let result = api::branding::save_theme(&csrf_token, version, &edited).await;
            busy.set(false);
            match result {
                Ok(settings) => finish(settings, "Saved the theme."),
                Err(failure) => {
                    conflict.set(api::branding::conflicting(&failure));
                    error.set(Some(failure));
                }
            }
        });
    };
    let reset = Callback::new(move |()| {
        confirming_reset.set(false);
        let (csrf_token, version) = (session.csrf_token(), saved.get_untracked().version);
        busy.set(true);
        spawn_local(async move {
            let result = api::branding::reset_theme(&csrf_token, version).await;
            busy.set(false);
            match result {
                Ok(settings) => finish(settings, "Reset the theme to the default colours."),
                Err(failure) => {
                    conflict.set(api::branding::conflicting(&failure));
                    error.set(Some(failure));
                }
            }
        });
    });
    let keep_mine = Callback::new(move |()| {
        if let Some(stored) = conflict.get_untracked() {
            saved.update(|saved| saved.version = stored.version);
        }
        conflict.set(None);
        save();
    });
    let take_saved = Callback::new(move |()| {
        if let Some(stored) = conflict.get_untracked() {
            finish(stored, "Loaded the saved theme.");
        }
        conflict.set(None);
    });
    let discard = Callback::new(move |()| {
        theme.set(saved.get_untracked().theme);
        key.with_value(|key| clear_draft(key));
        restored_at.set(None);
    });
    let preview = PreviewContext::load();

    view! {
        <DraftNotice restored_at on_discard=discard/>
        <div class="theme-editor">
            <form
                class="theme-editor__fields"
                id="theme-form"
                novalidate
                on:submit=move |event| {
                    event.prevent_default();
                    save();
                }
            >
                {ThemeToken::ALL.into_iter().map(|token| view! { <ColourField token theme/> }).collect_view()}
                <div class="editor-actions">
                    <button
                        class="button button--primary"
                        id="save-theme"
                        type="submit"
                        disabled=move || busy.get() || invalid.get()
                    >
                        "Save theme"
                    </button>
                    <button
                        class="button"
                        id="reset-theme"
                        type="button"
                        disabled=move || busy.get() || saved.with(|saved| saved.is_default)
                        on:click=move |_| confirming_reset.set(true)
                    >
                        "Reset to defaults"
                    </button>
                    <SavedNotice message=saved_message dirty/>
                </div>
            </form>
            <ContrastTable theme/>
        </div>
        {move || {
            conflict
                .get()
                .map(|stored| {
                    let rows = theme.with_untracked(|theme| conflict_rows(theme, &stored.theme));
                    view! {
                        <VersionConflict
                            subject="the theme"
                            saved_version=stored.version
                            rows
                            on_keep=keep_mine
                            on_take=take_saved
                        />
                    }
                })
        }}
        {move || error.get().map(|error| view! { <ProblemView error/> })}
        {move || {
            confirming_reset
                .get()
                .then(|| {
                    view! {
                        <ConfirmDialog
                            id="confirm-reset-theme"
                            title="Reset the theme?".to_owned()
                            message="All seven colours go back to the defaults, for every sign-in screen. Your edits here are lost.".to_owned()
                            confirm_label="Reset to defaults"
                            on_confirm=reset
                            on_close=Callback::new(move |()| confirming_reset.set(false))
                        />
                    }
                })
        }}
        <h2>"Preview"</h2>
        <SignInPreview theme footer=preview.footer login=preview.login logo=preview.logo/>
    }
}
