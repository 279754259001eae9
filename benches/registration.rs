//! Registration at the scale of a large event: importing 3,000 competitors (60 skills,
//! 100 delegations) from CSV, dry run and commit, and the latency of filtered entry lists under
//! concurrency, on SQLite and PostgreSQL.
//!
//! Run: `cargo bench --bench registration` (`BENCH_SECONDS`, default 10; `BENCH_CONCURRENCY`,
//! default 32). Results go in `docs/performance.md`.

mod common;

use std::sync::Arc;
use std::time::Instant;

use common::{load, row, settings};
use serde_json::Value;
use skillmark::domain::role::Role;

const PASSWORD: &str = "benchmark password";
const SKILLS: usize = 60;
const DELEGATIONS: usize = 100;
const COMPETITORS: usize = 3000;

/// An organiser account and an event in registration with its skills and delegations.
fn set_up(state: &skillmark::state::AppState) -> skillmark::domain::ids::EventId {
    let mut conn = state.pool.get().unwrap();
    let ctx = Default::default();
    let event = common::create_event(&mut conn, "Bench", "");
    let new = skillmark::service::users::NewUser {
        email: skillmark::domain::account::Email::parse("organiser@bench.test").unwrap(),
        display_name: skillmark::domain::account::DisplayName::parse("Organiser").unwrap(),
        locale: skillmark::domain::account::Locale::En,
        roles: vec![skillmark::domain::role::RoleGrant::new(Role::Organiser, Some((&event.id).into()), None).unwrap()],
    };
    let (user, roles, _) = skillmark::service::users::invite(&mut conn, "http://x", &new, &ctx).unwrap();
    let roles = skillmark::auth::extract::grants_of(&roles);
    skillmark::repo::users::set_password(&mut conn, &user.id, &skillmark::auth::password::hash(PASSWORD).unwrap())
        .unwrap();
    for s in 0..SKILLS {
        common::create_skill(&mut conn, &roles, &event.id, s, 120, None);
    }
    for d in 0..DELEGATIONS {
        common::create_delegation(&mut conn, &roles, &event.id, d, format!("D{d:03}"));
    }
    event.id
}

fn competitors_csv() -> Vec<u8> {
    let mut csv = String::from("代表队,项目,姓名,性别,出生日期,证件号码\n");
    for i in 0..COMPETITORS {
        let (d, s) = (i % DELEGATIONS, i / DELEGATIONS);
        csv.push_str(&format!(
            "D{d:03},{:02},选手{i},{},2005-0{}-1{},3101012005{:08}\n",
            s + 1,
            if i % 2 == 0 { "男" } else { "女" },
            1 + i % 9,
            i % 10,
            i
        ));
    }
    csv.into_bytes()
}

async fn bench_engine(name: &str, base: String, event: String, seconds: u64, concurrency: usize) {
    let client = reqwest::Client::builder().pool_max_idle_per_host(concurrency).build().unwrap();
    let token = common::sign_in(&client, &base, "organiser@bench.test", PASSWORD).await;
    let csv = competitors_csv();
    for commit in [false, true] {
        let started = Instant::now();
        let res = client
            .post(format!("{base}/api/v1/events/{event}/imports/competitors?commit={commit}"))
            .bearer_auth(&token)
            .body(csv.clone())
            .send()
            .await
            .unwrap();
        let status = res.status();
        let report: Value = res.json().await.unwrap();
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        assert!(status.is_success(), "import failed: {report}");
        assert!(report["problems"].as_array().is_none_or(|p| p.is_empty()), "{report}");
        assert_eq!(report["rows"], COMPETITORS, "every row was read");
        assert_eq!(report["created"], if commit { COMPETITORS } else { 0 }, "{report}");
        println!(
            "| {name} | import {COMPETITORS} competitors ({}) | 1 | {:.0} ms total | | | | 0 |",
            if commit { "commit" } else { "dry run" },
            ms
        );
    }
    let skills: Value = common::get_json(&client, format!("{base}/api/v1/events/{event}/skills"), &token).await;
    let delegations: Value =
        common::get_json(&client, format!("{base}/api/v1/events/{event}/delegations"), &token).await;
    let ids =
        |v: &Value| v.as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    let (skills, delegations) = (Arc::new(ids(&skills)), Arc::new(ids(&delegations)));
    let list = {
        let (client, base, token, event) = (client.clone(), base.clone(), token.clone(), event.clone());
        move |worker: usize, n: u64| {
            let (client, base, token, event) = (client.clone(), base.clone(), token.clone(), event.clone());
            let (skills, delegations) = (skills.clone(), delegations.clone());
            async move {
                let i = worker + n as usize;
                let url = if i.is_multiple_of(2) {
                    format!("{base}/api/v1/events/{event}/entries?skill_id={}&per_page=50", skills[i % skills.len()])
                } else {
                    format!(
                        "{base}/api/v1/events/{event}/entries?delegation_id={}&status=registered&per_page=50",
                        delegations[i % delegations.len()]
                    )
                };
                client.get(url).bearer_auth(&token).send().await.is_ok_and(|r| r.status() == 200)
            }
        }
    };
    let stats = load(concurrency, seconds, list).await;
    row(name, "GET entries filtered by skill or delegation (50 per page)", concurrency, &stats);
}

fn main() {
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let seconds: u64 = std::env::var("BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(10);
    let concurrency: usize = std::env::var("BENCH_CONCURRENCY").ok().and_then(|s| s.parse().ok()).unwrap_or(32);
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    println!("| engine | operation | concurrency | requests/s | p50 ms | p95 ms | p99 ms | errors |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    if filter.is_empty() || filter.iter().any(|f| f == "sqlite") {
        let url = dir.path().join("registration.db").to_string_lossy().into_owned();
        let (base, state) = common::start_server(settings(&url, dir.path()));
        let event = set_up(&state).to_string();
        runtime.block_on(bench_engine("SQLite", base, event, seconds, concurrency));
    }
    if filter.is_empty() || filter.iter().any(|f| f == "postgres") {
        if let Some((url, mut conn, name)) = common::postgres_database("registration") {
            let (base, state) = common::start_server(settings(&url, dir.path()));
            let event = set_up(&state).to_string();
            runtime.block_on(bench_engine("PostgreSQL", base, event, seconds, concurrency));
            common::drop_database(&mut conn, &name);
        }
    }
}
