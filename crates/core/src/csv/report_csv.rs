//! The downloadable error report: the original rows of the file with a
//! `findings` column, fit to fix in a spreadsheet and upload again.
//!
//! Every cell that a spreadsheet would run as a formula is written with a
//! leading `'`, so opening the report never runs what the file contained.

use std::collections::HashMap;

use super::engine::is_formula_like;
use super::records::{detect_delimiter, RecordReader};
use super::CsvReport;

/// Writes the report CSV for a decoded file and its validation report. Rows
/// keep their order and cells; file-level findings follow the last row.
pub fn write(text: &str, report: &CsvReport) -> String {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut by_line: HashMap<u32, Vec<String>> = HashMap::new();
    let mut file_level = Vec::new();
    for finding in &report.findings {
        let entry = match &finding.column {
            Some(column) => format!("{} ({column}): {}", finding.severity, finding.message),
            None => format!("{}: {}", finding.severity, finding.message),
        };
        match finding.line_start.filter(|_| finding.row.is_some()) {
            Some(line) => by_line.entry(line).or_default().push(entry),
            None => file_level.push(entry),
        }
    }

    // The findings column follows the widest record, so that it stays one
    // column even when a row has more cells than the header.
    let delimiter = detect_delimiter(text);
    let width = RecordReader::new(text, delimiter).map(|record| record.cells.len()).max();
    let width = width.unwrap_or_default();

    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    for (index, record) in RecordReader::new(text, delimiter).enumerate() {
        if index > 0 && record.cells.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let mut cells: Vec<String> = record.cells.iter().map(|cell| inert(cell)).collect();
        cells.resize(width, String::new());
        let findings = if index == 0 {
            "findings".to_owned()
        } else {
            by_line.remove(&record.line_start).unwrap_or_default().join("\n")
        };
        cells.push(inert(&findings));
        // Writing to a Vec cannot fail; a failure would only drop this row.
        let _ = writer.write_record(&cells);
    }
    for entry in file_level {
        let mut cells = vec![String::new(); width];
        cells.push(inert(&entry));
        let _ = writer.write_record(&cells);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// Prefixes formula-like values with `'` so spreadsheets show them as text.
fn inert(value: &str) -> String {
    if is_formula_like(value) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv::users::validate_text;
    use crate::csv::Encoding;

    #[test]
    fn findings_column_stays_after_wide_row() {
        let text = "action,login_id,email,family_name,given_name\n\
                    create,aiko,aiko@example.com,Tanaka,Aiko,extra1,extra2\n\
                    create,ben,ben@example,Ito,Ben\n";
        let validation = validate_text(text, Encoding::Utf8);
        let written = write(text, &validation.report);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(written.as_bytes());
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records[0].len(), 8, "{written}");
        assert_eq!(&records[0][7], "findings");
        assert_eq!(&records[0][5], "");
        assert!(records[1][7].contains("The row has 7 values"), "{written}");
        assert_eq!(records[2].len(), 8, "{written}");
        assert!(records[2][7].contains("top-level domain"), "{written}");
    }

    #[test]
    fn report_adds_findings_column_and_defuses_formulas() {
        let text = "action,login_id,email,family_name,given_name\n\
                    create,eve,eve@example,=cmd,Eve\n";
        let validation = validate_text(text, Encoding::Utf8);
        let report = write(text, &validation.report);
        let lines: Vec<&str> = report.lines().collect();
        assert_eq!(lines[0], "action,login_id,email,family_name,given_name,findings");
        assert!(lines[1].starts_with("create,eve,eve@example,'=cmd,Eve,\""), "{}", lines[1]);
        assert!(report.contains("error (email): Email `eve@example` has no top-level domain"));
        assert!(report.contains("warning (family_name): `=cmd` starts with `=`"), "{report}");
    }

    #[test]
    fn report_keeps_multiline_values_quoted() {
        let text = "action,login_id,department\ndelete,aiko,\"Sales\nTokyo\"\n";
        let validation = validate_text(text, Encoding::Utf8);
        let report = write(text, &validation.report);
        assert!(report.contains("\"Sales\nTokyo\""), "{report}");
    }
}
