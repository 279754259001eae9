//! Login throttling per account and per client address (governor's GCRA). Kept in memory per
//! instance: behind a load balancer with N instances the effective limit is at most N times the
//! setting, which still stops online password guessing.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

pub struct LoginLimiter {
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl LoginLimiter {
    pub fn new(per_account_per_minute: u32, per_address_per_minute: u32) -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).expect("max(1) is non-zero"));
        Self {
            per_account: RateLimiter::keyed(quota(per_account_per_minute)),
            per_address: RateLimiter::keyed(quota(per_address_per_minute)),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one attempt; `Err(wait)` when the account or the address is over its limit.
    pub fn check(&self, account: &str, address: Option<IpAddr>) -> Result<(), Duration> {
        let now = self.clock.now();
        if let Some(ip) = address {
            self.per_address.check_key(&ip).map_err(|n| n.wait_time_from(now))?;
        }
        self.per_account.check_key(&account.to_string()).map_err(|n| n.wait_time_from(now))?;
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
        let limiter = LoginLimiter::new(3, 5);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..3 {
            assert!(limiter.check("x@example.com", Some(a)).is_ok());
        }
        let wait = limiter.check("x@example.com", Some(b)).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(60));
        // Another account from the first address still has address budget left (5 - 3 - 0).
        assert!(limiter.check("y@example.com", Some(a)).is_ok());
        assert!(limiter.check("z@example.com", Some(a)).is_ok());
        assert!(limiter.check("w@example.com", Some(a)).is_err());
    }
}
