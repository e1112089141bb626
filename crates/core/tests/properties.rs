//! Property tests of the three CSV validators and the error report: on any
//! input they return a report without panicking, every finding's position
//! lies inside the file, the typed rows are the rows counted as changes,
//! and the report CSV parses back.

// Tests fail through unwrap, expect and panic, which the workspace lints deny outside tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gatehouse_core::csv::encoding::{self, Encoding};
use gatehouse_core::csv::{groups, members, report_csv, users, CsvReport};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

fn decode_cp932(bytes: &[u8]) -> Option<String> {
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    (!had_errors).then(|| text.into_owned())
}

/// A typed row's spreadsheet row and physical lines.
type RowPosition = (u32, u32, u32);

/// The report of each of the three formats for one file, with the position
/// of every typed row and the report of the report-only entry point.
fn validate_all(bytes: &[u8]) -> [(CsvReport, Vec<RowPosition>, CsvReport); 3] {
    let no_progress = &mut |_| {};
    let users = users::validate_bytes(bytes, &decode_cp932);
    let groups = groups::validate_bytes(bytes, &decode_cp932, no_progress);
    let members = members::validate_bytes(bytes, &decode_cp932, no_progress);
    [
        (
            users.report,
            users.rows.iter().map(|r| (r.row, r.line_start, r.line_end)).collect(),
            users::report_bytes(bytes, &decode_cp932, no_progress),
        ),
        (
            groups.report,
            groups.rows.iter().map(|r| (r.row, r.line_start, r.line_end)).collect(),
            groups::report_bytes(bytes, &decode_cp932, no_progress),
        ),
        (
            members.report,
            members.rows.iter().map(|r| (r.row, r.line_start, r.line_end)).collect(),
            members::report_bytes(bytes, &decode_cp932, no_progress),
        ),
    ]
}

/// Checks that the typed rows, which a second reading of the file builds,
/// are the rows the report counts as changes: one per change, in file
/// order, inside the file and without an error of their own.
fn check_typed_rows(
    report: &CsvReport,
    positions: &[RowPosition],
    lines: u32,
) -> Result<(), TestCaseError> {
    let kind = report.kind.as_str();
    let changes = &report.changes;
    let change_count = changes.create + changes.update + changes.delete;
    prop_assert_eq!(positions.len(), change_count as usize, "{}: typed rows", kind);
    for pair in positions.windows(2) {
        prop_assert!(pair[0].0 < pair[1].0, "{kind}: typed rows out of order: {pair:?}");
    }
    for &(row, line_start, line_end) in positions {
        prop_assert!(
            (1..=lines).contains(&line_start) && line_start <= line_end && line_end <= lines,
            "{kind}: typed row {row} at lines {line_start}-{line_end} of {lines}"
        );
        let error = report.findings.iter().find(|f| f.is_error() && f.row == Some(row));
        prop_assert!(error.is_none(), "{kind}: typed row {row} has an error: {error:?}");
    }
    Ok(())
}

/// The text the validators read, or `None` when the bytes do not decode.
fn decoded_text(bytes: &[u8]) -> Option<String> {
    match encoding::detect(bytes) {
        Ok(Encoding::ShiftJis) => decode_cp932(bytes),
        Ok(detected) => encoding::decode_unicode(bytes, detected),
        Err(_) => None,
    }
}

/// Counts lines as the engine numbers them: `\r\n`, `\n` and a lone `\r`
/// each end a line, and text after the last line break is one more line.
fn line_count(bytes: &[u8]) -> u32 {
    let mut lines = 0;
    let mut index = 0;
    let mut line_has_text = false;
    while index < bytes.len() {
        match bytes[index] {
            b'\r' if bytes.get(index + 1) == Some(&b'\n') => {
                lines += 1;
                line_has_text = false;
                index += 2;
            }
            b'\r' | b'\n' => {
                lines += 1;
                line_has_text = false;
                index += 1;
            }
            _ => {
                line_has_text = true;
                index += 1;
            }
        }
    }
    lines + u32::from(line_has_text)
}

/// Checks that every finding's lines lie within `1..=lines`, in order, and
/// that its row is at most the last data row (the header is row 1).
fn check_positions(report: &CsvReport, lines: u32) -> Result<(), TestCaseError> {
    for finding in &report.findings {
        let kind = report.kind.as_str();
        if let Some(start) = finding.line_start {
            prop_assert!(
                (1..=lines).contains(&start),
                "{kind}: line_start {start} outside 1..={lines}: {finding:?}"
            );
        }
        if let Some(end) = finding.line_end {
            prop_assert!(
                (1..=lines).contains(&end),
                "{kind}: line_end {end} outside 1..={lines}: {finding:?}"
            );
        }
        if let (Some(start), Some(end)) = (finding.line_start, finding.line_end) {
            prop_assert!(start <= end, "{kind}: line_start after line_end: {finding:?}");
        }
        if let Some(row) = finding.row {
            prop_assert!(
                row <= report.rows + 1,
                "{kind}: row {row} after the last row {}: {finding:?}",
                report.rows + 1
            );
        }
    }
    Ok(())
}

/// Checks that the report CSV of `text` parses back and, when the text has a
/// header, ends its first record with the `findings` column.
fn check_report_csv(text: &str, report: &CsvReport) -> Result<(), TestCaseError> {
    let written = report_csv::write(text, report);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(written.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => records.push(record),
            Err(error) => {
                return Err(TestCaseError::fail(format!(
                    "{}: the report CSV does not parse: {error}\n{written}",
                    report.kind.as_str()
                )))
            }
        }
    }
    let starts_with_header = !report.columns.is_empty();
    if starts_with_header {
        let header = records.first().and_then(|record| record.iter().next_back());
        prop_assert_eq!(header, Some("findings"), "{}", written);
    }
    Ok(())
}

