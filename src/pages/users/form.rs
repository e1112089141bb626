//! The create and edit form of a user.

use gatehouse_core::api::{User, UserFields};
use gatehouse_core::rules::{check_user_fields, UserField};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::conflict::ConflictView;
use crate::api::{self, ApiError};
use crate::components::field::Field;
use crate::components::problem::ProblemView;
use crate::session::use_session;

/// The form state of one field.
#[derive(Debug, Clone, Copy)]
struct FieldState {
    field: UserField,
    value: RwSignal<String>,
    server_error: RwSignal<Option<String>>,
}

/// Collects the typed values into the request body.
fn collect(states: &[FieldState]) -> UserFields {
    let mut fields = UserFields::default();
    for state in states {
        *state.field.get_mut(&mut fields) = state.value.get_untracked();
    }
    fields
}

/// Reads the stored record out of a 412 problem, when the server sent one.
fn conflicting_record(error: &ApiError) -> Option<User> {
    let problem = error.problem().filter(|problem| problem.status == 412)?;
    serde_json::from_value(problem.current.clone()?).ok()
}

/// All eight user fields with a save button. With `record` it edits that
/// user and sends `If-Match`. Without a record it creates a user, sending an
/// idempotency key made once per form draft so that a retry is safe.
#[component]
pub fn UserForm(
    /// The user being edited, or `None` to create one.
    record: Option<RwSignal<User>>,
    /// Called with the saved user after a successful save.
    on_saved: Callback<User>,
) -> impl IntoView {
    let session = use_session();
    let initial = record.map(|record| record.get_untracked().fields).unwrap_or_default();
    let states = StoredValue::new(
        UserField::ALL
            .into_iter()
            .map(|field| FieldState {
                field,
                value: RwSignal::new(field.get(&initial).to_owned()),
                server_error: RwSignal::new(None),
            })
            .collect::<Vec<_>>(),
    );
    let record_id = record.map(|record| record.get_untracked().id);
    let version = RwSignal::new(record.map_or(0, |record| record.get_untracked().version));
    // Removing or restoring the user elsewhere on the page raises its version.
    Effect::new(move |_| {
        if let Some(record) = record {
            version.set(record.with(|user| user.version));
        }
    });
    let idempotency_key = StoredValue::new(uuid::Uuid::new_v4().to_string());
    let submitted = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let conflict = RwSignal::new(None::<(UserFields, User)>);

    let save = move || {
        submitted.set(true);
        let fields = states.with_value(|states| collect(states));
        if !check_user_fields(&fields).is_empty() {
            return;
        }
        let csrf_token = session.csrf_token();
        busy.set(true);
        spawn_local(async move {
            let result = match record_id {
                Some(id) => {
                    api::users::update(&csrf_token, id, version.get_untracked(), &fields).await
                }
                None => {
                    let key = idempotency_key.get_value();
                    api::users::create(&csrf_token, &key, &fields).await
                }
            };
            busy.set(false);
            match result {
                Ok(user) => {
                    error.set(None);
                    on_saved.run(user);
                }
                Err(failure) => {
                    if let Some(saved) = conflicting_record(&failure) {
                        conflict.set(Some((fields, saved)));
                    }
                    states.with_value(|states| show_field_errors(states, &failure));
                    error.set(Some(failure));
                }
            }
        });
    };
    let keep_mine = Callback::new(move |()| {
        if let Some((_, saved)) = conflict.get_untracked() {
            version.set(saved.version);
        }
        conflict.set(None);
        save();
    });
    let take_saved = Callback::new(move |()| {
        if let Some((_, saved)) = conflict.get_untracked() {
            states.with_value(|states| {
                for state in states {
                    state.value.set(state.field.get(&saved.fields).to_owned());
                }
            });
            version.set(saved.version);
            on_saved.run(saved);
        }
        conflict.set(None);
        error.set(None);
    });
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        save();
    };

    view! {
        <form class="user-form" id="user-form" novalidate on:submit=on_submit>
            {states
                .get_value()
                .into_iter()
                .map(|state| {
                    view! {
                        <Field
                            field=state.field
                            value=state.value
                            server_error=state.server_error
                            submitted=submitted
                        />
                    }
                })
                .collect_view()}
            <button
                class="button button--primary"
                id="save-user"
                type="submit"
                disabled=move || busy.get()
            >
                {if record_id.is_some() { "Save changes" } else { "Create user" }}
            </button>
        </form>
        {move || {
            conflict
                .get()
                .map(|(yours, saved)| {
                    view! { <ConflictView yours saved on_keep=keep_mine on_take=take_saved/> }
                })
        }}
        {move || error.get().map(|error| view! { <ProblemView error/> })}
    }
}

/// Puts each server field error under its field; the typed values stay.
fn show_field_errors(states: &[FieldState], error: &ApiError) {
    for state in states {
        let message = error
            .field_errors()
            .iter()
            .find(|field_error| field_error.field == state.field.name())
            .map(|field_error| field_error.message.clone());
        state.server_error.set(message);
    }
}
