//! The closing hour of a marking day: 500 experts (20 skills × 25 delegations) submit batches of
//! judgement scores concurrently, each batch one sub-criterion (10 aspects) of one entry. Reports
//! marks per second and batch latency, then checks that every mark the server acknowledged is in
//! the database exactly once.
//!
//! Run: `cargo bench --bench marking` (`BENCH_SECONDS`, default 20; `BENCH_EVERY_MS=1000` for
//! an open loop where each expert sends a batch every second). Results go in
//! `docs/performance.md`.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use common::{load, row, settings};
use diesel::prelude::*;
use serde_json::{json, Value};
use skillmark::db::models::{new_id, now, ExpertRow, GroupRow, RoleRow, StoredGroup};
use skillmark::domain::role::Role;

const PASSWORD: &str = "benchmark password";
const SKILLS: usize = 20;
const DELEGATIONS: usize = 25;
const SUBS: [&str; 5] = ["A", "B", "C", "D", "E"];
const ASPECTS_PER_SUB: usize = 10;

fn scheme() -> skillmark::domain::scheme::Scheme {
    common::judgement_scheme(&SUBS, ASPECTS_PER_SUB)
}

/// Work of one expert: (token, batches as (entry id, sub-criterion)).
struct Expert {
    token: String,
    batches: Vec<(String, String)>,
}

