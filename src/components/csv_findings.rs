//! The findings of a CSV validation: counts by severity and by kind, the
//! first findings of each kind with a control to page through all of them,
//! and the column mapping.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use gatehouse_core::csv::{ColumnMapping, CsvReport};
use gatehouse_core::{Finding, Severity};
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use crate::format::pluralize;
use crate::report_digest::{
    findings_page, FindingsPageRequest, KindCount, ReportDigest, FINDINGS_PAGE_SIZE,
};

/// Formats the physical lines of a finding: "3" for one line, "2–3" when a
/// quoted value spans lines, empty for file-level findings.
pub fn format_lines(finding: &Finding) -> String {
    match (finding.line_start, finding.line_end) {
        (Some(start), Some(end)) if end > start => format!("{start}–{end}"),
        (Some(start), _) => start.to_string(),
        (None, _) => String::new(),
    }
}

/// The result of fetching one page of findings.
pub type FindingsPageFuture = Pin<Box<dyn Future<Output = Result<Vec<Finding>, String>>>>;

/// The source of the findings beyond a digest's first findings of each
/// kind: the full report in memory, or the validation worker that keeps them.
#[derive(Clone)]
pub struct FindingsSource(SendWrapper<Rc<dyn Fn(FindingsPageRequest) -> FindingsPageFuture>>);

impl FindingsSource {
    /// Serves pages out of the full list of findings.
    pub fn in_memory(findings: Vec<Finding>) -> FindingsSource {
        let findings = Rc::new(findings);
        FindingsSource::new(move |request| {
            let page = findings_page(&findings, &request);
            Box::pin(async move { Ok(page) })
        })
    }

    /// Serves pages with `fetch`, such as a request to a worker.
    pub fn new(fetch: impl Fn(FindingsPageRequest) -> FindingsPageFuture + 'static) -> Self {
        FindingsSource(SendWrapper::new(Rc::new(fetch)))
    }

    fn fetch(&self, request: FindingsPageRequest) -> FindingsPageFuture {
        (self.0)(request)
    }
}

/// The findings of a report that is fully in memory, such as the server's.
#[component]
pub fn CsvFindings(
    /// The validation report to show.
    report: CsvReport,
) -> impl IntoView {
    let digest = ReportDigest::of(&report);
    let source = FindingsSource::in_memory(report.findings);
    view! { <CsvFindingsDigest digest source/> }
}

/// Counts by severity and kind, a table of the first findings of each kind,
/// and the column mapping.
#[component]
pub fn CsvFindingsDigest(
    /// The counts and the first findings of each kind.
    digest: ReportDigest,
    /// Where "Show all" gets the remaining findings.
    source: FindingsSource,
) -> impl IntoView {
    let counts = digest.report.counts;
    let kinds = digest
        .kinds
        .iter()
        .map(|kind| {
            let first: Vec<Finding> = digest.first_of(kind).cloned().collect();
            view! { <FindingsOfKind kind=kind.clone() first source=source.clone()/> }
        })
        .collect_view();
    let none =
        digest.kinds.is_empty().then(|| view! { <p class="findings__none">"No findings."</p> });
    view! {
        <section class="findings" aria-label="Validation findings">
            <ul class="findings__counts">
                <li class="findings__count findings__count--error" id="findings-errors">
                    {pluralize(counts.errors, "error", "errors")}
                </li>
                <li class="findings__count findings__count--warning" id="findings-warnings">
                    {pluralize(counts.warnings, "warning", "warnings")}
                </li>
                <li class="findings__count findings__count--notice" id="findings-notices">
                    {pluralize(counts.notices, "notice", "notices")}
                </li>
            </ul>
            <KindCounts kinds=digest.kinds.clone()/>
            {none}
            {kinds}
            <ColumnMap columns=digest.report.columns/>
        </section>
    }
}

