//! The page at `/emails`: every template the tenant may customize, with
//! the state of each language and a link to its editor.

use gatehouse_core::api::{EmailTemplateState, EmailTemplateSummary};
use leptos::prelude::*;

use super::language_name;
use crate::api;
use crate::components::problem::ProblemView;

/// Returns the label and CSS modifier of a template state.
pub fn state_label(state: EmailTemplateState) -> (&'static str, &'static str) {
    match state {
        EmailTemplateState::Default => ("Default", "default"),
        EmailTemplateState::Customized => ("Customized", "customized"),
        EmailTemplateState::Incomplete => ("Incomplete: needs fixing", "incomplete"),
    }
}

/// Loads and shows the matrix of templates and languages.
#[component]
pub fn EmailsHome() -> impl IntoView {
    let matrix = LocalResource::new(api::emails::matrix);
    view! {
        <section class="area" id="area-emails">
            <h1>"Notification emails"</h1>
            <p>
                "The emails the service sends to users, in Japanese and English. Open a language "
                "to edit its subject and bodies; “Default” means the built-in text is sent."
            </p>
            <Suspense fallback=|| view! { <p>"Loading the templates…"</p> }>
                {move || {
                    matrix
                        .get()
                        .map(|loaded| match loaded {
                            Ok(rows) => view! { <EmailMatrix rows/> }.into_any(),
                            Err(error) => view! { <ProblemView error/> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

/// The table of templates by language; each cell links to its editor.
#[component]
pub fn EmailMatrix(rows: Vec<EmailTemplateSummary>) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|row| {
            let cells = row
                .languages
                .iter()
                .map(|cell| {
                    let (label, modifier) = state_label(cell.state);
                    let href = format!("/emails/{}/{}", row.template.name(), cell.language.code());
                    view! {
                        <td>
                            <a
                                class=format!("email-state email-state--{modifier}")
                                href=href
                                aria-label=format!(
                                    "{} in {}: {label}",
                                    row.title,
                                    language_name(cell.language),
                                )
                            >
                                {label}
                            </a>
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">
                        {row.title.clone()}
                        <code class="email-matrix__name">{row.template.name()}</code>
                    </th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="table email-matrix" id="email-matrix">
                <thead>
                    <tr>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Japanese"</th>
                        <th scope="col">"English"</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}
