use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, TestApp};

both_engines!(the_demo_event_is_complete_deterministic_and_usable);

async fn the_demo_event_is_complete_deterministic_and_usable(app: TestApp) {
    let summary = app.state.db(|conn| skillmark::demo::load(conn, 7, "http://skillmark.test")).await.unwrap();
    assert_eq!((summary.delegations, summary.skills), (46, 50));
    assert!((700..=1200).contains(&summary.competitors), "about 900 competitors, got {}", summary.competitors);
    assert!(summary.experts >= summary.skills * 2, "every skill has a chief and a deputy at least");
    let again = app.state.db(|conn| skillmark::demo::load(conn, 7, "http://skillmark.test")).await;
    assert!(matches!(
        again,
        Err(skillmark::error::ApiError::Conflict { code: skillmark::error::ErrorCode::DemoAlreadyLoaded, .. })
    ));

    // The same seed on a fresh database gives the same event.
    let other = TestApp::spawn(crate::helpers::Engine::Sqlite, &[]).await;
    let twin = other.state.db(|conn| skillmark::demo::load(conn, 7, "http://skillmark.test")).await.unwrap();
    assert_eq!((twin.entries, twin.competitors, twin.experts), (summary.entries, summary.competitors, summary.experts));

    // Its accounts work: the organiser sees everything, the team leader their own delegation.
    let login = |email: &str| {
        app.call(Method::POST, "/api/v1/auth/login", None, Some(json!({"email": email, "password": summary.password})))
    };
    // The printed accounts name each one's real role: skill 17's chief, deputy chief and a plain
    // expert, each of whom can sign in.
    let of_17: Vec<&str> =
        summary.accounts.iter().filter(|(email, _)| email.starts_with("expert.17.")).map(|(_, role)| *role).collect();
    assert_eq!(of_17, ["chief_expert", "deputy_chief_expert", "expert"]);
    for (email, _) in summary.accounts.iter().filter(|(email, _)| email.starts_with("expert.17.")) {
        assert_eq!(login(email).await.status(), 200, "{email} signs in");
    }
    let organiser: Value = login("organiser@demo.skillmark.org").await.json().await.unwrap();
    let organiser = organiser["access_token"].as_str().unwrap().to_string();
    let event = &summary.event_id;
    let all: Value =
        app.get(&format!("/api/v1/events/{event}/entries?per_page=1"), &organiser).await.json().await.unwrap();
    assert_eq!(all["total"].as_u64().unwrap() as usize, summary.entries);
    assert!(all["items"][0]["workstation"].as_i64().is_some(), "workstations are drawn");
    let leader: Value = login("leader.sh@demo.skillmark.org").await.json().await.unwrap();
    let leader = leader["access_token"].as_str().unwrap().to_string();
    let own: Value =
        app.get(&format!("/api/v1/events/{event}/entries?per_page=500"), &leader).await.json().await.unwrap();
    assert!(own["total"].as_u64().unwrap() > 0);
    let delegations: Value =
        app.get(&format!("/api/v1/events/{event}/delegations"), &leader).await.json().await.unwrap();
    let sh = delegations.as_array().unwrap().iter().find(|d| d["code"] == "SH").unwrap()["id"].clone();
    assert!(own["items"].as_array().unwrap().iter().all(|e| e["delegation_id"] == sh));
    let draws: Value = app.get(&format!("/api/v1/events/{event}/skills"), &leader).await.json().await.unwrap();
    let skill17 =
        draws.as_array().unwrap().iter().find(|s| s["number"] == "17").unwrap()["id"].as_str().unwrap().to_string();
    let recorded: Value = app.get(&format!("/api/v1/skills/{skill17}/draws"), &organiser).await.json().await.unwrap();
    assert_eq!(recorded[0]["replay_matches"], true);
    // Marking is under way: frozen schemes (skill 17's read from a CIS sheet), locked, missing and
    // out-of-spread sub-criteria on the chief expert's dashboard.
    let scheme: Value = app.get(&format!("/api/v1/skills/{skill17}/scheme"), &organiser).await.json().await.unwrap();
    assert_eq!((scheme["status"].as_str(), scheme["total"].as_str()), (Some("frozen"), Some("100.00")));
    let board: Value = app.get(&format!("/api/v1/skills/{skill17}/progress"), &organiser).await.json().await.unwrap();
    let subs: Vec<&Value> =
        board.as_array().unwrap().iter().flat_map(|e| e["sub_criteria"].as_array().unwrap()).collect();
    assert!(subs.iter().any(|s| s["locked"] == true), "some locked");
    assert!(subs.iter().any(|s| !s["missing"].as_array().unwrap().is_empty()), "some missing");
    assert!(
        subs.iter().all(|s| s["locked"] != true || s["missing"].as_array().unwrap().is_empty()),
        "a locked sub-criterion is complete (skill 17 needs five judges per score)"
    );
    let all_skills: Value = app.get(&format!("/api/v1/events/{event}/skills"), &organiser).await.json().await.unwrap();
    let mut any_out_of_spread = false;
    for s in all_skills.as_array().unwrap() {
        let board: Value = app
            .get(&format!("/api/v1/skills/{}/progress", s["id"].as_str().unwrap()), &organiser)
            .await
            .json()
            .await
            .unwrap();
        any_out_of_spread |= board
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|e| e["sub_criteria"].as_array().unwrap().clone())
            .any(|s| !s["out_of_spread"].as_array().unwrap().is_empty());
    }
    assert!(any_out_of_spread, "some sets need re-scoring");

    // The ceremony has begun: some skills published, some ratified, the rest still marking; what
    // was published recomputes exactly from the stored marks.
    let statuses: Value = app.get(&format!("/api/v1/events/{event}/results"), &organiser).await.json().await.unwrap();
    let count = |state: &str| statuses.as_array().unwrap().iter().filter(|s| s["state"] == state).count();
    assert_eq!((count("published"), count("ratified"), count("draft")), (3, 3, 44), "{statuses}");
    let public: Value = app
        .call(Method::GET, &format!("/api/v1/public/events/{event}/results"), None, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["skills"].as_array().unwrap().len(), 3);
    assert_eq!(public["skills"][0]["entries"][0]["rank"], 1);
    // The selection programme: stage 1 and a 10 → 5 stage confirmed and announced in three
    // skills, a 5 → 2 stage under way; everything confirmed recomputes.
    let programmes: Value = app.get("/api/v1/selection/programmes", &organiser).await.json().await.unwrap();
    let stages = programmes[0]["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 3, "{programmes}");
    let confirmed =
        |s: &Value| s["skills"].as_array().unwrap().iter().filter(|k| k["confirmed_at"].is_string()).count();
    assert_eq!(stages.iter().map(confirmed).collect::<Vec<_>>(), [3, 3, 0]);
    assert!(stages[1]["skills"].as_array().unwrap().iter().all(|k| k["training_base"].is_string()));
    let squad = format!("/api/v1/public/selection/stages/{}/squad", stages[1]["id"].as_str().unwrap());
    let squad: Value = app.call(Method::GET, &squad, None, None).await.json().await.unwrap();
    assert_eq!(squad["state"], "announced", "{squad}");
    assert!(squad["lines"].as_array().unwrap().len() >= 15, "five per skill at least: {squad}");
    let under_way = stages[2]["event_id"].as_str().unwrap();
    let entries: Value =
        app.get(&format!("/api/v1/events/{under_way}/entries?per_page=1"), &organiser).await.json().await.unwrap();
    assert!(entries["total"].as_u64().unwrap() >= 15, "the five of each skill carried over");
    assert_eq!(twin.programme.as_ref().unwrap().stages, summary.programme.as_ref().unwrap().stages);
    // `--without-programme`: the same event, and no programme nor stage events.
    let bare = TestApp::spawn(crate::helpers::Engine::Sqlite, &[]).await;
    let without = bare
        .state
        .db(|conn| {
            skillmark::demo::load_with(conn, 7, "http://skillmark.test", skillmark::demo::Parts::WithoutProgramme)
        })
        .await
        .unwrap();
    assert!(without.programme.is_none());
    assert_eq!((without.entries, without.competitors), (summary.entries, summary.competitors));
    let count = |conn: &mut skillmark::db::DbConn| Ok(skillmark::repo::events::list_events(conn, None)?.len());
    let (bare_events, events) = (bare.state.db(count).await.unwrap(), app.state.db(count).await.unwrap());
    assert_eq!((bare_events, events), (1, 3), "stage events only with the programme");
    let report = app.state.db(skillmark::service::verify::verify).await.unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!((report.skills_checked, report.standings_checked), (9, 6), "stage 2's three skills too");

    // Nobody got a default password: an account without one cannot sign in.
    let res = login("leader.bj@demo.skillmark.org").await;
    assert_problem(res, 401, "invalid_credentials").await;
}
