//! The users list with search, status filter and paging.

use gatehouse_core::api::{User, UserFilter};
use leptos::prelude::*;

use super::display_name;
use crate::api;
use crate::components::pager::Pager;
use crate::components::problem::ProblemView;

/// Users shown per page.
const PER_PAGE: u32 = 25;

/// Parses the status filter's `<select>` value.
fn parse_filter(value: &str) -> UserFilter {
    match value {
        "pending_deletion" => UserFilter::PendingDeletion,
        "all" => UserFilter::All,
        _ => UserFilter::Active,
    }
}

/// Search, filter and a page of users, with a link to create one.
#[component]
pub fn UserList() -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let filter = RwSignal::new(UserFilter::Active);
    let page = RwSignal::new(1_u32);
    let users = LocalResource::new(move || {
        let (query, filter, page) = (query.get(), filter.get(), page.get());
        async move { api::users::list(&query, filter, page, PER_PAGE).await }
    });
    let total = Signal::derive(move || {
        users.get().and_then(|result| result.ok()).map_or(0, |page| page.total)
    });
    let on_search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        page.set(1);
        query.set(typed.get_untracked());
    };
    let on_filter = move |event| {
        page.set(1);
        filter.set(parse_filter(&event_target_value(&event)));
    };

    view! {
        <section class="users">
            <header class="page-header">
                <h1>"Users"</h1>
                <a class="button button--primary" id="new-user" href="/users/new">"New user"</a>
            </header>
            <form class="toolbar" role="search" on:submit=on_search>
                <label class="field__label" for="user-search">"Search"</label>
                <input class="field__input" id="user-search" type="search" bind:value=typed/>
                <label class="field__label" for="user-status">"Status"</label>
                <select class="field__input" id="user-status" on:change=on_filter>
                    <option value="active">"Active"</option>
                    <option value="pending_deletion">"Pending deletion"</option>
                    <option value="all">"All"</option>
                </select>
                <button class="button" type="submit">"Search"</button>
            </form>
            <Suspense fallback=|| view! { <p>"Loading users…"</p> }>
                {move || {
                    users
                        .get()
                        .map(|result| match result {
                            Ok(page) => view! { <UsersTable users=page.items/> }.into_any(),
                            Err(error) => view! { <ProblemView error/> }.into_any(),
                        })
                }}
            </Suspense>
            <Pager page total per_page=PER_PAGE/>
        </section>
    }
}

/// One row per user, with the login id linking to the user's page.
#[component]
fn UsersTable(
    /// The users of the current page.
    users: Vec<User>,
) -> impl IntoView {
    if users.is_empty() {
        return view! { <p class="users__empty">"No users match."</p> }.into_any();
    }
    let rows = users
        .into_iter()
        .map(|user| {
            let name = display_name(&user);
            view! {
                <tr class="users-table__row">
                    <td>
                        <a href=format!("/users/{}", user.id)>{user.fields.login_id.clone()}</a>
                    </td>
                    <td>{name}</td>
                    <td>{user.fields.email.clone()}</td>
                    <td>{user.status.title()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table users-table">
            <thead>
                <tr>
                    <th scope="col">"Login ID"</th>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
