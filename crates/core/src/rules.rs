//! Field rules for users. Each rule checks one value and returns the problem
//! it finds with a severity. The console shows it under the field, the CSV
//! validator places it at a row and column, and the server rejects a request
//! with the same words.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::api::{FieldError, UserFields};
use crate::finding::Severity;

/// A problem found in one value. The message names the value and what would
/// be right. It leaves out where the value is, because the caller adds that.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
}

impl Issue {
    fn error(code: &'static str, message: impl Into<String>) -> Issue {
        Issue { severity: Severity::Error, code, message: message.into() }
    }

    fn warning(code: &'static str, message: impl Into<String>) -> Issue {
        Issue { severity: Severity::Warning, code, message: message.into() }
    }
}

/// The fields of a user, in CSV column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserField {
    LoginId,
    Email,
    FamilyName,
    GivenName,
    DisplayName,
    Department,
    Title,
    Phone,
}

impl UserField {
    pub const ALL: [UserField; 8] = [
        UserField::LoginId,
        UserField::Email,
        UserField::FamilyName,
        UserField::GivenName,
        UserField::DisplayName,
        UserField::Department,
        UserField::Title,
        UserField::Phone,
    ];

    /// The field's name in the API and in CSV headers.
    pub fn name(self) -> &'static str {
        match self {
            UserField::LoginId => "login_id",
            UserField::Email => "email",
            UserField::FamilyName => "family_name",
            UserField::GivenName => "given_name",
            UserField::DisplayName => "display_name",
            UserField::Department => "department",
            UserField::Title => "title",
            UserField::Phone => "phone",
        }
    }

    /// The field's label in forms.
    pub fn label(self) -> &'static str {
        match self {
            UserField::LoginId => "Login ID",
            UserField::Email => "Email",
            UserField::FamilyName => "Family name",
            UserField::GivenName => "Given name",
            UserField::DisplayName => "Display name",
            UserField::Department => "Department",
            UserField::Title => "Title",
            UserField::Phone => "Phone",
        }
    }

    /// Whether a user cannot be created without this field.
    pub fn required(self) -> bool {
        matches!(
            self,
            UserField::LoginId | UserField::Email | UserField::FamilyName | UserField::GivenName
        )
    }

    /// Maximum length in characters (Unicode scalar values).
    pub fn max_chars(self) -> usize {
        match self {
            UserField::LoginId => LOGIN_ID_MAX_CHARS,
            UserField::Email => EMAIL_MAX_CHARS,
            UserField::FamilyName | UserField::GivenName => 64,
            UserField::DisplayName | UserField::Department | UserField::Title => 128,
            UserField::Phone => 32,
        }
    }

    pub fn get(self, fields: &UserFields) -> &str {
        match self {
            UserField::LoginId => &fields.login_id,
            UserField::Email => &fields.email,
            UserField::FamilyName => &fields.family_name,
            UserField::GivenName => &fields.given_name,
            UserField::DisplayName => &fields.display_name,
            UserField::Department => &fields.department,
            UserField::Title => &fields.title,
            UserField::Phone => &fields.phone,
        }
    }

    pub fn get_mut(self, fields: &mut UserFields) -> &mut String {
        match self {
            UserField::LoginId => &mut fields.login_id,
            UserField::Email => &mut fields.email,
            UserField::FamilyName => &mut fields.family_name,
            UserField::GivenName => &mut fields.given_name,
            UserField::DisplayName => &mut fields.display_name,
            UserField::Department => &mut fields.department,
            UserField::Title => &mut fields.title,
            UserField::Phone => &mut fields.phone,
        }
    }

    /// Checks one value of this field. `required` is false where an empty
    /// value means "leave unchanged", as in a CSV update row.
    pub fn check(self, value: &str, required: bool) -> Option<Issue> {
        // Department and title may span lines, as an address block does.
        let multiline = matches!(self, UserField::Department | UserField::Title);
        let limits = Limits { label: self.label(), max_chars: self.max_chars(), multiline };
        if let Some(result) = check_presence_and_shape(value, required, limits) {
            return result;
        }
        match self {
            UserField::LoginId => check_login_id(value),
            UserField::Email => check_email(value),
            UserField::Phone => check_phone(value),
            UserField::FamilyName
            | UserField::GivenName
            | UserField::DisplayName
            | UserField::Department
            | UserField::Title => check_text(self, value),
        }
    }
}

