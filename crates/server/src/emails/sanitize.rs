//! Sanitizing the HTML body of an email template with ammonia before it is
//! stored. The allow-list is ammonia's default plus the presentational
//! attributes and CSS properties that HTML email layouts depend on.

use std::collections::HashSet;
use std::sync::OnceLock;

use ammonia::Builder;

/// CSS properties kept in `style` attributes; ammonia drops the others.
const STYLE_PROPERTIES: [&str; 27] = [
    "background-color",
    "border",
    "border-bottom",
    "border-collapse",
    "border-color",
    "border-left",
    "border-radius",
    "border-right",
    "border-top",
    "color",
    "display",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "height",
    "line-height",
    "margin",
    "margin-bottom",
    "margin-top",
    "max-width",
    "padding",
    "padding-bottom",
    "padding-top",
    "text-align",
    "text-decoration",
    "width",
];

fn builder() -> &'static Builder<'static> {
    static BUILDER: OnceLock<Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut builder = Builder::default();
        builder
            .add_generic_attributes(["style", "align", "valign", "width", "height"])
            .filter_style_properties(HashSet::from(STYLE_PROPERTIES));
        builder
    })
}

/// Returns the sanitized HTML and whether it differs from `html`.
pub fn sanitize(html: &str) -> (String, bool) {
    let clean = builder().clean(html).to_string();
    let changed = clean != html;
    (clean, changed)
}

#[cfg(test)]
mod tests {
    use gatehouse_core::emails::{default_parts, EmailTemplate, Language};

    use super::*;

    #[test]
    fn script_and_handlers_are_removed() {
        let (clean, changed) = sanitize(
            "<p onclick=\"steal()\">Hi {{ user.display_name }}</p><script>alert(1)</script>",
        );
        assert_eq!(clean, "<p>Hi {{ user.display_name }}</p>");
        assert!(changed);
    }

    #[test]
    fn email_layout_styles_are_kept_and_others_dropped() {
        let html = "<p style=\"color: #1a56db; position: fixed; text-align: center\">Hi</p>";
        let (clean, changed) = sanitize(html);
        assert_eq!(clean, "<p style=\"color:#1a56db;text-align:center\">Hi</p>");
        assert!(changed);
    }

    #[test]
    fn default_templates_pass_unchanged() {
        for template in EmailTemplate::ALL {
            for language in Language::ALL {
                let html = default_parts(template, language).html;
                let (clean, changed) = sanitize(&html);
                assert!(!changed, "{template:?} {language:?}:\n{html}\n{clean}");
            }
        }
    }
}
