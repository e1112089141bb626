//! The part of CSV validation that every import format shares: decoding,
//! delimiter detection, header mapping, blank and short rows, trimming,
//! invisible characters and formula-like cells. A format's [`RowChecker`]
//! then checks the action and fields of each row.

use std::borrow::Cow;
use std::collections::BTreeSet;

use super::encoding::{self, Encoding, UnknownEncoding};
use super::header::{match_column, ColumnSpec};
use super::records::{detect_delimiter, Cells, RecordReader, Span};
use super::{ChangeCounts, ColumnMapping, CsvKind, CsvReport, MAX_FILE_BYTES, MAX_ROWS};
use crate::finding::{Finding, Severity, Stage};

/// Records between two progress reports.
pub const PROGRESS_INTERVAL: u32 = 5_000;

/// Data rows read before the engine estimates how many the file has.
const ROWS_BEFORE_ESTIMATE: u32 = 1_000;

/// Maximum number of columns of a format, so a row's values fit in a fixed array.
pub const MAX_COLUMNS: usize = 16;

/// A format: its kind and columns. Column 0 is always `action`.
pub struct Schema {
    pub kind: CsvKind,
    pub columns: &'static [ColumnSpec],
}

impl Schema {
    /// Creates a format with at most [`MAX_COLUMNS`] columns. In a constant,
    /// more columns fail the build.
    pub const fn new(kind: CsvKind, columns: &'static [ColumnSpec]) -> Schema {
        assert!(columns.len() <= MAX_COLUMNS, "a format has at most MAX_COLUMNS columns");
        Schema { kind, columns }
    }
}

/// The change a valid row makes, for the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Create,
    Update,
    Delete,
    /// A row that is valid but changes nothing, such as an empty update.
    None,
}

/// Position of a data row: its spreadsheet row number and physical lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub row: u32,
    pub line_start: u32,
    pub line_end: u32,
}

/// Checks the rows of one format and builds its typed rows.
pub trait RowChecker {
    type Row;

    /// Checks one data row. `values[i]` is the trimmed value of schema
    /// column `i`, empty when the file lacks that column. Returns the change
    /// the row makes, or `None` when the row cannot be imported.
    fn check(&mut self, row: &mut RowContext<'_>, values: &[&str]) -> Option<Change>;

    /// Builds the typed row of a row that `check` passed without errors.
    /// `values` are as in `check`.
    fn build(position: Position, values: &[&str]) -> Self::Row;

    /// Prepares for about `additional_rows` more data rows after the
    /// `rows_read` rows checked so far. The engine calls it once, with an
    /// estimate from the share of the file read, so that maps of keys can be
    /// sized once instead of growing.
    fn reserve(&mut self, _rows_read: usize, _additional_rows: usize) {}
}

/// One data row being checked: its position and the report's findings.
pub struct RowContext<'a> {
    pub row: u32,
    pub line_start: u32,
    pub line_end: u32,
    findings: &'a mut Vec<Finding>,
    /// Errors in `findings`, kept as a count so checking a row stays O(1).
    errors: &'a mut usize,
    present: &'a [bool],
    missing_columns: &'a mut BTreeSet<&'static str>,
    columns: &'static [ColumnSpec],
}

impl RowContext<'_> {
    /// Adds a finding at this row.
    pub fn report(
        &mut self,
        column: Option<&'static str>,
        severity: Severity,
        code: &'static str,
        message: String,
    ) {
        self.report_at(Stage::CsvValidation, column, severity, code, message);
    }

    /// Adds a finding of the integrity check at this row.
    pub fn report_integrity(
        &mut self,
        column: Option<&'static str>,
        code: &'static str,
        message: String,
    ) {
        self.report_at(Stage::IntegrityCheck, column, Severity::Error, code, message);
    }

    fn report_at(
        &mut self,
        stage: Stage,
        column: Option<&'static str>,
        severity: Severity,
        code: &'static str,
        message: String,
    ) {
        let mut finding = Finding::new(severity, code, message);
        finding.stage = stage;
        finding.row = Some(self.row);
        finding.line_start = Some(self.line_start);
        finding.line_end = Some(self.line_end);
        finding.column = column.map(Cow::Borrowed);
        if finding.is_error() {
            *self.errors += 1;
        }
        self.findings.push(finding);
    }

    /// Parses the row's action with `parse`, or reports the empty or unknown
    /// value at the `action` column with the allowed actions, such as
    /// "create, update or delete".
    pub fn parse_action<A>(
        &mut self,
        value: &str,
        parse: fn(&str) -> Option<A>,
        allowed: &str,
    ) -> Option<A> {
        let action = parse(value);
        if action.is_none() {
            let message = if value.is_empty() {
                format!("The action is empty; write {allowed}.")
            } else {
                format!("The action `{}` is unknown; write {allowed}.", excerpt(value))
            };
            self.report(Some("action"), Severity::Error, "invalid_action", message);
        }
        action
    }

    /// Whether the file has the schema column at `index`.
    pub fn has_column(&self, index: usize) -> bool {
        self.present.get(index).copied().unwrap_or(false)
    }

    /// Notes that this row's action needs a column the header lacks; the
    /// engine reports it once for the whole file.
    pub fn require_column(&mut self, index: usize) -> bool {
        if self.has_column(index) {
            return true;
        }
        if let Some(column) = self.columns.get(index) {
            self.missing_columns.insert(column.name);
        }
        false
    }

    /// Number of errors reported so far in the file.
    pub fn error_count(&self) -> usize {
        *self.errors
    }
}

