//! The results rules at their edges, driven through the API as the roles would: tie groups within
//! a tolerance (1, 1, 3 and the medals that follow), 优胜奖 in national mode, the medal table's
//! order with medallions, "under review" lasting until the re-release, and public reads after a
//! release never serving the document from before it (on any instance).

use reqwest::Method;
use serde_json::{json, Value};
use skillmark::domain::role::Role;

use crate::both_engines;
use crate::builders::EventBuilder;
use crate::helpers::{grant, postgres_available, Engine, TestApp, PASSWORD};
use crate::marking::ok;

/// One skill whose entries are marked with one deduction aspect (max 100.00, 0.01 per
/// deduction), so each entry's raw score is exactly what the test says.
struct Field {
    event: String,
    skill: String,
    admin: String,
    chief: String,
    marker: String,
    /// (delegation code, entry id, delegation id), in the order given.
    entries: Vec<(String, String, String)>,
}

impl Field {
    fn entry(&self, code: &str) -> &str {
        &self.entries.iter().find(|(c, _, _)| c == code).unwrap().1
    }

    fn delegation(&self, code: &str) -> &str {
        &self.entries.iter().find(|(c, _, _)| c == code).unwrap().2
    }
}

/// An event with `rules`, skill 01 and one confirmed entry per `(code, raw hundredths)`, all
/// marked and locked (not ratified). The marker and the chief expert come from delegation EX.
async fn field(app: &TestApp, rules: Value, raw: &[(&str, i32)]) -> Field {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let codes: Vec<&str> = raw.iter().map(|(c, _)| *c).collect();
    let scheme = json!({"criteria": [{"id": "A", "name": "Work", "sub_criteria": [{"id": "A1", "name": "Result", "aspects": [
        {"description": "Faults", "max": 10000, "day": 1, "type": "measurement", "measurement": {"kind": "deduction", "step": 1}}
    ]}]}]});
    let e = EventBuilder::new(app, &admin)
        .name("National selection")
        .result_rules(rules)
        .delegations(&codes)
        .delegations(&["EX"])
        .entries(&codes)
        .expert("marker@skills.cn", "EX", "expert")
        .expert("chief@skills.cn", "EX", "chief_expert")
        .scheme(scheme, true)
        .build()
        .await;
    let chief = app.login("chief@skills.cn", PASSWORD).await;
    let marker = app.login("marker@skills.cn", PASSWORD).await;
    let group = json!({"name": "All", "members": [e.expert("marker@skills.cn")], "sub_criteria": ["A1"]});
    ok(app.call(Method::POST, &format!("/api/v1/skills/{}/groups", e.skill), Some(&chief), Some(group)).await, 201)
        .await;
    let entries = codes.iter().map(|c| (c.to_string(), e.entry(c).to_string(), e.delegation(c).to_string())).collect();
    let field = Field { event: e.id, skill: e.skill, admin, chief, marker, entries };
    for ((code, id, _), (_, hundredths)) in field.entries.iter().zip(raw) {
        mark(app, &field, id, 10_000 - hundredths, &format!("{code}-first"), None).await;
        lock(app, &field, id).await;
    }
    field
}

async fn mark(app: &TestApp, f: &Field, entry: &str, deductions: i32, client_id: &str, version: Option<i64>) {
    let mut m = json!({"client_id": client_id, "aspect": "A1.1", "deductions": deductions});
    if let Some(v) = version {
        m["version"] = json!(v);
    }
    let path = format!("/api/v1/entries/{entry}/marks");
    let body = ok(app.call(Method::POST, &path, Some(&f.marker), Some(json!({"marks": [m]}))).await, 200).await;
    assert_eq!(body["results"][0]["outcome"], "saved", "{body}");
}

async fn lock(app: &TestApp, f: &Field, entry: &str) {
    let path = format!("/api/v1/entries/{entry}/locks");
    ok(app.call(Method::POST, &path, Some(&f.chief), Some(json!({"sub_criterion": "A1"}))).await, 201).await;
}

async fn ratify(app: &TestApp, f: &Field) {
    let path = format!("/api/v1/skills/{}/results/ratify", f.skill);
    ok(app.call(Method::POST, &path, Some(&f.chief), None).await, 200).await;
}

async fn publish(app: &TestApp, f: &Field, audience: &str) -> Value {
    let path = format!("/api/v1/events/{}/results/publish", f.event);
    ok(app.call(Method::POST, &path, Some(&f.admin), Some(json!({"audience": audience}))).await, 200).await
}

async fn public(app: &TestApp, f: &Field, what: &str) -> Value {
    ok(app.call(Method::GET, &format!("/api/v1/public/events/{}/{what}", f.event), None, None).await, 200).await
}