/// Limits that every text field checks before its own rule.
#[derive(Debug, Clone, Copy)]
struct Limits {
    label: &'static str,
    max_chars: usize,
    /// Whether the value may contain line breaks.
    multiline: bool,
}

/// The control and invisible characters of a value, which every text field
/// rejects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    /// 1-based character position of the first forbidden control character.
    control_at: Option<usize>,
    /// The first invisible character, as [`is_invisible`] defines it.
    invisible: Option<char>,
}

/// Bytes that make [`Shape::of`] decode a value character by character:
/// ASCII control characters, and the lead bytes of every other character
/// that is a control or invisible character, as [`is_invisible`] lists
/// them. U+0080 to U+009F and U+00AD start with 0xC2, U+034F with 0xCD and
/// U+061C with 0xD8. The Hangul and Mongolian fillers and separators start
/// with 0xE1, the zero-width and directional characters and U+2800 with
/// 0xE2, and U+3164 with 0xE3, as kana do. U+FEFF and U+FFA0 start with
/// 0xEF, and the tag characters with 0xF3.
const NEEDS_CHAR_SCAN: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[0x7F] = true;
    let mut index = 0;
    let leads = [0xC2, 0xCD, 0xD8, 0xE1, 0xE2, 0xE3, 0xEF, 0xF3];
    while index < leads.len() {
        table[leads[index]] = true;
        index += 1;
    }
    table
};

/// Returns whether `c` is a line feed or a carriage return.
fn is_line_break(c: char) -> bool {
    c == '\n' || c == '\r'
}

impl Shape {
    /// Scans `value`. Line feeds and carriage returns count as control
    /// characters unless `multiline` is set, because a quoted value may hold
    /// a line break as LF, CRLF or CR. Most values, kanji names
    /// among them, hold no byte of [`NEEDS_CHAR_SCAN`], and one loop over the
    /// bytes settles them.
    fn of(value: &str, multiline: bool) -> Shape {
        let mut shape = Shape { control_at: None, invisible: None };
        if !value.bytes().any(|byte| NEEDS_CHAR_SCAN[usize::from(byte)]) {
            return shape;
        }
        for (index, c) in value.chars().enumerate() {
            if shape.control_at.is_none() && c.is_control() && !(multiline && is_line_break(c)) {
                shape.control_at = Some(index + 1);
            }
            if shape.invisible.is_none() && is_invisible(c) {
                shape.invisible = Some(c);
            }
        }
        shape
    }
}

/// Checks emptiness, length and control characters. Returns `Some(result)`
/// when that settles the value, as it does for an empty or too long one, and
/// `None` when the field's own rule should look at it.
fn check_presence_and_shape(value: &str, required: bool, limits: Limits) -> Option<Option<Issue>> {
    let label = limits.label;
    if value.is_empty() {
        let issue = required.then(|| Issue::error("required", format!("{label} is required.")));
        return Some(issue);
    }
    // A value has at most as many characters as bytes, so only a long one
    // needs counting.
    if value.len() > limits.max_chars {
        let length = value.chars().count();
        if length > limits.max_chars {
            let message = format!(
                "{label} is {length} characters long; the maximum is {}.",
                limits.max_chars
            );
            return Some(Some(Issue::error("too_long", message)));
        }
    }
    let shape = Shape::of(value, limits.multiline);
    if let Some(position) = shape.control_at {
        let message =
            format!("{label} contains a control character at position {position}; remove it.");
        return Some(Some(Issue::error("control_character", message)));
    }
    if let Some(c) = shape.invisible {
        let message = format!(
            "{label} contains the invisible character U+{:04X}; delete it and retype the value.",
            u32::from(c)
        );
        return Some(Some(Issue::error("invisible_character", message)));
    }
    None
}

