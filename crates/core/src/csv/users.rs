//! The users import format and its validation.
//!
//! Header: `action,login_id,email,family_name,given_name,display_name,
//! department,title,phone`. `action` is `create`, `update` or `delete`;
//! `delete` moves the user to pending deletion. An empty cell in an update
//! row leaves that field unchanged.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::encoding::{self, Encoding};
use super::records::{detect_delimiter, RecordReader};
use super::{ChangeCounts, ColumnMapping, CsvKind, CsvReport, MAX_FILE_BYTES};
use crate::api::UserFields;
use crate::finding::{Finding, Severity, Stage};
use crate::rules::{fold_key, UserField};

/// The header of the users format, in order.
pub const HEADER: [&str; 9] = [
    "action",
    "login_id",
    "email",
    "family_name",
    "given_name",
    "display_name",
    "department",
    "title",
    "phone",
];

/// Largest number of data rows in one file.
pub const MAX_ROWS: u32 = 200_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserAction {
    Create,
    Update,
    Delete,
}

impl UserAction {
    pub fn as_str(self) -> &'static str {
        match self {
            UserAction::Create => "create",
            UserAction::Update => "update",
            UserAction::Delete => "delete",
        }
    }

    fn parse(value: &str) -> Option<UserAction> {
        match value.to_ascii_lowercase().as_str() {
            "create" => Some(UserAction::Create),
            "update" => Some(UserAction::Update),
            "delete" => Some(UserAction::Delete),
            _ => None,
        }
    }
}

/// A data row that passed validation, ready to import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub row: u32,
    pub line_start: u32,
    pub action: UserAction,
    pub fields: UserFields,
}

/// A validation report with the rows that passed.
#[derive(Debug, Clone, PartialEq)]
pub struct UsersValidation {
    pub report: CsvReport,
    pub rows: Vec<UserRow>,
}

/// A column of the header: a user field, the action, or a column to ignore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Action,
    Field(UserField),
    Ignored,
}

/// Validates a users file from its raw bytes. `decode_shift_jis` turns CP932
/// bytes into text; it returns `None` when the bytes do not decode.
pub fn validate_bytes(
    bytes: &[u8],
    decode_shift_jis: &dyn Fn(&[u8]) -> Option<String>,
) -> UsersValidation {
    validate_bytes_with_progress(bytes, decode_shift_jis, &mut |_| {})
}

/// Validates like [`validate_bytes`] and calls `progress` every
/// [`PROGRESS_INTERVAL`] records with the share of the decoded text read so
/// far, from 0.0 to 1.0.
pub fn validate_bytes_with_progress(
    bytes: &[u8],
    decode_shift_jis: &dyn Fn(&[u8]) -> Option<String>,
    progress: &mut dyn FnMut(f64),
) -> UsersValidation {
    if bytes.len() > MAX_FILE_BYTES {
        let message = format!(
            "The file is {} MB; the maximum is {} MB. Split it into smaller files.",
            bytes.len() / 1_000_000,
            MAX_FILE_BYTES / 1_000_000
        );
        return failed(None, Finding::new(Severity::Error, "file_too_large", message));
    }
    let encoding = match encoding::detect(bytes) {
        Ok(encoding) => encoding,
        Err(unknown) => {
            let message = format!(
                "Byte 0x{:02X} at offset {} (line {}) is neither UTF-8 nor Shift_JIS. \
                 Save the file again as \"CSV UTF-8\" in Excel, or as UTF-8 in your editor.",
                unknown.byte, unknown.offset, unknown.line
            );
            let mut finding = Finding::new(Severity::Error, "unknown_encoding", message);
            finding.line_start = Some(unknown.line);
            finding.line_end = Some(unknown.line);
            return failed(None, finding);
        }
    };
    let text = match encoding {
        Encoding::ShiftJis => decode_shift_jis(bytes),
        _ => encoding::decode_unicode(bytes, encoding),
    };
    match text {
        Some(text) => validate_text_with_progress(&text, encoding, progress),
        None => {
            let message = format!(
                "The file looks like {} but does not decode as it. Save it again as \"CSV UTF-8\".",
                encoding.title()
            );
            failed(Some(encoding), Finding::new(Severity::Error, "undecodable", message))
        }
    }
}

