use reqwest::Method;
use serde_json::{json, Value};
use skillmark::domain::role::Role;

use skillmark::domain::audit::AuditAction;

use crate::both_engines;
use crate::helpers::{assert_problem, grant, mail_text, token_in, TestApp, PASSWORD};

const EVENT: &str = "01936f0e-8b7a-7cc2-9a4e-3b0b6a2f4d11";
const SKILL: &str = "01936f0e-8b7a-7cc2-9a4e-3b0b6a2f4d12";
const DELEGATION: &str = "01936f0e-8b7a-7cc2-9a4e-3b0b6a2f4d13";

both_engines!(
    an_invited_user_accepts_once_and_signs_in,
    profile_updates_are_versioned_and_deactivation_is_immediate,
    roles_are_granted_and_revoked_in_their_scope,
    users_are_listed_filtered_and_paginated,
);

async fn an_invited_user_accepts_once_and_signs_in(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let invite = json!({
        "email": "Expert.Wang@Skills.cn",
        "display_name": "王专家",
        "locale": "zh-CN",
        "roles": [{"role": "expert", "scope_id": SKILL, "delegation_id": DELEGATION}],
    });
    let res = app.call(Method::POST, "/api/v1/users", Some(&admin), Some(invite.clone())).await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["invitation_sent"], true);
    assert_eq!(created["user"]["status"], "invited");
    assert_eq!(created["user"]["email"], "expert.wang@skills.cn");
    assert_eq!(created["user"]["roles"][0]["delegation_id"], DELEGATION);

    let mails = app.mails();
    assert_eq!(mails.len(), 1, "one invitation mail was written");
    assert!(mails[0].contains("expert.wang@skills.cn"));
    let token = token_in(&mails[0]).expect("the mail carries the link");
    let text = mail_text(&mails[0]);
    assert!(text.contains("王专家") && text.contains("http://skillmark.test/accept-invitation?token="), "{text}");

    // Nobody can sign in to an invited account before it is accepted.
    let res = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "expert.wang@skills.cn", "password": "any password at all"})),
        )
        .await;
    assert_problem(res, 401, "invalid_credentials").await;

    let accept = |t: &str, pw: &str| json!({"token": t, "password": pw, "display_name": "王小明"});
    let res = app.call(Method::POST, "/api/v1/auth/invitation/accept", None, Some(accept(&token, "short"))).await;
    assert_problem(res, 422, "validation_failed").await;
    let res = app.call(Method::POST, "/api/v1/auth/invitation/accept", None, Some(accept(&token, PASSWORD))).await;
    assert_eq!(res.status(), 200);
    let access = res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string();
    let me: Value = app.get("/api/v1/me", &access).await.json().await.unwrap();
    assert_eq!((me["display_name"].as_str(), me["status"].as_str()), (Some("王小明"), Some("active")));

    let res = app
        .call(Method::POST, "/api/v1/auth/invitation/accept", None, Some(accept(&token, "another password 1")))
        .await;
    assert_problem(res, 400, "link_invalid_or_expired").await;
    let res = app.call(Method::POST, "/api/v1/users", Some(&admin), Some(invite)).await;
    assert_problem(res, 409, "email_taken").await;
    let id = created["user"]["id"].as_str().unwrap();
    let res = app.call(Method::POST, &format!("/api/v1/users/{id}/invitation"), Some(&admin), None).await;
    assert_problem(res, 409, "invitation_already_accepted").await;

    let bad = json!({"email": "x@skills.cn", "display_name": "X", "roles": [{"role": "expert", "scope_id": SKILL}, {"role": "organiser"}]});
    let res = app.call(Method::POST, "/api/v1/users", Some(&admin), Some(bad)).await;
    let p = assert_problem(res, 422, "validation_failed").await;
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["roles[0].delegation_id", "roles[1].scope_id"]);
    let actions = app.audit_actions().await;
    assert!(actions.contains(&AuditAction::UserInvited) && actions.contains(&AuditAction::UserInvitationAccepted));
}

async fn profile_updates_are_versioned_and_deactivation_is_immediate(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let leader_id = app.user("leader@skills.cn", &[grant(Role::TeamLeader, Some(DELEGATION), None)]).await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let leader = app.login("leader@skills.cn", PASSWORD).await;
    let path = format!("/api/v1/users/{leader_id}");

    let me: Value = app.get("/api/v1/me", &leader).await.json().await.unwrap();
    let v1 = me["version"].as_i64().unwrap();
    let res =
        app.call(Method::PATCH, "/api/v1/me", Some(&leader), Some(json!({"version": v1, "locale": "zh-CN"}))).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["locale"], "zh-CN");

    // The admin still holds the old version: 409 with the current state, nothing overwritten.
    let res =
        app.call(Method::PATCH, &path, Some(&admin), Some(json!({"version": v1, "display_name": "Renamed"}))).await;
    let p = assert_problem(res, 409, "version_conflict").await;
    assert_eq!(p["current"]["locale"], "zh-CN");
    assert_eq!(p["current"]["display_name"], "Test User");
    let current = p["current"]["version"].as_i64().unwrap();

    let res = app.call(Method::PATCH, &path, Some(&admin), Some(json!({"version": current, "is_active": false}))).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "inactive");
    assert_problem(app.get("/api/v1/me", &leader).await, 401, "invalid_token").await;
    let res = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "leader@skills.cn", "password": PASSWORD})),
        )
        .await;
    assert_problem(res, 401, "invalid_credentials").await;

    // The last admin cannot lock everybody out.
    let me: Value = app.get("/api/v1/me", &admin).await.json().await.unwrap();
    let res = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{}", me["id"].as_str().unwrap()),
            Some(&admin),
            Some(json!({"version": me["version"], "is_active": false})),
        )
        .await;
    assert_problem(res, 409, "last_admin").await;

    let audit: Value = app.get("/api/v1/audit?action=user.updated", &admin).await.json().await.unwrap();
    let entry = &audit["items"][0];
    assert_eq!(entry["before"]["is_active"], true);
    assert_eq!(entry["after"]["is_active"], false);
    assert_eq!(entry["target_id"], leader_id);
}

