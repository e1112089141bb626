//! Checking and rendering templates with MiniJinja. The console calls
//! [`check`] while a designer types, and the server calls it again before it
//! saves. The server's preview and its mail both come from [`render`].

use std::collections::{BTreeMap, BTreeSet};

use minijinja::{AutoEscape, Environment, Value};
use serde::{Deserialize, Serialize};

use super::html_balance::check_tag_balance;
use super::{
    line_and_column, EmailParts, EmailTemplate, Language, TemplateFinding, TemplatePart,
    LANGUAGE_VARIABLE,
};
use crate::finding::Severity;

/// An email rendered for one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rendered {
    /// One line: line breaks that values bring in become spaces.
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// Instructions one rendering may run. It bounds loops such as
/// `{% for i in range(100000) %}` nested in each other; the default texts
/// need a few dozen.
const FUEL: u64 = 100_000;

fn environment() -> Environment<'static> {
    let mut environment = Environment::new();
    // Only the HTML body escapes: the subject and the text body are plain
    // text, where `&amp;` would show as it is.
    environment.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    environment.set_fuel(Some(FUEL));
    environment.set_debug(true);
    environment
}

fn source_name(part: TemplatePart) -> &'static str {
    match part {
        TemplatePart::Subject => "subject.txt",
        TemplatePart::Html => "body.html",
        TemplatePart::Text => "body.txt",
    }
}

fn error(part: TemplatePart, code: &str, message: String) -> TemplateFinding {
    TemplateFinding {
        severity: Severity::Error,
        code: code.to_owned(),
        part,
        line: None,
        column: None,
        message,
    }
}

/// Turns a MiniJinja error into a finding at its line and column.
fn engine_finding(
    part: TemplatePart,
    source: &str,
    code: &str,
    error: &minijinja::Error,
) -> TemplateFinding {
    let (line, column) = match error.range() {
        Some(range) => {
            let (line, column) = line_and_column(source, range.start);
            (Some(line), Some(column))
        }
        None => (error.line().map(|line| line as u32), None),
    };
    let detail = error.detail().map_or_else(|| error.kind().to_string(), str::to_owned);
    let message = match code {
        "syntax_error" => format!("{} has a template syntax error: {detail}.", part.label()),
        _ if error.kind() == minijinja::ErrorKind::OutOfFuel => format!(
            "{} takes too many steps to render, most likely in a loop that runs too often; \
             make the loops smaller.",
            part.label()
        ),
        _ => format!("{} could not be rendered: {detail}.", part.label()),
    };
    TemplateFinding {
        severity: Severity::Error,
        code: code.to_owned(),
        part,
        line,
        column,
        message,
    }
}

/// Returns the byte ranges of the `{{ }}` and `{% %}` blocks of a source.
fn expression_blocks(source: &str) -> Vec<(usize, usize)> {
    let mut blocks = Vec::new();
    let mut at = 0;
    while let Some(found) = source[at..].find('{') {
        let start = at + found;
        let close = match source.get(start + 1..start + 2) {
            Some("{") => "}}",
            Some("%") => "%}",
            _ => {
                at = start + 1;
                continue;
            }
        };
        let end = source[start + 2..].find(close).map_or(source.len(), |e| start + 2 + e + 2);
        blocks.push((start, end));
        at = end;
    }
    blocks
}

/// Finds the first use of a dotted variable name inside a template block.
fn variable_offset(source: &str, name: &str) -> Option<usize> {
    let is_name_char = |c: char| c.is_alphanumeric() || c == '_';
    for (start, end) in expression_blocks(source) {
        let block = &source[start..end];
        let mut from = 0;
        while let Some(found) = block[from..].find(name) {
            let position = from + found;
            let before = block[..position].chars().next_back();
            let after = block[position + name.len()..].chars().next();
            let starts_name = !before.is_some_and(|c| is_name_char(c) || c == '.');
            let ends_name = !after.is_some_and(is_name_char);
            if starts_name && ends_name {
                return Some(start + position);
            }
            from = position + name.len();
        }
    }
    None
}

