//! Footer links and the sign-in screen link: an https URL and a label in
//! each language the sign-in screens show.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::finding::Severity;
use crate::rules::Issue;

/// A link with a label per language, keyed by language code (`ja`, `en`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub labels: BTreeMap<String, String>,
    pub url: String,
}

/// An issue with one field of a link list, such as `links[2].url` or
/// `links[0].labels.ja`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkIssue {
    pub field: String,
    pub issue: Issue,
}

/// Languages every label needs, because the sign-in screens show them.
pub const REQUIRED_LABEL_LANGUAGES: [&str; 2] = ["en", "ja"];
/// Maximum label length, in characters.
pub const LABEL_MAX_CHARS: usize = 40;
/// Maximum URL length, in characters.
pub const URL_MAX_CHARS: usize = 2048;
/// Maximum number of footer links the sign-in screens show.
pub const FOOTER_LINKS_MAX: usize = 5;

fn error(code: &'static str, message: String) -> Issue {
    Issue { severity: Severity::Error, code, message }
}

fn language_name(code: &str) -> &str {
    match code {
        "en" => "English",
        "ja" => "Japanese",
        other => other,
    }
}

/// Checks that a URL is an absolute `https://` URL with a host name and no
/// credentials, spaces or control characters.
pub fn check_https_url(url: &str) -> Option<Issue> {
    let invalid = |message: String| Some(error("invalid_url", message));
    if url.is_empty() {
        return invalid("The URL is required; write it like `https://example.com/help`.".into());
    }
    let length = url.chars().count();
    if length > URL_MAX_CHARS {
        return invalid(format!(
            "The URL is {length} characters long; the maximum is {URL_MAX_CHARS}."
        ));
    }
    if let Some(bad) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return invalid(format!(
            "URL `{url}` contains {bad:?}; remove spaces and line breaks, or write a space as `%20`."
        ));
    }
    if let Some(bad) =
        url.chars().find(|c| matches!(c, '<' | '>' | '"' | '`' | '\\' | '{' | '}' | '|' | '^'))
    {
        return invalid(format!("URL `{url}` contains `{bad}`; percent-encode it or remove it."));
    }
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("https://").map(|_| &url[8..]) else {
        if lower.starts_with("http://") {
            return invalid(format!(
                "URL `{url}` uses http; only https links are allowed, so write `https://{}`.",
                &url[7..]
            ));
        }
        if let Some((scheme, _)) =
            url.split_once(':').filter(|(s, _)| !s.contains('/') && !s.contains('.'))
        {
            return invalid(format!(
                "URL `{url}` uses the `{scheme}:` scheme; only `https://` links are allowed."
            ));
        }
        return invalid(format!(
            "URL `{url}` has no scheme; write it as `https://{}`.",
            url.trim_start_matches('/')
        ));
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    if authority.contains('@') {
        return invalid(format!(
            "URL `{url}` contains a user name or password before `@`; remove it."
        ));
    }
    if authority.starts_with('[') {
        return invalid(format!("URL `{url}` uses an IP address; use a host name instead."));
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.chars().all(|c| c.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p));
        if !valid {
            return invalid(format!(
                "URL `{url}` has the port `{port}`; a port is a number from 1 to 65535."
            ));
        }
    }
    if host.is_empty() {
        return invalid(format!("URL `{url}` has no host; write it like `https://example.com/`."));
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 {
        return invalid(format!(
            "URL `{url}` has the host `{host}` without a domain; write a full name like `{host}.example.com`."
        ));
    }
    if labels.iter().all(|label| label.chars().all(|c| c.is_ascii_digit())) {
        return invalid(format!("URL `{url}` uses an IP address; use a host name instead."));
    }
    // A part of the host that mixes ASCII letters with letters of another
    // script, as `exаmple` with a Cyrillic `а` does, imitates another site.
    let mixes_scripts = |label: &&str| {
        label.chars().any(|c| c.is_ascii_alphabetic())
            && label.chars().any(|c| !c.is_ascii() && c.is_alphabetic())
    };
    if labels.iter().any(mixes_scripts) {
        return invalid(format!(
            "URL `{}` has a host that mixes Latin letters with letters of another script, \
             which can imitate another site; write the host in its ASCII (punycode, `xn--`) form.",
            crate::csv::engine::excerpt(url)
        ));
    }
    for label in &labels {
        let valid = !label.is_empty()
            && label.chars().count() <= 63
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !valid {
            return invalid(format!(
                "URL `{url}` has the host `{host}`, which is not a valid name: each part between dots needs letters, digits or inner hyphens."
            ));
        }
    }
    None
}