fn failed(encoding: Option<Encoding>, finding: Finding) -> UsersValidation {
    let mut report = empty_report(encoding, b',');
    report.findings.push(finding);
    report.recount();
    UsersValidation { report, rows: Vec::new() }
}

fn empty_report(encoding: Option<Encoding>, delimiter: u8) -> CsvReport {
    CsvReport {
        kind: CsvKind::Users,
        encoding,
        delimiter: char::from(delimiter),
        rows: 0,
        valid_rows: 0,
        findings: Vec::new(),
        counts: Default::default(),
        changes: ChangeCounts::default(),
        columns: Vec::new(),
    }
}

/// Validates a users file that is already decoded; `encoding` is what the
/// file was encoded in, for the report.
pub fn validate_text(text: &str, encoding: Encoding) -> UsersValidation {
    validate_text_with_progress(text, encoding, &mut |_| {})
}

/// Records between two progress reports.
pub const PROGRESS_INTERVAL: u32 = 5_000;

fn validate_text_with_progress(
    text: &str,
    encoding: Encoding,
    progress: &mut dyn FnMut(f64),
) -> UsersValidation {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let delimiter = detect_delimiter(text);
    let mut validator = Validator::new(empty_report(Some(encoding), delimiter));
    if delimiter != b',' {
        let name = if delimiter == b';' { "semicolons (;)" } else { "tabs" };
        validator.file_finding(
            Severity::Notice,
            "delimiter",
            format!(
                "The file separates values with {name} instead of commas; it was read that way."
            ),
        );
    }

    let mut records = RecordReader::new(text, delimiter);
    match records.next() {
        Some(Ok(header)) => validator.read_header(&header.cells),
        Some(Err(error)) => validator.file_finding(Severity::Error, "unreadable", error),
        None => validator.file_finding(
            Severity::Error,
            "empty_file",
            format!("The file is empty. Its first line must be the header: {}.", HEADER.join(",")),
        ),
    }
    if validator.report.has_errors_now() {
        return validator.finish();
    }

    let mut previous_line_end = 1;
    let total_bytes = text.len().max(1) as f64;
    let mut records_read = 0u32;
    while let Some(record) = records.next() {
        records_read += 1;
        if records_read.is_multiple_of(PROGRESS_INTERVAL) {
            progress(records.bytes_read() as f64 / total_bytes);
        }
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                validator.file_finding(Severity::Error, "unreadable", error);
                break;
            }
        };
        validator.blank_lines += record.line_start.saturating_sub(previous_line_end + 1);
        previous_line_end = record.line_end;
        if record.cells.iter().all(|cell| cell.trim().is_empty()) {
            validator.blank_lines += record.line_end - record.line_start + 1;
            continue;
        }
        if validator.report.rows >= MAX_ROWS {
            validator.file_finding(
                Severity::Error,
                "too_many_rows",
                format!(
                    "The file has more than {MAX_ROWS} data rows. Split it into smaller files."
                ),
            );
            break;
        }
        validator.report.rows += 1;
        // The header is row 1, as in a spreadsheet.
        let row = validator.report.rows + 1;
        validator.read_row(row, &record);
    }
    progress(1.0);
    validator.finish()
}

trait ReportExt {
    fn has_errors_now(&self) -> bool;
}

impl ReportExt for CsvReport {
    fn has_errors_now(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }
}

struct Validator {
    report: CsvReport,
    columns: Vec<Column>,
    rows: Vec<UserRow>,
    blank_lines: u32,
    trimmed_values: u32,
    padded_rows: Vec<u32>,
    /// Folded login id and email, each with the first row that had it.
    seen_login_ids: HashMap<String, (u32, String)>,
    seen_emails: HashMap<String, (u32, String)>,
    has_column: HashMap<UserField, bool>,
    /// Rows whose action needs a column the header lacks, by field.
    missing_required_columns: Vec<UserField>,
}

