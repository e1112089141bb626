//! Notification email templates: the matrix of templates and languages,
//! reading, saving and resetting one template in one language, the preview
//! and the test send. A save records `update.<template>` / `update`.
//!
//! Checking and rendering use the core's engine, the same one the console
//! runs, so the preview, the mail sent and the console's live check agree.

mod sanitize;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use gatehouse_core::api::{
    EmailLanguageState, EmailPreview, EmailTemplateDocument, EmailTemplateState,
    EmailTemplateSummary, FieldError, Problem, TestSendOutcome, TestSendRequest, PROBLEM_JSON,
};
use gatehouse_core::emails::{
    check, default_parts, render, sample_context, variable_infos, EmailParts, EmailTemplate,
    Language, TemplateFinding, TemplatePart,
};
use gatehouse_core::rules::UserField;
use rusqlite::{params, Connection, OptionalExtension};

use crate::auth::Admin;
use crate::branding::{optional_if_match, require_version, required_if_match, with_etag};
use crate::db::NOW;
use crate::error::ApiError;
use crate::extract::{JsonBody, PathParams};
use crate::{request_id, smtp, tasks, AppState};

/// Routes under `/api/v1/emails`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/emails", get(matrix))
        .route("/emails/{template}/{language}", get(read).put(save).delete(reset))
        .route("/emails/{template}/{language}/preview", post(preview))
        .route("/emails/{template}/{language}/test-send", post(test_send))
}

/// A template's text in one language as stored, or the default.
struct Stored {
    parts: EmailParts,
    is_default: bool,
    /// 0 while the template was never saved.
    version: i64,
}

fn load(
    connection: &Connection,
    template: EmailTemplate,
    language: Language,
) -> Result<Stored, ApiError> {
    let row = connection
        .query_row(
            "SELECT customized, subject, html, text, version FROM email_templates
             WHERE template = ?1 AND language = ?2",
            params![template.name(), language.code()],
            |r| {
                Ok((
                    r.get::<_, bool>(0)?,
                    EmailParts { subject: r.get(1)?, html: r.get(2)?, text: r.get(3)? },
                    r.get::<_, i64>(4)?,
                ))
            },
        )
        .optional()?;
    Ok(match row {
        Some((true, parts, version)) => Stored { parts, is_default: false, version },
        Some((false, _, version)) => {
            Stored { parts: default_parts(template, language), is_default: true, version }
        }
        None => Stored { parts: default_parts(template, language), is_default: true, version: 0 },
    })
}

/// Saves a customized text, or with `None` goes back to the default, and
/// returns the new version.
fn store(
    connection: &Connection,
    template: EmailTemplate,
    language: Language,
    parts: Option<&EmailParts>,
) -> Result<i64, ApiError> {
    let empty = EmailParts::default();
    let (customized, stored) = match parts {
        Some(parts) => (true, parts),
        None => (false, &empty),
    };
    connection.execute(
        &format!(
            "INSERT INTO email_templates (template, language, customized, subject, html, text,
                                          version, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, {NOW})
             ON CONFLICT (template, language) DO UPDATE SET customized = excluded.customized,
                 subject = excluded.subject, html = excluded.html, text = excluded.text,
                 version = version + 1, updated_at = excluded.updated_at"
        ),
        params![
            template.name(),
            language.code(),
            customized,
            stored.subject,
            stored.html,
            stored.text
        ],
    )?;
    Ok(connection.query_row(
        "SELECT version FROM email_templates WHERE template = ?1 AND language = ?2",
        params![template.name(), language.code()],
        |r| r.get(0),
    )?)
}

fn check_parts(template: EmailTemplate, parts: &EmailParts) -> Vec<TemplateFinding> {
    check(template, &parts.subject, &parts.html, &parts.text)
}

