//! Live result updates: "results published/changed" notices fan out to server-sent-event
//! listeners and invalidate the public-results cache. On SQLite (one instance) a notice is
//! delivered in process; on PostgreSQL it goes through `NOTIFY`, and every instance's listener
//! (this one included) delivers it, so a publication on one instance reaches them all.
//!
//! On PostgreSQL a notice reaches the other instances some time after the change was answered
//! (their listeners poll), so there the cache does not rely on notices to be current: every
//! cached document carries the database's change mark read before it was built, and a read serves
//! it only if it is at least the mark read by a check that started after the read arrived. One
//! check runs at a time and every read that arrived before it started shares it: one query per
//! round trip under load, not one per read. On SQLite there is one instance and the notice is
//! delivered before the change is answered, so no check is needed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use utoipa::ToSchema;

use crate::db::{DbConn, Pool};

const CHANNEL: &str = "skillmark_results";

/// A change listeners hear about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ResultsChanged {
    pub event_id: crate::domain::ids::EventId,
    // Empty when every skill of the event may have changed.
    pub skill_id: String,
    /// `published` (released to a wider audience), `changed` (re-published after a dispute),
    /// `ceremony` (a medal revealed), `reopened` (reopened by an upheld dispute).
    pub kind: String,
    /// Whether the change is about results released to the public; the public stream carries
    /// only these (a release to experts or delegations is nobody else's news).
    pub public: bool,
}

/// How long a cached public snapshot is served without a change notice (a safety net: notices
/// normally invalidate it at once).
pub const CACHE_TTL: Duration = Duration::from_secs(5);

/// A prepared value, when it was prepared and the change mark read before its data (`None`: the
/// mark could not be read).
type Cached = (Instant, Option<i64>, Arc<dyn std::any::Any + Send + Sync>);

/// The checks of the change mark (see the module doc).
#[derive(Default)]
struct Checks {
    /// Checks started so far.
    started: u64,
    running: bool,
    /// The last completed check: its number and the mark read (`None`: unreadable).
    done: (u64, Option<i64>),
}

/// Fan-out of change notices plus the cache of prepared public documents per event.
pub struct Hub {
    tx: broadcast::Sender<ResultsChanged>,
    cache: Mutex<HashMap<String, Cached>>,
    generation: AtomicU64,
    /// One rebuild at a time: when results change, thousands of readers miss the cache at once
    /// and all but one wait for that one's document instead of each building their own.
    rebuilding: tokio::sync::Mutex<()>,
    /// Whether other instances may change the database (PostgreSQL): reads check the mark.
    shared: std::sync::atomic::AtomicBool,
    /// Whether the listener is connected, so that no notice is missed (PostgreSQL).
    listening: std::sync::atomic::AtomicBool,
    checks: Mutex<Checks>,
    /// Bumped when a check ends, waking the reads waiting for it.
    check_ended: tokio::sync::watch::Sender<u64>,
}

/// The cache key of the list of events with public results.
pub const PUBLIC_EVENTS: &str = "public-events";

impl Default for Hub {
    fn default() -> Self {
        Self {
            tx: broadcast::channel(1024).0,
            cache: Mutex::new(HashMap::new()),
            generation: AtomicU64::new(0),
            rebuilding: tokio::sync::Mutex::new(()),
            shared: std::sync::atomic::AtomicBool::new(false),
            listening: std::sync::atomic::AtomicBool::new(false),
            checks: Mutex::new(Checks::default()),
            check_ended: tokio::sync::watch::Sender::new(0),
        }
    }
}

impl Hub {
    pub fn subscribe(&self) -> broadcast::Receiver<ResultsChanged> {
        self.tx.subscribe()
    }

    /// Open live streams (each holds one subscription).
    pub fn listeners(&self) -> usize {
        self.tx.receiver_count()
    }

    /// Tells every instance's listeners (call after the change is committed).
    pub fn announce(&self, conn: &mut DbConn, changes: &[ResultsChanged]) {
        for change in changes {
            match conn {
                DbConn::Pg(c) => {
                    let payload = serde_json::to_string(change).unwrap_or_default();
                    match diesel::sql_query("SELECT pg_notify($1, $2)")
                        .bind::<diesel::sql_types::Text, _>(CHANNEL)
                        .bind::<diesel::sql_types::Text, _>(payload)
                        .execute(c)
                    {
                        // Listeners here hear it through LISTEN like everyone else; the cache
                        // here is dropped now, before the change is answered.
                        Ok(_) => self.invalidate(&change.event_id.to_string()),
                        Err(e) => {
                            tracing::warn!(error = %e, "NOTIFY failed; delivering the change here only");
                            self.deliver(change.clone());
                        }
                    }
                }
                DbConn::Sqlite(_) => self.deliver(change.clone()),
            }
        }
    }

    fn deliver(&self, change: ResultsChanged) {
        self.invalidate(&change.event_id.to_string());
        // No receivers is fine: nobody is listening.
        let _ = self.tx.send(change);
    }