/// Runs every check on a file given as bytes.
fn check_file(bytes: &[u8]) -> Result<(), TestCaseError> {
    let text = decoded_text(bytes);
    // Without decoded text the only positioned finding is an unknown byte,
    // whose line is counted in the raw bytes.
    let lines = line_count(text.as_deref().map_or(bytes, str::as_bytes));
    for (report, typed_rows, report_only) in validate_all(bytes) {
        check_positions(&report, lines)?;
        check_typed_rows(&report, &typed_rows, lines)?;
        prop_assert_eq!(&report_only, &report, "report_bytes and validate_bytes differ");
        if let Some(text) = &text {
            check_report_csv(text, &report)?;
        }
    }
    Ok(())
}

/// Headers that reach the row checks of each format, with each delimiter
/// and line ending, plus no header at all.
fn header() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "",
        "action,login_id,email,family_name,given_name,display_name,department,title,phone\n",
        "action;login_id;email;family_name;given_name\r\n",
        "\u{FEFF}action,login_id,email\r",
        "action\tgroup_id\tname\tdescription\n",
        "action,group_id,name\r\n",
        "action,group_id,login_id\n",
        "action;group_id;login_id\r",
        "action,,login_id,\"group_id\"\n",
    ])
}

/// Pieces of CSV-like text: delimiters, quotes, every line ending, words the
/// formats look for, formula starts, multi-byte and invisible characters.
fn token() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        ",",
        ";",
        "\t",
        "\"",
        "\r",
        "\n",
        "\r\n",
        " ",
        "a",
        "Z",
        "0",
        ".",
        "@",
        "=",
        "+",
        "-",
        "create",
        "update",
        "delete",
        "add",
        "remove",
        "aiko",
        "AIKO",
        "sales",
        "a@example.com",
        "あ",
        "髙橋",
        "＠",
        "\u{FEFF}",
        "\u{200B}",
        "\u{0007}",
    ])
}

fn csv_like_text() -> impl Strategy<Value = String> {
    (header(), prop::collection::vec(token(), 0..200))
        .prop_map(|(header, tokens)| format!("{header}{}", tokens.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn arbitrary_bytes_keep_positions_in_file(
        bytes in prop::collection::vec(any::<u8>(), 0..400)
    ) {
        check_file(&bytes)?;
    }

    #[test]
    fn csv_like_text_keeps_positions_in_file(text in csv_like_text()) {
        check_file(text.as_bytes())?;
    }

    #[test]
    fn csv_like_text_in_utf16_keeps_positions(text in csv_like_text(), big_endian: bool) {
        let units = text.encode_utf16();
        let mut bytes: Vec<u8> = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in units {
            let pair = if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() };
            bytes.extend_from_slice(&pair);
        }
        check_file(&bytes)?;
    }
}

/// Words of Japanese names: common and rare kanji (`邉`, `﨑`, `髙`, the last
/// two outside JIS X 0208), kana and half-width katakana.
fn name_word() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "渡邉",
        "山﨑",
        "髙橋",
        "濱田",
        "村田",
        "結衣",
        "一郎",
        "ミカ",
        "ﾕｷ",
        "ﾏｷ",
        "ﾀﾛｳ",
        " ",
    ])
}

/// Words of departments and titles, where Latin words sit next to common
/// kanji and kana, as in `AI推進PJ` or `Web開発G`.
fn department_word() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "推進",
        "導入",
        "開発",
        "部",
        "課",
        "係長",
        "マネージャー",
        "ｼｽﾃﾑ部",
        "㈱本社",
        "①課",
        "AI",
        "PJ",
        "ERP",
        "IT",
        "SE",
        "Web",
        "G",
        "Tokyo",
        "営業",
        "本部",
        "グループ",
        "・",
        " ",
    ])
}

fn name_cell() -> impl Strategy<Value = String> {
    prop::collection::vec(name_word(), 1..4).prop_map(|words| words.concat())
}

fn department_cell() -> impl Strategy<Value = String> {
    prop::collection::vec(department_word(), 1..5).prop_map(|words| words.concat())
}

/// Builds a users file in CP932 with Japanese names and mixed departments and
/// titles.
fn shift_jis_users_file() -> impl Strategy<Value = Vec<u8>> {
    let row = (name_cell(), name_cell(), department_cell(), department_cell());
    prop::collection::vec(row, 1..40).prop_map(|rows| {
        let mut text = String::from("action,login_id,family_name,given_name,department,title\n");
        for (index, (family, given, department, title)) in rows.iter().enumerate() {
            text.push_str(&format!("update,u{index},{family},{given},{department},{title}\n"));
        }
        let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
        assert!(!unmappable, "every word has a CP932 form");
        bytes.into_owned()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn shift_jis_names_pass_encoding_check(bytes in shift_jis_users_file()) {
        let report = users::validate_bytes(&bytes, &decode_cp932).report;
        let encoding_errors: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.is_error() && ["encoding_guess", "mixed_encoding", "unknown_encoding", "undecodable"].contains(&f.code.as_ref()))
            .collect();
        prop_assert!(encoding_errors.is_empty(), "{encoding_errors:?}");
    }
}

#[test]
fn line_count_matches_engine_rules() {
    assert_eq!(line_count(b""), 0);
    assert_eq!(line_count(b"a"), 1);
    assert_eq!(line_count(b"a\n"), 1);
    assert_eq!(line_count(b"a\r\nb"), 2);
    assert_eq!(line_count(b"a\rb\r"), 2);
    assert_eq!(line_count(b"\n\n"), 2);
    assert_eq!(line_count(b"a\n\rb"), 3);
}
