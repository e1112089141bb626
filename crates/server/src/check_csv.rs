//! The `check-csv` command: validates an import file with the same rules as
//! the console and the server and prints the report as JSON, so that
//! administrators' scripts can check a file before uploading it.
//!
//! Exit codes: 0 when the file has no errors (warnings and notices allowed),
//! 1 when it has errors, 2 when the file cannot be read or the report cannot
//! be written.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::Args;
use gatehouse_core::csv::{
    groups, members, users, ChangeCounts, CsvKind, CsvReport, MAX_FILE_BYTES,
};
use gatehouse_core::{Finding, Severity};
use gatehouse_server::shift_jis::decode_cp932;

/// Exit code of a file without errors.
pub(crate) const EXIT_VALID: u8 = 0;
/// Exit code of a file with at least one error finding.
pub(crate) const EXIT_INVALID: u8 = 1;
/// Exit code when the file cannot be read or the report cannot be written.
pub(crate) const EXIT_UNREADABLE: u8 = 2;

/// Validates a CSV import file and prints the report as JSON on standard output.
#[derive(Debug, Args)]
pub(crate) struct CheckCsvArguments {
    /// Import format of the file.
    #[arg(long, value_parser = kind_parser())]
    pub kind: CsvKind,
    /// CSV file to validate (UTF-8, UTF-8 with BOM, UTF-16 with BOM or Shift_JIS/CP932).
    pub file: PathBuf,
}

/// Accepts the identifiers of [`CsvKind::as_str`], so `--help` lists them.
fn kind_parser() -> impl TypedValueParser<Value = CsvKind> {
    PossibleValuesParser::new(CsvKind::ALL.map(CsvKind::as_str)).try_map(|name: String| {
        CsvKind::parse(&name).ok_or_else(|| format!("unknown CSV kind `{name}`"))
    })
}

/// Validates `path` as a file of `kind`, writes the JSON report to `stdout`
/// and returns the exit code. Read and write failures go to `stderr`.
pub(crate) fn check_file(
    kind: CsvKind,
    path: &Path,
    stdout: &mut impl Write,
    stderr: &mut impl Write,
) -> u8 {
    let report = match read_limited(path) {
        Ok(FileContents::Bytes(bytes)) => validate(kind, &bytes),
        Ok(FileContents::TooLarge(size)) => too_large_report(kind, size),
        Err(error) => {
            // Nothing more can be reported when stderr itself fails.
            let _ = writeln!(stderr, "check-csv: failed to read {}: {error}", path.display());
            return EXIT_UNREADABLE;
        }
    };
    let written = serde_json::to_writer_pretty(&mut *stdout, &report)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(stdout))
        .and_then(|()| stdout.flush());
    if let Err(error) = written {
        let _ = writeln!(
            stderr,
            "check-csv: failed to write the report of {}: {error}",
            path.display()
        );
        return EXIT_UNREADABLE;
    }
    if report.has_errors() {
        EXIT_INVALID
    } else {
        EXIT_VALID
    }
}

enum FileContents {
    Bytes(Vec<u8>),
    /// The file is larger than [`MAX_FILE_BYTES`]; the value is its size in bytes.
    TooLarge(u64),
}

/// Reads at most one byte more than [`MAX_FILE_BYTES`], so that an oversized
/// file is rejected without loading all of it into memory.
fn read_limited(path: &Path) -> std::io::Result<FileContents> {
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    let limit = MAX_FILE_BYTES as u64;
    let mut bytes = Vec::with_capacity(usize::try_from(size.min(limit + 1)).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Ok(FileContents::TooLarge(size.max(bytes.len() as u64)));
    }
    Ok(FileContents::Bytes(bytes))
}

fn validate(kind: CsvKind, bytes: &[u8]) -> CsvReport {
    match kind {
        CsvKind::Users => users::report_bytes(bytes, &decode_cp932, &mut |_| {}),
        CsvKind::Groups => groups::report_bytes(bytes, &decode_cp932, &mut |_| {}),
        CsvKind::GroupMembers => members::report_bytes(bytes, &decode_cp932, &mut |_| {}),
    }
}

