//! What operators watch during a marking day, as Prometheus metrics at `/metrics`: requests and
//! their latency per route, the write queue, the database pool and the live-result listeners.
//!
//! Off unless `SKILLMARK_METRICS_TOKEN` is set; then `/metrics` answers only a scraper that sends
//! the token as a bearer token (anyone else gets 401), and without it the path is 404. Each server
//! has its own registry (the tests start many in one process). Nothing here decides anything: the
//! request middleware, `AppState::db` and `db::write_tx` only report to it, and each report is a
//! few atomic operations (the `prometheus` crate's own), no lock of ours.

use std::cell::RefCell;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, HttpResponse};
use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
};
use sha2::{Digest, Sha256};

use crate::db::Pool;
use crate::error::{ApiError, ApiResult};
use crate::live::Hub;
use crate::state::AppState;

/// The route label of a request no route matched (its raw path is never a label: ids in it would
/// make a series per id).
pub const UNMATCHED: &str = "unmatched";

/// Bounds, in seconds, of the waits for a connection and for the write lock and of the time a
/// write holds it: sub-millisecond when idle, up to the pool's 5 s and SQLite's 10 s timeouts.
const WAIT_BUCKETS: &[f64] = &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

pub struct Metrics {
    registry: Registry,
    /// SHA-256 of the token a scraper must send (compared as digests, so in constant time).
    token: [u8; 32],
    requests: IntCounterVec,
    latency: HistogramVec,
    pool_connections: IntGaugeVec,
    pool_max: IntGauge,
    pool_waiting: IntGauge,
    pool_wait: Histogram,
    write_waiting: IntGauge,
    write_wait: Histogram,
    write_held: Histogram,
    live_listeners: IntGauge,
}

impl Metrics {
    /// A registry with every metric, answering scrapers that send `token`.
    pub fn new(token: &str) -> Self {
        let registry = Registry::new_custom(Some("skillmark".into()), None).expect("a valid prefix");
        let route_labels = &["method", "route", "status"];
        let requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests answered, by method, route pattern and status class"),
            route_labels,
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time from a request's arrival to its response's head, by method, route pattern and status class",
            ),
            route_labels,
        )
        .expect("valid metric");
        let pool_connections = IntGaugeVec::new(
            Opts::new("db_pool_connections", "Open database connections in the pool, in use or idle"),
            &["state"],
        )
        .expect("valid metric");
        let pool_max =
            IntGauge::new("db_pool_max_connections", "Most connections the pool opens (SKILLMARK_DB_POOL_SIZE)")
                .expect("valid metric");
        let pool_waiting = IntGauge::new("db_pool_waiting", "Requests waiting for a database connection from the pool")
            .expect("valid metric");
        let pool_wait = Histogram::with_opts(
            HistogramOpts::new("db_pool_wait_seconds", "Time a request waited for a database connection")
                .buckets(WAIT_BUCKETS.to_vec()),
        )
        .expect("valid metric");
        let write_waiting = IntGauge::new(
            "db_write_waiting",
            "Writing transactions waiting to begin (on SQLite: queued for the database's one write lock)",
        )
        .expect("valid metric");
        let write_wait = Histogram::with_opts(
            HistogramOpts::new(
                "db_write_wait_seconds",
                "Time a writing transaction waited to begin (on SQLite: for the write lock)",
            )
            .buckets(WAIT_BUCKETS.to_vec()),
        )
        .expect("valid metric");
        let write_held = Histogram::with_opts(
            HistogramOpts::new(
                "db_write_duration_seconds",
                "Time from a writing transaction's begin to its commit or rollback (on SQLite, every other \
                 writer waits this long)",
            )
            .buckets(WAIT_BUCKETS.to_vec()),
        )
        .expect("valid metric");
        let live_listeners =
            IntGauge::new("live_listeners", "Open live-result streams (venue screens, public results)")
                .expect("valid metric");
        for collector in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(pool_connections.clone()),
            Box::new(pool_max.clone()),
            Box::new(pool_waiting.clone()),
            Box::new(pool_wait.clone()),
            Box::new(write_waiting.clone()),
            Box::new(write_wait.clone()),
            Box::new(write_held.clone()),
            Box::new(live_listeners.clone()),
        ] {
            registry.register(collector).expect("metric names are unique");
        }
        Self {
            registry,
            token: Sha256::digest(token.as_bytes()).into(),
            requests,
            latency,
            pool_connections,
            pool_max,
            pool_waiting,
            pool_wait,
            write_waiting,
            write_wait,
            write_held,
            live_listeners,
        }
    }

    /// Whether an `Authorization` header carries the token.
    fn authorised(&self, authorization: Option<&header::HeaderValue>) -> bool {
        let Some(sent) = authorization.and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")) else {
            return false;
        };
        let sent: [u8; 32] = Sha256::digest(sent.trim().as_bytes()).into();
        sent.iter().zip(self.token).fold(0u8, |diff, (a, b)| diff | (a ^ b)) == 0
    }

    fn observe_request(&self, method: &str, route: &str, status: StatusCode, took: Duration) {
        let labels = [method, route, status_class(status)];
        self.requests.with_label_values(&labels).inc();
        self.latency.with_label_values(&labels).observe(took.as_secs_f64());
    }

    /// The text exposition, with the gauges read now from the pool and the hub.
    pub fn render(&self, pool: &Pool, hub: &Hub) -> anyhow::Result<String> {
        let state = pool.state();
        let idle = i64::from(state.idle_connections);
        self.pool_connections.with_label_values(&["in_use"]).set(i64::from(state.connections) - idle);
        self.pool_connections.with_label_values(&["idle"]).set(idle);
        self.pool_max.set(i64::from(pool.max_size()));
        self.live_listeners.set(i64::try_from(hub.listeners()).unwrap_or(i64::MAX));
        let mut text = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut text)?;
        Ok(String::from_utf8(text)?)
    }
}

