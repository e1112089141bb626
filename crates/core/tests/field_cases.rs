//! The group and group member field cases, read from the project's fixtures,
//! and checks of the groups and members validators around them.

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

#[test]
fn report_bytes_matches_validate_bytes() {
    let groups_file = fixture("groups-basic.csv");
    let full = groups::validate_bytes(&groups_file, &no_shift_jis, &mut |_| {});
    let report_only = groups::report_bytes(&groups_file, &no_shift_jis, &mut |_| {});
    assert_eq!(report_only, full.report);
    assert!(!full.rows.is_empty());

    let members_file = fixture("group-members-basic.csv");
    let full = members::validate_bytes(&members_file, &no_shift_jis, &mut |_| {});
    let report_only = members::report_bytes(&members_file, &no_shift_jis, &mut |_| {});
    assert_eq!(report_only, full.report);
    assert!(!full.rows.is_empty());
}

#[test]
fn group_conflict_names_first_row_as_typed() {
    let file = b"action,group_id,name\ncreate,Sales,Sales\ndelete,SALES,\n";
    let validation = groups::validate_bytes(file, &no_shift_jis, &mut |_| {});
    let row3 = at_row(&validation.report.findings, 3);
    assert_eq!(row3.len(), 1);
    assert_eq!(row3[0].code, "conflicting_actions");
    assert_eq!(
        row3[0].message,
        "Group ID `SALES` conflicts with row 2 (`Sales`), differing only in letter case, which \
         has the action create; name each group in one row only."
    );
}

#[test]
fn member_pairs_differ_by_where_they_split() {
    let file = b"action,group_id,login_id\nadd,ab,c\nadd,a,bc\n";
    let validation = members::validate_bytes(file, &no_shift_jis, &mut |_| {});
    assert!(validation.report.findings.is_empty(), "{:?}", validation.report.findings);
    assert_eq!(validation.report.valid_rows, 2);
}

#[test]
fn member_case_note_compares_full_ids() {
    let group = "a".repeat(61);
    let group_other_case = format!("{}A", "a".repeat(60));
    let file = format!("action,group_id,login_id\nadd,{group},aiko\nadd,{group_other_case},aiko\n");
    let validation = members::validate_bytes(file.as_bytes(), &no_shift_jis, &mut |_| {});
    let row3 = at_row(&validation.report.findings, 3);
    assert_eq!(row3.len(), 1);
    assert_eq!(row3[0].code, "duplicate_key");
    assert!(row3[0].message.contains("differing only in letter case"), "{}", row3[0].message);
}
