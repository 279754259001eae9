//! Budgets for what an anonymous caller may try, per account (the email address typed) and per
//! client address (governor's GCRA): sign-ins, and separately password-reset requests, so that
//! asking for reset mails never spends the owner's sign-in budget. Kept in memory per instance:
//! behind a load balancer with N instances the effective limit is at most N times the setting,
//! which still stops online password guessing and mail flooding.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::clock::Clock;

/// A keyed limiter on the app's clock.
type Limiter<K> = RateLimiter<K, DefaultKeyedStateStore<K>, Clock, NoOpMiddleware<Duration>>;

pub struct Budget {
    per_account: Limiter<String>,
    per_address: Limiter<IpAddr>,
    quotas: (Quota, Quota),
    clock: Clock,
}

fn quota(n: u32, per: fn(NonZeroU32) -> Quota) -> Quota {
    per(NonZeroU32::new(n.max(1)).expect("max(1) is non-zero"))
}

impl Budget {
    /// Sign-in attempts: so many a minute per account and per client address.
    pub fn per_minute(per_account: u32, per_address: u32) -> Self {
        Self::new(quota(per_account, Quota::per_minute), quota(per_address, Quota::per_minute))
    }

    /// Password-reset mails: so many an hour per account and per client address.
    pub fn per_hour(per_account: u32, per_address: u32) -> Self {
        Self::new(quota(per_account, Quota::per_hour), quota(per_address, Quota::per_hour))
    }

    fn new(per_account: Quota, per_address: Quota) -> Self {
        Self::on(Clock::system(), (per_account, per_address))
    }

    fn on(clock: Clock, quotas: (Quota, Quota)) -> Self {
        Self {
            per_account: RateLimiter::dashmap_with_clock(quotas.0, clock.clone()),
            per_address: RateLimiter::dashmap_with_clock(quotas.1, clock.clone()),
            quotas,
            clock,
        }
    }

    /// The same budget (fresh) on another clock (the app state's).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self::on(clock, self.quotas)
    }

    /// Counts one attempt; `Err(wait)` when the account or the address is over its limit.
    /// `account` is compared as typed, trimmed and lower-cased.
    pub fn check(&self, account: &str, address: Option<IpAddr>) -> Result<(), Duration> {
        let now = governor::clock::Clock::now(&self.clock);
        if let Some(ip) = address {
            self.per_address.check_key(&ip).map_err(|n| n.wait_time_from(now))?;
        }
        self.per_account.check_key(&account.trim().to_lowercase()).map_err(|n| n.wait_time_from(now))?;
        // Forget idle keys now and then so the maps stay small.
        if self.per_account.len() > 10_000 {
            self.per_account.retain_recent();
            self.per_address.retain_recent();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_and_address_limits_are_separate() {
        let limiter = Budget::per_minute(3, 5);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..3 {
            assert!(limiter.check("x@example.com", Some(a)).is_ok());
        }
        let wait = limiter.check("X@Example.com ", Some(b)).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(60));
        // Another account from the first address still has address budget left (5 - 3 - 0).
        assert!(limiter.check("y@example.com", Some(a)).is_ok());
        assert!(limiter.check("z@example.com", Some(a)).is_ok());
        assert!(limiter.check("w@example.com", Some(a)).is_err());
    }

    #[test]
    fn an_hourly_budget_refills_over_the_hour() {
        let limiter = Budget::per_hour(2, 100);
        assert!(limiter.check("x@example.com", None).is_ok());
        assert!(limiter.check("x@example.com", None).is_ok());
        let wait = limiter.check("x@example.com", None).unwrap_err();
        assert!(wait > Duration::from_secs(60) && wait <= Duration::from_secs(30 * 60), "{wait:?}");
    }

    #[test]
    fn a_spent_budget_is_back_once_its_time_has_passed() {
        let clock = Clock::manual();
        let limiter = Budget::per_minute(2, 100).with_clock(clock.clone());
        assert!(limiter.check("x@example.com", None).is_ok());
        assert!(limiter.check("x@example.com", None).is_ok());
        assert!(limiter.check("x@example.com", None).is_err());
        clock.advance(Duration::from_secs(60));
        assert!(limiter.check("x@example.com", None).is_ok(), "refilled a minute later");
    }
}
