//! Landing pages of the areas that have no forms yet.

use gatehouse_core::catalog::{Area, OPERATIONS};
use leptos::prelude::*;

use crate::session::use_session;

/// Lists an area's operations and says that none has a form yet.
#[component]
pub fn AreaPage(
    /// The area whose operations to list.
    area: Area,
) -> impl IntoView {
    view! {
        <section class="area" id=format!("area-{}", area.route().trim_start_matches('/'))>
            <h1>{area.title()}</h1>
            <p class="area__status">
                "None of these operations has a form in the console yet. "
                "They are listed so you can see what this area will hold."
            </p>
            <AreaOperations area/>
        </section>
    }
}

/// The table of an area's operations from the catalog, leaving out those
/// that need a tenant option this tenant lacks.
#[component]
pub fn AreaOperations(
    /// The area whose operations to list.
    area: Area,
) -> impl IntoView {
    let session = use_session();
    let operations = move || {
        OPERATIONS
            .iter()
            .filter(|spec| spec.area == area && session.has_option(spec.option))
            .map(|spec| {
                view! {
                    <tr>
                        <td><code>{spec.task_type}</code></td>
                        <td><code>{spec.operation}</code></td>
                        <td>{spec.label}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="table-scroll">
            <table class="table area-table">
                <thead>
                    <tr>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Operation"</th>
                        <th scope="col">"What it does"</th>
                    </tr>
                </thead>
                <tbody>{operations}</tbody>
            </table>
        </div>
    }
}