/// Builds the report of a file over [`MAX_FILE_BYTES`] with its real size,
/// which the core cannot state because it receives only the bytes read.
fn too_large_report(kind: CsvKind, size: u64) -> CsvReport {
    let message = gatehouse_core::csv::file_too_large_message(size);
    let mut report = CsvReport {
        kind,
        encoding: None,
        delimiter: ',',
        rows: 0,
        valid_rows: 0,
        findings: vec![Finding::new(Severity::Error, "file_too_large", message)],
        counts: Default::default(),
        changes: ChangeCounts::default(),
        columns: Vec::new(),
    };
    report.recount();
    report
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use serde_json::Value;

    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/csv").join(name)
    }

    /// Runs the check and returns the exit code, the parsed report (`Null`
    /// when nothing was printed) and the standard error text.
    fn check(kind: CsvKind, path: &Path) -> (u8, Value, String) {
        let mut stdout = Vec::new();
        let mut stderr = Vec::new();
        let code = check_file(kind, path, &mut stdout, &mut stderr);
        let report = if stdout.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&stdout).expect("stdout is JSON")
        };
        (code, report, String::from_utf8(stderr).expect("stderr is UTF-8"))
    }

    fn error_codes(report: &Value) -> Vec<String> {
        report["findings"]
            .as_array()
            .expect("findings is an array")
            .iter()
            .filter(|finding| finding["severity"] == "error")
            .map(|finding| finding["code"].as_str().expect("code is a string").to_owned())
            .collect()
    }

    #[test]
    fn clean_users_file_exits_zero() {
        let (code, report, stderr) = check(CsvKind::Users, &fixture("users-bom-crlf.csv"));
        assert_eq!(code, EXIT_VALID, "{report:#}");
        assert_eq!(report["encoding"], "utf8_bom");
        assert_eq!(report["delimiter"], ",");
        assert_eq!(report["rows"], 2);
        assert_eq!(report["valid_rows"], 2);
        assert_eq!(error_codes(&report), Vec::<String>::new());
        assert_eq!(stderr, "");
    }

    #[test]
    fn case_duplicate_exits_one_at_row_three() {
        let (code, report, _) = check(CsvKind::Users, &fixture("users-case-duplicates.csv"));
        assert_eq!(code, EXIT_INVALID, "{report:#}");
        let findings = report["findings"].as_array().expect("findings is an array");
        let duplicate = findings
            .iter()
            .find(|finding| finding["code"] == "duplicate_key")
            .unwrap_or_else(|| panic!("no duplicate_key finding in {report:#}"));
        assert_eq!(duplicate["severity"], "error");
        assert_eq!(duplicate["row"], 3);
        assert_eq!(duplicate["line_start"], 3);
        assert_eq!(duplicate["line_end"], 3);
        assert_eq!(duplicate["column"], "email");
        assert!(
            duplicate["message"].as_str().expect("message is a string").contains("row 2"),
            "{duplicate:#}"
        );
    }

    #[test]
    fn missing_file_exits_two_naming_it() {
        let path = fixture("no-such-file.csv");
        let (code, report, stderr) = check(CsvKind::Users, &path);
        assert_eq!(code, EXIT_UNREADABLE);
        assert_eq!(report, Value::Null);
        assert!(stderr.contains("no-such-file.csv"), "{stderr}");
        let os_error = File::open(&path).expect_err("the fixture does not exist").to_string();
        assert!(stderr.contains(&os_error), "{stderr}");
    }

    #[test]
    fn groups_file_reports_duplicate_group() {
        let (code, report, _) = check(CsvKind::Groups, &fixture("groups-basic.csv"));
        assert_eq!(code, EXIT_INVALID, "{report:#}");
        assert_eq!(report["kind"], "groups");
        assert_eq!(report["rows"], 3);
        let codes = error_codes(&report);
        assert!(codes.contains(&"duplicate_key".to_owned()), "{report:#}");
    }

    #[test]
    fn members_file_reports_unknown_action() {
        let (code, report, _) = check(CsvKind::GroupMembers, &fixture("group-members-basic.csv"));
        assert_eq!(code, EXIT_INVALID, "{report:#}");
        assert_eq!(report["kind"], "group_members");
        assert_eq!(report["rows"], 4);
        let codes = error_codes(&report);
        assert!(codes.contains(&"invalid_action".to_owned()), "{report:#}");
        assert!(codes.contains(&"duplicate_key".to_owned()), "{report:#}");
    }

    #[test]
    fn users_header_checked_as_groups_fails() {
        let (code, report, _) = check(CsvKind::Groups, &fixture("users-bom-crlf.csv"));
        assert_eq!(code, EXIT_INVALID);
        assert!(error_codes(&report).contains(&"missing_header".to_owned()), "{report:#}");
    }

    #[test]
    fn shift_jis_file_is_decoded() {
        let (_, report, _) = check(CsvKind::Users, &fixture("users-shift-jis.csv"));
        assert_eq!(report["encoding"], "shift_jis");
        assert!(report["rows"].as_u64().expect("rows is a number") > 0, "{report:#}");
        assert!(!error_codes(&report).contains(&"undecodable".to_owned()), "{report:#}");
    }

    #[test]
    fn server_flags_still_parse_without_subcommand() {
        let arguments = crate::Arguments::try_parse_from([
            "gatehouse-server",
            "--listen",
            "127.0.0.1:0",
            "--dist",
            "dist",
        ])
        .expect("server flags parse");
        assert!(arguments.command.is_none());
        assert_eq!(arguments.listen.to_string(), "127.0.0.1:0");
    }

    #[test]
    fn check_csv_rejects_server_flags() {
        let parsed = crate::Arguments::try_parse_from([
            "gatehouse-server",
            "--listen",
            "127.0.0.1:0",
            "check-csv",
            "--kind",
            "users",
            "users.csv",
        ]);
        assert!(parsed.is_err());
    }

    #[test]
    fn check_csv_subcommand_parses() {
        let arguments = crate::Arguments::try_parse_from([
            "gatehouse-server",
            "check-csv",
            "--kind",
            "group_members",
            "members.csv",
        ])
        .expect("check-csv parses");
        let Some(crate::Command::CheckCsv(check)) = arguments.command else {
            panic!("check-csv was not parsed as the subcommand: {arguments:?}");
        };
        assert_eq!(check.kind, CsvKind::GroupMembers);
        assert_eq!(check.file, Path::new("members.csv"));
    }

    #[test]
    fn unknown_kind_is_rejected() {
        let parsed = crate::Arguments::try_parse_from([
            "gatehouse-server",
            "check-csv",
            "--kind",
            "members",
            "members.csv",
        ]);
        assert!(parsed.is_err());
    }

    #[test]
    fn kind_parser_accepts_group_members() {
        let command = clap::Command::new("test")
            .arg(clap::Arg::new("kind").long("kind").value_parser(kind_parser()));
        let matches = command.try_get_matches_from(["test", "--kind", "group_members"]);
        let matches = matches.expect("group_members parses");
        assert_eq!(matches.get_one::<CsvKind>("kind"), Some(&CsvKind::GroupMembers));
    }
}
