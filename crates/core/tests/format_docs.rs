//! Keeps `docs/csv-formats.md` true to the code: every column and alias of
//! the three import formats has a row in the format's table.

// Tests fail through unwrap, expect and panic, which the workspace lints deny outside tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gatehouse_core::csv::header::ColumnSpec;
use gatehouse_core::csv::{groups, members, users};

/// Returns the table rows of the section whose heading is `heading`.
fn table_rows<'a>(document: &'a str, heading: &str) -> Vec<&'a str> {
    let start = document.find(heading).unwrap_or_else(|| panic!("no section {heading}"));
    let section = &document[start + heading.len()..];
    let end = section.find("\n#").unwrap_or(section.len());
    section[..end].lines().filter(|line| line.starts_with("| `")).collect()
}

#[test]
fn format_tables_list_every_alias() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/csv-formats.md");
    let document = std::fs::read_to_string(path).unwrap();
    let formats: [(&str, &[ColumnSpec]); 3] = [
        ("### Users", users::COLUMNS),
        ("### Groups", groups::COLUMNS),
        ("### Group members", members::COLUMNS),
    ];
    for (heading, columns) in formats {
        let rows = table_rows(&document, heading);
        assert_eq!(rows.len(), columns.len(), "{heading}: {rows:#?}");
        for (row, column) in rows.iter().zip(columns) {
            let field = format!("| `{}` |", column.name);
            assert!(row.starts_with(&field), "{heading}: {row} is not {field}");
            for alias in column.aliases {
                assert!(row.contains(&format!("`{alias}`")), "{heading}: {row} lacks `{alias}`");
            }
            let alias_count = row.split(" | ").nth(1).unwrap().matches('`').count() / 2;
            assert_eq!(alias_count, column.aliases.len(), "{heading}: {row}");
        }
    }
}
