//! API tests that drive the router in-process, with an in-memory database.

// Test helpers outside #[test] functions fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use gatehouse_core::api::{
    ImportOutcome, OperationInfo, Page, Problem, SessionInfo, Task, TaskDetail, User,
};
use gatehouse_core::catalog::TenantOption;
use gatehouse_server::Config;
use serde_json::{json, Value};

mod support;

use support::{config, json_request, pair, router_with, send, Console, Reply, PASSWORD};

impl Console {
    async fn post_json(&self, uri: &str, body: Value) -> Reply {
        let request = self
            .request(Method::POST, uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        send(&self.router, request).await
    }

    async fn put_json(&self, uri: &str, if_match: &str, body: Value) -> Reply {
        let request = self
            .request(Method::PUT, uri)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::IF_MATCH, if_match)
            .body(Body::from(body.to_string()))
            .unwrap();
        send(&self.router, request).await
    }

    async fn post_csv(&self, uri: &str, csv: &[u8], key: Option<&str>) -> Reply {
        let mut request = self
            .request(Method::POST, uri)
            .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
            .header("x-file-name", "users.csv");
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        send(&self.router, request.body(Body::from(csv.to_vec())).unwrap()).await
    }

    async fn create_user(&self, login_id: &str, email: &str) -> User {
        let reply = self.post_json("/api/v1/users", user_body(login_id, email)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
        reply.json()
    }

    async fn tasks(&self) -> Vec<Task> {
        self.get("/api/v1/tasks?per_page=200").await.json::<Page<Task>>().items
    }
}

fn user_body(login_id: &str, email: &str) -> Value {
    json!({
        "login_id": login_id,
        "email": email,
        "family_name": "Tanaka",
        "given_name": "Aiko",
        "display_name": "",
        "department": "Sales",
        "title": "",
        "phone": ""
    })
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/csv/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn pairs(tasks: &[Task]) -> Vec<(String, String)> {
    tasks.iter().map(|t| (t.task_type.clone(), t.operation.clone())).collect()
}

#[tokio::test]
async fn health_reports_ok_with_security_headers() {
    let router = router_with(config()).await;
    let reply = send(&router, Request::get("/api/v1/health").body(Body::empty()).unwrap()).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, br#"{"status":"ok"}"#);
    let policy = reply.header("content-security-policy");
    assert!(policy.contains("'wasm-unsafe-eval'"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(!policy.contains("'unsafe-inline'"), "{policy}");
    assert_eq!(reply.header("x-content-type-options"), "nosniff");
    assert_eq!(reply.header("x-request-id").len(), 32);
}

#[tokio::test]
async fn wrong_password_gets_problem_with_request_id() {
    let router = router_with(config()).await;
    let body = json!({"login_id": "admin", "password": "wrong"});
    let reply = send(&router, json_request(Method::POST, "/api/v1/session", &body)).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.header("content-type"), "application/problem+json");
    let problem: Problem = reply.json();
    assert_eq!(problem.detail.as_deref(), Some("The login ID or password is wrong."));
    assert_eq!(problem.request_id, reply.header("x-request-id"));
}

#[tokio::test]
async fn session_cookie_is_httponly_and_strict() {
    let router = router_with(config()).await;
    let body = json!({"login_id": "admin", "password": PASSWORD});
    let reply = send(&router, json_request(Method::POST, "/api/v1/session", &body)).await;
    let cookie = reply.header("set-cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    let session: SessionInfo = reply.json();
    assert_eq!(session.tenant_options, [TenantOption::Mfa]);
}

#[tokio::test]
async fn users_need_a_session() {
    let router = router_with(config()).await;
    let reply = send(&router, Request::get("/api/v1/users").body(Body::empty()).unwrap()).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn change_without_csrf_token_is_rejected() {
    let console = Console::signed_in().await;
    let request = Request::post("/api/v1/users")
        .header(header::COOKIE, &console.cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(user_body("aiko", "aiko@example.com").to_string()))
        .unwrap();
    let reply = send(&console.router, request).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(console.get("/api/v1/users").await.json::<Page<User>>().total, 0);
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    let console = Console::signed_in().await;
    let request = console.request(Method::DELETE, "/api/v1/session").body(Body::empty()).unwrap();
    assert_eq!(send(&console.router, request).await.status, StatusCode::NO_CONTENT);
    assert_eq!(console.get("/api/v1/session").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn create_user_records_task_and_etag() {
    let console = Console::signed_in().await;
    let reply = console.post_json("/api/v1/users", user_body("aiko", "aiko@example.com")).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.header("etag"), "\"1\"");
    let tasks = console.tasks().await;
    assert_eq!(pairs(&tasks), [pair("create.user", "create")]);
    assert_eq!(tasks[0].actor, "admin");
    assert_eq!(tasks[0].target, "aiko");
}

#[tokio::test]
async fn invalid_user_gets_field_errors() {
    let console = Console::signed_in().await;
    let mut body = user_body("aiko", "aiko@example");
    body["family_name"] = json!("");
    let reply = console.post_json("/api/v1/users", body).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Problem = reply.json();
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["email", "family_name"]);
    assert_eq!(
        problem.errors[0].message,
        "Email `aiko@example` has no top-level domain; write it like `aiko@example.com`."
    );
    assert!(console.tasks().await.is_empty());
}

#[tokio::test]
async fn email_taken_in_other_case_conflicts() {
    let console = Console::signed_in().await;
    console.create_user("aiko", "aiko@example.com").await;
    let reply = console.post_json("/api/v1/users", user_body("aiko2", "AIKO@example.com")).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    let problem: Problem = reply.json();
    assert_eq!(problem.errors[0].field, "email");
}

#[tokio::test]
async fn retried_create_with_same_key_creates_once() {
    let console = Console::signed_in().await;
    let mut replies = Vec::new();
    for _ in 0..2 {
        let request = console
            .request(Method::POST, "/api/v1/users")
            .header(header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", "5f0c6c1e-retry")
            .body(Body::from(user_body("aiko", "aiko@example.com").to_string()))
            .unwrap();
        replies.push(send(&console.router, request).await);
    }
    assert_eq!(replies[0].status, StatusCode::CREATED);
    assert_eq!(replies[1].status, StatusCode::CREATED);
    assert_eq!(replies[0].json::<User>().id, replies[1].json::<User>().id);
    assert_eq!(console.get("/api/v1/users").await.json::<Page<User>>().total, 1);
    assert_eq!(console.tasks().await.len(), 1);
}

#[tokio::test]
async fn stale_update_gets_412_with_current_version() {
    let console = Console::signed_in().await;
    let user = console.create_user("aiko", "aiko@example.com").await;
    let uri = format!("/api/v1/users/{}", user.id);
    let mut first = user_body("aiko", "aiko@example.com");
    first["title"] = json!("Manager");
    let reply = console.put_json(&uri, "\"1\"", first).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("etag"), "\"2\"");

    let mut second = user_body("aiko", "aiko@example.com");
    second["title"] = json!("Director");
    let reply = console.put_json(&uri, "\"1\"", second).await;
    assert_eq!(reply.status, StatusCode::PRECONDITION_FAILED);
    let problem: Problem = reply.json();
    let current = problem.current.unwrap();
    assert_eq!(current["title"], "Manager");
    assert_eq!(current["version"], 2);
}

#[tokio::test]
async fn update_without_if_match_gets_428() {
    let console = Console::signed_in().await;
    let user = console.create_user("aiko", "aiko@example.com").await;
    let request = console
        .request(Method::PUT, &format!("/api/v1/users/{}", user.id))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(user_body("aiko", "aiko@example.com").to_string()))
        .unwrap();
    assert_eq!(send(&console.router, request).await.status, StatusCode::PRECONDITION_REQUIRED);
}

#[tokio::test]
async fn remove_restore_erase_record_their_tasks() {
    let console = Console::signed_in().await;
    let user = console.create_user("aiko", "aiko@example.com").await;
    let base = format!("/api/v1/users/{}", user.id);

    let early_erase =
        console.post_json(&format!("{base}/erase"), json!({"confirm_login_id": "aiko"})).await;
    assert_eq!(early_erase.status, StatusCode::CONFLICT);

    let removed = console.post_json(&format!("{base}/remove"), json!({})).await;
    assert_eq!(removed.json::<User>().status.as_str(), "pending_deletion");
    let restored = console.post_json(&format!("{base}/restore"), json!({})).await;
    assert_eq!(restored.json::<User>().status.as_str(), "active");
    console.post_json(&format!("{base}/remove"), json!({})).await;

    let mistyped =
        console.post_json(&format!("{base}/erase"), json!({"confirm_login_id": "aik"})).await;
    assert_eq!(mistyped.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(mistyped.json::<Problem>().errors[0].field, "confirm_login_id");

    let erased =
        console.post_json(&format!("{base}/erase"), json!({"confirm_login_id": "aiko"})).await;
    assert_eq!(erased.status, StatusCode::NO_CONTENT);
    assert_eq!(console.get(&base).await.status, StatusCode::NOT_FOUND);

    let mut recorded = pairs(&console.tasks().await);
    recorded.reverse();
    assert_eq!(
        recorded,
        [
            pair("create.user", "create"),
            pair("remove.user", "remove"),
            pair("restore.user", "restore"),
            pair("remove.user", "remove"),
            pair("erase.user", "erase"),
        ]
    );
}

#[tokio::test]
async fn user_list_searches_filters_and_pages() {
    let console = Console::signed_in().await;
    for index in 0..5 {
        console.create_user(&format!("user{index}"), &format!("user{index}@example.com")).await;
    }
    let other = console.create_user("ben.ito", "ben@example.org").await;
    console.post_json(&format!("/api/v1/users/{}/remove", other.id), json!({})).await;

    let page: Page<User> = console.get("/api/v1/users?per_page=2&page=2").await.json();
    assert_eq!(page.total, 5);
    let logins: Vec<&str> = page.items.iter().map(|u| u.fields.login_id.as_str()).collect();
    assert_eq!(logins, ["user2", "user3"]);

    let searched: Page<User> = console.get("/api/v1/users?q=USER4").await.json();
    assert_eq!(searched.total, 1);

    let pending: Page<User> = console.get("/api/v1/users?status=pending_deletion").await.json();
    assert_eq!(pending.items[0].fields.login_id, "ben.ito");

    let literal: Page<User> = console.get("/api/v1/users?q=%25").await.json();
    assert_eq!(literal.total, 0, "a % in the search is matched literally");
}

#[tokio::test]
async fn import_bom_crlf_creates_users_and_tasks() {
    let console = Console::signed_in().await;
    let csv = fixture("users-bom-crlf.csv");

    let preview = console.post_csv("/api/v1/imports/users/validate", &csv, None).await;
    assert_eq!(preview.status, StatusCode::OK);
    let preview: ImportOutcome = preview.json();
    assert_eq!(preview.report.changes.create, 2);
    assert_eq!(
        pairs(&preview.tasks),
        [
            pair("validate.user", "csv_validation"),
            pair("validate.user", "integrity_check"),
            pair("validate.user", "validate")
        ]
    );

    let reply = console.post_csv("/api/v1/imports/users", &csv, Some("import-1")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", String::from_utf8_lossy(&reply.body));
    let outcome: ImportOutcome = reply.json();
    let import = outcome.tasks.last().unwrap();
    assert_eq!((import.task_type.as_str(), import.operation.as_str()), ("import.user", "create"));
    assert_eq!((import.total, import.succeeded, import.failed), (2, 2, 0));

    let detail: TaskDetail = console.get(&format!("/api/v1/tasks/{}", import.id)).await.json();
    let keys: Vec<&str> = detail.rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["aiko.tanaka", "ben.ito"]);

    let users: Page<User> = console.get("/api/v1/users").await.json();
    assert_eq!(users.total, 2);
    assert_eq!(users.items[0].fields.display_name, "Aiko Tanaka");

    let again = console.post_csv("/api/v1/imports/users", &csv, Some("import-1")).await;
    assert_eq!(again.status, StatusCode::OK);
    let import_tasks =
        console.tasks().await.into_iter().filter(|t| t.task_type == "import.user").count();
    assert_eq!(import_tasks, 1, "a retried import with the same key runs once");
}

#[tokio::test]
async fn import_with_errors_is_rejected_whole() {
    let console = Console::signed_in().await;
    let csv = fixture("users-case-duplicates.csv");
    let reply = console.post_csv("/api/v1/imports/users", &csv, None).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Problem = reply.json();
    let report = problem.report.unwrap();
    assert_eq!(report.counts.errors, 1);
    assert_eq!(report.findings[0].row, Some(3));
    assert_eq!(console.get("/api/v1/users").await.json::<Page<User>>().total, 0);
    let integrity =
        console.tasks().await.into_iter().find(|t| t.operation == "integrity_check").unwrap();
    assert_eq!(integrity.status.as_str(), "failed");
}

/// A request body of `remaining` zero bytes, sent in chunks of 1 MiB, so a
/// test can send more than the CSV limit without holding it in memory first.
struct Zeros {
    remaining: usize,
}

impl http_body::Body for Zeros {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _context: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        if self.remaining == 0 {
            return std::task::Poll::Ready(None);
        }
        let chunk = self.remaining.min(1024 * 1024);
        self.remaining -= chunk;
        let data = axum::body::Bytes::from(vec![0; chunk]);
        std::task::Poll::Ready(Some(Ok(http_body::Frame::data(data))))
    }
}

#[tokio::test]
async fn oversized_csv_gets_limit_in_problem() {
    let console = Console::signed_in().await;
    let size = gatehouse_core::csv::MAX_FILE_BYTES + 1;
    let request = console
        .request(Method::POST, "/api/v1/imports/users/validate")
        .header(header::CONTENT_TYPE, "text/csv")
        .header(header::CONTENT_LENGTH, size)
        .body(Body::new(Zeros { remaining: size }))
        .unwrap();
    let reply = send(&console.router, request).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    let problem: Problem = reply.json();
    assert_eq!(
        problem.detail.as_deref(),
        Some(
            "The file is 268435457 bytes (256.0 MiB); the maximum is 268435456 bytes (256 MiB). \
             Split it into smaller files."
        )
    );
}

#[tokio::test]
async fn import_update_keeps_stored_login_id() {
    let console = Console::signed_in().await;
    let user = console.create_user("aiko", "aiko@example.com").await;
    let csv = b"action,login_id,title\nupdate,AIKO,Director\n";
    let reply = console.post_csv("/api/v1/imports/users", csv, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", String::from_utf8_lossy(&reply.body));
    let stored: User = console.get(&format!("/api/v1/users/{}", user.id)).await.json();
    assert_eq!(stored.fields.login_id, "aiko");
    assert_eq!(stored.fields.title, "Director");
}

#[tokio::test]
async fn import_checks_rows_against_tenant() {
    let console = Console::signed_in().await;
    console.create_user("aiko", "aiko@example.com").await;
    console.create_user("ben", "ben@example.com").await;
    let csv = b"action,login_id,email,family_name,given_name\n\
                create,aiko,other@example.com,Tanaka,Aiko\n\
                update,nobody,,,Ben\n\
                delete,ben,,,\n";
    let reply = console.post_csv("/api/v1/imports/users/validate", csv, None).await;
    let outcome: ImportOutcome = reply.json();
    let rows: Vec<(Option<u32>, &str)> = outcome
        .report
        .findings
        .iter()
        .filter(|f| f.is_error())
        .map(|f| (f.row, f.message.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (Some(2), "User `aiko` already exists; use the action update to change it."),
            (
                Some(3),
                "No user has the login ID `nobody`; check the spelling or use the action create."
            ),
        ]
    );
    assert_eq!(outcome.report.changes.delete, 1);
}

#[tokio::test]
async fn shift_jis_upload_is_decoded() {
    let console = Console::signed_in().await;
    let reply =
        console.post_csv("/api/v1/imports/users", &fixture("users-shift-jis.csv"), None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let users: Page<User> = console.get("/api/v1/users").await.json();
    assert_eq!(users.items[0].fields.family_name, "髙橋");
}

#[tokio::test]
async fn operations_list_all_pairs_with_forms() {
    let console = Console::signed_in().await;
    let operations: Vec<OperationInfo> = console.get("/api/v1/operations").await.json();
    assert_eq!(operations.len(), 95);
    let create = operations.iter().find(|o| o.task_type == "create.user").unwrap();
    assert_eq!(create.form.as_deref(), Some("/users/new"));
    let reset = operations.iter().find(|o| o.task_type == "reset.passsword").unwrap();
    assert_eq!(reset.form, None);
}

#[tokio::test]
async fn unknown_api_path_is_problem_404() {
    let console = Console::signed_in().await;
    let reply = console.get("/api/v1/nothing-here").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.header("content-type"), "application/problem+json");
}

#[tokio::test]
async fn deep_link_serves_index_with_hashed_script() {
    let dist = std::env::temp_dir().join(format!("gatehouse-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    let html =
        "<html><head><script type=\"module\">import init from '/app.js';</script></head></html>";
    std::fs::write(dist.join("index.html"), html).unwrap();
    let router = router_with(Config { dist: Some(dist.clone()), ..config() }).await;

    let reply = send(&router, Request::get("/users/42").body(Body::empty()).unwrap()).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, html.as_bytes());
    let policy = reply.header("content-security-policy");
    assert!(policy.contains("'sha256-"), "{policy}");
    std::fs::remove_dir_all(&dist).ok();
}

#[tokio::test]
async fn group_import_creates_updates_and_deletes() {
    let console = Console::signed_in().await;
    let created = console
        .post_csv(
            "/api/v1/imports/groups",
            b"action,group_id,name,description\ncreate,sales,Sales,\ncreate,ops,Ops,On call\n",
            None,
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", String::from_utf8_lossy(&created.body));
    let outcome: ImportOutcome = created.json();
    assert_eq!(
        pairs(&outcome.tasks),
        [
            pair("validate.group", "csv_validation"),
            pair("validate.group", "integrity_check"),
            pair("validate.group", "validate"),
            pair("import.group", "create"),
        ]
    );

    let changed = console
        .post_csv(
            "/api/v1/imports/groups",
            b"action,group_id,name,description\nupdate,OPS,Operations,\ndelete,sales,,\n",
            None,
        )
        .await;
    let outcome: ImportOutcome = changed.json();
    let imports: Vec<(String, String)> =
        pairs(&outcome.tasks).into_iter().filter(|(t, _)| t == "import.group").collect();
    assert_eq!(imports, [pair("import.group", "update"), pair("import.group", "delete")]);

    let groups: Value = console.get("/api/v1/groups").await.json();
    assert_eq!(groups["total"], 1);
    assert_eq!(groups["items"][0]["name"], "Operations");
    assert_eq!(groups["items"][0]["description"], "On call");
}

#[tokio::test]
async fn group_import_rejects_existing_and_unknown_groups() {
    let console = Console::signed_in().await;
    console
        .post_csv("/api/v1/imports/groups", b"action,group_id,name\ncreate,sales,Sales\n", None)
        .await;
    let reply = console
        .post_csv(
            "/api/v1/imports/groups/validate",
            b"action,group_id,name\ncreate,SALES,Sales\ndelete,nobody,\n",
            None,
        )
        .await;
    let outcome: ImportOutcome = reply.json();
    let messages: Vec<&str> = outcome.report.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "Group `SALES` already exists; use the action update to change it.",
            "No group has the group ID `nobody`; check the spelling or remove the row.",
        ]
    );
    assert_eq!(outcome.report.valid_rows, 0);
}

#[tokio::test]
async fn member_import_adds_and_removes_members() {
    let console = Console::signed_in().await;
    console.create_user("aiko.tanaka", "aiko@example.com").await;
    console.create_user("ben.ito", "ben@example.com").await;
    console
        .post_csv("/api/v1/imports/groups", b"action,group_id,name\ncreate,sales,Sales\n", None)
        .await;

    let added = console
        .post_csv(
            "/api/v1/imports/group_members",
            b"action,group_id,login_id\nadd,sales,aiko.tanaka\nadd,Sales,BEN.ITO\n",
            None,
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", String::from_utf8_lossy(&added.body));
    let outcome: ImportOutcome = added.json();
    let task = outcome.tasks.last().unwrap();
    assert_eq!(
        (task.task_type.as_str(), task.operation.as_str()),
        ("import.group_member", "update")
    );
    assert_eq!(task.succeeded, 2);

    let removed = console
        .post_csv(
            "/api/v1/imports/group_members",
            b"action,group_id,login_id\nremove,sales,ben.ito\n",
            None,
        )
        .await;
    let outcome: ImportOutcome = removed.json();
    let task = outcome.tasks.last().unwrap();
    assert_eq!(
        (task.task_type.as_str(), task.operation.as_str()),
        ("import.group_member", "delete")
    );

    let groups: Value = console.get("/api/v1/groups").await.json();
    assert_eq!(groups["items"][0]["members"], 1);
}

#[tokio::test]
async fn member_import_rejects_unknown_group_and_user() {
    let console = Console::signed_in().await;
    console.create_user("aiko.tanaka", "aiko@example.com").await;
    console
        .post_csv("/api/v1/imports/groups", b"action,group_id,name\ncreate,sales,Sales\n", None)
        .await;
    let reply = console
        .post_csv(
            "/api/v1/imports/group_members",
            b"action,group_id,login_id\nadd,ops,aiko.tanaka\nadd,sales,nobody\nremove,sales,aiko.tanaka\n",
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let report = reply.json::<Problem>().report.unwrap();
    let located: Vec<(Option<u32>, Option<&str>)> =
        report.findings.iter().map(|f| (f.row, f.column.as_deref())).collect();
    assert_eq!(
        located,
        [(Some(2), Some("group_id")), (Some(3), Some("login_id")), (Some(4), Some("login_id"))]
    );
    let groups: Value = console.get("/api/v1/groups").await.json();
    assert_eq!(groups["items"][0]["members"], 0);
}

#[tokio::test]
async fn unknown_import_kind_is_404() {
    let console = Console::signed_in().await;
    let reply = console.post_csv("/api/v1/imports/devices/validate", b"a\n", None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let problem: Problem = reply.json();
    assert!(problem.detail.unwrap().contains("users, groups and group_members"));
}

#[tokio::test]
async fn templates_exist_for_every_kind() {
    let console = Console::signed_in().await;
    for (kind, header) in [
        ("users", "action,login_id,email"),
        ("groups", "action,group_id,name,description"),
        ("group_members", "action,group_id,login_id"),
    ] {
        let reply = console.get(&format!("/api/v1/imports/{kind}/template")).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(String::from_utf8_lossy(&reply.body).starts_with(header), "{kind}");
    }
}

#[tokio::test]
async fn malformed_json_gets_problem_with_request_id() {
    let console = Console::signed_in().await;
    let request = console
        .request(Method::POST, "/api/v1/users")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"login_id\": "))
        .unwrap();
    let reply = send(&console.router, request).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.header("content-type"), "application/problem+json");
    let problem: Problem = reply.json();
    assert_eq!(problem.request_id, reply.header("x-request-id"));
    assert!(problem.detail.is_some_and(|detail| !detail.is_empty()));
}

#[tokio::test]
async fn bad_path_and_query_get_problems() {
    let console = Console::signed_in().await;
    for uri in ["/api/v1/users/abc", "/api/v1/users?page=-1", "/api/v1/tasks?per_page=x"] {
        let reply = console.get(uri).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(reply.header("content-type"), "application/problem+json", "{uri}");
    }
}

#[tokio::test]
async fn unsupported_method_gets_problem_405() {
    let console = Console::signed_in().await;
    let user = console.create_user("aiko", "aiko@example.com").await;
    let request = console
        .request(Method::DELETE, &format!("/api/v1/users/{}", user.id))
        .body(Body::empty())
        .unwrap();
    let reply = send(&console.router, request).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.header("content-type"), "application/problem+json");
}

#[tokio::test]
async fn reused_key_with_other_body_is_rejected() {
    let console = Console::signed_in().await;
    let mut statuses = Vec::new();
    for login_id in ["first", "second"] {
        let request = console
            .request(Method::POST, "/api/v1/users")
            .header(header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", "same-key")
            .body(Body::from(user_body(login_id, &format!("{login_id}@example.com")).to_string()))
            .unwrap();
        statuses.push(send(&console.router, request).await.status);
    }
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::UNPROCESSABLE_ENTITY]);
    assert_eq!(console.get("/api/v1/users").await.json::<Page<User>>().total, 1);
}

#[tokio::test]
async fn repeated_failed_sign_ins_are_throttled() {
    let router = router_with(config()).await;
    let wrong = json!({"login_id": "admin", "password": "wrong"});
    for _ in 0..5 {
        let reply = send(&router, json_request(Method::POST, "/api/v1/session", &wrong)).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let right = json!({"login_id": "admin", "password": PASSWORD});
    let reply = send(&router, json_request(Method::POST, "/api/v1/session", &right)).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(reply.json::<Problem>().detail.unwrap().contains("minute"));
}

#[tokio::test]
async fn search_folds_non_ascii_letters() {
    let console = Console::signed_in().await;
    let mut body = user_body("ozturk", "ozturk@example.com");
    body["family_name"] = json!("Öztürk");
    console.post_json("/api/v1/users", body).await;
    let found: Page<User> = console.get("/api/v1/users?q=%C3%B6zt%C3%BCrk").await.json();
    assert_eq!(found.total, 1);
}

#[tokio::test]
async fn if_match_star_updates_any_version() {
    let console = Console::signed_in().await;
    let user = console.create_user("aiko", "aiko@example.com").await;
    let mut body = user_body("aiko", "aiko@example.com");
    body["title"] = json!("Manager");
    let reply = console.put_json(&format!("/api/v1/users/{}", user.id), "*", body).await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn unchanged_update_keeps_version_and_log() {
    let console = Console::signed_in().await;
    let user = console.create_user("aiko", "aiko@example.com").await;
    let body = user_body("aiko", "aiko@example.com");
    let reply = console.put_json(&format!("/api/v1/users/{}", user.id), "\"1\"", body).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("etag"), "\"1\"");
    assert_eq!(console.tasks().await.len(), 1, "only create.user is logged");
}

#[tokio::test]
async fn validation_task_counts_rows_not_findings() {
    let console = Console::signed_in().await;
    let csv = b"action,login_id,email,family_name,given_name\ncreate,aiko,bad,,Aiko\n";
    let outcome: ImportOutcome =
        console.post_csv("/api/v1/imports/users/validate", csv, None).await.json();
    let csv_task = &outcome.tasks[0];
    assert_eq!(csv_task.operation, "csv_validation");
    assert_eq!((csv_task.total, csv_task.failed), (1, 1));
}

#[tokio::test]
async fn file_level_error_fails_every_row() {
    let console = Console::signed_in().await;
    // Creates need an email, which the header lacks.
    let csv = b"action,login_id,family_name,given_name\n\
                create,aiko,Tanaka,Aiko\n\
                create,ben,Ito,Ben\n\
                create,carol,Sato,Carol\n";
    let outcome: ImportOutcome =
        console.post_csv("/api/v1/imports/users/validate", csv, None).await.json();
    assert_eq!(outcome.report.valid_rows, 0);
    let csv_task = &outcome.tasks[0];
    assert_eq!(csv_task.operation, "csv_validation");
    assert_eq!((csv_task.total, csv_task.succeeded, csv_task.failed), (3, 0, 3));
    let integrity_task = &outcome.tasks[1];
    assert_eq!(integrity_task.operation, "integrity_check");
    assert_eq!(integrity_task.status.as_str(), "failed");
    assert_eq!((integrity_task.total, integrity_task.succeeded, integrity_task.failed), (3, 0, 3));
    let validate_task = &outcome.tasks[2];
    assert_eq!(validate_task.operation, "validate");
    assert_eq!((validate_task.total, validate_task.succeeded, validate_task.failed), (3, 0, 3));
}

#[tokio::test]
async fn file_level_error_is_not_an_extra_row() {
    let console = Console::signed_in().await;
    // Three rows with an error each, in a file that also lacks its email column.
    let csv = b"action,login_id,family_name,given_name\n\
                create,a b,Tanaka,Aiko\n\
                create,c d,Ito,Ben\n\
                create,e f,Sato,Carol\n";
    let outcome: ImportOutcome =
        console.post_csv("/api/v1/imports/users/validate", csv, None).await.json();
    let csv_task = &outcome.tasks[0];
    assert_eq!((csv_task.total, csv_task.succeeded, csv_task.failed), (3, 0, 3));
}

#[tokio::test]
async fn tenant_conflict_has_line_span() {
    let console = Console::signed_in().await;
    let csv = b"action,login_id,title\nupdate,nobody,Boss\n";
    let outcome: ImportOutcome =
        console.post_csv("/api/v1/imports/users/validate", csv, None).await.json();
    let finding = &outcome.report.findings[0];
    assert_eq!((finding.line_start, finding.line_end), (Some(2), Some(2)));
}

#[tokio::test]
async fn missing_assets_and_api_root_get_404() {
    let dist = std::env::temp_dir().join(format!("gatehouse-assets-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<html><body>console</body></html>").unwrap();
    let router = router_with(Config { dist: Some(dist.clone()), ..config() }).await;
    for uri in ["/missing-1234.js", "/api", "/api/"] {
        let reply = send(&router, Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
    }
    std::fs::remove_dir_all(&dist).ok();
}

#[tokio::test]
async fn index_served_as_hashed_after_rebuild() {
    let dist = std::env::temp_dir().join(format!("gatehouse-rebuild-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    let first = "<html><head><script type=\"module\">import a from '/a.js';</script></head></html>";
    std::fs::write(dist.join("index.html"), first).unwrap();
    let router = router_with(Config { dist: Some(dist.clone()), ..config() }).await;
    std::fs::write(dist.join("index.html"), "<html><script>changed()</script></html>").unwrap();

    for uri in ["/", "/index.html", "/users/3"] {
        let reply = send(&router, Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        assert_eq!(reply.body, first.as_bytes(), "{uri}");
        assert_eq!(reply.header("cache-control"), "no-cache", "{uri}");
    }
    std::fs::remove_dir_all(&dist).ok();
}

#[tokio::test]
async fn member_import_rejects_user_pending_deletion() {
    let console = Console::signed_in().await;
    let user = console.create_user("carol", "carol@example.com").await;
    console.post_json(&format!("/api/v1/users/{}/remove", user.id), json!({})).await;
    console
        .post_csv("/api/v1/imports/groups", b"action,group_id,name\ncreate,sales,Sales\n", None)
        .await;
    let reply = console
        .post_csv(
            "/api/v1/imports/group_members/validate",
            b"action,group_id,login_id\nadd,sales,carol\n",
            None,
        )
        .await;
    let outcome: ImportOutcome = reply.json();
    assert_eq!(outcome.report.counts.errors, 1);
    assert_eq!(
        outcome.report.findings[0].message,
        "User `carol` is pending deletion; restore the user before adding it to a group."
    );
}
