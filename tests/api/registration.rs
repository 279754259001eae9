use reqwest::Method;
use serde_json::{json, Value};
use skillmark::domain::role::Role;

use skillmark::domain::audit::AuditAction;

use crate::both_engines;
use crate::helpers::{assert_problem, grant, TestApp, PASSWORD};

async fn ok(res: reqwest::Response, status: u16) -> Value {
    let url = res.url().to_string();
    let got = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{url}: {body}");
    body
}

fn competitor(name: &str, birth: &str, id: &str) -> Value {
    json!({"name": name, "gender": "女", "birth_date": birth, "id_number": id})
}

/// As admin, in the event set up by `events::set_up_event`: a confirmed one-person entry and a
/// registered expert. Returns (entry id, competitor id).
pub async fn set_up_entry(app: &TestApp, admin: &str, event: &str, skill: &str, delegation: &str) -> (String, String) {
    let entry = ok(
        app.call(
            Method::POST,
            &format!("/api/v1/events/{event}/entries"),
            Some(admin),
            Some(json!({"skill_id": skill, "delegation_id": delegation})),
        )
        .await,
        201,
    )
    .await;
    let entry_id = entry["id"].as_str().unwrap().to_string();
    let c = ok(
        app.call(
            Method::POST,
            &format!("/api/v1/entries/{entry_id}/competitors"),
            Some(admin),
            Some(competitor("张三", "2006-03-01", "310101200603011234")),
        )
        .await,
        201,
    )
    .await;
    ok(
        app.call(
            Method::POST,
            &format!("/api/v1/entries/{entry_id}/status"),
            Some(admin),
            Some(json!({"status": "confirmed", "version": 1})),
        )
        .await,
        200,
    )
    .await;
    let account = json!({"email": "matrix.competitor@skills.cn"});
    ok(
        app.call(
            Method::POST,
            &format!("/api/v1/competitors/{}/account", c["id"].as_str().unwrap()),
            Some(admin),
            Some(account),
        )
        .await,
        201,
    )
    .await;
    let body = json!({"email": "matrix.expert@skills.cn", "display_name": "Expert", "skill_id": skill, "delegation_id": delegation});
    ok(app.call(Method::POST, &format!("/api/v1/events/{event}/experts"), Some(admin), Some(body)).await, 201).await;
    (entry_id, c["id"].as_str().unwrap().to_string())
}

/// An event open for registration with a team skill (D2, teams of 2) and an individual one (17),
/// and delegations SH and BJ. Returns (event, team skill, individual skill, SH, BJ).
pub async fn open_event(app: &TestApp, admin: &str, deadline: &str) -> (String, String, String, String, String) {
    let body = json!({"name": "2027 全国选拔赛", "c1_date": "2027-06-13", "registration_deadline": deadline});
    let event = ok(app.call(Method::POST, "/api/v1/events", Some(admin), Some(body)).await, 201).await;
    let id = event["id"].as_str().unwrap().to_string();
    let skills = format!("/api/v1/events/{id}/skills");
    let skill = |body: Value| app.call(Method::POST, &skills, Some(admin), Some(body));
    let team = ok(skill(json!({"number": "D2", "name_zh": "机电一体化", "name_en": "Mechatronics", "team_size": 2, "workstation_count": 4})).await, 201).await;
    let single = ok(skill(json!({"number": "17", "name_zh": "网站设计", "name_en": "Web Technologies", "anonymous": true, "workstation_count": 6})).await, 201).await;
    let delegations = format!("/api/v1/events/{id}/delegations");
    let delegation = |code: &str| {
        app.call(Method::POST, &delegations, Some(admin), Some(json!({"code": code, "name_zh": code, "name_en": code})))
    };
    let sh = ok(delegation("SH").await, 201).await;
    let bj = ok(delegation("BJ").await, 201).await;
    ok(
        app.call(
            Method::POST,
            &format!("/api/v1/events/{id}/status"),
            Some(admin),
            Some(json!({"status": "registration", "version": 1})),
        )
        .await,
        200,
    )
    .await;
    let s = |v: &Value| v["id"].as_str().unwrap().to_string();
    (id, s(&team), s(&single), s(&sh), s(&bj))
}

