//! What every request handler shares: the pool, settings, token keys, mailer, limiter, the
//! live-results hub and the metrics.

use std::sync::Arc;

use actix_web::web;

use crate::auth::ratelimit::Budget;
use crate::auth::tokens::JwtKeys;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{DbConn, Pool};
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
}

impl AppState {
    /// Runs blocking database work on the blocking thread pool with a pooled connection, with the
    /// state's clock as the current one (`db::models::now()` reads it).
    pub async fn db<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConn) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (pool, clock, metrics) = (self.pool.clone(), self.clock.clone(), self.metrics.clone());
        web::block(move || {
            let mut conn = metrics::checkout(metrics.as_deref(), || pool.get()).map_err(ApiError::from)?;
            let result = metrics::scope(metrics.as_ref(), || clock.scope(|| f(&mut conn)));
            if matches!(result, Err(ApiError::Unavailable(_))) {
                // The connection may be dead (the database went away): the pool drops it
                // instead of handing it out again.
                crate::db::discard(&mut conn);
            }
            result
        })
        .await?
    }
}