fn document(
    template: EmailTemplate,
    language: Language,
    stored: Stored,
    html_sanitized: bool,
) -> EmailTemplateDocument {
    let findings = check_parts(template, &stored.parts);
    EmailTemplateDocument {
        template,
        language,
        subject: stored.parts.subject,
        html: stored.parts.html,
        text: stored.parts.text,
        is_default: stored.is_default,
        variables: variable_infos(template, language),
        findings,
        html_sanitized,
        version: stored.version,
    }
}

fn state_of(template: EmailTemplate, stored: &Stored) -> EmailTemplateState {
    if stored.is_default {
        return EmailTemplateState::Default;
    }
    let has_empty_part =
        TemplatePart::ALL.into_iter().any(|part| part.get(&stored.parts).trim().is_empty());
    let has_errors = check_parts(template, &stored.parts).iter().any(TemplateFinding::is_error);
    if has_empty_part || has_errors {
        EmailTemplateState::Incomplete
    } else {
        EmailTemplateState::Customized
    }
}

/// Resolves the path to a template and a language the tenant may use.
fn resolve(
    state: &AppState,
    template: &str,
    language: &str,
) -> Result<(EmailTemplate, Language), ApiError> {
    let Some(template) = EmailTemplate::parse(template) else {
        let names: Vec<&str> = EmailTemplate::ALL.iter().map(|t| t.name()).collect();
        return Err(ApiError::NotFound(format!(
            "Email template `{template}` (the templates are {})",
            names.join(", ")
        )));
    };
    let Some(language) = Language::parse(language) else {
        return Err(ApiError::NotFound(format!(
            "Language `{language}` of email templates (the languages are ja and en)"
        )));
    };
    if let Some(option) = template.option() {
        if !state.config.tenant_options.contains(&option) {
            return Err(ApiError::OptionRequired(option));
        }
    }
    Ok((template, language))
}

