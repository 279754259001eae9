//! The fair writer for SQLite: one first-come-first-served queue per database file in this
//! process, handing out the right to `BEGIN IMMEDIATE` in order.
//!
//! SQLite lets one writer in at a time. Without the queue, the others wait in SQLite's busy
//! handler, which sleeps (1, 2, 5, … up to 100 ms) and retries: the lock is often free while every
//! waiter sleeps, and whoever wakes at the right moment wins, so a few requests wait for a second
//! while most pass at once. With the queue, a writer that finishes hands its turn straight to the
//! one that has waited longest, and `BEGIN IMMEDIATE` finds the lock free. Another process's
//! writer (a second instance, the command line) still meets the busy handler as before.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use diesel::result::{DatabaseErrorKind, Error};
use diesel::sql_types::Text;
use diesel::{QueryResult, QueryableByName, RunQueryDsl, SqliteConnection};

/// How long a writer waits for its turn before giving up, as SQLite's `busy_timeout` would.
const PATIENCE: Duration = Duration::from_secs(10);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding these short locks leaves their data consistent.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[derive(Default)]
struct Waiter {
    granted: Mutex<bool>,
    wake: Condvar,
}

#[derive(Default)]
struct Line {
    /// Whether a writer has the turn.
    taken: bool,
    waiting: VecDeque<Arc<Waiter>>,
}

/// One database file's queue of writers.
#[derive(Default)]
pub struct Queue {
    line: Mutex<Line>,
}

/// The right to write, until dropped (after the transaction's commit or rollback).
pub struct Turn {
    queue: Arc<Queue>,
}

impl Queue {
    /// Waits for the turn, at most `patience`; `None` when it did not come.
    fn wait(self: &Arc<Self>, patience: Duration) -> Option<Turn> {
        let me = {
            let mut line = lock(&self.line);
            if !line.taken {
                line.taken = true;
                return Some(Turn { queue: self.clone() });
            }
            let me = Arc::new(Waiter::default());
            line.waiting.push_back(me.clone());
            me
        };
        let deadline = Instant::now() + patience;
        let mut granted = lock(&me.granted);
        while !*granted {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                drop(granted);
                let mut line = lock(&self.line);
                // Handed the turn between the timeout and here: take it after all.
                if *lock(&me.granted) {
                    return Some(Turn { queue: self.clone() });
                }
                line.waiting.retain(|w| !Arc::ptr_eq(w, &me));
                return None;
            }
            granted = me.wake.wait_timeout(granted, left).unwrap_or_else(|e| e.into_inner()).0;
        }
        Some(Turn { queue: self.clone() })
    }

    /// Hands the turn to the writer that has waited longest, or frees it.
    fn pass(&self) {
        let mut line = lock(&self.line);
        match line.waiting.pop_front() {
            Some(next) => {
                *lock(&next.granted) = true;
                next.wake.notify_one();
            }
            None => line.taken = false,
        }
    }

    /// How many writers wait for their turn.
    #[cfg(test)]
    fn waiting(&self) -> usize {
        lock(&self.line).waiting.len()
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        self.queue.pass();
    }
}

#[derive(QueryableByName)]
struct MainFile {
    #[diesel(sql_type = Text)]
    file: String,
}

impl Turn {
    /// Waits for this process's turn to write to the connection's database file.
    pub fn take(conn: &mut SqliteConnection) -> QueryResult<Turn> {
        let file = diesel::sql_query("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .get_result::<MainFile>(conn)?
            .file;
        queue_of(&file).wait(PATIENCE).ok_or_else(|| {
            // Worded as SQLite's own busy error, which the API reports as unavailable (503).
            Error::DatabaseError(
                DatabaseErrorKind::Unknown,
                Box::new(format!("database is locked: no turn to write within {} s", PATIENCE.as_secs())),
            )
        })
    }
}

/// The queue of a database file (`""` for in-memory databases, which then share one).
fn queue_of(file: &str) -> Arc<Queue> {
    static QUEUES: OnceLock<Mutex<HashMap<String, Arc<Queue>>>> = OnceLock::new();
    lock(QUEUES.get_or_init(Default::default)).entry(file.to_string()).or_default().clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turns_go_in_order_of_arrival() {
        let queue = Arc::new(Queue::default());
        let first = queue.wait(PATIENCE).unwrap();
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut writers = Vec::new();
        for n in 0..4 {
            let (line, order) = (queue.clone(), order.clone());
            writers.push(std::thread::spawn(move || {
                let _turn = line.wait(PATIENCE).unwrap();
                lock(&order).push(n);
            }));
            // Each joins the line before the next arrives.
            while queue.waiting() < n + 1 {
                std::thread::yield_now();
            }
        }
        drop(first);
        for w in writers {
            w.join().unwrap();
        }
        assert_eq!(*lock(&order), vec![0, 1, 2, 3]);
        // The line is free again.
        drop(queue.wait(Duration::ZERO).unwrap());
    }

    #[test]
    fn a_writer_gives_up_after_its_patience_and_leaves_the_line() {
        let queue = Arc::new(Queue::default());
        let held = queue.wait(PATIENCE).unwrap();
        assert!(queue.wait(Duration::ZERO).is_none());
        assert_eq!(queue.waiting(), 0);
        drop(held);
        assert!(queue.wait(Duration::ZERO).is_some());
    }
}