both_engines!(
    a_team_leader_registers_a_team_within_the_rules,
    registration_closes_at_the_deadline_for_team_leaders,
    experts_are_registered_and_anonymous_skills_hide_identities,
    workstations_are_drawn_reproducibly_and_redraws_need_a_reason,
    a_withdrawn_entry_comes_back_only_within_the_maximum,
);

async fn a_withdrawn_entry_comes_back_only_within_the_maximum(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let (event, _, single, sh, _) = open_event(&app, &admin, "2027-05-01T00:00:00Z").await;
    app.user("leader.sh@skills.cn", &[grant(Role::TeamLeader, Some(&sh), None)]).await;
    let leader = app.login("leader.sh@skills.cn", PASSWORD).await;
    let entries = format!("/api/v1/events/{event}/entries");
    let body = json!({"skill_id": single, "delegation_id": sh});
    let first = ok(app.call(Method::POST, &entries, Some(&leader), Some(body.clone())).await, 201).await;
    let status = format!("/api/v1/entries/{}/status", first["id"].as_str().unwrap());
    let withdrawn = json!({"status": "withdrawn", "version": first["version"]});
    ok(app.call(Method::POST, &status, Some(&leader), Some(withdrawn)).await, 200).await;
    // The place is free again: a second entry takes it.
    ok(app.call(Method::POST, &entries, Some(&leader), Some(body)).await, 201).await;
    // So the first cannot come back, neither as registered nor as confirmed.
    for to in ["registered", "confirmed"] {
        let res = app
            .call(
                Method::POST,
                &status,
                Some(&admin),
                Some(json!({"status": to, "version": first["version"].as_i64().unwrap() + 1})),
            )
            .await;
        assert_problem(res, 409, if to == "registered" { "max_entries_reached" } else { "invalid_transition" }).await;
    }
}

