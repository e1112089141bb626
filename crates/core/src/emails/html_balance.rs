//! A small tag-balance check for the HTML body of an email template. It is
//! no HTML parser: it finds opening and closing tags, skips comments,
//! template blocks and the content of raw text elements, and reports tags
//! that are closed in the wrong order, close nothing or are never closed.

use super::{line_and_column, TemplateFinding, TemplatePart};
use crate::finding::Severity;

/// Elements that never have content or a closing tag.
const VOID_ELEMENTS: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose closing tag HTML lets authors leave out. The closing tag
/// of a parent, or the end of the body, closes an open one silently.
const OPTIONAL_END_ELEMENTS: [&str; 19] = [
    "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup",
    "colgroup", "caption", "rb", "rt", "rtc", "rp", "body",
];

/// Elements whose content is text up to their closing tag.
const RAW_TEXT_ELEMENTS: [&str; 4] = ["script", "style", "textarea", "title"];

struct OpenTag {
    name: String,
    offset: usize,
}

fn finding(source: &str, offset: usize, code: &str, message: String) -> TemplateFinding {
    let (line, column) = line_and_column(source, offset);
    TemplateFinding {
        severity: Severity::Error,
        code: code.to_owned(),
        part: TemplatePart::Html,
        line: Some(line),
        column: Some(column),
        message,
    }
}

/// Returns the offset just past the template block that starts at `at`
/// (`{{ }}`, `{% %}` or `{# #}`), or `None` when no block starts there.
fn skip_template_block(source: &str, at: usize) -> Option<usize> {
    // Checking the byte first keeps the slice below on a character boundary.
    if source.as_bytes().get(at) != Some(&b'{') {
        return None;
    }
    let rest = &source[at..];
    let close = if rest.starts_with("{{") {
        "}}"
    } else if rest.starts_with("{%") {
        "%}"
    } else if rest.starts_with("{#") {
        "#}"
    } else {
        return None;
    };
    Some(rest[2..].find(close).map_or(source.len(), |end| at + 2 + end + 2))
}