/// A report with the rows that passed.
#[derive(Debug, Clone, PartialEq)]
pub struct Validation<R> {
    pub report: CsvReport,
    pub rows: Vec<R>,
}

/// Decodes and validates a file and builds the typed rows of the rows that
/// passed, as an import needs. `decode_shift_jis` turns CP932 bytes into
/// text, returning `None` when they do not decode; `progress` receives the
/// share of the work done, from 0.0 to 1.0.
pub fn validate_bytes<C: RowChecker>(
    schema: &Schema,
    checker: C,
    bytes: &[u8],
    decode_shift_jis: &dyn Fn(&[u8]) -> Option<String>,
    progress: &mut dyn FnMut(f64),
) -> Validation<C::Row> {
    match decode(bytes, decode_shift_jis) {
        Ok((encoding, text)) => {
            let guess = shift_jis_guess(encoding, bytes, &text);
            // A file whose text would be stored garbled imports no row, so
            // its typed rows are not built.
            let mut validation = match &guess {
                Some(finding) if finding.is_error() => {
                    let report = check_text(schema, checker, &text, encoding, progress).report;
                    Validation { report, rows: Vec::new() }
                }
                _ => validate_text(schema, checker, &text, encoding, progress),
            };
            if let Some(finding) = guess {
                put_encoding_finding_first(&mut validation.report, finding);
            }
            validation
        }
        Err((encoding, finding)) => failed(schema, encoding, finding),
    }
}

/// Decodes and validates a file like [`validate_bytes`] but builds no typed
/// rows, which saves most of the memory and about a quarter of the time on
/// large files. Consoles and scripts that only show the report use it.
pub fn report_bytes<C: RowChecker>(
    schema: &Schema,
    checker: C,
    bytes: &[u8],
    decode_shift_jis: &dyn Fn(&[u8]) -> Option<String>,
    progress: &mut dyn FnMut(f64),
) -> CsvReport {
    match decode(bytes, decode_shift_jis) {
        Ok((encoding, text)) => {
            let mut report = check_text(schema, checker, &text, encoding, progress).report;
            if let Some(finding) = shift_jis_guess(encoding, bytes, &text) {
                put_encoding_finding_first(&mut report, finding);
            }
            report
        }
        Err((encoding, finding)) => failed::<C::Row>(schema, encoding, finding).report,
    }
}

