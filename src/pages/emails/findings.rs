//! The findings of a template check, each with its part, line and column.

use gatehouse_core::emails::TemplateFinding;
use gatehouse_core::Severity;
use leptos::prelude::*;

/// Describes where a finding is, such as "The HTML body, line 3, column 7".
pub fn finding_place(finding: &TemplateFinding) -> String {
    let part = finding.part.label();
    match (finding.line, finding.column) {
        (Some(line), Some(column)) => format!("{part}, line {line}, column {column}"),
        (Some(line), None) => format!("{part}, line {line}"),
        _ => part.to_owned(),
    }
}

fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
        Severity::Notice => "Notice",
    }
}

/// The list of findings, or a line saying there are none.
#[component]
pub fn TemplateFindings(
    /// Element id of the list.
    id: &'static str,
    #[prop(into)] findings: Signal<Vec<TemplateFinding>>,
) -> impl IntoView {
    let items = move || {
        findings
            .get()
            .into_iter()
            .map(|finding| {
                let severity = severity_label(finding.severity);
                let class =
                    format!("template-finding template-finding--{}", severity.to_lowercase());
                view! {
                    <li class=class>
                        <span class="template-finding__severity">{severity}</span>
                        " "
                        <span class="template-finding__place">{finding_place(&finding)}</span>
                        ": "
                        <span class="template-finding__message">{finding.message}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="template-findings" aria-live="polite">
            <Show
                when=move || findings.with(|findings| !findings.is_empty())
                fallback=move || view! { <p class="template-findings__none" id=id>"No problems found."</p> }
            >
                <ul class="template-findings__list" id=id>{items}</ul>
            </Show>
        </div>
    }
}
