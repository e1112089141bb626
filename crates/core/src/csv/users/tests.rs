use super::*;
use crate::csv::Encoding;
use crate::finding::{Finding, Severity, Stage};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/csv/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

fn decode_cp932(bytes: &[u8]) -> Option<String> {
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    (!had_errors).then(|| text.into_owned())
}

fn validate_fixture(name: &str) -> UsersValidation {
    validate_bytes(&fixture(name), &decode_cp932)
}

fn codes(validation: &UsersValidation) -> Vec<&str> {
    validation.report.findings.iter().map(|f| f.code.as_ref()).collect()
}

#[test]
fn bom_crlf_file_has_two_clean_rows() {
    let validation = validate_fixture("users-bom-crlf.csv");
    assert_eq!(validation.report.encoding, Some(Encoding::Utf8Bom));
    assert_eq!(validation.report.columns[0].field.as_deref(), Some("action"));
    assert_eq!(validation.report.valid_rows, 2);
    assert_eq!(validation.report.counts.errors, 0);
    for row in &validation.rows {
        for field in UserField::ALL {
            assert!(!row.field(field).contains('\r'), "{field:?} of row {}", row.row);
        }
    }
    assert_eq!(validation.report.changes.create, 2);
}

#[test]
fn semicolon_file_is_read_with_one_notice() {
    let validation = validate_fixture("users-semicolon.csv");
    assert_eq!(codes(&validation), ["delimiter"]);
    assert_eq!(validation.report.valid_rows, 1);
    assert_eq!(validation.rows[0].field(UserField::DisplayName), "Tanaka, Aiko");
}

#[test]
fn whitespace_is_trimmed_with_notice() {
    let validation = validate_fixture("users-whitespace.csv");
    assert_eq!(validation.report.valid_rows, 2);
    assert_eq!(validation.rows[0].field(UserField::LoginId), "aiko.tanaka");
    assert_eq!(validation.rows[0].field(UserField::Email), "aiko.tanaka@example.com");
    assert_eq!(validation.rows[1].field(UserField::Email), "ben.ito@example.com");
    assert_eq!(validation.rows[0].field(UserField::DisplayName), "Aiko  Tanaka");
    let trimmed = validation.report.findings.iter().find(|f| f.code == "trimmed");
    assert_eq!(
        trimmed.map(|f| f.message.as_str()),
        Some("3 value(s) had spaces around them, which were removed (first rows: 2, 3).")
    );
    let double = validation.report.findings.iter().find(|f| f.code == "double_space");
    assert_eq!(double.map(|f| (f.row, f.severity)), Some((Some(2), Severity::Warning)));
}

#[test]
fn blank_lines_give_one_notice() {
    let validation = validate_fixture("users-blank-lines.csv");
    assert_eq!(validation.report.valid_rows, 1);
    assert_eq!(validation.report.rows, 1);
    assert_eq!(codes(&validation), ["blank_lines"]);
    assert_eq!(validation.report.findings[0].message, "3 empty line(s) were skipped.");
}

#[test]
fn ragged_rows_are_padded_and_unnamed_column_dropped() {
    let validation = validate_fixture("users-ragged.csv");
    assert_eq!(validation.report.valid_rows, 2);
    assert_eq!(validation.report.counts.errors, 0);
    assert!(codes(&validation).contains(&"unnamed_column"));
    assert!(codes(&validation).contains(&"short_rows"));
}

#[test]
fn email_differing_in_case_is_duplicate() {
    let validation = validate_fixture("users-case-duplicates.csv");
    let errors: Vec<&Finding> =
        validation.report.findings.iter().filter(|f| f.is_error()).collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].row, Some(3));
    assert_eq!(errors[0].line_start, Some(3));
    assert_eq!(errors[0].column.as_deref(), Some("email"));
    assert_eq!(errors[0].stage, Stage::IntegrityCheck);
    assert_eq!(
        errors[0].message,
        "Email `aiko.tanaka@EXAMPLE.COM` duplicates row 2 (`Aiko.Tanaka@Example.com`), \
         differing only in letter case; each user needs its own."
    );
    assert_eq!(validation.report.valid_rows, 2);
}

