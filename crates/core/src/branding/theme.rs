//! Theme colours and their WCAG 2.2 contrast checks.

use serde::{Deserialize, Serialize};

use crate::finding::Severity;
use crate::rules::Issue;

/// The colour tokens of the sign-in screens, each a `#rrggbb` string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    /// Buttons and other primary controls.
    pub primary: String,
    /// Text and icons drawn on `primary`, such as a button's label.
    pub on_primary: String,
    /// The page behind everything.
    pub background: String,
    /// Cards and panels drawn on the background.
    pub surface: String,
    pub text: String,
    pub link: String,
    /// Error messages.
    pub error: String,
}

impl Default for Theme {
    /// Returns a light theme whose text pairs all pass WCAG AA.
    fn default() -> Theme {
        Theme {
            primary: "#1a56db".to_owned(),
            on_primary: "#ffffff".to_owned(),
            background: "#f8fafc".to_owned(),
            surface: "#ffffff".to_owned(),
            text: "#1f2937".to_owned(),
            link: "#1d4ed8".to_owned(),
            error: "#b91c1c".to_owned(),
        }
    }
}

/// One colour token of a [`Theme`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeToken {
    Primary,
    OnPrimary,
    Background,
    Surface,
    Text,
    Link,
    Error,
}

impl ThemeToken {
    pub const ALL: [ThemeToken; 7] = [
        ThemeToken::Primary,
        ThemeToken::OnPrimary,
        ThemeToken::Background,
        ThemeToken::Surface,
        ThemeToken::Text,
        ThemeToken::Link,
        ThemeToken::Error,
    ];

    /// Returns the field name in the API.
    pub fn name(self) -> &'static str {
        match self {
            ThemeToken::Primary => "primary",
            ThemeToken::OnPrimary => "on_primary",
            ThemeToken::Background => "background",
            ThemeToken::Surface => "surface",
            ThemeToken::Text => "text",
            ThemeToken::Link => "link",
            ThemeToken::Error => "error",
        }
    }

    /// Returns the label in the theme editor.
    pub fn label(self) -> &'static str {
        match self {
            ThemeToken::Primary => "Primary",
            ThemeToken::OnPrimary => "Text on primary",
            ThemeToken::Background => "Background",
            ThemeToken::Surface => "Surface",
            ThemeToken::Text => "Text",
            ThemeToken::Link => "Link",
            ThemeToken::Error => "Error",
        }
    }

    pub fn get(self, theme: &Theme) -> &str {
        match self {
            ThemeToken::Primary => &theme.primary,
            ThemeToken::OnPrimary => &theme.on_primary,
            ThemeToken::Background => &theme.background,
            ThemeToken::Surface => &theme.surface,
            ThemeToken::Text => &theme.text,
            ThemeToken::Link => &theme.link,
            ThemeToken::Error => &theme.error,
        }
    }
}

/// An sRGB colour with 8 bits per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

/// Parses a `#rrggbb` colour; the error message names the value and the
/// expected form. Upper- and lower-case hex digits are both accepted.
pub fn parse_hex(value: &str) -> Result<Rgb, String> {
    let Some(digits) = value.strip_prefix('#') else {
        return Err(format!(
            "Colour `{value}` must start with `#` and have six hex digits, like `#1a56db`."
        ));
    };
    if digits.len() == 3 && digits.chars().all(|c| c.is_ascii_hexdigit()) {
        let doubled: String = digits.chars().flat_map(|c| [c, c]).collect();
        return Err(format!(
            "Colour `{value}` uses the three-digit short form; write it as `#{doubled}`."
        ));
    }
    if let Some(bad) = digits.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Err(format!(
            "Colour `{value}` contains `{bad}`, which is not a hex digit; use 0-9 and a-f."
        ));
    }
    if digits.len() != 6 {
        return Err(format!(
            "Colour `{value}` has {} hex digits after `#`; it needs exactly six, like `#1a56db`.",
            digits.len()
        ));
    }
    let channel = |index: usize| u8::from_str_radix(&digits[index..index + 2], 16);
    match (channel(0), channel(2), channel(4)) {
        (Ok(r), Ok(g), Ok(b)) => Ok(Rgb { r, g, b }),
        _ => Err(format!("Colour `{value}` is not a `#rrggbb` colour.")),
    }
}