/// Whether a character changes a value or how it displays without showing:
/// zero-width characters, directional marks and overrides, word joiners, the
/// byte-order mark, the soft hyphen, the combining grapheme joiner, Hangul
/// and Mongolian fillers and separators, the blank braille pattern and tag
/// characters. Variation selectors are allowed, because Japanese names use
/// them for kanji variants and emoji for their presentation.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{FFA0}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

pub const LOGIN_ID_MAX_CHARS: usize = 64;
/// RFC 5321 limits a forward path to 256 octets including the angle brackets.
pub const EMAIL_MAX_CHARS: usize = 254;

fn check_login_id(value: &str) -> Option<Issue> {
    let allowed_byte = |byte: u8| byte.is_ascii_alphanumeric() || b"._-@".contains(&byte);
    if value.bytes().all(allowed_byte) && value.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@');
    if let Some(bad) = value.chars().find(|&c| !allowed(c)) {
        let hint = half_width_hint(value, |text| check_login_id(text).is_none());
        return Some(Issue::error(
            "invalid_login_id",
            format!(
                "Login ID `{value}` contains {}; use only ASCII letters, digits and `. _ - @`.{hint}",
                character_name(bad)
            ),
        ));
    }
    if !value.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some(Issue::error(
            "invalid_login_id",
            format!("Login ID `{value}` must start with a letter or a digit."),
        ));
    }
    None
}

/// Full-width characters that Japanese input methods produce in addresses.
const FULL_WIDTH_ADDRESS_CHARACTERS: [(char, char); 3] = [('＠', '@'), ('。', '.'), ('．', '.')];

/// Characters an address may hold before the `@` besides ASCII letters and
/// digits (RFC 5322's `atext`, plus the dot).
const EMAIL_LOCAL_SYMBOLS: &str = "!#$%&'*+/=?^_`{|}~.-";

/// Returns whether `check_email` passes `value`, decided in one pass over its
/// bytes. The common case passes: an ASCII address with one `@`, a local part of
/// allowed characters without misplaced dots, and a domain of valid labels
/// ending in an alphabetic top-level domain. A property test checks that it
/// agrees with the detailed checks.
pub(crate) fn is_plain_email(value: &str) -> bool {
    let bytes = value.as_bytes();
    let Some(at) = bytes.iter().position(|&byte| byte == b'@') else { return false };
    let (local, domain) = (&bytes[..at], &bytes[at + 1..]);
    if local.is_empty() || local.len() > 64 || local[0] == b'.' || local[local.len() - 1] == b'.' {
        return false;
    }
    let mut previous_dot = false;
    for &byte in local {
        let dot = byte == b'.';
        if !EMAIL_LOCAL_BYTES[usize::from(byte)] || (dot && previous_dot) {
            return false;
        }
        previous_dot = dot;
    }

    // One pass over the domain: every label non-empty, at most 63 bytes of
    // letters, digits and inner hyphens, and the last one alphabetic.
    let mut labels_before_last = 0;
    let mut label_len = 0;
    let mut previous = b'.';
    let mut last_label_alphabetic = true;
    for &byte in domain {
        if byte == b'.' {
            if label_len == 0 || previous == b'-' {
                return false;
            }
            labels_before_last += 1;
            label_len = 0;
            last_label_alphabetic = true;
        } else {
            let allowed = byte.is_ascii_alphanumeric() || (byte == b'-' && label_len > 0);
            label_len += 1;
            if !allowed || label_len > 63 {
                return false;
            }
            last_label_alphabetic &= byte.is_ascii_alphabetic();
        }
        previous = byte;
    }
    labels_before_last >= 1 && label_len >= 2 && last_label_alphabetic
}

