use reqwest::Method;
use serde_json::{json, Value};
use skillmark::domain::role::Role;

use crate::both_engines;
use crate::helpers::{assert_problem, grant, TestApp, PASSWORD};

fn event_body(name: &str) -> Value {
    json!({
        "name": name,
        "venue": "上海国家会展中心",
        "time_zone": "Asia/Shanghai",
        "c1_date": "2027-06-13",
        "registration_deadline": "2027-05-01T00:00:00Z",
    })
}

async fn created(res: reqwest::Response) -> Value {
    assert_eq!(res.status(), 201, "expected 201 for {}", res.url());
    res.json().await.unwrap()
}

/// As admin: an event with skill 01 and delegation `code`; returns their ids.
pub async fn set_up_event(app: &TestApp, admin: &str, code: &str) -> (String, String, String) {
    let event =
        created(app.call(Method::POST, "/api/v1/events", Some(admin), Some(event_body("全国选拔赛"))).await).await;
    let id = event["id"].as_str().unwrap().to_string();
    let skill = created(
        app.call(
            Method::POST,
            &format!("/api/v1/events/{id}/skills"),
            Some(admin),
            Some(json!({"number": "01", "name_zh": "技能", "name_en": "Skill"})),
        )
        .await,
    )
    .await;
    let delegation = created(
        app.call(
            Method::POST,
            &format!("/api/v1/events/{id}/delegations"),
            Some(admin),
            Some(json!({"code": code, "name_zh": "上海", "name_en": "Shanghai", "contact_email": "Leader@SH.cn"})),
        )
        .await,
    )
    .await;
    (id, skill["id"].as_str().unwrap().into(), delegation["id"].as_str().unwrap().into())
}

both_engines!(an_organiser_sets_up_an_event, roles_in_one_event_see_nothing_of_another);

async fn an_organiser_sets_up_an_event(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;

    let bad = json!({"name": " ", "time_zone": "Shanghai time", "c1_date": "13/06/2027", "competition_days": 6, "registration_deadline": "2027-05-01T00:00:00Z"});
    let p = assert_problem(
        app.call(Method::POST, "/api/v1/events", Some(&admin), Some(bad)).await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "time_zone", "c1_date", "competition_days"]);

    let event =
        created(app.call(Method::POST, "/api/v1/events", Some(&admin), Some(event_body("2027 全国选拔赛"))).await)
            .await;
    let id = event["id"].as_str().unwrap().to_string();
    assert_eq!(event["status"], "setup");
    let days: Vec<(String, String)> = event["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["label"].as_str().unwrap().into(), d["date"].as_str().unwrap().into()))
        .collect();
    assert_eq!(days.first().unwrap(), &("C-4".to_string(), "2027-06-09".to_string()));
    assert_eq!(days.last().unwrap(), &("C+1".to_string(), "2027-06-17".to_string()));

    app.user("organiser@skills.cn", &[grant(Role::Organiser, Some(&id), None)]).await;
    let org = app.login("organiser@skills.cn", PASSWORD).await;
    let listed: Value = app.get("/api/v1/events", &org).await.json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    // An organiser starts next year's event themselves and organises it; nobody else is given it.
    let next =
        created(app.call(Method::POST, "/api/v1/events", Some(&org), Some(event_body("2028 全国选拔赛"))).await).await;
    let listed: Value = app.get("/api/v1/events", &org).await.json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    let mut renamed = event_body("2028 全国选拔赛（上海）");
    renamed["version"] = json!(1);
    let res = app
        .call(Method::PUT, &format!("/api/v1/events/{}", next["id"].as_str().unwrap()), Some(&org), Some(renamed))
        .await;
    assert_eq!(res.status(), 200);
    app.user("nobody@skills.cn", &[]).await;
    let nobody = app.login("nobody@skills.cn", PASSWORD).await;
    let res = app.call(Method::POST, "/api/v1/events", Some(&nobody), Some(event_body("我的赛事"))).await;
    assert_problem(res, 403, "forbidden").await;
    let audit: Value = app
        .get(&format!("/api/v1/audit?event_id={}", next["id"].as_str().unwrap()), &admin)
        .await
        .json()
        .await
        .unwrap();
    assert!(audit.to_string().contains("user.role_granted"), "{audit}");

    // Skills: validation, uniqueness of the number, versioned replacement.
    let skills = format!("/api/v1/events/{id}/skills");
    let bad = json!({"number": "12345", "name_zh": "", "name_en": "Mechatronics", "team_size": 4, "age_limit": 99, "max_spread": 7});
    let p =
        assert_problem(app.call(Method::POST, &skills, Some(&org), Some(bad)).await, 422, "validation_failed").await;
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["number", "name_zh", "age_limit", "team_size", "max_spread"]);
    let mecha = json!({"number": "d2", "name_zh": "机电一体化", "name_en": "Mechatronics", "sector": "Manufacturing", "team_size": 2, "age_limit": 22, "judgement_mode": "five_judges_drop_extremes", "workstation_count": 30});
    let skill = created(app.call(Method::POST, &skills, Some(&org), Some(mecha.clone())).await).await;
    assert_eq!((skill["number"].as_str(), skill["team_size"].as_i64()), (Some("D2"), Some(2)));
    assert_eq!(skill["judgement_mode"], "five_judges_drop_extremes");
    assert_eq!(skill["max_entries_per_delegation"], 1, "defaults apply");
    let res = app
        .call(Method::POST, &skills, Some(&org), Some(json!({"number": "D2", "name_zh": "重复", "name_en": "Dup"})))
        .await;
    assert_problem(res, 409, "skill_number_taken").await;
    let skill_path = format!("/api/v1/skills/{}", skill["id"].as_str().unwrap());
    let mut change = mecha.clone();
    change["age_limit"] = json!(25);
    change["version"] = json!(1);
    let res = app.call(Method::PUT, &skill_path, Some(&org), Some(change.clone())).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["age_limit"], 25);
    let p = assert_problem(app.call(Method::PUT, &skill_path, Some(&org), Some(change)).await, 409, "version_conflict")
        .await;
    assert_eq!(p["current"]["age_limit"], 25);
    assert_eq!(p["current"]["version"], 2);

    // Delegations: code uniqueness per event.
    let delegations = format!("/api/v1/events/{id}/delegations");
    created(
        app.call(
            Method::POST,
            &delegations,
            Some(&org),
            Some(json!({"code": "sh", "name_zh": "上海", "name_en": "Shanghai"})),
        )
        .await,
    )
    .await;
    let res = app
        .call(
            Method::POST,
            &delegations,
            Some(&org),
            Some(json!({"code": "SH", "name_zh": "上海", "name_en": "Shanghai"})),
        )
        .await;
    assert_problem(res, 409, "delegation_code_taken").await;
    let res = app
        .call(
            Method::POST,
            &delegations,
            Some(&org),
            Some(json!({"code": "上海", "name_zh": "上海", "name_en": "", "kind": "planet", "contact_email": "no"})),
        )
        .await;
    let p = assert_problem(res, 422, "validation_failed").await;
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["kind", "contact_email", "code", "name_en"]);

    // Status: one step at a time; configuration ends when the competition starts.
    let status = format!("/api/v1/events/{id}/status");
    let res = app.call(Method::POST, &status, Some(&org), Some(json!({"status": "competition", "version": 1}))).await;
    assert_problem(res, 409, "invalid_transition").await;
    let res = app.call(Method::POST, &status, Some(&org), Some(json!({"status": "registration", "version": 1}))).await;
    assert_eq!(res.status(), 200);
    let res = app.call(Method::POST, &status, Some(&org), Some(json!({"status": "competition", "version": 2}))).await;
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "competition");
    let res = app
        .call(
            Method::POST,
            &skills,
            Some(&org),
            Some(json!({"number": "17", "name_zh": "网站设计", "name_en": "Web Technologies"})),
        )
        .await;
    assert_problem(res, 409, "event_not_configurable").await;

    // The organiser reads the event's own audit trail.
    let audit: Value =
        app.get(&format!("/api/v1/audit?target_type=event&event_id={id}"), &org).await.json().await.unwrap();
    let actions: Vec<&str> = audit["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["event.status_changed", "event.status_changed", "event.created"]);
    assert_eq!(audit["items"][0]["after"]["status"], "competition");
}

