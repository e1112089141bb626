//! Branding of the sign-in screens: the theme colours, the logo, the footer
//! links and the sign-in screen link. Each is one setting with a version in
//! its `ETag`; saves send it back in `If-Match`, and the server answers 412
//! with the stored setting when someone saved in between.

use gatehouse_core::api::{FooterLinks, LoginLink, LogoInfo, ThemeSettings};
use gatehouse_core::branding::{Link, Theme};
use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{read_json, send, url, with_csrf, ApiError};

/// The route that serves the stored logo image; 404 while none is stored.
pub const LOGO_ROUTE: &str = "/branding/logo";

/// Returns the `If-Match` value of a version.
pub fn if_match(version: i64) -> String {
    format!("\"{version}\"")
}

/// Returns the logo's URL for an `<img>`. The version in the query makes the
/// browser fetch the new image after an upload instead of a cached one.
pub fn logo_url(version: i64) -> String {
    format!("{}?v={version}", url(LOGO_ROUTE))
}

/// Sends a built request and decodes its JSON response.
async fn call<T: DeserializeOwned>(
    method: &str,
    route: &str,
    request: Result<Request, gloo_net::Error>,
) -> Result<T, ApiError> {
    let response = send(method, route, request).await?;
    read_json(method, route, response).await
}

/// Sends `body` with `PUT` and `If-Match: "<version>"`.
async fn put_json<B: Serialize, T: DeserializeOwned>(
    csrf_token: &str,
    route: &str,
    version: i64,
    body: &B,
) -> Result<T, ApiError> {
    let built = with_csrf(Request::put(&url(route)), csrf_token)
        .header("If-Match", &if_match(version))
        .json(body);
    call("PUT", route, built).await
}

/// Sends a `DELETE` with `If-Match: "<version>"`.
async fn delete<T: DeserializeOwned>(
    csrf_token: &str,
    route: &str,
    version: i64,
) -> Result<T, ApiError> {
    let built: RequestBuilder =
        with_csrf(Request::delete(&url(route)), csrf_token).header("If-Match", &if_match(version));
    call("DELETE", route, built.build()).await
}

/// Reads the theme colours.
pub async fn theme() -> Result<ThemeSettings, ApiError> {
    super::get_json("/branding/theme").await
}

/// Saves all seven colours over `version`.
pub async fn save_theme(
    csrf_token: &str,
    version: i64,
    theme: &Theme,
) -> Result<ThemeSettings, ApiError> {
    put_json(csrf_token, "/branding/theme", version, theme).await
}

/// Resets the theme to the default colours, unless someone saved after `version`.
pub async fn reset_theme(csrf_token: &str, version: i64) -> Result<ThemeSettings, ApiError> {
    delete(csrf_token, "/branding/theme", version).await
}

/// Reads whether a logo is stored, with its type, pixel size and bytes.
pub async fn logo_info() -> Result<LogoInfo, ApiError> {
    super::get_json("/branding/logo/info").await
}

/// Uploads the logo's bytes; the server reads the type from the content.
pub async fn upload_logo(csrf_token: &str, bytes: &[u8]) -> Result<LogoInfo, ApiError> {
    let body = js_sys::Uint8Array::from(bytes);
    let built = with_csrf(Request::put(&url(LOGO_ROUTE)), csrf_token)
        .header("Content-Type", "application/octet-stream")
        .body(body);
    call("PUT", LOGO_ROUTE, built).await
}

/// Removes the logo so the sign-in screens show the default.
pub async fn remove_logo(csrf_token: &str, version: i64) -> Result<LogoInfo, ApiError> {
    delete(csrf_token, LOGO_ROUTE, version).await
}

/// Reads the footer links.
pub async fn footer_links() -> Result<FooterLinks, ApiError> {
    super::get_json("/branding/footer-links").await
}

/// Replaces the footer links over `version`.
pub async fn save_footer_links(
    csrf_token: &str,
    version: i64,
    links: &[Link],
) -> Result<FooterLinks, ApiError> {
    #[derive(Serialize)]
    struct Body<'a> {
        links: &'a [Link],
    }
    put_json(csrf_token, "/branding/footer-links", version, &Body { links }).await
}

/// Reads the sign-in screen link.
pub async fn login_link() -> Result<LoginLink, ApiError> {
    super::get_json("/branding/login-link").await
}

/// Saves the sign-in screen link over `version`; `None` removes it.
pub async fn save_login_link(
    csrf_token: &str,
    version: i64,
    link: Option<&Link>,
) -> Result<LoginLink, ApiError> {
    #[derive(Serialize)]
    struct Body<'a> {
        link: Option<&'a Link>,
    }
    put_json(csrf_token, "/branding/login-link", version, &Body { link }).await
}

/// Reads the stored setting out of a 412 problem, when the server sent one.
pub fn conflicting<T: DeserializeOwned>(error: &ApiError) -> Option<T> {
    let problem = error.problem().filter(|problem| problem.status == 412)?;
    serde_json::from_value(problem.current.clone()?).ok()
}
