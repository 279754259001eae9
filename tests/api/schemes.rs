use reqwest::Method;
use serde_json::{json, Value};
use skillmark::domain::role::Role;

use skillmark::domain::audit::AuditAction;

use crate::both_engines;
use crate::helpers::{assert_problem, grant, TestApp, PASSWORD};

fn descriptors() -> Value {
    json!(["below industry standard", "meets the standard", "meets and in respects exceeds it", "excellent"])
}

/// A valid two-criterion scheme totalling `a_total + 40.00` hundredths-wise when `a_total` is 6000.
pub fn scheme(a_total: i32) -> Value {
    json!({"criteria": [
        {"id": "A", "name": "Design", "sub_criteria": [
            {"id": "A1", "name": "Layout", "aspects": [
                {"description": "Dimensions within ±0.5 mm", "max": a_total - 1000, "day": 1, "type": "measurement", "measurement": {"kind": "pass_fail"}},
                {"description": "Finish", "max": 1000, "day": 2, "type": "judgement", "descriptors": descriptors()}
            ]}
        ]},
        {"id": "B", "name": "Build", "sub_criteria": [
            {"id": "B1", "name": "Assembly", "aspects": [
                {"description": "Faults found", "max": 2000, "day": 3, "type": "measurement", "measurement": {"kind": "deduction", "step": 25}},
                {"description": "Torque", "max": 2000, "day": 3, "type": "measurement", "measurement": {"kind": "stepped", "allowed": [0, 1000, 2000]}}
            ]}
        ]}
    ]})
}

both_engines!(a_chief_expert_drafts_and_an_organiser_freezes_the_scheme);