/// Detects the encoding of a file and returns its text, borrowed when the
/// file is UTF-8. A file that cannot be read as text gets one file-level
/// finding instead, with the encoding when it was detected.
fn decode<'b>(
    bytes: &'b [u8],
    decode_shift_jis: &dyn Fn(&[u8]) -> Option<String>,
) -> Result<(Encoding, Cow<'b, str>), (Option<Encoding>, Finding)> {
    if bytes.len() > MAX_FILE_BYTES {
        let message = super::file_too_large_message(bytes.len() as u64);
        return Err((None, Finding::new(Severity::Error, "file_too_large", message)));
    }
    let (encoding, utf8_text) = match encoding::detect_text(bytes) {
        Ok(detected) => detected,
        Err(UnknownEncoding::InvalidByte { offset, byte, line }) => {
            // A UTF-8 file with rows pasted from Shift_JIS may fit neither.
            if let Some(stray) = encoding::stray_byte_in_utf8(bytes) {
                return Err((None, mixed_encoding(stray)));
            }
            let message = format!(
                "Byte 0x{byte:02X} at offset {offset} (line {line}) is neither UTF-8 nor Shift_JIS. \
                 Save the file again as \"CSV UTF-8\" in Excel, or as UTF-8 in your editor."
            );
            let mut finding = Finding::new(Severity::Error, "unknown_encoding", message);
            finding.line_start = Some(line);
            finding.line_end = Some(line);
            return Err((None, finding));
        }
        Err(UnknownEncoding::Utf16WithoutBom) => {
            let message = "The file looks like UTF-16 saved without a byte-order mark. \
                           Save it again as \"CSV UTF-8\" in Excel, or as UTF-8 in your editor.";
            return Err((None, Finding::new(Severity::Error, "unknown_encoding", message)));
        }
        Err(UnknownEncoding::Utf32) => {
            let message = "The file is UTF-32, which is not supported. \
                           Save it again as \"CSV UTF-8\" in Excel, or as UTF-8 in your editor.";
            return Err((None, Finding::new(Severity::Error, "unknown_encoding", message)));
        }
    };
    let text = match (encoding, utf8_text) {
        (_, Some(text)) => Some(Cow::Borrowed(text)),
        (Encoding::ShiftJis, None) => decode_shift_jis(bytes).map(Cow::Owned),
        (_, None) => encoding::borrow_unicode(bytes, encoding),
    };
    text.map(|text| (encoding, text)).ok_or_else(|| {
        let message = format!(
            "The file looks like {} but does not decode as it; it may be in another encoding, \
             such as Windows-1252. Save it again as \"CSV UTF-8\".",
            encoding.title()
        );
        (Some(encoding), Finding::new(Severity::Error, "undecodable", message))
    })
}

/// Returns the finding that a file was read as Shift_JIS, for a file in
/// that encoding: an error when its text would be stored garbled, a notice
/// otherwise.
fn shift_jis_guess(encoding: Encoding, bytes: &[u8], text: &str) -> Option<Finding> {
    if encoding != Encoding::ShiftJis {
        return None;
    }
    Some(match encoding::stray_byte_in_utf8(bytes) {
        Some(stray) => mixed_encoding(stray),
        None => read_as_shift_jis(bytes, text),
    })
}

/// Puts an encoding finding first in a report. After an error no row counts
/// as valid.
fn put_encoding_finding_first(report: &mut CsvReport, finding: Finding) {
    if finding.is_error() {
        report.valid_rows = 0;
        report.changes = ChangeCounts::default();
    }
    report.findings.insert(0, finding);
    report.recount();
}

/// Reports a UTF-8 file with a part in another encoding, which was read as
/// Shift_JIS as a whole and so would garble its UTF-8 text.
fn mixed_encoding(stray: encoding::StrayByte) -> Finding {
    let message = format!(
        "The file is UTF-8 except for byte 0x{:02X} at offset {} (line {}), so part of it was \
         saved in another encoding, such as Shift_JIS. Read as Shift_JIS, its UTF-8 text would \
         be garbled. Save the whole file again as \"CSV UTF-8\" and upload it again.",
        stray.byte, stray.offset, stray.line
    );
    let mut finding = Finding::new(Severity::Error, "mixed_encoding", message);
    finding.line_start = Some(stray.line);
    finding.line_end = Some(stray.line);
    finding
}

/// Builds the finding that a file without a byte-order mark was read as
/// Shift_JIS, with the first values that show it, because bytes of other
/// encodings (Windows-1252 accented letters, for one) can also be valid CP932.
/// It is an error when a byte of a Windows-1252 lower-case accented letter
/// follows a Latin letter, as `í` does in `García`, and a notice otherwise.
fn read_as_shift_jis(bytes: &[u8], text: &str) -> Finding {
    let separators = [',', ';', '\t', '\n', '\r', '"'];
    let samples: Vec<String> = text
        .split(separators)
        .map(str::trim)
        .filter(|cell| !cell.is_ascii())
        .take(3)
        .map(|cell| format!("`{}`", excerpt(cell)))
        .collect();
    let (severity, advice) = if encoding::has_accent_after_latin_letter(bytes) {
        (
            Severity::Error,
            "They mix Latin letters with Japanese characters, so the file is probably in another \
             encoding, such as Windows-1252, and its names would be stored garbled. Save it as \
             \"CSV UTF-8\" and upload it again.",
        )
    } else {
        (
            Severity::Notice,
            "If they look wrong, save the file as \"CSV UTF-8\" and upload it again.",
        )
    };
    let message = format!(
        "The file has no byte-order mark and is not UTF-8, so it was read as Shift_JIS (CP932). \
         Check that these values read correctly: {}. {advice}",
        samples.join(", ")
    );
    Finding::new(severity, "encoding_guess", message)
}

