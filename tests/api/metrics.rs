//! `/metrics`: served only to a scraper with the configured token, per route pattern (never a raw
//! path), with the pool, write-queue and live-listener series an operator watches.

use std::collections::HashMap;

use reqwest::Method;
use serde_json::json;

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::marking::ok;

const TOKEN: &str = "metrics-token-for-the-tests-0123456789";

/// One sample of the text exposition: its name, labels and value.
struct Sample {
    name: String,
    labels: HashMap<String, String>,
    value: f64,
}

/// Scrapes `/metrics` with the token, as Prometheus would, and reads the text exposition.
async fn scrape(app: &TestApp) -> Vec<Sample> {
    let res = app.client.get(app.url("/metrics")).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let content_type = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with("text/plain; version=0.0.4"), "{content_type}");
    let text = res.text().await.unwrap();
    text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(parse_line).collect()
}

/// `name{label="value",…} 1.5`, label values escaped as the format says (`\"`, `\\`, `\n`); a
/// route pattern's braces are part of its value.
fn parse_line(line: &str) -> Sample {
    let name_end = line.find(['{', ' ']).unwrap_or_else(|| panic!("no value in {line:?}"));
    let (name, mut rest) = line.split_at(name_end);
    let mut labels = HashMap::new();
    if let Some(inner) = rest.strip_prefix('{') {
        let mut chars = inner.char_indices();
        let mut key = String::new();
        loop {
            let (i, c) = chars.next().unwrap_or_else(|| panic!("unterminated labels in {line:?}"));
            match c {
                '}' => {
                    rest = &inner[i + 1..];
                    break;
                }
                ',' => {}
                '=' => {
                    assert_eq!(chars.next().map(|(_, c)| c), Some('"'), "{line:?}");
                    let mut value = String::new();
                    loop {
                        match chars.next().map(|(_, c)| c) {
                            Some('"') => break,
                            Some('\\') => match chars.next().map(|(_, c)| c) {
                                Some('n') => value.push('\n'),
                                Some(c) => value.push(c),
                                None => panic!("unterminated escape in {line:?}"),
                            },
                            Some(c) => value.push(c),
                            None => panic!("unterminated value in {line:?}"),
                        }
                    }
                    labels.insert(std::mem::take(&mut key), value);
                }
                c => key.push(c),
            }
        }
    }
    let value = rest.split_whitespace().next().unwrap_or_else(|| panic!("no value in {line:?}"));
    let value = match value {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        v => v.parse().unwrap_or_else(|_| panic!("not a number in {line:?}")),
    };
    Sample { name: name.to_string(), labels, value }
}

/// The value of the sample `name` whose labels include `labels`, if there is one.
fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .find(|s| s.name == name && labels.iter().all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v)))
        .map(|s| s.value)
}

both_engines!(operators_scrape_requests_writes_pool_and_listeners_with_the_token(
    "SKILLMARK_METRICS_TOKEN" = "metrics-token-for-the-tests-0123456789"
));

async fn operators_scrape_requests_writes_pool_and_listeners_with_the_token(app: TestApp) {
    // Nobody else reads them.
    let res = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    let res = app.client.get(app.url("/metrics")).bearer_auth("metrics-token-for-the-tests-012345678").send().await;
    assert_eq!(res.unwrap().status(), 401);

    for _ in 0..3 {
        assert_eq!(app.client.get(app.url("/healthz")).send().await.unwrap().status(), 200);
    }
    // A marking day's writes: an event set up, a scheme frozen, an expert's marks saved.
    let s = crate::marking::set_up(&app, false).await;
    let freeze = format!("/api/v1/skills/{}/scheme/freeze", s.skill);
    ok(app.call(Method::POST, &freeze, Some(&s.admin), Some(json!({"version": 1}))).await, 200).await;
    let batch = json!({"marks": [{"client_id": "m-1", "aspect": "A1.1", "amount": 5000}]});
    let marks = format!("/api/v1/entries/{}/marks", s.entry_tj);
    ok(app.call(Method::POST, &marks, Some(&s.judges[0]), Some(batch.clone())).await, 200).await;
    ok(app.call(Method::POST, &marks, Some(&s.judges[0]), Some(batch)).await, 200).await;
    // A venue screen listening.
    let mut screen =
        app.client.get(app.url(&format!("/api/v1/public/events/{}/stream", s.event))).send().await.unwrap();
    assert_eq!(screen.status(), 200);
    assert!(screen.chunk().await.unwrap().is_some(), "the stream opened");

    let m = scrape(&app).await;
    let healthz = [("method", "GET"), ("route", "/healthz"), ("status", "2xx")];
    assert_eq!(value(&m, "skillmark_http_requests_total", &healthz), Some(3.0));
    let marked = [("method", "POST"), ("route", "/api/v1/entries/{id}/marks"), ("status", "2xx")];
    assert_eq!(value(&m, "skillmark_http_requests_total", &marked), Some(2.0));
    assert_eq!(value(&m, "skillmark_http_request_duration_seconds_count", &marked), Some(2.0), "a histogram per route");
    let unauthorised = [("method", "GET"), ("route", "/metrics"), ("status", "4xx")];
    assert_eq!(value(&m, "skillmark_http_requests_total", &unauthorised), Some(2.0));
    // Routes are patterns: no label carries an id.
    let bucket = [("route", "/api/v1/entries/{id}/marks"), ("le", "+Inf")];
    assert_eq!(value(&m, "skillmark_http_request_duration_seconds_bucket", &bucket), Some(2.0));
    for sample in &m {
        if let Some(route) = sample.labels.get("route") {
            assert!(!route.contains(&s.entry_tj) && !route.contains(&s.event), "{route}");
        }
    }
    assert_eq!(value(&m, "skillmark_db_pool_max_connections", &[]), Some(4.0), "the tests' pool size");
    assert!(value(&m, "skillmark_db_pool_connections", &[("state", "in_use")]).is_some());
    assert!(value(&m, "skillmark_db_pool_connections", &[("state", "idle")]).unwrap() >= 1.0);
    assert!(value(&m, "skillmark_db_pool_wait_seconds_count", &[]).unwrap() > 0.0);
    assert_eq!(value(&m, "skillmark_db_pool_waiting", &[]), Some(0.0));
    // Every write above went through the write queue.
    assert!(value(&m, "skillmark_db_write_wait_seconds_count", &[]).unwrap() >= 10.0);
    assert!(value(&m, "skillmark_db_write_duration_seconds_count", &[]).unwrap() >= 10.0);
    assert_eq!(value(&m, "skillmark_db_write_waiting", &[]), Some(0.0));
    assert_eq!(value(&m, "skillmark_live_listeners", &[]), Some(1.0));
    drop(screen);
}

#[actix_web::test]
async fn without_the_setting_there_is_no_metrics_endpoint() {
    let app = TestApp::spawn(Engine::Sqlite, &[]).await;
    let res = app.client.get(app.url("/metrics")).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(res.status(), 404, "not the web app's page either");
    assert!(app.state.metrics.is_none(), "nothing is kept");
}
