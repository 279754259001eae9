//! Results from locked marks to the public: ratification freezes them, organisers release them
//! to experts, delegations and the public (now or at a set time), team leaders and competitors
//! are mailed, disputes reopen them, the ceremony reveals medals one at a time. Before release
//! nobody outside organisers and the chief expert learns anything.

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::Method;
use serde_json::{json, Value};
use skillmark::domain::role::Role;

use crate::both_engines;
use crate::helpers::{assert_problem, eventually, grant, postgres_available, until, Engine, TestApp, PASSWORD};
use crate::mail::SmtpSink;
use crate::marking::{ok, set_up, Setup};

/// Freezes the scheme and marks both entries completely (SH's judges score `sh`, TJ's `tj` on
/// A1.2; everything else equal), then locks A1 and B1 of both.
async fn mark_everything(app: &TestApp, s: &Setup, sh: i64, tj: i64) {
    let freeze = format!("/api/v1/skills/{}/scheme/freeze", s.skill);
    ok(app.call(Method::POST, &freeze, Some(&s.admin), Some(json!({"version": 1}))).await, 200).await;
    for (entry, score) in [(&s.entry_sh, sh), (&s.entry_tj, tj)] {
        mark_entry(app, &s.judges, entry, score, "first").await;
        lock(app, s, entry).await;
    }
}

/// Every judge scores A1.2 with `score`; in the first round the first also enters A1.1, B1.1 and
/// B1.2 (the scheme of tests/api/schemes.rs).
pub(crate) async fn mark_entry(app: &TestApp, judges: &[String], entry: &str, score: i64, round: &str) {
    for (i, judge) in judges.iter().enumerate() {
        let mut marks = vec![json!({"client_id": format!("{entry}-{i}-{round}"), "aspect": "A1.2", "score": score})];
        if i == 0 && round == "first" {
            marks.push(json!({"client_id": format!("{entry}-a11"), "aspect": "A1.1", "amount": 5000}));
            marks.push(json!({"client_id": format!("{entry}-b11"), "aspect": "B1.1", "deductions": 0}));
            marks.push(json!({"client_id": format!("{entry}-b12"), "aspect": "B1.2", "amount": 2000}));
        }
        let path = format!("/api/v1/entries/{entry}/marks");
        let body = ok(app.call(Method::POST, &path, Some(judge), Some(json!({"marks": marks}))).await, 200).await;
        assert!(body["results"].as_array().unwrap().iter().all(|r| r["outcome"] == "saved"), "{body}");
    }
}

async fn lock(app: &TestApp, s: &Setup, entry: &str) {
    for sub in ["A1", "B1"] {
        let path = format!("/api/v1/entries/{entry}/locks");
        ok(app.call(Method::POST, &path, Some(&s.chief), Some(json!({"sub_criterion": sub}))).await, 201).await;
    }
}

async fn publish(app: &TestApp, s: &Setup, body: Value) -> Value {
    ok(
        app.call(Method::POST, &format!("/api/v1/events/{}/results/publish", s.event), Some(&s.admin), Some(body))
            .await,
        200,
    )
    .await
}

/// The SH competitor's account and the SH team leader.
async fn portal_users(app: &TestApp, s: &Setup) -> (String, String) {
    let entry = ok(app.get(&format!("/api/v1/entries/{}", s.entry_sh), &s.admin).await, 200).await;
    let competitor = entry["competitors"][0]["id"].as_str().unwrap().to_string();
    app.user("competitor.sh@skills.cn", &[]).await;
    let path = format!("/api/v1/competitors/{competitor}/account");
    let body = json!({"email": "competitor.sh@skills.cn"});
    ok(app.call(Method::POST, &path, Some(&s.admin), Some(body)).await, 201).await;
    app.user("leader.sh@skills.cn", &[grant(Role::TeamLeader, Some(&s.sh_delegation), None)]).await;
    (app.login("competitor.sh@skills.cn", PASSWORD).await, app.login("leader.sh@skills.cn", PASSWORD).await)
}