#[test]
fn shift_jis_file_is_decoded_before_parsing() {
    let validation = validate_fixture("users-shift-jis.csv");
    assert_eq!(validation.report.encoding, Some(Encoding::ShiftJis));
    assert_eq!(validation.report.valid_rows, 1);
    let fields = validation.rows[0].fields();
    assert_eq!(fields.family_name, "髙橋");
    assert_eq!(fields.department, "研究開発機構");
    assert_eq!(fields.title, "主任");
}

#[test]
fn quoted_multiline_record_spans_lines() {
    let validation = validate_fixture("users-quoted-multiline.csv");
    assert_eq!(validation.report.rows, 1);
    assert_eq!(validation.rows[0].field(UserField::Department), "Sales\nTokyo office");
    assert_eq!(validation.rows[0].field(UserField::Title), "The \"boss\"");
    let text = String::from_utf8(fixture("users-quoted-multiline.csv")).unwrap_or_default();
    let broken = text.replace("aiko.tanaka@example.com", "aiko.tanaka@example");
    let validation = validate_text(&broken, Encoding::Utf8);
    let finding = &validation.report.findings[0];
    assert_eq!((finding.row, finding.line_start, finding.line_end), (Some(2), Some(2), Some(3)));
}

#[test]
fn formula_cells_are_warned_except_phone_plus() {
    let validation = validate_fixture("users-formula.csv");
    let formulas: Vec<(Option<u32>, Option<&str>)> = validation
        .report
        .findings
        .iter()
        .filter(|f| f.code == "formula_like")
        .map(|f| (f.row, f.column.as_deref()))
        .collect();
    assert_eq!(
        formulas,
        [
            (Some(2), Some("given_name")),
            (Some(2), Some("department")),
            (Some(3), Some("family_name"))
        ]
    );
    assert!(validation.report.findings.iter().all(|f| f.severity != Severity::Error));
}

#[test]
fn missing_login_id_column_is_one_file_error() {
    let validation =
        validate_text("action,email\ncreate,a@example.com\ncreate,b@example.com\n", Encoding::Utf8);
    let errors: Vec<&Finding> =
        validation.report.findings.iter().filter(|f| f.is_error()).collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, "missing_header");
    assert_eq!(errors[0].row, None);
}

#[test]
fn unknown_action_lists_allowed_actions() {
    let validation = validate_text("action,login_id\njoin,aiko\n", Encoding::Utf8);
    assert_eq!(
        validation.report.findings[0].message,
        "The action `join` is unknown; write create, update or delete."
    );
    assert_eq!(validation.report.findings[0].column.as_deref(), Some("action"));
}

#[test]
fn create_needs_email_and_names_columns() {
    let validation = validate_text("action,login_id\ncreate,aiko\n", Encoding::Utf8);
    assert_eq!(codes(&validation), ["missing_header"]);
    assert!(validation.report.findings[0].message.contains("email, family_name, given_name"));
    assert_eq!(validation.report.valid_rows, 0);
}

#[test]
fn delete_row_needs_only_login_id() {
    let validation = validate_text("action,login_id\ndelete,aiko\n", Encoding::Utf8);
    assert_eq!(validation.report.counts.errors, 0);
    assert_eq!(validation.report.changes.delete, 1);
}

#[test]
fn update_without_change_is_reported() {
    let validation = validate_text("action,login_id,email\nupdate,aiko,\n", Encoding::Utf8);
    assert_eq!(codes(&validation), ["update_without_change"]);
    assert_eq!(validation.report.changes.update, 0);
}

#[test]
fn latin1_file_gets_one_encoding_error() {
    let validation = validate_bytes(b"action,login_id\ncreate,jos\xE9\n", &decode_cp932);
    assert_eq!(codes(&validation), ["unknown_encoding"]);
    assert!(validation.report.findings[0].message.starts_with("Byte 0xE9 at offset 26 (line 2)"));
}

