//! Runs the built `gatehouse-server check-csv` to prove the subcommand is
//! wired to the check and that its exit code reaches the shell.

// Tests fail through unwrap and expect, which the workspace lints deny outside tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/csv").join(name)
}

#[test]
fn binary_reports_case_duplicate() {
    let output = Command::new(env!("CARGO_BIN_EXE_gatehouse-server"))
        .args(["check-csv", "--kind", "users"])
        .arg(fixture("users-case-duplicates.csv"))
        .output()
        .expect("gatehouse-server starts");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("stdout is a JSON report");
    assert_eq!(report["rows"], 3);
    let findings = report["findings"].as_array().expect("findings is an array");
    let duplicate = findings
        .iter()
        .find(|finding| finding["code"] == "duplicate_key")
        .unwrap_or_else(|| panic!("no duplicate_key finding in {report:#}"));
    assert_eq!(duplicate["row"], 3);
    assert_eq!(duplicate["line_start"], 3);
}

#[test]
fn binary_exits_two_for_missing_file() {
    let output = Command::new(env!("CARGO_BIN_EXE_gatehouse-server"))
        .args(["check-csv", "--kind", "groups", "/nonexistent/groups.csv"])
        .output()
        .expect("gatehouse-server starts");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(output.stdout.is_empty());
    assert!(stderr.contains("/nonexistent/groups.csv"), "{stderr}");
}

#[test]
fn binary_reports_file_over_limit_in_bytes() {
    let directory =
        std::env::temp_dir().join(format!("gatehouse-check-csv-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("large.csv");
    // A sparse file one byte over the limit takes no disk space.
    let size = gatehouse_core::csv::MAX_FILE_BYTES as u64 + 1;
    std::fs::File::create(&path).unwrap().set_len(size).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_gatehouse-server"))
        .args(["check-csv", "--kind", "users"])
        .arg(&path)
        .output()
        .expect("gatehouse-server starts");
    std::fs::remove_dir_all(&directory).unwrap();

    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("stdout is a JSON report");
    assert_eq!(report["findings"][0]["code"], "file_too_large");
    assert_eq!(
        report["findings"][0]["message"],
        "The file is 268435457 bytes (256.0 MiB); the maximum is 268435456 bytes (256 MiB). \
         Split it into smaller files."
    );
}