/// How many findings of each kind the report has.
#[component]
fn KindCounts(
    /// The kinds in report order.
    kinds: Vec<KindCount>,
) -> impl IntoView {
    if kinds.is_empty() {
        return ().into_any();
    }
    let rows = kinds
        .into_iter()
        .map(|kind| {
            view! {
                <tr class=severity_class(kind.severity)>
                    <td class="findings__severity">{kind.severity.as_str()}</td>
                    <td><code>{kind.code}</code></td>
                    <td class="findings-kinds__total">{kind.total}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table findings-kinds" id="findings-kinds">
            <caption>"Findings by kind"</caption>
            <thead>
                <tr>
                    <th scope="col">"Severity"</th>
                    <th scope="col">"Kind"</th>
                    <th scope="col">"Count"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// The content of a kind's table.
#[derive(Debug, Clone, PartialEq)]
enum KindView {
    /// The digest's first findings.
    First,
    /// A page of all findings, counted from 0, while it loads.
    Loading(u32),
    /// A loaded page.
    Page(u32, Vec<Finding>),
    /// A page that failed to load, with the reason.
    Failed(u32, String),
}

/// The findings of one kind: the first ones, and "Show all N" to page
/// through every one. Pages keep the page fast, because a table of 100,000
/// rows would take seconds to render.
#[component]
fn FindingsOfKind(
    /// The kind with its total.
    kind: KindCount,
    /// The first findings of the kind, from the digest.
    first: Vec<Finding>,
    /// Where the other findings come from.
    source: FindingsSource,
) -> impl IntoView {
    let mode = RwSignal::new(KindView::First);
    let total = kind.total;
    let pages = total.div_ceil(FINDINGS_PAGE_SIZE).max(1);
    let has_more = total as usize > first.len();
    let first_count = first.len();
    let source = StoredValue::new(source);
    let request_kind = kind.clone();
    let load = move |page: u32| {
        mode.set(KindView::Loading(page));
        let request = FindingsPageRequest {
            severity: request_kind.severity,
            code: request_kind.code.clone(),
            offset: page * FINDINGS_PAGE_SIZE,
            limit: FINDINGS_PAGE_SIZE,
        };
        let future = source.with_value(|source| source.fetch(request));
        spawn_local(async move {
            let result = future.await;
            // A later click may have asked for another page meanwhile.
            if mode.get_untracked() != KindView::Loading(page) {
                return;
            }
            mode.set(match result {
                Ok(findings) => KindView::Page(page, findings),
                Err(reason) => KindView::Failed(page, reason),
            });
        });
    };
    let load = StoredValue::new(load);
    let go = move |page: u32| load.with_value(|load| load(page));

    let severity = kind.severity.as_str();
    let title = format!("{} — {}", kind.code, pluralize(total, severity, &format!("{severity}s")));
    let table = move || match mode.get() {
        KindView::First => view! { <FindingsTable findings=first.clone()/> }.into_any(),
        KindView::Page(_, findings) => view! { <FindingsTable findings/> }.into_any(),
        KindView::Loading(_) => {
            view! { <p class="findings-kind__status">"Loading findings…"</p> }.into_any()
        }
        KindView::Failed(_, reason) => view! {
            <p class="problem" role="alert">{format!("Loading the findings failed: {reason}")}</p>
        }
        .into_any(),
    };
    let controls = move || {
        if !has_more {
            return ().into_any();
        }
        match mode.get() {
            KindView::First => view! {
                <button
                    class="button findings-kind__show-all"
                    type="button"
                    on:click=move |_| go(0)
                >
                    {format!("Show all {total}")}
                </button>
            }
            .into_any(),
            KindView::Loading(page) | KindView::Page(page, _) | KindView::Failed(page, _) => {
                let from = page * FINDINGS_PAGE_SIZE + 1;
                let to = ((page + 1) * FINDINGS_PAGE_SIZE).min(total);
                view! {
                    <nav class="pager findings-kind__pager" aria-label="Pages of findings">
                        <button
                            class="button findings-kind__previous"
                            type="button"
                            disabled={page == 0}
                            on:click=move |_| go(page.saturating_sub(1))
                        >
                            "Previous"
                        </button>
                        <span class="pager__status findings-kind__range">
                            {format!("{from}–{to} of {total} (page {} of {pages})", page + 1)}
                        </span>
                        <button
                            class="button findings-kind__next"
                            type="button"
                            disabled={page + 1 >= pages}
                            on:click=move |_| go(page + 1)
                        >
                            "Next"
                        </button>
                        <button
                            class="button findings-kind__show-first"
                            type="button"
                            on:click=move |_| mode.set(KindView::First)
                        >
                            {format!("Show the first {first_count} only")}
                        </button>
                    </nav>
                }
                .into_any()
            }
        }
    };
    view! {
        <section
            class="findings-kind"
            data-severity=kind.severity.as_str()
            data-code=kind.code.clone()
        >
            <h3 class="findings-kind__title">{title}</h3>
            {table}
            {controls}
        </section>
    }
}

/// One row per finding, in the report's order.
#[component]
fn FindingsTable(
    /// The findings to list.
    findings: Vec<Finding>,
) -> impl IntoView {
    let rows = findings
        .into_iter()
        .map(|finding| {
            let severity = finding.severity;
            let lines = format_lines(&finding);
            view! {
                <tr class=severity_class(severity)>
                    <td class="findings__severity">{severity.as_str()}</td>
                    <td>{finding.row.map(|row| row.to_string())}</td>
                    <td>{lines}</td>
                    <td>{finding.column}</td>
                    <td>{finding.message}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table findings-table">
            <thead>
                <tr>
                    <th scope="col">"Severity"</th>
                    <th scope="col">"Row"</th>
                    <th scope="col">"Lines"</th>
                    <th scope="col">"Column"</th>
                    <th scope="col">"Message"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The CSS class of a findings table row.
fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "findings__row findings__row--error",
        Severity::Warning => "findings__row findings__row--warning",
        Severity::Notice => "findings__row findings__row--notice",
    }
}

/// Which field each header cell was read as; unmapped columns are ignored.
#[component]
fn ColumnMap(
    /// The header cells with their fields.
    columns: Vec<ColumnMapping>,
) -> impl IntoView {
    if columns.is_empty() {
        return ().into_any();
    }
    let rows = columns
        .into_iter()
        .map(|column| {
            let field = column.field.unwrap_or_else(|| "(ignored)".to_owned());
            view! {
                <tr>
                    <td>{column.header}</td>
                    <td>{field}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table column-map" id="column-map">
            <caption>"How the header was read"</caption>
            <thead>
                <tr>
                    <th scope="col">"Header"</th>
                    <th scope="col">"Field"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
