//! Matching header cells to the fields of a format: trimmed, case-folded and
//! NFKC-normalized, so `Login ID`, ` login_id ` and full-width `ｌｏｇｉｎ＿ｉｄ`
//! all find `login_id`, and documented aliases (Japanese column names among
//! them) are accepted.

use unicode_normalization::UnicodeNormalization;

/// A column of an import format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSpec {
    /// The canonical name, as written in templates and reports.
    pub name: &'static str,
    /// Other header names accepted for this column, already normalized.
    pub aliases: &'static [&'static str],
    /// Whether every file must have this column, whatever its actions.
    pub always_required: bool,
}

/// Normalizes a header cell for matching: NFKC, trimmed, lower case, with
/// spaces and hyphens read as underscores.
pub fn normalize(cell: &str) -> String {
    let normalized: String = cell.nfkc().collect();
    normalized
        .trim()
        .trim_start_matches('\u{FEFF}')
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

/// Returns the index of the column that a header cell names.
pub fn match_column(columns: &[ColumnSpec], cell: &str) -> Option<usize> {
    let name = normalize(cell);
    if name.is_empty() {
        return None;
    }
    columns.iter().position(|column| column.name == name || column.aliases.contains(&name.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[ColumnSpec] = &[
        ColumnSpec { name: "action", aliases: &["操作"], always_required: true },
        ColumnSpec {
            name: "login_id", aliases: &["ログインid", "login"], always_required: true
        },
    ];

    #[test]
    fn header_matches_after_trim_and_case() {
        assert_eq!(match_column(COLUMNS, " Login ID "), Some(1));
        assert_eq!(match_column(COLUMNS, "LOGIN-ID"), Some(1));
    }

    #[test]
    fn full_width_header_matches_after_nfkc() {
        assert_eq!(match_column(COLUMNS, "ｌｏｇｉｎ＿ｉｄ"), Some(1));
        assert_eq!(match_column(COLUMNS, "ログインＩＤ"), Some(1));
    }

    #[test]
    fn japanese_alias_matches() {
        assert_eq!(match_column(COLUMNS, "操作"), Some(0));
    }

    #[test]
    fn empty_and_unknown_headers_match_nothing() {
        assert_eq!(match_column(COLUMNS, "  "), None);
        assert_eq!(match_column(COLUMNS, "nickname"), None);
    }
}