async fn a_team_leader_registers_a_team_within_the_rules(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let (event, team, single, sh, bj) = open_event(&app, &admin, "2027-05-01T00:00:00Z").await;
    app.user("leader.sh@skills.cn", &[grant(Role::TeamLeader, Some(&sh), None)]).await;
    app.user("leader.bj@skills.cn", &[grant(Role::TeamLeader, Some(&bj), None)]).await;
    let leader = app.login("leader.sh@skills.cn", PASSWORD).await;
    let other = app.login("leader.bj@skills.cn", PASSWORD).await;
    let entries = format!("/api/v1/events/{event}/entries");

    let entry = ok(
        app.call(Method::POST, &entries, Some(&leader), Some(json!({"skill_id": team, "delegation_id": sh}))).await,
        201,
    )
    .await;
    assert_eq!(entry["status"], "registered");
    let entry_id = entry["id"].as_str().unwrap().to_string();
    let res =
        app.call(Method::POST, &entries, Some(&leader), Some(json!({"skill_id": team, "delegation_id": sh}))).await;
    assert_problem(res, 409, "max_entries_reached").await;
    let res =
        app.call(Method::POST, &entries, Some(&leader), Some(json!({"skill_id": team, "delegation_id": bj}))).await;
    assert_problem(res, 403, "forbidden").await;

    let members = format!("/api/v1/entries/{entry_id}/competitors");
    // Born in 2004: 23 in the competition year 2027, over the limit of 22 (whatever the birthday).
    let res = app
        .call(Method::POST, &members, Some(&leader), Some(competitor("王五", "2004-12-31", "310101200412311234")))
        .await;
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "birth_date");
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("over the skill's age limit of 22"), "{p}");
    let res = app
        .call(
            Method::POST,
            &members,
            Some(&leader),
            Some(json!({"name": "", "gender": "x", "birth_date": "2005-02-30", "id_number": "12"})),
        )
        .await;
    let p = assert_problem(res, 422, "validation_failed").await;
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "gender", "birth_date", "id_number"]);

    let first = ok(
        app.call(Method::POST, &members, Some(&leader), Some(competitor("张三", "2005-01-01", "31010120050101123x")))
            .await,
        201,
    )
    .await;
    assert_eq!(first["id_number"], "31010120050101123X");
    let status = format!("/api/v1/entries/{entry_id}/status");
    let res = app.call(Method::POST, &status, Some(&leader), Some(json!({"status": "confirmed", "version": 1}))).await;
    let p = assert_problem(res, 409, "invalid_transition").await;
    assert!(p["detail"].as_str().unwrap().contains("exactly 2"));
    ok(
        app.call(Method::POST, &members, Some(&leader), Some(competitor("李四", "2006-06-06", "310101200606061111")))
            .await,
        201,
    )
    .await;
    let res = app
        .call(Method::POST, &members, Some(&leader), Some(competitor("赵六", "2006-06-06", "310101200606062222")))
        .await;
    assert_problem(res, 409, "team_full").await;

    // One skill per competitor: the same person in another entry is refused.
    let solo = ok(
        app.call(Method::POST, &entries, Some(&leader), Some(json!({"skill_id": single, "delegation_id": sh}))).await,
        201,
    )
    .await;
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/entries/{}/competitors", solo["id"].as_str().unwrap()),
            Some(&leader),
            Some(competitor("张三", "2005-01-01", "31010120050101123X")),
        )
        .await;
    assert_problem(res, 409, "competitor_already_registered").await;

    let confirmed = ok(
        app.call(Method::POST, &status, Some(&leader), Some(json!({"status": "confirmed", "version": 1}))).await,
        200,
    )
    .await;
    assert_eq!(confirmed["status"], "confirmed");

    let list = ok(app.get(&format!("{entries}?skill_id={team}"), &leader).await, 200).await;
    assert_eq!(list["total"], 1);
    let ids: Vec<&str> =
        list["items"][0]["competitors"].as_array().unwrap().iter().map(|c| c["id_number"].as_str().unwrap()).collect();
    assert_eq!(ids, ["3101**********123X", "3101**********1111"], "ID numbers are masked in lists");
    let one = ok(app.get(&format!("/api/v1/entries/{entry_id}"), &leader).await, 200).await;
    assert_eq!(one["competitors"][0]["id_number"], "31010120050101123X");
    assert_eq!(one["competitors"][0]["birth_date"], "2005-01-01");

    // The other delegation's leader sees nothing of it.
    assert_problem(app.get(&format!("/api/v1/entries/{entry_id}"), &other).await, 404, "not_found").await;
    let theirs = ok(app.get(&entries, &other).await, 200).await;
    assert_eq!(theirs["total"], 0);
    let res = app
        .call(Method::POST, &members, Some(&other), Some(competitor("钱七", "2006-01-01", "310101200601013333")))
        .await;
    assert_problem(res, 404, "not_found").await;

    // A photo: JPEG or PNG only, at most 2 MiB.
    let photo = format!("/api/v1/competitors/{}/photo", first["id"].as_str().unwrap());
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[7u8; 300]);
    let put = |bytes: Vec<u8>| app.client.put(app.url(&photo)).bearer_auth(&leader).body(bytes).send();
    assert_eq!(put(png.clone()).await.unwrap().status(), 204);
    assert_problem(put(b"GIF89a...".to_vec()).await.unwrap(), 415, "unsupported_media_type").await;
    assert_problem(put(vec![0xFF; 3 * 1024 * 1024]).await.unwrap(), 413, "payload_too_large").await;
    let got = app.client.get(app.url(&photo)).bearer_auth(&leader).send().await.unwrap();
    assert_eq!(got.headers()["content-type"], "image/png");
    assert_eq!(got.bytes().await.unwrap().to_vec(), png);
    assert_problem(app.get(&photo, &other).await, 404, "not_found").await;

    // The competitor gets a portal account, scoped to their entry.
    let account = format!("/api/v1/competitors/{}/account", first["id"].as_str().unwrap());
    let linked =
        ok(app.call(Method::POST, &account, Some(&leader), Some(json!({"email": "zhang.san@skills.cn"}))).await, 201)
            .await;
    assert_eq!(linked["invitation_sent"], true);
    assert_eq!(
        (linked["competitor"]["has_photo"].as_bool(), linked["competitor"]["has_account"].as_bool()),
        (Some(true), Some(true))
    );
    // The team's list tells which competitors have a photo and an account.
    let entry = ok(app.get(&format!("/api/v1/entries/{entry_id}"), &leader).await, 200).await;
    let flags: Vec<(bool, bool)> = entry["competitors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["has_photo"].as_bool().unwrap(), c["has_account"].as_bool().unwrap()))
        .collect();
    assert!(flags.contains(&(true, true)) && flags.iter().filter(|f| **f == (true, true)).count() == 1, "{entry}");
    assert_problem(
        app.call(Method::POST, &account, Some(&leader), Some(json!({"email": "zhang.san@skills.cn"}))).await,
        409,
        "account_exists",
    )
    .await;
    let mail = app.mails().into_iter().find(|m| m.contains("zhang.san@skills.cn")).expect("an invitation");
    let token = crate::helpers::token_in(&mail).unwrap();
    let session = ok(
        app.call(
            Method::POST,
            "/api/v1/auth/invitation/accept",
            None,
            Some(json!({"token": token, "password": PASSWORD})),
        )
        .await,
        200,
    )
    .await;
    let me = ok(app.get("/api/v1/me", session["access_token"].as_str().unwrap()).await, 200).await;
    assert_eq!(
        (me["roles"][0]["role"].as_str(), me["roles"][0]["scope_id"].as_str()),
        (Some("competitor"), Some(entry_id.as_str()))
    );
    assert_eq!(me["display_name"], "张三");

    let actions = app.audit_actions().await;
    for action in [
        AuditAction::EntryCreated,
        AuditAction::CompetitorRegistered,
        AuditAction::EntryStatusChanged,
        AuditAction::CompetitorAccountLinked,
    ] {
        assert!(actions.contains(&action), "{action} audited");
    }
}

