//! HTTP benchmark of the foundation: login throughput and the latency of an authenticated GET
//! under concurrency, on SQLite and on PostgreSQL, against the real server started in-process.
//!
//! Run: `cargo bench --bench http` (PostgreSQL from `TEST_DATABASE_URL`, default
//! `postgres://postgres@127.0.0.1:5432/postgres`; skipped if unreachable). Results go in
//! `docs/performance.md`. Knobs: `BENCH_SECONDS` (default 10), `BENCH_CONCURRENCY` (default 64).

mod common;

use std::sync::Arc;

use common::{load, row, settings};
use serde_json::json;
use skillmark::config::Settings;

const PASSWORD: &str = "benchmark password";
const USERS: usize = 200;

/// Starts the server with `users` accounts that share one password; returns its base URL.
fn start_server(settings: Settings, users: usize) -> String {
    let (base, state) = common::start_server(settings);
    let hash = skillmark::auth::password::hash(PASSWORD).unwrap();
    let mut conn = state.pool.get().expect("a connection");
    for i in 0..users {
        let new = skillmark::service::users::NewUser {
            email: skillmark::domain::account::Email::parse(&format!("expert{i}@bench.test")).unwrap(),
            display_name: skillmark::domain::account::DisplayName::parse("Bench Expert").unwrap(),
            locale: skillmark::domain::account::Locale::En,
            roles: vec![],
        };
        let (user, _, _) = skillmark::service::users::invite(&mut conn, "http://x", &new, &Default::default()).unwrap();
        skillmark::repo::users::set_password(&mut conn, &user.id, &hash).unwrap();
    }
    base
}

async fn bench_engine(name: &str, base: String, seconds: u64, concurrency: usize) {
    let client = reqwest::Client::builder().pool_max_idle_per_host(concurrency).build().unwrap();
    let login = {
        let (client, base) = (client.clone(), base.clone());
        move |worker: usize, n: u64| {
            let (client, base) = (client.clone(), base.clone());
            async move {
                let email = format!("expert{}@bench.test", (worker + n as usize * 7) % USERS);
                client
                    .post(format!("{base}/api/v1/auth/login"))
                    .json(&json!({"email": email, "password": PASSWORD}))
                    .send()
                    .await
                    .is_ok_and(|r| r.status() == 200)
            }
        }
    };
    // Password hashing is deliberately slow; fewer concurrent logins than readers.
    let login_conc = concurrency.min(16);
    let logins = load(login_conc, seconds, login).await;

    let mut tokens = Vec::new();
    for i in 0..concurrency {
        tokens.push(common::sign_in(&client, &base, &format!("expert{}@bench.test", i % USERS), PASSWORD).await);
    }
    let tokens = Arc::new(tokens);
    let me = {
        let (client, base) = (client.clone(), base.clone());
        move |worker: usize, _n: u64| {
            let (client, base, tokens) = (client.clone(), base.clone(), tokens.clone());
            async move {
                client
                    .get(format!("{base}/api/v1/me"))
                    .bearer_auth(&tokens[worker])
                    .send()
                    .await
                    .is_ok_and(|r| r.status() == 200)
            }
        }
    };
    let reads = load(concurrency, seconds, me).await;

    row(name, "POST /api/v1/auth/login", login_conc, &logins);
    row(name, "GET /api/v1/me (bearer)", concurrency, &reads);
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument filters by engine name.
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let seconds: u64 = std::env::var("BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(10);
    let concurrency: usize = std::env::var("BENCH_CONCURRENCY").ok().and_then(|s| s.parse().ok()).unwrap_or(64);
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();

    println!("| engine | operation | concurrency | requests/s | p50 ms | p95 ms | p99 ms | errors |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    if filter.is_empty() || filter.iter().any(|f| f == "sqlite") {
        let url = dir.path().join("bench.db").to_string_lossy().into_owned();
        let base = start_server(settings(&url, dir.path()), USERS);
        runtime.block_on(bench_engine("SQLite", base, seconds, concurrency));
    }
    if filter.is_empty() || filter.iter().any(|f| f == "postgres") {
        if let Some((url, mut conn, name)) = common::postgres_database("http") {
            let base = start_server(settings(&url, dir.path()), USERS);
            runtime.block_on(bench_engine("PostgreSQL", base, seconds, concurrency));
            common::drop_database(&mut conn, &name);
        }
    }
}