/// Returns the relative luminance of a colour as WCAG 2.2 defines it, from
/// 0 for black to 1 for white.
pub fn relative_luminance(colour: Rgb) -> f64 {
    // WCAG 2.2 linearizes each sRGB channel with the 0.04045 threshold.
    let linear = |channel: u8| {
        let value = f64::from(channel) / 255.0;
        if value <= 0.04045 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b)
}

/// Returns the WCAG contrast ratio of two colours, from 1 to 21, in either
/// order.
pub fn contrast_ratio(first: Rgb, second: Rgb) -> f64 {
    let (a, b) = (relative_luminance(first), relative_luminance(second));
    let (lighter, darker) = if a >= b { (a, b) } else { (b, a) };
    (lighter + 0.05) / (darker + 0.05)
}

/// Minimum contrast for normal text at level AA (WCAG 2.2, 1.4.3).
pub const AA_NORMAL_TEXT: f64 = 4.5;
/// Minimum contrast for large text and for user interface components at
/// level AA (WCAG 2.2, 1.4.3 and 1.4.11).
pub const AA_LARGE_TEXT_AND_UI: f64 = 3.0;

/// The contrast of one foreground token on one background token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContrastCheck {
    pub foreground: ThemeToken,
    pub background: ThemeToken,
    /// The pair's use, as shown next to the ratio.
    pub usage: String,
    /// The ratio, such as 4.48 for 4.48:1, unrounded.
    pub ratio: f64,
    /// The AA minimum for this usage: 4.5 or 3.
    pub required: f64,
    /// Whether `ratio` reaches `required`. WCAG does not round, so 4.49
    /// fails 4.5.
    pub passes: bool,
}

/// The pairs the sign-in screens draw, with their usage and AA minimum.
const PAIRS: [(ThemeToken, ThemeToken, &str, f64); 8] = [
    (ThemeToken::Text, ThemeToken::Background, "Text on the page", AA_NORMAL_TEXT),
    (ThemeToken::Text, ThemeToken::Surface, "Text on a panel", AA_NORMAL_TEXT),
    (ThemeToken::Link, ThemeToken::Background, "Links on the page", AA_NORMAL_TEXT),
    (ThemeToken::Link, ThemeToken::Surface, "Links on a panel", AA_NORMAL_TEXT),
    (ThemeToken::OnPrimary, ThemeToken::Primary, "Button labels", AA_NORMAL_TEXT),
    (ThemeToken::Error, ThemeToken::Surface, "Error messages on a panel", AA_NORMAL_TEXT),
    (ThemeToken::Primary, ThemeToken::Surface, "Buttons against a panel", AA_LARGE_TEXT_AND_UI),
    (ThemeToken::Primary, ThemeToken::Background, "Buttons against the page", AA_LARGE_TEXT_AND_UI),
];

/// Returns the contrast of every pair the sign-in screens draw. A pair with
/// a colour that does not parse is left out, because [`check_theme`]
/// already reports that colour.
pub fn contrast_checks(theme: &Theme) -> Vec<ContrastCheck> {
    PAIRS
        .iter()
        .filter_map(|&(foreground, background, usage, required)| {
            let front = parse_hex(foreground.get(theme)).ok()?;
            let back = parse_hex(background.get(theme)).ok()?;
            let ratio = contrast_ratio(front, back);
            Some(ContrastCheck {
                foreground,
                background,
                usage: usage.to_owned(),
                ratio,
                required,
                passes: ratio >= required,
            })
        })
        .collect()
}

