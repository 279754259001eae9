//! What every request handler shares: the pool, settings, token keys, mailer, limiter, the
//! live-results hub and the metrics.

use std::sync::Arc;

use actix_web::web;

use crate::auth::ratelimit::Budget;
use crate::auth::tokens::JwtKeys;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{DbConn, GroupCommits, OnDemand, Pool};
use crate::error::{ApiError, ApiResult};
use crate::mail::Mailer;
use crate::metrics::{self, Metrics};

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub settings: Arc<Settings>,
    pub jwt: Arc<JwtKeys>,
    pub mailer: Arc<Mailer>,
    /// Sign-in attempts per account and client address.
    pub login_limiter: Arc<Budget>,
    /// Password-reset mails per account and client address (a budget of their own).
    pub reset_limiter: Arc<Budget>,
    /// Live result notices and the public-results cache.
    pub hub: Arc<crate::live::Hub>,
    /// The time every decision reads (the system clock; tests move a manual one).
    pub clock: Clock,
    /// Operators' metrics (`/metrics`), when `SKILLMARK_METRICS_TOKEN` is set.
    pub metrics: Option<Arc<Metrics>>,
    /// The group commits of the pool's database (marking).
    pub commits: Arc<GroupCommits>,
    /// The callers' users and roles, kept between their requests.
    pub callers: Arc<crate::auth::callers::Callers>,
}

impl AppState {
    /// Runs blocking database work on the blocking thread pool with a pooled connection, with the
    /// state's clock as the current one (`db::models::now()` reads it).
    pub async fn db<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConn) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.db_on_demand(move |db| with_connection(db, f)).await
    }

    /// Runs blocking database work that takes a connection from the pool only when it needs one
    /// ([`OnDemand`]), with the state's clock as the current one: a request waiting for its
    /// group commit holds none.
    pub async fn db_on_demand<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&OnDemand<'_>) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (pool, clock, metrics, commits) =
            (self.pool.clone(), self.clock.clone(), self.metrics.clone(), self.commits.clone());
        web::block(move || {
            let take = || metrics::checkout(metrics.as_deref(), || pool.get());
            metrics::scope(metrics.as_ref(), || clock.scope(|| f(&OnDemand::new(&take, &commits))))
        })
        .await?
    }
}

/// Runs `f` on a connection taken for it and given back after. When the database was unavailable
/// the connection may be dead (the database went away): the pool drops it instead of handing it
/// out again.
pub fn with_connection<T>(db: &OnDemand<'_>, f: impl FnOnce(&mut DbConn) -> ApiResult<T>) -> ApiResult<T> {
    let mut conn = db.take()?;
    let result = f(&mut conn);
    if matches!(result, Err(ApiError::Unavailable(_))) {
        crate::db::discard(&mut conn);
    }
    result
}