fn empty_report(kind: CsvKind, encoding: Option<Encoding>, delimiter: u8) -> CsvReport {
    CsvReport {
        kind,
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

fn failed<R>(schema: &Schema, encoding: Option<Encoding>, finding: Finding) -> Validation<R> {
    let mut report = empty_report(schema.kind, encoding, b',');
    report.findings.push(finding);
    report.recount();
    Validation { report, rows: Vec::new() }
}

/// Validates a decoded file and builds the typed rows of the rows that
/// passed; `encoding` is what the file was encoded in.
///
/// The rows are built in a second reading of the text, after the checks
/// have dropped their maps of keys, so that the maps and the typed rows
/// never take memory at the same time.
pub fn validate_text<C: RowChecker>(
    schema: &Schema,
    checker: C,
    text: &str,
    encoding: Encoding,
    progress: &mut dyn FnMut(f64),
) -> Validation<C::Row> {
    let mut check_progress = |share: f64| progress(share * CHECK_SHARE);
    let checked = check_text(schema, checker, text, encoding, &mut check_progress);
    let rows = build_rows::<C>(schema, text, &checked, &mut |share| {
        progress(CHECK_SHARE + share * (1.0 - CHECK_SHARE));
    });
    progress(1.0);
    Validation { report: checked.report, rows }
}

/// Share of the time of [`validate_text`] that the checks take, for the
/// progress reports. Building the typed rows takes the rest: 0.91 s of
/// 1.36 s were checks on a clean million-row users file.
const CHECK_SHARE: f64 = 0.67;

/// The result of the checks: the report, and what building the typed rows
/// needs to find the rows that passed.
pub(super) struct Checked {
    pub(super) report: CsvReport,
    delimiter: u8,
    /// For each header cell, the schema column it maps to.
    header_map: Vec<Option<usize>>,
    passed: RowSet,
}

#[cfg(test)]
impl Checked {
    /// Returns the number of rows that passed and change something.
    pub(super) fn passed_rows(&self) -> usize {
        self.passed.len
    }
}

/// Data rows, numbered from 1 after the header, as a set of bits.
#[derive(Debug, Default)]
struct RowSet {
    words: Vec<u64>,
    len: usize,
}

impl RowSet {
    fn insert(&mut self, data_row: u32) {
        let index = data_row as usize;
        let word = index / 64;
        if word >= self.words.len() {
            self.words.resize(word + 1, 0);
        }
        let bit = 1 << (index % 64);
        if self.words[word] & bit == 0 {
            self.words[word] |= bit;
            self.len += 1;
        }
    }

    fn contains(&self, data_row: u32) -> bool {
        let index = data_row as usize;
        self.words.get(index / 64).is_some_and(|word| word & (1 << (index % 64)) != 0)
    }

    fn clear(&mut self) {
        self.words = Vec::new();
        self.len = 0;
    }
}

/// Names the lines of a record: "line 4" or "lines 4-9".
fn line_span(span: Span) -> String {
    if span.line_start == span.line_end {
        format!("line {}", span.line_start)
    } else {
        format!("lines {}-{}", span.line_start, span.line_end)
    }
}

/// Returns the verb that agrees with [`line_span`]: "was" or "were".
fn were(span: Span) -> &'static str {
    if span.line_start == span.line_end {
        "was"
    } else {
        "were"
    }
}

/// Returns whether every cell of a record is empty or white space.
fn is_blank(record: &Cells<'_>) -> bool {
    record.iter().all(|cell| trim(cell).is_empty())
}

/// Reads the text again and builds the typed rows of the rows in
/// `checked.passed`. Rows are counted as [`check_text`] counts them.
fn build_rows<C: RowChecker>(
    schema: &Schema,
    text: &str,
    checked: &Checked,
    progress: &mut dyn FnMut(f64),
) -> Vec<C::Row> {
    let count = checked.passed.len;
    let mut rows = Vec::new();
    if count == 0 {
        return rows;
    }
    // A failed reservation only means the vector grows step by step.
    let _ = rows.try_reserve_exact(count);

    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let total_bytes = text.len().max(1) as f64;
    let mut records = RecordReader::new(text, checked.delimiter);
    let mut record = Cells::new(text);
    // The header was mapped by the checks.
    records.read_into(&mut record);

    let mut data_rows = 0u32;
    let mut records_read = 0u32;
    while let Some(span) = records.read_into(&mut record) {
        records_read += 1;
        if records_read.is_multiple_of(PROGRESS_INTERVAL) {
            progress(records.bytes_read() as f64 / total_bytes);
        }
        if is_blank(&record) {
            continue;
        }
        data_rows += 1;
        if !checked.passed.contains(data_rows) {
            continue;
        }

        let mut buffer = [""; MAX_COLUMNS];
        let values = &mut buffer[..schema.columns.len()];
        for (raw, column) in record.iter().zip(&checked.header_map) {
            if let Some(column) = *column {
                values[column] = trim(raw);
            }
        }
        let position =
            Position { row: data_rows + 1, line_start: span.line_start, line_end: span.line_end };
        rows.push(C::build(position, values));
        if rows.len() == count {
            break;
        }
    }
    rows
}

/// Runs the checks on a decoded file; `encoding` is what the file was
/// encoded in.
fn check_text<C: RowChecker>(
    schema: &Schema,
    checker: C,
    text: &str,
    encoding: Encoding,
    progress: &mut dyn FnMut(f64),
) -> Checked {
    check_text_limited(schema, checker, text, encoding, progress, MAX_ROWS)
}

/// Runs the checks like [`check_text`] with a limit of `max_rows` data rows,
/// so that tests can reach the limit with a small file.
pub(super) fn check_text_limited<C: RowChecker>(
    schema: &Schema,
    checker: C,
    text: &str,
    encoding: Encoding,
    progress: &mut dyn FnMut(f64),
    max_rows: u32,
) -> Checked {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let delimiter = detect_delimiter(text);
    let mut engine =
        Engine::new(schema, checker, empty_report(schema.kind, Some(encoding), delimiter));
    if delimiter != b',' {
        let name = if delimiter == b';' { "semicolons (;)" } else { "tabs" };
        engine.file_finding(
            Severity::Notice,
            "delimiter",
            format!(
                "The file separates values with {name} instead of commas; it was read that way."
            ),
        );
    }

    let mut records = RecordReader::new(text, delimiter);
    // One record buffer serves the whole file, so reading a row allocates
    // nothing once the buffer has grown to the widest row.
    let mut record = Cells::new(text);
    let mut previous_line_end = 1;
    if let Some(span) = records.read_into(&mut record) {
        engine.read_header(&record);
        previous_line_end = span.line_end;
        // Blank lines before the header are skipped as well.
        engine.blank_lines += span.line_start - 1;
        if span.unclosed_quote {
            let message = format!(
                "A quote opened in the header is never closed, so {} {} read as the header. \
                 Close the quote, or remove it if it is not part of a column name.",
                line_span(span),
                were(span)
            );
            engine.push_at_lines(span, "unclosed_quote", message);
        }
    } else {
        let header: Vec<&str> = schema.columns.iter().map(|c| c.name).collect();
        engine.file_finding(
            Severity::Error,
            "empty_file",
            format!("The file is empty. Its first line must be the header: {}.", header.join(",")),
        );
    }
    if engine.errors > 0 {
        return engine.finish(delimiter);
    }

    let total_bytes = text.len().max(1) as f64;
    let mut records_read = 0u32;
    while let Some(span) = records.read_into(&mut record) {
        records_read += 1;
        if records_read.is_multiple_of(PROGRESS_INTERVAL) {
            progress(records.bytes_read() as f64 / total_bytes);
        }
        engine.blank_lines += span.line_start.saturating_sub(previous_line_end + 1);
        previous_line_end = span.line_end;
        if is_blank(&record) {
            if span.unclosed_quote {
                engine.unclosed_blank_record(span);
            } else {
                engine.blank_lines += span.line_end - span.line_start + 1;
            }
            continue;
        }
        if engine.report.rows >= max_rows {
            engine.blocks_all_rows = true;
            engine.file_finding(
                Severity::Error,
                "too_many_rows",
                format!(
                    "The file has more than {max_rows} data rows. Split it into smaller files."
                ),
            );
            break;
        }
        engine.report.rows += 1;
        engine.read_row(&record, span);
        if engine.report.rows == ROWS_BEFORE_ESTIMATE {
            let share_read = records.bytes_read() as f64 / total_bytes;
            let estimate = f64::from(ROWS_BEFORE_ESTIMATE) / share_read.max(1e-9);
            let additional = estimate.min(f64::from(MAX_ROWS)) as usize;
            let rows_read = ROWS_BEFORE_ESTIMATE as usize;
            let additional_rows = additional.saturating_sub(rows_read);
            engine.checker.reserve(rows_read, additional_rows);
        }
    }
    if engine.report.rows == 0 && engine.errors == 0 {
        let message = "The file has a header but no data rows, so there is nothing to import.";
        engine.file_finding(Severity::Notice, "no_rows", message);
    }
    progress(1.0);
    engine.finish(delimiter)
}

struct Engine<'s, C: RowChecker> {
    schema: &'s Schema,
    checker: C,
    report: CsvReport,
    /// Data rows that passed and change something.
    passed: RowSet,
    /// Set by a file-level error, such as too many rows, after which no row
    /// of the file is imported.
    blocks_all_rows: bool,
    /// Errors in `report.findings`, counted as they are added.
    errors: usize,
    /// For each header cell, the schema column it maps to.
    header_map: Vec<Option<usize>>,
    present: Vec<bool>,
    missing_columns: BTreeSet<&'static str>,
    blank_lines: u32,
    trimmed_values: u32,
    /// The first rows with a trimmed value, for the notice.
    trimmed_rows: Vec<u32>,
    padded_rows: Vec<u32>,
    /// Header cells without a name, and the first rows that hold a value there.
    unnamed_columns: Vec<(usize, Vec<u32>)>,
}

