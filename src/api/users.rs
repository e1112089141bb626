//! User records: list, read, create, edit, remove, restore and erase.

use gatehouse_core::api::{EraseRequest, Page, User, UserFields, UserFilter, IDEMPOTENCY_HEADER};
use gloo_net::http::Request;

use super::{encode_component, read_json, send, url, with_csrf, ApiError};

/// Lists one page of users matching `query` and `filter`.
pub async fn list(
    query: &str,
    filter: UserFilter,
    page: u32,
    per_page: u32,
) -> Result<Page<User>, ApiError> {
    let route = format!(
        "/users?q={}&status={}&page={page}&per_page={per_page}",
        encode_component(query),
        filter.as_str()
    );
    super::get_json(&route).await
}

/// Reads one user.
pub async fn get(id: i64) -> Result<User, ApiError> {
    super::get_json(&format!("/users/{id}")).await
}

/// Creates a user. `idempotency_key` stays the same for every retry of one
/// form draft, so a retry after a lost response does not create a second user.
pub async fn create(
    csrf_token: &str,
    idempotency_key: &str,
    fields: &UserFields,
) -> Result<User, ApiError> {
    let built = with_csrf(Request::post(&url("/users")), csrf_token)
        .header(IDEMPOTENCY_HEADER, idempotency_key)
        .json(fields);
    let response = send("POST", "/users", built).await?;
    read_json("POST", "/users", response).await
}

/// Saves changed fields. `version` is the version the edit started from; the
/// server answers 412 with the stored record when someone saved in between.
pub async fn update(
    csrf_token: &str,
    id: i64,
    version: i64,
    fields: &UserFields,
) -> Result<User, ApiError> {
    let route = format!("/users/{id}");
    let built = with_csrf(Request::put(&url(&route)), csrf_token)
        .header("If-Match", &format!("\"{version}\""))
        .json(fields);
    let response = send("PUT", &route, built).await?;
    read_json("PUT", &route, response).await
}

/// Runs a state change without a body, such as `remove` or `restore`.
async fn change_state(csrf_token: &str, id: i64, action: &str) -> Result<User, ApiError> {
    let route = format!("/users/{id}/{action}");
    let built = with_csrf(Request::post(&url(&route)), csrf_token).build();
    let response = send("POST", &route, built).await?;
    read_json("POST", &route, response).await
}

/// Moves a user to pending deletion.
pub async fn remove(csrf_token: &str, id: i64) -> Result<User, ApiError> {
    change_state(csrf_token, id, "remove").await
}

/// Returns a user from pending deletion to active.
pub async fn restore(csrf_token: &str, id: i64) -> Result<User, ApiError> {
    change_state(csrf_token, id, "restore").await
}

/// Erases a user for good; the server checks the retyped login id.
pub async fn erase(csrf_token: &str, id: i64, confirm_login_id: &str) -> Result<(), ApiError> {
    let route = format!("/users/{id}/erase");
    let body = EraseRequest { confirm_login_id: confirm_login_id.to_owned() };
    let built = with_csrf(Request::post(&url(&route)), csrf_token).json(&body);
    send("POST", &route, built).await.map(|_| ())
}