#[test]
fn invisible_character_is_flagged() {
    let validation =
        validate_text("action,login_id,email,family_name,given_name\ncreate,aiko,a@example.com,Ta\u{200B}naka,Aiko\n", Encoding::Utf8);
    assert_eq!(codes(&validation), ["invisible_character"]);
}

#[test]
fn duplicate_header_reported_once() {
    let validation =
        validate_text("action,login_id,login_id\ndelete,a,a\ndelete,b,b\n", Encoding::Utf8);
    assert_eq!(codes(&validation), ["duplicate_header"]);
}

#[test]
fn japanese_headers_map_to_fields() {
    let text = "操作,ログインＩＤ,メールアドレス,姓,名\ncreate,aiko,aiko@example.com,田中,愛子\n";
    let validation = validate_text(text, Encoding::Utf8);
    assert_eq!(validation.report.counts.errors, 0);
    let fields: Vec<Option<&str>> =
        validation.report.columns.iter().map(|c| c.field.as_deref()).collect();
    assert_eq!(
        fields,
        [Some("action"), Some("login_id"), Some("email"), Some("family_name"), Some("given_name")]
    );
}

#[test]
fn delete_then_update_of_same_user_conflicts() {
    let validation =
        validate_text("action,login_id,title\ndelete,aiko,\nupdate,AIKO,Boss\n", Encoding::Utf8);
    let conflict = validation.report.findings.iter().find(|f| f.code == "conflicting_actions");
    assert_eq!(
        conflict.map(|f| f.message.as_str()),
        Some(
            "Login ID `AIKO` conflicts with row 2 (`aiko`), differing only in letter case, \
             which has the action delete; name each user in one row only."
        )
    );
}

#[test]
fn unnamed_column_with_values_is_warned() {
    let validation = validate_text("action,login_id,\ndelete,aiko,oops\n", Encoding::Utf8);
    let finding = validation.report.findings.iter().find(|f| f.code == "unnamed_column");
    assert_eq!(finding.map(|f| f.severity), Some(Severity::Warning));
}

#[test]
fn latin1_read_as_shift_jis_is_an_error() {
    let bytes = b"action,login_id,email,family_name,given_name\n\
                  create,helene,helene@example.com,H\xe9l\xe8ne,Ren\xe9e\n";
    let validation = validate_bytes(bytes, &decode_cp932);
    let guess = &validation.report.findings[0];
    assert_eq!(guess.code, "encoding_guess");
    assert_eq!(guess.severity, Severity::Error);
    assert!(guess.message.contains("`H駘鈩e`"), "{}", guess.message);
    assert!(guess.message.contains("Windows-1252"), "{}", guess.message);
    assert_eq!(validation.report.valid_rows, 0);
    assert_eq!(validation.report.changes.create, 0);
    assert!(validation.rows.is_empty());
}

#[test]
fn windows_1252_accent_after_letter_is_an_error() {
    let bytes = b"action,login_id,email,family_name,given_name\n\
                  create,maria,maria@example.com,Garc\xEDa,Mar\xEDa\n";
    let validation = validate_bytes(bytes, &decode_cp932);
    let guess = &validation.report.findings[0];
    assert_eq!(guess.code, "encoding_guess");
    assert_eq!(guess.severity, Severity::Error);
    assert_eq!(validation.report.valid_rows, 0);
}

#[test]
fn shift_jis_department_with_latin_letters_is_notice() {
    let text = "action,login_id,department\nupdate,aiko,AI推進PJ\nupdate,ben,Web開発G\n";
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
    let validation = validate_bytes(&bytes, &decode_cp932);
    let guess = &validation.report.findings[0];
    assert_eq!(guess.code, "encoding_guess");
    assert_eq!(guess.severity, Severity::Notice);
    assert_eq!(validation.report.valid_rows, 2);
    assert_eq!(validation.rows[0].field(UserField::Department), "AI推進PJ");
}

