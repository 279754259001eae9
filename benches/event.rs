//! A whole event end to end against a running server process, on SQLite and on PostgreSQL, side
//! by side: import 3,000 competitors into 60 skills and confirm their entries; the marking-day
//! burst (500 experts, a batch a second each), then the rest of the 450,000 judge scores as fast
//! as the server takes them; every sub-criterion locked and every skill ratified; the publication
//! moment with 1,000 live listeners and 5,000 pollers (asking for gzip, as browsers do). Each phase reports throughput, latency,
//! errors and the server's CPU time and memory; the marks the clients were told are saved are
//! counted in the database.
//!
//! Run: `cargo bench --bench event` (PostgreSQL from `TEST_DATABASE_URL` when reachable; the
//! server binary is the release build of `skillmark`). Results go in `docs/performance.md`.

mod common;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use futures_util::StreamExt;
use serde_json::{json, Value};
use skillmark::db::models::{new_id, now, ExpertRow, GroupRow, RoleRow, StoredGroup, UserRow};

const PASSWORD: &str = "benchmark password";
const SKILLS: usize = 60;
const DELEGATIONS: usize = 50;
const EXPERTS: usize = 500;
const SUBS: [&str; 5] = ["A", "B", "C", "D", "E"];
const ASPECTS: usize = 10;
const JUDGES: usize = 3;

fn scheme() -> skillmark::domain::scheme::Scheme {
    common::judgement_scheme(&SUBS, ASPECTS)
}

/// The server under test, as its own process (so its CPU and memory can be read).
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(database_url: &str, dir: &std::path::Path) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(env!("CARGO_BIN_EXE_skillmark"))
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("SKILLMARK_ADDR", format!("127.0.0.1:{port}"))
            .env("SKILLMARK_DATA_DIR", dir)
            .env("SKILLMARK_FRONTEND_DIR", dir.join("none"))
            .env("SKILLMARK_SPA_BUILD", "never")
            .env("SKILLMARK_LOGIN_PER_ACCOUNT_PER_MINUTE", "100000")
            .env("SKILLMARK_LOGIN_PER_ADDRESS_PER_MINUTE", "1000000")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        // Dropped (killed and reaped) if it never comes up.
        let server = Server { child, base: format!("http://127.0.0.1:{port}") };
        for _ in 0..300 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return server;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the server did not start");
    }

    /// (CPU seconds used so far, resident memory now in MiB, peak resident memory in MiB).
    fn usage(&self) -> (f64, f64, f64) {
        let pid = self.child.id();
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, r)| r.split_whitespace().collect()).unwrap_or_default();
        let ticks: f64 = [11, 12].iter().filter_map(|i| fields.get(*i)?.parse::<f64>().ok()).sum();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let kib = |key: &str| {
            status
                .lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        (ticks / 100.0, kib("VmRSS:") / 1024.0, kib("VmHWM:") / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One phase's outcome, for the side-by-side table.
struct Phase {
    name: &'static str,
    count: u64,
    seconds: f64,
    p50: f64,
    p95: f64,
    p99: f64,
    errors: u64,
    cpu: f64,
    rss: f64,
}

fn percentile(sorted_us: &[u64], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return f64::NAN;
    }
    sorted_us[((sorted_us.len() - 1) as f64 * p).round() as usize] as f64 / 1000.0
}

/// Runs `jobs` through `concurrency` workers; returns (sorted latencies µs, errors, seconds).
async fn run_jobs<J, F, Fut>(jobs: Vec<J>, concurrency: usize, op: F) -> (Vec<u64>, u64, f64)
where
    J: Send + 'static,
    F: Fn(J) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let queue = Arc::new(Mutex::new(jobs));
    let op = Arc::new(op);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (queue, op) = (queue.clone(), op.clone());
        tasks.push(tokio::spawn(async move {
            let (mut lat, mut errors) = (Vec::new(), 0u64);
            loop {
                let Some(job) = queue.lock().unwrap().pop() else { break };
                let t = Instant::now();
                if op(job).await {
                    lat.push(t.elapsed().as_micros() as u64);
                } else {
                    errors += 1;
                }
            }
            (lat, errors)
        }));
    }
    let (mut all, mut errors) = (Vec::new(), 0);
    for t in tasks {
        let (lat, e) = t.await.unwrap();
        all.extend(lat);
        errors += e;
    }
    all.sort_unstable();
    (all, errors, started.elapsed().as_secs_f64())
}

