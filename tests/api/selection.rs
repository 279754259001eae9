//! The selection programme (选拔 → 集训 → 国家队) over HTTP on both engines: nothing advances
//! before the stage is ratified, ties at the cut (all tied advance, or a tie-break by a
//! criterion), confirmation carrying competitors into the next stage, a withdrawal with the
//! move-up, weights 30/70 changing who is picked, age against the target year, the national team
//! and its staged release, and who may see a competitor's path.
//!
//! Ratification is written straight into `skill_results` (a ratified snapshot with the scores
//! the test wants): marking and ratifying through the API is covered in `results.rs`; here only
//! the ranking matters.

use reqwest::Method;
use serde_json::{json, Value};
use skillmark::domain::role::Role;

use skillmark::domain::audit::AuditAction;

use crate::both_engines;
use crate::builders::EventBuilder;
use crate::helpers::{assert_problem, grant, TestApp, PASSWORD};
use crate::marking::ok;

both_engines!(a_programme_runs_from_the_national_selection_to_the_team, age_counts_in_the_target_year);

/// Writes a ratified result of `skill` with each entry's scale score and criterion A mark.
async fn ratify(app: &TestApp, event: &str, skill: &str, scores: &[(&str, i32, &str)]) {
    let entries: Vec<Value> = scores
        .iter()
        .enumerate()
        .map(|(i, (entry, score, a))| {
            json!({"entry_id": entry, "code": null, "delegation_id": "", "delegation_code": format!("D{i}"),
                "delegation_name_zh": "", "delegation_name_en": "", "competitors": ["选手"], "workstation": null,
                "raw": "70.00", "score": score, "rank": i + 1, "award": null, "squad": false,
                "criteria": [{"id": "A", "mark": a}], "sub_criteria": [], "complete": true})
        })
        .collect();
    let snapshot = json!({"skill_id": skill, "event_id": event, "skill_number": "01", "skill_name_zh": "技能",
        "skill_name_en": "Skill", "team": false, "entries": entries})
    .to_string();
    let (event, skill) = (event.to_string(), skill.to_string());
    app.state
        .db(move |conn| {
            use diesel::prelude::*;
            use skillmark::db::schema::skill_results as r;
            let at = skillmark::db::models::now();
            diesel::insert_into(r::table)
                .values((
                    r::skill_id.eq(&skill),
                    r::event_id.eq(&event),
                    r::state.eq("ratified"),
                    r::ratified_snapshot.eq(Some(snapshot.clone())),
                    r::ratified_at.eq(Some(at)),
                    r::audience.eq("none"),
                    r::ceremony_step.eq(0),
                    r::version.eq(1),
                    r::updated_at.eq(at),
                ))
                .execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
}

fn advancing(standing: &Value) -> Vec<String> {
    standing["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["advances"] == json!(true))
        .map(|l| l["delegation_code"].as_str().unwrap().to_string())
        .collect()
}

async fn a_programme_runs_from_the_national_selection_to_the_team(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let codes = ["SH", "TJ", "BJ", "GD", "CQ", "ZJ"];
    let e = EventBuilder::new(&app, &admin).delegations(&codes).entries(&codes).build().await;
    let created = ok(
        app.call(
            Method::POST,
            "/api/v1/selection/programmes",
            Some(&admin),
            Some(json!({"name": "第46届世界技能大赛中国集训队选拔", "target_competition": "WorldSkills 2027",
                "target_year": 2027, "event_id": e.id})),
        )
        .await,
        201,
    )
    .await;
    let programme = created["id"].as_str().unwrap().to_string();
    let stage1 = created["stages"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(created["stages"][0]["skills"][0]["cut"], json!(10), "the national selection sends ten");
    let base = format!("/api/v1/selection/stages/{stage1}/skills/{}", e.skill);

    // Nothing advances before the stage is ratified.
    assert_problem(app.get(&format!("{base}/proposal"), &admin).await, 409, "not_ratified").await;
    let confirm = app.call(Method::POST, &format!("{base}/confirm"), Some(&admin), Some(json!({"version": 1}))).await;
    assert_problem(confirm, 409, "not_ratified").await;

    // BJ and GD tie at the cut of 3; GD is better in criterion A.
    let entry = |c: &str| e.entry(c).to_string();
    let scores = [
        (entry("SH"), 720, "30.00"),
        (entry("TJ"), 710, "30.00"),
        (entry("BJ"), 700, "30.00"),
        (entry("GD"), 700, "35.00"),
        (entry("CQ"), 690, "30.00"),
        (entry("ZJ"), 680, "30.00"),
    ];
    let scores: Vec<(&str, i32, &str)> = scores.iter().map(|(a, b, c)| (a.as_str(), *b, *c)).collect();
    ratify(&app, &e.id, &e.skill, &scores).await;
    // Delegation codes in the proposal come from the event's delegations.
    let set = |cut: i32, rule: Value, version: i32| json!({"cut": cut, "tie_rule": rule, "version": version});
    ok(app.call(Method::PUT, &base, Some(&admin), Some(set(3, json!({"rule": "all_tied_advance"}), 1))).await, 200)
        .await;
    let p = ok(app.get(&format!("{base}/proposal"), &admin).await, 200).await;
    assert_eq!(advancing(&p), ["SH", "TJ", "BJ", "GD"], "all tied at the cut advance: {p}");
    let tied: Vec<bool> = p["lines"].as_array().unwrap().iter().map(|l| l["tied_at_cut"] == json!(true)).collect();
    assert_eq!(tied, [false, false, true, true, false, false]);
    let rule = json!({"rule": "higher_in_criterion", "criterion": "A"});
    let s = ok(app.call(Method::PUT, &base, Some(&admin), Some(set(3, rule, 2))).await, 200).await;
    let p = ok(app.get(&format!("{base}/proposal"), &admin).await, 200).await;
    assert_eq!(advancing(&p), ["SH", "TJ", "GD"], "the tie-break by criterion A: {p}");

    // The final stage (2 → 1) exists before stage 1 is confirmed; confirmation carries over.
    let stage_body = json!({"event": {"name": "十进五 集训基地", "c1_date": "2027-08-01",
        "registration_deadline": "2027-07-01T00:00:00Z"}, "training_bases": {"01": "上海集训基地"}, "is_final": true});
    let prog = ok(
        app.call(
            Method::POST,
            &format!("/api/v1/selection/programmes/{programme}/stages"),
            Some(&admin),
            Some(stage_body),
        )
        .await,
        201,
    )
    .await;
    let stage2 = prog["stages"][1]["id"].as_str().unwrap().to_string();
    let event2 = prog["stages"][1]["event_id"].as_str().unwrap().to_string();
    let skill2 = prog["stages"][1]["skills"][0]["skill_id"].as_str().unwrap().to_string();
    assert_eq!(prog["stages"][1]["skills"][0]["training_base"], json!("上海集训基地"));
    assert_eq!(prog["stages"][1]["skills"][0]["cut"], json!(5));
    let confirmed = ok(
        app.call(Method::POST, &format!("{base}/confirm"), Some(&admin), Some(json!({"version": s["version"]}))).await,
        200,
    )
    .await;
    assert!(confirmed["confirmed"].as_bool().unwrap());
    let again = app.call(Method::POST, &format!("{base}/confirm"), Some(&admin), Some(json!({"version": 3}))).await;
    assert_problem(again, 409, "advancement_confirmed").await;
    let next_of = |standing: &Value, code: &str| -> Option<String> {
        standing["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["delegation_code"] == json!(code))
            .and_then(|l| l["next_entry_id"].as_str().map(str::to_string))
    };
    let sh2 = next_of(&confirmed, "SH").expect("SH carried into stage 2");
    assert!(next_of(&confirmed, "BJ").is_none());
    // The same person and delegation in the stage-2 event.
    let carried = ok(app.get(&format!("/api/v1/entries/{sh2}"), &admin).await, 200).await;
    assert_eq!(carried["event_id"], json!(event2));
    let audit = app.audit_actions().await;
    assert!(audit.iter().any(|a| *a == AuditAction::SelectionAdvancementConfirmed), "{audit:?}");

    // TJ withdraws (injury): BJ, next-ranked, moves up and is carried over.
    let withdraw = json!({"entry_id": entry("TJ"), "reason": "伤病 injury"});
    let after =
        ok(app.call(Method::POST, &format!("{base}/withdraw"), Some(&admin), Some(withdraw.clone())).await, 200).await;
    assert_eq!(advancing(&after), ["SH", "BJ", "GD"], "{after}");
    let bj = after["lines"].as_array().unwrap().iter().find(|l| l["delegation_code"] == json!("BJ")).unwrap();
    assert_eq!(bj["moved_up"], json!(true));
    let bj2 = next_of(&after, "BJ").expect("BJ carried into stage 2");
    let gd2 = next_of(&after, "GD").unwrap();
    assert_problem(
        app.call(Method::POST, &format!("{base}/withdraw"), Some(&admin), Some(withdraw)).await,
        409,
        "already_withdrawn",
    )
    .await;
    assert!(app.audit_actions().await.iter().any(|a| *a == AuditAction::SelectionWithdrawn));

    // Stage 2, cut 1: this stage only picks BJ (702); 30/70 with stage 1 picks SH (0.3·720 + 0.7·701).
    let base2 = format!("/api/v1/selection/stages/{stage2}/skills/{skill2}");
    ratify(&app, &event2, &skill2, &[(&sh2, 701, "30.00"), (&gd2, 700, "30.00"), (&bj2, 702, "30.00")]).await;
    ok(app.call(Method::PUT, &base2, Some(&admin), Some(json!({"cut": 1, "version": 1}))).await, 200).await;
    let p = ok(app.get(&format!("{base2}/proposal"), &admin).await, 200).await;
    assert_eq!(advancing(&p), ["BJ"], "this stage only: {p}");
    let weighted = json!({"cut": 1, "weights": [30, 70], "version": 2});
    ok(app.call(Method::PUT, &base2, Some(&admin), Some(weighted)).await, 200).await;
    let p = ok(app.get(&format!("{base2}/proposal"), &admin).await, 200).await;
    assert_eq!(advancing(&p), ["SH"], "30/70: {p}");
    assert_eq!(p["lines"][0]["standing"], json!("706.70"));
    assert_eq!(p["lines"][0]["breakdown"].as_array().unwrap().len(), 2, "stage by stage");
    ok(app.call(Method::POST, &format!("{base2}/confirm"), Some(&admin), Some(json!({"version": 3}))).await, 200).await;

    // The national team: member and alternate; public only once released.
    let team = ok(app.get(&format!("/api/v1/selection/programmes/{programme}/team"), &admin).await, 200).await;
    let places: Vec<(&str, &str)> = team["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["place"].as_str().unwrap(), l["entry_id"].as_str().unwrap()))
        .collect();
    assert_eq!(places, [("member", sh2.as_str()), ("alternate", bj2.as_str())]);
    let public = format!("/api/v1/public/selection/programmes/{programme}/team");
    assert_eq!(app.call(Method::GET, &public, None, None).await.status(), 404);
    let release = format!("/api/v1/selection/programmes/{programme}/team/release");
    ok(app.call(Method::POST, &release, Some(&admin), Some(json!({"audience": "public"}))).await, 200).await;
    ok(app.call(Method::GET, &public, None, None).await, 200).await;
    let narrower = app.call(Method::POST, &release, Some(&admin), Some(json!({"audience": "delegations"}))).await;
    assert_problem(narrower, 409, "audience_narrowing").await;
    let csv = app.get(&format!("/api/v1/selection/programmes/{programme}/team/export"), &admin).await;
    assert_eq!(csv.status(), 200);
    assert!(csv.text().await.unwrap().contains("选手"));

    // The path: the competitor's team leader sees it; another delegation's leader does not.
    app.user("leader.sh@skills.cn", &[grant(Role::TeamLeader, Some(e.delegation("SH")), None)]).await;
    app.user("leader.cq@skills.cn", &[grant(Role::TeamLeader, Some(e.delegation("CQ")), None)]).await;
    let sh_leader = app.login("leader.sh@skills.cn", PASSWORD).await;
    let cq_leader = app.login("leader.cq@skills.cn", PASSWORD).await;
    let path = ok(app.get(&format!("/api/v1/entries/{}/selection-path", entry("SH")), &sh_leader).await, 200).await;
    let steps = path["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(
        (steps[0]["rank"].as_u64(), steps[0]["cut"].as_i64(), steps[0]["advanced"].as_bool()),
        (Some(1), Some(3), Some(true))
    );
    assert_eq!(path["team_place"], json!("member"));
    let other = app.get(&format!("/api/v1/entries/{}/selection-path", entry("SH")), &cq_leader).await;
    assert!([403, 404].contains(&other.status().as_u16()), "{}", other.status());
    let organiser_only = app.get(&format!("{base}/proposal"), &sh_leader).await;
    assert!([403, 404].contains(&organiser_only.status().as_u16()));
}

async fn age_counts_in_the_target_year(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    // Everyone is born 2005-05-05: 22 in 2027 (the limit), 23 in 2028.
    let e = EventBuilder::new(&app, &admin).delegations(&["SH", "TJ", "BJ"]).entries(&["SH", "TJ", "BJ"]).build().await;
    let body = json!({"name": "P", "target_competition": "WorldSkills 2028", "target_year": 2028, "event_id": e.id});
    let created = ok(app.call(Method::POST, "/api/v1/selection/programmes", Some(&admin), Some(body)).await, 201).await;
    let stage1 = created["stages"][0]["id"].as_str().unwrap();
    let scores = [(e.entry("SH"), 720, "1.00"), (e.entry("TJ"), 710, "1.00"), (e.entry("BJ"), 700, "1.00")];
    ratify(&app, &e.id, &e.skill, &scores).await;
    let p =
        ok(app.get(&format!("/api/v1/selection/stages/{stage1}/skills/{}/proposal", e.skill), &admin).await, 200).await;
    assert!(advancing(&p).is_empty(), "too old in the target year: {p}");
    assert!(p["lines"][0]["ineligible"].as_str().unwrap().contains("2028"), "{p}");
}
