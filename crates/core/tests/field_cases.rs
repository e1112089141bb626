//! The group and group member field cases, read from the project's fixtures.

// Fixture helpers fail loudly on purpose.
#![allow(clippy::panic)]

use gatehouse_core::csv::{groups, members};
use gatehouse_core::{Finding, Severity, Stage};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/csv/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

fn no_shift_jis(_: &[u8]) -> Option<String> {
    None
}

fn at_row(findings: &[Finding], row: u32) -> Vec<&Finding> {
    findings.iter().filter(|f| f.row == Some(row)).collect()
}

#[test]
fn groups_duplicate_id_and_empty_update() {
    let validation =
        groups::validate_bytes(&fixture("groups-basic.csv"), &no_shift_jis, &mut |_| {});
    let findings = &validation.report.findings;

    let row3 = at_row(findings, 3);
    assert_eq!(row3.len(), 1);
    assert_eq!(row3[0].code, "duplicate_key");
    assert_eq!(row3[0].stage, Stage::IntegrityCheck);
    assert_eq!(row3[0].column.as_deref(), Some("group_id"));
    assert_eq!(row3[0].message, "Group ID `sales` duplicates row 2; name each group once.");

    let row4 = at_row(findings, 4);
    assert_eq!(row4.len(), 1);
    assert_eq!(row4[0].code, "update_without_change");
    assert_eq!(row4[0].severity, Severity::Warning);

    assert_eq!(validation.report.changes.create, 1);
    assert_eq!(validation.report.changes.update, 0);
}

#[test]
fn members_case_duplicate_and_unknown_action() {
    let validation =
        members::validate_bytes(&fixture("group-members-basic.csv"), &no_shift_jis, &mut |_| {});
    let findings = &validation.report.findings;

    let row3 = at_row(findings, 3);
    assert_eq!(row3.len(), 1);
    assert_eq!(
        row3[0].message,
        "Member `sales / AIKO.TANAKA` duplicates row 2 (`sales / aiko.tanaka`), differing only \
         in letter case; name each membership once."
    );

    let row5 = at_row(findings, 5);
    assert_eq!(row5.len(), 1);
    assert_eq!(row5[0].column.as_deref(), Some("action"));
    assert_eq!(row5[0].message, "The action `join` is unknown; write add or remove.");

    assert_eq!(validation.report.valid_rows, 2);
    assert_eq!(validation.report.changes.create, 1);
    assert_eq!(validation.report.changes.delete, 1);
}
