//! CSV validation and import on the server, for every kind of import file.

use gatehouse_core::api::{ImportOutcome, IDEMPOTENCY_HEADER};
use gatehouse_core::csv::CsvKind;
use gloo_net::http::Request;
use js_sys::Uint8Array;

use super::{encode_component, read_json, send, url, with_csrf, ApiError};

/// Returns the file name as a header value, always percent-encoded: fetch
/// rejects header values outside Latin-1, such as Japanese names, and the
/// server decodes every `X-File-Name` the same way.
fn file_name_header(file_name: &str) -> String {
    encode_component(file_name)
}

/// Posts the file, decoded to UTF-8 bytes, to `route`, with an idempotency
/// key when given. The bytes stay in JavaScript memory, so a 12 MB file is
/// not copied through the wasm heap on the page's thread.
async fn post_csv(
    route: &str,
    csrf_token: &str,
    idempotency_key: Option<&str>,
    file_name: &str,
    text: &Uint8Array,
) -> Result<ImportOutcome, ApiError> {
    let mut request = with_csrf(Request::post(&url(route)), csrf_token)
        .header("Content-Type", "text/csv; charset=utf-8")
        .header("X-File-Name", &file_name_header(file_name));
    if let Some(key) = idempotency_key {
        request = request.header(IDEMPOTENCY_HEADER, key);
    }
    let response = send("POST", route, request.body(text.clone())).await?;
    read_json("POST", route, response).await
}

/// Asks the server to validate a CSV file of `kind`, including the checks
/// against the tenant's existing records, without changing anything.
pub async fn validate(
    kind: CsvKind,
    csrf_token: &str,
    file_name: &str,
    text: &Uint8Array,
) -> Result<ImportOutcome, ApiError> {
    let route = format!("/imports/{}/validate", kind.as_str());
    post_csv(&route, csrf_token, None, file_name, text).await
}

/// Imports a CSV file of `kind`. The same `idempotency_key` for the same
/// file makes a retry safe.
pub async fn import(
    kind: CsvKind,
    csrf_token: &str,
    idempotency_key: &str,
    file_name: &str,
    text: &Uint8Array,
) -> Result<ImportOutcome, ApiError> {
    let route = format!("/imports/{}", kind.as_str());
    post_csv(&route, csrf_token, Some(idempotency_key), file_name, text).await
}
