//! The footer links editor at `/branding/footer-links`: up to five links
//! with English and Japanese labels, reordered with buttons or by dragging.

use gatehouse_core::api::{FieldError, FooterLinks};
use gatehouse_core::branding::links::FOOTER_LINKS_MAX;
use gatehouse_core::branding::{check_footer_links, Link};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::link_fields::LinkPart;
use super::link_row::LinkRow;
use super::preview::{PreviewContext, SignInPreview};
use super::{link_summary, SavedNotice};
use crate::api::{self, ApiError};
use crate::components::draft::{autosave_draft, clear_draft, draft_key, load_draft, DraftNotice};
use crate::components::problem::ProblemView;
use crate::components::unsaved_guard::guard_unsaved_changes;
use crate::components::version_conflict::{ConflictRow, VersionConflict};
use crate::session::use_session;

/// Loads the saved footer links and shows their editor.
#[component]
pub fn FooterLinksPage() -> impl IntoView {
    let links = LocalResource::new(api::branding::footer_links);
    view! {
        <section class="branding-page" id="footer-links-page">
            <h1>"Footer links"</h1>
            <p class="branding-page__intro">
                {format!(
                    "Links at the bottom of every sign-in screen, at most {FOOTER_LINKS_MAX}, \
                     in the order shown here."
                )}
            </p>
            <Suspense fallback=|| view! { <p>"Loading the footer links…"</p> }>
                {move || {
                    links
                        .get()
                        .map(|loaded| match loaded {
                            Ok(stored) => view! { <FooterLinksForm stored/> }.into_any(),
                            Err(error) => view! { <ProblemView error/> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

/// Moves the item at `from` to the position `to`, shifting those between.
pub fn move_item<T>(items: &mut Vec<T>, from: usize, to: usize) {
    if from >= items.len() || to >= items.len() || from == to {
        return;
    }
    let item = items.remove(from);
    items.insert(to, item);
}

/// Returns the message of a field: the server's, which reflects what was
/// rejected, or else the core rule's once the field has a value or the form
/// was submitted.
pub fn field_message(
    field: &str,
    issues: &[(String, String)],
    server: &[FieldError],
    value_present: bool,
    submitted: bool,
) -> Option<String> {
    if let Some(error) = server.iter().find(|error| error.field == field) {
        return Some(error.message.clone());
    }
    if !value_present && !submitted {
        return None;
    }
    issues.iter().find(|(name, _)| name == field).map(|(_, message)| message.clone())
}

/// The list editor with its save button, draft and conflict handling.
#[component]
fn FooterLinksForm(stored: FooterLinks) -> impl IntoView {
    let session = use_session();
    let key = StoredValue::new(draft_key("footer-links", &[]));
    let saved = RwSignal::new(stored.clone());
    let links = RwSignal::new(stored.links.clone());
    let restored_at = RwSignal::new(None::<f64>);
    let draft = key.with_value(|key| load_draft::<Vec<Link>>(key));
    if let Some(draft) = draft.filter(|draft| draft.value != stored.links) {
        links.set(draft.value);
        restored_at.set(Some(draft.saved_at));
    }
    let saved_links = Signal::derive(move || saved.with(|saved| saved.links.clone()));
    let dirty =
        Signal::derive(move || links.with(|links| saved.with(|saved| *links != saved.links)));
    guard_unsaved_changes(dirty);
    autosave_draft(key.get_value(), links.into(), saved_links);

    let submitted = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let server_errors = RwSignal::new(Vec::<FieldError>::new());
    let conflict = RwSignal::new(None::<FooterLinks>);
    let saved_message = RwSignal::new(None::<String>);
    let issues = Memo::new(move |_| {
        links.with(|links| {
            check_footer_links(links)
                .into_iter()
                .map(|issue| (issue.field, issue.issue.message))
                .collect::<Vec<_>>()
        })
    });
    let message_for = Callback::new(move |field: String| {
        let present = links.with(|links| field_has_value(links, &field));
        let server = server_errors.get();
        issues.with(|issues| field_message(&field, issues, &server, present, submitted.get()))
    });
    let finish = move |stored: FooterLinks| {
        links.set(stored.links.clone());
        saved.set(stored);
        key.with_value(|key| clear_draft(key));
        restored_at.set(None);
        error.set(None);
        submitted.set(false);
        saved_message.set(Some("Saved the footer links.".to_owned()));
    };
    let save = move || {
        submitted.set(true);
        if !issues.with_untracked(Vec::is_empty) {
            return;
        }
        let (csrf_token, version) = (session.csrf_token(), saved.get_untracked().version);
        let edited = links.get_untracked();
        busy.set(true);
        saved_message.set(None);
        spawn_local(async move {
            let result = api::branding::save_footer_links(&csrf_token, version, &edited).await;
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
        links.set(saved.get_untracked().links);
        key.with_value(|key| clear_draft(key));
        restored_at.set(None);
    });
    let on_change = Callback::new(move |(index, part, value): (usize, LinkPart, String)| {
        server_errors.set(Vec::new());
        links.update(|links| {
            if let Some(link) = links.get_mut(index) {
                part.set(link, value);
            }
        });
    });
    let on_move = Callback::new(move |(from, to): (usize, usize)| {
        links.update(|links| move_item(links, from, to));
    });
    let on_remove = Callback::new(move |index: usize| {
        links.update(|links| {
            if index < links.len() {
                links.remove(index);
            }
        });
    });
    let dragged = RwSignal::new(None::<usize>);
    let count = move || links.with(Vec::len);
    let preview = PreviewContext::load();

    view! {
        <DraftNotice restored_at on_discard=discard/>
        <form
            class="link-list"
            id="footer-links-form"
            novalidate
            on:submit=move |event| {
                event.prevent_default();
                save();
            }
        >
            <ol class="link-list__items">
                <For each=move || 0..count() key=|index| *index let:index>
                    <LinkRow
                        index
                        count=Signal::derive(count)
                        link=Signal::derive(move || links.with(|links| links.get(index).cloned().unwrap_or_default()))
                        dragged
                        on_change
                        on_move
                        on_remove
                        message_for
                    />
                </For>
            </ol>
            {move || (count() == 0).then(|| view! { <p class="link-list__empty">"No footer links."</p> })}
            <div class="editor-actions">
                <button
                    class="button"
                    id="add-link"
                    type="button"
                    disabled=move || { count() >= FOOTER_LINKS_MAX }
                    on:click=move |_| links.update(|links| links.push(Link::default()))
                >
                    "Add link"
                </button>
                <span class="link-list__count" aria-live="polite">
                    {move || format!("{} of {FOOTER_LINKS_MAX} links", count())}
                </span>
                <button class="button button--primary" id="save-links" type="submit" disabled=move || busy.get()>
                    "Save footer links"
                </button>
                <SavedNotice message=saved_message dirty/>
            </div>
        </form>
        {move || {
            conflict
                .get()
                .map(|stored| {
                    let rows = links.with_untracked(|links| conflict_rows(links, &stored.links));
                    view! {
                        <VersionConflict
                            subject="the footer links"
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
        <SignInPreview theme=preview.theme footer=links login=preview.login logo=preview.logo/>
    }
}

/// Reports whether a field such as `links[1].labels.ja` has a typed value.
fn field_has_value(links: &[Link], field: &str) -> bool {
    links.iter().enumerate().any(|(index, link)| {
        LinkPart::ALL.into_iter().any(|part| {
            format!("links[{index}].{}", part.suffix()) == field && !part.get(link).is_empty()
        })
    })
}

/// Lists each position's typed and stored link for the conflict view.
fn conflict_rows(yours: &[Link], saved: &[Link]) -> Vec<ConflictRow> {
    (0..yours.len().max(saved.len()))
        .map(|index| ConflictRow {
            label: format!("Link {}", index + 1),
            yours: yours.get(index).map(link_summary).unwrap_or_default(),
            saved: saved.get(index).map(link_summary).unwrap_or_default(),
        })
        .collect()
}
