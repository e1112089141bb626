//! Notification email templates: the ten templates, their languages, the
//! variables each template may use and the default texts. One template
//! engine (MiniJinja) checks a template while it is edited and renders it
//! for the preview and for the mail the server sends.

mod defaults;
mod engine;
mod html_balance;

use serde::{Deserialize, Serialize};

use crate::catalog::{kinds, TaskKind, TenantOption};

pub use defaults::default_parts;
pub use engine::{check, render, sample_context, Rendered};
pub use html_balance::check_tag_balance;

use crate::finding::Severity;

/// A notification email the tenant can customize. The names are the task
/// log's type suffixes: `update.<name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailTemplate {
    PwChangeFinish,
    PwExpiration,
    AccountCreation,
    AccountLock,
    IssueTmpPass,
    PwResetRequest,
    FailureTmpPass,
    DisableMfa,
    FinishedJob,
    MailOtp,
}

impl EmailTemplate {
    pub const ALL: [EmailTemplate; 10] = [
        EmailTemplate::PwChangeFinish,
        EmailTemplate::PwExpiration,
        EmailTemplate::AccountCreation,
        EmailTemplate::AccountLock,
        EmailTemplate::IssueTmpPass,
        EmailTemplate::PwResetRequest,
        EmailTemplate::FailureTmpPass,
        EmailTemplate::DisableMfa,
        EmailTemplate::FinishedJob,
        EmailTemplate::MailOtp,
    ];

    /// Returns the identifier in URLs and in the task type.
    pub fn name(self) -> &'static str {
        match self {
            EmailTemplate::PwChangeFinish => "pw_change_finish",
            EmailTemplate::PwExpiration => "pw_expiration",
            EmailTemplate::AccountCreation => "account_creation",
            EmailTemplate::AccountLock => "account_lock",
            EmailTemplate::IssueTmpPass => "issue_tmp_pass",
            EmailTemplate::PwResetRequest => "pw_reset_request",
            EmailTemplate::FailureTmpPass => "failure_tmp_pass",
            EmailTemplate::DisableMfa => "disable_mfa",
            EmailTemplate::FinishedJob => "finished_job",
            EmailTemplate::MailOtp => "mail_otp",
        }
    }

    /// Parses an identifier such as `pw_reset_request`.
    pub fn parse(name: &str) -> Option<EmailTemplate> {
        EmailTemplate::ALL.into_iter().find(|template| template.name() == name)
    }

    /// Returns the task log pair that a change of this template records.
    pub fn kind(self) -> TaskKind {
        match self {
            EmailTemplate::PwChangeFinish => kinds::UPDATE_PW_CHANGE_FINISH,
            EmailTemplate::PwExpiration => kinds::UPDATE_PW_EXPIRATION,
            EmailTemplate::AccountCreation => kinds::UPDATE_ACCOUNT_CREATION,
            EmailTemplate::AccountLock => kinds::UPDATE_ACCOUNT_LOCK,
            EmailTemplate::IssueTmpPass => kinds::UPDATE_ISSUE_TMP_PASS,
            EmailTemplate::PwResetRequest => kinds::UPDATE_PW_RESET_REQUEST,
            EmailTemplate::FailureTmpPass => kinds::UPDATE_FAILURE_TMP_PASS,
            EmailTemplate::DisableMfa => kinds::UPDATE_DISABLE_MFA,
            EmailTemplate::FinishedJob => kinds::UPDATE_FINISHED_JOB,
            EmailTemplate::MailOtp => kinds::UPDATE_MAIL_OTP,
        }
    }

    /// Returns the tenant option the template needs, from the catalog.
    pub fn option(self) -> Option<TenantOption> {
        let kind = self.kind();
        crate::catalog::find(kind.task_type, kind.operation).and_then(|spec| spec.option)
    }

    /// Returns the email's purpose, as the console lists it.
    pub fn title(self) -> &'static str {
        match self {
            EmailTemplate::PwChangeFinish => "Password changed",
            EmailTemplate::PwExpiration => "Password expiring",
            EmailTemplate::AccountCreation => "New account",
            EmailTemplate::AccountLock => "Account locked",
            EmailTemplate::IssueTmpPass => "Temporary password",
            EmailTemplate::PwResetRequest => "Password reset link",
            EmailTemplate::FailureTmpPass => "Temporary password not issued",
            EmailTemplate::DisableMfa => "Request to turn off multi-factor authentication",
            EmailTemplate::FinishedJob => "Job finished",
            EmailTemplate::MailOtp => "One-time password",
        }
    }

    /// Lists the variables this template may use: the common ones first,
    /// then its own.
    pub fn variables(self) -> Vec<&'static Variable> {
        COMMON_VARIABLES.iter().chain(own_variables(self)).collect()
    }

    /// Finds a variable of this template by its dotted name.
    pub fn variable(self, name: &str) -> Option<&'static Variable> {
        self.variables().into_iter().find(|variable| variable.name == name)
    }
}

