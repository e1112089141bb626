//! Branding of the tenant's sign-in screens: theme colours with their
//! contrast checks, the logo's format and size checks, and the rules for the
//! footer links and the sign-in screen link. Everything here is pure, so the
//! console checks while a designer edits and the server checks again on save.

pub mod links;
pub mod logo;
pub mod theme;

pub use links::{check_footer_links, check_https_url, check_login_link, Link, LinkIssue};
pub use logo::{check_logo, sniff_image, ImageFormat, ImageInfo};
pub use theme::{
    check_theme, contrast_checks, contrast_ratio, parse_hex, relative_luminance, ContrastCheck,
    Rgb, Theme, ThemeToken,
};