async fn a_chief_expert_drafts_and_an_organiser_freezes_the_scheme(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let (event, skill, delegation) = crate::events::set_up_event(&app, &admin, "SH").await;
    app.user("chief@skills.cn", &[grant(Role::ChiefExpert, Some(&skill), Some(&delegation))]).await;
    app.user("expert@skills.cn", &[grant(Role::Expert, Some(&skill), Some(&delegation))]).await;
    app.user("organiser@skills.cn", &[grant(Role::Organiser, Some(&event), None)]).await;
    let chief = app.login("chief@skills.cn", PASSWORD).await;
    let expert = app.login("expert@skills.cn", PASSWORD).await;
    let organiser = app.login("organiser@skills.cn", PASSWORD).await;
    let path = format!("/api/v1/skills/{skill}/scheme");

    let empty: Value = app.get(&path, &expert).await.json().await.unwrap();
    assert_eq!(
        (empty["version"].as_i64(), empty["status"].as_str(), empty["can_edit"].as_bool()),
        (Some(0), Some("draft"), Some(false))
    );

    // A draft may be incomplete: saved, with its problems listed.
    let res = app.call(Method::PUT, &path, Some(&chief), Some(json!({"version": 0, "scheme": scheme(5000)}))).await;
    assert_eq!(res.status(), 200);
    let draft: Value = res.json().await.unwrap();
    assert_eq!((draft["version"].as_i64(), draft["total"].as_str()), (Some(1), Some("90.00")));
    assert_eq!(draft["problems"][0]["message"], "the scheme totals 90.00, not 100.00");
    assert_eq!(draft["scheme"]["criteria"][1]["sub_criteria"][0]["aspects"][0]["measurement"]["step"], 25);

    let res = app.call(Method::PUT, &path, Some(&expert), Some(json!({"version": 1, "scheme": scheme(6000)}))).await;
    assert_problem(res, 403, "forbidden").await;
    let res = app.call(Method::PUT, &path, Some(&chief), Some(json!({"version": 0, "scheme": scheme(6000)}))).await;
    let p = assert_problem(res, 409, "version_conflict").await;
    assert_eq!(p["current"]["version"], 1);

    let res = app.call(Method::POST, &format!("{path}/freeze"), Some(&organiser), Some(json!({"version": 1}))).await;
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "scheme");

    let mut broken = scheme(6000);
    broken["criteria"][0]["sub_criteria"][0]["aspects"][1]["descriptors"] = json!(["only", "three", "descriptors"]);
    broken["criteria"][1]["sub_criteria"][0]["id"] = json!("A2");
    let res = app.call(Method::PUT, &path, Some(&chief), Some(json!({"version": 1, "scheme": broken}))).await;
    let draft: Value = res.json().await.unwrap();
    let paths: Vec<&str> = draft["problems"].as_array().unwrap().iter().map(|p| p["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["A/A1/2", "B/A2"]);

    let res = app.call(Method::PUT, &path, Some(&chief), Some(json!({"version": 2, "scheme": scheme(6000)}))).await;
    let draft: Value = res.json().await.unwrap();
    assert_eq!((draft["total"].as_str(), draft["problems"].as_array().map(Vec::len)), (Some("100.00"), Some(0)));

    let res = app.call(Method::POST, &format!("{path}/freeze"), Some(&chief), Some(json!({"version": 3}))).await;
    assert_problem(res, 403, "forbidden").await;
    let res = app.call(Method::POST, &format!("{path}/freeze"), Some(&organiser), Some(json!({"version": 3}))).await;
    assert_eq!(res.status(), 200);
    let frozen: Value = res.json().await.unwrap();
    assert_eq!(frozen["status"], "frozen");
    assert!(frozen["frozen_at"].is_string());
    let res = app.call(Method::PUT, &path, Some(&chief), Some(json!({"version": 4, "scheme": scheme(6000)}))).await;
    assert_problem(res, 409, "scheme_frozen").await;
    let actions = app.audit_actions().await;
    assert!(actions.contains(&AuditAction::SchemeSaved) && actions.contains(&AuditAction::SchemeFrozen));

    // The frozen scheme exported as a CIS sheet imports into another skill unchanged.
    let export = app.client.get(app.url(&format!("{path}/export"))).bearer_auth(&expert).send().await.unwrap();
    assert_eq!(export.status(), 200);
    let sheet = export.bytes().await.unwrap().to_vec();
    let other = app
        .call(
            Method::POST,
            &format!("/api/v1/events/{event}/skills"),
            Some(&admin),
            Some(json!({"number": "02", "name_zh": "二", "name_en": "Two"})),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let import = format!("/api/v1/skills/{other}/scheme/import");
    let upload = |url: String, bytes: Vec<u8>| app.client.post(app.url(&url)).bearer_auth(&admin).body(bytes).send();
    let dry: Value =
        upload(format!("{import}?filename=scheme.xlsx"), sheet.clone()).await.unwrap().json().await.unwrap();
    assert_eq!(dry["committed"], false, "{dry}");
    assert_eq!(dry["test_project"], "全国选拔赛");
    // Lossless apart from the rule line the sheet needs to state a measurement's kind in words.
    let without_rules = |mut v: Value| {
        for c in v["criteria"].as_array_mut().unwrap() {
            for s in c["sub_criteria"].as_array_mut().unwrap() {
                for a in s["aspects"].as_array_mut().unwrap() {
                    a["extra_description"] = json!("");
                }
            }
        }
        v
    };
    assert_eq!(without_rules(dry["scheme"].clone()), without_rules(frozen["scheme"].clone()));
    assert_eq!(
        dry["scheme"]["criteria"][1]["sub_criteria"][0]["aspects"][0]["extra_description"],
        "Deduct 0.25 per fault"
    );
    let done: Value = upload(format!("{import}?commit=true&version=0"), sheet).await.unwrap().json().await.unwrap();
    assert_eq!((done["committed"].as_bool(), done["version"].as_i64()), (Some(true), Some(1)));
    let copied: Value = app.get(&format!("/api/v1/skills/{other}/scheme"), &admin).await.json().await.unwrap();
    assert_eq!(copied["total"], "100.00");
    // A sheet without its title rows is refused whole, with the row to look at.
    let res = upload(import.clone(), b"Sub Criteria ID,Name\nA,Design\n".to_vec()).await.unwrap();
    let p = assert_problem(res, 422, "file_rejected").await;
    assert!(!p["rows"].as_array().unwrap().is_empty());

    // Malformed documents are refused by field, oversized ones by size.
    let res = app.call(Method::PUT, &path, Some(&chief), Some(json!({"version": 4, "scheme": {"criteria": [{"id": "A", "name": "x", "sub_criteria": [{"id": "A1", "name": "y", "aspects": [{"description": "z", "max": 100, "day": 1, "type": "guesswork"}]}]}]}}))).await;
    assert_problem(res, 422, "validation_failed").await;
    let huge =
        json!({"version": 4, "scheme": {"criteria": [{"id": "A", "name": "x".repeat(1_100_000), "sub_criteria": []}]}});
    assert_problem(app.call(Method::PUT, &path, Some(&chief), Some(huge)).await, 413, "payload_too_large").await;
}