    /// Drops the event's cached documents (and the list of events).
    fn invalidate(&self, event_id: &str) {
        let mut cache = self.cache.lock().expect("cache lock");
        self.generation.fetch_add(1, Ordering::SeqCst);
        cache.remove(event_id);
        cache.remove(PUBLIC_EVENTS);
    }

    /// Whether cached documents must be checked against the database's change mark (another
    /// instance may have changed it).
    pub fn shared(&self) -> bool {
        self.shared.load(Ordering::Relaxed)
    }

    /// The database's change mark as read by a query started after this call (see the module
    /// doc): a check already running when the call arrives may have read the database before a
    /// change this caller was told about, so the caller waits for the next one, which it shares
    /// with every caller that arrived meanwhile. `None` when the mark cannot be read.
    pub async fn change_mark<F, Fut>(&self, read: F) -> Option<i64>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Option<i64>>,
    {
        let arrived = self.checks.lock().expect("checks lock").started;
        let mut read = Some(read);
        loop {
            // Subscribed before looking, so a check ending meanwhile still wakes this caller.
            let mut ended = self.check_ended.subscribe();
            let lead = {
                let mut checks = self.checks.lock().expect("checks lock");
                if checks.done.0 > arrived {
                    return checks.done.1;
                }
                if checks.running {
                    None
                } else {
                    checks.running = true;
                    checks.started += 1;
                    Some(checks.started)
                }
            };
            if let Some(number) = lead {
                // Each round either returns or leads at most once, and leading returns.
                let read = read.take().expect("a caller leads one check at most");
                // A caller that goes away mid-check (the client hung up) must not leave it running.
                let running = RunningCheck(self);
                let mark = read().await;
                {
                    let mut checks = self.checks.lock().expect("checks lock");
                    if number > checks.done.0 {
                        checks.done = (number, mark);
                    }
                }
                drop(running);
                return mark;
            }
            // Wait for the running check; if it started before this caller arrived, the next
            // round starts another.
            let _ = ended.changed().await;
        }
    }

    /// The cached value for `key`, if built from data at least as new as change mark `mark`
    /// (marks only grow) and younger than the TTL; with no mark (the database did not answer),
    /// if younger than the TTL.
    pub fn get<T: Send + Sync + 'static>(&self, key: &str, mark: Option<i64>) -> Option<Arc<T>> {
        let cache = self.cache.lock().expect("cache lock");
        let (at, built_at, value) = cache.get(key)?;
        let current = match (mark, built_at) {
            (None, _) => true,
            (Some(wanted), Some(built)) => built >= &wanted,
            (Some(_), None) => false,
        };
        (current && at.elapsed() < CACHE_TTL).then(|| value.clone().downcast::<T>().ok()).flatten()
    }

    /// Held while rebuilding a cached document (see `rebuilding`); check the cache again once held.
    pub async fn rebuild_lock(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.rebuilding.lock().await
    }

    /// A mark to pass to `put`: values built from data read after it are current unless a
    /// notice arrives meanwhile.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Caches `value`, built from data read after change mark `mark`; without a mark, unless a
    /// change was delivered since `generation` (then it may be stale; with a mark, reads tell by
    /// the mark). Expired entries go at the same time (reads of unknown event ids cache their
    /// `None` too).
    pub fn put<T: Send + Sync + 'static>(&self, key: &str, value: T, generation: u64, mark: Option<i64>) -> Arc<T> {
        let value = Arc::new(value);
        let mut cache = self.cache.lock().expect("cache lock");
        if mark.is_some() || self.generation.load(Ordering::SeqCst) == generation {
            cache.retain(|_, (at, _, _)| at.elapsed() < CACHE_TTL);
            cache.insert(key.to_string(), (Instant::now(), mark, value.clone()));
        }
        value
    }

    /// Whether this instance hears every change another makes: on SQLite there is no other; on
    /// PostgreSQL, while the listener is connected (it may have missed notices before).
    pub fn in_touch(&self) -> bool {
        !self.shared() || self.listening.load(Ordering::SeqCst)
    }

    /// On PostgreSQL: a thread that `LISTEN`s on its own connection and delivers every notice,
    /// reconnecting after a database outage.
    pub fn listen_postgres(self: &Arc<Self>, url: String) {
        self.shared.store(true, Ordering::Relaxed);
        let hub = Arc::downgrade(self);
        std::thread::Builder::new()
            .name("results-listener".into())
            .spawn(move || loop {
                let Some(alive) = hub.upgrade() else { return };
                drop(alive);
                let outcome = listen_once(&url, &hub);
                if let Some(hub) = hub.upgrade() {
                    hub.listening.store(false, Ordering::SeqCst);
                }
                match outcome {
                    Ok(()) => return,
                    Err(e) => {
                        tracing::warn!(error = %e, "results listener lost its connection; retrying");
                        std::thread::sleep(Duration::from_secs(1));
                    }
                }
            })
            .expect("spawn results listener");
    }
}

/// Marks the hub's running check as ended when dropped (also when its caller goes away).
struct RunningCheck<'a>(&'a Hub);

impl Drop for RunningCheck<'_> {
    fn drop(&mut self) {
        self.0.checks.lock().expect("checks lock").running = false;
        self.0.check_ended.send_modify(|n| *n = n.wrapping_add(1));
    }
}

