//! Sign-in, session restore and sign-out.

use gatehouse_core::api::{SessionInfo, SignInRequest};
use gloo_net::http::Request;

use super::{read_json, send, url, with_csrf, ApiError};

/// Signs in with a login id and password.
pub async fn sign_in(request: &SignInRequest) -> Result<SessionInfo, ApiError> {
    let built = Request::post(&url("/session")).json(request);
    let response = send("POST", "/session", built).await?;
    read_json("POST", "/session", response).await
}

/// Fetches the current session; returns `Ok(None)` when nobody is signed in.
pub async fn current() -> Result<Option<SessionInfo>, ApiError> {
    match super::get_json::<SessionInfo>("/session").await {
        Ok(session) => Ok(Some(session)),
        Err(error) if error.is_unauthorized() => Ok(None),
        Err(error) => Err(error),
    }
}

/// Ends the session on the server.
pub async fn sign_out(csrf_token: &str) -> Result<(), ApiError> {
    let built = with_csrf(Request::delete(&url("/session")), csrf_token).build();
    send("DELETE", "/session", built).await.map(|_| ())
}