/// Checks one link and returns the field suffix (`url`, `labels.ja`) with
/// each issue.
fn check_link(link: &Link) -> Vec<(String, Issue)> {
    let mut issues = Vec::new();
    for language in REQUIRED_LABEL_LANGUAGES {
        let present = link.labels.get(language).is_some_and(|label| !label.trim().is_empty());
        if !present {
            issues.push((
                format!("labels.{language}"),
                error(
                    "label_required",
                    format!("The {} label is required.", language_name(language)),
                ),
            ));
        }
    }
    for (language, label) in &link.labels {
        let field = format!("labels.{language}");
        // The sign-in screens exist in these languages only, so a label in
        // another one could never show.
        if !REQUIRED_LABEL_LANGUAGES.contains(&language.as_str()) {
            issues.push((
                field,
                error(
                    "invalid_language",
                    format!(
                        "`{}` is not a supported language; write labels for en and ja only.",
                        crate::csv::engine::excerpt(language)
                    ),
                ),
            ));
            continue;
        }
        if label.trim().is_empty() {
            continue; // Reported above as a missing required label.
        }
        let length = label.chars().count();
        if length > LABEL_MAX_CHARS {
            issues.push((
                field,
                error(
                    "too_long",
                    format!(
                        "The {} label is {length} characters long; the maximum is {LABEL_MAX_CHARS}.",
                        language_name(language)
                    ),
                ),
            ));
        } else if let Some(position) = label.chars().position(char::is_control) {
            issues.push((
                field,
                error(
                    "control_character",
                    format!(
                        "The {} label contains a control character at position {}; remove it.",
                        language_name(language),
                        position + 1
                    ),
                ),
            ));
        } else if let Some(c) = label.chars().find(|&c| crate::rules::is_invisible(c)) {
            issues.push((
                field,
                error(
                    "invisible_character",
                    format!(
                        "The {} label contains the invisible character U+{:04X}; delete it and retype the label.",
                        language_name(language),
                        u32::from(c)
                    ),
                ),
            ));
        } else if label.trim() != label {
            issues.push((
                field,
                error(
                    "surrounding_space",
                    format!(
                        "The {} label `{label}` starts or ends with a space; remove it.",
                        language_name(language)
                    ),
                ),
            ));
        }
    }
    if let Some(issue) = check_https_url(&link.url) {
        issues.push(("url".to_owned(), issue));
    }
    issues
}

/// Folds a URL for duplicate detection: scheme and host are
/// case-insensitive, and a trailing slash does not make another page.
fn url_key(url: &str) -> String {
    let rest = url.get(8..).unwrap_or_default();
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(host_end);
    let path = path.strip_suffix('/').unwrap_or(path);
    format!("{}{path}", host.to_lowercase())
}

/// Checks the footer links: at most [`FOOTER_LINKS_MAX`], each valid, and
/// no URL or label used twice.
pub fn check_footer_links(links: &[Link]) -> Vec<LinkIssue> {
    let mut issues = Vec::new();
    if links.len() > FOOTER_LINKS_MAX {
        issues.push(LinkIssue {
            field: "links".to_owned(),
            issue: error(
                "too_many_links",
                format!(
                    "There are {} footer links; the maximum is {FOOTER_LINKS_MAX}. Remove {}.",
                    links.len(),
                    links.len() - FOOTER_LINKS_MAX
                ),
            ),
        });
    }
    for (index, link) in links.iter().enumerate() {
        for (suffix, issue) in check_link(link) {
            issues.push(LinkIssue { field: format!("links[{index}].{suffix}"), issue });
        }
    }
    for (index, link) in links.iter().enumerate() {
        let earlier = &links[..index];
        if !link.url.is_empty() {
            if let Some(first) =
                earlier.iter().position(|other| url_key(&other.url) == url_key(&link.url))
            {
                issues.push(LinkIssue {
                    field: format!("links[{index}].url"),
                    issue: error(
                        "duplicate_link",
                        format!(
                            "Link {} points to the same URL as link {}; remove one of them.",
                            index + 1,
                            first + 1
                        ),
                    ),
                });
            }
        }
        for (language, label) in &link.labels {
            let same_label =
                |other: &Link| other.labels.get(language).is_some_and(|o| o.trim() == label.trim());
            if label.trim().is_empty() {
                continue;
            }
            if let Some(first) = earlier.iter().position(same_label) {
                issues.push(LinkIssue {
                    field: format!("links[{index}].labels.{language}"),
                    issue: error(
                        "duplicate_label",
                        format!(
                            "Link {} has the same {} label `{label}` as link {}; give each link its own label.",
                            index + 1,
                            language_name(language),
                            first + 1
                        ),
                    ),
                });
            }
        }
    }
    issues
}

