//! Shows a failed API call so the person can act on it and report it.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::session::use_session;

/// The error's title, detail, field errors and request id. A 401 also ends
/// the local session, which makes the shell open the sign-in page.
#[component]
pub fn ProblemView(
    /// The error to show.
    error: ApiError,
) -> impl IntoView {
    let session = use_session();
    if error.is_unauthorized() && session.info.with_untracked(Option::is_some) {
        session.info.set(None);
    }
    let status = error.status().map(|status| format!(" (HTTP {status})")).unwrap_or_default();
    let title = format!("{}{status}", error.title());
    let problem = error.problem().cloned();
    let detail = problem.as_ref().and_then(|problem| problem.detail.clone());
    let errors = problem.as_ref().map(|problem| problem.errors.clone()).unwrap_or_default();
    let request_id = problem.map(|problem| problem.request_id).filter(|id| !id.is_empty());

    view! {
        <div class="problem" role="alert" id="problem">
            <p class="problem__title">{title}</p>
            {detail.map(|detail| view! { <p class="problem__detail">{detail}</p> })}
            {(!errors.is_empty())
                .then(|| {
                    view! {
                        <ul class="problem__errors">
                            {errors
                                .into_iter()
                                .map(|error| {
                                    view! {
                                        <li>
                                            <code>{error.field}</code>
                                            ": "
                                            {error.message}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            {request_id
                .map(|id| {
                    view! {
                        <p class="problem__request-id">
                            "Request ID: " <code class="problem__request-code">{id}</code>
                        </p>
                    }
                })}
        </div>
    }
}