/// Builds an `application/problem+json` response with the template
/// findings as an extension member, which `ApiError` has no variant for.
fn problem(
    status: StatusCode,
    title: &str,
    detail: String,
    findings: &[TemplateFinding],
) -> Response {
    let errors = findings
        .iter()
        .map(|finding| {
            let place = match (finding.line, finding.column) {
                (Some(line), Some(column)) => format!("line {line}, column {column}: "),
                (Some(line), None) => format!("line {line}: "),
                _ => String::new(),
            };
            FieldError {
                field: finding.part.name().to_owned(),
                message: format!("{place}{}", finding.message),
            }
        })
        .collect();
    let body = Problem {
        problem_type: "about:blank".to_owned(),
        title: title.to_owned(),
        status: status.as_u16(),
        detail: Some(detail),
        errors,
        request_id: request_id::current(),
        current: None,
        report: None,
    };
    let mut value = serde_json::to_value(&body).unwrap_or_default();
    if let (Some(object), false) = (value.as_object_mut(), findings.is_empty()) {
        object.insert("findings".to_owned(), serde_json::to_value(findings).unwrap_or_default());
    }
    let mut response = (status, value.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    response
}

/// The action that a request with an invalid template was not allowed to take.
#[derive(Clone, Copy)]
enum BlockedAction {
    Save,
    Send,
}

/// `422` for a template whose check found errors.
fn rejected(findings: &[TemplateFinding], sanitized: bool, blocked: BlockedAction) -> Response {
    let errors = findings.iter().filter(|f| f.is_error()).count();
    let outcome = match blocked {
        BlockedAction::Save => "nothing was saved. Fix them and save again.",
        BlockedAction::Send => "nothing was sent. Fix them and send again.",
    };
    let detail = if sanitized {
        format!(
            "After the HTML sanitizer removed unsafe markup, the template has {errors} error(s); \
             {outcome}"
        )
    } else {
        format!("The template has {errors} error(s); {outcome}")
    };
    problem(StatusCode::UNPROCESSABLE_ENTITY, "The template has errors", detail, findings)
}

/// Sanitizes the HTML body and checks the result. Returns the parts to
/// store and whether the sanitizer changed them, or the `422` response.
fn checked_parts(
    template: EmailTemplate,
    parts: EmailParts,
) -> Result<(EmailParts, bool), Box<Response>> {
    let findings = check_parts(template, &parts);
    if findings.iter().any(TemplateFinding::is_error) {
        return Err(Box::new(rejected(&findings, false, BlockedAction::Save)));
    }
    let (html, changed) = sanitize::sanitize(&parts.html);
    let parts = EmailParts { html, ..parts };
    if changed {
        let findings = check_parts(template, &parts);
        if findings.iter().any(TemplateFinding::is_error) {
            return Err(Box::new(rejected(&findings, true, BlockedAction::Save)));
        }
    }
    Ok((parts, changed))
}

/// `GET /emails`: every template the tenant's options allow, with the
/// state of each language.
pub async fn matrix(
    State(state): State<AppState>,
    _admin: Admin,
) -> Result<Json<Vec<EmailTemplateSummary>>, ApiError> {
    let options = state.config.tenant_options.clone();
    let summaries = state
        .db
        .call(move |connection| {
            let mut summaries = Vec::new();
            for template in EmailTemplate::ALL {
                if template.option().is_some_and(|option| !options.contains(&option)) {
                    continue;
                }
                let mut languages = Vec::new();
                for language in Language::ALL {
                    let stored = load(connection, template, language)?;
                    languages
                        .push(EmailLanguageState { language, state: state_of(template, &stored) });
                }
                summaries.push(EmailTemplateSummary {
                    template,
                    title: template.title().to_owned(),
                    languages,
                });
            }
            Ok(summaries)
        })
        .await?;
    Ok(Json(summaries))
}

/// `GET /emails/{template}/{language}`.
pub async fn read(
    State(state): State<AppState>,
    _admin: Admin,
    PathParams((template, language)): PathParams<(String, String)>,
) -> Result<Response, ApiError> {
    let (template, language) = resolve(&state, &template, &language)?;
    let stored = state.db.call(move |connection| load(connection, template, language)).await?;
    let document = document(template, language, stored, false);
    Ok(with_etag(&document, document.version))
}

/// `PUT /emails/{template}/{language}` with `If-Match`: saves the three
/// parts after the check and the HTML sanitizer.
pub async fn save(
    State(state): State<AppState>,
    admin: Admin,
    PathParams((template, language)): PathParams<(String, String)>,
    headers: HeaderMap,
    JsonBody(parts): JsonBody<EmailParts>,
) -> Result<Response, ApiError> {
    let (template, language) = resolve(&state, &template, &language)?;
    let expected = required_if_match(&headers)?;
    let (parts, sanitized) = match checked_parts(template, parts) {
        Ok(checked) => checked,
        Err(response) => return Ok(*response),
    };
    let stored = state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            let current = load(&transaction, template, language)?;
            let version = current.version;
            let unchanged = !current.is_default && current.parts == parts;
            require_version(&document(template, language, current, false), version, expected)?;
            // Saving the same text changes nothing and records no task.
            if unchanged {
                return Ok(Stored { parts, is_default: false, version });
            }
            let version = store(&transaction, template, language, Some(&parts))?;
            let target = format!("{}/{}", template.name(), language.code());
            tasks::record_single(&transaction, template.kind(), &admin.login_id, &target)?;
            transaction.commit()?;
            Ok(Stored { parts, is_default: false, version })
        })
        .await?;
    let document = document(template, language, stored, sanitized);
    Ok(with_etag(&document, document.version))
}

