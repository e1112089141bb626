//! Checks the record reader against the `csv` crate, which the engine used
//! before it had its own reader. On any text made of delimiters, quotes,
//! line breaks, spaces, letters and byte-order marks, both read the same
//! cells. The reader's line numbers match those counted from the crate's
//! byte positions.

// Tests fail through unwrap, expect and panic, which the workspace lints deny outside tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gatehouse_core::csv::{Record, RecordReader};
use proptest::prelude::*;

/// 1-based line of each byte offset: `\r\n`, `\n` and a lone `\r` each end a line.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'\r' if bytes.get(index + 1) == Some(&b'\n') => {
                starts.push(index + 2);
                index += 2;
            }
            b'\r' | b'\n' => {
                starts.push(index + 1);
                index += 1;
            }
            _ => index += 1,
        }
    }
    starts
}

fn line_of(starts: &[usize], offset: usize) -> u32 {
    u32::try_from(starts.partition_point(|&start| start <= offset)).unwrap()
}

/// Reads `text` with the `csv` crate, taking each record's lines from the
/// byte positions the crate reports.
fn read_with_csv_crate(text: &str, delimiter: u8) -> Vec<Record> {
    let bytes = text.as_bytes();
    let starts = line_starts(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut records = Vec::new();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).unwrap() {
        let mut start = record.position().unwrap().byte() as usize;
        // The crate skips a byte-order mark at the start of the text.
        if start == 0 && text.starts_with('\u{FEFF}') {
            start = '\u{FEFF}'.len_utf8();
        }
        // The crate reports where it started looking, which may be an empty line.
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let after = reader.position().byte() as usize;
        let end = after.saturating_sub(1).max(start);
        records.push(Record {
            cells: record.iter().map(str::to_owned).collect(),
            line_start: line_of(&starts, start),
            line_end: line_of(&starts, end),
            unclosed_quote: false,
        });
    }
    records
}

fn csv_like_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(","),
        Just(";"),
        Just("\""),
        Just("\"\""),
        Just("\r"),
        Just("\n"),
        Just("\r\n"),
        Just(" "),
        Just("a"),
        Just("あ"),
        Just("\u{FEFF}"),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn reader_matches_csv_crate(text in csv_like_text(), semicolon in any::<bool>()) {
        let delimiter = if semicolon { b';' } else { b',' };
        let ours: Vec<Record> = RecordReader::new(&text, delimiter)
            .map(|record| Record { unclosed_quote: false, ..record })
            .collect();
        prop_assert_eq!(ours, read_with_csv_crate(&text, delimiter));
    }
}

#[test]
fn unclosed_quote_only_at_end_of_file() {
    let records: Vec<Record> = RecordReader::new("a\n\"b\nc", b',').collect();
    assert!(!records[0].unclosed_quote);
    assert!(records[1].unclosed_quote);
    let closed: Vec<Record> = RecordReader::new("\"ab\"c\"\n", b',').collect();
    assert!(!closed[0].unclosed_quote, "a quote after the closing quote is literal");
}
