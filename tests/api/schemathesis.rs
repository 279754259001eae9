//! Schemathesis (from the tests' own virtual environment, `helpers::py_tool`) against the live
//! OpenAPI document: every operation, as every role and anonymously, with generated and mutated
//! inputs (a small bounded budget per operation). No response may be a 5xx, and every response
//! must match the schema documented for its status.

use std::process::Command;

use serde_json::{json, Value};
use skillmark::domain::role::Role;

use crate::helpers::{grant, py_tool, Engine, TestApp, PASSWORD};

/// Generated cases per operation and role (CI's time budget).
const EXAMPLES: &str = "2";

#[actix_web::test]
async fn every_operation_as_every_role_gives_no_5xx_and_matches_its_schema() {
    let app = TestApp::spawn(
        Engine::Sqlite,
        &[("SKILLMARK_LOGIN_PER_ACCOUNT_PER_MINUTE", "100000"), ("SKILLMARK_LOGIN_PER_ADDRESS_PER_MINUTE", "100000")],
    )
    .await;
    let demo = app.state.db(|conn| skillmark::demo::load(conn, 11, "http://skillmark.test")).await.unwrap();
    let mut tokens: Vec<(String, Option<String>)> = vec![("anonymous".into(), None)];
    for role in ["admin", "organiser", "team_leader", "chief_expert", "expert"] {
        let (email, _) = demo.accounts.iter().find(|(_, r)| *r == role).expect("a demo account per role");
        let res = app
            .call(
                reqwest::Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"email": email, "password": demo.password})),
            )
            .await;
        let body: Value = res.json().await.unwrap();
        tokens.push((role.into(), Some(body["access_token"].as_str().unwrap().to_string())));
    }
    let organiser = tokens[2].1.clone().unwrap();
    let entries: Value = app
        .get(&format!("/api/v1/events/{}/entries?per_page=1", demo.event_id), &organiser)
        .await
        .json()
        .await
        .unwrap();
    let entry = entries["items"][0]["id"].as_str().unwrap().to_string();
    app.user("competitor@skills.cn", &[grant(Role::Competitor, Some(&entry), None)]).await;
    tokens.push(("competitor".into(), Some(app.login("competitor@skills.cn", PASSWORD).await)));

    let mut failures = Vec::new();
    for (role, token) in tokens {
        // A request that got no answer at all ("Network Error": the connection dropped on a busy
        // machine) is tried once more as a whole run; a wrong answer never is.
        let mut report = None;
        for attempt in 1..=2 {
            let (ok, text) = run_schemathesis(app.url("/api/openapi.json"), token.clone()).await;
            if ok {
                report = None;
                break;
            }
            let only_unanswered = !text.contains("Failures:") && text.contains("Network Error");
            report = Some(text);
            if !only_unanswered || attempt == 2 {
                break;
            }
            eprintln!("schemathesis as {role}: a request got no answer; running once more");
        }
        if let Some(text) = report {
            failures.push(format!("as {role}:\n{}", problems_of(&text)));
        }
    }
    assert!(failures.is_empty(), "schemathesis found problems:\n{}", failures.join("\n\n"));
}

/// One Schemathesis run: whether it passed, and what it printed.
async fn run_schemathesis(schema: String, token: Option<String>) -> (bool, String) {
    let program = py_tool("st").await;
    let out = actix_web::rt::task::spawn_blocking(move || {
        let mut st = Command::new(program);
        // A generous request timeout: the whole suite may share two cores with a build.
        st.args(["run", &schema, "--max-examples", EXAMPLES, "--seed", "1", "--request-timeout", "30"])
            .args(["--checks", "not_a_server_error,response_schema_conformance"])
            // The live stream never ends; it is exercised by the results tests.
            .args(["--exclude-path-regex", "stream$"]);
        if let Some(t) = &token {
            st.args(["--header", &format!("Authorization: Bearer {t}")]);
        }
        st.output()
    })
    .await
    .unwrap()
    .expect("schemathesis runs");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The report's failures and errors (each with the operation and a curl to reproduce it) and its
/// summary, without the progress lines.
fn problems_of(text: &str) -> String {
    let start = ["=== FAILURES", "=== ERRORS", "=== WARNINGS", "=== SUMMARY"]
        .iter()
        .filter_map(|marker| text.find(marker))
        .min()
        .unwrap_or(0);
    let kept: Vec<&str> = text[start..].lines().collect();
    kept[kept.len().saturating_sub(200)..].join("\n")
}
