//! The default texts of every template in Japanese and English. Each
//! default is a list of paragraphs and links, from which both bodies are
//! built, so the HTML and the text body always carry the same text.

use super::{EmailParts, EmailTemplate, Language};

/// One block of a default body.
enum Block {
    Paragraph(&'static str),
    /// A paragraph holding only the link in this variable, such as `reset_url`.
    Link(&'static str),
}

use Block::{Link, Paragraph};

struct Default {
    subject: &'static str,
    blocks: &'static [Block],
}

const GREETING_JA: Block = Paragraph("{{ user.display_name }} 様");
const GREETING_EN: Block = Paragraph("Hello {{ user.display_name }},");
const SIGNATURE: Block = Paragraph("{{ tenant.name }}");
const NOT_YOU_JA: Block = Paragraph("お心当たりがない場合は、すぐに管理者へご連絡ください。");
const NOT_YOU_EN: Block =
    Paragraph("If you did not expect this email, contact your administrator at once.");

fn default_of(template: EmailTemplate, language: Language) -> Default {
    use EmailTemplate::*;
    use Language::{En, Ja};
    match (template, language) {
        (PwChangeFinish, Ja) => Default {
            subject: "パスワードが変更されました",
            blocks: &[
                GREETING_JA,
                Paragraph("{{ changed_at }} にパスワードが変更されました。"),
                NOT_YOU_JA,
                SIGNATURE,
            ],
        },
        (PwChangeFinish, En) => Default {
            subject: "Your password was changed",
            blocks: &[
                GREETING_EN,
                Paragraph("Your password was changed on {{ changed_at }}."),
                NOT_YOU_EN,
                SIGNATURE,
            ],
        },
        (PwExpiration, Ja) => Default {
            subject: "パスワードの有効期限が近づいています",
            blocks: &[
                GREETING_JA,
                Paragraph("パスワードの有効期限は {{ expires_at }} です。期限までに次のページで変更してください。"),
                Link("change_url"),
                SIGNATURE,
            ],
        },
        (PwExpiration, En) => Default {
            subject: "Your password expires soon",
            blocks: &[
                GREETING_EN,
                Paragraph("Your password expires on {{ expires_at }}. Change it before then on this page:"),
                Link("change_url"),
                SIGNATURE,
            ],
        },
        (AccountCreation, Ja) => Default {
            subject: "{{ tenant.name }} のアカウントが作成されました",
            blocks: &[
                GREETING_JA,
                Paragraph("アカウントが作成されました。ログイン ID は {{ user.login_id }} です。次のページからログインしてください。"),
                Link("sign_in_url"),
                SIGNATURE,
            ],
        },
        (AccountCreation, En) => Default {
            subject: "Your {{ tenant.name }} account is ready",
            blocks: &[
                GREETING_EN,
                Paragraph("An account was created for you. Your login ID is {{ user.login_id }}. Sign in here:"),
                Link("sign_in_url"),
                SIGNATURE,
            ],
        },
        (AccountLock, Ja) => Default {
            subject: "アカウントがロックされました",
            blocks: &[
                GREETING_JA,
                Paragraph("ログインの失敗が続いたため、{{ locked_at }} にアカウントをロックしました。ロックは {{ unlock_at }} に解除されます。"),
                NOT_YOU_JA,
                SIGNATURE,
            ],
        },
        (AccountLock, En) => Default {
            subject: "Your account is locked",
            blocks: &[
                GREETING_EN,
                Paragraph("After several failed sign-ins, your account was locked on {{ locked_at }}. The lock ends on {{ unlock_at }}."),
                NOT_YOU_EN,
                SIGNATURE,
            ],
        },
        (IssueTmpPass, Ja) => Default {
            subject: "仮パスワードのお知らせ",
            blocks: &[
                GREETING_JA,
                Paragraph("仮パスワードは {{ temporary_password }} です。{{ expires_at }} までにログインし、新しいパスワードを設定してください。"),
                Link("sign_in_url"),
                SIGNATURE,
            ],
        },
        (IssueTmpPass, En) => Default {
            subject: "Your temporary password",
            blocks: &[
                GREETING_EN,
                Paragraph("Your temporary password is {{ temporary_password }}. Sign in before {{ expires_at }} and choose a new password."),
                Link("sign_in_url"),
                SIGNATURE,
            ],
        },
        (PwResetRequest, Ja) => Default {
            subject: "パスワード再設定のご案内",
            blocks: &[
                GREETING_JA,
                Paragraph("パスワード再設定のリクエストを受け付けました。次のリンクから {{ expires_at }} までに再設定してください。"),
                Link("reset_url"),
                Paragraph("リクエストしていない場合は、このメールを破棄してください。パスワードは変更されません。"),
                SIGNATURE,
            ],
        },
        (PwResetRequest, En) => Default {
            subject: "Reset your password",
            blocks: &[
                GREETING_EN,
                Paragraph("We received a request to reset your password. Use this link before {{ expires_at }}:"),
                Link("reset_url"),
                Paragraph("If you did not ask for this, ignore this email; your password stays the same."),
                SIGNATURE,
            ],
        },
        (FailureTmpPass, Ja) => Default {
            subject: "仮パスワードを発行できませんでした",
            blocks: &[
                GREETING_JA,
                Paragraph("{{ requested_at }} にリクエストされた仮パスワードを発行できませんでした。理由: {{ reason }}"),
                Paragraph("管理者へご連絡ください。"),
                SIGNATURE,
            ],
        },
        (FailureTmpPass, En) => Default {
            subject: "No temporary password was issued",
            blocks: &[
                GREETING_EN,
                Paragraph("The temporary password requested on {{ requested_at }} could not be issued. Reason: {{ reason }}"),
                Paragraph("Contact your administrator for help."),
                SIGNATURE,
            ],
        },
        (DisableMfa, Ja) => Default {
            subject: "多要素認証の解除の確認",
            blocks: &[
                GREETING_JA,
                Paragraph("多要素認証の解除がリクエストされました。解除するには、{{ expires_at }} までに次のリンクを開いてください。"),
                Link("confirm_url"),
                NOT_YOU_JA,
                SIGNATURE,
            ],
        },
        (DisableMfa, En) => Default {
            subject: "Confirm turning off multi-factor authentication",
            blocks: &[
                GREETING_EN,
                Paragraph("Someone asked to turn off multi-factor authentication for your account. To confirm, open this link before {{ expires_at }}:"),
                Link("confirm_url"),
                NOT_YOU_EN,
                SIGNATURE,
            ],
        },
        (FinishedJob, Ja) => Default {
            subject: "ジョブが終了しました: {{ job.name }}",
            blocks: &[
                GREETING_JA,
                Paragraph("ジョブ「{{ job.name }}」が {{ job.finished_at }} に終了しました。結果: {{ job.status }}"),
                Link("job.url"),
                SIGNATURE,
            ],
        },
        (FinishedJob, En) => Default {
            subject: "Job finished: {{ job.name }}",
            blocks: &[
                GREETING_EN,
                Paragraph("The job \"{{ job.name }}\" finished on {{ job.finished_at }} with the status {{ job.status }}."),
                Link("job.url"),
                SIGNATURE,
            ],
        },
        (MailOtp, Ja) => Default {
            subject: "ワンタイムパスワード: {{ otp_code }}",
            blocks: &[
                GREETING_JA,
                Paragraph("ワンタイムパスワードは {{ otp_code }} です。{{ expires_at }} まで有効です。"),
                Paragraph("このコードを他の人に教えないでください。"),
                SIGNATURE,
            ],
        },
        (MailOtp, En) => Default {
            subject: "Your one-time password: {{ otp_code }}",
            blocks: &[
                GREETING_EN,
                Paragraph("Your one-time password is {{ otp_code }}. It works until {{ expires_at }}."),
                Paragraph("Never share this code with anyone."),
                SIGNATURE,
            ],
        },
    }
}

/// Returns the default subject and bodies of a template in a language.
pub fn default_parts(template: EmailTemplate, language: Language) -> EmailParts {
    let default = default_of(template, language);
    let mut html = Vec::new();
    let mut text = Vec::new();
    for block in default.blocks {
        match block {
            Paragraph(paragraph) => {
                html.push(format!("<p>{paragraph}</p>"));
                text.push((*paragraph).to_owned());
            }
            Link(variable) => {
                html.push(format!(
                    "<p><a href=\"{{{{ {variable} }}}}\" rel=\"noopener noreferrer\">{{{{ {variable} }}}}</a></p>"
                ));
                text.push(format!("{{{{ {variable} }}}}"));
            }
        }
    }
    EmailParts {
        subject: default.subject.to_owned(),
        html: html.join("\n") + "\n",
        text: text.join("\n\n") + "\n",
    }
}
