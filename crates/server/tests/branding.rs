//! API tests of branding and notification email templates, driving the
//! router in-process with an in-memory database. The test send goes to an
//! SMTP sink that the test itself runs on 127.0.0.1.

// Test helpers outside #[test] functions fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use gatehouse_core::api::{
    EmailPreview, EmailTemplateDocument, EmailTemplateState, EmailTemplateSummary, FooterLinks,
    LoginLink, LogoInfo, Page, Problem, Task, TestSendOutcome, ThemeSettings,
};
use gatehouse_core::branding::logo::samples;
use gatehouse_core::branding::Theme;
use gatehouse_core::catalog::TenantOption;
use gatehouse_core::emails::EmailTemplate;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

mod support;

use support::{config_with, pair, send, Console, Reply};

impl Console {
    async fn json(&self, method: Method, uri: &str, if_match: Option<&str>, body: Value) -> Reply {
        let mut request =
            self.request(method, uri).header(header::CONTENT_TYPE, "application/json");
        if let Some(if_match) = if_match {
            request = request.header(header::IF_MATCH, if_match);
        }
        send(&self.router, request.body(Body::from(body.to_string())).unwrap()).await
    }

    async fn delete(&self, uri: &str) -> Reply {
        send(&self.router, self.request(Method::DELETE, uri).body(Body::empty()).unwrap()).await
    }

    async fn put_bytes(&self, uri: &str, content_type: &str, bytes: &[u8]) -> Reply {
        let request = self
            .request(Method::PUT, uri)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(bytes.to_vec()))
            .unwrap();
        send(&self.router, request).await
    }

    async fn task_pairs(&self) -> Vec<(String, String)> {
        let page: Page<Task> = self.get("/api/v1/tasks?per_page=200").await.json();
        page.items.into_iter().rev().map(|t| (t.task_type, t.operation)).collect()
    }
}

fn theme_body(primary: &str) -> Value {
    serde_json::to_value(Theme { primary: primary.into(), ..Theme::default() }).unwrap()
}

fn link(en: &str, ja: &str, url: &str) -> Value {
    json!({"labels": {"en": en, "ja": ja}, "url": url})
}