impl<'s, C: RowChecker> Engine<'s, C> {
    fn new(schema: &'s Schema, checker: C, report: CsvReport) -> Self {
        Engine {
            schema,
            checker,
            report,
            passed: RowSet::default(),
            blocks_all_rows: false,
            errors: 0,
            header_map: Vec::new(),
            present: vec![false; schema.columns.len()],
            missing_columns: BTreeSet::new(),
            blank_lines: 0,
            trimmed_values: 0,
            trimmed_rows: Vec::new(),
            padded_rows: Vec::new(),
            unnamed_columns: Vec::new(),
        }
    }

    fn file_finding(&mut self, severity: Severity, code: &'static str, message: impl Into<String>) {
        self.push(Finding::new(severity, code, message));
    }

    fn push(&mut self, finding: Finding) {
        if finding.is_error() {
            self.errors += 1;
        }
        self.report.findings.push(finding);
    }

    /// Reports a quote that opens in a record of blanks and is never closed,
    /// so that the rest of the file was read as that one blank record.
    fn unclosed_blank_record(&mut self, span: Span) {
        let message = format!(
            "A quote opened on line {} is never closed, so {} {} read as one empty value. \
             Close the quote or remove it.",
            span.line_start,
            line_span(span),
            were(span)
        );
        self.push_at_lines(span, "unclosed_quote", message);
        self.blocks_all_rows = true;
    }

