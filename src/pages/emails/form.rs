//! The editor of one template in one language: fields, variables, live
//! check and preview, with save, reset, test send and local drafts.

use gatehouse_core::api::EmailTemplateDocument;
use gatehouse_core::emails::{
    check, render, sample_context, EmailParts, TemplateFinding, TemplatePart,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::fields::{Cursor, PartField};
use super::findings::TemplateFindings;
use super::preview::EmailPreview;
use super::test_send::TestSend;
use super::variables::VariableList;
use crate::api::{self, ApiError};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::debounce::debounce;
use crate::components::draft::{autosave_draft, clear_draft, draft_key, load_draft, DraftNotice};
use crate::components::problem::ProblemView;
use crate::components::unsaved_guard::guard_unsaved_changes;
use crate::components::version_conflict::{ConflictRow, VersionConflict};
use crate::pages::branding::SavedNotice;
use crate::session::use_session;

/// How long typing must pause before the check and the preview run again.
const CHECK_DELAY_MS: u64 = 250;

fn parts_of(document: &EmailTemplateDocument) -> EmailParts {
    EmailParts {
        subject: document.subject.clone(),
        html: document.html.clone(),
        text: document.text.clone(),
    }
}

/// Lists each part's typed and stored text for the conflict view.
fn conflict_rows(yours: &EmailParts, saved: &EmailParts) -> Vec<ConflictRow> {
    TemplatePart::ALL
        .into_iter()
        .map(|part| ConflictRow {
            label: part.label().trim_start_matches("The ").to_owned(),
            yours: part.get(yours).to_owned(),
            saved: part.get(saved).to_owned(),
        })
        .collect()
}

/// The whole editor for one loaded document.
#[component]
pub fn EmailForm(document: EmailTemplateDocument) -> impl IntoView {
    let session = use_session();
    let (template, language) = (document.template, document.language);
    let key = StoredValue::new(draft_key("email", &[template.name(), language.code()]));
    let saved = RwSignal::new(document.clone());
    let subject = RwSignal::new(document.subject.clone());
    let html = RwSignal::new(document.html.clone());
    let text = RwSignal::new(document.text.clone());
    let set_parts = move |parts: EmailParts| {
        subject.set(parts.subject);
        html.set(parts.html);
        text.set(parts.text);
    };
    let restored_at = RwSignal::new(None::<f64>);
    let draft = key.with_value(|key| load_draft::<EmailParts>(key));
    if let Some(draft) = draft.filter(|draft| draft.value != parts_of(&document)) {
        set_parts(draft.value);
        restored_at.set(Some(draft.saved_at));
    }
    let parts = Memo::new(move |_| EmailParts {
        subject: subject.get(),
        html: html.get(),
        text: text.get(),
    });
    let saved_parts = Signal::derive(move || saved.with(parts_of));
    let dirty =
        Signal::derive(move || saved_parts.with(|saved| parts.with(|parts| parts != saved)));
    guard_unsaved_changes(dirty);
    autosave_draft(key.get_value(), parts.into(), saved_parts);

    let settled = debounce(parts.into(), CHECK_DELAY_MS);
    let findings = Memo::new(move |_| {
        settled.with(|parts: &EmailParts| check(template, &parts.subject, &parts.html, &parts.text))
    });
    let rendered = Signal::derive(move || {
        settled.with(|parts: &EmailParts| {
            render(template, language, parts, &sample_context(template, language))
        })
    });

    let cursor = RwSignal::new(None::<Cursor>);
    let field_of = Callback::new(move |part: TemplatePart| match part {
        TemplatePart::Subject => subject,
        TemplatePart::Html => html,
        TemplatePart::Text => text,
    });
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let server_findings = RwSignal::new(Vec::<TemplateFinding>::new());
    let conflict = RwSignal::new(None::<EmailTemplateDocument>);
    let confirming_reset = RwSignal::new(false);
    let saved_message = RwSignal::new(None::<String>);

    let finish = move |stored: EmailTemplateDocument, message: String| {
        set_parts(parts_of(&stored));
        saved.set(stored);
        key.with_value(|key| clear_draft(key));
        restored_at.set(None);
        error.set(None);
        server_findings.set(Vec::new());
        saved_message.set(Some(message));
    };
    let save = move || {
        let edited = parts.get_untracked();
        let local = check(template, &edited.subject, &edited.html, &edited.text);
        if local.iter().any(TemplateFinding::is_error) {
            saved_message.set(Some("Fix the errors under Problems, then save again.".to_owned()));
            return;
        }
        let (csrf_token, version) = (session.csrf_token(), saved.get_untracked().version);
        busy.set(true);
        saved_message.set(None);
        spawn_local(async move {
            let result = api::emails::save(&csrf_token, template, language, version, &edited).await;
            busy.set(false);
            match result {
                Ok(stored) => {
                    let message = if stored.html_sanitized {
                        "Saved. The HTML sanitizer removed unsafe markup; the HTML body now shows what was stored."
                    } else {
                        "Saved."
                    };
                    finish(stored, message.to_owned());
                }
                Err(failure) => {
                    conflict.set(api::branding::conflicting(&failure.error));
                    server_findings.set(failure.findings);
                    error.set(Some(failure.error));
                }
            }
        });
    };
    let reset = Callback::new(move |()| {
        confirming_reset.set(false);
        let (csrf_token, version) = (session.csrf_token(), saved.get_untracked().version);
        busy.set(true);
        spawn_local(async move {
            let result = api::emails::reset(&csrf_token, template, language, version).await;
            busy.set(false);
            match result {
                Ok(stored) => finish(stored, "Reset to the default text.".to_owned()),
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
            finish(stored, "Loaded the saved version.".to_owned());
        }
        conflict.set(None);
    });
    let discard = Callback::new(move |()| {
        set_parts(saved.with_untracked(parts_of));
        key.with_value(|key| clear_draft(key));
        restored_at.set(None);
    });

    view! {
        <DraftNotice restored_at on_discard=discard/>
        <p class="email-form__status">
            {move || if saved.with(|saved| saved.is_default) { "This language sends the default text." } else { "This language sends a customized text." }}
        </p>
        <div class="email-editor">
            <form class="email-editor__fields" id="email-form" novalidate on:submit=move |event| { event.prevent_default(); save(); }>
                {TemplatePart::ALL.into_iter().map(|part| view! { <PartField part value=field_of.run(part) cursor/> }).collect_view()}
                <div class="editor-actions">
                    <button class="button button--primary" id="save-email" type="submit" disabled=move || busy.get()>"Save"</button>
                    <button
                        class="button"
                        id="reset-email"
                        type="button"
                        disabled=move || busy.get() || saved.with(|saved| saved.is_default)
                        on:click=move |_| confirming_reset.set(true)
                    >
                        "Reset to default"
                    </button>
                    <SavedNotice message=saved_message dirty/>
                </div>
                <h2>"Problems"</h2>
                <TemplateFindings id="email-findings" findings/>
            </form>
            <VariableList variables=document.variables.clone() cursor field_of/>
        </div>
        {move || conflict.get().map(|stored| {
            let rows = parts.with_untracked(|parts| conflict_rows(parts, &parts_of(&stored)));
            view! { <VersionConflict subject="this email" saved_version=stored.version rows on_keep=keep_mine on_take=take_saved/> }
        })}
        {move || error.get().map(|error| view! { <ProblemView error/> })}
        {move || server_findings.with(|found| !found.is_empty()).then(|| view! {
            <h2>"Problems the server found"</h2>
            <TemplateFindings id="email-server-findings" findings=server_findings/>
        })}
        <EmailPreview rendered/>
        <TestSend template language parts/>
        {move || confirming_reset.get().then(|| view! {
            <ConfirmDialog
                id="confirm-reset-email"
                title="Reset to the default text?".to_owned()
                message="The subject and both bodies go back to the built-in text for this language. Your changes are lost.".to_owned()
                confirm_label="Reset to default"
                on_confirm=reset
                on_close=Callback::new(move |()| confirming_reset.set(false))
            />
        })}
    }
}