async fn registration_closes_at_the_deadline_for_team_leaders(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let deadline = app.time_from_now(chrono::TimeDelta::days(1));
    let (event, team, single, sh, _) = open_event(&app, &admin, &deadline).await;
    app.user("leader.sh@skills.cn", &[grant(Role::TeamLeader, Some(&sh), None)]).await;
    let leader = app.login("leader.sh@skills.cn", PASSWORD).await;
    let entries = format!("/api/v1/events/{event}/entries");
    let before = json!({"skill_id": single, "delegation_id": sh});
    ok(app.call(Method::POST, &entries, Some(&leader), Some(before)).await, 201).await;
    // The deadline passes.
    app.advance(std::time::Duration::from_secs(2 * 24 * 3600));
    // (Two days on, the sign-ins have expired too.)
    let (leader, admin) =
        (app.login("leader.sh@skills.cn", PASSWORD).await, app.login("admin@skills.cn", PASSWORD).await);
    let body = json!({"skill_id": team, "delegation_id": sh});
    let res = app.call(Method::POST, &entries, Some(&leader), Some(body.clone())).await;
    assert_problem(res, 409, "registration_closed").await;
    // Organisers may still correct registrations (and it is audited).
    ok(app.call(Method::POST, &entries, Some(&admin), Some(body)).await, 201).await;
}