fn set_up(state: &skillmark::state::AppState, base: &str, runtime: &tokio::runtime::Runtime) -> Vec<Expert> {
    let mut conn = state.pool.get().unwrap();
    let ctx = Default::default();
    let admin = skillmark::domain::role::Grants::new(vec![skillmark::domain::role::Grant::Admin]);
    let event = common::create_event(&mut conn, "Bench", "");
    let delegations: Vec<skillmark::domain::ids::DelegationId> = (0..DELEGATIONS)
        .map(|d| common::create_delegation(&mut conn, &admin, &event.id, d, format!("D{d:02}")))
        .collect();
    let hash = skillmark::auth::password::hash(PASSWORD).unwrap();
    let mut people = Vec::new();
    let mut skill_entries: Vec<Vec<(String, skillmark::domain::ids::DelegationId)>> = Vec::new();
    for s in 0..SKILLS {
        let skill = common::create_skill(&mut conn, &admin, &event.id, s, 40, Some(&scheme()));
        let mut entries = Vec::new();
        let mut members = Vec::new();
        for (d, delegation) in delegations.iter().enumerate() {
            let e = skillmark::service::registration::create_entry(
                &mut conn, &admin, &event.id, &skill.id, delegation, &ctx,
            )
            .unwrap();
            // Confirmed without competitors: the benchmark is about marks.
            diesel::update(skillmark::db::schema::entries::table.find(&e.id))
                .set(skillmark::db::schema::entries::status.eq("confirmed"))
                .execute(&mut conn)
                .unwrap();
            entries.push((e.id.to_string(), delegation.clone()));
            let user = skillmark::db::models::UserRow {
                id: new_id(),
                email: format!("expert.{s}.{d}@bench.test"),
                display_name: "Expert".into(),
                password_hash: Some(hash.clone()),
                locale: skillmark::domain::account::Locale::En,
                is_active: true,
                token_version: 1,
                version: 1,
                created_at: now(),
                updated_at: now(),
            };
            skillmark::repo::users::insert(&mut conn, &user).unwrap();
            let role = RoleRow {
                id: new_id(),
                user_id: user.id.clone(),
                role: Role::Expert,
                scope_id: Some((&skill.id).into()),
                delegation_id: Some(delegation.clone()),
                created_at: now(),
            };
            skillmark::repo::users::insert_role(&mut conn, &role).unwrap();
            skillmark::repo::registration::insert_expert(
                &mut conn,
                &ExpertRow {
                    id: new_id(),
                    event_id: event.id.clone(),
                    skill_id: skill.id.clone(),
                    delegation_id: delegation.clone(),
                    user_id: user.id.clone(),
                    position: skillmark::domain::registration::ExpertPosition::Expert,
                    created_at: now(),
                },
            )
            .unwrap();
            members.push(user.id.clone());
            people.push((user.email, delegation.clone(), s));
        }
        skillmark::repo::marks::insert_group(
            &mut conn,
            &StoredGroup {
                row: GroupRow { id: new_id(), skill_id: skill.id.clone(), name: "All".into(), created_at: now() },
                members: members.clone(),
                sub_criteria: SUBS.iter().map(|c| format!("{c}1").parse().unwrap()).collect(),
            },
        )
        .unwrap();
        skill_entries.push(entries);
    }
    let client = reqwest::Client::new();
    runtime.block_on(async {
        let mut out = Vec::new();
        for (email, delegation, s) in people {
            let res: Value = client
                .post(format!("{base}/api/v1/auth/login"))
                .json(&json!({"email": email, "password": PASSWORD}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let entries = &skill_entries[s];
            // Each expert's own order of work, so writers spread over entries.
            let mut batches = Vec::new();
            let offset = out.len() % DELEGATIONS;
            for i in 0..entries.len() {
                let (entry, entry_delegation) = &entries[(i + offset) % entries.len()];
                if *entry_delegation == delegation {
                    continue;
                }
                for sub in SUBS {
                    batches.push((entry.clone(), format!("{sub}1")));
                }
            }
            out.push(Expert { token: res["access_token"].as_str().unwrap().to_string(), batches });
        }
        out
    })
}

/// Open loop: each expert sends one batch every `every`, on a fixed schedule (staggered across
/// experts) whether or not earlier answers have come back; a batch's latency counts from when it
/// was due, so a slow server cannot hide its queue (no coordinated omission).
async fn open_loop<F, Fut>(experts: usize, seconds: u64, every: std::time::Duration, op: F) -> common::Stats
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send + 'static,
{
    use std::time::Instant;
    let op = Arc::new(op);
    let started = Instant::now();
    let rounds = (seconds as f64 / every.as_secs_f64()).floor() as u64;
    let mut tasks = Vec::new();
    for worker in 0..experts {
        let op = op.clone();
        tasks.push(tokio::spawn(async move {
            let offset = every.mul_f64(worker as f64 / experts as f64);
            let first = tokio::time::Instant::now() + offset;
            let mut sends = Vec::new();
            for n in 0..rounds {
                let due = first + every.mul_f64(n as f64);
                tokio::time::sleep_until(due).await;
                let call = op(worker, n);
                sends.push(tokio::spawn(async move { (call.await, due.elapsed().as_micros() as u64) }));
            }
            let mut out = Vec::new();
            for s in sends {
                out.push(s.await.unwrap());
            }
            out
        }));
    }
    let (mut latencies_us, mut errors) = (Vec::new(), 0);
    for t in tasks {
        for (ok, lat) in t.await.unwrap() {
            if ok {
                latencies_us.push(lat);
            } else {
                errors += 1;
            }
        }
    }
    latencies_us.sort_unstable();
    common::Stats { ok: latencies_us.len() as u64, errors, elapsed: started.elapsed(), latencies_us }
}

fn bench_engine(
    name: &str,
    url: &str,
    dir: &std::path::Path,
    seconds: u64,
    rate: Option<std::time::Duration>,
    runtime: &tokio::runtime::Runtime,
) {
    let (base, state) = common::start_server(settings(url, dir));
    let experts = Arc::new(set_up(&state, &base, runtime));
    let concurrency = experts.len();
    let saved = Arc::new(AtomicU64::new(0));
    let marks_sent = Arc::new(AtomicU64::new(0));
    let client = reqwest::Client::builder().pool_max_idle_per_host(concurrency).build().unwrap();
    let op = {
        let (experts, saved, marks_sent, base) = (experts.clone(), saved.clone(), marks_sent.clone(), base.clone());
        move |worker: usize, n: u64| {
            let (experts, saved, marks_sent, base, client) =
                (experts.clone(), saved.clone(), marks_sent.clone(), base.clone(), client.clone());
            async move {
                let expert = &experts[worker];
                let Some((entry, sub)) = expert.batches.get(n as usize) else {
                    // This expert is done for the day.
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    return true;
                };
                let marks: Vec<Value> = (1..=ASPECTS_PER_SUB)
                    .map(|i| json!({"client_id": format!("{worker}-{n}-{i}"), "aspect": format!("{sub}.{i}"), "score": ((worker + i) % 3) as u8 + 1}))
                    .collect();
                marks_sent.fetch_add(marks.len() as u64, Ordering::Relaxed);
                let Ok(res) = client
                    .post(format!("{base}/api/v1/entries/{entry}/marks"))
                    .bearer_auth(&expert.token)
                    .json(&json!({"marks": marks}))
                    .send()
                    .await
                else {
                    return false;
                };
                if res.status() != 200 {
                    return false;
                }
                let body: Value = res.json().await.unwrap_or(Value::Null);
                let ok = body["results"].as_array().map_or(0, |r| r.iter().filter(|r| r["outcome"] == "saved").count());
                saved.fetch_add(ok as u64, Ordering::Relaxed);
                ok == ASPECTS_PER_SUB
            }
        }
    };
    let stats = match rate {
        None => runtime.block_on(load(concurrency, seconds, op)),
        Some(every) => runtime.block_on(open_loop(concurrency, seconds, every, op)),
    };
    let acknowledged = saved.load(Ordering::Relaxed);
    let mut conn = state.pool.get().unwrap();
    let stored: i64 = skillmark::db::schema::marks::table.count().get_result(&mut conn).unwrap();
    let per_second = acknowledged as f64 / stats.elapsed.as_secs_f64();
    let mode = match rate {
        None => "closed loop".to_string(),
        Some(every) => format!("open loop, a batch every {} ms per expert", every.as_millis()),
    };
    row(
        name,
        &format!("POST /entries/{{id}}/marks, {ASPECTS_PER_SUB} scores a batch, {mode} ({per_second:.0} marks/s)"),
        concurrency,
        &stats,
    );
    println!(
        "| {name} | check: {acknowledged} marks acknowledged, {stored} stored, {} sent | | | | | | {} |",
        marks_sent.load(Ordering::Relaxed),
        if acknowledged as i64 == stored { "0 lost" } else { "MISMATCH" }
    );
    assert_eq!(acknowledged as i64, stored, "every acknowledged mark is stored exactly once");
}

fn main() {
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let seconds: u64 = std::env::var("BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    // `BENCH_EVERY_MS=1000`: open loop, each expert sends a batch every second (otherwise each
    // sends the next batch as soon as the last is answered).
    let rate = std::env::var("BENCH_EVERY_MS").ok().and_then(|s| s.parse().ok()).map(std::time::Duration::from_millis);
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    println!("| engine | operation | concurrency | batches/s | p50 ms | p95 ms | p99 ms | errors |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    if filter.is_empty() || filter.iter().any(|f| f == "sqlite") {
        let url = dir.path().join("marking.db").to_string_lossy().into_owned();
        bench_engine("SQLite", &url, dir.path(), seconds, rate, &runtime);
    }
    if filter.is_empty() || filter.iter().any(|f| f == "postgres") {
        if let Some((url, mut conn, name)) = common::postgres_database("marking") {
            bench_engine("PostgreSQL", &url, dir.path(), seconds, rate, &runtime);
            common::drop_database(&mut conn, &name);
        }
    }
}
