//! Deterministic users CSV files for the criterion benchmark and the
//! `validate_large` example, which include this file with `#[path]`.
//!
//! Names are in Japanese and departments and titles mix Japanese and English,
//! so the text has multi-byte characters as files from Japanese tenants do.
//! A valid row is about 115 bytes.

use std::fmt::Write;

/// The header of every generated file, in the format's column order.
pub const HEADER: &str =
    "action,login_id,email,family_name,given_name,display_name,department,title,phone";

const FAMILY_NAMES: [(&str, &str); 8] = [
    ("tanaka", "田中"),
    ("suzuki", "鈴木"),
    ("takahashi", "髙橋"),
    ("ito", "伊藤"),
    ("watanabe", "渡辺"),
    ("yamamoto", "山本"),
    ("nakamura", "中村"),
    ("kobayashi", "小林"),
];

const GIVEN_NAMES: [(&str, &str); 8] = [
    ("aiko", "愛子"),
    ("ben", "勉"),
    ("chihiro", "千尋"),
    ("daisuke", "大輔"),
    ("emi", "恵美"),
    ("hiroshi", "博"),
    ("kenji", "健二"),
    ("yui", "結衣"),
];

const DEPARTMENTS: [&str; 6] = ["営業部", "Sales", "開発本部", "Engineering", "人事部", "Finance"];

const TITLES: [&str; 5] = ["課長", "Manager", "主任", "Engineer", ""];

/// A xorshift generator with a fixed seed, so every run builds the same file.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        // Only small indexes are taken from the value, so truncation is fine.
        (self.0 >> 32) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next() % items.len()]
    }
}

/// Builds a users CSV with `rows` data rows and CRLF line ends that
/// validates without errors: 90% create, 7% update and 3% delete, each row
/// with its own login ID and email.
pub fn valid_users_csv(rows: usize) -> String {
    let mut text = String::with_capacity(130 * rows + HEADER.len() + 2);
    text.push_str(HEADER);
    text.push_str("\r\n");
    let mut sequence = Sequence(0x9E37_79B9_7F4A_7C15);
    for index in 0..rows {
        push_valid_row(&mut text, &mut sequence, index);
    }
    text
}

fn push_valid_row(text: &mut String, sequence: &mut Sequence, index: usize) {
    let (family_latin, family) = *sequence.pick(&FAMILY_NAMES);
    let (given_latin, given) = *sequence.pick(&GIVEN_NAMES);
    let department = *sequence.pick(&DEPARTMENTS);
    let title = *sequence.pick(&TITLES);
    let login_id = format!("{given_latin}.{family_latin}.{index:06}");
    let domain = if index.is_multiple_of(3) { "example.co.jp" } else { "example.com" };
    let phone = format!("+81 3 {:04} {:04}", sequence.next() % 10_000, index % 10_000);
    // Writing to a String cannot fail.
    let _ = match index % 100 {
        0..=89 => writeln!(
            text,
            "create,{login_id},{login_id}@{domain},{family},{given},{family} {given},{department},{title},{phone}\r",
        ),
        90..=96 => writeln!(text, "update,{login_id},,,,,{department},{title},{phone}\r"),
        _ => writeln!(text, "delete,{login_id},,,,,,,\r"),
    };
}

/// Builds a users CSV with `rows` data rows in which seven of every eight
/// rows have a finding. The findings cycle through an email without a
/// top-level domain, a duplicate login ID, an unknown action, a formula-like
/// name (a warning), an invalid phone, a login ID with a space and a create
/// without a given name.
pub fn invalid_users_csv(rows: usize) -> String {
    let mut text = String::with_capacity(130 * rows + HEADER.len() + 2);
    text.push_str(HEADER);
    text.push_str("\r\n");
    let mut sequence = Sequence(0xD1B5_4A32_D192_ED03);
    let mut previous_login_id = String::new();
    for index in 0..rows {
        let (family_latin, family) = *sequence.pick(&FAMILY_NAMES);
        let (given_latin, given) = *sequence.pick(&GIVEN_NAMES);
        let login_id = format!("{given_latin}.{family_latin}.{index:06}");
        let email = format!("{login_id}@example.com");
        let _ = match index % 8 {
            0 => writeln!(text, "create,{login_id},{login_id}@example,{family},{given},,,,\r"),
            1 => writeln!(text, "create,{previous_login_id},{email},{family},{given},,,,\r"),
            2 => writeln!(text, "creat,{login_id},{email},{family},{given},,,,\r"),
            3 => writeln!(text, "create,{login_id},{email},=SUM(A1:A9),{given},,,,\r"),
            4 => writeln!(text, "create,{login_id},{email},{family},{given},,,,03-1234-ABCD\r"),
            5 => {
                writeln!(text, "create,{given_latin} {family_latin},{email},{family},{given},,,,\r")
            }
            6 => writeln!(text, "create,{login_id},{email},{family},,,,,\r"),
            _ => writeln!(text, "create,{login_id},{email},{family},{given},,,,\r"),
        };
        previous_login_id = login_id;
    }
    text
}