/// A language a template is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    Ja,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Ja, Language::En];

    /// Returns the language code in URLs and in templates.
    pub fn code(self) -> &'static str {
        match self {
            Language::Ja => "ja",
            Language::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|language| language.code() == code)
    }
}

/// The three parts of one template in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailParts {
    pub subject: String,
    /// The HTML body; values are HTML-escaped when it renders.
    pub html: String,
    /// The plain-text body; values are inserted as they are.
    pub text: String,
}

/// A value a template can insert, such as `{{ user.display_name }}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variable {
    /// The dotted name used in the template.
    pub name: &'static str,
    pub description: &'static str,
    pub sample_en: &'static str,
    pub sample_ja: &'static str,
    /// Whether both bodies must use it, as the reset link of the password
    /// reset email: without it the email is useless.
    pub required: bool,
}

impl Variable {
    pub fn sample(&self, language: Language) -> &'static str {
        match language {
            Language::Ja => self.sample_ja,
            Language::En => self.sample_en,
        }
    }
}

/// A variable in its wire form, with the sample in the requested language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariableInfo {
    pub name: String,
    pub description: String,
    pub sample: String,
    pub required: bool,
}

/// Lists a template's variables in their wire form.
pub fn variable_infos(template: EmailTemplate, language: Language) -> Vec<VariableInfo> {
    template
        .variables()
        .into_iter()
        .map(|variable| VariableInfo {
            name: variable.name.to_owned(),
            description: variable.description.to_owned(),
            sample: variable.sample(language).to_owned(),
            required: variable.required,
        })
        .collect()
}

const fn variable(
    name: &'static str,
    description: &'static str,
    sample_en: &'static str,
    sample_ja: &'static str,
    required: bool,
) -> Variable {
    Variable { name, description, sample_en, sample_ja, required }
}

/// The variable that [`render`] always sets from its language argument.
pub const LANGUAGE_VARIABLE: &str = "language";

/// Variables every template may use.
const COMMON_VARIABLES: &[Variable] = &[
    variable(
        "user.display_name",
        "The recipient's display name.",
        "Aiko Tanaka",
        "田中 愛子",
        false,
    ),
    variable("user.login_id", "The recipient's login ID.", "aiko.tanaka", "aiko.tanaka", false),
    variable(
        "user.email",
        "The recipient's email address.",
        "aiko.tanaka@example.com",
        "aiko.tanaka@example.com",
        false,
    ),
    // The sample has an ampersand so previews show that HTML escaping works.
    variable(
        "tenant.name",
        "The tenant's name.",
        "Sakura Trading & Co.",
        "さくら商事 & Co.",
        false,
    ),
    variable(LANGUAGE_VARIABLE, "The language code of this email: ja or en.", "en", "ja", false),
];

