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

both_engines!(
    a_programme_runs_from_the_national_selection_to_the_team,
    age_counts_in_the_target_year,
    squad_and_team_lists_hold_a_notice_period_with_disputes,
    verify_recomputes_every_confirmed_standing
);

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

    // SH's competitor, named before the results are ratified (the team list's PDF shows it).
    let rename = json!({"name": "欧阳娜娜", "gender": "女", "birth_date": "2005-05-05",
        "id_number": "110101200505050000", "version": 1});
    ok(
        app.call(Method::PUT, &format!("/api/v1/competitors/{}", e.competitors["SH"]), Some(&admin), Some(rename))
            .await,
        200,
    )
    .await;
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
    let bases = json!({"training_bases": {"01": "上海集训基地"}});
    let prog = add_final_stage(&app, &admin, &programme, "十进五 集训基地", bases).await;
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
    assert!(audit.contains(&AuditAction::SelectionAdvancementConfirmed), "{audit:?}");

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
    assert!(app.audit_actions().await.contains(&AuditAction::SelectionWithdrawn));

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
    let index = ok(app.call(Method::GET, "/api/v1/public/selection/programmes", None, None).await, 200).await;
    assert!(!index.to_string().contains(&programme), "nothing released to the public yet: {index}");
    let release = format!("/api/v1/selection/programmes/{programme}/team/release");
    ok(app.call(Method::POST, &release, Some(&admin), Some(json!({"audience": "public"}))).await, 200).await;
    ok(app.call(Method::GET, &public, None, None).await, 200).await;
    let narrower = app.call(Method::POST, &release, Some(&admin), Some(json!({"audience": "delegations"}))).await;
    assert_problem(narrower, 409, "audience_narrowing").await;
    let export = format!("/api/v1/selection/programmes/{programme}/team/export");
    let csv = app.get(&export, &admin).await;
    assert_eq!(csv.status(), 200);
    assert!(csv.text().await.unwrap().contains("欧阳娜娜"));
    team_pdf_names_the_team(&app, &admin, &export).await;
    assert_problem(app.get(&format!("{export}?format=doc"), &admin).await, 422, "validation_failed").await;
    released_lists_reach_the_leaders_and_the_public(&app, &admin, &e, &programme, &stage1).await;

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

/// A programme over an event with `codes`, its stage-1 skill ratified with `scores` (best first,
/// criterion A 30.00 each) and its cut set to `cut`: (event, programme id, stage-1 id, the skill's
/// rules path, the stage skill's version).
async fn programme_with_ratified_stage(
    app: &TestApp,
    admin: &str,
    codes: &[&str],
    scores: &[i32],
    cut: i32,
    extra: Value,
) -> (crate::builders::Event, String, String, String, i64) {
    let e = EventBuilder::new(app, admin).delegations(codes).entries(codes).build().await;
    let mut body = json!({"name": "选拔", "target_competition": "WorldSkills 2027", "target_year": 2027,
        "event_id": e.id});
    if let (Some(b), Some(x)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(x.clone());
    }
    let created = ok(app.call(Method::POST, "/api/v1/selection/programmes", Some(admin), Some(body)).await, 201).await;
    let programme = created["id"].as_str().unwrap().to_string();
    let stage1 = created["stages"][0]["id"].as_str().unwrap().to_string();
    let entries: Vec<String> = codes.iter().map(|c| e.entry(c).to_string()).collect();
    let ranked: Vec<(&str, i32, &str)> = entries.iter().zip(scores).map(|(en, s)| (en.as_str(), *s, "30.00")).collect();
    ratify(app, &e.id, &e.skill, &ranked).await;
    let base = format!("/api/v1/selection/stages/{stage1}/skills/{}", e.skill);
    let set = ok(app.call(Method::PUT, &base, Some(admin), Some(json!({"cut": cut, "version": 1}))).await, 200).await;
    let version = set["version"].as_i64().unwrap();
    (e, programme, stage1, base, version)
}