/// (delegation code, rank, award, score) of each line, best first.
fn placings(lines: &Value) -> Vec<(String, u64, String, i64)> {
    lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["delegation_code"].as_str().unwrap().to_string(),
                l["rank"].as_u64().unwrap(),
                l["award"].as_str().unwrap_or("").to_string(),
                l["score"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn rules(tolerance: i32, mode: &str, scale: Value) -> Value {
    json!({"scale": scale, "tie_tolerance": tolerance, "awards": {"medallion_threshold": 700, "mode": mode},
        "squad_individuals": 0, "squad_teams": 0, "notice_days": 7})
}

fn worldskills_scale() -> Value {
    json!({"centre": 700.0, "points": 30.0, "mad_factor": 1.4826})
}

both_engines!(ties_within_the_tolerance_share_a_rank_and_the_next_rank_skips);

async fn ties_within_the_tolerance_share_a_rank_and_the_next_rank_skips(app: TestApp) {
    // Raw 85, 84, 83, 60, 50: median 83, MAD 2; centre 745 and 6 points per unit (factor 1) put
    // them at 751, 748, 745, 676, 646. With tolerance 4, 751 and 748 tie; 745 is within 4 of
    // 748 but not of 751, the group's best entry: it starts the next group, at rank 3.
    let scale = json!({"centre": 745.0, "points": 6.0, "mad_factor": 1.0});
    let raw = [("SH", 8500), ("TJ", 8400), ("GD", 8300), ("CQ", 6000), ("HN", 5000)];
    let f = field(&app, rules(4, "worldskills", scale), &raw).await;
    let want = |code: &str, rank: u64, award: &str, score: i64| (code.to_string(), rank, award.to_string(), score);
    let expected = vec![
        want("SH", 1, "gold", 751),
        want("TJ", 1, "gold", 748),
        want("GD", 3, "bronze", 745),
        want("CQ", 4, "", 676),
        want("HN", 5, "", 646),
    ];
    let draft = ok(app.get(&format!("/api/v1/skills/{}/results", f.skill), &f.admin).await, 200).await;
    assert_eq!(placings(&draft["entries"]), expected, "the organiser's draft");
    ratify(&app, &f).await;
    publish(&app, &f, "public").await;
    let published = ok(app.get(&format!("/api/v1/skills/{}/results/published", f.skill), &f.admin).await, 200).await;
    assert_eq!(placings(&published["entries"]), expected, "the published view");
    let results = public(&app, &f, "results").await;
    assert_eq!(placings(&results["skills"][0]["entries"]), expected, "the public results");
    let own = ok(app.get(&format!("/api/v1/entries/{}/result", f.entry("GD")), &f.admin).await, 200).await;
    assert_eq!((own["result"]["rank"].as_u64(), own["result"]["award"].as_str()), (Some(3), Some("bronze")));
    let tables = public(&app, &f, "tables").await;
    let line = |table: &str, code: &str| {
        tables[table].as_array().unwrap().iter().find(|l| l["delegation_code"] == code).unwrap().clone()
    };
    assert_eq!(
        tables["medal_table"].as_array().unwrap().iter().map(|l| l["silver"].as_u64().unwrap()).sum::<u64>(),
        0,
        "no silver"
    );
    assert_eq!(
        (line("medal_table", "GD")["bronze"].as_u64(), line("delegation_table", "GD")["points"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(line("delegation_table", "TJ")["points"], 4, "a shared gold is worth 4");
    let report = app.state.db(skillmark::service::verify::verify).await.unwrap();
    assert!(report.problems.is_empty() && report.skills_checked == 1, "{:?}", report.problems);
}

both_engines!(national_mode_gives_the_top_half_outside_the_medals_the_excellence_award);

async fn national_mode_gives_the_top_half_outside_the_medals_the_excellence_award(app: TestApp) {
    // Eight participants: the top half is ranks 1–4. The 4th and 5th tie at 75.00 (both 700 on
    // the scale, both rank 4): the tie straddles the half and both are in it. In national mode
    // 700 earns no medallion.
    let raw = [
        ("BJ", 9000),
        ("SH", 8500),
        ("TJ", 8000),
        ("GD", 7500),
        ("CQ", 7500),
        ("HN", 6500),
        ("JS", 6000),
        ("ZJ", 5500),
    ];
    let f = field(&app, rules(0, "national", worldskills_scale()), &raw).await;
    ratify(&app, &f).await;
    publish(&app, &f, "public").await;
    let results = public(&app, &f, "results").await;
    let got: Vec<(String, u64, String)> =
        placings(&results["skills"][0]["entries"]).into_iter().map(|(c, r, a, _)| (c, r, a)).collect();
    let want: Vec<(String, u64, String)> = [
        ("BJ", 1, "gold"),
        ("SH", 2, "silver"),
        ("TJ", 3, "bronze"),
        ("CQ", 4, "excellence_award"),
        ("GD", 4, "excellence_award"),
        ("HN", 6, ""),
        ("JS", 7, ""),
        ("ZJ", 8, ""),
    ]
    .into_iter()
    .map(|(c, r, a)| (c.to_string(), r, a.to_string()))
    .collect();
    assert_eq!(got, want);
    let doc = ok(app.get(&format!("/api/v1/events/{}/result-rules", f.event), &f.admin).await, 200).await;
    assert_eq!(doc["rules"]["awards"]["mode"], "national");
    let tables = public(&app, &f, "tables").await;
    let gd = tables["delegation_table"].as_array().unwrap().iter().find(|l| l["delegation_code"] == "GD").unwrap();
    assert_eq!(
        (gd["excellence_awards"].as_u64(), gd["medallions"].as_u64(), gd["points"].as_u64()),
        (Some(1), Some(0), Some(1)),
        "优胜奖 takes the medallion's place and its 1 point"
    );
    let codes: Vec<&str> =
        tables["medal_table"].as_array().unwrap().iter().map(|l| l["delegation_code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["BJ", "SH", "TJ", "CQ", "GD", "HN", "JS", "ZJ"], "优胜奖 before nothing");
    // Rules saved before the mode had a name (`excellence_award: true`) still read as national.
    let legacy = f.event.clone();
    app.state
        .db(move |conn| {
            use diesel::prelude::*;
            use skillmark::db::schema::result_rules::dsl::*;
            let old = r#"{"scale":{"centre":700.0,"points":30.0,"mad_factor":1.4826},"tie_tolerance":0,"awards":{"medallion_threshold":700,"excellence_award":true},"squad_individuals":0,"squad_teams":0,"notice_days":7}"#;
            diesel::update(result_rules.find(&legacy)).set(document.eq(old)).execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
    let doc = ok(app.get(&format!("/api/v1/events/{}/result-rules", f.event), &f.admin).await, 200).await;
    assert_eq!(doc["rules"]["awards"], json!({"medallion_threshold": 700, "mode": "national"}));
    let report = app.state.db(skillmark::service::verify::verify).await.unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

both_engines!(the_medal_table_counts_medallions_after_bronze);

async fn the_medal_table_counts_medallions_after_bronze(app: TestApp) {
    // Seven participants on the WorldSkills scale: COMAC's 75.00 is the median (700), a
    // medallion; AVIC, CNPC and GD are below 700 with nothing.
    let raw = [("BJ", 9000), ("SH", 8500), ("TJ", 8000), ("COMAC", 7500), ("AVIC", 6000), ("CNPC", 5500), ("GD", 5000)];
    let f = field(&app, rules(0, "worldskills", worldskills_scale()), &raw).await;
    ratify(&app, &f).await;
    publish(&app, &f, "public").await;
    let tables = public(&app, &f, "tables").await;
    let codes = |table: &str| -> Vec<String> {
        tables[table].as_array().unwrap().iter().map(|l| l["delegation_code"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(codes("medal_table"), ["BJ", "SH", "TJ", "COMAC", "AVIC", "CNPC", "GD"]);
    assert_eq!(codes("delegation_table"), ["BJ", "SH", "TJ", "COMAC", "AVIC", "CNPC", "GD"]);
    assert_eq!(tables["medal_table"][3]["medallions"], 1);
}

both_engines!(an_upheld_dispute_stays_under_review_until_the_re_release);

async fn an_upheld_dispute_stays_under_review_until_the_re_release(app: TestApp) {
    let f =
        field(&app, rules(0, "worldskills", worldskills_scale()), &[("SH", 9000), ("TJ", 8000), ("GD", 7000)]).await;
    ratify(&app, &f).await;
    publish(&app, &f, "public").await;
    app.user("leader.gd@skills.cn", &[grant(Role::TeamLeader, Some(f.delegation("GD")), None)]).await;
    let leader = app.login("leader.gd@skills.cn", PASSWORD).await;
    let gd = f.entry("GD").to_string();
    let path = format!("/api/v1/entries/{gd}/disputes");
    let body = json!({"aspect": "A1.1", "reason": "Two faults were counted twice"});
    let dispute = ok(app.call(Method::POST, &path, Some(&leader), Some(body)).await, 201).await;
    let resolve = format!("/api/v1/disputes/{}/resolve", dispute["id"].as_str().unwrap());
    let body = json!({"outcome": "upheld", "note": "re-count A1"});
    ok(app.call(Method::POST, &resolve, Some(&f.admin), Some(body)).await, 200).await;
    let statuses = format!("/api/v1/events/{}/results", f.event);
    let under_review = |s: Value| (s[0]["state"].as_str().map(str::to_string), s[0]["under_review"].as_bool());
    assert_eq!(under_review(ok(app.get(&statuses, &f.admin).await, 200).await), (Some("draft".into()), Some(true)));

    // Re-marked (GD now wins) and re-ratified: still the earlier publication, still under review.
    let unlock = format!("/api/v1/entries/{gd}/locks/A1/unlock");
    ok(app.call(Method::POST, &unlock, Some(&f.chief), Some(json!({"reason": "dispute upheld"}))).await, 204).await;
    mark(&app, &f, &gd, 0, "GD-recount", Some(1)).await;
    lock(&app, &f, &gd).await;
    ratify(&app, &f).await;
    assert_eq!(
        under_review(ok(app.get(&statuses, &f.admin).await, 200).await),
        (Some("ratified".into()), Some(true)),
        "re-ratified but not released again"
    );
    let own = ok(app.get(&format!("/api/v1/entries/{gd}/result"), &leader).await, 200).await;
    assert_eq!((own["under_review"].as_bool(), own["result"]["rank"].as_u64()), (Some(true), Some(3)), "{own}");
    assert_eq!(own["aspects"], json!([]), "no re-marked aspects under the earlier result");
    assert_eq!(public(&app, &f, "results").await["skills"][0]["entries"][0]["delegation_code"], "SH");

    // Released again: the review is over.
    publish(&app, &f, "public").await;
    assert_eq!(
        under_review(ok(app.get(&statuses, &f.admin).await, 200).await),
        (Some("published".into()), Some(false))
    );
    let own = ok(app.get(&format!("/api/v1/entries/{gd}/result"), &leader).await, 200).await;
    assert_eq!((own["under_review"].as_bool(), own["result"]["rank"].as_u64()), (Some(false), Some(1)));
    assert_eq!(own["aspects"][0]["mark"], "100.00");
    assert_eq!(public(&app, &f, "results").await["skills"][0]["entries"][0]["delegation_code"], "GD");
}

/// Reads `path` without a token and returns its status and body.
async fn read(base: &str, path: &str) -> (u16, Value) {
    let res = reqwest::Client::new().get(format!("{base}{path}")).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[actix_web::test]
async fn a_public_read_after_the_release_was_answered_serves_it_sqlite() {
    a_public_read_after_the_release_was_answered_serves_it(Engine::Sqlite).await;
}

#[actix_web::test]
async fn a_public_read_after_the_release_was_answered_serves_it_postgres() {
    if postgres_available() {
        a_public_read_after_the_release_was_answered_serves_it(Engine::Postgres).await;
    }
}

/// The board at the ceremony: every screen has read (and every instance cached) "nothing
/// public yet"; the organiser releases through one instance; the first read after the answer,
/// through any instance, shows the results. On PostgreSQL a second instance shares the database
/// (on SQLite there is one instance).
async fn a_public_read_after_the_release_was_answered_serves_it(engine: Engine) {
    let a = TestApp::spawn(engine, &[]).await;
    let f = field(&a, rules(0, "worldskills", worldskills_scale()), &[("SH", 9000), ("TJ", 8000), ("GD", 7000)]).await;
    ratify(&a, &f).await;
    let mut bases = vec![a.base.clone()];
    let b = match engine {
        Engine::Postgres => Some(TestApp::spawn(engine, &[("DATABASE_URL", &a.database_url)]).await),
        Engine::Sqlite => None,
    };
    bases.extend(b.iter().map(|b| b.base.clone()));
    let results = format!("/api/v1/public/events/{}/results", f.event);
    let tables = format!("/api/v1/public/events/{}/tables", f.event);
    let skill = format!("/api/v1/public/events/{}/skills/{}/results", f.event, f.skill);
    publish(&a, &f, "experts").await;
    publish(&a, &f, "delegations").await;
    // Their notices have reached every instance's listener (they would drop the caches warmed
    // next); then every screen reads "nothing public yet", cached on every instance.
    actix_web::rt::time::sleep(std::time::Duration::from_millis(600)).await;
    for base in &bases {
        for path in [&results, &tables, &skill] {
            assert_eq!(read(base, path).await.0, 404, "{base}: nothing public yet");
        }
        assert!(!read(base, "/api/v1/public/events").await.1.to_string().contains(&f.event), "not listed yet");
    }
    publish(&a, &f, "public").await;
    // The other instance first (its listener polls for notices every 100 ms), then this one.
    bases.reverse();
    for base in &bases {
        let (status, body) = read(base, &results).await;
        assert_eq!(status, 200, "{base}: the release was answered, the results are public");
        assert_eq!(body["skills"][0]["entries"][0]["delegation_code"], "SH");
        assert_eq!(read(base, &tables).await.0, 200, "{base}");
        assert_eq!(read(base, &skill).await.0, 200, "{base}");
        assert!(read(base, "/api/v1/public/events").await.1.to_string().contains(&f.event), "{base}: listed");
    }
}
