//! The closing hour of a marking day: 500 experts (20 skills × 25 delegations) submit batches of
//! judgement scores concurrently, each batch one sub-criterion (10 aspects) of one entry. Each
//! entry's sub-criterion is scored by three experts of other delegations (the skill's judges),
//! 10 sub-criteria an entry: 150,000 scores in all, each expert 30 batches. Reports marks per
//! second and batch latency, then checks that every mark the server acknowledged is in the
//! database exactly once.
//!
//! Run: `cargo bench --bench marking` (`BENCH_SECONDS`, default 20; `BENCH_EVERY_MS=1000` for
//! an open loop where each expert sends a batch every second). Results go in
//! `docs/performance.md`.
//!
//! `cargo bench --bench marking -- one [sqlite|postgres]`: the tablet's real unit of load instead,
//! one mark per request. The demo event is loaded; 32 tablets of one skill (the demo's skill with the most experts, 25: some work two tablets), each with
//! their own (entry, judgement aspect) slot, each send the next one-mark batch, with the version
//! from the last answer, as soon as the last is answered (`BENCH_CONNECTIONS`, default `1,32`:
//! one run per number of experts). Reports saved marks/s, p50 and p99, checks that every
//! acknowledged mark is one version step in the database and that the audit chains verify, and
//! measures in the same run the storage limit: one-row commits/s on the same engine (a scratch
//! SQLite file in WAL mode with `synchronous = NORMAL`; one-row `INSERT`s on the PostgreSQL test
//! server), printed beside the marking figure as a ratio.

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
const SUBS: [&str; 10] = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"];
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
            people.push((user.email, d, s));
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
        for (email, d, s) in people {
            let token = common::sign_in(&client, base, &email, PASSWORD).await;
            let entries = &skill_entries[s];
            // The entry of delegation e has its sub-criterion k scored by the experts of
            // delegations e + 1 + k mod 8 + 8j (j = 0, 1, 2; mod 25): three judges, never its
            // own delegation's, 30 batches each. Each expert starts at their own entry, so
            // writers spread over entries.
            let mut batches = Vec::new();
            for i in 0..entries.len() {
                let e = (i + d) % entries.len();
                for (k, sub) in SUBS.iter().enumerate() {
                    let judges = (0..3).map(|j| (e + 1 + k % 8 + 8 * j) % DELEGATIONS);
                    if judges.into_iter().any(|judge| judge == d) {
                        batches.push((entries[e].0.clone(), format!("{sub}1")));
                    }
                }
            }
            out.push(Expert { token, batches });
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
                let Some(body) = post_marks(&client, &base, entry, &expert.token, json!(marks)).await else {
                    return false;
                };
                let ok = body["results"].as_array().map_or(0, |r| r.iter().filter(|r| r["outcome"] == "saved").count());
                saved.fetch_add(ok as u64, Ordering::Relaxed);
                if ok != ASPECTS_PER_SUB {
                    tell(format_args!("not all saved: {body}"));
                }
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

mod one {
    //! One mark per request, many experts of one skill at once.

    use std::collections::{HashMap, HashSet};
    use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};
    use std::sync::Arc;
    use std::time::Instant;

    use diesel::prelude::*;
    use serde_json::json;
    use skillmark::domain::scheme::{AspectType, MarkInputKind, Scheme};

    use super::common::{self, load, settings};

    const PASSWORD: &str = "benchmark password";

    /// One expert's work: their token, entry and aspect, and the slot's version before the run
    /// (0: no mark yet).
    struct Slot {
        token: String,
        entry: String,
        aspect: String,
        judge: String,
        initial: i32,
    }

    /// Loads the demo event and gives up to `max` experts of its largest skill each a slot of their own
    /// that they may score: another delegation's confirmed entry, an unlocked judgement aspect
    /// that still needs a judge or that this expert scored already.
    fn set_up(
        state: &skillmark::state::AppState,
        base: &str,
        runtime: &tokio::runtime::Runtime,
        max: usize,
    ) -> Vec<Slot> {
        use skillmark::db::schema::users;
        let mut conn = state.pool.get().unwrap();
        let summary = skillmark::demo::load(&mut conn, 2026, "http://localhost").unwrap();
        // The skill with the most experts (the demo gives each skill one per entering delegation).
        let all = skillmark::repo::registration::experts_of(&mut conn, &summary.event_id, None, None).unwrap();
        let skill = skillmark::repo::events::skills_of(&mut conn, &summary.event_id)
            .unwrap()
            .into_iter()
            .max_by_key(|s| (all.iter().filter(|e| e.skill_id == s.id).count(), s.number.clone()))
            .expect("the demo has skills");
        println!("<!-- skill {} -->", skill.number);
        let needed = usize::from(skill.judgement_mode.judges());
        let scheme: Scheme =
            serde_json::from_str(&skillmark::repo::schemes::find(&mut conn, &skill.id).unwrap().unwrap().document)
                .unwrap();
        let experts = skillmark::repo::registration::experts_of(
            &mut conn,
            &summary.event_id,
            Some(std::slice::from_ref(&skill.id)),
            None,
        )
        .unwrap();
        let entries: Vec<_> = skillmark::repo::registration::entries_of_skill(&mut conn, &skill.id)
            .unwrap()
            .into_iter()
            .filter(|e| e.status == skillmark::domain::registration::EntryStatus::Confirmed)
            .collect();
        let locked: HashSet<(String, String)> = skillmark::repo::marks::locks_of_skill(&mut conn, &skill.id)
            .unwrap()
            .into_iter()
            .map(|l| (l.entry_id.to_string(), l.sub_criterion_id.to_string()))
            .collect();
        let marks = skillmark::repo::marks::marks_of_skill(&mut conn, &skill.id).unwrap();
        let mut scored: HashMap<(String, String), Vec<(String, i32)>> = HashMap::new();
        for m in marks.iter().filter(|m| m.input == MarkInputKind::Score) {
            scored
                .entry((m.entry_id.to_string(), m.aspect_key.to_string()))
                .or_default()
                .push((m.judge_id.as_ref().map(|j| j.to_string()).unwrap_or_default(), m.version));
        }
        let aspects: Vec<(String, String)> = scheme
            .criteria
            .iter()
            .flat_map(|c| &c.sub_criteria)
            .flat_map(|sub| {
                sub.aspects
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| matches!(a.kind, AspectType::Judgement { .. }))
                    .map(move |(i, _)| (sub.id.clone(), format!("{}.{}", sub.id, i + 1)))
            })
            .collect();
        let hash = skillmark::auth::password::hash(PASSWORD).unwrap();
        let mut taken: HashSet<(String, String)> = HashSet::new();
        let mut chosen = Vec::new();
        // The demo's largest skill has 25 experts: beyond that, an expert works on a second
        // tablet (still each tablet its own slot).
        'experts: for expert in experts.iter().cycle().take(max) {
            let judge = expert.user_id.to_string();
            for entry in entries.iter().filter(|e| e.delegation_id != expert.delegation_id) {
                let entry_id = entry.id.to_string();
                for (sub, aspect) in &aspects {
                    let key = (entry_id.clone(), aspect.clone());
                    if taken.contains(&key) || locked.contains(&(entry_id.clone(), sub.to_string())) {
                        continue;
                    }
                    let judges = scored.get(&key).map(Vec::as_slice).unwrap_or_default();
                    let own = judges.iter().find(|(j, _)| *j == judge).map(|(_, v)| *v);
                    if own.is_none() && judges.len() >= needed {
                        continue;
                    }
                    taken.insert(key);
                    chosen.push((expert, entry_id.clone(), aspect.clone(), own.unwrap_or(0)));
                    continue 'experts;
                }
            }
        }
        for (expert, ..) in &chosen {
            diesel::update(users::table.find(expert.user_id.to_string()))
                .set(users::password_hash.eq(Some(&hash)))
                .execute(&mut conn)
                .unwrap();
        }
        let emails: HashMap<String, String> = users::table
            .select((users::id, users::email))
            .load::<(String, String)>(&mut conn)
            .unwrap()
            .into_iter()
            .collect();
        let client = reqwest::Client::new();
        runtime.block_on(async {
            let mut out = Vec::new();
            let mut tokens: HashMap<String, String> = HashMap::new();
            for (expert, entry, aspect, initial) in chosen {
                let judge = expert.user_id.to_string();
                if let Some(token) = tokens.get(&judge) {
                    out.push(Slot { token: token.clone(), entry, aspect, judge, initial });
                    continue;
                }
                let token = common::sign_in(&client, base, &emails[&judge], PASSWORD).await;
                tokens.insert(judge.clone(), token.clone());
                out.push(Slot { token, entry, aspect, judge, initial });
            }
            out
        })
    }

    /// One-row commits per second on a scratch SQLite file (WAL, `synchronous = NORMAL`, as the
    /// server's connections), one writer: the storage limit of the SQLite figures.
    pub fn sqlite_commits(dir: &std::path::Path, seconds: f64) -> f64 {
        let path = dir.join("commits.db");
        let mut conn = SqliteConnection::establish(&path.to_string_lossy()).unwrap();
        use diesel::connection::SimpleConnection;
        conn.batch_execute(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
             CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);",
        )
        .unwrap();
        commits(seconds, |i| {
            diesel::sql_query("INSERT INTO t (v) VALUES (?)")
                .bind::<diesel::sql_types::Text, _>(format!("row {i}"))
                .execute(&mut conn)
                .unwrap();
        })
    }

    /// One-row `INSERT` commits per second on the PostgreSQL test server (a scratch table in the
    /// benchmark's database), from `clients` connections at once.
    pub fn postgres_commits(url: &str, seconds: f64, clients: usize) -> f64 {
        let mut conn = PgConnection::establish(url).unwrap();
        diesel::sql_query("CREATE TABLE IF NOT EXISTS bench_commits (id BIGSERIAL PRIMARY KEY, v TEXT NOT NULL)")
            .execute(&mut conn)
            .unwrap();
        let threads: Vec<_> = (0..clients)
            .map(|_| {
                let url = url.to_string();
                std::thread::spawn(move || {
                    let mut conn = PgConnection::establish(&url).unwrap();
                    commits(seconds, |i| {
                        diesel::sql_query("INSERT INTO bench_commits (v) VALUES ($1)")
                            .bind::<diesel::sql_types::Text, _>(format!("row {i}"))
                            .execute(&mut conn)
                            .unwrap();
                    })
                })
            })
            .collect();
        let total = threads.into_iter().map(|t| t.join().unwrap()).sum();
        diesel::sql_query("DROP TABLE bench_commits").execute(&mut conn).unwrap();
        total
    }

    fn commits(seconds: f64, mut commit: impl FnMut(u64)) -> f64 {
        let started = Instant::now();
        let mut n = 0u64;
        while started.elapsed().as_secs_f64() < seconds {
            commit(n);
            n += 1;
        }
        n as f64 / started.elapsed().as_secs_f64()
    }

    pub fn bench_engine(
        name: &str,
        url: &str,
        dir: &std::path::Path,
        seconds: u64,
        connections: &[usize],
        limit: &dyn Fn(usize) -> (f64, String),
        runtime: &tokio::runtime::Runtime,
    ) {
        let (base, state) = common::start_server(settings(url, dir));
        let max = connections.iter().copied().max().unwrap_or(32);
        let slots = Arc::new(set_up(&state, &base, runtime, max));
        assert_eq!(slots.len(), max, "enough free slots in the skill");
        // Each slot's version as the last answer gave it.
        let versions: Arc<Vec<AtomicI32>> = Arc::new(slots.iter().map(|s| AtomicI32::new(s.initial)).collect());
        let client = reqwest::Client::builder().pool_max_idle_per_host(max).build().unwrap();
        let mut acknowledged_total = 0u64;
        for &experts in connections {
            let saved = Arc::new(AtomicU64::new(0));
            let op = {
                let (slots, versions, saved, base, client) =
                    (slots.clone(), versions.clone(), saved.clone(), base.clone(), client.clone());
                move |worker: usize, n: u64| {
                    let (slots, versions, saved, base, client) =
                        (slots.clone(), versions.clone(), saved.clone(), base.clone(), client.clone());
                    async move {
                        let slot = &slots[worker];
                        let version = versions[worker].load(Ordering::Relaxed);
                        let mark = json!({
                            "client_id": format!("one-{experts}-{worker}-{n}"),
                            "aspect": slot.aspect,
                            "score": (n % 4),
                            "version": (version > 0).then_some(version),
                        });
                        let Some(body) =
                            super::post_marks(&client, &base, &slot.entry, &slot.token, json!([mark])).await
                        else {
                            return false;
                        };
                        let result = &body["results"][0];
                        if let Some(v) = result["current"]["version"].as_i64() {
                            versions[worker].store(v as i32, Ordering::Relaxed);
                        }
                        let ok = result["outcome"] == "saved";
                        if ok {
                            saved.fetch_add(1, Ordering::Relaxed);
                        }
                        ok
                    }
                }
            };
            // A cue for profilers (e.g. `callgrind_control -i on` under `--instr-atstart=no`): the
            // set-up is done, the load starts.
            eprintln!("load starts: {name}, {experts} experts");
            let stats = runtime.block_on(load(experts, seconds, op));
            let acknowledged = saved.load(Ordering::Relaxed);
            acknowledged_total += acknowledged;
            let (limit, how) = limit(experts);
            let per_second = acknowledged as f64 / stats.elapsed.as_secs_f64();
            println!(
                "| {name} | one mark a request, {experts} experts of one skill | {experts} | {per_second:.0} | {:.1} | {:.1} | {:.1} | {} | {limit:.0} ({how}) | {:.1}% |",
                stats.percentile(0.5),
                stats.percentile(0.95),
                stats.percentile(0.99),
                stats.errors,
                100.0 * per_second / limit,
            );
        }
        // Every acknowledged mark is one version step of its slot, and the slot holds the last
        // acknowledged value.
        let mut conn = state.pool.get().unwrap();
        let mut stored = 0u64;
        for (slot, version) in slots.iter().zip(versions.iter()) {
            use skillmark::db::schema::marks;
            let v: i32 = marks::table
                .filter(marks::entry_id.eq(&slot.entry))
                .filter(marks::aspect_key.eq(&slot.aspect))
                .filter(marks::judge_id.eq(&slot.judge))
                .select(marks::version)
                .first(&mut conn)
                .optional()
                .unwrap()
                .unwrap_or(0);
            assert_eq!(v, version.load(Ordering::Relaxed), "the slot holds the last answer's version");
            stored += (v - slot.initial) as u64;
        }
        let report = skillmark::service::verify::verify(&mut conn).unwrap();
        println!(
            "| {name} | check: {acknowledged_total} marks acknowledged, {stored} stored (version steps); verify: {} chains, {} problems | | | | | | {} | | |",
            report.chains_checked,
            report.problems.len(),
            if acknowledged_total == stored { "0 lost" } else { "MISMATCH" }
        );
        assert_eq!(acknowledged_total, stored, "every acknowledged mark is stored exactly once");
        assert!(report.problems.is_empty(), "verify passes: {:?}", report.problems);
    }
}

