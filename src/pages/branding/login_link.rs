//! The sign-in screen link editor at `/branding/login-link`: one optional
//! link, such as to a help page, under the sign-in form.

use gatehouse_core::api::{FieldError, LoginLink};
use gatehouse_core::branding::{check_login_link, Link};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::footer_links::field_message;
use super::link_fields::{LinkFields, LinkPart};
use super::preview::{PreviewContext, SignInPreview};
use super::{link_summary, SavedNotice};
use crate::api::{self, ApiError};
use crate::components::draft::{autosave_draft, clear_draft, draft_key, load_draft, DraftNotice};
use crate::components::problem::ProblemView;
use crate::components::unsaved_guard::guard_unsaved_changes;
use crate::components::version_conflict::{ConflictRow, VersionConflict};
use crate::session::use_session;

/// Loads the saved sign-in link and shows its editor.
#[component]
pub fn LoginLinkPage() -> impl IntoView {
    let link = LocalResource::new(api::branding::login_link);
    view! {
        <section class="branding-page" id="login-link-page">
            <h1>"Sign-in screen link"</h1>
            <p class="branding-page__intro">
                "An optional link under the sign-in form, such as to your help desk."
            </p>
            <Suspense fallback=|| view! { <p>"Loading the sign-in link…"</p> }>
                {move || {
                    link.get()
                        .map(|loaded| match loaded {
                            Ok(stored) => view! { <LoginLinkForm stored/> }.into_any(),
                            Err(error) => view! { <ProblemView error/> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

/// The checkbox that turns the link on, its fields, and saving.
#[component]
fn LoginLinkForm(stored: LoginLink) -> impl IntoView {
    let session = use_session();
    let key = StoredValue::new(draft_key("login-link", &[]));
    let saved = RwSignal::new(stored.clone());
    let link = RwSignal::new(stored.link.clone());
    let restored_at = RwSignal::new(None::<f64>);
    let draft = key.with_value(|key| load_draft::<Option<Link>>(key));
    if let Some(draft) = draft.filter(|draft| draft.value != stored.link) {
        link.set(draft.value);
        restored_at.set(Some(draft.saved_at));
    }
    let saved_link = Signal::derive(move || saved.with(|saved| saved.link.clone()));
    let dirty = Signal::derive(move || link.with(|link| saved.with(|saved| *link != saved.link)));
    guard_unsaved_changes(dirty);
    autosave_draft(key.get_value(), link.into(), saved_link);

    let submitted = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let server_errors = RwSignal::new(Vec::<FieldError>::new());
    let conflict = RwSignal::new(None::<LoginLink>);
    let saved_message = RwSignal::new(None::<String>);
    let issues = Memo::new(move |_| {
        link.with(|link| {
            link.as_ref()
                .map(check_login_link)
                .unwrap_or_default()
                .into_iter()
                .map(|issue| (issue.field, issue.issue.message))
                .collect::<Vec<_>>()
        })
    });
    let message_for = Callback::new(move |field: String| {
        let present = link.with(|link| {
            link.as_ref().is_some_and(|link| {
                LinkPart::ALL.into_iter().any(|part| {
                    format!("link.{}", part.suffix()) == field && !part.get(link).is_empty()
                })
            })
        });
        let server = server_errors.get();
        issues.with(|issues| field_message(&field, issues, &server, present, submitted.get()))
    });
    let finish = move |stored: LoginLink| {
        link.set(stored.link.clone());
        saved.set(stored);
        key.with_value(|key| clear_draft(key));
        restored_at.set(None);
        error.set(None);
        submitted.set(false);
        saved_message.set(Some("Saved the sign-in link.".to_owned()));
    };
    let save = move || {
        submitted.set(true);
        if !issues.with_untracked(Vec::is_empty) {
            return;
        }
        let (csrf_token, version) = (session.csrf_token(), saved.get_untracked().version);
        let edited = link.get_untracked();
        busy.set(true);
        saved_message.set(None);
        spawn_local(async move {
            let result =
                api::branding::save_login_link(&csrf_token, version, edited.as_ref()).await;
            busy.set(false);
            match result {
                Ok(stored) => finish(stored),
                Err(failure) => {
                    conflict.set(api::branding::conflicting(&failure));
                    server_errors.set(failure.field_errors().to_vec());
                    error.set(Some(failure));
                }
            }
        });
    };
    let keep_mine = Callback::new(move |()| {
        if let Some(stored) = conflict.get_untracked() {
            saved.update(|saved| saved.version = stored.version);
        }
        conflict.set(None);
        save();
    });
    let take_saved = Callback::new(move |()| {
        if let Some(stored) = conflict.get_untracked() {
            finish(stored);
        }
        conflict.set(None);
    });
    let discard = Callback::new(move |()| {
        link.set(saved.get_untracked().link);
        key.with_value(|key| clear_draft(key));
        restored_at.set(None);
    });
    let on_change = Callback::new(move |(part, value): (LinkPart, String)| {
        server_errors.set(Vec::new());
        link.update(|link| {
            if let Some(link) = link {
                part.set(link, value);
            }
        });
    });
    let toggle = move |event: leptos::ev::Event| {
        let on = event_target_checked(&event);
        link.set(on.then(|| saved.get_untracked().link.unwrap_or_default()));
    };
    let preview = PreviewContext::load();

    view! {
        <DraftNotice restored_at on_discard=discard/>
        <form
            class="link-list"
            id="login-link-form"
            novalidate
            on:submit=move |event| {
                event.prevent_default();
                save();
            }
        >
            <label class="checkbox">
                <input type="checkbox" id="login-link-enabled" prop:checked=move || link.with(Option::is_some) on:change=toggle/>
                " Show a link under the sign-in form"
            </label>
            <Show when=move || link.with(Option::is_some)>
                <LinkFields
                    field_prefix="link".to_owned()
                    link=Signal::derive(move || link.get().unwrap_or_default())
                    on_change
                    message_for
                />
            </Show>
            <div class="editor-actions">
                <button class="button button--primary" id="save-login-link" type="submit" disabled=move || busy.get()>
                    "Save sign-in link"
                </button>
                <SavedNotice message=saved_message dirty/>
            </div>
        </form>
        {move || {
            conflict
                .get()
                .map(|stored| {
                    let summary = |link: &Option<Link>| link.as_ref().map(link_summary).unwrap_or("No link".to_owned());
                    let rows = vec![ConflictRow {
                        label: "Link".to_owned(),
                        yours: link.with_untracked(summary),
                        saved: summary(&stored.link),
                    }];
                    view! {
                        <VersionConflict
                            subject="the sign-in link"
                            saved_version=stored.version
                            rows
                            on_keep=keep_mine
                            on_take=take_saved
                        />
                    }
                })
        }}
        {move || error.get().map(|error| view! { <ProblemView error/> })}
        <h2>"Preview"</h2>
        <SignInPreview theme=preview.theme footer=preview.footer login=link logo=preview.logo/>
    }
}
