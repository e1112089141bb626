//! Paging and search helpers shared by the list endpoints.

pub fn first_page() -> u32 {
    1
}

pub fn default_per_page() -> u32 {
    25
}

/// Largest page size any list endpoint returns.
pub const MAX_PER_PAGE: u32 = 200;

/// Returns the SQL `OFFSET` of a 1-based page.
pub fn offset(page: u32, per_page: u32) -> u64 {
    u64::from(page.max(1) - 1) * u64::from(per_page)
}

/// Turns a search text into a case-insensitive `LIKE` pattern that matches
/// it anywhere; `%`, `_` and `\` in the text match themselves, so the SQL
/// must say `ESCAPE '\'`.
pub fn like_pattern(search: &str) -> String {
    let escaped = search.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{}%", escaped.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_pattern(" A%b_c "), "%a\\%b\\_c%");
    }

    #[test]
    fn offset_of_first_page_is_zero() {
        assert_eq!(offset(1, 25), 0);
        assert_eq!(offset(3, 25), 50);
        assert_eq!(offset(0, 25), 0);
    }
}