/// Bytes allowed before the `@`: ASCII letters, digits and
/// [`EMAIL_LOCAL_SYMBOLS`].
const EMAIL_LOCAL_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = (byte as u8).is_ascii_alphanumeric();
        byte += 1;
    }
    let symbols = EMAIL_LOCAL_SYMBOLS.as_bytes();
    let mut index = 0;
    while index < symbols.len() {
        table[symbols[index] as usize] = true;
        index += 1;
    }
    table
};

fn check_email(value: &str) -> Option<Issue> {
    if is_plain_email(value) {
        return None;
    }
    find_email_problem(value)
}

/// Names what is wrong with an address, checking one rule after another.
fn find_email_problem(value: &str) -> Option<Issue> {
    if value.chars().any(|c| FULL_WIDTH_ADDRESS_CHARACTERS.iter().any(|&(wide, _)| wide == c)) {
        let suggestion: String = value
            .chars()
            .map(|c| {
                FULL_WIDTH_ADDRESS_CHARACTERS
                    .iter()
                    .find(|&&(wide, _)| wide == c)
                    .map_or(c, |&(_, narrow)| narrow)
            })
            .collect();
        return Some(Issue::error(
            "full_width_email",
            format!("Email `{value}` contains full-width characters; did you mean `{suggestion}`?"),
        ));
    }
    if let Some(space) = value.chars().find(|c| c.is_whitespace()) {
        return Some(Issue::error(
            "invalid_email",
            format!("Email `{value}` contains a space ({:?}); remove it.", space),
        ));
    }
    let Some((local, domain)) = value.split_once('@') else {
        return Some(Issue::error(
            "invalid_email",
            format!("Email `{value}` has no `@`; write it like `name@example.com`."),
        ));
    };
    if domain.contains('@') {
        return Some(Issue::error(
            "invalid_email",
            format!("Email `{value}` has more than one `@`; an address has exactly one."),
        ));
    }
    if local.is_empty() {
        return Some(Issue::error(
            "invalid_email",
            format!("Email `{value}` has nothing before the `@`."),
        ));
    }
    if local.len() > 64 {
        return Some(Issue::error(
            "invalid_email",
            format!(
                "Email `{value}` has {} characters before the `@`; the maximum is 64.",
                local.len()
            ),
        ));
    }
    let local_allowed = |c: char| c.is_ascii_alphanumeric() || EMAIL_LOCAL_SYMBOLS.contains(c);
    if let Some(bad) = local.chars().find(|&c| !local_allowed(c)) {
        return Some(Issue::error(
            "invalid_email",
            format!(
                "Email `{value}` contains `{bad}` before the `@`, which addresses cannot hold."
            ),
        ));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Some(Issue::error(
            "invalid_email",
            format!("Email `{value}` has a misplaced dot before the `@`: dots may not start, end or repeat there."),
        ));
    }
    if domain.is_empty() {
        return Some(Issue::error(
            "invalid_email",
            format!(
                "Email `{value}` has no domain after the `@`; write it like `{local}@example.com`."
            ),
        ));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Some(Issue::error(
            "invalid_email",
            format!(
                "Email `{value}` has no top-level domain; write it like `{local}@{domain}.com`."
            ),
        ));
    }
    for label in &labels {
        let label_ok = !label.is_empty()
            && label.len() <= 63
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !label_ok {
            return Some(Issue::error(
                "invalid_email",
                format!(
                    "Email `{value}` has an invalid domain `{domain}`: each part between dots needs letters, digits or inner hyphens."
                ),
            ));
        }
    }
    let top_level = labels.last().copied().unwrap_or_default();
    if top_level.len() < 2 || !top_level.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(Issue::error(
            "invalid_email",
            format!("Email `{value}` ends in `.{top_level}`, which is not a top-level domain."),
        ));
    }
    None
}

