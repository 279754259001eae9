//! Mail over a real SMTP conversation: Python's aiosmtpd (from the tests' own virtual environment,
//! `helpers::py_tool`) listens on loopback and stores what it receives in a Maildir.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};

use skillmark::domain::audit::AuditAction;

use crate::helpers::{
    assert_problem, eventually, postgres_available, py_tool, read_dir_texts, token_in, Engine, TestApp, PASSWORD,
};

pub(crate) struct SmtpSink {
    child: Child,
    pub(crate) port: u16,
    dir: tempfile::TempDir,
}

impl SmtpSink {
    pub(crate) async fn start() -> SmtpSink {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let maildir = dir.path().join("maildir");
        let child = Command::new(py_tool("python").await)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the tests' Python runs");
        let mut sink = SmtpSink { child, port, dir };
        // Python starting on a loaded machine: up to 30 s.
        for _ in 0..300 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return sink;
            }
            if let Ok(Some(status)) = sink.child.try_wait() {
                panic!("the SMTP sink exited ({status})");
            }
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the SMTP sink did not start listening within 30 s");
    }

    pub(crate) fn messages(&self) -> Vec<String> {
        read_dir_texts(&PathBuf::from(self.dir.path()).join("maildir").join("new"))
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[actix_web::test]
async fn password_reset_over_smtp_sqlite() {
    password_reset_over_smtp(Engine::Sqlite).await;
}

#[actix_web::test]
async fn password_reset_over_smtp_postgres() {
    if postgres_available() {
        password_reset_over_smtp(Engine::Postgres).await;
    }
}

async fn password_reset_over_smtp(engine: Engine) {
    let sink = SmtpSink::start().await;
    let smtp = format!("smtp://127.0.0.1:{}", sink.port);
    let app =
        TestApp::spawn(engine, &[("SMTP_URL", &smtp), ("SKILLMARK_MAIL_FROM", "Skillmark <noreply@skills.test>")])
            .await;
    app.admin("admin@skills.cn").await;
    app.user("leader@skills.cn", &[]).await;
    let (old_access, old_refresh) = app.login_raw("leader@skills.cn", PASSWORD).await;

    let ask = |email: &'static str| {
        app.call(Method::POST, "/api/v1/auth/password-reset", None, Some(json!({"email": email})))
    };
    assert_eq!(ask("nobody@skills.cn").await.status(), 202, "unknown addresses get the same answer");
    assert_eq!(ask("not an address").await.status(), 202);
    assert_eq!(ask("Leader@Skills.cn").await.status(), 202);

    // A mail goes out for each reset link made (audited before the answer), and for nothing else.
    let links = app.audit_actions().await.iter().filter(|a| **a == AuditAction::AuthPasswordResetRequested).count();
    assert_eq!(links, 1, "only the existing account gets a link");
    let mail = eventually(|| sink.messages().into_iter().next()).await;
    assert_eq!(sink.messages().len(), 1, "only the existing account got a mail");
    assert!(mail.contains("To: leader@skills.cn"), "{mail}");
    assert!(mail.contains("From: Skillmark <noreply@skills.test>"));
    assert!(mail.contains("Subject: Reset your Skillmark password"), "the user's language (en) is used");
    assert!(mail.contains("http://skillmark.test/reset-password?token="));
    let token = token_in(&mail).unwrap();

    let confirm = |t: String, pw: &'static str| {
        app.call(
            Method::POST,
            "/api/v1/auth/password-reset/confirm",
            None,
            Some(json!({"token": t, "new_password": pw})),
        )
    };
    assert_problem(confirm(token.clone(), "weak").await, 422, "validation_failed").await;
    assert_eq!(confirm(token.clone(), "a brand new secret").await.status(), 204);
    assert_problem(confirm(token, "yet another secret").await, 400, "link_invalid_or_expired").await;

    let res = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "leader@skills.cn", "password": PASSWORD})),
        )
        .await;
    assert_eq!(res.status(), 401, "the old password is gone");
    app.login("leader@skills.cn", "a brand new secret").await;
    assert_eq!(app.get("/api/v1/me", &old_access).await.status(), 401, "sessions from before the reset end");
    assert_eq!(app.refresh_with(&old_refresh).await.status(), 401);

    // Invitations travel the same way.
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let res = app
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"email": "new.expert@skills.cn", "display_name": "李专家"})),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.json::<Value>().await.unwrap()["invitation_sent"], true);
    let invitation = eventually(|| sink.messages().into_iter().find(|m| m.contains("To: new.expert@skills.cn"))).await;
    assert!(token_in(&invitation).is_some());
    assert!(crate::helpers::mail_text(&invitation).contains("http://skillmark.test/accept-invitation?token="));
}

#[actix_web::test]
async fn an_unreachable_smtp_server_is_reported_not_fatal() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let smtp = format!("smtp://127.0.0.1:{port}");
    let app = TestApp::spawn(Engine::Sqlite, &[("SMTP_URL", &smtp)]).await;
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let res = app
        .call(Method::POST, "/api/v1/users", Some(&admin), Some(json!({"email": "x@skills.cn", "display_name": "X"})))
        .await;
    assert_eq!(res.status(), 201, "the account exists even though the mail failed");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["invitation_sent"], false, "and the admin is told to resend");
}
