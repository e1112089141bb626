//! A bounded view of a CSV validation report: every count, but only the
//! first findings of each kind. A file with 100,000 bad rows has 100,000
//! findings, and sending or rendering all of them at once would block the
//! page for seconds, so the rest are read a page at a time.

use gatehouse_core::csv::CsvReport;
use gatehouse_core::{Finding, Severity};
use serde::{Deserialize, Serialize};

/// Findings of each kind that a digest keeps.
pub const FIRST_FINDINGS_PER_KIND: usize = 20;

/// Findings per page once a person requests all findings of a kind.
pub const FINDINGS_PAGE_SIZE: u32 = 100;

/// One kind of finding: a code at one severity, with how often it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCount {
    pub severity: Severity,
    pub code: String,
    pub total: u32,
}

impl KindCount {
    /// Whether `finding` is of this kind.
    pub fn matches(&self, finding: &Finding) -> bool {
        finding.severity == self.severity && finding.code == self.code
    }
}

/// A report whose `findings` hold only the first [`FIRST_FINDINGS_PER_KIND`]
/// findings of each kind, in the report's order; `report.counts` and `kinds`
/// still count all of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDigest {
    pub report: CsvReport,
    /// The kinds, errors first, then warnings, then notices; within a
    /// severity in the order their first finding appears in the report.
    pub kinds: Vec<KindCount>,
}

impl ReportDigest {
    /// Builds the digest of a report, leaving the full report untouched.
    pub fn of(report: &CsvReport) -> ReportDigest {
        let mut kinds: Vec<KindCount> = Vec::new();
        let mut first_findings = Vec::new();
        for finding in &report.findings {
            let position = kinds.iter().position(|kind| kind.matches(finding));
            let kind = match position {
                Some(position) => &mut kinds[position],
                None => {
                    kinds.push(KindCount {
                        severity: finding.severity,
                        code: finding.code.to_string(),
                        total: 0,
                    });
                    let last = kinds.len() - 1;
                    &mut kinds[last]
                }
            };
            kind.total += 1;
            if kind.total as usize <= FIRST_FINDINGS_PER_KIND {
                first_findings.push(finding.clone());
            }
        }
        // A stable sort, so kinds of one severity keep the report's order.
        kinds.sort_by_key(|kind| kind.severity);
        let mut digest_report = report.clone_without_findings();
        digest_report.findings = first_findings;
        ReportDigest { report: digest_report, kinds }
    }

    /// The findings of `kind` that the digest holds.
    pub fn first_of<'a>(&'a self, kind: &'a KindCount) -> impl Iterator<Item = &'a Finding> {
        self.report.findings.iter().filter(move |finding| kind.matches(finding))
    }
}

/// Copies every field of a report except its findings.
trait CloneWithoutFindings {
    fn clone_without_findings(&self) -> CsvReport;
}

impl CloneWithoutFindings for CsvReport {
    fn clone_without_findings(&self) -> CsvReport {
        CsvReport {
            kind: self.kind,
            encoding: self.encoding,
            delimiter: self.delimiter,
            rows: self.rows,
            valid_rows: self.valid_rows,
            findings: Vec::new(),
            counts: self.counts,
            changes: self.changes,
            columns: self.columns.clone(),
        }
    }
}

/// A request for one page of the findings of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingsPageRequest {
    pub severity: Severity,
    pub code: String,
    /// Findings of this kind to skip, counted from 0.
    pub offset: u32,
    pub limit: u32,
}

/// Returns the findings of a page request out of the full list, in order.
pub fn findings_page(findings: &[Finding], request: &FindingsPageRequest) -> Vec<Finding> {
    findings
        .iter()
        .filter(|finding| finding.severity == request.severity && finding.code == request.code)
        .skip(request.offset as usize)
        .take(request.limit as usize)
        .cloned()
        .collect()
}
