//! Faults: the server killed mid-burst loses no acknowledged mark and leaves no half-written
//! batch; two instances on one PostgreSQL database act as one; a database outage gives clean
//! 503s and the server recovers by itself.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{postgres_available, until, Engine, TestApp, PASSWORD};
use crate::marking::{ok, set_up, Setup};

const BIN: &str = env!("CARGO_BIN_EXE_skillmark");

/// A `skillmark serve` process of its own (so it can be killed), on a database set up elsewhere.
struct Server {
    child: Child,
    base: String,
    _data: tempfile::TempDir,
}

impl Server {
    async fn start(database_url: &str) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let data = tempfile::tempdir().unwrap();
        let child = Command::new(BIN)
            .env("DATABASE_URL", database_url)
            .env("SKILLMARK_ADDR", format!("127.0.0.1:{port}"))
            .env("SKILLMARK_DATA_DIR", data.path())
            .env("SKILLMARK_FRONTEND_DIR", data.path().join("none"))
            .env("SKILLMARK_WORKERS", "2")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server binary starts");
        let server = Server { child, base: format!("http://127.0.0.1:{port}"), _data: data };
        let client = reqwest::Client::new();
        until("the server process becoming ready", async || {
            client.get(server.url("/readyz")).send().await.is_ok_and(|r| r.status() == 200).then_some(())
        })
        .await;
        server
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn kill_hard(&mut self) {
        let status = Command::new("kill").args(["-KILL", &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn send(
    client: &reqwest::Client,
    method: Method,
    url: &str,
    token: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = client.request(method, url).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.expect("the server answers")
}

/// One judge's loop: the same marks of an entry (judge 0 also the measurements) rewritten again
/// and again, each batch one version further, until the server stops answering. Returns (last
/// version acknowledged, last version sent).
async fn rewrite_loop(base: String, token: String, entry: String, judge: usize, progress: Progress) -> (i64, i64) {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
    let mut acked = 0i64;
    for round in 1i64.. {
        let version = (round > 1).then_some(round - 1);
        let value = round % 4;
        let id = |aspect: &str| format!("{entry}-{judge}-{round}-{aspect}");
        let mut marks = vec![json!({"client_id": id("a12"), "aspect": "A1.2", "score": value, "version": version})];
        if judge == 0 {
            let amount = if value % 2 == 0 { 5000 } else { 0 };
            marks.push(json!({"client_id": id("a11"), "aspect": "A1.1", "amount": amount, "version": version}));
            marks.push(json!({"client_id": id("b11"), "aspect": "B1.1", "deductions": value, "version": version}));
            marks.push(json!({"client_id": id("b12"), "aspect": "B1.2", "amount": 2000, "version": version}));
        }
        let res = client
            .post(format!("{base}/api/v1/entries/{entry}/marks"))
            .bearer_auth(&token)
            .json(&json!({"marks": marks}))
            .send()
            .await;
        let Ok(res) = res else { return (acked, round) };
        let Ok(body) = res.json::<Value>().await else { return (acked, round) };
        let saved = body["results"].as_array().is_some_and(|r| r.iter().all(|m| m["outcome"] == "saved"));
        assert!(saved, "every batch of the loop is saved: {body}");
        acked = round;
        progress.store(acked, std::sync::atomic::Ordering::SeqCst);
    }
    unreachable!()
}

/// How many batches a loop has had acknowledged so far.
type Progress = Arc<std::sync::atomic::AtomicI64>;

/// Waits (up to a minute, however busy the machine) until every loop has had `batches`
/// acknowledged: the burst is then really under way, not merely started.
async fn until_every_loop_acked(progress: &[Progress], batches: i64) {
    for _ in 0..600 {
        if progress.iter().all(|p| p.load(std::sync::atomic::Ordering::SeqCst) >= batches) {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the marking loops did not get {batches} batches each acknowledged within a minute");
}

#[actix_web::test]
async fn a_killed_server_keeps_every_acknowledged_mark_sqlite() {
    a_killed_server_keeps_every_acknowledged_mark(Engine::Sqlite).await;
}

#[actix_web::test]
async fn a_killed_server_keeps_every_acknowledged_mark_postgres() {
    if postgres_available() {
        a_killed_server_keeps_every_acknowledged_mark(Engine::Postgres).await;
    }
}

async fn a_killed_server_keeps_every_acknowledged_mark(engine: Engine) {
    let app = TestApp::spawn_on_system_clock(engine, &[]).await;
    let s: Setup = set_up(&app, false).await;
    let freeze = format!("/api/v1/skills/{}/scheme/freeze", s.skill);
    ok(app.call(Method::POST, &freeze, Some(&s.admin), Some(json!({"version": 1}))).await, 200).await;

    // A second server process on the same database takes the burst and is killed in the middle.
    let mut victim = Server::start(&app.database_url).await;
    let mut loops = Vec::new();
    let mut progress = Vec::new();
    for entry in [&s.entry_sh, &s.entry_tj] {
        for (judge, token) in s.judges.iter().enumerate() {
            let (base, token, entry) = (victim.base.clone(), token.clone(), entry.clone());
            let p = Progress::default();
            progress.push(p.clone());
            loops.push(actix_web::rt::spawn(async move {
                let (acked, sent) = rewrite_loop(base, token, entry.clone(), judge, p).await;
                (entry, judge, acked, sent)
            }));
        }
    }
    until_every_loop_acked(&progress, 3).await;
    victim.kill_hard();
    let mut outcomes = Vec::new();
    for l in loops {
        outcomes.push(l.await.unwrap());
    }

    // Restarted, it has every acknowledged batch whole: never fewer versions than acknowledged,
    // never more than sent, and the four marks of a batch always at the same version.
    let restarted = Server::start(&app.database_url).await;
    let client = reqwest::Client::new();
    let mut total_acked = 0;
    for (entry, judge, acked, sent) in &outcomes {
        total_acked += acked;
        let marks =
            send(&client, Method::GET, &restarted.url(&format!("/api/v1/entries/{entry}/marks")), &s.admin, None)
                .await
                .json::<Value>()
                .await
                .unwrap();
        let judge_id = judge_user_id(&app, &s, *judge).await;
        let mine: Vec<&Value> = marks
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|a| a["marks"].as_array().unwrap())
            .filter(|m| m["judge_id"] == judge_id.as_str() || (*judge == 0 && m["judge_id"].is_null()))
            .collect();
        let versions: Vec<i64> = mine.iter().map(|m| m["version"].as_i64().unwrap()).collect();
        assert!(!versions.is_empty() || *acked == 0, "{entry} judge {judge}: marks present");
        if let Some(v) = versions.first() {
            assert!(versions.iter().all(|x| x == v), "no half-written batch: {versions:?}");
            assert!(*v >= *acked && *v <= *sent, "acknowledged {acked}, sent {sent}, stored {v}");
        }
    }
    assert!(total_acked > 10, "the burst was under way when the server died ({total_acked} batches)");
    let verify = send(&client, Method::GET, &restarted.url("/api/v1/audit/verify"), &s.admin, None).await;
    let verify: Value = verify.json().await.unwrap();
    assert!(verify.as_array().unwrap().iter().all(|c| c["intact"] == true), "audit chains intact: {verify}");
}

pub(crate) async fn judge_user_id(app: &TestApp, s: &Setup, judge: usize) -> String {
    let me: Value = app.get("/api/v1/me", &s.judges[judge]).await.json().await.unwrap();
    me["id"].as_str().unwrap().to_string()
}

/// Two instances on one PostgreSQL database (`None` without PostgreSQL): the test app A, set up
/// for marking, and a second server B.
async fn two_instances() -> Option<(TestApp, Setup, Server)> {
    if !postgres_available() {
        return None;
    }
    let a = TestApp::spawn_on_system_clock(Engine::Postgres, &[]).await;
    let s = set_up(&a, false).await;
    let b = Server::start(&a.database_url).await;
    Some((a, s, b))
}

#[actix_web::test]
async fn two_instances_on_one_postgres_database_act_as_one() {
    let Some((a, s, b)) = two_instances().await else { return };
    let client = reqwest::Client::new();

    // A scheme frozen through B is frozen for A; a mark through B is read through A at once.
    let freeze = b.url(&format!("/api/v1/skills/{}/scheme/freeze", s.skill));
    assert_eq!(send(&client, Method::POST, &freeze, &s.admin, Some(json!({"version": 1}))).await.status(), 200);
    let mark = json!({"marks": [{"client_id": "two-1", "aspect": "A1.1", "amount": 5000}]});
    let url = b.url(&format!("/api/v1/entries/{}/marks", s.entry_sh));
    assert_eq!(send(&client, Method::POST, &url, &s.judges[0], Some(mark)).await.status(), 200);
    let seen: Value = a.get(&format!("/api/v1/entries/{}/marks", s.entry_sh), &s.admin).await.json().await.unwrap();
    assert!(seen.to_string().contains("\"value\":5000"), "{seen}");

    // A publication on A reaches a venue screen listening on B.
    for entry in [&s.entry_sh, &s.entry_tj] {
        for (i, judge) in s.judges.iter().enumerate() {
            let mut marks = vec![json!({"client_id": format!("{entry}-{i}-a12"), "aspect": "A1.2", "score": 2})];
            if i == 0 {
                if entry != &s.entry_sh {
                    marks.push(json!({"client_id": format!("{entry}-a11"), "aspect": "A1.1", "amount": 5000}));
                }
                marks.push(json!({"client_id": format!("{entry}-b11"), "aspect": "B1.1", "deductions": 0}));
                marks.push(json!({"client_id": format!("{entry}-b12"), "aspect": "B1.2", "amount": 2000}));
            }
            let path = format!("/api/v1/entries/{entry}/marks");
            ok(a.call(Method::POST, &path, Some(judge), Some(json!({"marks": marks}))).await, 200).await;
        }
        for sub in ["A1", "B1"] {
            let path = format!("/api/v1/entries/{entry}/locks");
            ok(a.call(Method::POST, &path, Some(&s.chief), Some(json!({"sub_criterion": sub}))).await, 201).await;
        }
    }
    let ratify = format!("/api/v1/skills/{}/results/ratify", s.skill);
    ok(a.call(Method::POST, &ratify, Some(&s.chief), None).await, 200).await;
    let listening = client.get(b.url(&format!("/api/v1/public/events/{}/stream", s.event))).send().await.unwrap();
    let mut stream = listening.bytes_stream();
    let publish = format!("/api/v1/events/{}/results/publish", s.event);
    ok(a.call(Method::POST, &publish, Some(&s.admin), Some(json!({"audience": "public"}))).await, 200).await;
    let mut seen = String::new();
    let heard = tokio::time::timeout(Duration::from_secs(5), async {
        use futures_util::StreamExt;
        while let Some(Ok(chunk)) = stream.next().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains("event: results") {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(heard, Ok(true), "B's listener heard A's publication: {seen}");
    let public = client.get(b.url(&format!("/api/v1/public/events/{}/results", s.event))).send().await.unwrap();
    assert_eq!(public.status(), 200, "B serves what A published");

    // A refresh token rotated on B and then presented again on A ends the whole sign-in chain.
    let login = a
        .client
        .post(a.url("/api/v1/auth/login"))
        .json(&json!({"email": "judge.bj@skills.cn", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = crate::helpers::refresh_cookie(&login).expect("a refresh cookie");
    let refresh = |base: String, cookie: String| {
        let client = reqwest::Client::new();
        async move {
            client
                .post(format!("{base}/api/v1/auth/refresh"))
                .header("Cookie", format!("skillmark_refresh={cookie}"))
                .send()
                .await
                .unwrap()
        }
    };
    let rotated = refresh(b.base.clone(), cookie.clone()).await;
    assert_eq!(rotated.status(), 200);
    let newer = crate::helpers::refresh_cookie(&rotated).expect("rotated");
    assert_eq!(refresh(a.base.clone(), cookie).await.status(), 401, "reuse detected across instances");
    assert_eq!(refresh(b.base.clone(), newer).await.status(), 401, "the whole chain is revoked");
}

/// A TCP relay in front of PostgreSQL that can be cut (open connections dropped, new ones
/// closed at once) and restored, to play a database outage without stopping the shared server.
struct Relay {
    port: u16,
    up: Arc<std::sync::atomic::AtomicBool>,
    generation: Arc<std::sync::atomic::AtomicU64>,
}

impl Relay {
    async fn start(upstream: &str) -> Relay {
        use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let generation = Arc::new(AtomicU64::new(0));
        let (flag, gen) = (up.clone(), generation.clone());
        let upstream = upstream.to_string();
        actix_web::rt::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else { return };
                if !flag.load(Ordering::SeqCst) {
                    continue; // dropped: the client sees the connection closed
                }
                let (flag, gen, upstream) = (flag.clone(), gen.clone(), upstream.clone());
                let born = gen.load(Ordering::SeqCst);
                actix_web::rt::spawn(async move {
                    let Ok(mut outbound) = tokio::net::TcpStream::connect(&upstream).await else { return };
                    let copy = tokio::io::copy_bidirectional(&mut inbound, &mut outbound);
                    let cut = async {
                        while flag.load(Ordering::SeqCst) && gen.load(Ordering::SeqCst) == born {
                            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
                        }
                    };
                    tokio::select! { _ = copy => {}, _ = cut => {} }
                });
            }
        });
        Relay { port, up, generation }
    }

    fn cut(&self) {
        self.up.store(false, std::sync::atomic::Ordering::SeqCst);
        self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    fn restore(&self) {
        self.up.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

#[actix_web::test]
async fn a_database_outage_gives_503_and_the_server_recovers_by_itself() {
    if !postgres_available() {
        return;
    }
    let db = crate::helpers::PgDatabase::create();
    let mut url = url::Url::parse(&db.url).unwrap();
    let relay = Relay::start(&format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(5432))).await;
    url.set_port(Some(relay.port)).unwrap();
    let app = TestApp::spawn(Engine::Sqlite, &[("DATABASE_URL", url.as_str())]).await;
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    assert_eq!(app.get("/api/v1/events", &admin).await.status(), 200);

    relay.cut();
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    for path in ["/api/v1/events", "/api/v1/me"] {
        let started = std::time::Instant::now();
        let res = app.get(path, &admin).await;
        assert_eq!(res.status(), 503, "{path} during the outage");
        assert!(started.elapsed() < Duration::from_secs(10), "answered without hanging");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], "service_unavailable");
    }
    assert_eq!(app.call(Method::GET, "/readyz", None, None).await.status(), 503);
    assert_eq!(app.call(Method::GET, "/healthz", None, None).await.status(), 200, "the process itself is alive");

    relay.restore();
    until("the server recovering without a restart", async || {
        (app.get("/api/v1/events", &admin).await.status() == 200).then_some(())
    })
    .await;
    assert_eq!(app.call(Method::GET, "/readyz", None, None).await.status(), 200);
    drop(app);
    drop(db);
}

fn cli(database_url: &str, args: &[&str]) -> std::process::Output {
    Command::new(BIN).env("DATABASE_URL", database_url).env("RUST_LOG", "error").args(args).output().unwrap()
}

#[actix_web::test]
async fn a_backup_taken_during_a_marking_burst_restores_whole_sqlite() {
    backup_during_a_burst(Engine::Sqlite).await;
}

#[actix_web::test]
async fn a_backup_taken_during_a_marking_burst_restores_whole_postgres() {
    if postgres_available() {
        backup_during_a_burst(Engine::Postgres).await;
    }
}

async fn backup_during_a_burst(engine: Engine) {
    let app = TestApp::spawn_on_system_clock(engine, &[]).await;
    let s = set_up(&app, false).await;
    let freeze = format!("/api/v1/skills/{}/scheme/freeze", s.skill);
    ok(app.call(Method::POST, &freeze, Some(&s.admin), Some(json!({"version": 1}))).await, 200).await;
    let mut busy = Server::start(&app.database_url).await;
    let mut loops = Vec::new();
    let mut progress = Vec::new();
    for entry in [&s.entry_sh, &s.entry_tj] {
        for (judge, token) in s.judges.iter().enumerate() {
            let (base, token, entry) = (busy.base.clone(), token.clone(), entry.clone());
            let p = Progress::default();
            progress.push(p.clone());
            loops.push(actix_web::rt::spawn(async move { rewrite_loop(base, token, entry, judge, p).await }));
        }
    }
    until_every_loop_acked(&progress, 2).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("skillmark.backup");
    let database_url = app.database_url.clone();
    let file_arg = file.to_string_lossy().into_owned();
    let out = actix_web::rt::task::spawn_blocking(move || cli(&database_url, &["backup", &file_arg])).await.unwrap();
    assert!(out.status.success(), "backup: {}", String::from_utf8_lossy(&out.stderr));
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    busy.kill_hard();
    for l in loops {
        l.await.unwrap();
    }

    // Restored into a new database: consistent (whole batches, intact audit chains, results
    // verified) and usable.
    let _pg;
    let target = match engine {
        Engine::Sqlite => dir.path().join("restored.db").to_string_lossy().into_owned(),
        Engine::Postgres => {
            let db = crate::helpers::PgDatabase::create();
            let url = db.url.clone();
            _pg = db;
            url
        }
    };
    let out = cli(&target, &["restore", &file.to_string_lossy()]);
    assert!(out.status.success(), "restore: {}", String::from_utf8_lossy(&out.stderr));
    let out = cli(&target, &["verify"]);
    assert!(out.status.success(), "verify after restore: {}", String::from_utf8_lossy(&out.stdout));
    let restored = Server::start(&target).await;
    let client = reqwest::Client::new();
    for entry in [&s.entry_sh, &s.entry_tj] {
        let url = restored.url(&format!("/api/v1/entries/{entry}/marks"));
        let marks: Value = send(&client, Method::GET, &url, &s.admin, None).await.json().await.unwrap();
        let judge0 = judge_user_id(&app, &s, 0).await;
        let batch: Vec<i64> = marks
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|a| a["marks"].as_array().unwrap())
            .filter(|m| m["judge_id"].is_null() || m["judge_id"] == judge0.as_str())
            .map(|m| m["version"].as_i64().unwrap())
            .collect();
        assert_eq!(batch.len(), 4, "judge 0's four marks of {entry} are in the backup");
        assert!(batch.iter().all(|v| *v == batch[0]), "whole batches only: {batch:?}");
    }
    let res = client
        .post(restored.url("/api/v1/auth/login"))
        .json(&json!({"email": "admin@skills.cn", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "the restored database is usable");
}

/// Each instance keeps its callers' users and roles in memory between requests: a role revoked or
/// a user deactivated through one instance is refused by the other at once (it hears the change
/// through `NOTIFY`), never honoured until it restarts.
#[actix_web::test]
async fn a_role_revoked_or_a_user_deactivated_through_one_instance_is_refused_by_the_other() {
    let Some((a, s, b)) = two_instances().await else { return };
    let client = reqwest::Client::new();
    let freeze = a.url(&format!("/api/v1/skills/{}/scheme/freeze", s.skill));
    assert_eq!(send(&client, Method::POST, &freeze, &s.admin, Some(json!({"version": 1}))).await.status(), 200);
    let mark = |n: usize| json!({"marks": [{"client_id": format!("kept-{n}"), "aspect": "A1.1", "amount": 5000}]});
    let url = b.url(&format!("/api/v1/entries/{}/marks", s.entry_sh));
    // Both judges are known to B (and kept there).
    for judge in 0..2 {
        let res = send(&client, Method::POST, &url, &s.judges[judge], Some(mark(judge))).await;
        assert_eq!(res.status(), 200, "judge {judge} marks through B");
    }

    // Judge 0 loses the expert role through A.
    let judge0 = judge_user_id(&a, &s, 0).await;
    let user: Value = a.get(&format!("/api/v1/users/{judge0}"), &s.admin).await.json().await.unwrap();
    let role = user["roles"].as_array().unwrap().iter().find(|r| r["role"] == "expert").expect("an expert role");
    let revoke = format!("/api/v1/users/{judge0}/roles/{}", role["id"].as_str().unwrap());
    ok(a.call(Method::DELETE, &revoke, Some(&s.admin), None).await, 204).await;
    // Judge 1 is deactivated through A.
    let judge1 = judge_user_id(&a, &s, 1).await;
    let user: Value = a.get(&format!("/api/v1/users/{judge1}"), &s.admin).await.json().await.unwrap();
    let path = format!("/api/v1/users/{judge1}");
    let body = json!({"version": user["version"], "is_active": false});
    ok(a.call(Method::PATCH, &path, Some(&s.admin), Some(body)).await, 200).await;

    // B hears both within a moment (its listener polls); until then a request may still pass,
    // as it would have a moment earlier, but once refused it stays refused.
    let mut n = 10;
    until("B refusing the revoked expert", async || {
        n += 1;
        let status = send(&client, Method::POST, &url, &s.judges[0], Some(mark(n))).await.status();
        // No longer anyone who may see the entry: they learn nothing about it.
        (status == 404).then_some(())
    })
    .await;
    until("B refusing the deactivated user", async || {
        let me = send(&client, Method::GET, &b.url("/api/v1/me"), &s.judges[1], None).await.status();
        (me == 401).then_some(())
    })
    .await;
    for _ in 0..3 {
        let res = send(&client, Method::POST, &url, &s.judges[0], Some(mark(99))).await;
        assert_eq!(res.status(), 404, "no longer an expert of the skill");
        let me = send(&client, Method::GET, &b.url("/api/v1/me"), &s.judges[1], None).await;
        assert_eq!(me.status(), 401, "deactivated: every token ended");
    }
    // Judge 2, unchanged, still marks through B.
    let res = send(&client, Method::POST, &url, &s.judges[2], Some(mark(100))).await;
    assert_eq!(res.status(), 200);
}

/// Two experts enter the first value of the same slot at the same moment through two instances:
/// one is saved, the other is told per mark who was first (`conflict` with the current value),
/// never a failed batch. Four judges score one aspect at once: three are saved, the fourth is
/// refused for that mark.
#[actix_web::test]
async fn first_values_racing_through_two_instances_are_one_saved_and_one_conflict() {
    let Some((a, s, b)) = two_instances().await else { return };
    let client = reqwest::Client::new();
    let freeze = format!("/api/v1/skills/{}/scheme/freeze", s.skill);
    ok(a.call(Method::POST, &freeze, Some(&s.admin), Some(json!({"version": 1}))).await, 200).await;
    let races = [
        (&s.entry_sh, "A1.1", json!(5000), &s.judges[1], &s.judges[2]),
        (&s.entry_sh, "B1.1", json!(1), &s.judges[1], &s.judges[2]),
        (&s.entry_sh, "B1.2", json!(1000), &s.judges[1], &s.judges[2]),
        (&s.entry_tj, "A1.1", json!(5000), &s.judges[0], &s.sh_expert),
        (&s.entry_tj, "B1.1", json!(1), &s.judges[0], &s.sh_expert),
        (&s.entry_tj, "B1.2", json!(1000), &s.judges[0], &s.sh_expert),
    ];
    for (n, (entry, aspect, value, first, second)) in races.into_iter().enumerate() {
        let field = if aspect == "B1.1" { "deductions" } else { "amount" };
        let batch =
            |who: &str| json!({"marks": [{"client_id": format!("race-{n}-{who}"), "aspect": aspect, field: value}]});
        let path = format!("/api/v1/entries/{entry}/marks");
        let (via_a, via_b) = (a.url(&path), b.url(&path));
        let (x, y) = tokio::join!(
            send(&client, Method::POST, &via_a, first, Some(batch("a"))),
            send(&client, Method::POST, &via_b, second, Some(batch("b"))),
        );
        assert_eq!((x.status().as_u16(), y.status().as_u16()), (200, 200), "{aspect} of {entry}: per-mark answers");
        let (x, y): (Value, Value) = (x.json().await.unwrap(), y.json().await.unwrap());
        let mut outcomes = [x["results"][0]["outcome"].clone(), y["results"][0]["outcome"].clone()];
        outcomes.sort_by_key(|o| o.to_string());
        assert_eq!(outcomes, [json!("conflict"), json!("saved")], "{x} {y}");
        let loser = if x["results"][0]["outcome"] == "conflict" { &x } else { &y };
        assert_eq!(loser["results"][0]["current"]["value"], value, "the loser sees the value that won: {loser}");
    }
    // Four judges of TJ's entry score A1.2 at once, two through each instance.
    let path = format!("/api/v1/entries/{}/marks", s.entry_tj);
    let score = |who: &str| json!({"marks": [{"client_id": format!("four-{who}"), "aspect": "A1.2", "score": 2}]});
    let (via_a, via_b) = (a.url(&path), b.url(&path));
    let (w, x, y, z) = tokio::join!(
        send(&client, Method::POST, &via_a, &s.judges[0], Some(score("bj"))),
        send(&client, Method::POST, &via_b, &s.judges[1], Some(score("gd"))),
        send(&client, Method::POST, &via_a, &s.judges[2], Some(score("cq"))),
        send(&client, Method::POST, &via_b, &s.sh_expert, Some(score("sh"))),
    );
    let mut outcomes = Vec::new();
    for res in [w, x, y, z] {
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        outcomes.push(body["results"][0]["outcome"].as_str().unwrap().to_string());
    }
    outcomes.sort();
    assert_eq!(outcomes, ["rejected", "saved", "saved", "saved"], "three judges' scores, never four");
}