/// `DELETE /emails/{template}/{language}`: back to the default text.
/// `If-Match` is optional. A template that is already the default stays as
/// it is and records no task.
pub async fn reset(
    State(state): State<AppState>,
    admin: Admin,
    PathParams((template, language)): PathParams<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (template, language) = resolve(&state, &template, &language)?;
    let expected = optional_if_match(&headers)?;
    let stored = state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            let current = load(&transaction, template, language)?;
            if current.is_default {
                return Ok(current);
            }
            let version = current.version;
            require_version(&document(template, language, current, false), version, expected)?;
            let version = store(&transaction, template, language, None)?;
            let target = format!("{}/{}", template.name(), language.code());
            tasks::record_single(&transaction, template.kind(), &admin.login_id, &target)?;
            transaction.commit()?;
            Ok(Stored { parts: default_parts(template, language), is_default: true, version })
        })
        .await?;
    let document = document(template, language, stored, false);
    Ok(with_etag(&document, document.version))
}

/// Checks, sanitizes and renders with the sample values, as a save and a
/// send would.
fn preview_of(template: EmailTemplate, language: Language, parts: EmailParts) -> EmailPreview {
    let mut findings = check_parts(template, &parts);
    let (html, html_sanitized) = sanitize::sanitize(&parts.html);
    let parts = EmailParts { html, ..parts };
    if findings.iter().any(TemplateFinding::is_error) {
        return EmailPreview { rendered: None, findings, html_sanitized };
    }
    match render(template, language, &parts, &sample_context(template, language)) {
        Ok(rendered) => EmailPreview { rendered: Some(rendered), findings, html_sanitized },
        Err(render_findings) => {
            findings.extend(render_findings);
            EmailPreview { rendered: None, findings, html_sanitized }
        }
    }
}

/// `POST /emails/{template}/{language}/preview` with `{subject, html,
/// text}`: renders with the sample values and saves nothing.
pub async fn preview(
    State(state): State<AppState>,
    _admin: Admin,
    PathParams((template, language)): PathParams<(String, String)>,
    JsonBody(parts): JsonBody<EmailParts>,
) -> Result<Json<EmailPreview>, ApiError> {
    let (template, language) = resolve(&state, &template, &language)?;
    Ok(Json(preview_of(template, language, parts)))
}

/// `POST /emails/{template}/{language}/test-send` with `{to, subject, html,
/// text}`: renders with the sample values and sends over SMTP.
pub async fn test_send(
    State(state): State<AppState>,
    admin: Admin,
    PathParams((template, language)): PathParams<(String, String)>,
    JsonBody(request): JsonBody<TestSendRequest>,
) -> Result<Response, ApiError> {
    let (template, language) = resolve(&state, &template, &language)?;
    let Some(url) = state.config.smtp_url.as_deref() else {
        return Err(ApiError::Rejected {
            status: StatusCode::SERVICE_UNAVAILABLE,
            detail: "This server has no SMTP server to send test emails through. Start it with \
                     --smtp-url smtp://host:port, for example smtp://127.0.0.1:2525."
                .to_owned(),
        });
    };
    let target = smtp::parse_smtp_url(url).map_err(ApiError::internal)?;
    let to = request.to.trim().to_owned();
    if let Some(issue) = UserField::Email.check(&to, true) {
        return Err(ApiError::field("to", issue.message));
    }
    let parts = EmailParts { subject: request.subject, html: request.html, text: request.text };
    let preview = preview_of(template, language, parts);
    let Some(rendered) = preview.rendered else {
        return Ok(rejected(&preview.findings, preview.html_sanitized, BlockedAction::Send));
    };
    if let Err(message) = smtp::send(&target, &to, &rendered).await {
        tracing::warn!(template = template.name(), actor = %admin.login_id, error = %message, "test email failed");
        return Err(ApiError::Rejected {
            status: StatusCode::BAD_GATEWAY,
            detail: format!("{message}. Check that the SMTP server is running and accepts mail."),
        });
    }
    tracing::info!(template = template.name(), language = language.code(), actor = %admin.login_id, "test email sent");
    Ok(Json(TestSendOutcome { to, subject: rendered.subject, findings: preview.findings })
        .into_response())
}