fn findings_of(reply: &Reply) -> Vec<Value> {
    let body: Value = reply.json();
    body["findings"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn theme_put_needs_current_etag() {
    let console = Console::signed_in().await;
    let first = console.get("/api/v1/branding/theme").await;
    assert_eq!(first.header("etag"), "\"0\"");
    let settings: ThemeSettings = first.json();
    assert!(settings.is_default);
    assert_eq!(settings.theme, Theme::default());

    let missing =
        console.json(Method::PUT, "/api/v1/branding/theme", None, theme_body("#0b3d91")).await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);

    let saved = console
        .json(Method::PUT, "/api/v1/branding/theme", Some("\"0\""), theme_body("#0B3D91"))
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
    assert_eq!(saved.header("etag"), "\"1\"");
    let saved: ThemeSettings = saved.json();
    assert_eq!(saved.theme.primary, "#0b3d91");
    assert!(!saved.is_default);

    let same =
        console.json(Method::PUT, "/api/v1/branding/theme", Some("*"), theme_body("#0b3d91")).await;
    assert_eq!(same.status, StatusCode::OK);
    assert_eq!(same.header("etag"), "\"1\"");
    assert_eq!(console.task_pairs().await, [pair("update.theme", "update")]);

    let stale = console
        .json(Method::PUT, "/api/v1/branding/theme", Some("\"0\""), theme_body("#222222"))
        .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    let problem: Problem = stale.json();
    let current = problem.current.unwrap();
    assert_eq!(current["primary"], "#0b3d91");
    assert_eq!(current["version"], 1);
}

#[tokio::test]
async fn theme_rejects_bad_hex_and_resets() {
    let console = Console::signed_in().await;
    let bad = console
        .json(Method::PUT, "/api/v1/branding/theme", Some("\"0\""), theme_body("#12345"))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Problem = bad.json();
    assert_eq!(problem.errors.len(), 1);
    assert_eq!(problem.errors[0].field, "primary");
    assert_eq!(
        problem.errors[0].message,
        "Primary: Colour `#12345` has 5 hex digits after `#`; it needs exactly six, like `#1a56db`."
    );

    let saved = console
        .json(Method::PUT, "/api/v1/branding/theme", Some("\"0\""), theme_body("#0b3d91"))
        .await;
    assert_eq!(saved.status, StatusCode::OK);
    let reset = console.delete("/api/v1/branding/theme").await;
    assert_eq!(reset.status, StatusCode::OK);
    assert_eq!(reset.header("etag"), "\"2\"");
    let reset: ThemeSettings = reset.json();
    assert!(reset.is_default);
    assert_eq!(reset.theme, Theme::default());
    let again = console.delete("/api/v1/branding/theme").await;
    assert_eq!(again.header("etag"), "\"2\"");
    assert_eq!(
        console.task_pairs().await,
        [pair("update.theme", "update"), pair("update.theme", "update")]
    );
}

#[tokio::test]
async fn logo_is_typed_by_content() {
    let console = Console::signed_in().await;
    let none = console.get("/api/v1/branding/logo").await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    assert_eq!(none.header("content-type"), "application/problem+json");

    // The Content-Type the client sends is ignored: these bytes are a PNG.
    let png = samples::png(400, 120);
    let saved = console.put_bytes("/api/v1/branding/logo", "image/svg+xml", &png).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
    let info: LogoInfo = saved.json();
    assert_eq!(
        info,
        LogoInfo {
            present: true,
            media_type: Some("image/png".into()),
            width: Some(400),
            height: Some(120),
            bytes: Some(png.len() as u64),
            version: 1,
        }
    );

    let served = console.get("/api/v1/branding/logo").await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.header("content-type"), "image/png");
    assert_eq!(served.header("x-content-type-options"), "nosniff");
    assert_eq!(served.body, png);

    let jpeg =
        console.put_bytes("/api/v1/branding/logo", "image/png", &samples::jpeg(300, 90)).await;
    assert_eq!(jpeg.json::<LogoInfo>().media_type.as_deref(), Some("image/jpeg"));
    let info: LogoInfo = console.get("/api/v1/branding/logo/info").await.json();
    assert_eq!((info.width, info.height, info.version), (Some(300), Some(90), 2));

    let removed = console.delete("/api/v1/branding/logo").await;
    assert!(!removed.json::<LogoInfo>().present);
    assert_eq!(console.get("/api/v1/branding/logo").await.status, StatusCode::NOT_FOUND);
    assert_eq!(console.task_pairs().await, vec![pair("update.tenant_logo", "update"); 3]);
}