async fn experts_are_registered_and_anonymous_skills_hide_identities(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let (event, _, single, sh, bj) = open_event(&app, &admin, "2027-05-01T00:00:00Z").await;
    app.user("leader.sh@skills.cn", &[grant(Role::TeamLeader, Some(&sh), None)]).await;
    let leader = app.login("leader.sh@skills.cn", PASSWORD).await;
    let experts = format!("/api/v1/events/{event}/experts");

    let chief = json!({"email": "chief@skills.cn", "display_name": "裁判长", "skill_id": single, "delegation_id": bj, "position": "chief_expert"});
    let res = app.call(Method::POST, &experts, Some(&leader), Some(chief.clone())).await;
    assert_problem(res, 403, "forbidden").await;
    let made = ok(app.call(Method::POST, &experts, Some(&admin), Some(chief.clone())).await, 201).await;
    assert_eq!(made["invitation_sent"], true, "a new address is invited");
    assert_eq!(made["expert"]["position"], "chief_expert");
    assert_problem(app.call(Method::POST, &experts, Some(&admin), Some(chief)).await, 409, "expert_already_registered")
        .await;

    app.user("expert.sh@skills.cn", &[]).await;
    let body =
        json!({"email": "expert.sh@skills.cn", "display_name": "SH expert", "skill_id": single, "delegation_id": sh});
    let made = ok(app.call(Method::POST, &experts, Some(&leader), Some(body)).await, 201).await;
    assert_eq!(made["invitation_sent"], false, "an existing account just gets the role");
    let expert = app.login("expert.sh@skills.cn", PASSWORD).await;
    let me = ok(app.get("/api/v1/me", &expert).await, 200).await;
    assert_eq!(me["roles"][0]["role"], "expert");
    assert_eq!(me["roles"][0]["delegation_id"], sh);
    let listed = ok(app.get(&experts, &leader).await, 200).await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "a team leader sees their own delegation's experts");

    // An entry of BJ in the anonymous skill: its expert sees it without identity.
    let entry = ok(
        app.call(
            Method::POST,
            &format!("/api/v1/events/{event}/entries"),
            Some(&admin),
            Some(json!({"skill_id": single, "delegation_id": bj})),
        )
        .await,
        201,
    )
    .await;
    let entry_id = entry["id"].as_str().unwrap();
    ok(
        app.call(
            Method::POST,
            &format!("/api/v1/entries/{entry_id}/competitors"),
            Some(&admin),
            Some(competitor("孙八", "2005-05-05", "110101200505055555")),
        )
        .await,
        201,
    )
    .await;
    let seen = ok(app.get(&format!("/api/v1/events/{event}/entries"), &expert).await, 200).await;
    assert_eq!(seen["total"], 1);
    assert!(seen["items"][0]["delegation_id"].is_null());
    assert_eq!(seen["items"][0]["competitors"], json!([]));
    let full = ok(app.get(&format!("/api/v1/entries/{entry_id}"), &admin).await, 200).await;
    assert_eq!(full["delegation_id"], bj);
    assert_eq!(full["competitors"][0]["name"], "孙八");
}

async fn workstations_are_drawn_reproducibly_and_redraws_need_a_reason(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let (event, _, single, sh, bj) = open_event(&app, &admin, "2027-05-01T00:00:00Z").await;
    let mut confirmed = Vec::new();
    for (i, delegation) in [&sh, &bj].into_iter().enumerate() {
        let entry = ok(
            app.call(
                Method::POST,
                &format!("/api/v1/events/{event}/entries"),
                Some(&admin),
                Some(json!({"skill_id": single, "delegation_id": delegation})),
            )
            .await,
            201,
        )
        .await;
        let id = entry["id"].as_str().unwrap().to_string();
        ok(
            app.call(
                Method::POST,
                &format!("/api/v1/entries/{id}/competitors"),
                Some(&admin),
                Some(competitor("选手", "2005-05-05", &format!("11010120050505000{i}"))),
            )
            .await,
            201,
        )
        .await;
        ok(
            app.call(
                Method::POST,
                &format!("/api/v1/entries/{id}/status"),
                Some(&admin),
                Some(json!({"status": "confirmed", "version": 1})),
            )
            .await,
            200,
        )
        .await;
        confirmed.push(id);
    }
    app.user("expert@skills.cn", &[grant(Role::Expert, Some(&single), Some(&sh))]).await;
    let expert = app.login("expert@skills.cn", PASSWORD).await;
    let draw_path = format!("/api/v1/skills/{single}/draw");
    assert_problem(app.call(Method::POST, &draw_path, Some(&expert), Some(json!({}))).await, 403, "forbidden").await;

    let draw = ok(app.call(Method::POST, &draw_path, Some(&admin), Some(json!({}))).await, 201).await;
    assert_eq!(draw["algorithm"], "chacha20-shuffle-v1");
    assert_eq!(draw["replay_matches"], true);
    let assignments = draw["assignments"].as_array().unwrap();
    assert_eq!(assignments.len(), 2);
    let seed: u64 = draw["seed"].as_str().unwrap().parse().unwrap();
    let replay = skillmark::domain::draw::draw(seed, &confirmed, 6).unwrap();
    for (entry_id, workstation) in replay {
        let entry = ok(app.get(&format!("/api/v1/entries/{entry_id}"), &admin).await, 200).await;
        assert_eq!(entry["workstation"], workstation, "the stored workstation is the seed's");
    }

    let res = app.call(Method::POST, &draw_path, Some(&admin), Some(json!({"reason": "  "}))).await;
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "reason");
    ok(
        app.call(Method::POST, &draw_path, Some(&admin), Some(json!({"reason": "workstation 3 has a broken vice"})))
            .await,
        201,
    )
    .await;
    let draws = ok(app.get(&format!("/api/v1/skills/{single}/draws"), &expert).await, 200).await;
    assert_eq!(draws.as_array().unwrap().len(), 2);
    assert_eq!(draws[0]["reason"], "workstation 3 has a broken vice");
    assert!(draws.as_array().unwrap().iter().all(|d| d["replay_matches"] == true));
    assert!(app.audit_actions().await.contains(&AuditAction::SkillWorkstationsRedrawn));
}