/// Names a character for a message: "a space" for a space, the code point
/// of another space or an invisible character, and the character in
/// backquotes otherwise.
fn character_name(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        '\u{3000}' => "a full-width space".to_owned(),
        _ if c.is_whitespace() => format!("the space character U+{:04X}", u32::from(c)),
        _ if c.is_control() || is_invisible(c) => {
            format!("the invisible character U+{:04X}", u32::from(c))
        }
        _ => format!("`{c}`"),
    }
}

/// Returns " Did you mean `…`?" with the NFKC form of a value typed in
/// full-width characters, such as `03` for `０３`. The hint is empty unless
/// that form passes `is_valid`.
fn half_width_hint(value: &str, is_valid: impl Fn(&str) -> bool) -> String {
    let normalized: String = value.nfkc().collect();
    if normalized != value && is_valid(&normalized) {
        format!(" Did you mean `{normalized}`?")
    } else {
        String::new()
    }
}

fn check_phone(value: &str) -> Option<Issue> {
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.');
    let body = value.strip_prefix('+').unwrap_or(value);
    if let Some(bad) = body.chars().find(|&c| !allowed(c)) {
        let hint = half_width_hint(value, |text| check_phone(text).is_none());
        return Some(Issue::error(
            "invalid_phone",
            format!(
                "Phone `{value}` contains {}; use ASCII digits, spaces, `-`, `.`, `(`, `)` and \
                 a leading `+`.{hint}",
                character_name(bad)
            ),
        ));
    }
    if !body.chars().any(|c| c.is_ascii_digit()) {
        return Some(Issue::error("invalid_phone", format!("Phone `{value}` has no digits.")));
    }
    None
}

fn check_text(field: UserField, value: &str) -> Option<Issue> {
    // A byte loop: `str::contains` compares each two-byte window through
    // `memcmp`, which costs more than the check on short values.
    let double_space = value.as_bytes().windows(2).any(|pair| pair[0] == b' ' && pair[1] == b' ');
    if double_space {
        return Some(Issue::warning(
            "double_space",
            format!(
                "{} `{value}` contains two spaces in a row; it is kept as typed.",
                field.label()
            ),
        ));
    }
    None
}

/// Checks every field of a user for a create or full update and returns the
/// errors; warnings do not block a save.
pub fn check_user_fields(fields: &UserFields) -> Vec<FieldError> {
    UserField::ALL
        .into_iter()
        .filter_map(|field| {
            let issue = field.check(field.get(fields), field.required())?;
            (issue.severity == Severity::Error)
                .then(|| FieldError { field: field.name().to_owned(), message: issue.message })
        })
        .collect()
}