/// Checks that every token is a `#rrggbb` colour and returns the field name
/// with the issue for each one that is not. Low contrast is not an error
/// here: [`contrast_checks`] reports it and the designer decides.
pub fn check_theme(theme: &Theme) -> Vec<(&'static str, Issue)> {
    ThemeToken::ALL
        .into_iter()
        .filter_map(|token| {
            let message = parse_hex(token.get(theme)).err()?;
            let issue = Issue {
                severity: Severity::Error,
                code: "invalid_colour",
                message: format!("{}: {message}", token.label()),
            };
            Some((token.name(), issue))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ratio(a: &str, b: &str) -> f64 {
        contrast_ratio(parse_hex(a).unwrap(), parse_hex(b).unwrap())
    }

    #[test]
    fn black_on_white_is_21() {
        assert!((ratio("#000000", "#ffffff") - 21.0).abs() < 1e-9);
    }

    #[test]
    fn grey_777_on_white_just_fails_aa() {
        let value = ratio("#777777", "#FFFFFF");
        assert!((value - 4.48).abs() < 0.005, "{value}");
        assert!(value < AA_NORMAL_TEXT);
    }

    #[test]
    fn same_colour_is_1_in_either_order() {
        assert!((ratio("#1a56db", "#1a56db") - 1.0).abs() < 1e-9);
        assert!((ratio("#767676", "#ffffff") - ratio("#ffffff", "#767676")).abs() < 1e-12);
    }

    #[test]
    fn grey_767676_on_white_passes_aa() {
        assert!(ratio("#767676", "#ffffff") >= AA_NORMAL_TEXT);
    }

    #[test]
    fn luminance_of_white_and_black() {
        assert!((relative_luminance(Rgb { r: 255, g: 255, b: 255 }) - 1.0).abs() < 1e-12);
        assert_eq!(relative_luminance(Rgb { r: 0, g: 0, b: 0 }), 0.0);
    }

    #[test]
    fn hex_errors_say_what_is_right() {
        assert_eq!(
            parse_hex("1a56db").unwrap_err(),
            "Colour `1a56db` must start with `#` and have six hex digits, like `#1a56db`."
        );
        assert_eq!(
            parse_hex("#fff").unwrap_err(),
            "Colour `#fff` uses the three-digit short form; write it as `#ffffff`."
        );
        assert_eq!(
            parse_hex("#12345g").unwrap_err(),
            "Colour `#12345g` contains `g`, which is not a hex digit; use 0-9 and a-f."
        );
        assert_eq!(
            parse_hex("#12345").unwrap_err(),
            "Colour `#12345` has 5 hex digits after `#`; it needs exactly six, like `#1a56db`."
        );
        assert_eq!(parse_hex("#1A56db"), Ok(Rgb { r: 0x1a, g: 0x56, b: 0xdb }));
    }

    #[test]
    fn default_theme_passes_every_pair() {
        let checks = contrast_checks(&Theme::default());
        assert_eq!(checks.len(), PAIRS.len());
        for check in checks {
            assert!(check.passes, "{check:?}");
        }
        assert!(check_theme(&Theme::default()).is_empty());
    }

    #[test]
    fn low_contrast_button_label_fails() {
        let theme =
            Theme { primary: "#ffff00".into(), on_primary: "#ffffff".into(), ..Theme::default() };
        let checks = contrast_checks(&theme);
        let label = checks
            .iter()
            .find(|c| c.foreground == ThemeToken::OnPrimary)
            .expect("button label pair");
        assert!(!label.passes);
        assert_eq!(label.required, AA_NORMAL_TEXT);
    }

    #[test]
    fn invalid_token_skips_contrast() {
        let theme = Theme { link: "blue".into(), ..Theme::default() };
        let issues = check_theme(&theme);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].0, "link");
        assert_eq!(
            issues[0].1.message,
            "Link: Colour `blue` must start with `#` and have six hex digits, like `#1a56db`."
        );
        assert!(contrast_checks(&theme).iter().all(|c| c.foreground != ThemeToken::Link));
    }
}
