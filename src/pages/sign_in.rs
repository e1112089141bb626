//! The sign-in page.

use gatehouse_core::api::SignInRequest;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, ApiError};
use crate::components::problem::ProblemView;
use crate::session::use_session;

/// Returns the page to open after signing in: the `next` query value when it
/// is a path on this site, otherwise the users list. Values such as
/// `//evil.example` or `https://…` are rejected so the link cannot send the
/// person to another site.
pub fn return_path(next: Option<String>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && path != "/sign-in" => {
            path
        }
        _ => "/users".to_owned(),
    }
}

/// The sign-in form; on success stores the session and opens the intended page.
#[component]
pub fn SignIn() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let login_id = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);

    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let request = SignInRequest {
            login_id: login_id.get_untracked(),
            password: password.get_untracked(),
        };
        let next = return_path(query.with_untracked(|query| query.get("next")));
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            match api::session::sign_in(&request).await {
                Ok(info) => {
                    error.set(None);
                    session.info.set(Some(info));
                    session.restored.set(true);
                    navigate(&next, Default::default());
                }
                Err(failure) => error.set(Some(failure)),
            }
            busy.set(false);
        });
    };

    view! {
        <main class="sign-in">
            <h1 class="sign-in__title">"Gatehouse console"</h1>
            <form class="sign-in__form" on:submit=on_submit>
                <label class="field__label" for="login_id">"Login ID"</label>
                <input
                    class="field__input"
                    id="login_id"
                    name="login_id"
                    autocomplete="username"
                    required
                    bind:value=login_id
                />
                <label class="field__label" for="password">"Password"</label>
                <input
                    class="field__input"
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    bind:value=password
                />
                <button class="button button--primary" type="submit" disabled=move || busy.get()>
                    "Sign in"
                </button>
            </form>
            {move || error.get().map(|error| view! { <ProblemView error/> })}
        </main>
    }
}