/// Listens until the hub is dropped (Ok) or the connection fails (Err).
fn listen_once(url: &str, hub: &std::sync::Weak<Hub>) -> anyhow::Result<()> {
    let mut conn = diesel::PgConnection::establish(url)?;
    diesel::sql_query(format!("LISTEN {CHANNEL}")).execute(&mut conn)?;
    diesel::sql_query(format!("LISTEN {}", crate::auth::callers::CHANNEL)).execute(&mut conn)?;
    // Changes made while no listener was connected were not heard.
    crate::auth::callers::heard_elsewhere();
    if let Some(hub) = hub.upgrade() {
        hub.listening.store(true, Ordering::SeqCst);
    }
    let mut last_ping = Instant::now();
    loop {
        let Some(hub) = hub.upgrade() else { return Ok(()) };
        for n in conn.notifications_iter() {
            let n = n?;
            if n.channel == crate::auth::callers::CHANNEL {
                crate::auth::callers::heard_elsewhere();
                continue;
            }
            match serde_json::from_str::<ResultsChanged>(&n.payload) {
                Ok(change) => hub.deliver(change),
                Err(e) => tracing::warn!(error = %e, "unreadable results notice"),
            }
        }
        drop(hub);
        // Another instance's change to a user's roles is heard within this (`auth::callers`).
        std::thread::sleep(Duration::from_millis(20));
        if last_ping.elapsed() > Duration::from_secs(5) {
            // A cheap round trip notices a connection the server dropped without a word.
            diesel::sql_query("SELECT 1").execute(&mut conn)?;
            last_ping = Instant::now();
        }
    }
}

/// Announces on a pooled connection (from async code, off the reactor).
pub async fn announce(pool: &Pool, hub: &Arc<Hub>, changes: Vec<ResultsChanged>) {
    if changes.is_empty() {
        return;
    }
    let (pool, hub) = (pool.clone(), hub.clone());
    let done = actix_web::web::block(move || match pool.get() {
        Ok(mut conn) => hub.announce(&mut conn, &changes),
        Err(e) => {
            tracing::warn!(error = %e, "no connection to announce results changes; delivering here only");
            for c in changes {
                hub.deliver(c);
            }
        }
    })
    .await;
    if let Err(e) = done {
        tracing::warn!(error = %e, "announcing results changes failed");
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use futures_util::FutureExt;

    use super::*;

    #[actix_web::test]
    async fn a_check_that_ended_before_a_read_arrived_is_not_reused() {
        let hub = Hub::default();
        let reads = Cell::new(0);
        let read = || async {
            reads.set(reads.get() + 1);
            Some(i64::from(reads.get()))
        };
        assert_eq!(hub.change_mark(read).await, Some(1));
        assert_eq!(hub.change_mark(read).await, Some(2));
    }

    #[actix_web::test]
    async fn reads_arriving_during_a_check_share_the_next_one() {
        let hub = Hub::default();
        let reads = Cell::new(0);
        let (open, gate) = tokio::sync::oneshot::channel::<()>();
        let first = hub.change_mark(|| async {
            reads.set(reads.get() + 1);
            let _ = gate.await;
            Some(1)
        });
        let later = async {
            // These arrive while the first check runs: it may have read the database before a
            // change they were told of, so they must not take its mark.
            let waiting = futures_util::future::join_all((0..10).map(|_| {
                hub.change_mark(|| async {
                    reads.set(reads.get() + 1);
                    Some(2)
                })
            }));
            let release = async {
                tokio::task::yield_now().await;
                open.send(()).unwrap();
            };
            tokio::join!(waiting, release).0
        };
        let (first, later) = tokio::join!(first, later);
        assert_eq!(first, Some(1));
        assert_eq!(later, vec![Some(2); 10]);
        assert_eq!(reads.get(), 2, "one check for the ten that waited");
    }

    #[actix_web::test]
    async fn a_check_whose_caller_went_away_does_not_block_the_next() {
        let hub = Hub::default();
        let mut abandoned = Box::pin(hub.change_mark(std::future::pending::<Option<i64>>));
        assert!(abandoned.as_mut().now_or_never().is_none());
        drop(abandoned);
        let next = hub.change_mark(|| async { Some(7) });
        let done = tokio::time::timeout(Duration::from_secs(5), next).await;
        assert_eq!(done, Ok(Some(7)));
    }

    #[test]
    fn a_document_serves_reads_whose_mark_it_has_reached() {
        let hub = Hub::default();
        hub.put("e", 1u8, hub.generation(), Some(10));
        assert!(hub.get::<u8>("e", Some(10)).is_some());
        assert!(hub.get::<u8>("e", Some(9)).is_some(), "built after a lower mark");
        assert!(hub.get::<u8>("e", Some(11)).is_none(), "a change was committed since");
        assert!(hub.get::<u8>("e", None).is_some(), "mark unreadable: by age");
        let stale = hub.generation();
        hub.invalidate("e");
        hub.put("e", 2u8, stale, None);
        assert!(hub.get::<u8>("e", None).is_none(), "without a mark, a notice since the build keeps it out");
    }
}
