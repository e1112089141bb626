//! The findings of a CSV validation: counts, the findings table and the
//! column mapping.

use gatehouse_core::csv::{ColumnMapping, CsvReport};
use gatehouse_core::{Finding, Severity};
use leptos::prelude::*;

/// Formats the physical lines of a finding: "3" for one line, "2–3" when a
/// quoted value spans lines, empty for file-level findings.
pub fn format_lines(finding: &Finding) -> String {
    match (finding.line_start, finding.line_end) {
        (Some(start), Some(end)) if end > start => format!("{start}–{end}"),
        (Some(start), _) => start.to_string(),
        (None, _) => String::new(),
    }
}

/// Counts by severity, the table of findings and the column mapping.
#[component]
pub fn CsvFindings(
    /// The validation report to show.
    report: CsvReport,
) -> impl IntoView {
    let counts = report.counts;
    view! {
        <section class="findings" aria-label="Validation findings">
            <ul class="findings__counts">
                <li class="findings__count findings__count--error" id="findings-errors">
                    {format!("{} errors", counts.errors)}
                </li>
                <li class="findings__count findings__count--warning" id="findings-warnings">
                    {format!("{} warnings", counts.warnings)}
                </li>
                <li class="findings__count findings__count--notice" id="findings-notices">
                    {format!("{} notices", counts.notices)}
                </li>
            </ul>
            <FindingsTable findings=report.findings/>
            <ColumnMap columns=report.columns/>
        </section>
    }
}

/// One row per finding, in the report's order.
#[component]
fn FindingsTable(
    /// The findings to list.
    findings: Vec<Finding>,
) -> impl IntoView {
    if findings.is_empty() {
        return view! { <p class="findings__none">"No findings."</p> }.into_any();
    }
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
    .into_any()
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
        <table class="table column-map">
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
