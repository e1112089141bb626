//! The Notification emails area: the matrix of templates and languages and
//! the editor of one template in one language.

pub mod editor;
pub mod fields;
pub mod findings;
pub mod form;
pub mod matrix;
pub mod preview;
pub mod test_send;
pub mod variables;

use gatehouse_core::emails::Language;

/// Returns a language's name as the console shows it.
pub fn language_name(language: Language) -> &'static str {
    match language {
        Language::Ja => "Japanese",
        Language::En => "English",
    }
}