struct World {
    event: String,
    organiser: String,
    /// Per expert: (email, skill index, delegation id).
    experts: Vec<(String, usize, String)>,
    /// Per skill: (skill id, chief's email).
    skills: Vec<(String, String)>,
    delegations: Vec<String>,
}

/// An account with the benchmark password and one role.
fn person(
    conn: &mut skillmark::db::DbConn,
    hash: &str,
    email: String,
    role: &str,
    scope: Option<skillmark::domain::ids::ScopeId>,
    delegation: Option<&skillmark::domain::ids::DelegationId>,
) -> (skillmark::domain::ids::UserId, RoleRow) {
    let user = UserRow {
        id: new_id(),
        email,
        display_name: "Bench".into(),
        password_hash: Some(hash.to_string()),
        locale: skillmark::domain::account::Locale::En,
        is_active: true,
        token_version: 1,
        version: 1,
        created_at: now(),
        updated_at: now(),
    };
    skillmark::repo::users::insert(conn, &user).unwrap();
    let row = RoleRow {
        id: new_id(),
        user_id: user.id.clone(),
        role: role.parse().expect("a role name"),
        scope_id: scope,
        delegation_id: delegation.cloned(),
        created_at: now(),
    };
    skillmark::repo::users::insert_role(conn, &row).unwrap();
    (user.id, row)
}

