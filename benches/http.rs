//! HTTP benchmark of the foundation: login throughput and the latency of an authenticated GET
//! under concurrency, on SQLite and on PostgreSQL, against the real server started in-process.
//!
//! Run: `cargo bench --bench http` (PostgreSQL from `TEST_DATABASE_URL`, default
//! `postgres://postgres@127.0.0.1:5432/postgres`; skipped if unreachable). Results go in
//! `docs/performance.md`. Knobs: `BENCH_SECONDS` (default 10), `BENCH_CONCURRENCY` (default 64).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::{Connection, PgConnection, RunQueryDsl};
use serde_json::json;
use skillmark::config::Settings;
use skillmark::startup::Application;

const PASSWORD: &str = "benchmark password";
const USERS: usize = 200;

struct Stats {
    ok: u64,
    errors: u64,
    elapsed: Duration,
    latencies_us: Vec<u64>,
}

impl Stats {
    fn percentile(&self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return f64::NAN;
        }
        let i = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        self.latencies_us[i] as f64 / 1000.0
    }
    fn throughput(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64()
    }
}

fn settings(database_url: &str, dir: &std::path::Path) -> Settings {
    let values: HashMap<String, String> = [
        ("SKILLMARK_ADDR", "127.0.0.1:0".to_string()),
        ("DATABASE_URL", database_url.to_string()),
        ("SKILLMARK_MAIL_DIR", dir.join("mail").to_string_lossy().into_owned()),
        ("SKILLMARK_FRONTEND_DIR", dir.join("none").to_string_lossy().into_owned()),
        // The benchmark signs in far more often than any person would.
        ("SKILLMARK_LOGIN_PER_ACCOUNT_PER_MINUTE", "100000".into()),
        ("SKILLMARK_LOGIN_PER_ADDRESS_PER_MINUTE", "1000000".into()),
        ("RUST_LOG", "warn".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    Settings::from_map(&values).expect("bench settings")
}

/// Starts the server on its own actix system thread; returns its base URL.
fn start_server(settings: Settings, users: usize) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let app = Application::build(settings).await.expect("server starts");
            let port = app.port();
            let state = app.state.clone();
            let hash = skillmark::auth::password::hash(PASSWORD).unwrap();
            state
                .db(move |conn| {
                    for i in 0..users {
                        let new = skillmark::service::users::NewUser {
                            email: skillmark::domain::account::Email::parse(&format!("expert{i}@bench.test")).unwrap(),
                            display_name: skillmark::domain::account::DisplayName::parse("Bench Expert").unwrap(),
                            locale: skillmark::domain::account::Locale::En,
                            roles: vec![],
                        };
                        let (user, _, _) =
                            skillmark::service::users::invite(conn, "http://x", &new, &Default::default())?;
                        skillmark::repo::users::set_password(conn, &user.id, &hash)?;
                    }
                    Ok(())
                })
                .await
                .expect("bench users");
            tx.send(format!("http://127.0.0.1:{port}")).unwrap();
            app.run_until_stopped().await.unwrap();
        });
    });
    rx.recv().expect("server reports its address")
}

/// Runs `op` from `concurrency` tasks for `seconds`, recording each call's latency.
async fn load<F, Fut>(concurrency: usize, seconds: u64, op: F) -> Stats
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let op = Arc::new(op);
    let stop = Arc::new(AtomicBool::new(false));
    let errors = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (op, stop, errors) = (op.clone(), stop.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                if op(worker, n).await {
                    lat.push(t.elapsed().as_micros() as u64);
                } else {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
                n += 1;
            }
            lat
        }));
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut latencies_us = Vec::new();
    for t in tasks {
        latencies_us.extend(t.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies_us.sort_unstable();
    Stats { ok: latencies_us.len() as u64, errors: errors.load(Ordering::Relaxed), elapsed, latencies_us }
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
        let res: serde_json::Value = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"email": format!("expert{}@bench.test", i % USERS), "password": PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        tokens.push(res["access_token"].as_str().unwrap().to_string());
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

    println!(
        "| {name} | POST /api/v1/auth/login | {login_conc} | {:.0} | {:.1} | {:.1} | {:.1} | {} |",
        logins.throughput(),
        logins.percentile(0.5),
        logins.percentile(0.95),
        logins.percentile(0.99),
        logins.errors
    );
    println!(
        "| {name} | GET /api/v1/me (bearer) | {concurrency} | {:.0} | {:.1} | {:.1} | {:.1} | {} |",
        reads.throughput(),
        reads.percentile(0.5),
        reads.percentile(0.95),
        reads.percentile(0.99),
        reads.errors
    );
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
        let admin =
            std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        match PgConnection::establish(&admin) {
            Ok(mut conn) => {
                let name = format!("skillmark_bench_{}", std::process::id());
                diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).unwrap();
                let mut url = url::Url::parse(&admin).unwrap();
                url.set_path(&name);
                let base = start_server(settings(url.as_str(), dir.path()), USERS);
                runtime.block_on(bench_engine("PostgreSQL", base, seconds, concurrency));
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn);
            }
            Err(e) => eprintln!("PostgreSQL skipped: {e}"),
        }
    }
}
