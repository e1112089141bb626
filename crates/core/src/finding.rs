//! Findings: what a rule reports about a value, with a severity and, for CSV
//! files, the position of the value in the file.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The seriousness of a finding. Errors block a save or an import; warnings and
/// notices are shown but let the work go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Notice,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The check of a CSV import that produced a finding. The names are the task
/// log's operations of the `validate.*` types.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Encoding, layout and the rules of each field.
    #[default]
    CsvValidation,
    /// Duplicates and conflicts between rows, and against the tenant's data.
    IntegrityCheck,
}

/// One problem or remark about an input.
///
/// `row` counts records as a spreadsheet numbers its rows, with the header as
/// row 1, while `line_start` and `line_end` count physical lines of the file
/// from 1 at the header. They differ once a quoted value contains a line break,
/// because that record spans two lines but is one spreadsheet row.
/// File-level findings have no row and no column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub severity: Severity,
    #[serde(default)]
    pub stage: Stage,
    /// A stable identifier of the kind of finding, such as `invalid_email`.
    /// Borrowed while validating, so a file with a finding in every row
    /// does not allocate a copy per finding.
    pub code: Cow<'static, str>,
    pub row: Option<u32>,
    pub line_start: Option<u32>,
    pub line_end: Option<u32>,
    /// The canonical field name of the column, such as `email`.
    pub column: Option<Cow<'static, str>>,
    pub message: String,
}

impl Finding {
    /// Creates a finding that is not tied to a position.
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Finding {
            severity,
            stage: Stage::CsvValidation,
            code: Cow::Borrowed(code),
            row: None,
            line_start: None,
            line_end: None,
            column: None,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(row) = self.row {
            write!(f, "row {row}")?;
            if let (Some(start), Some(end)) = (self.line_start, self.line_end) {
                if start == end {
                    write!(f, " (line {start})")?;
                } else {
                    write!(f, " (lines {start}-{end})")?;
                }
            }
            if let Some(column) = &self.column {
                write!(f, ", column {column}")?;
            }
            write!(f, ": ")?;
        } else if let Some(line) = self.line_start {
            write!(f, "line {line}: ")?;
        }
        write!(f, "{}: {}", self.severity, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_puts_location_first() {
        let mut finding =
            Finding::new(Severity::Error, "invalid_email", "`ben@example` is invalid");
        finding.row = Some(7);
        finding.line_start = Some(8);
        finding.line_end = Some(9);
        finding.column = Some(Cow::Borrowed("email"));
        assert_eq!(
            finding.to_string(),
            "row 7 (lines 8-9), column email: error: `ben@example` is invalid"
        );
    }

    #[test]
    fn display_of_file_level_finding_has_no_location() {
        let finding = Finding::new(Severity::Notice, "delimiter", "The file uses `;`.");
        assert_eq!(finding.to_string(), "notice: The file uses `;`.");
    }
}