    /// Adds an error at the lines of `span` that belongs to no data row.
    fn push_at_lines(&mut self, span: Span, code: &'static str, message: String) {
        let mut finding = Finding::new(Severity::Error, code, message);
        finding.line_start = Some(span.line_start);
        finding.line_end = Some(span.line_end);
        self.push(finding);
    }

    fn read_header(&mut self, cells: &Cells<'_>) {
        let columns = self.schema.columns;
        let mut unknown = Vec::new();
        let mut first_cell_of: Vec<Option<usize>> = vec![None; columns.len()];
        for (index, cell) in cells.iter().enumerate() {
            let column = match_column(columns, cell);
            match column {
                Some(column) => {
                    if let Some(first) = first_cell_of[column] {
                        self.file_finding(
                            Severity::Error,
                            "duplicate_header",
                            format!(
                                "Columns {} and {} both name `{}`; keep one of them.",
                                first + 1,
                                index + 1,
                                columns[column].name
                            ),
                        );
                    } else {
                        first_cell_of[column] = Some(index);
                        self.present[column] = true;
                    }
                }
                None if cell.trim().is_empty() => self.unnamed_columns.push((index, Vec::new())),
                None => unknown.push(excerpt(cell.trim())),
            }
            self.header_map.push(column);
            self.report.columns.push(ColumnMapping {
                header: excerpt(cell),
                field: column.map(|c| columns[c].name.to_owned()),
            });
        }
        let names: Vec<&str> = columns.iter().map(|c| c.name).collect();
        if !unknown.is_empty() {
            // A header of thousands of unknown names would make a huge message.
            let mut listed: Vec<String> =
                unknown.iter().take(10).map(|name| format!("`{name}`")).collect();
            if unknown.len() > 10 {
                listed.push(format!("and {} more", unknown.len() - 10));
            }
            self.file_finding(
                Severity::Warning,
                "unknown_header",
                format!(
                    "Column(s) {} are not fields of this format and will be ignored. The fields are: {}.",
                    listed.join(", "),
                    names.join(", ")
                ),
            );
        }
        let missing: Vec<&str> = columns
            .iter()
            .zip(&self.present)
            .filter(|(column, present)| column.always_required && !**present)
            .map(|(column, _)| column.name)
            .collect();
        if !missing.is_empty() {
            self.file_finding(
                Severity::Error,
                "missing_header",
                format!(
                    "The header has no {} column. The first line must name the columns: {}.",
                    missing.join(" or "),
                    names.join(",")
                ),
            );
        }
    }