/// Checks the sign-in screen link; its fields are named `link.url` and
/// `link.labels.<language>`.
pub fn check_login_link(link: &Link) -> Vec<LinkIssue> {
    check_link(link)
        .into_iter()
        .map(|(suffix, issue)| LinkIssue { field: format!("link.{suffix}"), issue })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(en: &str, ja: &str, url: &str) -> Link {
        let labels = [("en", en), ("ja", ja)]
            .into_iter()
            .filter(|(_, label)| !label.is_empty())
            .map(|(language, label)| (language.to_owned(), label.to_owned()))
            .collect();
        Link { labels, url: url.to_owned() }
    }

    fn url_message(url: &str) -> Option<String> {
        check_https_url(url).map(|issue| issue.message)
    }

    #[test]
    fn https_url_with_path_and_port_passes() {
        assert_eq!(url_message("https://help.example.com:8443/faq?x=1#top"), None);
        assert_eq!(url_message("https://例え.jp/"), None);
    }

    #[test]
    fn http_url_gets_https_suggestion() {
        assert_eq!(
            url_message("http://example.com/help").as_deref(),
            Some("URL `http://example.com/help` uses http; only https links are allowed, so write `https://example.com/help`.")
        );
    }

    #[test]
    fn url_without_scheme_gets_suggestion() {
        assert_eq!(
            url_message("example.com/help").as_deref(),
            Some("URL `example.com/help` has no scheme; write it as `https://example.com/help`.")
        );
    }

    #[test]
    fn javascript_url_is_rejected() {
        assert_eq!(
            url_message("javascript:alert(1)").as_deref(),
            Some("URL `javascript:alert(1)` uses the `javascript:` scheme; only `https://` links are allowed.")
        );
    }

    #[test]
    fn url_with_credentials_space_or_bad_port_fails() {
        assert!(url_message("https://user:pw@example.com/")
            .unwrap()
            .contains("user name or password"));
        assert!(url_message("https://example.com/a b").unwrap().contains("remove spaces"));
        assert!(url_message("https://example.com:99999/").unwrap().contains("from 1 to 65535"));
        assert!(url_message("https://localhost/").unwrap().contains("without a domain"));
        assert!(url_message("https://192.168.0.1/").unwrap().contains("IP address"));
        assert!(url_message("https://-bad-.example.com/").unwrap().contains("not a valid name"));
    }

    #[test]
    fn label_in_unsupported_language_is_rejected() {
        let mut link = link("Help", "ヘルプ", "https://example.com/");
        link.labels.insert("xx".to_owned(), "bad".to_owned());
        let issues = check_login_link(&link);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].field, "link.labels.xx");
    }

    #[test]
    fn label_with_bidi_override_is_rejected() {
        let link = link("Help\u{202E}gnp.exe", "ヘルプ", "https://example.com/");
        let issues = check_login_link(&link);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].issue.code, "invisible_character");
    }

    #[test]
    fn non_ascii_host_is_rejected() {
        let issue = check_https_url("https://ex\u{0430}mple.com/");
        assert!(issue.is_some_and(|i| i.message.contains("punycode")));
    }

    #[test]
    fn labels_need_english_and_japanese() {
        let issues = check_login_link(&link("Help", "", "https://example.com/help"));
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].field, "link.labels.ja");
        assert_eq!(issues[0].issue.message, "The Japanese label is required.");
    }

    #[test]
    fn long_label_gives_length_and_maximum() {
        let long = "a".repeat(41);
        let issues = check_login_link(&link(&long, "ヘルプ", "https://example.com/"));
        assert_eq!(issues[0].field, "link.labels.en");
        assert_eq!(
            issues[0].issue.message,
            "The English label is 41 characters long; the maximum is 40."
        );
    }

    #[test]
    fn six_footer_links_are_too_many() {
        let links: Vec<Link> = (1..=6)
            .map(|n| {
                link(
                    &format!("Page {n}"),
                    &format!("ページ{n}"),
                    &format!("https://example.com/{n}"),
                )
            })
            .collect();
        let issues = check_footer_links(&links);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].field, "links");
        assert_eq!(
            issues[0].issue.message,
            "There are 6 footer links; the maximum is 5. Remove 1."
        );
        assert!(check_footer_links(&links[..5]).is_empty());
    }

    #[test]
    fn duplicates_reported_on_later_link() {
        let links = [
            link("Help", "ヘルプ", "https://Example.com/help/"),
            link("Privacy", "ヘルプ", "https://example.com/help"),
        ];
        let issues = check_footer_links(&links);
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["links[1].url", "links[1].labels.ja"]);
        assert_eq!(
            issues[0].issue.message,
            "Link 2 points to the same URL as link 1; remove one of them."
        );
    }
}
