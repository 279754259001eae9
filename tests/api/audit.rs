use reqwest::Method;
use serde_json::{json, Value};
use skillmark::domain::role::Role;

use crate::both_engines;
use crate::helpers::{assert_problem, grant, TestApp, PASSWORD};

const EVENT_A: &str = "01936f0e-8b7a-7cc2-9a4e-3b0b6a2f4a01";
const EVENT_B: &str = "01936f0e-8b7a-7cc2-9a4e-3b0b6a2f4b01";
const SKILL: &str = "01936f0e-8b7a-7cc2-9a4e-3b0b6a2f4c01";
const DELEGATION: &str = "01936f0e-8b7a-7cc2-9a4e-3b0b6a2f4d01";

both_engines!(audit_log_records_changes_and_is_scoped_by_event);

async fn audit_log_records_changes_and_is_scoped_by_event(app: TestApp) {
    let admin_id = app.admin("admin@skills.cn").await;
    app.user("org.a@skills.cn", &[grant(Role::Organiser, Some(EVENT_A), None)]).await;
    let someone = app.user("someone@skills.cn", &[]).await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    for event in [EVENT_A, EVENT_B] {
        let res = app
            .call(
                Method::POST,
                &format!("/api/v1/users/{someone}/roles"),
                Some(&admin),
                Some(json!({"role": "organiser", "scope_id": event})),
            )
            .await;
        assert_eq!(res.status(), 201);
    }

    let res = app
        .client
        .get(app.url("/api/v1/audit?action=user.role_granted"))
        .bearer_auth(&admin)
        .header("x-request-id", "grant-check")
        .send()
        .await
        .unwrap();
    let all: Value = res.json().await.unwrap();
    assert_eq!(all["total"], 2);
    let newest = &all["items"][0];
    assert_eq!(newest["actor_id"], admin_id);
    assert_eq!(newest["target_id"], someone);
    assert_eq!(newest["event_id"], EVENT_B, "newest first");
    assert_eq!(newest["after"]["role"], "organiser");
    assert!(newest["request_id"].as_str().is_some_and(|r| !r.is_empty()));
    assert_eq!(newest["ip"], "127.0.0.1");

    // An organiser sees their own event's entries only.
    let org = app.login("org.a@skills.cn", PASSWORD).await;
    let scoped: Value = app.get("/api/v1/audit", &org).await.json().await.unwrap();
    assert_eq!(scoped["total"], 1);
    assert_eq!(scoped["items"][0]["event_id"], EVENT_A);

    let future: Value = app.get("/api/v1/audit?from=2099-01-01T00:00:00Z", &admin).await.json().await.unwrap();
    assert_eq!(future["total"], 0);
    let res = app.get("/api/v1/audit?from=yesterday", &admin).await;
    assert_problem(res, 400, "invalid_query").await;

    app.user("expert@skills.cn", &[grant(Role::Expert, Some(SKILL), Some(DELEGATION))]).await;
    let expert = app.login("expert@skills.cn", PASSWORD).await;
    assert_problem(app.get("/api/v1/audit", &expert).await, 403, "forbidden").await;
}
