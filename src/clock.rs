//! Where the server's time comes from: a `Clock` in the app state. In production it is the system
//! clock; the tests use a manual one that they move forward (`advance`) instead of waiting for a
//! registration deadline, a scheduled release, a token's expiry, a mail's retry or the sign-in
//! budget to refill.
//!
//! Every time decision reads it: `AppState::db` makes the state's clock the current one on the
//! thread that runs the database work, so `db::models::now()` in services and repositories is
//! the app's time without a clock parameter on every function; outside such work (the command
//! line, start-up) `now()` is the system clock. Code that holds the state (the worker, the token
//! keys, the sign-in budgets) uses its clock directly.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDateTime, SubsecRound, TimeDelta, Utc};

#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// How far a manual clock was moved ahead of real time, in nanoseconds; `None`: the system
    /// clock, which nothing moves.
    ahead: Option<Arc<AtomicU64>>,
    /// Where a manual clock started relative to real time (`manual_at`); zero otherwise.
    shift: TimeDelta,
}

thread_local! {
    static CURRENT: RefCell<Option<Clock>> = const { RefCell::new(None) };
}

impl Clock {
    /// The system clock (production).
    pub fn system() -> Self {
        Self { ahead: None, shift: TimeDelta::zero() }
    }

    /// A clock for tests: real time plus whatever `advance` added. Time still passes, so rows
    /// written one after another keep their order.
    pub fn manual() -> Self {
        Self { ahead: Some(Arc::new(AtomicU64::new(0))), shift: TimeDelta::zero() }
    }

    /// A manual clock that reads `start` now (and runs on from there): tests that name dates
    /// ("registration until 2027-05-01") stay true whatever day they run on.
    pub fn manual_at(start: DateTime<Utc>) -> Self {
        Self { shift: start - Utc::now(), ..Self::manual() }
    }

    /// Moves a manual clock (and every copy of it) forward.
    ///
    /// # Panics
    /// On the system clock, which only real time moves.
    pub fn advance(&self, by: Duration) {
        let ahead = self.ahead.as_ref().expect("only a manual clock (Clock::manual) can be advanced");
        ahead.fetch_add(u64::try_from(by.as_nanos()).expect("an advance of under 584 years"), Ordering::SeqCst);
    }

    fn offset(&self) -> Duration {
        self.ahead.as_ref().map_or(Duration::ZERO, |a| Duration::from_nanos(a.load(Ordering::SeqCst)))
    }

    /// The time now.
    pub fn now_utc(&self) -> DateTime<Utc> {
        Utc::now() + self.shift + TimeDelta::from_std(self.offset()).expect("a clock offset within chrono's range")
    }

    /// The time now as stored (UTC, microseconds: what both databases keep).
    pub fn now(&self) -> NaiveDateTime {
        self.now_utc().naive_utc().trunc_subsecs(6)
    }

    /// Runs `f` with this clock as the current one on this thread (`Clock::current`).
    pub fn scope<T>(&self, f: impl FnOnce() -> T) -> T {
        struct Restore(Option<Clock>);
        impl Drop for Restore {
            fn drop(&mut self) {
                CURRENT.with(|c| *c.borrow_mut() = self.0.take());
            }
        }
        let _restore = Restore(CURRENT.with(|c| c.borrow_mut().replace(self.clone())));
        f()
    }

    /// The clock of the `scope` this thread is in, or the system clock.
    pub fn current() -> Clock {
        CURRENT.with(|c| c.borrow().clone()).unwrap_or_default()
    }
}

/// For governor's rate limiters (the sign-in and reset budgets): monotonic time since the process
/// started, plus how far a manual clock was moved.
impl governor::clock::Clock for Clock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        static START: OnceLock<Instant> = OnceLock::new();
        START.get_or_init(Instant::now).elapsed() + self.offset()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_with_its_copies_and_is_current_in_its_scope() {
        let clock = Clock::manual();
        let copy = clock.clone();
        let before = clock.now();
        copy.advance(Duration::from_secs(3 * 3600));
        let ahead = clock.now() - before;
        assert!(ahead >= TimeDelta::hours(3) && ahead < TimeDelta::hours(3) + TimeDelta::minutes(1), "{ahead}");
        let in_scope = clock.scope(|| Clock::current().now());
        assert!(in_scope - before >= TimeDelta::hours(3));
        assert!(Clock::current().now() - before < TimeDelta::hours(1), "outside the scope: the system clock");
        assert!(governor::clock::Clock::now(&clock) >= Duration::from_secs(3 * 3600));
    }

    #[test]
    fn a_manual_clock_can_start_on_a_named_day() {
        let start: DateTime<Utc> = "2026-06-01T00:00:00Z".parse().unwrap();
        let clock = Clock::manual_at(start);
        let read = clock.now_utc() - start;
        assert!(read >= TimeDelta::zero() && read < TimeDelta::minutes(1), "{read}");
        clock.advance(Duration::from_secs(86_400));
        assert!(clock.now_utc() - start >= TimeDelta::days(1));
    }

    #[test]
    #[should_panic(expected = "only a manual clock")]
    fn the_system_clock_is_not_moved() {
        Clock::system().advance(Duration::from_secs(1));
    }
}