/// Reports whether `name` is a variable of the template or an object that
/// contains some, as `user` contains `user.display_name`.
fn is_known(template: EmailTemplate, name: &str) -> bool {
    template.variables().iter().any(|variable| {
        variable.name == name
            || variable.name.strip_prefix(name).is_some_and(|rest| rest.starts_with('.'))
    })
}

fn check_part(
    template: EmailTemplate,
    environment: &Environment<'static>,
    part: TemplatePart,
    source: &str,
    findings: &mut Vec<TemplateFinding>,
) {
    if source.trim().is_empty() {
        findings.push(error(part, "empty_part", format!("{} is empty; write it.", part.label())));
        return;
    }
    let length = source.chars().count();
    if length > part.max_chars() {
        findings.push(error(
            part,
            "too_long",
            format!(
                "{} is {length} characters long; the maximum is {}.",
                part.label(),
                part.max_chars()
            ),
        ));
        return;
    }
    if part == TemplatePart::Subject {
        if let Some(offset) = source.find(['\r', '\n']) {
            let (line, column) = line_and_column(source, offset);
            findings.push(TemplateFinding {
                line: Some(line),
                column: Some(column),
                ..error(
                    part,
                    "line_break_in_subject",
                    "The subject contains a line break; a subject is one line.".to_owned(),
                )
            });
        }
    }
    let compiled = match environment.template_from_named_str(source_name(part), source) {
        Ok(compiled) => compiled,
        Err(error) => {
            findings.push(engine_finding(part, source, "syntax_error", &error));
            return;
        }
    };
    let globals: BTreeSet<&str> = environment.globals().map(|(name, _)| name).collect();
    let used = compiled.undeclared_variables(true);
    let mut unknown: Vec<&String> = used
        .iter()
        .filter(|name| !is_known(template, name) && !globals.contains(name.as_str()))
        .collect();
    unknown.sort_by_key(|name| variable_offset(source, name));
    for name in unknown {
        let known: Vec<&str> = template.variables().iter().map(|v| v.name).collect();
        let (line, column) = match variable_offset(source, name) {
            Some(offset) => {
                let (line, column) = line_and_column(source, offset);
                (Some(line), Some(column))
            }
            None => (None, None),
        };
        findings.push(TemplateFinding {
            line,
            column,
            ..error(
                part,
                "unknown_variable",
                format!(
                    "`{name}` is not a variable of this email; use one of {}.",
                    known.join(", ")
                ),
            )
        });
    }
    if part != TemplatePart::Subject {
        for variable in template.variables().into_iter().filter(|v| v.required) {
            if !used.contains(variable.name) {
                findings.push(error(
                    part,
                    "required_variable_missing",
                    format!(
                        "{} does not use `{{{{ {} }}}}`, which this email needs: {}",
                        part.label(),
                        variable.name,
                        variable.description.to_lowercase()
                    ),
                ));
            }
        }
    }
    if part == TemplatePart::Html {
        findings.extend(check_tag_balance(source));
        findings.extend(check_escaping_kept(source));
    }
}

/// Reports each `|safe` filter and `{% autoescape %}` block of the HTML body.
/// Either would insert values such as a user's display name as raw HTML, and
/// the sanitizer checks only the template, not the values rendered into it.
fn check_escaping_kept(source: &str) -> Vec<TemplateFinding> {
    let mut findings = Vec::new();
    for (start, end) in expression_blocks(source) {
        let block = &source[start..end];
        let words = block
            .char_indices()
            .filter(|&(index, c)| {
                c.is_alphabetic()
                    && !block[..index].ends_with(|p: char| p.is_alphanumeric() || p == '_')
            })
            .map(|(index, _)| {
                let word_end = block[index..]
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .map_or(block.len(), |e| index + e);
                (index, &block[index..word_end])
            });
        for (index, word) in words {
            let before = block[..index].trim_end();
            let construct = match word {
                "safe" if before.ends_with('|') => "the `safe` filter",
                "autoescape" if block.starts_with("{%") => "an `autoescape` block",
                _ => continue,
            };
            let (line, column) = line_and_column(source, start + index);
            findings.push(TemplateFinding {
                line: Some(line),
                column: Some(column),
                ..error(
                    TemplatePart::Html,
                    "escaping_disabled",
                    format!(
                        "The HTML body turns off escaping with {construct}; remove it, so values \
                         such as names are inserted as text and cannot add markup."
                    ),
                )
            });
        }
    }
    findings
}

