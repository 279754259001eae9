use diesel::RunQueryDsl;
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

both_engines!(the_audit_log_is_a_hash_chain_that_shows_tampering);

async fn the_audit_log_is_a_hash_chain_that_shows_tampering(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let (event, _, _) = crate::events::set_up_event(&app, &admin, "SH").await;
    let verify = format!("/api/v1/audit/verify?event_id={event}");
    let checks: Value = app.get(&verify, &admin).await.json().await.unwrap();
    let chain = checks.as_array().unwrap().iter().find(|c| c["chain"] == format!("event:{event}")).unwrap().clone();
    assert_eq!((chain["intact"].as_bool(), chain["records"].as_u64()), (Some(true), Some(3)), "{checks}");
    let entries: Value = app.get("/api/v1/audit?target_type=skill", &admin).await.json().await.unwrap();
    let skill_record = entries["items"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(entries["items"][0]["seq"], 2);

    // Someone edits a record in the database behind the application's back.
    let id = skill_record.clone();
    app.state
        .db(move |conn| {
            diesel::sql_query(format!("UPDATE audit_log SET after_json = '{{\"number\":\"99\"}}' WHERE id = '{id}'"))
                .execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
    let checks: Value = app.get(&verify, &admin).await.json().await.unwrap();
    let chain = checks.as_array().unwrap().iter().find(|c| c["chain"] == format!("event:{event}")).unwrap();
    assert_eq!(chain["intact"], false);
    assert_eq!(chain["broken_at"], 2);
    assert_eq!(chain["broken_record"], skill_record.as_str());
    assert_eq!(chain["reason"], "its contents were changed");

    // Removing the newest record is found too.
    let (event2, _, _) = crate::events::set_up_event(&app, &admin, "BJ").await;
    let e2 = event2.clone();
    app.state
        .db(move |conn| {
            diesel::sql_query(format!("DELETE FROM audit_log WHERE chain = 'event:{e2}' AND seq = 3")).execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
    let checks: Value = app.get(&format!("/api/v1/audit/verify?event_id={event2}"), &admin).await.json().await.unwrap();
    assert!(checks[0]["reason"].as_str().unwrap().contains("removed"), "{checks}");
    let all: Value = app.get("/api/v1/audit/verify", &admin).await.json().await.unwrap();
    assert!(all.as_array().unwrap().iter().any(|c| c["chain"] == "system" && c["intact"] == true));
}