/// Reads the event stream until a `results` event arrives (or 10 s pass).
async fn next_results_event<B: AsRef<[u8]>>(
    stream: &mut (impl futures_util::Stream<Item = reqwest::Result<B>> + Unpin),
) -> Value {
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let chunk = tokio::time::timeout_at(deadline, stream.next()).await.expect("a results event within 10 s");
        seen.push_str(&String::from_utf8_lossy(chunk.unwrap().unwrap().as_ref()));
        if let Some(at) = seen.find("event: results\ndata: ") {
            let rest = &seen[at + "event: results\ndata: ".len()..];
            if let Some(end) = rest.find('\n') {
                return serde_json::from_str(&rest[..end]).unwrap();
            }
        }
    }
}

#[actix_web::test]
async fn results_travel_from_ratification_to_the_public_sqlite() {
    results_travel_from_ratification_to_the_public(Engine::Sqlite).await;
}

#[actix_web::test]
async fn results_travel_from_ratification_to_the_public_postgres() {
    if postgres_available() {
        results_travel_from_ratification_to_the_public(Engine::Postgres).await;
    }
}

async fn results_travel_from_ratification_to_the_public(engine: Engine) {
    let sink = SmtpSink::start().await;
    let smtp = format!("smtp://127.0.0.1:{}", sink.port);
    let app = TestApp::spawn(engine, &[("SMTP_URL", &smtp)]).await;
    let s = set_up(&app, false).await;
    let (competitor, leader) = portal_users(&app, &s).await;
    // An expert of another skill of the same event.
    let body = json!({"number": "02", "name_zh": "技能二", "name_en": "Skill 2"});
    let other = ok(
        app.call(Method::POST, &format!("/api/v1/events/{}/skills", s.event), Some(&s.admin), Some(body)).await,
        201,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.user("expert.other@skills.cn", &[]).await;
    let body = json!({"email": "expert.other@skills.cn", "display_name": "Other", "skill_id": other,
        "delegation_id": s.tj_delegation, "position": "expert"});
    ok(app.call(Method::POST, &format!("/api/v1/events/{}/experts", s.event), Some(&s.admin), Some(body)).await, 201)
        .await;
    let stranger = app.login("expert.other@skills.cn", PASSWORD).await;
    // SH's judges all give 3 on A1.2, TJ's 1: SH wins.
    mark_everything(&app, &s, 3, 1).await;

    // Embargo: before release nobody but organisers and the chief expert learns anything.
    let public = format!("/api/v1/public/events/{}/results", s.event);
    let tables = format!("/api/v1/public/events/{}/tables", s.event);
    let published = format!("/api/v1/skills/{}/results/published", s.skill);
    let own = format!("/api/v1/entries/{}/result", s.entry_sh);
    for token in [&competitor, &leader, &s.judges[0], &stranger] {
        assert_problem(app.get(&published, token).await, 404, "not_found").await;
    }
    assert_problem(app.get(&own, &stranger).await, 404, "not_found").await;
    for token in [&leader, &s.judges[0], &stranger] {
        let res = app.get(&format!("/api/v1/events/{}/results", s.event), token).await;
        assert_problem(res, 403, "forbidden").await;
    }
    for token in [&competitor, &leader] {
        assert_problem(app.get(&own, token).await, 409, "results_not_published").await;
    }
    // What the entry is (skill, modules, the event's zone) is theirs before any result.
    let outline = format!("/api/v1/entries/{}/outline", s.entry_sh);
    for token in [&competitor, &leader] {
        let seen = ok(app.get(&outline, token).await, 200).await;
        assert_eq!((seen["skill_number"].as_str(), seen["skill_name_en"].as_str()), (Some("01"), Some("Skill")));
        assert_eq!(seen["time_zone"], "Asia/Shanghai");
        let modules: Vec<&str> =
            seen["modules"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
        assert_eq!(modules, ["A", "B"]);
        assert!(seen["modules"][0]["name"].as_str().is_some_and(|n| !n.is_empty()));
        assert!(seen.get("result").is_none() && seen.get("rank").is_none(), "no result in the outline");
    }
    assert_problem(app.get(&outline, &stranger).await, 404, "not_found").await;
    let theirs = format!("/api/v1/entries/{}/outline", s.entry_tj);
    assert_problem(app.get(&theirs, &competitor).await, 404, "not_found").await;
    assert_problem(app.get(&format!("/api/v1/skills/{}/results", s.skill), &leader).await, 403, "results_embargoed")
        .await;
    for path in [&public, &tables] {
        let res = app.call(Method::GET, path, None, None).await;
        assert!(res.headers().get("etag").is_none(), "no ETag to compare before publication");
        assert_problem(res, 404, "not_found").await;
    }

    // Ratification: the chief expert signs off; the marks are frozen.
    let ratify = format!("/api/v1/skills/{}/results/ratify", s.skill);
    assert_problem(app.call(Method::POST, &ratify, Some(&s.judges[0]), None).await, 403, "forbidden").await;
    let status = ok(app.call(Method::POST, &ratify, Some(&s.chief), None).await, 200).await;
    assert_eq!((status["state"].as_str(), status["audience"].as_str()), (Some("ratified"), Some("none")));
    assert_problem(app.call(Method::POST, &ratify, Some(&s.chief), None).await, 409, "already_ratified").await;
    let unlock = format!("/api/v1/entries/{}/locks/A1/unlock", s.entry_sh);
    let res = app.call(Method::POST, &unlock, Some(&s.chief), Some(json!({"reason": "second look"}))).await;
    assert_problem(res, 409, "results_ratified").await;

    // To the skill's experts: they see the ranking, not the breakdown; delegations still nothing.
    publish(&app, &s, json!({"audience": "experts"})).await;
    let seen = ok(app.get(&published, &s.judges[0]).await, 200).await;
    assert_eq!(seen["entries"][0]["entry_id"], s.entry_sh.as_str());
    assert_eq!((seen["entries"][0]["rank"].as_u64(), seen["entries"][0]["award"].as_str()), (Some(1), Some("gold")));
    assert_eq!(seen["entries"][0]["criteria"], json!([]));
    assert_problem(app.get(&published, &stranger).await, 404, "not_found").await;
    assert_problem(app.get(&own, &competitor).await, 409, "results_not_published").await;
    assert_problem(app.call(Method::GET, &public, None, None).await, 404, "not_found").await;

    // To delegations: the competitor and team leader see their own entry mark by mark, and are mailed.
    publish(&app, &s, json!({"audience": "delegations"})).await;
    let mine = ok(app.get(&own, &competitor).await, 200).await;
    assert_eq!((mine["result"]["rank"].as_u64(), mine["result"]["award"].as_str()), (Some(1), Some("gold")));
    // A1.1 50.00 + A1.2 (3+3+3)/9 × 10.00 + B1.1 20.00 + B1.2 20.00 = 100.00
    assert_eq!(mine["result"]["raw"], "100.00");
    assert_eq!(mine["result"]["criteria"], json!([{"id": "A", "mark": "60.00"}, {"id": "B", "mark": "40.00"}]));
    let a12 = mine["aspects"].as_array().unwrap().iter().find(|a| a["key"] == "A1.2").unwrap().clone();
    assert_eq!((a12["mark"].as_str(), a12["judge_scores"].clone()), (Some("10.00"), json!([3, 3, 3])));
    assert_eq!(ok(app.get(&own, &leader).await, 200).await["result"]["score"], mine["result"]["score"]);
    let theirs = format!("/api/v1/entries/{}/result", s.entry_tj);
    assert_problem(app.get(&theirs, &competitor).await, 404, "not_found").await;
    let listed = ok(app.get(&published, &leader).await, 200).await;
    let tj = listed["entries"].as_array().unwrap().iter().find(|e| e["entry_id"] == s.entry_tj.as_str()).unwrap();
    assert_eq!((tj["rank"].as_u64(), tj["criteria"].clone()), (Some(2), json!([])), "other delegations: no breakdown");
    let mails = eventually(|| Some(sink.messages()).filter(|m| m.len() >= 2)).await;
    let to_competitor = mails.iter().find(|m| m.contains("To: competitor.sh@skills.cn")).expect("competitor mailed");
    assert!(to_competitor.contains("Subject: Results published: 01 Skill"), "{to_competitor}");
    assert!(to_competitor.contains("rank 1") && to_competitor.contains("Gold medal"), "{to_competitor}");
    assert!(mails.iter().any(|m| m.contains("To: leader.sh@skills.cn")), "team leader mailed");
    // Each mail links to the reader's own view of the result (the release is not public yet).
    let text = crate::helpers::mail_text(to_competitor);
    assert!(text.contains("http://skillmark.test/my-results"), "{text}");
    let to_leader = mails.iter().find(|m| m.contains("To: leader.sh@skills.cn")).unwrap();
    let text = crate::helpers::mail_text(to_leader);
    let own = format!("http://skillmark.test/events/{}/team/{}/results", s.event, s.sh_delegation);
    assert!(text.contains(&own), "{text}");
    // The sink has both mails; the outbox notes each as sent once its SMTP conversation ended.
    let notifications = format!("/api/v1/events/{}/notifications", s.event);
    let report = until("an empty outbox", async || {
        Some(ok(app.get(&notifications, &s.admin).await, 200).await).filter(|r| r["pending"].as_u64() == Some(0))
    })
    .await;
    assert_eq!((report["sent"].as_u64(), report["failed"].as_u64()), (Some(2), Some(0)), "{report}");
    assert_problem(
        app.call(
            Method::POST,
            &format!("/api/v1/events/{}/results/publish", s.event),
            Some(&s.admin),
            Some(json!({"audience": "experts", "skills": [s.skill]})),
        )
        .await,
        409,
        "audience_narrowing",
    )
    .await;
    // "Everything ratified to experts" leaves the skills released wider as they are.
    let p = assert_problem(
        app.call(
            Method::POST,
            &format!("/api/v1/events/{}/results/publish", s.event),
            Some(&s.admin),
            Some(json!({"audience": "experts"})),
        )
        .await,
        409,
        "not_ratified",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("released to experts or wider already"), "{p}");

    // To the public, with a venue screen listening.
    let stream_res = app.call(Method::GET, &format!("/api/v1/public/events/{}/stream", s.event), None, None).await;
    assert_eq!(stream_res.headers()["content-type"], "text/event-stream");
    let mut stream = stream_res.bytes_stream();
    publish(&app, &s, json!({"audience": "public", "skills": [s.skill]})).await;
    let notice = next_results_event(&mut stream).await;
    assert_eq!((notice["skill_id"].as_str(), notice["kind"].as_str()), (Some(s.skill.as_str()), Some("published")));
    let res = app.call(Method::GET, &public, None, None).await;
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    assert!(res.headers()["cache-control"].to_str().unwrap().contains("public"));
    let body = ok(res, 200).await;
    let first = &body["skills"][0]["entries"][0];
    assert_eq!((first["delegation_code"].as_str(), first["award"].as_str()), (Some("SH"), Some("gold")));
    assert!(first.get("criteria").is_none(), "the public sees no breakdown");
    let again = reqwest::Client::new().get(app.url(&public)).header("If-None-Match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    // Browsers get the document gzipped (prepared once), the same JSON inside.
    let zipped =
        reqwest::Client::new().get(app.url(&public)).header("Accept-Encoding", "gzip, br").send().await.unwrap();
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    assert_eq!(zipped.headers()["etag"].to_str().unwrap(), etag);
    let mut json = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&zipped.bytes().await.unwrap()[..]), &mut json)
        .unwrap();
    assert_eq!(serde_json::from_str::<Value>(&json).unwrap(), body);
    let medals = ok(app.call(Method::GET, &tables, None, None).await, 200).await;
    assert_eq!(
        (medals["medal_table"][0]["delegation_code"].as_str(), medals["medal_table"][0]["gold"].as_u64()),
        (Some("SH"), Some(1))
    );
    assert_eq!(medals["delegation_table"][1]["points"], 3, "TJ's silver is worth 3 points");

    // A dispute about one aspect, upheld: the skill reopens, re-marked, re-ratified, re-published.
    let disputes = format!("/api/v1/entries/{}/disputes", s.entry_tj);
    let tj_leader = {
        app.user("leader.tj@skills.cn", &[grant(Role::TeamLeader, Some(&s.tj_delegation), None)]).await;
        app.login("leader.tj@skills.cn", PASSWORD).await
    };
    let res = app.call(Method::POST, &disputes, Some(&tj_leader), Some(json!({"aspect": "Z9.9", "reason": "x"}))).await;
    assert_problem(res, 422, "validation_failed").await;
    let res = app.call(Method::POST, &disputes, Some(&leader), Some(json!({"reason": "not ours"}))).await;
    assert_problem(res, 404, "not_found").await;
    let body = json!({"aspect": "a1.2", "reason": "Judge scores on the finish look too low"});
    let dispute = ok(app.call(Method::POST, &disputes, Some(&tj_leader), Some(body)).await, 201).await;
    assert_eq!((dispute["aspect"].as_str(), dispute["status"].as_str()), (Some("A1.2"), Some("open")));
    assert_eq!(dispute["delegation_code"], "TJ", "the organiser sees who disputes");
    let listed = ok(app.get(&format!("/api/v1/events/{}/disputes", s.event), &s.admin).await, 200).await;
    assert_eq!(listed[0]["delegation_id"].as_str(), Some(s.tj_delegation.as_str()));
    let resolve = format!("/api/v1/disputes/{}/resolve", dispute["id"].as_str().unwrap());
    let res = app.call(Method::POST, &resolve, Some(&tj_leader), Some(json!({"outcome": "upheld", "note": "n"}))).await;
    assert_problem(res, 404, "not_found").await;
    let res =
        app.call(Method::POST, &resolve, Some(&s.admin), Some(json!({"outcome": "upheld", "note": "re-mark A1"})));
    assert_eq!(ok(res.await, 200).await["status"], "upheld");
    assert_eq!(next_results_event(&mut stream).await["kind"], "reopened");
    let statuses = ok(app.get(&format!("/api/v1/events/{}/results", s.event), &s.admin).await, 200).await;
    assert_eq!((statuses[0]["state"].as_str(), statuses[0]["under_review"].as_bool()), (Some("draft"), Some(true)));
    let still = ok(app.call(Method::GET, &public, None, None).await, 200).await;
    assert_eq!(still["skills"][0]["entries"][0]["delegation_code"], "SH", "the earlier publication stays up");

    let unlock = format!("/api/v1/entries/{}/locks/A1/unlock", s.entry_tj);
    ok(app.call(Method::POST, &unlock, Some(&s.chief), Some(json!({"reason": "dispute upheld"}))).await, 204).await;
    // Re-marked: TJ's finish now scores 3 from every judge, as SH's; both share gold.
    for (i, judge) in s.judges.iter().enumerate() {
        let marks =
            json!({"marks": [{"client_id": format!("tj-remark-{i}"), "aspect": "A1.2", "score": 3, "version": 1}]});
        let path = format!("/api/v1/entries/{}/marks", s.entry_tj);
        let body = ok(app.call(Method::POST, &path, Some(judge), Some(marks)).await, 200).await;
        assert_eq!(body["results"][0]["outcome"], "saved", "{body}");
    }
    let path = format!("/api/v1/entries/{}/locks", s.entry_tj);
    ok(app.call(Method::POST, &path, Some(&s.chief), Some(json!({"sub_criterion": "A1"}))).await, 201).await;
    ok(app.call(Method::POST, &ratify, Some(&s.chief), None).await, 200).await;
    publish(&app, &s, json!({})).await;
    assert_eq!(next_results_event(&mut stream).await["kind"], "changed");
    let now_public = ok(app.call(Method::GET, &public, None, None).await, 200).await;
    let awards: Vec<&str> =
        now_public["skills"][0]["entries"].as_array().unwrap().iter().map(|e| e["award"].as_str().unwrap()).collect();
    assert_eq!(awards, ["gold", "gold"], "a tie shares the medal");
    let tj_view = ok(app.get(&format!("/api/v1/entries/{}/result", s.entry_tj), &tj_leader).await, 200).await;
    assert_eq!(tj_view["disputes"][0]["status"], "upheld");
    assert_eq!(tj_view["state"], "published", "final only after the notice period");

    // The CIS export and the verification of everything published.
    let csv = app.get(&format!("/api/v1/events/{}/results/export", s.event), &s.admin).await;
    let csv = csv.text().await.unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next().unwrap(),
        "Position,Member,Member Name,Skill Number,Skill Name,Medal,First Name,Last Name,WorldSkills Scale Score"
    );
    assert!(lines.all(|l| l.starts_with("1,") && l.contains(",Gold,手,选,700")), "{csv}");
    for (kind, pages) in [("results", 1), ("certificates", 2)] {
        let res = app.get(&format!("/api/v1/events/{}/results/pdf?kind={kind}", s.event), &s.admin).await;
        assert_eq!(res.headers()["content-type"], "application/pdf");
        let pdf = lopdf::Document::load_mem(&res.bytes().await.unwrap()).expect("a readable PDF");
        assert_eq!(pdf.get_pages().len(), pages, "{kind}");
        let text = pdf.extract_text(&[1]).unwrap();
        assert!(text.contains("选手") && text.contains("技能"), "{kind}: the Chinese names are in the text: {text}");
    }
    let res = app.get(&format!("/api/v1/events/{}/results/pdf?kind=diploma", s.event), &s.admin).await;
    assert_problem(res, 422, "validation_failed").await;
    let report = app.state.db(skillmark::service::verify::verify).await.unwrap();
    assert!(report.problems.is_empty() && report.skills_checked == 1, "{:?}", report.problems);
    let tampered = s.skill.clone();
    app.state
        .db(move |conn| {
            use diesel::prelude::*;
            use skillmark::db::schema::skill_results::dsl::*;
            let mut snap: Value = serde_json::from_str(
                &skill_results.find(&tampered).select(published_snapshot).first::<Option<String>>(conn)?.unwrap(),
            )
            .unwrap();
            snap["entries"][1]["score"] = json!(999);
            let text = snap.to_string();
            diesel::update(skill_results.find(&tampered))
                .set((published_snapshot.eq(Some(text.clone())), ratified_snapshot.eq(Some(text))))
                .execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
    let report = app.state.db(skillmark::service::verify::verify).await.unwrap();
    assert!(report.problems.iter().any(|p| p.contains("do not match any ratification")), "{:?}", report.problems);
    assert!(report.problems.iter().any(|p| p.contains("recomputes to")), "{:?}", report.problems);
}

both_engines!(a_scheduled_release_and_the_ceremony_reveal_nothing_before_their_moment(
    "SMTP_URL" = "smtp://127.0.0.1:9",
    "SKILLMARK_MAIL_MAX_ATTEMPTS" = "1",
));

async fn a_scheduled_release_and_the_ceremony_reveal_nothing_before_their_moment(app: TestApp) {
    let mut s = set_up(&app, false).await;
    portal_users(&app, &s).await;
    mark_everything(&app, &s, 2, 1).await;
    let ceremony = format!("/api/v1/skills/{}/results/ceremony", s.skill);
    let board = format!("/api/v1/public/events/{}/skills/{}/ceremony", s.event, s.skill);
    let res = app.call(Method::POST, &ceremony, Some(&s.admin), Some(json!({"step": 1}))).await;
    assert_problem(res, 409, "results_not_public").await;
    ok(app.call(Method::POST, &format!("/api/v1/skills/{}/results/ratify", s.skill), Some(&s.chief), None).await, 200)
        .await;

    // Ratified is not public: the ceremony waits for the public release.
    assert_problem(app.call(Method::GET, &board, None, None).await, 404, "not_found").await;
    let res = app.call(Method::POST, &ceremony, Some(&s.chief), Some(json!({"step": 1}))).await;
    assert_problem(res, 403, "forbidden").await;
    let res = app.call(Method::POST, &ceremony, Some(&s.admin), Some(json!({"step": 1}))).await;
    assert_problem(res, 409, "results_not_public").await;
    assert_problem(app.call(Method::GET, &board, None, None).await, 404, "not_found").await;
    let public = format!("/api/v1/public/events/{}/results", s.event);
    assert_problem(app.call(Method::GET, &public, None, None).await, 404, "not_found").await;

    // Released at a set time: nothing before it, everything after, without anyone acting.
    let past = app.time_from_now(-chrono::TimeDelta::hours(1));
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/events/{}/results/publish", s.event),
            Some(&s.admin),
            Some(json!({"audience": "public", "at": past})),
        )
        .await;
    assert_problem(res, 422, "validation_failed").await;
    // The ceremony moves: a release set for the evening is called off (and nothing is released).
    let evening = app.time_from_now(chrono::TimeDelta::hours(6));
    publish(&app, &s, json!({"audience": "public", "at": evening})).await;
    let schedule = format!("/api/v1/skills/{}/results/schedule", s.skill);
    let res = app.call(Method::DELETE, &schedule, Some(&s.chief), None).await;
    assert_problem(res, 403, "forbidden").await;
    let status = ok(app.call(Method::DELETE, &schedule, Some(&s.admin), None).await, 200).await;
    assert_eq!((status["scheduled_at"].as_str(), status["audience"].as_str()), (None, Some("none")), "{status}");
    assert_problem(app.call(Method::DELETE, &schedule, Some(&s.admin), None).await, 409, "nothing_scheduled").await;
    let at = app.time_from_now(chrono::TimeDelta::hours(2));
    let statuses = publish(&app, &s, json!({"audience": "public", "at": at})).await;
    assert_eq!(
        (statuses[0]["scheduled_audience"].as_str(), statuses[0]["audience"].as_str()),
        (Some("public"), Some("none"))
    );
    assert_problem(app.call(Method::GET, &public, None, None).await, 404, "not_found").await;
    // Two hours pass: the worker (every second) releases it. (The sign-ins have expired.)
    app.advance(Duration::from_secs(2 * 3600 + 60));
    s.admin = app.login("admin@skills.cn", PASSWORD).await;
    let shown: Value = until("the scheduled release", async || {
        let res = app.call(Method::GET, &public, None, None).await;
        if res.status() == 200 {
            Some(res.json().await.unwrap())
        } else {
            None
        }
    })
    .await;
    assert_eq!(shown["skills"][0]["entries"][0]["award"], "gold", "released on schedule");

    // The ceremony: one medal at a time, in order, and only what is revealed.
    let res = app.call(Method::POST, &ceremony, Some(&s.admin), Some(json!({"step": 2}))).await;
    assert_problem(res, 409, "ceremony_out_of_order").await;
    ok(app.call(Method::POST, &ceremony, Some(&s.admin), Some(json!({"step": 1}))).await, 200).await;
    let shown = ok(app.call(Method::GET, &board, None, None).await, 200).await;
    assert_eq!((shown["step"].as_i64(), shown["medals"].clone()), (Some(1), json!([])), "two entries: no bronze");
    ok(app.call(Method::POST, &ceremony, Some(&s.admin), Some(json!({"step": 2}))).await, 200).await;
    let shown = ok(app.call(Method::GET, &board, None, None).await, 200).await;
    assert_eq!(shown["medals"].as_array().unwrap().len(), 1);
    assert_eq!(
        (shown["medals"][0]["award"].as_str(), shown["medals"][0]["delegation_code"].as_str()),
        (Some("silver"), Some("TJ"))
    );
    assert!(shown["medals"][0].get("score").is_none(), "the board shows medals, not scores");
    ok(app.call(Method::POST, &ceremony, Some(&s.admin), Some(json!({"step": 3}))).await, 200).await;
    let shown = ok(app.call(Method::GET, &board, None, None).await, 200).await;
    assert_eq!(shown["medals"][1]["award"], "gold");

    // The mail server is down: the failures are listed for the organiser.
    let notifications = format!("/api/v1/events/{}/notifications", s.event);
    let failed = until("two failed mails", async || {
        Some(ok(app.get(&notifications, &s.admin).await, 200).await).filter(|r| r["failed"].as_u64() == Some(2))
    })
    .await;
    assert_eq!(failed["failures"].as_array().map(Vec::len), Some(2), "{failed}");
    assert!(failed["failures"][0]["last_error"].as_str().unwrap().contains("SMTP"), "{failed}");
}

both_engines!(the_dashboard_follows_a_skill_from_marking_to_release);

/// The organiser's dashboard counts what is marked, lockable and locked, then ratified and
/// released; the audit log names who did it and what it was about.
async fn the_dashboard_follows_a_skill_from_marking_to_release(app: TestApp) {
    let s = set_up(&app, false).await;
    let path = format!("/api/v1/events/{}/dashboard", s.event);
    let skill_of =
        |body: &Value| body.as_array().unwrap().iter().find(|d| d["skill_id"] == s.skill.as_str()).cloned().unwrap();
    let before = skill_of(&ok(app.get(&path, &s.admin).await, 200).await);
    assert_eq!(before["marking"]["entries"], 2, "{before}");
    assert_eq!(before["marking"]["aspects_marked"], 0, "{before}");
    assert_eq!(before["results"]["state"], "draft", "{before}");
    // The chief expert is not shown the event's dashboard.
    assert_eq!(app.get(&path, &s.chief).await.status(), 403);

    let freeze = format!("/api/v1/skills/{}/scheme/freeze", s.skill);
    ok(app.call(Method::POST, &freeze, Some(&s.admin), Some(json!({"version": 1}))).await, 200).await;
    mark_entry(&app, &s.judges, &s.entry_sh, 2, "first").await;
    let marked = skill_of(&ok(app.get(&path, &s.admin).await, 200).await);
    let m = &marked["marking"];
    assert_eq!(m["scheme_frozen"], true, "{marked}");
    assert_eq!(m["aspects_marked"].as_u64().unwrap() * 2, m["aspects"].as_u64().unwrap(), "half the aspects: {marked}");
    assert_eq!((m["entries_lockable"].as_u64(), m["entries_locked"].as_u64()), (Some(1), Some(0)), "{marked}");

    mark_entry(&app, &s.judges, &s.entry_tj, 2, "first").await;
    lock(&app, &s, &s.entry_sh).await;
    lock(&app, &s, &s.entry_tj).await;
    let ratify = format!("/api/v1/skills/{}/results/ratify", s.skill);
    ok(app.call(Method::POST, &ratify, Some(&s.admin), None).await, 200).await;
    publish(&app, &s, json!({"skills": [s.skill], "audience": "delegations"})).await;
    let released = skill_of(&ok(app.get(&path, &s.admin).await, 200).await);
    assert_eq!(released["marking"]["entries_locked"], 2, "{released}");
    assert_eq!(released["results"]["audience"], "delegations", "{released}");
    assert_eq!(released["results"]["open_disputes"], 0, "{released}");

    let audit =
        ok(app.get(&format!("/api/v1/audit?event_id={}&action=results.ratified", s.event), &s.admin).await, 200).await;
    let record = &audit["items"][0];
    assert!(record["target_label"]["zh"].as_str().unwrap().contains(&skill_number(&app, &s).await), "{record}");
    assert!(record["actor_name"].as_str().is_some_and(|n| !n.is_empty()), "{record}");
}

async fn skill_number(app: &TestApp, s: &Setup) -> String {
    let skills = ok(app.get(&format!("/api/v1/events/{}/skills", s.event), &s.admin).await, 200).await;
    let skill = skills.as_array().unwrap().iter().find(|k| k["id"] == s.skill.as_str()).cloned().unwrap();
    skill["number"].as_str().unwrap().to_string()
}