fn own_variables(template: EmailTemplate) -> &'static [Variable] {
    const EXPIRES_AT: Variable = variable(
        "expires_at",
        "When the link or code stops working.",
        "2025-04-01 10:30 (JST)",
        "2025年4月1日 10:30",
        false,
    );
    const SIGN_IN_URL: Variable = variable(
        "sign_in_url",
        "The address of the sign-in page.",
        "https://sso.example.com/sign-in",
        "https://sso.example.com/sign-in",
        false,
    );
    match template {
        EmailTemplate::PwChangeFinish => {
            const VARIABLES: &[Variable] = &[variable(
                "changed_at",
                "When the password was changed.",
                "2025-04-01 09:30 (JST)",
                "2025年4月1日 9:30",
                false,
            )];
            VARIABLES
        }
        EmailTemplate::PwExpiration => {
            const VARIABLES: &[Variable] = &[
                variable(
                    "expires_at",
                    "When the current password expires.",
                    "2025-04-08 00:00 (JST)",
                    "2025年4月8日 0:00",
                    true,
                ),
                variable(
                    "change_url",
                    "The address of the page where the user changes the password.",
                    "https://sso.example.com/password",
                    "https://sso.example.com/password",
                    false,
                ),
            ];
            VARIABLES
        }
        EmailTemplate::AccountCreation => {
            const VARIABLES: &[Variable] = &[variable(
                "sign_in_url",
                "The address of the sign-in page.",
                "https://sso.example.com/sign-in",
                "https://sso.example.com/sign-in",
                true,
            )];
            VARIABLES
        }
        EmailTemplate::AccountLock => {
            const VARIABLES: &[Variable] = &[
                variable(
                    "locked_at",
                    "When the account was locked.",
                    "2025-04-01 09:30 (JST)",
                    "2025年4月1日 9:30",
                    false,
                ),
                variable(
                    "unlock_at",
                    "When the lock ends by itself.",
                    "2025-04-01 10:00 (JST)",
                    "2025年4月1日 10:00",
                    false,
                ),
            ];
            VARIABLES
        }
        EmailTemplate::IssueTmpPass => {
            const VARIABLES: &[Variable] = &[
                variable(
                    "temporary_password",
                    "The temporary password the user signs in with once.",
                    "Qm7-xT4p-Lw2",
                    "Qm7-xT4p-Lw2",
                    true,
                ),
                EXPIRES_AT,
                SIGN_IN_URL,
            ];
            VARIABLES
        }
        EmailTemplate::PwResetRequest => {
            const VARIABLES: &[Variable] = &[
                variable(
                    "reset_url",
                    "The link that opens the password reset page.",
                    "https://sso.example.com/reset?token=sample",
                    "https://sso.example.com/reset?token=sample",
                    true,
                ),
                EXPIRES_AT,
            ];
            VARIABLES
        }
        EmailTemplate::FailureTmpPass => {
            const VARIABLES: &[Variable] = &[
                variable(
                    "requested_at",
                    "When the temporary password was requested.",
                    "2025-04-01 09:30 (JST)",
                    "2025年4月1日 9:30",
                    false,
                ),
                variable(
                    "reason",
                    "Why no temporary password was issued.",
                    "The account has no email address.",
                    "アカウントにメールアドレスが登録されていません。",
                    false,
                ),
            ];
            VARIABLES
        }
        EmailTemplate::DisableMfa => {
            const VARIABLES: &[Variable] = &[
                variable(
                    "confirm_url",
                    "The link that confirms turning off multi-factor authentication.",
                    "https://sso.example.com/mfa/disable?token=sample",
                    "https://sso.example.com/mfa/disable?token=sample",
                    true,
                ),
                EXPIRES_AT,
            ];
            VARIABLES
        }
        EmailTemplate::FinishedJob => {
            const VARIABLES: &[Variable] = &[
                variable(
                    "job.name",
                    "The job's name.",
                    "Import users (users.csv)",
                    "ユーザーのインポート (users.csv)",
                    true,
                ),
                variable("job.status", "How the job ended.", "Succeeded", "成功", true),
                variable(
                    "job.finished_at",
                    "When the job finished.",
                    "2025-04-01 09:30 (JST)",
                    "2025年4月1日 9:30",
                    false,
                ),
                variable(
                    "job.url",
                    "The address of the job's page in the admin console.",
                    "https://admin.example.com/tasks/42",
                    "https://admin.example.com/tasks/42",
                    false,
                ),
            ];
            VARIABLES
        }
        EmailTemplate::MailOtp => {
            const VARIABLES: &[Variable] = &[
                variable("otp_code", "The one-time password.", "482913", "482913", true),
                EXPIRES_AT,
            ];
            VARIABLES
        }
    }
}