async fn roles_in_one_event_see_nothing_of_another(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let (event_a, _, delegation_a) = set_up_event(&app, &admin, "SH").await;
    let (event_b, skill_b, delegation_b) = set_up_event(&app, &admin, "BJ").await;
    app.user("leader@skills.cn", &[grant(Role::TeamLeader, Some(&delegation_a), None)]).await;
    app.user("org.b@skills.cn", &[grant(Role::Organiser, Some(&event_b), None)]).await;
    let leader = app.login("leader@skills.cn", PASSWORD).await;
    let org_b = app.login("org.b@skills.cn", PASSWORD).await;

    let listed: Value = app.get("/api/v1/events", &leader).await.json().await.unwrap();
    let ids: Vec<&str> = listed.as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [event_a.as_str()]);
    assert_problem(app.get(&format!("/api/v1/events/{event_b}"), &leader).await, 404, "not_found").await;
    assert_problem(app.get(&format!("/api/v1/events/{event_b}/delegations"), &leader).await, 404, "not_found").await;
    let delegations: Value =
        app.get(&format!("/api/v1/events/{event_a}/delegations"), &leader).await.json().await.unwrap();
    assert_eq!(delegations[0]["code"], "SH");
    assert!(delegations[0]["contact_email"].is_null(), "contacts are for organisers");
    let as_admin: Value = app.get(&format!("/api/v1/events/{event_a}/delegations"), &admin).await.json().await.unwrap();
    assert_eq!(as_admin[0]["contact_email"], "leader@sh.cn");
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/delegations/{delegation_a}"),
            Some(&leader),
            Some(json!({"code": "SH", "name_zh": "改", "name_en": "X", "version": 1})),
        )
        .await;
    assert_problem(res, 403, "forbidden").await;

    // Organiser of B: B is theirs, A does not exist for them.
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/delegations/{delegation_a}"),
            Some(&org_b),
            Some(json!({"code": "SH", "name_zh": "改", "name_en": "X", "version": 1})),
        )
        .await;
    assert_problem(res, 404, "not_found").await;
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/delegations/{delegation_b}"),
            Some(&org_b),
            Some(json!({"code": "BJ", "name_zh": "北京", "name_en": "Beijing", "version": 1})),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .call(
            Method::PUT,
            &format!("/api/v1/skills/{skill_b}"),
            Some(&org_b),
            Some(json!({"number": "01", "name_zh": "技能", "name_en": "Skill", "version": 1})),
        )
        .await;
    assert_eq!(res.status(), 200);
    let listed: Value = app.get("/api/v1/events", &org_b).await.json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
}
