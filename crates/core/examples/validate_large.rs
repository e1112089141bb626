//! Generates a users CSV in memory, validates it and prints the file size,
//! the peak resident memory (`VmHWM` from `/proc/self/status`, so Linux
//! only), the time and the size of the typed rows the validation keeps.
//!
//! ```sh
//! cargo run --release -p gatehouse-core --example validate_large -- [ROWS] [MODE]
//! ```
//!
//! `ROWS` defaults to 1,000,000. `MODE` is one of:
//!
//! - `bytes`, the default: a clean file through `users::validate_bytes`, as
//!   the server validates an upload;
//! - `text`: the clean file through `users::validate_text` on the borrowed
//!   text, which skips the decoded copy that `validate_bytes` makes;
//! - `errors`: a file where seven of eight rows have a finding, through
//!   `validate_bytes`;
//! - `report`: the clean file through `users::report_bytes`, which keeps no
//!   typed rows, as the console's worker and `check-csv` validate.
//!
//! `validate_large file PATH` reads a users file from `PATH` instead, such
//! as the one the browser benchmark writes, and validates it like `report`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use gatehouse_core::csv::users::{self, UserRow, UsersValidation};
use gatehouse_core::csv::Encoding;
use gatehouse_core::rules::UserField;

#[path = "../benches/support/users_csv.rs"]
mod users_csv;

const DEFAULT_ROWS: usize = 1_000_000;
const MIB: f64 = 1024.0 * 1024.0;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Bytes,
    Text,
    Errors,
    Report,
}

/// Reads a field such as `VmHWM` from `/proc/self/status`, in bytes.
fn status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn mib(bytes: Option<u64>) -> String {
    bytes.map_or_else(|| "unknown".to_owned(), |bytes| format!("{:.1} MiB", bytes as f64 / MIB))
}

/// The generated file is UTF-8, so the Shift_JIS decoder is never called.
fn no_shift_jis(_: &[u8]) -> Option<String> {
    None
}

/// The input to validate: a generated file of `rows` rows, or the file at a path.
enum Input {
    Generated { rows: usize, mode: Mode },
    File(PathBuf),
}

fn parse_arguments() -> Result<Input, String> {
    let mut arguments = std::env::args().skip(1).peekable();
    if arguments.peek().map(String::as_str) == Some("file") {
        let path = arguments.nth(1).ok_or("`file` needs the path of a users CSV file")?;
        return Ok(Input::File(PathBuf::from(path)));
    }
    let rows = match arguments.next() {
        None => DEFAULT_ROWS,
        Some(text) => text
            .parse()
            .map_err(|error| format!("the row count `{text}` is not a whole number: {error}"))?,
    };
    let mode = match arguments.next().as_deref() {
        None | Some("bytes") => Mode::Bytes,
        Some("text") => Mode::Text,
        Some("errors") => Mode::Errors,
        Some("report") => Mode::Report,
        Some(other) => {
            return Err(format!("unknown mode `{other}`; use bytes, text, errors or report"))
        }
    };
    Ok(Input::Generated { rows, mode })
}

/// Bytes the typed rows request from the allocator: the vector's capacity
/// and the joined field values of every row. Allocator overhead per row
/// comes on top.
fn typed_row_bytes(rows: &Vec<UserRow>) -> (usize, usize) {
    let structs = rows.capacity() * std::mem::size_of::<UserRow>();
    let text = rows
        .iter()
        .map(|row| UserField::ALL.iter().map(|&field| row.field(field).len()).sum::<usize>())
        .sum();
    (structs, text)
}

fn main() -> ExitCode {
    let input = match parse_arguments() {
        Ok(input) => input,
        Err(message) => {
            eprintln!("validate_large: {message}");
            return ExitCode::from(2);
        }
    };
    println!("peak before generating: {}", mib(status_bytes("VmHWM:")));

    let started = Instant::now();
    let (text, rows, mode) = match input {
        Input::Generated { rows, mode: Mode::Errors } => {
            (users_csv::invalid_users_csv(rows), rows, Mode::Errors)
        }
        Input::Generated { rows, mode } => (users_csv::valid_users_csv(rows), rows, mode),
        Input::File(path) => match std::fs::read_to_string(&path) {
            Ok(text) => {
                let rows = text.lines().count().saturating_sub(1);
                (text, rows, Mode::Report)
            }
            Err(error) => {
                eprintln!("validate_large: cannot read {}: {error}", path.display());
                return ExitCode::from(2);
            }
        },
    };
    let generated = started.elapsed();
    let size = text.len();
    let peak_with_file = status_bytes("VmHWM:");
    println!(
        "file: {rows} rows, {size} bytes ({:.1} MiB), generated in {:.2} s",
        size as f64 / MIB,
        generated.as_secs_f64()
    );
    println!("peak with the file in memory: {}", mib(peak_with_file));

    let started = Instant::now();
    let validation: UsersValidation = match mode {
        Mode::Text => users::validate_text(&text, Encoding::Utf8),
        Mode::Bytes | Mode::Errors => users::validate_bytes(text.as_bytes(), &no_shift_jis),
        Mode::Report => UsersValidation {
            report: users::report_bytes(text.as_bytes(), &no_shift_jis, &mut |_| {}),
            rows: Vec::new(),
        },
    };
    let validated = started.elapsed();
    let peak = status_bytes("VmHWM:");

    let report = &validation.report;
    println!(
        "validated in {:.2} s ({:.1} MiB/s): {} rows, {} valid, {} errors, {} warnings, \
         {} findings, {} typed rows kept",
        validated.as_secs_f64(),
        size as f64 / MIB / validated.as_secs_f64(),
        report.rows,
        report.valid_rows,
        report.counts.errors,
        report.counts.warnings,
        report.findings.len(),
        validation.rows.len()
    );
    let (structs, fields) = typed_row_bytes(&validation.rows);
    println!(
        "typed rows: {:.1} MiB of structs ({} bytes each) + {:.1} MiB of field text",
        structs as f64 / MIB,
        std::mem::size_of::<UserRow>(),
        fields as f64 / MIB
    );
    println!("resident after validation, result still held: {}", mib(status_bytes("VmRSS:")));
    println!("peak after validation: {}", mib(peak));
    if let Some(peak) = peak {
        println!("peak / file size: {:.2}", peak as f64 / size as f64);
    }
    if let (Some(peak), Some(before)) = (peak, peak_with_file) {
        let added = peak.saturating_sub(before);
        println!(
            "added by validation: {:.1} MiB ({:.2} x the file size)",
            added as f64 / MIB,
            added as f64 / size as f64
        );
    }
    if mode != Mode::Errors && report.counts.errors > 0 {
        eprintln!("validate_large: the clean file has errors: {:?}", report.findings.first());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
