//! The bulk import area: a landing page that documents each kind of file,
//! and one import page per kind.

pub mod page;

use gatehouse_core::csv::CsvKind;
use leptos::prelude::*;

use crate::import_kind::{self, ColumnDoc};

/// Every kind of import file with its page, template and columns.
#[component]
pub fn BulkImportHome() -> impl IntoView {
    let kinds = CsvKind::ALL.into_iter().map(|kind| view! { <KindSection kind/> }).collect_view();
    view! {
        <section class="bulk-import">
            <h1>"Bulk import"</h1>
            <p>
                "Each file is checked in your browser first, then against this tenant, and "
                "nothing changes until you confirm. Files may be UTF-8, with or without a "
                "byte-order mark, UTF-16 with a byte-order mark, or Shift_JIS, and may use "
                "commas, semicolons or tabs."
            </p>
            <p>
                "Header names are matched without regard to letter case, spaces, hyphens or "
                "full-width letters, so " <code>"Login ID"</code> " and " <code>"ｌｏｇｉｎ＿ｉｄ"</code>
                " both mean " <code>"login_id"</code>
                ". Columns with other names are ignored. The page shows how it read your header "
                "after the check."
            </p>
            {kinds}
        </section>
    }
}

/// One kind: what it does, its links and its columns.
#[component]
fn KindSection(
    /// The kind of file to describe.
    kind: CsvKind,
) -> impl IntoView {
    let slug = kind.as_str().replace('_', "-");
    let actions = import_kind::actions(kind)
        .iter()
        .map(|action| view! { <code>{*action}</code> " " })
        .collect_view();
    view! {
        <section class="bulk-import__kind" id=format!("kind-{slug}")>
            <h2>
                <a href=import_kind::page_route(kind) id=format!("import-{slug}-link")>
                    {import_kind::title(kind)}
                </a>
            </h2>
            <p>
                {import_kind::summary(kind)} " Actions: " {actions} "· "
                <a
                    href=import_kind::template_url(kind)
                    download=import_kind::template_file_name(kind)
                    id=format!("template-{slug}")
                >
                    "Download the template"
                </a>
            </p>
            <ColumnTable kind columns=import_kind::columns(kind)/>
        </section>
    }
}

/// The columns of one kind: header, when it is required, what it contains and
/// the other header names accepted for it.
#[component]
fn ColumnTable(
    /// The kind, which names the table.
    kind: CsvKind,
    /// The kind's columns in template order.
    columns: Vec<ColumnDoc>,
) -> impl IntoView {
    let rows = columns
        .into_iter()
        .map(|column| {
            let aliases = column
                .aliases
                .iter()
                .map(|alias| view! { <code class="bulk-import__alias">{*alias}</code> " " })
                .collect_view();
            view! {
                <tr>
                    <th scope="row"><code>{column.name}</code></th>
                    <td>{column.required}</td>
                    <td>{column.meaning}</td>
                    <td>{aliases}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="table bulk-import__columns">
                <caption>{format!("Columns of a {} file", import_kind::noun(kind))}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Header"</th>
                        <th scope="col">"Required in"</th>
                        <th scope="col">"What it contains"</th>
                        <th scope="col">"Also accepted"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
