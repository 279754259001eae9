//! The binary itself: `create-admin`, `migrate`, `export-openapi`, and `serve` stopping cleanly on
//! SIGTERM.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::json;

use crate::helpers::{postgres_available, until, PgDatabase};

const BIN: &str = env!("CARGO_BIN_EXE_skillmark");

fn skillmark(database_url: &str, args: &[&str], stdin: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("SKILLMARK_DATA_DIR", dir.path())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[actix_web::test]
async fn cli_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    cli_scenario(&dir.path().join("cli.db").to_string_lossy()).await;
}

#[actix_web::test]
async fn cli_on_postgres() {
    if postgres_available() {
        let db = PgDatabase::create();
        cli_scenario(&db.url).await;
    }
}

async fn cli_scenario(database_url: &str) {
    let out = skillmark(database_url, &["migrate"], "");
    assert!(out.status.success(), "migrate: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("up to date"));

    let out = skillmark(database_url, &["create-admin", "--email", "root@skills.cn", "--password-stdin"], "short\n");
    assert!(!out.status.success(), "a weak password is refused");
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 10 characters"));
    let out = skillmark(
        database_url,
        &["create-admin", "--email", "Root@Skills.cn", "--password-stdin"],
        "a long admin password\n",
    );
    assert!(out.status.success(), "create-admin: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("administrator root@skills.cn created"));
    let out = skillmark(
        database_url,
        &["create-admin", "--email", "root@skills.cn", "--password-stdin"],
        "a long admin password\n",
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists already"));
    let out = skillmark(database_url, &["verify"], "");
    assert!(out.status.success(), "verify: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("everything matches"));

    // `serve` with the admin made above; SIGTERM stops it cleanly.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let data = tempfile::tempdir().unwrap();
    let mut server = Command::new(BIN)
        .env("DATABASE_URL", database_url)
        .env("SKILLMARK_ADDR", format!("127.0.0.1:{port}"))
        .env("SKILLMARK_DATA_DIR", data.path())
        .env("SKILLMARK_FRONTEND_DIR", data.path().join("none"))
        // Everything logged (to a file), to check that no password ever is.
        .env("RUST_LOG", "debug")
        .stdout(Stdio::from(std::fs::File::create(data.path().join("server.log")).unwrap()))
        .stderr(Stdio::from(std::fs::File::create(data.path().join("server.err")).unwrap()))
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    until("the server coming up", async || {
        client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status() == 200).then_some(())
    })
    .await;
    let res = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": "root@skills.cn", "password": "a long admin password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "the admin created on the command line can sign in");
    let res = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": "root@skills.cn", "password": "a wrong guess of a password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);

    let kill = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let mut exited = None;
    for _ in 0..100 {
        if let Some(status) = server.try_wait().unwrap() {
            exited = Some(status);
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    let status = exited.unwrap_or_else(|| {
        let _ = server.kill();
        panic!("the server did not stop within 10 s of SIGTERM");
    });
    assert!(status.success(), "graceful stop exits 0, got {status}");
    let log = std::fs::read_to_string(data.path().join("server.log")).unwrap()
        + &std::fs::read_to_string(data.path().join("server.err")).unwrap();
    assert!(log.contains("/api/v1/auth/login"), "the debug log has the sign-ins in it");
    for secret in ["a long admin password", "a wrong guess of a password"] {
        assert!(!log.contains(secret), "a password appeared in the server log");
    }
}

#[test]
fn export_openapi_prints_the_document() {
    let out = Command::new(BIN).arg("export-openapi").output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), skillmark::openapi::document());
}