fn tag_name_end(source: &str, start: usize) -> usize {
    source[start..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
        .map_or(source.len(), |end| start + end)
}

/// Returns the offset just past the `>` that ends the tag whose attributes
/// start at `at`, skipping quoted values and template blocks, and whether
/// the tag ends with `/>`.
fn tag_end(source: &str, mut at: usize) -> Option<(usize, bool)> {
    let bytes = source.as_bytes();
    while at < bytes.len() {
        if let Some(next) = skip_template_block(source, at) {
            at = next;
            continue;
        }
        match bytes[at] {
            quote @ (b'"' | b'\'') => {
                at = source[at + 1..].find(quote as char).map(|end| at + 1 + end + 1)?;
            }
            b'>' => return Some((at + 1, at > 0 && bytes[at - 1] == b'/')),
            _ => at += 1,
        }
    }
    None
}

/// Checks that the tags of an HTML template body are balanced.
pub fn check_tag_balance(source: &str) -> Vec<TemplateFinding> {
    let mut findings = Vec::new();
    let mut open: Vec<OpenTag> = Vec::new();
    let bytes = source.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if let Some(next) = skip_template_block(source, at) {
            at = next;
            continue;
        }
        if bytes[at] != b'<' {
            at += 1;
            continue;
        }
        let rest = &source[at..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            match comment.find("-->") {
                Some(end) => at += 4 + end + 3,
                None => {
                    findings.push(finding(
                        source,
                        at,
                        "unclosed_comment",
                        "This comment is never closed; end it with `-->`.".to_owned(),
                    ));
                    return findings;
                }
            }
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            at = rest.find('>').map_or(bytes.len(), |end| at + end + 1);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = at + if closing { 2 } else { 1 };
        let starts_with_letter =
            source[name_start..].chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if !starts_with_letter {
            // A `<` that starts no tag, as in "a < b", is text.
            at += 1;
            continue;
        }
        let name_end = tag_name_end(source, name_start);
        let name = source[name_start..name_end].to_ascii_lowercase();
        let Some((end, self_closing)) = tag_end(source, name_end) else {
            findings.push(finding(
                source,
                at,
                "unclosed_tag",
                format!(
                    "The tag `<{}{name}` has no closing `>`; add it.",
                    if closing { "/" } else { "" }
                ),
            ));
            return findings;
        };
        let tag_offset = at;
        at = end;
        if closing {
            close_element(source, &mut open, &mut findings, &name, tag_offset);
            continue;
        }
        if VOID_ELEMENTS.contains(&name.as_str()) || self_closing {
            continue;
        }
        if RAW_TEXT_ELEMENTS.contains(&name.as_str()) {
            let closing_tag = format!("</{name}");
            match source[at..].to_ascii_lowercase().find(&closing_tag) {
                Some(found) => {
                    let close_at = at + found;
                    at = tag_end(source, close_at + closing_tag.len())
                        .map_or(bytes.len(), |(end, _)| end);
                }
                None => {
                    findings.push(finding(
                        source,
                        tag_offset,
                        "unclosed_element",
                        format!("`<{name}>` is never closed; add `</{name}>`."),
                    ));
                    at = bytes.len();
                }
            }
            continue;
        }
        open.push(OpenTag { name, offset: tag_offset });
    }
    for tag in open {
        if !OPTIONAL_END_ELEMENTS.contains(&tag.name.as_str()) {
            let name = &tag.name;
            findings.push(finding(
                source,
                tag.offset,
                "unclosed_element",
                format!("`<{name}>` is never closed; add `</{name}>`."),
            ));
        }
    }
    findings
}

fn close_element(
    source: &str,
    open: &mut Vec<OpenTag>,
    findings: &mut Vec<TemplateFinding>,
    name: &str,
    offset: usize,
) {
    let Some(position) = open.iter().rposition(|tag| tag.name == name) else {
        findings.push(finding(
            source,
            offset,
            "unexpected_closing_tag",
            format!("`</{name}>` closes nothing because no `<{name}>` is open; remove it."),
        ));
        return;
    };
    for inner in open.drain(position + 1..) {
        if OPTIONAL_END_ELEMENTS.contains(&inner.name.as_str()) {
            continue;
        }
        let (line, column) = line_and_column(source, inner.offset);
        findings.push(finding(
            source,
            offset,
            "misnested_tag",
            format!(
                "`<{inner_name}>` from line {line}, column {column} is still open at `</{name}>`; add `</{inner_name}>` before it.",
                inner_name = inner.name
            ),
        ));
    }
    open.pop();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(source: &str) -> Vec<(String, u32, u32)> {
        check_tag_balance(source)
            .into_iter()
            .map(|f| (f.code, f.line.unwrap_or(0), f.column.unwrap_or(0)))
            .collect()
    }

    #[test]
    fn void_and_self_closing_tags_balance() {
        let source = "<P>Hello<br>{{ user.display_name }}</p>\n<img src=\"{{ logo }}\" alt=\"a > b\"/>\n<DIV><span/></div>";
        assert!(check_tag_balance(source).is_empty(), "{:?}", check_tag_balance(source));
    }

    #[test]
    fn optional_end_tags_may_be_left_out() {
        assert!(check_tag_balance("<ul><li>One<li>Two</ul><p>End").is_empty());
    }

    #[test]
    fn misnested_tag_is_reported_at_the_closing_tag() {
        let findings = check_tag_balance("<div>\n  <b>bold</div>");
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, "misnested_tag");
        assert_eq!((findings[0].line, findings[0].column), (Some(2), Some(10)));
        assert_eq!(
            findings[0].message,
            "`<b>` from line 2, column 3 is still open at `</div>`; add `</b>` before it."
        );
    }

    #[test]
    fn stray_closing_tag_is_reported() {
        assert_eq!(summary("<p>Hi</p></em>"), [("unexpected_closing_tag".to_owned(), 1, 10)]);
    }

    #[test]
    fn never_closed_tag_is_reported_where_it_opens() {
        assert_eq!(
            summary("<table>\n<tr><td>x</td></tr>"),
            [("unclosed_element".to_owned(), 1, 1)]
        );
    }

    #[test]
    fn comments_template_blocks_and_script_text_are_skipped() {
        let source = "<!-- <b> -->{% if a < b %}<i>x</i>{% endif %}<style>p > b { }</style>";
        assert!(check_tag_balance(source).is_empty(), "{:?}", check_tag_balance(source));
    }
}