impl Validator {
    fn new(report: CsvReport) -> Validator {
        Validator {
            report,
            columns: Vec::new(),
            rows: Vec::new(),
            blank_lines: 0,
            trimmed_values: 0,
            padded_rows: Vec::new(),
            seen_login_ids: HashMap::new(),
            seen_emails: HashMap::new(),
            has_column: HashMap::new(),
            missing_required_columns: Vec::new(),
        }
    }

    fn file_finding(&mut self, severity: Severity, code: &str, message: impl Into<String>) {
        self.report.findings.push(Finding::new(severity, code, message));
    }

    fn read_header(&mut self, cells: &[String]) {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut unknown = Vec::new();
        for (index, cell) in cells.iter().enumerate() {
            let name = normalize_header(cell);
            let column = if name == "action" {
                Column::Action
            } else if let Some(field) = UserField::ALL.into_iter().find(|f| f.name() == name) {
                Column::Field(field)
            } else {
                if !name.is_empty() {
                    unknown.push(cell.trim().to_owned());
                }
                Column::Ignored
            };
            if column != Column::Ignored {
                if let Some(first) = seen.insert(name.clone(), index) {
                    self.file_finding(
                        Severity::Error,
                        "duplicate_header",
                        format!(
                            "Columns {} and {} are both `{name}`; keep one of them.",
                            first + 1,
                            index + 1
                        ),
                    );
                }
            }
            if let Column::Field(field) = column {
                self.has_column.insert(field, true);
            }
            self.columns.push(column);
            self.report.columns.push(ColumnMapping {
                header: cell.clone(),
                field: match column {
                    Column::Action => Some("action".to_owned()),
                    Column::Field(field) => Some(field.name().to_owned()),
                    Column::Ignored => None,
                },
            });
        }
        if !unknown.is_empty() {
            self.file_finding(
                Severity::Warning,
                "unknown_header",
                format!(
                    "Column(s) {} are not users fields and will be ignored. The users fields are: {}.",
                    unknown.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", "),
                    HEADER.join(", ")
                ),
            );
        }
        let mut missing = Vec::new();
        if !self.columns.contains(&Column::Action) {
            missing.push("action");
        }
        if !self.has_column.contains_key(&UserField::LoginId) {
            missing.push("login_id");
        }
        if !missing.is_empty() {
            self.file_finding(
                Severity::Error,
                "missing_header",
                format!(
                    "The header has no {} column. The first line must name the columns: {}.",
                    missing.join(" or "),
                    HEADER.join(",")
                ),
            );
        }
    }

    fn read_row(&mut self, row: u32, record: &super::Record) {
        let errors_before = self.error_count();
        let mut cells: Vec<&str> = record.cells.iter().map(String::as_str).collect();
        if cells.len() < self.columns.len() {
            self.padded_rows.push(row);
            cells.resize(self.columns.len(), "");
        } else if cells.len() > self.columns.len() {
            let extra = &cells[self.columns.len()..];
            if extra.iter().any(|cell| !cell.trim().is_empty()) {
                self.row_finding(
                    record,
                    row,
                    None,
                    Severity::Error,
                    "too_many_cells",
                    format!(
                        "The row has {} values but the header names {} columns; \
                         remove the extra values or quote values that contain `{}`.",
                        cells.len(),
                        self.columns.len(),
                        self.report.delimiter
                    ),
                );
            }
            cells.truncate(self.columns.len());
        }

        let mut action = None;
        let mut fields = UserFields::default();
        for (index, raw) in cells.iter().enumerate() {
            let column = self.columns[index];
            if column == Column::Ignored {
                continue;
            }
            let value = raw.trim();
            if value.len() != raw.len() {
                self.trimmed_values += 1;
            }
            let column_name = match column {
                Column::Action => "action",
                Column::Field(field) => field.name(),
                Column::Ignored => continue,
            };
            self.check_cell(record, row, column_name, value);
            match column {
                Column::Action => action = Some(value),
                Column::Field(field) => *field.get_mut(&mut fields) = value.to_owned(),
                Column::Ignored => {}
            }
        }

        let action = match action.map(|value| (value, UserAction::parse(value))) {
            Some((_, Some(action))) => action,
            Some((value, None)) => {
                let message = if value.is_empty() {
                    "The action is empty; write create, update or delete.".to_owned()
                } else {
                    format!("The action `{value}` is unknown; write create, update or delete.")
                };
                self.row_finding(
                    record,
                    row,
                    Some("action"),
                    Severity::Error,
                    "invalid_action",
                    message,
                );
                return;
            }
            None => return,
        };

        for field in UserField::ALL {
            let value = field.get(&fields);
            let required =
                field == UserField::LoginId || (action == UserAction::Create && field.required());
            if required && !self.has_column.contains_key(&field) {
                if !self.missing_required_columns.contains(&field) {
                    self.missing_required_columns.push(field);
                }
                continue;
            }
            if action == UserAction::Delete && field != UserField::LoginId {
                continue;
            }
            if let Some(issue) = field.check(value, required) {
                self.row_finding(
                    record,
                    row,
                    Some(field.name()),
                    issue.severity,
                    issue.code,
                    issue.message,
                );
            }
        }
        if action == UserAction::Update
            && UserField::ALL.iter().all(|&f| f == UserField::LoginId || f.get(&fields).is_empty())
        {
            self.row_finding(
                record,
                row,
                None,
                Severity::Warning,
                "update_without_change",
                format!(
                    "The update of `{}` names no change: every field besides login_id is empty. \
                     Fill in the fields to change or remove the row; it will be skipped.",
                    fields.login_id
                ),
            );
            return;
        }
        self.check_duplicates(record, row, &fields);

        if self.error_count() == errors_before {
            self.report.valid_rows += 1;
            match action {
                UserAction::Create => self.report.changes.create += 1,
                UserAction::Update => self.report.changes.update += 1,
                UserAction::Delete => self.report.changes.delete += 1,
            }
            self.rows.push(UserRow { row, line_start: record.line_start, action, fields });
        }
    }

    fn check_cell(&mut self, record: &super::Record, row: u32, column: &'static str, value: &str) {
        if let Some(c) = value.chars().find(|&c| is_invisible(c)) {
            self.row_finding(
                record,
                row,
                Some(column),
                Severity::Warning,
                "invisible_character",
                format!(
                    "`{}` contains the invisible character U+{:04X}; delete it and retype the value.",
                    value.replace(c, ""),
                    u32::from(c)
                ),
            );
        }
        let formula_start = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
        let phone_plus = column == "phone" && value.starts_with('+');
        if formula_start && !phone_plus {
            self.row_finding(
                record,
                row,
                Some(column),
                Severity::Warning,
                "formula_like",
                format!(
                    "`{value}` starts with `{}`, so a spreadsheet would run it as a formula. \
                     Check that it is meant as text.",
                    value.chars().next().unwrap_or_default()
                ),
            );
        }
    }

    fn check_duplicates(&mut self, record: &super::Record, row: u32, fields: &UserFields) {
        for (field, value) in
            [(UserField::LoginId, &fields.login_id), (UserField::Email, &fields.email)]
        {
            if value.is_empty() {
                continue;
            }
            let seen = match field {
                UserField::LoginId => &mut self.seen_login_ids,
                _ => &mut self.seen_emails,
            };
            let key = fold_key(value);
            match seen.get(&key) {
                Some((first_row, first_value)) => {
                    let case_note = if first_value == value {
                        String::new()
                    } else {
                        format!(" (`{first_value}`), differing only in letter case")
                    };
                    let message = format!(
                        "{} `{value}` duplicates row {first_row}{case_note}; each user needs its own.",
                        field.label()
                    );
                    let mut finding = self.position(
                        record,
                        row,
                        Some(field.name()),
                        Severity::Error,
                        "duplicate_key",
                        message,
                    );
                    finding.stage = Stage::IntegrityCheck;
                    self.report.findings.push(finding);
                }
                None => {
                    seen.insert(key, (row, value.clone()));
                }
            }
        }
    }

    fn position(
        &self,
        record: &super::Record,
        row: u32,
        column: Option<&str>,
        severity: Severity,
        code: &str,
        message: String,
    ) -> Finding {
        let mut finding = Finding::new(severity, code, message);
        finding.row = Some(row);
        finding.line_start = Some(record.line_start);
        finding.line_end = Some(record.line_end);
        finding.column = column.map(str::to_owned);
        finding
    }

    fn row_finding(
        &mut self,
        record: &super::Record,
        row: u32,
        column: Option<&str>,
        severity: Severity,
        code: &str,
        message: String,
    ) {
        let finding = self.position(record, row, column, severity, code, message);
        self.report.findings.push(finding);
    }

    fn error_count(&self) -> usize {
        self.report.findings.iter().filter(|f| f.is_error()).count()
    }

    fn finish(mut self) -> UsersValidation {
        if !self.missing_required_columns.is_empty() {
            let names: Vec<&str> = self.missing_required_columns.iter().map(|f| f.name()).collect();
            self.file_finding(
                Severity::Error,
                "missing_header",
                format!(
                    "Creating users needs the column(s) {}, which the header lacks. Add them to the first line.",
                    names.join(", ")
                ),
            );
            self.rows.clear();
            self.report.valid_rows = 0;
            self.report.changes = ChangeCounts::default();
        }
        if self.blank_lines > 0 {
            self.file_finding(
                Severity::Notice,
                "blank_lines",
                format!("{} empty line(s) were skipped.", self.blank_lines),
            );
        }
        if self.trimmed_values > 0 {
            self.file_finding(
                Severity::Notice,
                "trimmed",
                format!(
                    "{} value(s) had spaces around them, which were removed.",
                    self.trimmed_values
                ),
            );
        }
        if !self.padded_rows.is_empty() {
            let rows: Vec<String> = self.padded_rows.iter().take(10).map(u32::to_string).collect();
            self.file_finding(
                Severity::Notice,
                "short_rows",
                format!(
                    "{} row(s) had fewer values than the header (rows {}); the missing values were read as empty.",
                    self.padded_rows.len(),
                    rows.join(", ")
                ),
            );
        }
        self.drop_empty_unnamed_columns();
        self.report.recount();
        UsersValidation { report: self.report, rows: self.rows }
    }

    /// Reports header cells that are empty; spreadsheets add such a column when
    /// a line ends with a separator.
    fn drop_empty_unnamed_columns(&mut self) {
        let unnamed: Vec<usize> = self
            .report
            .columns
            .iter()
            .enumerate()
            .filter(|(_, mapping)| mapping.header.trim().is_empty())
            .map(|(index, _)| index + 1)
            .collect();
        if !unnamed.is_empty() {
            let list: Vec<String> = unnamed.iter().map(usize::to_string).collect();
            self.file_finding(
                Severity::Notice,
                "unnamed_column",
                format!(
                    "Column(s) {} have no name in the header and were ignored.",
                    list.join(", ")
                ),
            );
        }
    }
}

/// Normalizes a header cell for matching: trimmed, lower case, with spaces
/// and hyphens read as underscores.
fn normalize_header(cell: &str) -> String {
    cell.trim()
        .trim_start_matches('\u{FEFF}')
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

/// Characters that do not show on screen but change a value.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// Builds the template a console offers for download.
pub fn template() -> String {
    format!(
        "{}\r\ncreate,aiko.tanaka,aiko.tanaka@example.com,Tanaka,Aiko,Aiko Tanaka,Sales,Manager,+81 3 0000 0000\r\n",
        HEADER.join(",")
    )
}

#[cfg(test)]
mod tests;