/// `2xx`, `4xx`, …: what dashboards group by, five series per route at most.
fn status_class(status: StatusCode) -> &'static str {
    match status.as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// The method as a label; methods no route takes are one label, not one each.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Middleware: counts and times every request by its route's pattern (`/api/v1/entries/{id}/marks`)
/// when metrics are on; passes requests straight through when they are off.
pub async fn record_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let Some(metrics) = req.app_data::<web::Data<AppState>>().and_then(|s| s.metrics.clone()) else {
        return next.call(req).await;
    };
    let route = req.match_pattern();
    let method = method_label(req.method());
    let started = Instant::now();
    let res = next.call(req).await;
    let status = match &res {
        Ok(res) => res.status(),
        Err(e) => e.as_response_error().status_code(),
    };
    metrics.observe_request(method, route.as_deref().unwrap_or(UNMATCHED), status, started.elapsed());
    res
}

/// `/metrics`, outside the API (`/api/v1`) and its OpenAPI document: an operator's endpoint.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/metrics").get(scrape));
}

async fn scrape(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let Some(metrics) = &state.metrics else {
        return Err(ApiError::NotFound { what: "page" });
    };
    if !metrics.authorised(req.headers().get(header::AUTHORIZATION)) {
        return Err(ApiError::unauthenticated("send the metrics token (SKILLMARK_METRICS_TOKEN) as a bearer token"));
    }
    let text = metrics.render(&state.pool, &state.hub).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type(prometheus::TEXT_FORMAT)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(text))
}

thread_local! {
    /// The metrics of the server whose database work this thread is doing (`scope`).
    static CURRENT: RefCell<Option<Arc<Metrics>>> = const { RefCell::new(None) };
}