both_engines!(organisers_appoint_team_leaders_and_read_their_event_s_audit_log);

async fn organisers_appoint_team_leaders_and_read_their_event_s_audit_log(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let (event, skill, delegation) = crate::events::set_up_event(&app, &admin, "SH").await;
    let (other_event, _, other_delegation) = crate::events::set_up_event(&app, &admin, "TJ").await;
    app.user("organiser@skills.cn", &[grant(Role::Organiser, Some(&event), None)]).await;
    let organiser = app.login("organiser@skills.cn", PASSWORD).await;

    // A new address is invited as the delegation's team leader; an existing account gets the role.
    let res =
        appoint(&app, &delegation, json!({"email": "new.leader@skills.cn", "display_name": "王领队"}), &organiser)
            .await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["invitation_sent"], true);
    assert!(app.mails().iter().any(|m| m.contains("new.leader@skills.cn")), "the invitation went out");
    app.user("known@skills.cn", &[]).await;
    let res = appoint(&app, &delegation, json!({"email": "known@skills.cn", "display_name": "K"}), &organiser).await;
    assert_eq!(res.status(), 201);
    let known = app.login("known@skills.cn", PASSWORD).await;
    let entries = app.get(&format!("/api/v1/events/{event}/entries"), &known).await;
    assert_eq!(entries.status(), 200, "the new team leader works in the event");
    let res = appoint(&app, &delegation, json!({"email": "known@skills.cn", "display_name": "K"}), &organiser).await;
    assert_problem(res, 409, "role_already_granted").await;
    let res = appoint(&app, &other_delegation, json!({"email": "x@skills.cn", "display_name": "X"}), &organiser).await;
    assert_problem(res, 404, "not_found").await;
    let res = appoint(&app, &delegation, json!({"email": "y@skills.cn", "display_name": "Y"}), &known).await;
    assert_problem(res, 403, "forbidden").await;

    // Experts are listed with their names.
    let body =
        json!({"email": "judge@skills.cn", "display_name": "李裁判", "skill_id": skill, "delegation_id": delegation});
    let res = app.call(Method::POST, &format!("/api/v1/events/{event}/experts"), Some(&organiser), Some(body)).await;
    assert_eq!(res.json::<Value>().await.unwrap()["expert"]["display_name"], "李裁判");
    let listed: Value = app.get(&format!("/api/v1/events/{event}/experts"), &organiser).await.json().await.unwrap();
    assert_eq!(listed[0]["display_name"], "李裁判");

    // The audit log by event: the admin narrows to one event; an organiser sees only theirs.
    let page: Value =
        app.get(&format!("/api/v1/audit?event_id={event}&per_page=500"), &admin).await.json().await.unwrap();
    let items = page["items"].as_array().unwrap();
    assert!(items.iter().any(|e| e["action"] == "delegation.team_leader_appointed"));
    assert!(items.iter().all(|e| e["event_id"] == event.as_str()), "only the chosen event");
    let theirs: Value =
        app.get(&format!("/api/v1/audit?event_id={other_event}"), &organiser).await.json().await.unwrap();
    assert_eq!(theirs["total"], 0, "another event's log stays closed");
}

async fn appoint(app: &TestApp, delegation: &str, body: Value, token: &str) -> reqwest::Response {
    app.call(Method::POST, &format!("/api/v1/delegations/{delegation}/team-leaders"), Some(token), Some(body)).await
}
