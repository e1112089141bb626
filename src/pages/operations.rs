//! Every operation of the task log, grouped by area, with its form if any.

use gatehouse_core::api::OperationInfo;
use gatehouse_core::catalog::Area;
use leptos::prelude::*;

use crate::api;
use crate::components::problem::ProblemView;
use crate::session::use_session;

/// Fetches the operations and lists them by area with the form totals.
#[component]
pub fn Operations() -> impl IntoView {
    let operations = LocalResource::new(api::operations::list);
    view! {
        <section class="operations">
            <h1>"Operations"</h1>
            <Suspense fallback=|| view! { <p>"Loading operations…"</p> }>
                {move || {
                    operations
                        .get()
                        .map(|result| match result {
                            Ok(list) => view! { <OperationGroups operations=list/> }.into_any(),
                            Err(error) => view! { <ProblemView error/> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

/// The totals line and one table per area.
#[component]
fn OperationGroups(
    /// Every operation as the server listed it.
    operations: Vec<OperationInfo>,
) -> impl IntoView {
    let with_form = operations.iter().filter(|operation| operation.form.is_some()).count();
    let total = operations.len();
    let groups = Area::ALL
        .into_iter()
        .map(|area| {
            let in_area: Vec<OperationInfo> =
                operations.iter().filter(|operation| operation.area == area).cloned().collect();
            view! { <AreaOperations area operations=in_area/> }
        })
        .collect_view();
    view! {
        <p class="operations__total" id="operations-total">
            {format!("{with_form} of {total} operations have a form")}
        </p>
        {groups}
    }
}

/// One area's operations.
#[component]
fn AreaOperations(
    /// The area of this table.
    area: Area,
    /// The area's operations.
    operations: Vec<OperationInfo>,
) -> impl IntoView {
    let session = use_session();
    let rows = operations
        .into_iter()
        .map(|operation| {
            let option = operation.option.map(|option| {
                let availability = if session.has_option(Some(option)) {
                    "this tenant has it"
                } else {
                    "this tenant lacks it"
                };
                format!("{} ({availability})", option.title())
            });
            view! {
                <tr>
                    <td><code>{operation.task_type}</code></td>
                    <td><code>{operation.operation}</code></td>
                    <td>{operation.label}</td>
                    <td>{option.unwrap_or_else(|| "None".to_owned())}</td>
                    <td>{form_link(operation.form, area)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>{area.title()}</h2>
        <table class="table operations-table">
            <thead>
                <tr>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Operation"</th>
                    <th scope="col">"Label"</th>
                    <th scope="col">"Required option"</th>
                    <th scope="col">"Form"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// Renders a link to the operation's form, or "Not built yet" when it has
/// none. A form route with a parameter such as `:id` or `:language` needs a
/// choice first, so the link goes to the area's page where the person makes
/// it: a user from the list, or a template and language from the matrix.
fn form_link(form: Option<String>, area: Area) -> AnyView {
    match form {
        None => view! { <span class="operations__missing">"Not built yet"</span> }.into_any(),
        Some(route) if route.contains(':') => {
            let text = format!("{} (choose there)", area.route());
            view! { <a href=area.route() title=route>{text}</a> }.into_any()
        }
        Some(route) => {
            let text = route.clone();
            view! { <a href=route>{text}</a> }.into_any()
        }
    }
}
