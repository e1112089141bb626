//! CSV import files: encoding detection, record reading with line spans, and
//! the validation report that the console shows and the server returns.

pub mod encoding;
pub mod engine;
pub mod groups;
pub mod header;
mod keys;
pub mod members;
mod records;
pub mod report_csv;
pub mod users;
mod words;

use serde::{Deserialize, Serialize};

pub use encoding::Encoding;
pub use records::{detect_delimiter, Cells, Record, RecordReader, Span};

use crate::finding::{Finding, Severity};

/// Largest file the console and server accept, in bytes.
pub const MAX_FILE_BYTES: usize = 256 * 1024 * 1024;

/// Largest number of data rows in one file.
pub const MAX_ROWS: u32 = 1_000_000;

/// Builds the message for a file of `size` bytes, over [`MAX_FILE_BYTES`].
/// Both sizes are given in bytes too, so that a file just over the limit
/// does not read as the same size as the limit.
pub fn file_too_large_message(size: u64) -> String {
    const MIB: usize = 1024 * 1024;
    format!(
        "The file is {size} bytes ({:.1} MiB); the maximum is {MAX_FILE_BYTES} bytes ({} MiB). \
         Split it into smaller files.",
        size as f64 / MIB as f64,
        MAX_FILE_BYTES / MIB
    )
}

/// Kinds of import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvKind {
    Users,
    Groups,
    GroupMembers,
}

impl CsvKind {
    pub const ALL: [CsvKind; 3] = [CsvKind::Users, CsvKind::Groups, CsvKind::GroupMembers];

    /// The identifier used in URLs and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            CsvKind::Users => "users",
            CsvKind::Groups => "groups",
            CsvKind::GroupMembers => "group_members",
        }
    }

    /// The columns of this format, `action` first, with the header aliases
    /// each accepts.
    pub fn columns(self) -> &'static [header::ColumnSpec] {
        match self {
            CsvKind::Users => users::COLUMNS,
            CsvKind::Groups => groups::COLUMNS,
            CsvKind::GroupMembers => members::COLUMNS,
        }
    }

    /// Parses an identifier such as `group_members`.
    pub fn parse(name: &str) -> Option<CsvKind> {
        CsvKind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// The changes an import would make, counted by action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeCounts {
    pub create: u32,
    pub update: u32,
    pub delete: u32,
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityCounts {
    pub errors: u32,
    pub warnings: u32,
    pub notices: u32,
}

/// The result of validating one CSV file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsvReport {
    pub kind: CsvKind,
    /// `None` when the encoding could not be detected.
    pub encoding: Option<Encoding>,
    pub delimiter: char,
    /// Data records, not counting the header and skipped blank lines.
    pub rows: u32,
    /// Data records without an error.
    pub valid_rows: u32,
    pub findings: Vec<Finding>,
    pub counts: SeverityCounts,
    /// Changes that importing the valid rows would make.
    pub changes: ChangeCounts,
    /// For each header cell, the field it was mapped to, or `None` when the
    /// column is ignored.
    pub columns: Vec<ColumnMapping>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    pub header: String,
    pub field: Option<String>,
}

impl CsvReport {
    pub fn has_errors(&self) -> bool {
        self.counts.errors > 0
    }

    /// Recounts findings by severity after findings were added.
    pub fn recount(&mut self) {
        let mut counts = SeverityCounts::default();
        for finding in &self.findings {
            match finding.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Notice => counts.notices += 1,
            }
        }
        self.counts = counts;
    }
}