    // Kept out of line for the browser. Its engine compiles wasm with a
    // quick baseline compiler first and uses optimized code only for later
    // calls of a function. A row function is therefore optimized within the
    // first file, while one long call would run unoptimized to the end.
    #[inline(never)]
    fn read_row(&mut self, record: &Cells<'_>, span: Span) {
        let row = self.report.rows + 1; // The header is row 1, as in a spreadsheet.
        let errors_before = self.errors;
        if span.unclosed_quote {
            let message = format!(
                "A quote opened in this record is never closed, so {} {} read as one value. \
                 Close the quote, and write a quote inside a value as two quotes (\"\").",
                line_span(span),
                were(span)
            );
            self.row_finding(span, row, None, Severity::Error, "unclosed_quote", message);
        }
        let width = self.header_map.len();
        if record.len() < width {
            self.padded_rows.push(row);
        } else if record.len() > width
            && record.iter().skip(width).any(|cell| !cell.trim().is_empty())
        {
            let message = format!(
                "The row has {} values but the header names {width} columns; \
                 remove the extra values or quote values that contain `{}`.",
                record.len(),
                self.report.delimiter
            );
            self.row_finding(span, row, None, Severity::Error, "too_many_cells", message);
        }

        let mut buffer = [""; MAX_COLUMNS];
        let values = &mut buffer[..self.schema.columns.len()];
        for (index, raw) in record.iter().take(width).enumerate() {
            let Some(column) = self.header_map[index] else {
                if !raw.trim().is_empty() {
                    if let Some((_, rows)) =
                        self.unnamed_columns.iter_mut().find(|(i, _)| *i == index)
                    {
                        rows.push(row);
                    }
                }
                continue;
            };
            let value = trim(raw);
            if value.len() != raw.len() {
                self.trimmed_values += 1;
                if self.trimmed_rows.len() < 10 && self.trimmed_rows.last() != Some(&row) {
                    self.trimmed_rows.push(row);
                }
            }
            self.check_cell(span, row, column, value);
            values[column] = value;
        }

        let mut context = RowContext {
            row,
            line_start: span.line_start,
            line_end: span.line_end,
            findings: &mut self.report.findings,
            errors: &mut self.errors,
            present: &self.present,
            missing_columns: &mut self.missing_columns,
            columns: self.schema.columns,
        };
        let Some(change) = self.checker.check(&mut context, values) else { return };
        if self.errors != errors_before {
            return;
        }
        self.report.valid_rows += 1;
        let changes = &mut self.report.changes;
        match change {
            Change::Create => changes.create += 1,
            Change::Update => changes.update += 1,
            Change::Delete => changes.delete += 1,
            Change::None => return,
        }
        self.passed.insert(self.report.rows);
    }

    fn check_cell(&mut self, span: Span, row: u32, column: usize, value: &str) {
        if !is_formula_like(value) {
            return;
        }
        let name = self.schema.columns[column].name;
        // A phone number's leading `+` is how international numbers are written.
        if !(name == "phone" && value.starts_with('+')) {
            let message = format!(
                "`{}` starts with `{}`, so a spreadsheet would run it as a formula. \
                 Check that it is meant as text.",
                excerpt(value),
                value.chars().next().unwrap_or_default().escape_default()
            );
            self.row_finding(span, row, Some(name), Severity::Warning, "formula_like", message);
        }
    }

    fn row_finding(
        &mut self,
        span: Span,
        row: u32,
        column: Option<&'static str>,
        severity: Severity,
        code: &'static str,
        message: String,
    ) {
        let mut finding = Finding::new(severity, code, message);
        finding.row = Some(row);
        finding.line_start = Some(span.line_start);
        finding.line_end = Some(span.line_end);
        finding.column = column.map(Cow::Borrowed);
        self.push(finding);
    }

