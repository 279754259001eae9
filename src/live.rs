//! Live result updates: "results published/changed" notices fan out to server-sent-event
//! listeners and invalidate the public-results cache. On SQLite (one instance) a notice is
//! delivered in process; on PostgreSQL it goes through `NOTIFY`, and every instance's listener
//! (this one included) delivers it, so a publication on one instance reaches them all.

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
    pub event_id: String,
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

/// A prepared value and when it was prepared.
type Cached = (Instant, Arc<dyn std::any::Any + Send + Sync>);

/// Fan-out of change notices plus the cache of prepared public documents per event.
pub struct Hub {
    tx: broadcast::Sender<ResultsChanged>,
    cache: Mutex<HashMap<String, Cached>>,
    generation: AtomicU64,
    /// One rebuild at a time: when results change, thousands of readers miss the cache at once
    /// and all but one wait for that one's document instead of each building their own.
    rebuilding: tokio::sync::Mutex<()>,
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
        }
    }
}

impl Hub {
    pub fn subscribe(&self) -> broadcast::Receiver<ResultsChanged> {
        self.tx.subscribe()
    }

    /// Tells every instance's listeners (call after the change is committed).
    pub fn announce(&self, conn: &mut DbConn, changes: &[ResultsChanged]) {
        for change in changes {
            match conn {
                DbConn::Pg(c) => {
                    let payload = serde_json::to_string(change).unwrap_or_default();
                    if let Err(e) = diesel::sql_query("SELECT pg_notify($1, $2)")
                        .bind::<diesel::sql_types::Text, _>(CHANNEL)
                        .bind::<diesel::sql_types::Text, _>(payload)
                        .execute(c)
                    {
                        tracing::warn!(error = %e, "NOTIFY failed; delivering the change here only");
                        self.deliver(change.clone());
                    }
                }
                DbConn::Sqlite(_) => self.deliver(change.clone()),
            }
        }
    }

    fn deliver(&self, change: ResultsChanged) {
        {
            let mut cache = self.cache.lock().expect("cache lock");
            self.generation.fetch_add(1, Ordering::SeqCst);
            cache.remove(&change.event_id);
            cache.remove(PUBLIC_EVENTS);
        }
        // No receivers is fine: nobody is listening.
        let _ = self.tx.send(change);
    }

    /// The cached value for `key`, if fresh.
    pub fn get<T: Send + Sync + 'static>(&self, key: &str) -> Option<Arc<T>> {
        let cache = self.cache.lock().expect("cache lock");
        let (at, value) = cache.get(key)?;
        (at.elapsed() < CACHE_TTL).then(|| value.clone().downcast::<T>().ok()).flatten()
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

    /// Caches `value` unless a change was delivered since `generation` (then it may be stale).
    pub fn put<T: Send + Sync + 'static>(&self, key: &str, value: T, generation: u64) -> Arc<T> {
        let value = Arc::new(value);
        let mut cache = self.cache.lock().expect("cache lock");
        if self.generation.load(Ordering::SeqCst) == generation {
            cache.insert(key.to_string(), (Instant::now(), value.clone()));
        }
        value
    }

    /// On PostgreSQL: a thread that `LISTEN`s on its own connection and delivers every notice,
    /// reconnecting after a database outage.
    pub fn listen_postgres(self: &Arc<Self>, url: String) {
        let hub = Arc::downgrade(self);
        std::thread::Builder::new()
            .name("results-listener".into())
            .spawn(move || loop {
                let Some(alive) = hub.upgrade() else { return };
                drop(alive);
                match listen_once(&url, &hub) {
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

/// Listens until the hub is dropped (Ok) or the connection fails (Err).
fn listen_once(url: &str, hub: &std::sync::Weak<Hub>) -> anyhow::Result<()> {
    let mut conn = diesel::PgConnection::establish(url)?;
    diesel::sql_query(format!("LISTEN {CHANNEL}")).execute(&mut conn)?;
    let mut last_ping = Instant::now();
    loop {
        let Some(hub) = hub.upgrade() else { return Ok(()) };
        for n in conn.notifications_iter() {
            let n = n?;
            match serde_json::from_str::<ResultsChanged>(&n.payload) {
                Ok(change) => hub.deliver(change),
                Err(e) => tracing::warn!(error = %e, "unreadable results notice"),
            }
        }
        drop(hub);
        std::thread::sleep(Duration::from_millis(100));
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