#[tokio::test]
async fn logo_rejects_svg_gif_and_oversize() {
    let console = Console::signed_in().await;
    let svg = console.put_bytes("/api/v1/branding/logo", "image/png", samples::SVG).await;
    assert_eq!(svg.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Problem = svg.json();
    assert_eq!(
        problem.detail.as_deref(),
        Some("SVG is not accepted because an SVG file can carry scripts; export the logo as PNG, JPEG or WebP.")
    );

    let gif =
        console.put_bytes("/api/v1/branding/logo", "image/png", b"GIF89a\x10\x00\x10\x00").await;
    assert_eq!(gif.status, StatusCode::UNPROCESSABLE_ENTITY);

    let wide = console
        .put_bytes("/api/v1/branding/logo", "image/webp", &samples::webp_lossless(1500, 100))
        .await;
    let problem: Problem = wide.json();
    assert_eq!(problem.errors[0].field, "logo");
    assert_eq!(
        problem.errors[0].message,
        "The logo is 1500×100 pixels; the maximum is 1024×1024. Scale it down."
    );

    let mut heavy = samples::png(100, 100);
    heavy.resize(700 * 1024, 0);
    let heavy = console.put_bytes("/api/v1/branding/logo", "image/png", &heavy).await;
    assert_eq!(heavy.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(heavy.json::<Problem>().errors[0].message.contains("the maximum is 512 KiB"));
    assert!(console.task_pairs().await.is_empty());
}

#[tokio::test]
async fn footer_links_follow_rules() {
    let console = Console::signed_in().await;
    let empty: FooterLinks = console.get("/api/v1/branding/footer-links").await.json();
    assert!(empty.links.is_empty());

    let six: Vec<Value> = (1..=6)
        .map(|n| {
            link(&format!("Page {n}"), &format!("ページ{n}"), &format!("https://example.com/{n}"))
        })
        .collect();
    let too_many = console
        .json(Method::PUT, "/api/v1/branding/footer-links", Some("\"0\""), json!({"links": six}))
        .await;
    assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Problem = too_many.json();
    assert_eq!(problem.errors[0].field, "links");

    let http = console
        .json(
            Method::PUT,
            "/api/v1/branding/footer-links",
            Some("\"0\""),
            json!({"links": [link("Help", "", "http://example.com/help")]}),
        )
        .await;
    let problem: Problem = http.json();
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["links[0].labels.ja", "links[0].url"]);

    let links = json!({"links": [link("Help", "ヘルプ", "https://example.com/help"), link("Privacy", "プライバシー", "https://example.com/privacy")]});
    let saved =
        console.json(Method::PUT, "/api/v1/branding/footer-links", Some("\"0\""), links).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
    assert_eq!(saved.header("etag"), "\"1\"");
    let saved: FooterLinks = saved.json();
    assert_eq!(saved.links.len(), 2);
    assert_eq!(saved.links[1].labels["ja"], "プライバシー");
    assert_eq!(console.task_pairs().await, [pair("update.footer_link", "update")]);
}

#[tokio::test]
async fn login_link_is_set_and_cleared() {
    let console = Console::signed_in().await;
    let saved = console
        .json(
            Method::PUT,
            "/api/v1/branding/login-link",
            Some("\"0\""),
            json!({"link": link("Forgot your ID?", "IDを忘れた場合", "https://help.example.com/id")}),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
    let cleared = console
        .json(Method::PUT, "/api/v1/branding/login-link", Some("\"1\""), json!({"link": null}))
        .await;
    let cleared: LoginLink = cleared.json();
    assert_eq!(cleared, LoginLink { link: None, version: 2 });
    let javascript = console
        .json(
            Method::PUT,
            "/api/v1/branding/login-link",
            Some("\"2\""),
            json!({"link": link("Help", "ヘルプ", "javascript:alert(1)")}),
        )
        .await;
    assert_eq!(javascript.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        console.task_pairs().await,
        [pair("update.login_link", "update"), pair("update.login_link", "update")]
    );
}

#[tokio::test]
async fn login_link_needs_the_link_field() {
    let console = Console::signed_in().await;
    let misspelt = console
        .json(
            Method::PUT,
            "/api/v1/branding/login-link",
            Some("*"),
            json!({"Link": link("Help", "ヘルプ", "https://help.example.com/")}),
        )
        .await;
    assert_eq!(misspelt.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(console.task_pairs().await.is_empty());
}

#[tokio::test]
async fn email_with_safe_filter_is_not_saved() {
    let console = Console::signed_in().await;
    let reply = console
        .json(
            Method::PUT,
            "/api/v1/emails/pw_reset_request/en",
            Some("*"),
            json!({
                "subject": "Reset",
                "html": "<p>{{ reset_url }}</p><p>{{ user.display_name|safe }}</p>",
                "text": "{{ reset_url }}"
            }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("escaping_disabled"), "{}", reply.text());
    assert!(console.task_pairs().await.is_empty());
}

#[tokio::test]
async fn email_matrix_follows_tenant_options() {
    let without = Console::signed_in_with(config_with(Vec::new(), None)).await;
    let matrix: Vec<EmailTemplateSummary> = without.get("/api/v1/emails").await.json();
    assert_eq!(matrix.len(), 8);
    assert!(matrix.iter().all(|row| row.template != EmailTemplate::MailOtp));
    let refused = without.get("/api/v1/emails/mail_otp/en").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        refused.json::<Problem>().detail.as_deref(),
        Some("This operation needs the Multi-Factor Authentication Option.")
    );
    let body = json!({"subject": "x", "html": "<p>{{ otp_code }}</p>", "text": "{{ otp_code }}"});
    let put = without.json(Method::PUT, "/api/v1/emails/disable_mfa/ja", Some("\"0\""), body).await;
    assert_eq!(put.status, StatusCode::FORBIDDEN);
    assert!(without.task_pairs().await.is_empty());

    let with = Console::signed_in().await;
    let matrix: Vec<EmailTemplateSummary> = with.get("/api/v1/emails").await.json();
    assert_eq!(matrix.len(), 10);
    assert!(matrix
        .iter()
        .flat_map(|row| &row.languages)
        .all(|language| language.state == EmailTemplateState::Default));
    assert_eq!(with.get("/api/v1/emails/mail_otp/ja").await.status, StatusCode::OK);
    assert_eq!(with.get("/api/v1/emails/no_such/en").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn email_template_saves_and_resets() {
    let console = Console::signed_in().await;
    let read = console.get("/api/v1/emails/pw_reset_request/en").await;
    assert_eq!(read.header("etag"), "\"0\"");
    let document: EmailTemplateDocument = read.json();
    assert!(document.is_default);
    assert_eq!(document.subject, "Reset your password");
    let reset_url = document.variables.iter().find(|v| v.name == "reset_url").unwrap();
    assert!(reset_url.required);

    let without_link = json!({
        "subject": "Reset your password",
        "html": "<p>Hello {{ user.display_name }}</p>",
        "text": "Reset at {{ reset_url }}"
    });
    let refused = console
        .json(Method::PUT, "/api/v1/emails/pw_reset_request/en", Some("\"0\""), without_link)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let findings = findings_of(&refused);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["code"], "required_variable_missing");
    assert_eq!(findings[0]["part"], "html");

    let with_script = json!({
        "subject": "Reset your {{ tenant.name }} password",
        "html": "<p>Hello {{ user.display_name }}</p>\n<p><a href=\"{{ reset_url }}\">Reset</a></p><script>alert(1)</script>",
        "text": "Reset at {{ reset_url }}"
    });
    let saved = console
        .json(Method::PUT, "/api/v1/emails/pw_reset_request/en", Some("\"0\""), with_script)
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
    assert_eq!(saved.header("etag"), "\"1\"");
    let saved: EmailTemplateDocument = saved.json();
    assert!(saved.html_sanitized);
    assert!(!saved.html.contains("<script>"), "{}", saved.html);
    assert!(saved.html.contains("href=\"{{ reset_url }}\""), "{}", saved.html);
    assert!(!saved.is_default);

    let matrix: Vec<EmailTemplateSummary> = console.get("/api/v1/emails").await.json();
    let row = matrix.iter().find(|row| row.template == EmailTemplate::PwResetRequest).unwrap();
    let states: Vec<EmailTemplateState> = row.languages.iter().map(|l| l.state).collect();
    assert_eq!(states, [EmailTemplateState::Default, EmailTemplateState::Customized]);

    let stale = console
        .json(
            Method::PUT,
            "/api/v1/emails/pw_reset_request/en",
            Some("\"0\""),
            json!({"subject": "x", "html": "<p>{{ reset_url }}</p>", "text": "{{ reset_url }}"}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale.json::<Problem>().current.unwrap()["version"], 1);

    let reset = console.delete("/api/v1/emails/pw_reset_request/en").await;
    let reset: EmailTemplateDocument = reset.json();
    assert!(reset.is_default);
    assert_eq!(reset.version, 2);
    assert_eq!(
        console.task_pairs().await,
        [pair("update.pw_reset_request", "update"), pair("update.pw_reset_request", "update")]
    );
}

#[tokio::test]
async fn preview_renders_samples_without_saving() {
    let console = Console::signed_in().await;
    let body = json!({
        "subject": "News from {{ tenant.name }}",
        "html": "<p>{{ tenant.name }}</p>",
        "text": "{{ tenant.name }}"
    });
    let reply =
        console.json(Method::POST, "/api/v1/emails/account_lock/en/preview", None, body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let preview: EmailPreview = reply.json();
    assert!(preview.findings.is_empty(), "{:?}", preview.findings);
    let rendered = preview.rendered.unwrap();
    assert_eq!(rendered.subject, "News from Sakura Trading & Co.");
    assert_eq!(rendered.html, "<p>Sakura Trading &amp; Co.</p>");
    assert_eq!(rendered.text, "Sakura Trading & Co.");

    let unknown = json!({"subject": "x", "html": "<p>{{ user.nickname }}</p>", "text": "x"});
    let reply =
        console.json(Method::POST, "/api/v1/emails/account_lock/en/preview", None, unknown).await;
    let preview: EmailPreview = reply.json();
    assert!(preview.rendered.is_none());
    assert_eq!(preview.findings[0].code, "unknown_variable");
    assert_eq!((preview.findings[0].line, preview.findings[0].column), (Some(1), Some(7)));
    assert!(console.task_pairs().await.is_empty());
}

#[tokio::test]
async fn test_send_without_smtp_says_how_to_configure() {
    let console = Console::signed_in().await;
    let body =
        json!({"to": "designer@example.com", "subject": "x", "html": "<p>x</p>", "text": "x"});
    let reply =
        console.json(Method::POST, "/api/v1/emails/account_lock/en/test-send", None, body).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.header("content-type"), "application/problem+json");
    let problem: Problem = reply.json();
    assert!(problem.detail.unwrap().contains("--smtp-url smtp://host:port"));
}

/// Accepts one SMTP session on a loopback port and returns the port and a
/// receiver for the message data.
async fn smtp_sink() -> (u16, tokio::sync::oneshot::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (sender, receiver) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
        let mut data = String::new();
        let mut in_data = false;
        loop {
            let mut line = String::new();
            if lines.read_line(&mut line).await.unwrap() == 0 {
                break;
            }
            if in_data {
                if line == ".\r\n" {
                    in_data = false;
                    write.write_all(b"250 queued\r\n").await.unwrap();
                } else {
                    data.push_str(&line);
                }
                continue;
            }
            let command = line.to_ascii_uppercase();
            let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
                b"250 sink\r\n"
            } else if command.starts_with("MAIL") || command.starts_with("RCPT") {
                b"250 ok\r\n"
            } else if command.starts_with("DATA") {
                in_data = true;
                b"354 end with .\r\n"
            } else if command.starts_with("QUIT") {
                write.write_all(b"221 bye\r\n").await.unwrap();
                break;
            } else {
                b"250 ok\r\n"
            };
            write.write_all(reply).await.unwrap();
        }
        let _ = sender.send(data);
    });
    (port, receiver)
}

#[tokio::test]
async fn test_send_delivers_rendered_email() {
    let (port, received) = smtp_sink().await;
    let url = format!("smtp://127.0.0.1:{port}?from=gatehouse@example.com");
    let console = Console::signed_in_with(config_with(vec![TenantOption::Mfa], Some(url))).await;

    let bad_address =
        json!({"to": "designer@example", "subject": "x", "html": "<p>x</p>", "text": "x"});
    let reply = console
        .json(Method::POST, "/api/v1/emails/account_lock/en/test-send", None, bad_address)
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json::<Problem>().errors[0].field, "to");

    let body = json!({
        "to": "designer@example.com",
        "subject": "Locked at {{ tenant.name }}",
        "html": "<p>Hello {{ user.display_name }} of {{ tenant.name }}</p>",
        "text": "Hello {{ user.display_name }} of {{ tenant.name }}"
    });
    let reply =
        console.json(Method::POST, "/api/v1/emails/account_lock/en/test-send", None, body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let outcome: TestSendOutcome = reply.json();
    assert_eq!(outcome.subject, "Locked at Sakura Trading & Co.");

    let message =
        tokio::time::timeout(std::time::Duration::from_secs(10), received).await.unwrap().unwrap();
    assert!(message.contains("Subject: Locked at Sakura Trading & Co."), "{message}");
    assert!(message.contains("To: designer@example.com"), "{message}");
    assert!(message.contains("<p>Hello Aiko Tanaka of Sakura Trading &amp; Co.</p>"), "{message}");
    assert!(message.contains("Hello Aiko Tanaka of Sakura Trading & Co."), "{message}");
}
