//! The bulk import area.

pub mod users;

use leptos::prelude::*;

/// The import kinds, with the ones the console cannot import yet.
#[component]
pub fn BulkImportHome() -> impl IntoView {
    view! {
        <section class="bulk-import">
            <h1>"Bulk import"</h1>
            <ul class="bulk-import__kinds">
                <li>
                    <a href="/bulk-import/users" id="import-users-link">"Users"</a>
                    " — create, update or move users to pending deletion from a CSV file."
                </li>
                <li>"Groups — not built yet."</li>
                <li>"Group members — not built yet."</li>
            </ul>
        </section>
    }
}