/// Tells the first few failures on stderr, so that a failed request says what it was.
fn tell(what: std::fmt::Arguments) {
    static TOLD: AtomicU64 = AtomicU64::new(0);
    if TOLD.fetch_add(1, Ordering::Relaxed) < 5 {
        eprintln!("{what}");
    }
}

/// One marking request: `POST /entries/{entry}/marks` with `marks`; its JSON answer when it is a
/// `200` (each mark's outcome inside), `None` for a failed request.
async fn post_marks(client: &reqwest::Client, base: &str, entry: &str, token: &str, marks: Value) -> Option<Value> {
    let res = client
        .post(format!("{base}/api/v1/entries/{entry}/marks"))
        .bearer_auth(token)
        .json(&json!({ "marks": marks }))
        .send()
        .await
        .ok()?;
    if res.status() != 200 {
        let status = res.status();
        tell(format_args!("failed request: {status} {}", res.text().await.unwrap_or_default()));
        return None;
    }
    Some(res.json().await.unwrap_or(Value::Null))
}

fn main() {
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let seconds: u64 = std::env::var("BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    // `BENCH_EVERY_MS=1000`: open loop, each expert sends a batch every second (otherwise each
    // sends the next batch as soon as the last is answered).
    let rate = std::env::var("BENCH_EVERY_MS").ok().and_then(|s| s.parse().ok()).map(std::time::Duration::from_millis);
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let engine = |e: &str| !filter.iter().any(|f| f == "sqlite" || f == "postgres") || filter.iter().any(|f| f == e);
    if filter.iter().any(|f| f == "one") {
        let connections: Vec<usize> = std::env::var("BENCH_CONNECTIONS")
            .unwrap_or_else(|_| "1,32".into())
            .split(',')
            .filter_map(|n| n.trim().parse().ok())
            .collect();
        println!("| engine | operation | experts | saved marks/s | p50 ms | p95 ms | p99 ms | errors | storage limit, one-row commits/s | marking ÷ limit |");
        println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        if engine("sqlite") {
            let url = dir.path().join("one.db").to_string_lossy().into_owned();
            let scratch = dir.path().to_path_buf();
            let limit =
                move |_| (one::sqlite_commits(&scratch, 3.0), "SQLite WAL, synchronous=NORMAL, 1 writer".to_string());
            one::bench_engine("SQLite", &url, dir.path(), seconds, &connections, &limit, &runtime);
        }
        if engine("postgres") {
            if let Some((url, mut conn, name)) = common::postgres_database("one") {
                let u = url.clone();
                // PostgreSQL commits several clients' transactions together: as many as experts.
                let limit = move |clients: usize| {
                    (one::postgres_commits(&u, 3.0, clients), format!("PostgreSQL one-row INSERT, {clients} clients"))
                };
                one::bench_engine("PostgreSQL", &url, dir.path(), seconds, &connections, &limit, &runtime);
                common::drop_database(&mut conn, &name);
            }
        }
        return;
    }
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
