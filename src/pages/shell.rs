//! The frame around every signed-in page: header, navigation and the guard
//! that sends signed-out visitors to the sign-in page.

use gatehouse_core::catalog::Area;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::{self, encode_component};
use crate::session::use_session;

/// Header, navigation and the current page; redirects to sign-in when the
/// session is gone, keeping the current path to return to.
#[component]
pub fn Shell() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();

    Effect::new(move |_| {
        if session.restored.get() && session.info.with(Option::is_none) {
            let path = location.pathname.get_untracked();
            let search = location.search.get_untracked();
            let intended = if search.is_empty() { path } else { format!("{path}?{search}") };
            let target = format!("/sign-in?next={}", encode_component(&intended));
            navigate(&target, Default::default());
        }
    });

    let sign_out = move |_| {
        let csrf_token = session.csrf_token();
        spawn_local(async move {
            if let Err(error) = api::session::sign_out(&csrf_token).await {
                leptos::logging::error!("Signing out failed: {}", error.title());
            }
            session.info.set(None);
        });
    };
    let login_id = move || {
        session
            .info
            .with(|info| info.as_ref().map(|info| info.login_id.clone()).unwrap_or_default())
    };

    view! {
        <div class="shell">
            <header class="shell__header">
                <a class="shell__brand" href="/users">"Gatehouse"</a>
                <span class="shell__user" id="signed-in-login-id">{login_id}</span>
                <button class="button" id="sign-out" type="button" on:click=sign_out>
                    "Sign out"
                </button>
            </header>
            <Navigation/>
            <main class="shell__main">
                <Show
                    when=move || session.info.with(Option::is_some)
                    fallback=|| view! { <p class="shell__loading">"Checking your session…"</p> }
                >
                    <Outlet/>
                </Show>
            </main>
        </div>
    }
}

/// The navigation links: every area, then the task log and the operations list.
#[component]
fn Navigation() -> impl IntoView {
    let location = use_location();
    let mut links: Vec<(&'static str, &'static str)> =
        Area::ALL.iter().map(|area| (area.route(), area.title())).collect();
    links.push(("/tasks", "Tasks"));
    links.push(("/operations", "Operations"));

    view! {
        <nav class="shell__nav" aria-label="Console areas">
            <ul class="nav">
                {links
                    .into_iter()
                    .map(|(route, title)| {
                        let current = move || {
                            let path = location.pathname.get();
                            let active = path == route || path.starts_with(&format!("{route}/"));
                            active.then_some("page")
                        };
                        view! {
                            <li class="nav__item">
                                <a class="nav__link" href=route aria-current=current>
                                    {title}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// The message for a path that matches no page.
#[component]
pub fn NotFound() -> impl IntoView {
    let location = use_location();
    view! {
        <section class="not-found">
            <h1>"Page not found"</h1>
            <p>
                "No console page has the address " <code>{move || location.pathname.get()}</code>
                ". Check the link, or go to the " <a href="/users">"users list"</a> "."
            </p>
        </section>
    }
}