/// Folds a key for duplicate detection: login ids and emails are
/// case-insensitive.
pub fn fold_key(value: &str) -> String {
    value.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(field: UserField, value: &str) -> Option<String> {
        field.check(value, true).map(|issue| issue.message)
    }

    #[test]
    fn email_without_top_level_domain_suggests_one() {
        assert_eq!(
            message(UserField::Email, "ben@example").as_deref(),
            Some("Email `ben@example` has no top-level domain; write it like `ben@example.com`.")
        );
    }

    #[test]
    fn full_width_at_sign_gets_suggested_fix() {
        assert_eq!(
            message(UserField::Email, "aiko＠example。com").as_deref(),
            Some("Email `aiko＠example。com` contains full-width characters; did you mean `aiko@example.com`?")
        );
    }

    #[test]
    fn valid_email_passes() {
        assert_eq!(message(UserField::Email, "aiko.tanaka+it@mail.example.co.jp"), None);
    }

    #[test]
    fn email_with_two_at_signs_fails() {
        let issue = UserField::Email.check("a@b@example.com", true);
        assert_eq!(issue.map(|i| i.code), Some("invalid_email"));
    }

    #[test]
    fn login_id_rejects_space() {
        assert_eq!(
            message(UserField::LoginId, "aiko tanaka").as_deref(),
            Some(
                "Login ID `aiko tanaka` contains a space; use only ASCII letters, digits and \
                 `. _ - @`."
            )
        );
    }

    #[test]
    fn full_width_group_id_gets_suggestion() {
        let issue = GroupField::GroupId.check("ｓａｌｅｓ", true).unwrap();
        assert_eq!(
            issue.message,
            "Group ID `ｓａｌｅｓ` contains `ｓ`; use only ASCII letters, digits and `. _ -`. \
             Did you mean `sales`?"
        );
    }

    #[test]
    fn fillers_and_tags_are_invisible() {
        for value in ["\u{3164}", "Tanaka\u{061C}", "A\u{180E}B", "\u{2800}", "Ito\u{E0041}"] {
            let issue = UserField::FamilyName.check(value, true);
            assert_eq!(issue.map(|i| i.code), Some("invisible_character"), "{value:?}");
        }
        // A variation selector picks a kanji variant, as in 葛 with U+E0100.
        assert_eq!(UserField::FamilyName.check("葛\u{E0100}城", true), None);
    }

    #[test]
    fn full_width_login_id_gets_suggestion() {
        assert_eq!(
            message(UserField::LoginId, "ａｉｋｏ").as_deref(),
            Some(
                "Login ID `ａｉｋｏ` contains `ａ`; use only ASCII letters, digits and `. _ - @`. \
                 Did you mean `aiko`?"
            )
        );
    }

    #[test]
    fn full_width_phone_gets_suggestion() {
        assert_eq!(
            message(UserField::Phone, "０３-１２３４-５６７８").as_deref(),
            Some(
                "Phone `０３-１２３４-５６７８` contains `０`; use ASCII digits, spaces, `-`, `.`, \
                 `(`, `)` and a leading `+`. Did you mean `03-1234-5678`?"
            )
        );
        let no_hint = message(UserField::Phone, "03-1234-5678 内線").unwrap();
        assert!(!no_hint.contains("Did you mean"), "{no_hint}");
    }

    #[test]
    fn login_id_must_start_alphanumeric() {
        assert!(message(UserField::LoginId, ".aiko").is_some());
        assert_eq!(message(UserField::LoginId, "aiko.tanaka"), None);
    }

    #[test]
    fn required_field_empty_is_error() {
        assert_eq!(message(UserField::FamilyName, "").as_deref(), Some("Family name is required."));
        assert_eq!(UserField::Department.check("", false), None);
    }

    #[test]
    fn too_long_name_gives_length_and_maximum() {
        let long = "あ".repeat(65);
        assert_eq!(
            message(UserField::GivenName, &long).as_deref(),
            Some("Given name is 65 characters long; the maximum is 64.")
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(message(UserField::GivenName, &"あ".repeat(64)), None);
        assert_eq!(message(UserField::GivenName, &"a".repeat(64)), None);
        assert!(message(UserField::GivenName, &"a".repeat(65)).is_some());
    }

    #[test]
    fn double_space_in_name_is_warning() {
        let issue = UserField::DisplayName.check("Aiko  Tanaka", true);
        assert_eq!(issue.map(|i| i.severity), Some(Severity::Warning));
    }

    #[test]
    fn right_to_left_override_is_rejected() {
        assert_eq!(
            message(UserField::GivenName, "Eve\u{202E}gnp.exe").as_deref(),
            Some("Given name contains the invisible character U+202E; delete it and retype the value.")
        );
    }

    #[test]
    fn shape_finds_controls_and_invisibles() {
        let cases = [
            ("Aiko", false, (None, None)),
            ("Ai\tko", false, (Some(3), None)),
            ("あい\u{7}", false, (Some(3), None)),
            ("a\nb", false, (Some(2), None)),
            ("a\nb", true, (None, None)),
            ("a\r\nb\rc", true, (None, None)),
            ("a\rb", false, (Some(2), None)),
            ("あ\u{200B}い\u{85}", false, (Some(4), Some('\u{200B}'))),
            ("x\u{7F}", true, (Some(2), None)),
        ];
        for (value, multiline, (control_at, invisible)) in cases {
            let shape = Shape::of(value, multiline);
            assert_eq!(shape, Shape { control_at, invisible }, "{value:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn shape_agrees_with_char_by_char_scan(
            value in "[a-z あ€\n\r\t\u{7F}\u{85}\u{AD}\u{200B}\u{2060}\u{202E}\u{FEFF}\u{2028}\u{34F}\u{61C}\u{180E}\u{2800}\u{3164}\u{FFA0}\u{E0041}\u{FE0F}]{0,10}",
            multiline in proptest::bool::ANY,
        ) {
            let forbidden = |c: char| c.is_control() && !(multiline && (c == '\n' || c == '\r'));
            let expected = Shape {
                control_at: value.chars().position(forbidden).map(|index| index + 1),
                invisible: value.chars().find(|&c| is_invisible(c)),
            };
            proptest::prop_assert_eq!(Shape::of(&value, multiline), expected);
        }

        #[test]
        fn plain_email_agrees_with_full_check(value in "[a-zA-Z0-9.@_+ -]{0,12}(\\.[a-z0-9-]{0,4}){0,2}") {
            proptest::prop_assert_eq!(is_plain_email(&value), find_email_problem(&value).is_none());
        }
    }

    #[test]
    fn phone_accepts_leading_plus() {
        assert_eq!(message(UserField::Phone, "+81 90 0000 0000"), None);
        assert!(message(UserField::Phone, "+81 90 abc").is_some());
    }

    #[test]
    fn check_user_fields_lists_errors_by_field() {
        let fields = UserFields {
            login_id: "aiko".into(),
            email: "aiko@example".into(),
            family_name: String::new(),
            given_name: "Aiko".into(),
            ..UserFields::default()
        };
        let errors = check_user_fields(&fields);
        let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(names, ["email", "family_name"]);
    }
}

/// The fields of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupField {
    GroupId,
    Name,
    Description,
}

impl GroupField {
    pub const ALL: [GroupField; 3] =
        [GroupField::GroupId, GroupField::Name, GroupField::Description];

    /// Returns the field's name in the API and in CSV headers.
    pub fn name(self) -> &'static str {
        match self {
            GroupField::GroupId => "group_id",
            GroupField::Name => "name",
            GroupField::Description => "description",
        }
    }

    /// Returns the field's label in forms.
    pub fn label(self) -> &'static str {
        match self {
            GroupField::GroupId => "Group ID",
            GroupField::Name => "Name",
            GroupField::Description => "Description",
        }
    }

    /// Maximum length in characters (Unicode scalar values).
    pub fn max_chars(self) -> usize {
        match self {
            GroupField::GroupId => 64,
            GroupField::Name => 128,
            GroupField::Description => 1024,
        }
    }

    /// Checks one value of this field; `required` as in [`UserField::check`].
    pub fn check(self, value: &str, required: bool) -> Option<Issue> {
        let multiline = self == GroupField::Description;
        let limits = Limits { label: self.label(), max_chars: self.max_chars(), multiline };
        if let Some(result) = check_presence_and_shape(value, required, limits) {
            return result;
        }
        if self != GroupField::GroupId {
            return None;
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
        if let Some(bad) = value.chars().find(|&c| !allowed(c)) {
            let hint = half_width_hint(value, |text| self.check(text, true).is_none());
            return Some(Issue::error(
                "invalid_group_id",
                format!(
                    "Group ID `{value}` contains {}; use only ASCII letters, digits and `. _ -`.{hint}",
                    character_name(bad)
                ),
            ));
        }
        if !value.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Some(Issue::error(
                "invalid_group_id",
                format!("Group ID `{value}` must start with a letter or a digit."),
            ));
        }
        None
    }
}
