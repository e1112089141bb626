//! A small generated users file that the worker validates when it starts.
//!
//! Browsers compile WebAssembly with a quick baseline compiler first and
//! optimize a function only after it has run for a while, and its
//! optimized code serves only later calls. Without this warm-up the first
//! file a person picks runs largely on baseline code: on the browser
//! benchmark's 100,000-row file that first run took about twice as long as
//! the later ones (see BENCHMARKS.md). The warm-up costs a few tens of
//! milliseconds while the import page opens.

use gatehouse_core::csv::users;

/// Rows of the warm-up file: enough for the browser to optimize the row
/// checks, few enough to validate in tens of milliseconds on baseline code.
pub const WARM_UP_ROWS: usize = 5_000;

/// Writes a users file that exercises the common paths of the validator:
/// ASCII and Japanese names, quoted values, phone numbers and all three
/// actions. Every row is valid.
pub fn warm_up_file(rows: usize) -> Vec<u8> {
    let mut text = String::from(
        "action,login_id,email,family_name,given_name,display_name,department,title,phone\r\n",
    );
    let family_names = ["Tanaka", "田中", "Suzuki", "佐藤"];
    let given_names = ["Aiko", "花子", "Ben", "太郎"];
    for index in 0..rows {
        let action = match index % 50 {
            0 => "update",
            1 => "delete",
            _ => "create",
        };
        let family = family_names[index % family_names.len()];
        let given = given_names[index % given_names.len()];
        text.push_str(&format!(
            "{action},user.{index},User.{index}@example.com,{family},{given},{given} {family},\
             \"Sales, East\",Manager,+81 3 0000 {:04}\r\n",
            index % 10_000
        ));
    }
    text.into_bytes()
}

/// Validates the warm-up file and returns the number of valid rows, which
/// is `rows` unless the validator changed.
pub fn warm_up(rows: usize) -> u32 {
    let file = warm_up_file(rows);
    users::report_bytes(&file, &|_| None, &mut |_| {}).valid_rows
}