    fn finish(mut self, delimiter: u8) -> Checked {
        if !self.missing_columns.is_empty() {
            let names: Vec<&str> = self.missing_columns.iter().copied().collect();
            self.file_finding(
                Severity::Error,
                "missing_header",
                format!(
                    "Some rows need the column(s) {}, which the header lacks. Add them to the first line.",
                    names.join(", ")
                ),
            );
        }
        // A file that cannot be imported as a whole has no valid rows, so
        // that no caller checks or imports them one by one.
        if !self.missing_columns.is_empty() || self.blocks_all_rows {
            self.passed.clear();
            self.report.valid_rows = 0;
            self.report.changes = ChangeCounts::default();
        }
        if self.blank_lines > 0 {
            let message = format!("{} empty line(s) were skipped.", self.blank_lines);
            self.file_finding(Severity::Notice, "blank_lines", message);
        }
        if self.trimmed_values > 0 {
            let rows: Vec<String> = self.trimmed_rows.iter().map(u32::to_string).collect();
            let message = format!(
                "{} value(s) had spaces around them, which were removed (first rows: {}).",
                self.trimmed_values,
                rows.join(", ")
            );
            self.file_finding(Severity::Notice, "trimmed", message);
        }
        if !self.padded_rows.is_empty() {
            let rows: Vec<String> = self.padded_rows.iter().take(10).map(u32::to_string).collect();
            let message = format!(
                "{} row(s) had fewer values than the header (rows {}); the missing values were read as empty.",
                self.padded_rows.len(),
                rows.join(", ")
            );
            self.file_finding(Severity::Notice, "short_rows", message);
        }
        for (index, rows) in std::mem::take(&mut self.unnamed_columns) {
            if rows.is_empty() {
                let message = format!(
                    "Column {} has no name and is empty in every row, so it was dropped.",
                    index + 1
                );
                self.file_finding(Severity::Notice, "unnamed_column", message);
            } else {
                let listed: Vec<String> = rows.iter().take(10).map(u32::to_string).collect();
                let message = format!(
                    "Column {} has no name in the header but holds values in {} row(s) (rows {}); \
                     they were ignored. Name the column or delete its values.",
                    index + 1,
                    rows.len(),
                    listed.join(", ")
                );
                self.file_finding(Severity::Warning, "unnamed_column", message);
            }
        }
        self.report.findings.sort_by_key(|finding| finding.row);
        self.report.recount();
        Checked { report: self.report, delimiter, header_map: self.header_map, passed: self.passed }
    }
}

/// Removes white space around a value like [`str::trim`], looking only at
/// the first and last character when neither is white space, as in most values.
fn trim(value: &str) -> &str {
    let visible = |c: char| !c.is_whitespace();
    if value.starts_with(visible) && value.ends_with(visible) {
        value
    } else {
        value.trim()
    }
}

/// Builds the part of a duplicate message that shows the earlier row's value
/// as `earlier_shown`. It is empty unless `differs` is set, which callers set
/// when the two values differ only in letter case.
pub fn case_note(differs: bool, earlier_shown: &str) -> String {
    if differs {
        format!(" (`{earlier_shown}`), differing only in letter case")
    } else {
        String::new()
    }
}

/// Returns the value paired with `keyword` in `keywords`, comparing in ASCII
/// case-insensitively, as actions are read.
pub fn parse_keyword<A: Copy>(keyword: &str, keywords: &[(&str, A)]) -> Option<A> {
    keywords.iter().find(|(name, _)| name.eq_ignore_ascii_case(keyword)).map(|&(_, value)| value)
}

/// Whether a spreadsheet would read the value as a formula.
pub fn is_formula_like(value: &str) -> bool {
    value.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Shortens a value for a message, so a huge cell does not make a huge
/// report. Control and invisible characters and spaces other than U+0020 and
/// U+3000 are written as `<U+200B>`, so a message about `create` followed by
/// a zero-width space, or a login ID with a no-break space, shows the cause.
pub fn excerpt(value: &str) -> String {
    const MAX_CHARS: usize = 60;
    let escaped = |c: char| {
        c.is_control()
            || crate::rules::is_invisible(c)
            || matches!(c, '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}')
    };
    if value.len() <= MAX_CHARS && !value.chars().any(escaped) {
        return value.to_owned();
    }
    let mut excerpt = String::new();
    for (index, c) in value.chars().enumerate() {
        if index == MAX_CHARS {
            excerpt.push('…');
            break;
        }
        if escaped(c) {
            excerpt.push_str(&format!("<U+{:04X}>", u32::from(c)));
        } else {
            excerpt.push(c);
        }
    }
    excerpt
}
