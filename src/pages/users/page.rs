//! The pages at `/users/new` and `/users/:id`.

use gatehouse_core::api::User;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::actions::UserActions;
use super::display_name;
use super::form::UserForm;
use crate::api;
use crate::components::problem::ProblemView;

/// The create form; opens the new user's page after saving.
#[component]
pub fn NewUserPage() -> impl IntoView {
    let navigate = use_navigate();
    let on_saved = Callback::new(move |user: User| {
        navigate(&format!("/users/{}", user.id), Default::default());
    });
    view! {
        <section class="user-page">
            <h1>"New user"</h1>
            <UserForm record=None on_saved/>
        </section>
    }
}

/// Loads the user named by the `:id` segment and shows its editor.
#[component]
pub fn UserPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|params| params.get("id").and_then(|id| id.parse::<i64>().ok()));
    let user = LocalResource::new(move || {
        let id = id();
        async move {
            match id {
                Some(id) => Some(api::users::get(id).await),
                None => None,
            }
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>"Loading the user…"</p> }>
            {move || {
                user.get()
                    .map(|loaded| match loaded {
                        Some(Ok(user)) => view! { <UserEditor user/> }.into_any(),
                        Some(Err(error)) => {
                            view! {
                                <ProblemView error/>
                                <BackToUsers/>
                            }
                                .into_any()
                        }
                        None => {
                            view! {
                                <p class="problem">
                                    "The address has no valid user id; user ids are whole numbers."
                                </p>
                                <BackToUsers/>
                            }
                                .into_any()
                        }
                    })
            }}
        </Suspense>
    }
}

/// The way back to the list when the user cannot be shown, such as after
/// a 404 for an erased user.
#[component]
fn BackToUsers() -> impl IntoView {
    view! {
        <p class="back-link">
            <a href="/users" id="back-to-users">"Back to the users list"</a>
        </p>
    }
}

/// The edit form and the status actions of one loaded user.
#[component]
fn UserEditor(
    /// The user as loaded from the server.
    user: User,
) -> impl IntoView {
    let record = RwSignal::new(user);
    let on_saved = Callback::new(move |user: User| record.set(user));
    view! {
        <section class="user-page">
            <header class="page-header">
                <h1>{move || record.with(display_name)}</h1>
                <p class="page-header__meta">
                    {move || {
                        record.with(|user| format!("{} · version {}", user.fields.login_id, user.version))
                    }}
                </p>
            </header>
            <UserForm record=Some(record) on_saved/>
            <UserActions record/>
        </section>
    }
}