/// The event, its skills (schemes frozen), delegations and the people, straight into the
/// database: what is measured starts with the import.
fn set_up(database_url: &str) -> World {
    let settings = common::settings(database_url, std::path::Path::new("/tmp"));
    let pool = skillmark::startup::open_database(&settings).unwrap();
    let mut conn = pool.get().unwrap();
    let event = common::create_event(&mut conn, "全国职业技能大赛（基准）", "上海");
    let hash = skillmark::auth::password::hash(PASSWORD).unwrap();
    let (_, organiser_role) =
        person(&mut conn, &hash, "organiser@bench.test".into(), "organiser", Some((&event.id).into()), None);
    let roles = skillmark::auth::extract::grants_of(&[organiser_role]);
    let mut delegations = Vec::new();
    for d in 0..DELEGATIONS {
        delegations.push(common::create_delegation(&mut conn, &roles, &event.id, d, format!("D{d:02}")));
    }
    let mut skills = Vec::new();
    let mut experts = Vec::new();
    for s in 0..SKILLS {
        let skill = common::create_skill(&mut conn, &roles, &event.id, s, 60, Some(&scheme()));
        let chief = format!("chief.{s}@bench.test");
        let (chief_id, _) = person(
            &mut conn,
            &hash,
            chief.clone(),
            "chief_expert",
            Some((&skill.id).into()),
            Some(&delegations[s % DELEGATIONS]),
        );
        let _ = chief_id;
        // 500 experts over 60 skills: the first 20 skills get 9, the others 8.
        let count = EXPERTS / SKILLS + usize::from(s < EXPERTS % SKILLS);
        let mut members = Vec::new();
        for k in 0..count {
            let delegation = &delegations[(s * 7 + k) % DELEGATIONS];
            let email = format!("expert.{s}.{k}@bench.test");
            let (id, _) = person(&mut conn, &hash, email.clone(), "expert", Some((&skill.id).into()), Some(delegation));
            skillmark::repo::registration::insert_expert(
                &mut conn,
                &ExpertRow {
                    id: new_id(),
                    event_id: event.id.clone(),
                    skill_id: skill.id.clone(),
                    delegation_id: delegation.clone(),
                    user_id: id.clone(),
                    position: skillmark::domain::registration::ExpertPosition::Expert,
                    created_at: now(),
                },
            )
            .unwrap();
            members.push(id);
            experts.push((email, s, delegation.to_string()));
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
        skills.push((skill.id.to_string(), chief));
    }
    diesel::update(skillmark::db::schema::events::table.find(&event.id))
        .set(skillmark::db::schema::events::status.eq("registration"))
        .execute(&mut conn)
        .unwrap();
    let delegations = delegations.iter().map(ToString::to_string).collect();
    World { event: event.id.to_string(), organiser: "organiser@bench.test".into(), experts, skills, delegations }
}

fn competitors_csv() -> Vec<u8> {
    let mut csv = String::from("代表队,项目,姓名,性别,出生日期,证件号码\n");
    for i in 0..SKILLS * DELEGATIONS {
        let (d, s) = (i % DELEGATIONS, i / DELEGATIONS);
        csv.push_str(&format!(
            "D{d:02},{:02},选手{i},{},2005-0{}-1{},3101012005{:08}\n",
            s + 1,
            if i % 2 == 0 { "男" } else { "女" },
            1 + i % 9,
            i % 10,
            i
        ));
    }
    csv.into_bytes()
}

async fn run(engine: &'static str, database_url: &str, dir: &std::path::Path) -> Vec<Phase> {
    let world = set_up(database_url);
    let server = Server::start(database_url, dir);
    let base = server.base.clone();
    let client =
        reqwest::Client::builder().pool_max_idle_per_host(2_000).timeout(Duration::from_secs(60)).build().unwrap();
    let organiser = common::sign_in(&client, &base, &world.organiser, PASSWORD).await;
    let mut phases = Vec::new();
    let mut mark = |name: &'static str, count: u64, lat: &[u64], errors: u64, seconds: f64, before: f64| {
        let (cpu, _, peak) = server.usage();
        phases.push(Phase {
            name,
            count,
            seconds,
            p50: percentile(lat, 0.5),
            p95: percentile(lat, 0.95),
            p99: percentile(lat, 0.99),
            errors,
            cpu: cpu - before,
            rss: peak,
        });
        cpu
    };

    // 1. Import: 3,000 competitors (dry run, then commit), then every entry confirmed.
    let mut cpu = server.usage().0;
    let csv = competitors_csv();
    let mut lat = Vec::new();
    let started = Instant::now();
    for commit in [false, true] {
        let t = Instant::now();
        let res = client
            .post(format!("{base}/api/v1/events/{}/imports/competitors?commit={commit}", world.event))
            .bearer_auth(&organiser)
            .body(csv.clone())
            .send()
            .await
            .unwrap();
        let report: Value = res.json().await.unwrap();
        assert_eq!(report["rows"], SKILLS * DELEGATIONS, "{report}");
        lat.push(t.elapsed().as_micros() as u64);
    }
    lat.sort_unstable();
    cpu = mark("import 3,000 competitors (dry run + commit)", 2, &lat, 0, started.elapsed().as_secs_f64(), cpu);
    let mut entries: Vec<(String, String, String, i64)> = Vec::new();
    for page in 1.. {
        let res: Value = common::get_json(
            &client,
            format!("{base}/api/v1/events/{}/entries?per_page=500&page={page}", world.event),
            &organiser,
        )
        .await;
        let items = res["items"].as_array().unwrap();
        for e in items {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            entries.push((s("id"), s("skill_id"), s("delegation_id"), e["version"].as_i64().unwrap()));
        }
        if items.len() < 500 {
            break;
        }
    }
    assert_eq!(entries.len(), SKILLS * DELEGATIONS);
    let (c, b, t) = (client.clone(), base.clone(), organiser.clone());
    let (lat, errors, secs) = run_jobs(entries.clone(), 32, move |(id, _, _, version)| {
        let req = c
            .post(format!("{b}/api/v1/entries/{id}/status"))
            .bearer_auth(&t)
            .json(&json!({"status": "confirmed", "version": version}))
            .send();
        async move { req.await.is_ok_and(|r| r.status().is_success()) }
    })
    .await;
    cpu = mark("confirm 3,000 entries (32 clients)", lat.len() as u64, &lat, errors, secs, cpu);

    // 2. Marking: who judges what. Each entry gets three judges of its skill from other
    // delegations; each judge sends one batch (10 scores) per sub-criterion.
    let skill_index: HashMap<String, usize> =
        world.skills.iter().enumerate().map(|(i, (id, _))| (id.clone(), i)).collect();
    let mut by_skill: Vec<Vec<usize>> = vec![Vec::new(); SKILLS];
    for (i, (_, s, _)) in world.experts.iter().enumerate() {
        by_skill[*s].push(i);
    }
    let mut work: Vec<Vec<(String, String)>> = vec![Vec::new(); world.experts.len()];
    for (n, (entry, skill, delegation, _)) in entries.iter().enumerate() {
        let s = skill_index[skill];
        let judges: Vec<usize> = by_skill[s]
            .iter()
            .cycle()
            .skip(n % by_skill[s].len())
            .take(by_skill[s].len())
            .filter(|j| world.experts[**j].2 != *delegation)
            .take(JUDGES)
            .copied()
            .collect();
        assert_eq!(judges.len(), JUDGES, "enough judges without a conflict");
        for j in judges {
            for sub in SUBS {
                work[j].push((entry.clone(), format!("{sub}1")));
            }
        }
    }
    let mut tokens = Vec::new();
    for (email, _, _) in &world.experts {
        tokens.push(common::sign_in(&client, &base, email, PASSWORD).await);
    }
    let total_batches: usize = work.iter().map(Vec::len).sum();
    let saved = Arc::new(AtomicU64::new(0));
    let send_batch = {
        let (client, base, saved) = (client.clone(), base.clone(), saved.clone());
        move |token: String, entry: String, sub: String, tag: String| {
            let marks: Vec<Value> = (1..=ASPECTS)
                .map(|i| json!({"client_id": format!("{tag}-{i}"), "aspect": format!("{sub}.{i}"), "score": 2}))
                .collect();
            let req = client
                .post(format!("{base}/api/v1/entries/{entry}/marks"))
                .bearer_auth(token)
                .json(&json!({"marks": marks}))
                .send();
            let saved = saved.clone();
            async move {
                let res = match req.await {
                    Ok(res) => res,
                    Err(e) => {
                        eprintln!("batch not answered: {e}");
                        return false;
                    }
                };
                let status = res.status();
                let body: Value = res.json().await.unwrap_or(Value::Null);
                // A replay after a lost answer comes back `unchanged`: saved before.
                let ok = body["results"].as_array().map_or(0, |r| r.iter().filter(|r| r["outcome"] == "saved").count());
                let before =
                    body["results"].as_array().map_or(0, |r| r.iter().filter(|r| r["outcome"] == "unchanged").count());
                saved.fetch_add(ok as u64, Ordering::Relaxed);
                if ok + before != ASPECTS {
                    eprintln!("batch refused: {status} {}", body.to_string().chars().take(300).collect::<String>());
                }
                ok + before == ASPECTS
            }
        }
    };
    // 2a. The burst: every expert sends a batch a second, on a schedule, for 20 seconds.
    let burst_rounds = 20;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (e, batches) in work.iter().enumerate() {
        let mine: Vec<(String, String)> = batches.iter().take(burst_rounds).cloned().collect();
        let (token, send) = (tokens[e].clone(), send_batch.clone());
        let offset = Duration::from_secs(1).mul_f64(e as f64 / world.experts.len() as f64);
        tasks.push(tokio::spawn(async move {
            let first = tokio::time::Instant::now() + offset;
            let mut calls = Vec::new();
            for (n, (entry, sub)) in mine.into_iter().enumerate() {
                let due = first + Duration::from_secs(n as u64);
                tokio::time::sleep_until(due).await;
                let tag = format!("{e}-{n}");
                let call = send(token.clone(), entry.clone(), sub.clone(), tag.clone());
                let job = (token.clone(), entry, sub, tag);
                calls.push(tokio::spawn(async move { (call.await, due.elapsed().as_micros() as u64, job) }));
            }
            let mut out = Vec::new();
            for c in calls {
                out.push(c.await.unwrap());
            }
            out
        }));
    }
    let (mut lat, mut errors, mut retry) = (Vec::new(), 0, Vec::new());
    for t in tasks {
        for (ok, l, job) in t.await.unwrap() {
            if ok {
                lat.push(l)
            } else {
                errors += 1;
                retry.push(job);
            }
        }
    }
    lat.sort_unstable();
    let secs = started.elapsed().as_secs_f64();
    cpu = mark("marking burst: 500 experts, a batch/s each (10 scores)", lat.len() as u64, &lat, errors, secs, cpu);
    // 2b. The rest of the day's scores, as fast as the server takes them.
    let mut rest: Vec<(String, String, String, String)> = work
        .iter()
        .enumerate()
        .flat_map(|(e, batches)| {
            let token = tokens[e].clone();
            batches
                .iter()
                .enumerate()
                .skip(burst_rounds)
                .map(move |(n, (entry, sub))| (token.clone(), entry.clone(), sub.clone(), format!("{e}-{n}")))
        })
        .collect();
    // A tablet sends a batch again until it is answered (the same client ids: nothing doubles).
    rest.extend(retry);
    let send = send_batch.clone();
    let (lat, errors, secs) = run_jobs(rest, 500, move |(token, entry, sub, tag)| {
        let send = send.clone();
        async move {
            for attempt in 0..5u64 {
                if send(token.clone(), entry.clone(), sub.clone(), tag.clone()).await {
                    return true;
                }
                tokio::time::sleep(Duration::from_millis(200 * (attempt + 1))).await;
            }
            false
        }
    })
    .await;
    cpu = mark("marking the rest (500 clients, closed loop)", lat.len() as u64, &lat, errors, secs, cpu);
    let acknowledged = saved.load(Ordering::Relaxed);
    let stored: i64 = {
        let settings = common::settings(database_url, dir);
        let pool = skillmark::startup::open_database(&settings).unwrap();
        let mut conn = pool.get().unwrap();
        skillmark::db::schema::marks::table.count().get_result(&mut conn).unwrap()
    };
    // Every batch was acknowledged in the end (saved, or `unchanged` when a replay found it
    // saved), and the database holds each score exactly once (one row per entry, aspect, judge).
    assert_eq!(errors, 0, "every batch acknowledged in the end");
    assert_eq!(stored as usize, total_batches * ASPECTS, "the whole day's scores, each once");
    assert!(acknowledged as i64 <= stored);
    eprintln!("{engine}: {acknowledged} scores acknowledged as saved at first answer, {stored} stored");

    // 3. Every sub-criterion locked by the skills' chief experts, every skill ratified.
    let mut chiefs = HashMap::new();
    for (skill, email) in &world.skills {
        chiefs.insert(skill.clone(), common::sign_in(&client, &base, email, PASSWORD).await);
    }
    let locks: Vec<(String, String, String)> = entries
        .iter()
        .flat_map(|(entry, skill, _, _)| SUBS.iter().map(|s| (chiefs[skill].clone(), entry.clone(), format!("{s}1"))))
        .collect();
    let (c, b) = (client.clone(), base.clone());
    let (lat, errors, secs) = run_jobs(locks, 64, move |(token, entry, sub)| {
        let req = c
            .post(format!("{b}/api/v1/entries/{entry}/locks"))
            .bearer_auth(token)
            .json(&json!({"sub_criterion": sub}))
            .send();
        async move { req.await.is_ok_and(|r| r.status().as_u16() == 201) }
    })
    .await;
    cpu = mark("lock 15,000 sub-criteria (64 clients)", lat.len() as u64, &lat, errors, secs, cpu);
    let ratify: Vec<(String, String)> = world.skills.iter().map(|(s, _)| (s.clone(), chiefs[s].clone())).collect();
    let (c, b) = (client.clone(), base.clone());
    let (lat, errors, secs) = run_jobs(ratify, 4, move |(skill, token)| {
        let req = c.post(format!("{b}/api/v1/skills/{skill}/results/ratify")).bearer_auth(token).send();
        async move { req.await.is_ok_and(|r| r.status().is_success()) }
    })
    .await;
    cpu = mark("ratify 60 skills (4 clients)", lat.len() as u64, &lat, errors, secs, cpu);

    // 4. Publication: listeners and pollers connected, then everything published.
    let stream_url = format!("{base}/api/v1/public/events/{}/stream", world.event);
    let results_url = format!("{base}/api/v1/public/events/{}/results", world.event);
    let heard = Arc::new(Mutex::new(Vec::new()));
    let connected = Arc::new(AtomicU64::new(0));
    for _ in 0..1_000 {
        let (url, heard, connected) = (stream_url.clone(), heard.clone(), connected.clone());
        tokio::spawn(async move {
            let Ok(res) = reqwest::Client::new().get(&url).send().await else { return };
            connected.fetch_add(1, Ordering::Relaxed);
            let mut body = res.bytes_stream();
            let mut seen = String::new();
            while let Some(Ok(chunk)) = body.next().await {
                seen.push_str(&String::from_utf8_lossy(&chunk));
                if seen.contains("event: results") {
                    heard.lock().unwrap().push(Instant::now());
                    return;
                }
            }
        });
    }
    while connected.load(Ordering::Relaxed) < 1_000 {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let polls = Arc::new(Mutex::new(Vec::new()));
    let poll_errors = Arc::new(Mutex::new(std::collections::BTreeMap::<String, u64>::new()));
    let mut pollers = Vec::new();
    for i in 0..5_000u64 {
        let (c, url, stop, polls, errs) =
            (client.clone(), results_url.clone(), stop.clone(), polls.clone(), poll_errors.clone());
        pollers.push(tokio::spawn(async move {
            tokio::time::sleep(Duration::from_micros(i * 200)).await;
            let mut etag = String::new();
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            while !stop.load(Ordering::Relaxed) {
                tick.tick().await;
                let t = Instant::now();
                // As a browser asks (the benchmark does not unzip what it gets).
                let req = c.get(&url).header("If-None-Match", &etag).header("Accept-Encoding", "gzip");
                match req.send().await {
                    Ok(r) if r.status().as_u16() == 200 || r.status().as_u16() == 304 || r.status().as_u16() == 404 => {
                        if let Some(e) = r.headers().get("etag") {
                            etag = e.to_str().unwrap_or_default().to_string();
                        }
                        let _ = r.bytes().await;
                        polls.lock().unwrap().push(t.elapsed().as_micros() as u64);
                    }
                    other => {
                        // What failed, so that a run can say why (status, or where the request broke).
                        let kind = match other {
                            Ok(r) => format!("HTTP {}", r.status().as_u16()),
                            Err(e) if e.is_connect() => format!("connect: {}", root_cause(&e)),
                            Err(e) if e.is_timeout() => "timeout".to_string(),
                            Err(e) => format!("request: {}", root_cause(&e)),
                        };
                        *errs.lock().unwrap().entry(kind).or_insert(0) += 1;
                    }
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    polls.lock().unwrap().clear();
    let window = Instant::now();
    let published_at = Instant::now();
    let res = client
        .post(format!("{base}/api/v1/events/{}/results/publish", world.event))
        .bearer_auth(&organiser)
        .json(&json!({"audience": "public"}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "publish: {}", res.text().await.unwrap_or_default());
    let publish_ms = published_at.elapsed().as_micros() as u64;
    cpu = mark("publish 60 skills (one request)", 1, &[publish_ms], 0, publish_ms as f64 / 1e6, cpu);
    let deadline = Instant::now() + Duration::from_secs(10);
    while heard.lock().unwrap().len() < 1_000 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut delays: Vec<u64> =
        heard.lock().unwrap().iter().map(|t| t.duration_since(published_at).as_micros() as u64).collect();
    delays.sort_unstable();
    let missed = 1_000 - delays.len() as u64;
    let secs = published_at.elapsed().as_secs_f64();
    cpu = mark("1,000 SSE listeners told (delay after publish)", delays.len() as u64, &delays, missed, secs, cpu);
    tokio::time::sleep(Duration::from_secs(5)).await;
    stop.store(true, Ordering::Relaxed);
    for p in pollers {
        let _ = p.await;
    }
    let mut lat = std::mem::take(&mut *polls.lock().unwrap());
    lat.sort_unstable();
    let secs = window.elapsed().as_secs_f64();
    let kinds = std::mem::take(&mut *poll_errors.lock().unwrap());
    let errors = kinds.values().sum();
    for (kind, n) in &kinds {
        eprintln!("{engine}: poll errors: {n} × {kind}");
    }
    let (c, url) = (client.clone(), results_url.clone());
    mark("5,000 pollers, one request/s each", lat.len() as u64, &lat, errors, secs, cpu);
    let cpu = server.usage().0;
    let stats = common::load(64, 8, move |_, _| {
        let req = c.get(&url).header("Accept-Encoding", "gzip").send();
        async move { req.await.is_ok_and(|r| r.status() == 200) }
    })
    .await;
    mark(
        "public results, 64 clients closed loop",
        stats.ok,
        &stats.latencies_us,
        stats.errors,
        stats.elapsed.as_secs_f64(),
        cpu,
    );
    let _ = world.delegations;
    eprintln!("{engine}: done");
    phases
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let mut runs = vec![("SQLite", run("SQLite", &dir.path().join("event.db").to_string_lossy(), dir.path()).await)];
        if let Some((url, mut admin, name)) = common::postgres_database("event") {
            runs.push(("PostgreSQL", run("PostgreSQL", &url, dir.path()).await));
            common::drop_database(&mut admin, &name);
        }
        println!("| phase | engine | count | per s | p50 ms | p95 ms | p99 ms | errors | server CPU s | server peak RSS MiB |");
        println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for i in 0..runs[0].1.len() {
            for (engine, phases) in &runs {
                let p = &phases[i];
                println!(
                    "| {} | {engine} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {} | {:.1} | {:.0} |",
                    p.name,
                    p.count,
                    p.count as f64 / p.seconds,
                    p.p50,
                    p.p95,
                    p.p99,
                    p.errors,
                    p.cpu,
                    p.rss
                );
            }
        }
    });
}

/// The innermost error of a failed request (e.g. "Connection reset by peer").
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}
