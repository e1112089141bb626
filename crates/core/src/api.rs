//! Request and response bodies of the `/api/v1` contract. The console and the
//! server both use these types, so a field renamed here is renamed on both
//! sides at once.

use serde::{Deserialize, Serialize};

use crate::catalog::{Area, TenantOption};
use crate::csv::CsvReport;

/// Header that carries the session's CSRF token on every state-changing request.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Header that makes a create request safe to retry.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";
/// Media type of error responses (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInRequest {
    pub login_id: String,
    pub password: String,
}

/// The signed-in administrator's session as the console needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub login_id: String,
    pub csrf_token: String,
    /// The options this tenant subscribes to; forms that need another option
    /// are hidden and the server rejects their requests.
    pub tenant_options: Vec<TenantOption>,
    /// Minutes of inactivity after which the session ends.
    pub idle_timeout_minutes: u32,
}

/// One problem with one field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// An error response body (`application/problem+json`, RFC 9457).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Identifier of the request in the server log, shown to people so that
    /// a report can be matched to the log.
    #[serde(default)]
    pub request_id: String,
    /// For a `412 Precondition Failed`, the record as it is now stored, so the
    /// console can show both versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<serde_json::Value>,
    /// For a rejected CSV upload, the server's validation report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<CsvReport>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    Active,
    PendingDeletion,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::PendingDeletion => "pending_deletion",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            UserStatus::Active => "Active",
            UserStatus::PendingDeletion => "Pending deletion",
        }
    }
}

/// The editable fields of a user. Empty optional fields are empty strings,
/// which keeps form handling and CSV import the same.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserFields {
    pub login_id: String,
    pub email: String,
    pub family_name: String,
    pub given_name: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    #[serde(flatten)]
    pub fields: UserFields,
    pub status: UserStatus,
    /// Incremented on every change; the `ETag` header carries it.
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// A group, with its number of members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: i64,
    pub group_id: String,
    pub name: String,
    pub description: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    pub members: u64,
}

/// The users a list request returns, by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserFilter {
    #[default]
    Active,
    PendingDeletion,
    All,
}

impl UserFilter {
    pub fn as_str(self) -> &'static str {
        match self {
            UserFilter::Active => "active",
            UserFilter::PendingDeletion => "pending_deletion",
            UserFilter::All => "all",
        }
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// Body of an erase request: the administrator retypes the login id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EraseRequest {
    pub confirm_login_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Queued,
    Running,
    Succeeded,
    Failed,
    Held,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Queued => "queued",
            TaskStatus::Running => "running",
            TaskStatus::Succeeded => "succeeded",
            TaskStatus::Failed => "failed",
            TaskStatus::Held => "held",
        }
    }
}

/// An entry of the task log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: i64,
    #[serde(rename = "type")]
    pub task_type: String,
    pub operation: String,
    pub status: TaskStatus,
    pub actor: String,
    /// The object of the task, such as a login id or a file name.
    pub target: String,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub total: u32,
    pub succeeded: u32,
    pub failed: u32,
}

/// The outcome of one row of a bulk task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRow {
    pub row: u32,
    pub key: String,
    pub ok: bool,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskDetail {
    #[serde(flatten)]
    pub task: Task,
    pub rows: Vec<TaskRow>,
}

/// An entry of `GET /api/v1/operations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationInfo {
    #[serde(rename = "type")]
    pub task_type: String,
    pub operation: String,
    pub area: Area,
    pub label: String,
    pub option: Option<TenantOption>,
    pub form: Option<String>,
}

/// Response of a users CSV validation or import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub report: CsvReport,
    /// The tasks the request recorded, in the order they ran.
    pub tasks: Vec<Task>,
}

/// Lists every catalog entry in its wire form.
pub fn operation_infos() -> Vec<OperationInfo> {
    crate::catalog::OPERATIONS
        .iter()
        .map(|spec| OperationInfo {
            task_type: spec.task_type.to_owned(),
            operation: spec.operation.to_owned(),
            area: spec.area,
            label: spec.label.to_owned(),
            option: spec.option,
            form: spec.form.map(str::to_owned),
        })
        .collect()
}

/// `GET`/`PUT /branding/theme`: the theme colours with the stored version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeSettings {
    #[serde(flatten)]
    pub theme: crate::branding::Theme,
    /// Whether these are the default colours, because none were saved or the
    /// theme was reset.
    pub is_default: bool,
    /// Incremented on every change; the `ETag` header carries it.
    pub version: i64,
}

/// `GET /branding/logo/info`, also the response of `PUT /branding/logo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogoInfo {
    /// Whether a logo is stored; without one the console shows the default.
    pub present: bool,
    pub media_type: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// The file size in bytes.
    pub bytes: Option<u64>,
    /// Incremented on every change, including removal.
    pub version: i64,
}

/// `GET`/`PUT /branding/footer-links`. A `PUT` sends only `links`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FooterLinks {
    pub links: Vec<crate::branding::Link>,
    #[serde(default)]
    pub version: i64,
}

/// `GET`/`PUT /branding/login-link`; `link: null` means no link. A `PUT`
/// sends only `link`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginLink {
    /// Required in a request even though it may be `null`, so a misspelt
    /// field name cannot remove the link by accident.
    #[serde(deserialize_with = "required_nullable")]
    pub link: Option<crate::branding::Link>,
    #[serde(default)]
    pub version: i64,
}

/// Deserializes an `Option` field that must be present, as `null` or a
/// value; serde treats a plain `Option` field as optional.
fn required_nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}

/// Whether a template in one language is customized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailTemplateState {
    /// The default text is sent.
    Default,
    /// A saved text without errors is sent.
    Customized,
    /// A saved text has an empty part or errors, for example after a
    /// variable was withdrawn from the template's catalog.
    Incomplete,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailLanguageState {
    pub language: crate::emails::Language,
    pub state: EmailTemplateState,
}

/// One row of `GET /emails`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailTemplateSummary {
    pub template: crate::emails::EmailTemplate,
    pub title: String,
    pub languages: Vec<EmailLanguageState>,
}

/// `GET`/`PUT /emails/{template}/{language}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailTemplateDocument {
    pub template: crate::emails::EmailTemplate,
    pub language: crate::emails::Language,
    pub subject: String,
    pub html: String,
    pub text: String,
    /// Whether this is the default text, because none was saved or the
    /// template was reset.
    pub is_default: bool,
    pub variables: Vec<crate::emails::VariableInfo>,
    /// The findings of `check` on the stored text. They are empty for a
    /// saved text unless the catalog changed since.
    pub findings: Vec<crate::emails::TemplateFinding>,
    /// In a `PUT` response, whether the HTML sanitizer changed the HTML body
    /// before it was stored; `false` in other responses.
    #[serde(default)]
    pub html_sanitized: bool,
    /// Incremented on every change; the `ETag` header carries it.
    pub version: i64,
}

/// `POST /emails/{template}/{language}/preview` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailPreview {
    /// The email rendered with the sample values, or `None` when a part
    /// does not parse or render.
    pub rendered: Option<crate::emails::Rendered>,
    pub findings: Vec<crate::emails::TemplateFinding>,
    /// Whether the HTML sanitizer would change the HTML body on save; the
    /// preview shows the sanitized HTML.
    pub html_sanitized: bool,
}

/// `POST /emails/{template}/{language}/test-send` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestSendRequest {
    pub to: String,
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// `POST /emails/{template}/{language}/test-send` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestSendOutcome {
    pub to: String,
    /// The subject as rendered and sent.
    pub subject: String,
    pub findings: Vec<crate::emails::TemplateFinding>,
}
