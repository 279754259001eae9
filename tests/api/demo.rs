use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, TestApp};

both_engines!(the_demo_event_is_complete_deterministic_and_usable);

async fn the_demo_event_is_complete_deterministic_and_usable(app: TestApp) {
    let summary = app.state.db(|conn| skillmark::demo::load(conn, 7)).await.unwrap();
    assert_eq!((summary.delegations, summary.skills), (46, 50));
    assert!((700..=1200).contains(&summary.competitors), "about 900 competitors, got {}", summary.competitors);
    assert!(summary.experts >= summary.skills * 2, "every skill has a chief and a deputy at least");
    let again = app.state.db(|conn| skillmark::demo::load(conn, 7)).await;
    assert!(matches!(again, Err(skillmark::error::ApiError::Conflict { code: "demo_already_loaded", .. })));

    // The same seed on a fresh database gives the same event.
    let other = TestApp::spawn(crate::helpers::Engine::Sqlite, &[]).await;
    let twin = other.state.db(|conn| skillmark::demo::load(conn, 7)).await.unwrap();
    assert_eq!((twin.entries, twin.competitors, twin.experts), (summary.entries, summary.competitors, summary.experts));

    // Its accounts work: the organiser sees everything, the team leader their own delegation.
    let login = |email: &str| {
        app.call(Method::POST, "/api/v1/auth/login", None, Some(json!({"email": email, "password": summary.password})))
    };
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
    // Nobody got a default password: an account without one cannot sign in.
    let res = login("leader.bj@demo.skillmark.org").await;
    assert_problem(res, 401, "invalid_credentials").await;
}
