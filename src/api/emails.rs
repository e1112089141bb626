//! Notification email templates: the matrix of templates and languages,
//! reading, saving and resetting one template in one language, and the test
//! send.

use gatehouse_core::api::{
    EmailTemplateDocument, EmailTemplateSummary, Problem, TestSendOutcome, TestSendRequest,
};
use gatehouse_core::emails::{EmailParts, EmailTemplate, Language, TemplateFinding};
use gloo_net::http::Request;
use serde::Deserialize;

use super::branding::if_match;
use super::{network_error, read_json, send, url, with_csrf, ApiError};

/// A rejected save: the error, and the template findings that a `422`
/// carries next to its field errors.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveError {
    pub error: ApiError,
    pub findings: Vec<TemplateFinding>,
}

/// The `findings` extension member of a `422` problem body.
#[derive(Deserialize)]
struct FindingsMember {
    #[serde(default)]
    findings: Vec<TemplateFinding>,
}

/// Returns the route of one template in one language.
pub fn route(template: EmailTemplate, language: Language) -> String {
    format!("/emails/{}/{}", template.name(), language.code())
}

/// Lists the templates the tenant's options allow, with each language's state.
pub async fn matrix() -> Result<Vec<EmailTemplateSummary>, ApiError> {
    super::get_json("/emails").await
}

/// Reads one template in one language, stored or default.
pub async fn get(
    template: EmailTemplate,
    language: Language,
) -> Result<EmailTemplateDocument, ApiError> {
    super::get_json(&route(template, language)).await
}

/// Saves the three parts over `version`. A `422` keeps its findings, so the
/// editor can place them at their line and column.
pub async fn save(
    csrf_token: &str,
    template: EmailTemplate,
    language: Language,
    version: i64,
    parts: &EmailParts,
) -> Result<EmailTemplateDocument, SaveError> {
    let route = route(template, language);
    let built = with_csrf(Request::put(&url(&route)), csrf_token)
        .header("If-Match", &if_match(version))
        .json(parts)
        .map_err(|error| network_error("PUT", &route, error));
    let no_findings = |error| SaveError { error, findings: Vec::new() };
    let request = built.map_err(no_findings)?;
    let response =
        request.send().await.map_err(|error| no_findings(network_error("PUT", &route, error)))?;
    let status = response.status();
    if status < 400 {
        return read_json("PUT", &route, response).await.map_err(no_findings);
    }
    let body = response.text().await.unwrap_or_default();
    let findings = serde_json::from_str::<FindingsMember>(&body)
        .map(|member| member.findings)
        .unwrap_or_default();
    let error = match serde_json::from_str::<Problem>(&body) {
        Ok(problem) => ApiError::Http(Box::new(problem)),
        Err(_) => ApiError::Network {
            message: format!(
                "PUT {} returned status {status} without a problem+json body.",
                url(&route)
            ),
        },
    };
    Err(SaveError { error, findings })
}

/// Resets the template to its default text, unless someone saved after `version`.
pub async fn reset(
    csrf_token: &str,
    template: EmailTemplate,
    language: Language,
    version: i64,
) -> Result<EmailTemplateDocument, ApiError> {
    let route = route(template, language);
    let built = with_csrf(Request::delete(&url(&route)), csrf_token)
        .header("If-Match", &if_match(version))
        .build();
    let response = send("DELETE", &route, built).await?;
    read_json("DELETE", &route, response).await
}

/// Renders the typed parts with the sample values and sends them to `to`.
/// A server without SMTP answers `503` with how to configure it.
pub async fn test_send(
    csrf_token: &str,
    template: EmailTemplate,
    language: Language,
    request: &TestSendRequest,
) -> Result<TestSendOutcome, ApiError> {
    let route = format!("{}/test-send", route(template, language));
    let built = with_csrf(Request::post(&url(&route)), csrf_token).json(request);
    let response = send("POST", &route, built).await?;
    read_json("POST", &route, response).await
}