/// Runs `f` (a request's database work, on a blocking thread) reporting to `metrics`, so that
/// `db::write_tx` reports its waits without a parameter on every function (as `Clock::scope`).
pub fn scope<T>(metrics: Option<&Arc<Metrics>>, f: impl FnOnce() -> T) -> T {
    let Some(metrics) = metrics else { return f() };
    struct Restore(Option<Arc<Metrics>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| *c.borrow_mut() = self.0.take());
        }
    }
    let _restore = Restore(CURRENT.with(|c| c.borrow_mut().replace(metrics.clone())));
    f()
}

/// Takes a connection from the pool with `get`, counting the wait.
pub fn checkout<T>(metrics: Option<&Metrics>, get: impl FnOnce() -> T) -> T {
    let Some(metrics) = metrics else { return get() };
    metrics.pool_waiting.inc();
    let started = Instant::now();
    let conn = get();
    metrics.pool_wait.observe(started.elapsed().as_secs_f64());
    metrics.pool_waiting.dec();
    conn
}

/// One writing transaction in the write queue: waiting to begin from `wait` until `began`, then
/// holding the write lock until dropped (after its commit or rollback). Reports to the metrics of
/// the current `scope`, if any.
pub struct WriteQueue {
    metrics: Option<Arc<Metrics>>,
    since: Instant,
    began: bool,
}

impl WriteQueue {
    pub fn wait() -> Self {
        let metrics = CURRENT.with(|c| c.borrow().clone());
        if let Some(m) = &metrics {
            m.write_waiting.inc();
        }
        Self { metrics, since: Instant::now(), began: false }
    }

    pub fn began(&mut self) {
        if let Some(m) = &self.metrics {
            m.write_waiting.dec();
            m.write_wait.observe(self.since.elapsed().as_secs_f64());
        }
        self.began = true;
        self.since = Instant::now();
    }
}

impl Drop for WriteQueue {
    fn drop(&mut self) {
        let Some(m) = &self.metrics else { return };
        if self.began {
            m.write_held.observe(self.since.elapsed().as_secs_f64());
        } else {
            // The transaction never began (its BEGIN failed).
            m.write_waiting.dec();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_token_opens_the_door() {
        let m = Metrics::new("a-metrics-token-of-thirty-two-chars!");
        let value = |v: &str| header::HeaderValue::from_str(v).unwrap();
        assert!(m.authorised(Some(&value("Bearer a-metrics-token-of-thirty-two-chars!"))));
        assert!(!m.authorised(Some(&value("Bearer a-metrics-token-of-thirty-two-chars"))));
        assert!(!m.authorised(Some(&value("a-metrics-token-of-thirty-two-chars!"))));
        assert!(!m.authorised(Some(&value("Basic a-metrics-token-of-thirty-two-chars!"))));
        assert!(!m.authorised(None));
    }

    #[test]
    fn labels_stay_few() {
        assert_eq!(status_class(StatusCode::NO_CONTENT), "2xx");
        assert_eq!(status_class(StatusCode::CONFLICT), "4xx");
        assert_eq!(status_class(StatusCode::SERVICE_UNAVAILABLE), "5xx");
        assert_eq!(method_label(&Method::PUT), "PUT");
        assert_eq!(method_label(&Method::from_bytes(b"PROPFIND").unwrap()), "other");
    }

    #[test]
    fn the_write_queue_counts_waiting_and_held_transactions_in_its_scope_only() {
        let m = Arc::new(Metrics::new("token"));
        drop(WriteQueue::wait());
        assert_eq!(m.write_wait.get_sample_count(), 0, "outside a scope nothing is reported");
        scope(Some(&m), || {
            let mut first = WriteQueue::wait();
            let second = WriteQueue::wait();
            assert_eq!(m.write_waiting.get(), 2);
            first.began();
            assert_eq!(m.write_waiting.get(), 1);
            drop(second);
            drop(first);
        });
        assert_eq!(m.write_waiting.get(), 0);
        assert_eq!(m.write_wait.get_sample_count(), 1);
        assert_eq!(m.write_held.get_sample_count(), 1);
        assert!(CURRENT.with(|c| c.borrow().is_none()), "the scope ends with its work");
    }
}