/// Checks the three parts of a template: syntax, unknown variables,
/// required variables missing from a body, and the HTML body's tag balance.
/// An empty result means the template can be saved.
pub fn check(
    template: EmailTemplate,
    subject: &str,
    html: &str,
    text: &str,
) -> Vec<TemplateFinding> {
    let environment = environment();
    let mut findings = Vec::new();
    for (part, source) in
        [(TemplatePart::Subject, subject), (TemplatePart::Html, html), (TemplatePart::Text, text)]
    {
        check_part(template, &environment, part, source, &mut findings);
    }
    if findings.iter().all(|finding| finding.severity != Severity::Error) {
        // A template that parses can still fail to render, for example by
        // running out of steps in a loop, so one trial render with the sample
        // values proves it works before it is saved.
        let parts = EmailParts {
            subject: subject.to_owned(),
            html: html.to_owned(),
            text: text.to_owned(),
        };
        let sample = sample_context(template, Language::En);
        if let Err(render_findings) = render(template, Language::En, &parts, &sample) {
            findings.extend(render_findings);
        }
    }
    findings
}

/// A tree of values built from dotted names, so `user.login_id` becomes
/// `user` with the attribute `login_id`.
#[derive(Default)]
struct Node {
    value: Option<String>,
    children: BTreeMap<String, Node>,
}

impl Node {
    fn insert(&mut self, name: &str, value: &str) {
        let mut node = self;
        for segment in name.split('.') {
            node = node.children.entry(segment.to_owned()).or_default();
        }
        node.value = Some(value.to_owned());
    }

    fn into_value(self) -> Value {
        if self.children.is_empty() {
            return Value::from(self.value.unwrap_or_default());
        }
        Value::from_pairs(self.children.into_iter().map(|(key, node)| (key, node.into_value())))
    }
}

/// Returns the sample value of every variable of a template, as the
/// preview and the test email use them.
pub fn sample_context(template: EmailTemplate, language: Language) -> BTreeMap<String, String> {
    template
        .variables()
        .into_iter()
        .map(|variable| (variable.name.to_owned(), variable.sample(language).to_owned()))
        .collect()
}

