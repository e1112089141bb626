//! Remove, restore and erase on a user's page.

use gatehouse_core::api::{User, UserStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiError};
use crate::components::confirm_by_typing::ConfirmByTyping;
use crate::components::dialog::Dialog;
use crate::components::problem::ProblemView;
use crate::session::use_session;

/// The state changes allowed for the user's status. Erase is offered only
/// for users in pending deletion, as the server requires.
#[component]
pub fn UserActions(
    /// The user shown on the page; updated after remove or restore.
    record: RwSignal<User>,
) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let erasing = RwSignal::new(false);

    let change = move |restore: bool| {
        let csrf_token = session.csrf_token();
        let id = record.with_untracked(|user| user.id);
        busy.set(true);
        spawn_local(async move {
            let result = if restore {
                api::users::restore(&csrf_token, id).await
            } else {
                api::users::remove(&csrf_token, id).await
            };
            match result {
                Ok(user) => {
                    error.set(None);
                    record.set(user);
                }
                Err(failure) => error.set(Some(failure)),
            }
            busy.set(false);
        });
    };
    let erase = Callback::new(move |typed: String| {
        let csrf_token = session.csrf_token();
        let id = record.with_untracked(|user| user.id);
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            match api::users::erase(&csrf_token, id, &typed).await {
                Ok(()) => navigate("/users", Default::default()),
                Err(failure) => error.set(Some(failure)),
            }
            busy.set(false);
        });
    });
    let pending = move || record.with(|user| user.status == UserStatus::PendingDeletion);

    view! {
        <section class="user-actions" aria-label="User status">
            <p class="user-actions__status" id="user-status-text">
                {move || format!("Status: {}", record.with(|user| user.status.title()))}
            </p>
            <Show
                when=pending
                fallback=move || {
                    view! {
                        <button
                            class="button"
                            id="remove-user"
                            type="button"
                            disabled=move || busy.get()
                            on:click=move |_| change(false)
                        >
                            "Move to pending deletion"
                        </button>
                    }
                }
            >
                <button
                    class="button"
                    id="restore-user"
                    type="button"
                    disabled=move || busy.get()
                    on:click=move |_| change(true)
                >
                    "Restore"
                </button>
                <button
                    class="button button--danger"
                    id="erase-user"
                    type="button"
                    on:click=move |_| erasing.set(true)
                >
                    "Erase for good…"
                </button>
            </Show>
            <Show when=move || erasing.get() && pending()>
                <Dialog
                    id="erase-dialog"
                    title="Erase this user for good?".to_owned()
                    on_close=Callback::new(move |()| erasing.set(false))
                >
                    <p>"Erasing deletes the user and cannot be undone."</p>
                    <ConfirmByTyping
                        expected=record.with_untracked(|user| user.fields.login_id.clone())
                        button_label="Erase for good"
                        busy=busy
                        on_confirm=erase
                    />
                </Dialog>
            </Show>
            {move || error.get().map(|error| view! { <ProblemView error/> })}
        </section>
    }
}