#[test]
fn pasted_shift_jis_rows_are_error() {
    // Thirteen UTF-8 rows whose bytes happen to be valid CP932, and a last
    // row that ends in ｱｲ in CP932.
    let bytes = fixture("users-utf8-with-shift-jis-row.csv");
    let validation = validate_bytes(&bytes, &decode_cp932);
    let finding = &validation.report.findings[0];
    assert_eq!(finding.code, "mixed_encoding");
    assert_eq!(finding.severity, Severity::Error);
    assert_eq!(finding.line_start, Some(15));
    assert!(finding.message.contains("byte 0xB1"), "{}", finding.message);
    assert_eq!(validation.report.valid_rows, 0);
    assert!(validation.rows.is_empty());
    let report = report_bytes(&bytes, &decode_cp932, &mut |_| {});
    assert_eq!(report, validation.report);
}

#[test]
fn real_shift_jis_gets_notice_not_warning() {
    let validation = validate_fixture("users-shift-jis.csv");
    let guess = &validation.report.findings[0];
    assert_eq!(guess.code, "encoding_guess");
    assert_eq!(guess.severity, Severity::Notice);
    assert!(guess.message.contains("`髙橋`"), "{}", guess.message);
}

#[test]
fn unclosed_quote_is_an_error_at_its_row() {
    let text = "action,login_id,email,family_name,given_name\n\
                create,aiko,aiko@example.com,\"Tanaka,Aiko\n\
                create,ben,ben@example.com,Ito,Ben\n";
    let validation = validate_text(text, Encoding::Utf8);
    let finding = validation.report.findings.iter().find(|f| f.code == "unclosed_quote");
    let finding = finding.expect("an unclosed_quote finding");
    assert_eq!((finding.row, finding.line_start, finding.line_end), (Some(2), Some(2), Some(3)));
}

#[test]
fn unclosed_quote_row_is_not_imported() {
    // The quote swallows the rest of the file into one plain title.
    let text = "action,login_id,title\nupdate,aiko,\"Manager, Sales\n";
    let validation = validate_text(text, Encoding::Utf8);
    assert_eq!(codes(&validation), ["trimmed", "unclosed_quote"]);
    let message = &validation.report.findings[1].message;
    assert!(message.contains("so line 2 was read as one value"), "{message}");
    assert_eq!(validation.report.valid_rows, 0);
    assert_eq!(validation.report.changes.update, 0);
    assert!(validation.rows.is_empty());
}

#[test]
fn header_only_file_gets_notice() {
    let validation = validate_text("action,login_id\n", Encoding::Utf8);
    assert_eq!(codes(&validation), ["no_rows"]);
}

#[test]
fn huge_formula_cell_is_shortened_in_message() {
    let cell = format!("={}", "A".repeat(10_000));
    let text = format!("action,login_id,title\nupdate,aiko,{cell}\n");
    let validation = validate_text(&text, Encoding::Utf8);
    let finding = validation.report.findings.iter().find(|f| f.code == "formula_like");
    assert!(finding.is_some_and(|f| f.message.len() < 300));
}

#[test]
fn columns_follow_user_fields() {
    for field in UserField::ALL {
        assert_eq!(COLUMNS[column_of(field)].name, field.name());
    }
}

#[test]
fn blank_tail_after_rows_without_keys() {
    // After 1,000 rows only a tiny share of the file has been read, so the row
    // estimate is high and the key maps must size themselves by the keys added.
    let mut text = String::from("action,login_id,email,family_name,given_name\n");
    for index in 0..1_000 {
        text.push_str(&format!("create,,u{index}@example.com,Tanaka,Aiko\n"));
    }
    text.push_str(&"\n".repeat(2_000_000));
    let report = validate_text(&text, Encoding::Utf8).report;
    assert_eq!(report.rows, 1_000);
    assert_eq!(report.counts.errors, 1_000);
    assert!(report.findings.iter().all(|f| f.code == "required" || f.code == "blank_lines"));
}

