//! Typed calls to the Gatehouse `/api/v1` JSON API over `fetch`.
//!
//! Every call returns [`ApiError`] on failure, so pages show one kind of
//! error whatever went wrong. State-changing calls take the session's CSRF
//! token and send it in the `X-CSRF-Token` header.

pub mod branding;
pub mod emails;
pub mod groups;
pub mod imports;
pub mod operations;
pub mod session;
pub mod tasks;
pub mod users;

use gatehouse_core::api::{FieldError, Problem, CSRF_HEADER};
use gloo_net::http::{RequestBuilder, Response};
use serde::de::DeserializeOwned;

/// Path prefix of every API route; the console is served from the same origin.
pub const API_BASE: &str = "/api/v1";

/// A failed API call.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The request got no usable response: the network failed or the body
    /// could not be read. `message` names the route and the cause.
    Network { message: String },
    /// The server responded with an error status. Bodies that are not
    /// `application/problem+json` are turned into a problem with the status
    /// and its reason phrase as the title.
    Http(Box<Problem>),
}

impl ApiError {
    /// The HTTP status, or `None` when no response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Network { .. } => None,
            ApiError::Http(problem) => Some(problem.status),
        }
    }

    /// Whether the session has ended and the person must sign in again.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// The server's problem body, when there is one.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            ApiError::Network { .. } => None,
            ApiError::Http(problem) => Some(problem),
        }
    }

    /// The field errors of a rejected form, empty for other errors.
    pub fn field_errors(&self) -> &[FieldError] {
        self.problem().map_or(&[], |problem| problem.errors.as_slice())
    }

    /// A one-line summary for headings and logs.
    pub fn title(&self) -> String {
        match self {
            ApiError::Network { message } => message.clone(),
            ApiError::Http(problem) => problem.title.clone(),
        }
    }
}

/// Builds the full URL of an API route such as `/users`.
pub fn url(route: &str) -> String {
    format!("{API_BASE}{route}")
}

/// Adds the CSRF header that every non-GET request needs.
pub fn with_csrf(request: RequestBuilder, csrf_token: &str) -> RequestBuilder {
    request.header(CSRF_HEADER, csrf_token)
}

/// Describes a request for error messages, such as `PUT /api/v1/users/3`.
fn describe(method: &str, route: &str) -> String {
    format!("{method} {}", url(route))
}

/// Turns a failure to build or send a request into [`ApiError::Network`].
pub fn network_error(method: &str, route: &str, error: gloo_net::Error) -> ApiError {
    ApiError::Network {
        message: format!(
            "{} failed before the server answered: {error}. Check the connection and try again.",
            describe(method, route)
        ),
    }
}

/// Sends a request and returns the response when its status is below 400;
/// otherwise reads the problem body into [`ApiError::Http`].
pub async fn send(
    method: &str,
    route: &str,
    request: Result<gloo_net::http::Request, gloo_net::Error>,
) -> Result<Response, ApiError> {
    let request = request.map_err(|error| network_error(method, route, error))?;
    let response = request.send().await.map_err(|error| network_error(method, route, error))?;
    if response.status() < 400 {
        return Ok(response);
    }
    Err(problem_from(method, route, response).await)
}

/// Reads an error response into a [`Problem`], falling back to the status
/// line when the body is not a problem document.
async fn problem_from(method: &str, route: &str, response: Response) -> ApiError {
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    if let Ok(problem) = serde_json::from_str::<Problem>(&body) {
        return ApiError::Http(Box::new(problem));
    }
    let reason = response.status_text();
    let title = if reason.is_empty() { format!("HTTP {status}") } else { reason };
    ApiError::Http(Box::new(Problem {
        problem_type: "about:blank".to_owned(),
        title,
        status,
        detail: Some(format!(
            "{} returned status {status} without a problem+json body.",
            describe(method, route)
        )),
        errors: Vec::new(),
        request_id: response.headers().get("x-request-id").unwrap_or_default(),
        current: None,
        report: None,
    }))
}

/// Decodes a JSON response body.
pub async fn read_json<T: DeserializeOwned>(
    method: &str,
    route: &str,
    response: Response,
) -> Result<T, ApiError> {
    response.json::<T>().await.map_err(|error| ApiError::Network {
        message: format!(
            "The response of {} is not the expected JSON: {error}.",
            describe(method, route)
        ),
    })
}

/// Sends a GET request and decodes its JSON body.
pub async fn get_json<T: DeserializeOwned>(route: &str) -> Result<T, ApiError> {
    let request = gloo_net::http::Request::get(&url(route)).build();
    let response = send("GET", route, request).await?;
    read_json("GET", route, response).await
}

/// Percent-encodes a value for a query string or path segment.
pub fn encode_component(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}