/// Adds the final stage to `programme`: its event `name`, held 2027-08-01, with `extra` fields (e.g.
/// the training bases). The programme as answered.
async fn add_final_stage(app: &TestApp, admin: &str, programme: &str, name: &str, extra: Value) -> Value {
    let mut body = json!({"event": {"name": name, "c1_date": "2027-08-01",
        "registration_deadline": "2027-07-01T00:00:00Z"}, "is_final": true});
    if let (Some(b), Some(x)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(x.clone());
    }
    let path = format!("/api/v1/selection/programmes/{programme}/stages");
    ok(app.call(Method::POST, &path, Some(admin), Some(body)).await, 201).await
}

async fn publish_results(app: &TestApp, admin: &str, event: &str, skill: &str) {
    let body = json!({"skills": [skill], "audience": "public"});
    let res = app.call(Method::POST, &format!("/api/v1/events/{event}/results/publish"), Some(admin), Some(body)).await;
    assert!(res.status().is_success(), "published: {}", res.status());
}

/// The list's state and which delegations' lines are under review.
fn announced(list: &Value) -> (String, Vec<String>) {
    let review = list["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["under_review"] == json!(true))
        .map(|l| l["delegation_code"].as_str().unwrap().to_string())
        .collect();
    (list["state"].as_str().unwrap().to_string(), review)
}

async fn squad_and_team_lists_hold_a_notice_period_with_disputes(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    // A 10-day notice (公示) for the programme's lists; results keep their default 7 days.
    let (e, programme, stage1, base, version) = programme_with_ratified_stage(
        &app,
        &admin,
        &["SH", "TJ", "BJ"],
        &[720, 710, 700],
        2,
        json!({"notice_days": 10}),
    )
    .await;
    app.user("leader.tj@skills.cn", &[grant(Role::TeamLeader, Some(e.delegation("TJ")), None)]).await;
    let prog = add_final_stage(&app, &admin, &programme, "二进一", json!({})).await;
    assert_eq!(prog["notice_days"], json!(10));
    let (stage2, event2) = (prog["stages"][1]["id"].as_str().unwrap(), prog["stages"][1]["event_id"].as_str().unwrap());
    let skill2 = prog["stages"][1]["skills"][0]["skill_id"].as_str().unwrap().to_string();
    publish_results(&app, &admin, &e.id, &e.skill).await;
    let confirmed = ok(
        app.call(Method::POST, &format!("{base}/confirm"), Some(&admin), Some(json!({"version": version}))).await,
        200,
    )
    .await;
    let carried = |code: &str| -> String {
        let line = confirmed["lines"].as_array().unwrap().iter().find(|l| l["delegation_code"] == json!(code));
        line.unwrap()["next_entry_id"].as_str().unwrap().to_string()
    };
    let (sh2, tj2) = (carried("SH"), carried("TJ"));
    ratify(&app, event2, &skill2, &[(&tj2, 702, "30.00"), (&sh2, 701, "30.00")]).await;
    publish_results(&app, &admin, event2, &skill2).await;
    let base2 = format!("/api/v1/selection/stages/{stage2}/skills/{skill2}");
    ok(app.call(Method::PUT, &base2, Some(&admin), Some(json!({"cut": 1, "version": 1}))).await, 200).await;
    ok(app.call(Method::POST, &format!("{base2}/confirm"), Some(&admin), Some(json!({"version": 2}))).await, 200).await;

    // The squad list: announced to the public, its notice period running for 10 days.
    let squad = format!("/api/v1/selection/stages/{stage1}/squad");
    let list = ok(app.get(&squad, &admin).await, 200).await;
    assert_eq!((list["state"].as_str(), list["notice_ends"].as_str()), (Some("not_announced"), None));
    let release = format!("/api/v1/selection/stages/{stage1}/release");
    ok(app.call(Method::POST, &release, Some(&admin), Some(json!({"audience": "delegations"}))).await, 200).await;
    let list = ok(app.call(Method::POST, &release, Some(&admin), Some(json!({"audience": "public"}))).await, 200).await;
    assert_eq!(list["state"], json!("announced"), "{list}");
    let (from, to) = (list["announced_at"].as_str().unwrap(), list["notice_ends"].as_str().unwrap());
    let days = chrono::DateTime::parse_from_rfc3339(to).unwrap() - chrono::DateTime::parse_from_rfc3339(from).unwrap();
    assert_eq!(days.num_days(), 10);

    // Eight days on, the results' own notice (7 days) is over but the squad list's is not: TJ's
    // team leader disputes TJ's stage-1 result, and the skill's squad line is under review.
    app.advance(std::time::Duration::from_secs(8 * 86_400));
    // Tokens do not outlive the days the clock moves on: sign in again.
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let leader = app.login("leader.tj@skills.cn", PASSWORD).await;
    let dispute = |entry: String, leader: String| {
        let app = &app;
        async move {
            let body = json!({"reason": "复核 stage result"});
            app.call(Method::POST, &format!("/api/v1/entries/{entry}/disputes"), Some(&leader), Some(body)).await
        }
    };
    let d1 = ok(dispute(e.entry("TJ").to_string(), leader.clone()).await, 201).await;
    let public_squad = format!("/api/v1/public/selection/stages/{stage1}/squad");
    let list = ok(app.call(Method::GET, &public_squad, None, None).await, 200).await;
    assert_eq!(announced(&list), ("under_review".into(), vec!["SH".into(), "TJ".into()]), "{list}");
    // The stage-2 result is past its notice and its team list not announced: no dispute.
    assert_problem(dispute(tj2.clone(), leader.clone()).await, 409, "notice_period_over").await;
    let resolve = |id: &Value| format!("/api/v1/disputes/{}/resolve", id.as_str().unwrap());
    let rejected = json!({"outcome": "rejected", "note": "复核无误"});
    ok(app.call(Method::POST, &resolve(&d1["id"]), Some(&admin), Some(rejected.clone())).await, 200).await;
    let list = ok(app.call(Method::GET, &public_squad, None, None).await, 200).await;
    assert_eq!(announced(&list), ("announced".into(), vec![]));

    // The team list announced: disputes about the final stage's result open again, and the team
    // is not final while one is open, even after its notice period.
    let team_release = format!("/api/v1/selection/programmes/{programme}/team/release");
    let team =
        ok(app.call(Method::POST, &team_release, Some(&admin), Some(json!({"audience": "public"}))).await, 200).await;
    assert_eq!(team["state"], json!("announced"));
    let d2 = ok(dispute(tj2.clone(), leader.clone()).await, 201).await;
    let public_team = format!("/api/v1/public/selection/programmes/{programme}/team");
    let team = ok(app.call(Method::GET, &public_team, None, None).await, 200).await;
    assert_eq!(announced(&team), ("under_review".into(), vec!["TJ".into(), "SH".into()]), "{team}");
    app.advance(std::time::Duration::from_secs(11 * 86_400));
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let leader = app.login("leader.tj@skills.cn", PASSWORD).await;
    let list = ok(app.call(Method::GET, &public_squad, None, None).await, 200).await;
    assert_eq!(announced(&list), ("final".into(), vec![]), "the squad's notice is over");
    assert_problem(dispute(e.entry("SH").to_string(), leader.clone()).await, 404, "not_found").await;
    assert_problem(dispute(e.entry("TJ").to_string(), leader.clone()).await, 409, "notice_period_over").await;
    let team = ok(app.call(Method::GET, &public_team, None, None).await, 200).await;
    assert_eq!(team["state"], json!("under_review"), "not final while a dispute is open: {team}");
    ok(app.call(Method::POST, &resolve(&d2["id"]), Some(&admin), Some(rejected)).await, 200).await;
    let team = ok(app.call(Method::GET, &public_team, None, None).await, 200).await;
    assert_eq!(announced(&team), ("final".into(), vec![]));
}

async fn verify_recomputes_every_confirmed_standing(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let codes = ["SH", "TJ", "BJ", "GD"];
    let (e, _, _, base, version) =
        programme_with_ratified_stage(&app, &admin, &codes, &[720, 710, 700, 690], 2, json!({})).await;
    ok(app.call(Method::POST, &format!("{base}/confirm"), Some(&admin), Some(json!({"version": version}))).await, 200)
        .await;
    // TJ withdraws and BJ moves up: verify replays that too.
    let withdraw = json!({"entry_id": e.entry("TJ"), "reason": "伤病 injury"});
    ok(app.call(Method::POST, &format!("{base}/withdraw"), Some(&admin), Some(withdraw)).await, 200).await;
    let selection_problems = || async {
        let report = app.state.db(skillmark::service::verify::verify).await.unwrap();
        assert_eq!(report.standings_checked, 1);
        report.problems.into_iter().filter(|p| p.starts_with("selection")).collect::<Vec<_>>()
    };
    assert_eq!(selection_problems().await, Vec::<String>::new());

    // Someone edits the stored standing of SH and drops BJ's move-up behind the system's back.
    let (sh, bj) = (e.entry("SH").to_string(), e.entry("BJ").to_string());
    let (sh2, bj2) = (sh.clone(), bj.clone());
    app.state
        .db(move |conn| {
            use diesel::prelude::*;
            use skillmark::db::schema::selection_advancements as a;
            diesel::update(a::table.filter(a::entry_id.eq(&sh2)))
                .set(a::standing.eq(a::standing + 100))
                .execute(conn)?;
            diesel::update(a::table.filter(a::entry_id.eq(&bj2))).set(a::advanced.eq(false)).execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
    let problems = selection_problems().await;
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems.iter().any(|p| p.contains(&sh) && p.contains("standing 720.00") && p.contains("720.01")),
        "{problems:?}"
    );
    assert!(problems.iter().any(|p| p.contains(&bj) && p.contains("advanced true (moved up)")), "{problems:?}");
}

/// The printable team list: a PDF whose text holds the title, the places and the Chinese name.
async fn team_pdf_names_the_team(app: &TestApp, admin: &str, export: &str) {
    let res = app.get(&format!("{export}?format=pdf"), admin).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let pdf = lopdf::Document::load_mem(&bytes).expect("a readable PDF");
    let text = pdf.extract_text(&[1]).unwrap();
    for expected in
        ["第46届世界技能大赛中国集训队选拔", "国家队名单", "WorldSkills 2027", "欧阳娜娜", "正式选手", "替补", "审核人"]
    {
        assert!(text.contains(expected), "{expected} missing from the team PDF: {text}");
    }
}

/// The lists released to a caller: the stage-1 squad released to the delegations reaches a team
/// leader of the programme's event but not the public index; the public team list reaches both.
async fn released_lists_reach_the_leaders_and_the_public(
    app: &TestApp,
    admin: &str,
    e: &crate::builders::Event,
    programme: &str,
    stage1: &str,
) {
    let index = async |who: Option<&str>| -> Value {
        let path = if who.is_some() { "/api/v1/selection/released" } else { "/api/v1/public/selection/programmes" };
        let list = ok(app.call(Method::GET, path, who, None).await, 200).await;
        list.as_array().unwrap().iter().find(|p| p["programme_id"] == json!(programme)).cloned().unwrap_or(Value::Null)
    };
    let release = format!("/api/v1/selection/stages/{stage1}/release");
    ok(app.call(Method::POST, &release, Some(admin), Some(json!({"audience": "delegations"}))).await, 200).await;
    app.user("leader.tj@skills.cn", &[grant(Role::TeamLeader, Some(e.delegation("TJ")), None)]).await;
    let leader = app.login("leader.tj@skills.cn", PASSWORD).await;
    let mine = index(Some(&leader)).await;
    assert_eq!(mine["stages"][0]["stage_id"], json!(stage1), "released to the delegations: {mine}");
    assert_eq!(mine["team_audience"], json!("public"));
    assert!(mine["event_ids"].as_array().unwrap().contains(&json!(e.id)));
    let squad = ok(app.get(&format!("/api/v1/selection/stages/{stage1}/squad"), &leader).await, 200).await;
    assert!(!squad["lines"].as_array().unwrap().is_empty());
    let public = index(None).await;
    assert_eq!(public["stages"], json!([]), "the squad list is not public yet: {public}");
    assert_eq!(public["team_audience"], json!("public"));
    ok(app.call(Method::POST, &release, Some(admin), Some(json!({"audience": "public"}))).await, 200).await;
    assert_eq!(index(None).await["stages"][0]["audience"], json!("public"));
}
