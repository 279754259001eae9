//! The publication moment: the demo event (46 delegations, 50 skills, three skills already public)
//! on a real server, then
//! 1. cached public results, closed loop: full `200` bodies, then `304` revalidations (ETag);
//! 2. 1,000 SSE listeners and 5,000 clients polling every second (with their ETag) while the
//!    organiser publishes three more skills: how long until every listener hears of it, and the
//!    pollers' latency meanwhile.
//!
//! Client and server share this machine's cores. Run: `cargo bench --bench publication`
//! (PostgreSQL from `TEST_DATABASE_URL` if reachable). Results go in `docs/performance.md`.
//!
//! The limit, measured in the same run: a bare actix-web handler (same number of workers) that
//! answers the same bytes with the same ETag (`200`, or `304` to `If-None-Match`), loaded by the
//! same generator. `BENCH_ONLY=cached` runs part 1 only; with `wrk` on the PATH, part 1 is also
//! measured by `wrk` (an out-of-process load generator, one thread) against both.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::json;

const LISTENERS: usize = 1_000;
const POLLERS: usize = 5_000;

fn client() -> reqwest::Client {
    reqwest::Client::builder().pool_max_idle_per_host(10_000).timeout(Duration::from_secs(30)).build().unwrap()
}

async fn run(engine: &str, database_url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (base, state) = common::start_server(common::settings(database_url, dir.path()));
    let summary =
        state.db(|conn| skillmark::demo::load(conn, 2019, "http://skillmark.test")).await.expect("demo loads");
    let event = summary.event_id.clone();
    let results = format!("{base}/api/v1/public/events/{event}/results");
    let http = client();

    // 1. Closed loop on the cached document, beside a bare handler serving the same bytes.
    let first = http.get(&results).send().await.unwrap();
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let body = first.bytes().await.unwrap();
    let size = body.len();
    let bare = bare::start(body, etag.clone(), state.settings.workers);
    for (label, conditional) in [("public results 200", false), ("public results 304", true)] {
        for concurrency in [64, 256] {
            let mut served = None;
            for (who, url) in [("Skillmark", &results), ("bare handler", &bare)] {
                let stats = closed_loop(&http, url, conditional.then_some(etag.as_str()), concurrency).await;
                common::row(engine, &format!("{label} ({size} B), {who}"), concurrency, &stats);
                match served {
                    None => served = Some(stats.throughput()),
                    Some(ours) => println!(
                        "| {engine} | {label}: Skillmark ÷ bare handler | {concurrency} | {:.2} | | | | |",
                        ours / stats.throughput()
                    ),
                }
            }
            if let (Some(ours), Some(limit)) =
                (wrk(&results, &etag, conditional, concurrency), wrk(&bare, &etag, conditional, concurrency))
            {
                println!(
                    "| {engine} | {label}, wrk: Skillmark {:.0} req/s (p99 {:.1} ms), bare handler {:.0} req/s (p99 {:.1} ms) | {concurrency} | {:.2} | | | | |",
                    ours.0, ours.1, limit.0, limit.1, ours.0 / limit.0
                );
            }
        }
    }
    if std::env::var("BENCH_ONLY").is_ok_and(|v| v == "cached") {
        return;
    }

    // 2. The moment: listeners and pollers connected, then three more skills published.
    let heard: Arc<Mutex<Vec<Instant>>> = Arc::new(Mutex::new(Vec::new()));
    let connected = Arc::new(AtomicU64::new(0));
    let stream_url = format!("{base}/api/v1/public/events/{event}/stream");
    for _ in 0..LISTENERS {
        let (http, url, heard, connected) = (client(), stream_url.clone(), heard.clone(), connected.clone());
        tokio::spawn(async move {
            let Ok(res) = http.get(&url).send().await else { return };
            let mut body = res.bytes_stream();
            connected.fetch_add(1, Ordering::Relaxed);
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
    while connected.load(Ordering::Relaxed) < LISTENERS as u64 {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let poll_latencies: Arc<Mutex<Vec<u64>>> = Arc::new(Mutex::new(Vec::new()));
    let poll_errors = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let pollers = client();
    let mut tasks = Vec::new();
    for i in 0..POLLERS {
        let (http, url, lat, errors, stop) =
            (pollers.clone(), results.clone(), poll_latencies.clone(), poll_errors.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            // Spread the first polls over the first second.
            tokio::time::sleep(Duration::from_micros((i as u64 * 1_000_000) / POLLERS as u64)).await;
            let mut etag = String::new();
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            while !stop.load(Ordering::Relaxed) {
                tick.tick().await;
                let t = Instant::now();
                match http.get(&url).header("If-None-Match", &etag).send().await {
                    Ok(r) if r.status().is_success() || r.status().as_u16() == 304 => {
                        if let Some(e) = r.headers().get("etag") {
                            etag = e.to_str().unwrap_or_default().to_string();
                        }
                        let _ = r.bytes().await;
                        lat.lock().unwrap().push(t.elapsed().as_micros() as u64);
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(4)).await;
    poll_latencies.lock().unwrap().clear();
    let window = Instant::now();
    let token = common::sign_in(&http, &base, "organiser@demo.skillmark.org", &summary.password).await;
    let published_at = Instant::now();
    let res = http
        .post(format!("{base}/api/v1/events/{event}/results/publish"))
        .bearer_auth(&token)
        .json(&json!({"audience": "public"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "publish: {}", res.text().await.unwrap_or_default());
    let publish_ms = published_at.elapsed().as_secs_f64() * 1000.0;
    let deadline = Instant::now() + Duration::from_secs(10);
    while heard.lock().unwrap().len() < LISTENERS && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut delays: Vec<f64> =
        heard.lock().unwrap().iter().map(|t| t.duration_since(published_at).as_secs_f64() * 1000.0).collect();
    delays.sort_by(f64::total_cmp);
    tokio::time::sleep(Duration::from_secs(4)).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    let window = window.elapsed().as_secs_f64();
    let mut lat = std::mem::take(&mut *poll_latencies.lock().unwrap());
    lat.sort_unstable();
    let pct =
        |p: f64| lat.get(((lat.len().max(1) - 1) as f64 * p).round() as usize).map_or(f64::NAN, |v| *v as f64 / 1000.0);
    println!("| {engine} | publish 3 skills (request) | 1 | - | {publish_ms:.1} | - | - | 0 |");
    println!(
        "| {engine} | SSE listeners notified: {}/{} | {LISTENERS} | - | {:.1} | {:.1} | {:.1} (max {:.1}) | {} |",
        delays.len(),
        LISTENERS,
        delays.get(delays.len() / 2).copied().unwrap_or(f64::NAN),
        delays.get(delays.len() * 95 / 100).copied().unwrap_or(f64::NAN),
        delays.get(delays.len() * 99 / 100).copied().unwrap_or(f64::NAN),
        delays.last().copied().unwrap_or(f64::NAN),
        LISTENERS - delays.len(),
    );
    println!(
        "| {engine} | pollers during publication (1/s each) | {POLLERS} | {:.0} | {:.1} | {:.1} | {:.1} | {} |",
        lat.len() as f64 / window,
        pct(0.5),
        pct(0.95),
        pct(0.99),
        poll_errors.load(Ordering::Relaxed)
    );
}

async fn closed_loop(http: &reqwest::Client, url: &str, etag: Option<&str>, concurrency: usize) -> common::Stats {
    let (http, url, etag) = (http.clone(), url.to_string(), etag.map(str::to_string));
    common::load(concurrency, 8, move |_, _| {
        let mut req = http.get(&url);
        if let Some(etag) = &etag {
            req = req.header("If-None-Match", etag);
        }
        let want = if etag.is_some() { 304 } else { 200 };
        let req = req.send();
        async move {
            match req.await {
                Ok(r) if r.status().as_u16() == want => r.bytes().await.is_ok(),
                _ => false,
            }
        }
    })
    .await
}

/// `wrk` (one thread, `concurrency` connections, 8 s) against `url`: (requests/s, p99 ms), or
/// `None` when `wrk` is not installed.
fn wrk(url: &str, etag: &str, conditional: bool, concurrency: usize) -> Option<(f64, f64)> {
    let mut cmd = std::process::Command::new("wrk");
    cmd.args(["-t1", &format!("-c{concurrency}"), "-d8s", "--latency"]);
    if conditional {
        cmd.args(["-H", &format!("If-None-Match: {etag}")]);
    }
    let out = cmd.arg(url).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let number = |line: &str| line.split_whitespace().nth(1).map(str::to_string);
    let rps: f64 = text.lines().find(|l| l.starts_with("Requests/sec:")).and_then(number)?.parse().ok()?;
    let p99 = text.lines().find(|l| l.trim_start().starts_with("99%")).and_then(|l| {
        let v = l.split_whitespace().nth(1)?;
        let (n, unit) = v.split_at(v.find(|c: char| c.is_alphabetic())?);
        let n: f64 = n.parse().ok()?;
        Some(match unit {
            "us" => n / 1000.0,
            "ms" => n,
            "s" => n * 1000.0,
            _ => return None,
        })
    })?;
    Some((rps, p99))
}

/// The limit: actix-web with nothing but a handler that answers the same bytes and ETag.
mod bare {
    use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};

    pub fn start(body: web::Bytes, etag: String, workers: usize) -> String {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    let (body, etag) = (body.clone(), etag.clone());
                    App::new().route(
                        "/results",
                        web::get().to(move |req: HttpRequest| {
                            let (body, etag) = (body.clone(), etag.clone());
                            async move {
                                let fresh =
                                    req.headers().get("if-none-match").is_some_and(|v| v.as_bytes() == etag.as_bytes());
                                if fresh {
                                    HttpResponse::NotModified().insert_header(("etag", etag)).finish()
                                } else {
                                    HttpResponse::Ok()
                                        .insert_header(("etag", etag))
                                        .content_type("application/json")
                                        .body(body)
                                }
                            }
                        }),
                    )
                })
                .workers(workers)
                .bind(("127.0.0.1", 0))
                .unwrap();
                tx.send(format!("http://{}/results", server.addrs()[0])).unwrap();
                server.run().await.unwrap();
            });
        });
        rx.recv().unwrap()
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        println!("| engine | operation | clients | req/s | p50 ms | p95 ms | p99 ms | errors |");
        println!("|---|---|---|---|---|---|---|---|");
        let dir = tempfile::tempdir().unwrap();
        run("SQLite", &dir.path().join("bench.db").to_string_lossy()).await;
        if let Some((url, mut admin, name)) = common::postgres_database("publication") {
            run("PostgreSQL", &url).await;
            common::drop_database(&mut admin, &name);
        }
    });
}
