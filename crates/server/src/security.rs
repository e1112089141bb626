//! Security headers on every response.
//!
//! The Content-Security-Policy lets the console's wasm compile
//! (`'wasm-unsafe-eval'`) and allows inline scripts only by hash. Trunk puts
//! one small inline module script into `index.html` to load the wasm, so the
//! server hashes every inline script of the served `index.html` at start.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::AppState;

/// Builds the Content-Security-Policy for a console whose `index.html` has
/// the given inline scripts.
pub fn content_security_policy(inline_scripts: &[String]) -> String {
    let hashes: String = inline_scripts
        .iter()
        .map(|script| format!(" 'sha256-{}'", STANDARD.encode(Sha256::digest(script.as_bytes()))))
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Returns the contents of every `<script>` element without a `src`
/// attribute, as the browser hashes them.
pub fn inline_scripts(html: &str) -> Vec<String> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after_tag_name = &rest[start..];
        let Some(tag_end) = after_tag_name.find('>') else { break };
        let tag = &after_tag_name[..tag_end];
        let body_and_rest = &after_tag_name[tag_end + 1..];
        let Some(close) = body_and_rest.find("</script>") else { break };
        if !tag.contains(" src=") {
            scripts.push(body_and_rest[..close].to_owned());
        }
        rest = &body_and_rest[close..];
    }
    scripts
}

/// Serves the console's `index.html` for deep links such as `/users/5`.
/// Paths under `/api` and paths that name a file (their last segment has a
/// dot) get a 404 instead, so a missing script is not answered with HTML.
pub async fn console_page(State(state): State<AppState>, uri: Uri) -> Response {
    let path = uri.path();
    let last_segment = path.rsplit('/').next().unwrap_or_default();
    let names_file = last_segment.contains('.') && path != "/index.html";
    let html = state.index_html.as_deref().filter(|_| !path.starts_with("/api") && !names_file);
    let Some(html) = html else {
        return ApiError::NotFound(format!("`{path}`")).into_response();
    };
    let mut response = html.to_owned().into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// Middleware that adds the security headers.
pub async fn add_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(&state.csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if is_api {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_skip_external_ones() {
        let html =
            r#"<head><script src="/a.js"></script><script type="module">import x;</script></head>"#;
        assert_eq!(inline_scripts(html), ["import x;"]);
    }

    #[test]
    fn policy_lists_hash_of_each_inline_script() {
        let policy = content_security_policy(&["alert(1)".to_owned()]);
        // sha256 of "alert(1)", base64.
        assert!(
            policy.contains("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"),
            "{policy}"
        );
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("unsafe-inline"));
    }
}
