//! Shared by the benchmarks: settings for a throwaway server, a closed-loop load generator and
//! its latency statistics, and a fresh PostgreSQL database.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::{Connection, PgConnection, RunQueryDsl};
use skillmark::config::Settings;
use skillmark::startup::Application;
use skillmark::state::AppState;

/// Starts the server on its own actix system thread; returns its base URL and state (whose pool
/// the benchmark may use to set data up).
pub fn start_server(settings: Settings) -> (String, AppState) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let app = Application::build(settings).await.expect("server starts");
            tx.send((format!("http://127.0.0.1:{}", app.port()), app.state.clone())).unwrap();
            app.run_until_stopped().await.unwrap();
        });
    });
    rx.recv().expect("server reports its address")
}

pub struct Stats {
    pub ok: u64,
    pub errors: u64,
    pub elapsed: Duration,
    pub latencies_us: Vec<u64>,
}

impl Stats {
    pub fn percentile(&self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return f64::NAN;
        }
        let i = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        self.latencies_us[i] as f64 / 1000.0
    }
    pub fn throughput(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64()
    }
}

pub fn settings(database_url: &str, dir: &std::path::Path) -> Settings {
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

/// Runs `op` from `concurrency` tasks for `seconds`, recording each call's latency.
pub async fn load<F, Fut>(concurrency: usize, seconds: u64, op: F) -> Stats
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

/// Creates a fresh PostgreSQL database on `TEST_DATABASE_URL`'s server; `None` if unreachable.
/// Returns (url, admin connection, name) so the caller can drop it afterwards.
pub fn postgres_database(tag: &str) -> Option<(String, PgConnection, String)> {
    let admin =
        std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    match PgConnection::establish(&admin) {
        Ok(mut conn) => {
            let name = format!("skillmark_bench_{tag}_{}", std::process::id());
            diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).ok()?;
            let mut url = url::Url::parse(&admin).ok()?;
            url.set_path(&name);
            Some((url.to_string(), conn, name))
        }
        Err(e) => {
            eprintln!("PostgreSQL skipped: {e}");
            None
        }
    }
}

pub fn drop_database(conn: &mut PgConnection, name: &str) {
    let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(conn);
}

/// Prints one result row of the markdown table the benchmarks share.
pub fn row(engine: &str, operation: &str, concurrency: usize, s: &Stats) {
    println!(
        "| {engine} | {operation} | {concurrency} | {:.0} | {:.1} | {:.1} | {:.1} | {} |",
        s.throughput(),
        s.percentile(0.5),
        s.percentile(0.95),
        s.percentile(0.99),
        s.errors
    );
}

/// The benchmarks' marking scheme: criteria A–E with one sub-criterion each (A1…E1), every one of
/// `aspects` judgement aspects worth 2.00 marks (5 × 10 aspects make 100.00).
pub fn judgement_scheme(subs: &[&str], aspects: usize) -> skillmark::domain::scheme::Scheme {
    use skillmark::domain::scheme::{Aspect, AspectType, Criterion, Scheme, SubCriterion};
    Scheme {
        criteria: subs
            .iter()
            .map(|c| Criterion {
                id: (*c).into(),
                name: format!("Criterion {c}"),
                sub_criteria: vec![SubCriterion {
                    id: format!("{c}1"),
                    name: format!("Sub-criterion {c}1"),
                    aspects: (0..aspects)
                        .map(|i| Aspect {
                            description: format!("Aspect {i}"),
                            extra_description: String::new(),
                            requirement: String::new(),
                            // 100.00 marks in all.
                            max: (10_000 / (subs.len() * aspects)) as i32,
                            day: 1,
                            wsos_section: None,
                            kind: AspectType::Judgement {
                                descriptors: vec!["0".into(), "1".into(), "2".into(), "3".into()],
                            },
                        })
                        .collect(),
                }],
            })
            .collect(),
    }
}

/// The benchmarks' event: C1 on 2027-06-13, four competition days, registration open until
/// 1 May 2027 (straight into the database, as an administrator would create it).
pub fn create_event(conn: &mut skillmark::db::DbConn, name: &str, venue: &str) -> skillmark::db::models::EventRow {
    let fields = skillmark::service::events::EventFields {
        name: name.into(),
        venue: venue.into(),
        time_zone: "Asia/Shanghai".into(),
        c1_date: chrono::NaiveDate::from_ymd_opt(2027, 6, 13).unwrap(),
        competition_days: 4,
        registration_deadline: chrono::NaiveDate::from_ymd_opt(2027, 5, 1).unwrap().and_hms_opt(0, 0, 0).unwrap(),
    };
    skillmark::service::events::create_event(conn, fields, None, &Default::default()).unwrap()
}

/// Delegation number `d` of the event under `code`; returns its id.
pub fn create_delegation(
    conn: &mut skillmark::db::DbConn,
    roles: &skillmark::domain::role::Grants,
    event_id: &skillmark::domain::ids::EventId,
    d: usize,
    code: String,
) -> skillmark::domain::ids::DelegationId {
    let f = skillmark::service::events::DelegationFields {
        code,
        name_zh: format!("代表队{d}"),
        name_en: format!("Delegation {d}"),
        kind: skillmark::domain::registration::DelegationKind::Region,
        contact_name: None,
        contact_email: None,
        contact_phone: None,
    };
    skillmark::service::events::create_delegation(conn, roles, event_id, f, &Default::default()).unwrap().id
}

/// Skill number `s + 1` (individual, three judges, spread 1, age limit 22), with `scheme`
/// saved and frozen when one is given.
pub fn create_skill(
    conn: &mut skillmark::db::DbConn,
    roles: &skillmark::domain::role::Grants,
    event_id: &skillmark::domain::ids::EventId,
    s: usize,
    workstations: i32,
    scheme: Option<&skillmark::domain::scheme::Scheme>,
) -> skillmark::db::models::SkillRow {
    let ctx = Default::default();
    let f = skillmark::service::events::SkillFields {
        number: format!("{:02}", s + 1),
        name_zh: format!("项目{s}"),
        name_en: format!("Skill {s}"),
        sector: String::new(),
        age_limit: 22,
        team_size: 1,
        max_entries_per_delegation: 1,
        judgement_mode: skillmark::domain::registration::JudgementMode::ThreeJudges,
        max_spread: 1,
        anonymous: false,
        workstation_count: workstations,
    };
    let skill = skillmark::service::events::create_skill(conn, roles, event_id, f, &ctx).unwrap();
    if let Some(scheme) = scheme {
        let saved = skillmark::service::schemes::save(conn, roles, &skill.id, 0, scheme, &ctx).unwrap();
        skillmark::service::schemes::freeze(conn, roles, &skill.id, saved.version, &ctx).unwrap();
    }
    skill
}

/// `GET url` with the bearer token; the JSON answer (the benchmark's set-up expects success).
pub async fn get_json(client: &reqwest::Client, url: String, token: &str) -> serde_json::Value {
    client.get(url).bearer_auth(token).send().await.unwrap().json().await.unwrap()
}

/// Signs `email` in with `password`; returns the access token.
pub async fn sign_in(client: &reqwest::Client, base: &str, email: &str, password: &str) -> String {
    let res: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    res["access_token"].as_str().unwrap_or_else(|| panic!("{email} signs in: {res}")).to_string()
}