#[test]
fn bom_inside_decoded_text_is_skipped_once() {
    let text = "\u{FEFF}\u{FEFF}\"action\",\"login_id\"\ndelete,aiko\n";
    let report = validate_text(text, Encoding::Utf8).report;
    assert_eq!(report.rows, 1);
    assert_eq!(report.columns[0].field.as_deref(), Some("action"));
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[test]
fn duplicate_of_long_value_is_shortened_in_message() {
    let long = "a".repeat(100);
    let text = format!("action,login_id\ndelete,{long}\ndelete,{long}\n");
    let report = validate_text(&text, Encoding::Utf8).report;
    let duplicate = report.findings.iter().find(|f| f.code == "duplicate_key").unwrap();
    assert!(duplicate.message.contains(&format!("`{}…`", "a".repeat(60))), "{}", duplicate.message);
    assert!(!duplicate.message.contains(&long));
}

#[test]
fn typed_row_returns_each_field() {
    let text = "action,login_id,email,family_name,given_name,phone\n\
                create,aiko,aiko@example.com,田中,Aiko,+81 3 0000 0000\n";
    let validation = validate_text(text, Encoding::Utf8);
    let row = &validation.rows[0];
    assert_eq!(row.field(UserField::LoginId), "aiko");
    assert_eq!(row.field(UserField::Email), "aiko@example.com");
    assert_eq!(row.field(UserField::FamilyName), "田中");
    assert_eq!(row.field(UserField::GivenName), "Aiko");
    assert_eq!(row.field(UserField::DisplayName), "");
    assert_eq!(row.field(UserField::Phone), "+81 3 0000 0000");
    assert_eq!(row.fields().family_name, "田中");
    assert_eq!(row.fields().title, "");
}

#[test]
fn unclosed_quote_in_header_is_an_error() {
    let text = "action,\"login_id\ndelete,aiko\n";
    let report = validate_text(text, Encoding::Utf8).report;
    let unclosed = report.findings.iter().find(|f| f.code == "unclosed_quote").unwrap();
    assert_eq!(unclosed.severity, Severity::Error);
    assert_eq!((unclosed.line_start, unclosed.line_end), (Some(1), Some(2)));
    assert_eq!(unclosed.row, None);
}

#[test]
fn unknown_header_message_is_shortened() {
    let long = "y".repeat(500);
    let text = format!("action,login_id,{long}\ndelete,aiko,\n");
    let report = validate_text(&text, Encoding::Utf8).report;
    let unknown = report.findings.iter().find(|f| f.code == "unknown_header").unwrap();
    assert!(unknown.message.contains(&format!("`{}…`", "y".repeat(60))), "{}", unknown.message);
    assert!(!unknown.message.contains(&long));
    assert_eq!(report.columns[2].header, format!("{}…", "y".repeat(60)));
}

#[test]
fn unclosed_quote_in_blank_record_is_an_error() {
    for tail in ["\"\n", ",\"   "] {
        let text = format!("action,login_id\ndelete,aiko\n{tail}");
        let validation = validate_text(&text, Encoding::Utf8);
        assert_eq!(codes(&validation), ["unclosed_quote"], "tail {tail:?}");
        let unclosed = &validation.report.findings[0];
        assert_eq!(unclosed.severity, Severity::Error);
        assert_eq!(unclosed.line_start, Some(3), "tail {tail:?}");
        assert_eq!(validation.report.valid_rows, 0, "tail {tail:?}");
        assert!(validation.rows.is_empty(), "tail {tail:?}");
    }
}

#[test]
fn blank_lines_after_multiline_header_are_counted() {
    let text = "action,login_id,\"note\nline\"\n\n\n\ndelete,aiko,\n";
    let report = validate_text(text, Encoding::Utf8).report;
    let blank = report.findings.iter().find(|f| f.code == "blank_lines").unwrap();
    assert_eq!(blank.message, "3 empty line(s) were skipped.");
}

#[test]
fn empty_update_still_conflicts_with_delete() {
    let text = "action,login_id,email,family_name,given_name\n\
                update,frank,,,\n\
                delete,frank,,,\n";
    let validation = validate_text(text, Encoding::Utf8);
    assert_eq!(codes(&validation), ["update_without_change", "conflicting_actions"]);
    assert_eq!(validation.report.findings[1].row, Some(3));
}

#[test]
fn email_in_rows_of_other_actions_is_duplicate() {
    let text = "action,login_id,email\n\
                create,aiko,shared@example.com\n\
                update,ben,shared@example.com\n";
    let validation = validate_text(text, Encoding::Utf8);
    let finding = validation.report.findings.iter().find(|f| f.row == Some(3)).unwrap();
    assert_eq!(finding.code, "duplicate_key");
    assert!(finding.message.contains("duplicates row 2"), "{}", finding.message);
}

#[test]
fn crlf_and_cr_inside_quoted_department_pass() {
    for line_break in ["\r\n", "\r", "\n"] {
        let text = format!(
            "action,login_id,email,family_name,given_name,department\r\n\
             create,taro,taro@example.com,Yamada,Taro,\"Sales{line_break}Tokyo\"\r\n"
        );
        let validation = validate_text(&text, Encoding::Utf8);
        assert!(
            validation.report.findings.is_empty(),
            "{line_break:?}: {:?}",
            validation.report.findings
        );
        assert_eq!(
            validation.rows[0].field(UserField::Department),
            format!("Sales{line_break}Tokyo")
        );
    }
}

#[test]
fn too_many_rows_leaves_no_valid_row() {
    let text = "action,login_id\ndelete,aiko\ndelete,ben\ndelete,carol\n";
    let checked = engine::check_text_limited(
        &SCHEMA,
        UserChecker::default(),
        text,
        Encoding::Utf8,
        &mut |_| {},
        2,
    );
    let report = &checked.report;
    let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_ref()).collect();
    assert_eq!(codes, ["too_many_rows"]);
    assert_eq!(
        report.findings[0].message,
        "The file has more than 2 data rows. Split it into smaller files."
    );
    assert_eq!(report.rows, 2);
    assert_eq!(report.valid_rows, 0);
    assert_eq!(report.changes.delete, 0);
    assert_eq!(checked.passed_rows(), 0);
}