/// Renders a template with `context`, a value per dotted variable name.
/// The HTML body escapes every value, the subject and the text body insert
/// values as they are, and `language` is set from the `language` argument.
/// Returns findings instead when a part does not parse or render, or when
/// `context` lacks a value that a required variable needs.
pub fn render(
    template: EmailTemplate,
    language: Language,
    parts: &EmailParts,
    context: &BTreeMap<String, String>,
) -> Result<Rendered, Vec<TemplateFinding>> {
    let mut findings = Vec::new();
    for variable in template.variables().into_iter().filter(|v| v.required) {
        if context.get(variable.name).is_none_or(|value| value.is_empty()) {
            findings.push(error(
                TemplatePart::Html,
                "missing_value",
                format!("No value was given for `{}`, which this email needs.", variable.name),
            ));
        }
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    let mut tree = Node::default();
    for (name, value) in context {
        tree.insert(name, value);
    }
    tree.insert(LANGUAGE_VARIABLE, language.code());
    let values = tree.into_value();
    let environment = environment();
    let mut outputs = Vec::new();
    for part in TemplatePart::ALL {
        let source = part.get(parts);
        let rendered = environment
            .template_from_named_str(source_name(part), source)
            .map_err(|e| engine_finding(part, source, "syntax_error", &e))
            .and_then(|compiled| {
                compiled
                    .render(values.clone())
                    .map_err(|e| engine_finding(part, source, "render_error", &e))
            });
        match rendered {
            Ok(output) => outputs.push(output),
            Err(finding) => findings.push(finding),
        }
    }
    let [subject, html, text]: [String; 3] = match outputs.try_into() {
        Ok(outputs) if findings.is_empty() => outputs,
        _ => return Err(findings),
    };
    let subject = subject.replace(['\r', '\n'], " ").trim().to_owned();
    Ok(Rendered { subject, html, text })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emails::default_parts;

    fn codes(findings: &[TemplateFinding]) -> Vec<&str> {
        findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn default_templates_have_no_findings() {
        for template in EmailTemplate::ALL {
            for language in Language::ALL {
                let parts = default_parts(template, language);
                let findings = check(template, &parts.subject, &parts.html, &parts.text);
                assert!(findings.is_empty(), "{template:?} {language:?}: {findings:?}");
            }
        }
    }

    #[test]
    fn safe_filter_in_html_is_an_error() {
        let html = "<p>{{ reset_url }}</p>\n<p>{{ tenant.name|safe }}</p>";
        let findings = check(EmailTemplate::PwResetRequest, "Reset", html, "{{ reset_url }}");
        assert_eq!(codes(&findings), ["escaping_disabled"]);
        assert_eq!((findings[0].line, findings[0].column), (Some(2), Some(19)));
    }

    #[test]
    fn autoescape_block_in_html_is_an_error() {
        let html = "{% autoescape false %}<p>{{ reset_url }}</p>{% endautoescape %}";
        let findings = check(EmailTemplate::PwResetRequest, "Reset", html, "{{ reset_url }}");
        assert_eq!(codes(&findings), ["escaping_disabled"]);
    }

    #[test]
    fn runaway_loop_is_caught_before_saving() {
        let html = "<p>{{ reset_url }}</p>{% for a in range(100000) %}\
                    {% for b in range(100000) %}x{% endfor %}{% endfor %}";
        let findings = check(EmailTemplate::PwResetRequest, "Reset", html, "{{ reset_url }}");
        assert_eq!(codes(&findings), ["render_error"]);
        assert!(findings[0].message.contains("too many steps"), "{}", findings[0].message);
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let html = "<p>Hello</p>\n<p>{{ user.display_name }</p>";
        let findings = check(EmailTemplate::AccountLock, "Locked", html, "Locked");
        assert_eq!(codes(&findings), ["syntax_error"]);
        assert_eq!(findings[0].part, TemplatePart::Html);
        assert_eq!((findings[0].line, findings[0].column), (Some(2), Some(25)));
        assert!(findings[0].message.starts_with("The HTML body has a template syntax error: "));
    }

    #[test]
    fn unknown_variable_has_line_and_column() {
        let text = "Hello\n  {{ user.fullname }}";
        let findings = check(EmailTemplate::AccountLock, "Locked", "<p>Locked</p>", text);
        assert_eq!(codes(&findings), ["unknown_variable"]);
        assert_eq!(findings[0].part, TemplatePart::Text);
        assert_eq!((findings[0].line, findings[0].column), (Some(2), Some(6)));
        assert!(
            findings[0].message.starts_with(
                "`user.fullname` is not a variable of this email; use one of user.display_name,"
            ),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn missing_reset_link_is_reported_per_body() {
        let findings = check(
            EmailTemplate::PwResetRequest,
            "Reset your password",
            "<p>Reset it soon.</p>",
            "Reset it at {{ reset_url }}",
        );
        assert_eq!(codes(&findings), ["required_variable_missing"]);
        assert_eq!(findings[0].part, TemplatePart::Html);
        assert_eq!(
            findings[0].message,
            "The HTML body does not use `{{ reset_url }}`, which this email needs: the link that opens the password reset page."
        );
    }

    #[test]
    fn unbalanced_html_is_reported() {
        let findings = check(EmailTemplate::AccountLock, "Locked", "<p><b>Locked</p>", "Locked");
        assert_eq!(codes(&findings), ["misnested_tag"]);
        assert_eq!((findings[0].line, findings[0].column), (Some(1), Some(13)));
    }

    #[test]
    fn line_break_in_subject_is_an_error() {
        let findings = check(EmailTemplate::AccountLock, "Locked\nnow", "<p>x</p>", "x");
        assert_eq!(codes(&findings), ["line_break_in_subject"]);
        assert_eq!((findings[0].line, findings[0].column), (Some(1), Some(7)));
    }

    #[test]
    fn empty_part_is_an_error() {
        let findings = check(EmailTemplate::AccountLock, " ", "<p>x</p>", "x");
        assert_eq!(codes(&findings), ["empty_part"]);
        assert_eq!(findings[0].message, "The subject is empty; write it.");
    }

    #[test]
    fn render_escapes_html_but_not_text() {
        let parts = EmailParts {
            subject: "Hello {{ user.display_name }}".into(),
            html: "<p>Hello {{ user.display_name }}</p>".into(),
            text: "Hello {{ user.display_name }}".into(),
        };
        let mut context = sample_context(EmailTemplate::AccountLock, Language::En);
        context.insert("user.display_name".into(), "<script>alert(1)</script>".into());
        let rendered = render(EmailTemplate::AccountLock, Language::En, &parts, &context).unwrap();
        assert_eq!(rendered.html, "<p>Hello &lt;script&gt;alert(1)&lt;&#x2f;script&gt;</p>");
        assert_eq!(rendered.text, "Hello <script>alert(1)</script>");
        assert_eq!(rendered.subject, "Hello <script>alert(1)</script>");
    }

    #[test]
    fn render_keeps_subject_on_one_line() {
        let parts = EmailParts {
            subject: "For {{ user.display_name }}".into(),
            html: "<p>x</p>".into(),
            text: "x".into(),
        };
        let context = BTreeMap::from([(
            "user.display_name".to_owned(),
            "Aiko\r\nBcc: x@example.com".to_owned(),
        )]);
        let rendered = render(EmailTemplate::AccountLock, Language::En, &parts, &context).unwrap();
        assert_eq!(rendered.subject, "For Aiko  Bcc: x@example.com");
    }

    #[test]
    fn render_sets_language_and_needs_required_values() {
        let parts = default_parts(EmailTemplate::PwResetRequest, Language::Ja);
        let mut context = sample_context(EmailTemplate::PwResetRequest, Language::Ja);
        let rendered =
            render(EmailTemplate::PwResetRequest, Language::Ja, &parts, &context).unwrap();
        // MiniJinja escapes `/` too; browsers and mail clients decode it in
        // attributes and text alike.
        assert!(
            rendered.html.contains("https:&#x2f;&#x2f;sso.example.com&#x2f;reset?token=sample"),
            "{}",
            rendered.html
        );
        context.remove("reset_url");
        let findings =
            render(EmailTemplate::PwResetRequest, Language::Ja, &parts, &context).unwrap_err();
        assert_eq!(codes(&findings), ["missing_value"]);
        let language =
            EmailParts { subject: "{{ language }}".into(), html: "x".into(), text: "x".into() };
        let rendered =
            render(EmailTemplate::AccountLock, Language::En, &language, &BTreeMap::new()).unwrap();
        assert_eq!(rendered.subject, "en");
    }

    #[test]
    fn runaway_loop_runs_out_of_fuel() {
        let parts = EmailParts {
            subject: "x".into(),
            html: "{% for a in range(1000) %}{% for b in range(1000) %}.{% endfor %}{% endfor %}"
                .into(),
            text: "x".into(),
        };
        let findings =
            render(EmailTemplate::AccountLock, Language::En, &parts, &BTreeMap::new()).unwrap_err();
        assert_eq!(codes(&findings), ["render_error"]);
    }
}