/// The part of a template that a finding is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplatePart {
    Subject,
    Html,
    Text,
}

impl TemplatePart {
    pub const ALL: [TemplatePart; 3] =
        [TemplatePart::Subject, TemplatePart::Html, TemplatePart::Text];

    /// Returns the field name in the API.
    pub fn name(self) -> &'static str {
        match self {
            TemplatePart::Subject => "subject",
            TemplatePart::Html => "html",
            TemplatePart::Text => "text",
        }
    }

    /// Returns the part's name in messages.
    pub fn label(self) -> &'static str {
        match self {
            TemplatePart::Subject => "The subject",
            TemplatePart::Html => "The HTML body",
            TemplatePart::Text => "The text body",
        }
    }

    pub fn get(self, parts: &EmailParts) -> &str {
        match self {
            TemplatePart::Subject => &parts.subject,
            TemplatePart::Html => &parts.html,
            TemplatePart::Text => &parts.text,
        }
    }

    /// Returns the maximum source length, in characters.
    pub fn max_chars(self) -> usize {
        match self {
            TemplatePart::Subject => 200,
            TemplatePart::Html => 100_000,
            TemplatePart::Text => 50_000,
        }
    }
}

/// A problem in a template, at a line and column of one part when it has a
/// place. Lines and columns count from 1, and columns count characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateFinding {
    pub severity: Severity,
    /// A stable identifier such as `syntax_error` or `unknown_variable`.
    pub code: String,
    pub part: TemplatePart,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

impl TemplateFinding {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Finds the 1-based line and character column of a byte offset.
pub(crate) fn line_and_column(source: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = before[line_start..].chars().count() + 1;
    (line as u32, column as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names_round_trip_and_match_catalog() {
        for template in EmailTemplate::ALL {
            assert_eq!(EmailTemplate::parse(template.name()), Some(template));
            let kind = template.kind();
            assert_eq!(kind.task_type, format!("update.{}", template.name()));
            assert!(kinds::BRANDING_RECORDED.contains(&kind));
        }
    }

    #[test]
    fn only_mfa_templates_need_the_option() {
        let needing: Vec<EmailTemplate> =
            EmailTemplate::ALL.into_iter().filter(|t| t.option().is_some()).collect();
        assert_eq!(needing, [EmailTemplate::DisableMfa, EmailTemplate::MailOtp]);
    }

    #[test]
    fn required_variables_are_where_the_email_needs_them() {
        let required = |template: EmailTemplate| -> Vec<&str> {
            template.variables().into_iter().filter(|v| v.required).map(|v| v.name).collect()
        };
        assert_eq!(required(EmailTemplate::PwResetRequest), ["reset_url"]);
        assert_eq!(required(EmailTemplate::IssueTmpPass), ["temporary_password"]);
        assert_eq!(required(EmailTemplate::MailOtp), ["otp_code"]);
        assert_eq!(required(EmailTemplate::FinishedJob), ["job.name", "job.status"]);
    }

    #[test]
    fn line_and_column_count_characters() {
        let source = "こんにちは\n{{ x }}";
        assert_eq!(line_and_column(source, 0), (1, 1));
        assert_eq!(line_and_column(source, "こんにちは".len()), (1, 6));
        assert_eq!(line_and_column(source, "こんにちは\n{{".len()), (2, 3));
    }
}