#[test]
fn invisible_characters_are_named_in_messages() {
    let text = "action,Login\u{200B}ID,login_id\ncreate\u{200B},aiko,aiko\n";
    let report = validate_text(text, Encoding::Utf8).report;
    let header = report.findings.iter().find(|f| f.code == "unknown_header").unwrap();
    assert!(header.message.contains("`Login<U+200B>ID`"), "{}", header.message);
    let action = report.findings.iter().find(|f| f.row == Some(2)).unwrap();
    assert_eq!(
        action.message,
        "The action `create<U+200B>` is unknown; write create, update or delete."
    );

    let spaced = validate_text("action,login_id\ndelete,ai\u{A0}ko\n", Encoding::Utf8).report;
    let login = &spaced.findings[0];
    assert!(login.message.contains("contains the space character U+00A0"), "{}", login.message);
}

#[test]
fn unknown_header_lists_ten_names() {
    let unknown: Vec<String> = (0..25).map(|index| format!("extra{index}")).collect();
    let text = format!("action,login_id,{}\ndelete,aiko\n", unknown.join(","));
    let report = validate_text(&text, Encoding::Utf8).report;
    let finding = report.findings.iter().find(|f| f.code == "unknown_header").unwrap();
    assert!(
        finding.message.contains("`extra9`, and 15 more are not fields"),
        "{}",
        finding.message
    );
    assert!(!finding.message.contains("`extra10`"), "{}", finding.message);
}

#[test]
fn blank_lines_before_header_are_counted() {
    let text = "\n\n\naction,login_id\ndelete,aiko\n";
    let report = validate_text(text, Encoding::Utf8).report;
    let blank = report.findings.iter().find(|f| f.code == "blank_lines").unwrap();
    assert_eq!(blank.message, "3 empty line(s) were skipped.");
    assert_eq!(report.valid_rows, 1);
}