async fn roles_are_granted_and_revoked_in_their_scope(app: TestApp) {
    let admin_id = app.admin("admin@skills.cn").await;
    let user_id = app.user("person@skills.cn", &[]).await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let roles = format!("/api/v1/users/{user_id}/roles");

    let res =
        app.call(Method::POST, &roles, Some(&admin), Some(json!({"role": "chief_expert", "scope_id": SKILL}))).await;
    assert_eq!(res.status(), 201);
    let role: Value = res.json().await.unwrap();
    assert_eq!((role["role"].as_str(), role["scope_id"].as_str()), (Some("chief_expert"), Some(SKILL)));
    let res =
        app.call(Method::POST, &roles, Some(&admin), Some(json!({"role": "chief_expert", "scope_id": SKILL}))).await;
    assert_problem(res, 409, "role_already_granted").await;
    let res = app.call(Method::POST, &roles, Some(&admin), Some(json!({"role": "organiser", "scope_id": EVENT}))).await;
    assert_eq!(res.status(), 201);
    let res = app.call(Method::POST, &roles, Some(&admin), Some(json!({"role": "wizard"}))).await;
    assert_problem(res, 422, "validation_failed").await;

    let user: Value = app.get(&format!("/api/v1/users/{user_id}"), &admin).await.json().await.unwrap();
    assert_eq!(user["roles"].as_array().unwrap().len(), 2);
    let person = app.login("person@skills.cn", PASSWORD).await;
    let me: Value = app.get("/api/v1/me", &person).await.json().await.unwrap();
    assert_eq!(me["roles"].as_array().unwrap().len(), 2, "{me}");
    let res = app.call(Method::DELETE, &format!("{roles}/{}", role["id"].as_str().unwrap()), Some(&admin), None).await;
    assert_eq!(res.status(), 204);
    // Revoked for the very next request of the signed-in user (their roles are not kept past it).
    let me: Value = app.get("/api/v1/me", &person).await.json().await.unwrap();
    assert_eq!(
        me["roles"].as_array().unwrap().iter().map(|r| r["role"].as_str()).collect::<Vec<_>>(),
        [Some("organiser")]
    );
    let res = app.call(Method::DELETE, &format!("{roles}/{}", role["id"].as_str().unwrap()), Some(&admin), None).await;
    assert_problem(res, 404, "not_found").await;

    // The only admin keeps the admin role.
    let me: Value = app.get("/api/v1/me", &admin).await.json().await.unwrap();
    let admin_role = me["roles"][0]["id"].as_str().unwrap();
    let res =
        app.call(Method::DELETE, &format!("/api/v1/users/{admin_id}/roles/{admin_role}"), Some(&admin), None).await;
    assert_problem(res, 409, "last_admin").await;
}

async fn users_are_listed_filtered_and_paginated(app: TestApp) {
    app.admin("admin@skills.cn").await;
    for i in 0..7 {
        app.user(&format!("expert{i}@skills.cn"), &[grant(Role::Expert, Some(SKILL), Some(DELEGATION))]).await;
    }
    app.user("leader@skills.cn", &[grant(Role::TeamLeader, Some(DELEGATION), None)]).await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;

    let page: Value = app.get("/api/v1/users?per_page=3&page=2", &admin).await.json().await.unwrap();
    assert_eq!(page["total"], 9);
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    assert_eq!(page["items"][0]["email"], "expert2@skills.cn", "sorted by email");
    let experts: Value = app.get("/api/v1/users?role=expert&per_page=100", &admin).await.json().await.unwrap();
    assert_eq!(experts["total"], 7);
    assert!(experts["items"].as_array().unwrap().iter().all(|u| u["roles"][0]["role"] == "expert"));
    let found: Value = app.get("/api/v1/users?q=LEADER", &admin).await.json().await.unwrap();
    assert_eq!(found["total"], 1);
    let none: Value = app.get("/api/v1/users?q=%25", &admin).await.json().await.unwrap();
    assert_eq!(none["total"], 0, "% is a literal in searches, not a wildcard");
}
