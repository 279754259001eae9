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

/// A member of a batch: its request, and where its answer (or the call to lead) goes.
struct Member<Q, R> {
    request: Q,
    reply: std::sync::mpsc::SyncSender<Reply<R>>,
}

enum Reply<R> {
    Lead,
    Done(R),
}

struct Gathering<Q, R> {
    /// Whether a thread leads a batch now.
    leading: bool,
    waiting: VecDeque<Member<Q, R>>,
}

/// Runs a batch's requests in one transaction, committing after them, and gives each request its
/// answer, in their order (a failed transaction answers each with the failure).
pub type Transaction<'a, Q, R> = dyn FnMut(&[Q]) -> Vec<R> + 'a;

/// Group commit: requests that write to the same thing (one skill's marks and audit chain) join
/// one transaction instead of each committing on its own. The first to come leads: it takes
/// every request waiting, runs them together in one transaction (reading what they need once for
/// all of them), commits once, and only then answers each of them;
/// requests that came meanwhile wait for the next batch, led by the one that has waited longest.
/// A request is answered only after the commit that made its work durable. A request waiting for
/// its batch holds no connection: only the leader takes one.
pub struct Batches<Q, R> {
    line: Mutex<Gathering<Q, R>>,
    /// The most requests in one transaction.
    most: usize,
}

impl<Q, R> Batches<Q, R> {
    pub fn new(most: usize) -> Self {
        Self { line: Mutex::new(Gathering { leading: false, waiting: VecDeque::new() }), most: most.max(1) }
    }

    /// Runs `request` in a transaction shared with the other requests waiting and returns its
    /// answer once that transaction has ended. `transaction` runs a batch: it is the leader's,
    /// whoever calls.
    pub fn run(&self, request: Q, transaction: &mut Transaction<'_, Q, R>) -> R {
        let (reply, rx) = std::sync::mpsc::sync_channel::<Reply<R>>(2);
        let first = {
            let mut line = lock(&self.line);
            line.waiting.push_back(Member { request, reply });
            !std::mem::replace(&mut line.leading, true)
        };
        if first {
            self.lead(transaction);
        }
        loop {
            match rx.recv() {
                Ok(Reply::Lead) => self.lead(transaction),
                Ok(Reply::Done(answer)) => return answer,
                // The leader's thread panicked with this request in hand.
                Err(_) => panic!("the batch holding this request failed"),
            }
        }
    }

    /// How many requests wait for a batch.
    #[cfg(test)]
    pub fn waiting(&self) -> usize {
        lock(&self.line).waiting.len()
    }

    /// Runs one batch: everyone waiting, in order of arrival, in one transaction.
    fn lead(&self, transaction: &mut Transaction<'_, Q, R>) {
        /// Hands the lead on when the batch ends, even by a panic: to the request that has
        /// waited longest, or to whoever comes next.
        struct HandOn<'a, Q, R>(&'a Batches<Q, R>);
        impl<Q, R> Drop for HandOn<'_, Q, R> {
            fn drop(&mut self) {
                let mut line = lock(&self.0.line);
                match line.waiting.front() {
                    Some(next) => {
                        let _ = next.reply.send(Reply::Lead);
                    }
                    None => line.leading = false,
                }
            }
        }
        let _hand_on = HandOn(self);
        let (requests, replies): (Vec<Q>, Vec<_>) = {
            let mut line = lock(&self.line);
            let n = line.waiting.len().min(self.most);
            line.waiting.drain(..n).map(|m| (m.request, m.reply)).unzip()
        };
        let answers = transaction(&requests);
        assert_eq!(answers.len(), replies.len(), "a batch answers each of its requests");
        for (reply, answer) in replies.into_iter().zip(answers) {
            let _ = reply.send(Reply::Done(answer));
        }
    }
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

    /// A stand-in for a database: a log of committed writes.
    #[derive(Default)]
    struct Store {
        committed: Vec<u32>,
        commits: usize,
    }

    /// Commits the batch's requests to the store (or fails them all), answering each with its
    /// own number.
    fn commit_to(store: &Mutex<Store>, fail: bool) -> impl FnMut(&[u32]) -> Vec<Result<u32, String>> + '_ {
        move |requests: &[u32]| {
            if fail {
                return requests.iter().map(|_| Err("disk full".to_string())).collect();
            }
            let mut store = lock(store);
            store.committed.extend_from_slice(requests);
            store.commits += 1;
            requests.iter().map(|&n| Ok(n)).collect()
        }
    }

    #[test]
    fn a_lone_request_commits_its_own_work() {
        let batches = Batches::<u32, Result<u32, String>>::new(8);
        let store = Mutex::new(Store::default());
        assert_eq!(batches.run(1, &mut commit_to(&store, false)), Ok(1));
        let store = lock(&store);
        assert_eq!((store.committed.clone(), store.commits), (vec![1], 1));
    }

    #[test]
    fn waiting_requests_share_one_commit_and_are_answered_after_it() {
        // A leader is busy: requests that come meanwhile gather and commit together, led by
        // whichever of them leads their batch.
        let batches = Arc::new(Batches::<u32, Result<u32, String>>::new(64));
        let store = Arc::new(Mutex::new(Store::default()));
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let first = {
            let (batches, store) = (batches.clone(), store.clone());
            std::thread::spawn(move || {
                let mut commit = commit_to(&store, false);
                // The first batch's transaction waits until released.
                let mut slow = move |requests: &[u32]| {
                    started_tx.send(()).unwrap();
                    release_rx.recv().unwrap();
                    commit(requests)
                };
                batches.run(0, &mut slow)
            })
        };
        started_rx.recv().unwrap();
        let mut others = Vec::new();
        for n in 1..9u32 {
            let (shared, store) = (batches.clone(), store.clone());
            others.push(std::thread::spawn(move || shared.run(n, &mut commit_to(&store, false))));
            while batches.waiting() < n as usize {
                std::thread::yield_now();
            }
        }
        release_tx.send(()).unwrap();
        assert_eq!(first.join().unwrap(), Ok(0));
        let answers: Vec<Result<u32, String>> = others.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(answers, (1..9).map(Ok).collect::<Vec<_>>());
        // Two transactions in all: the first alone, then the eight that waited, in their order.
        let store = lock(&store);
        assert_eq!((store.committed.clone(), store.commits), ((0..9).collect::<Vec<_>>(), 2));
        assert!(!lock(&batches.line).leading);
    }

    #[test]
    fn a_failed_transaction_answers_its_requests_with_the_failure_and_the_next_leads_again() {
        let batches = Batches::<u32, Result<u32, String>>::new(8);
        let store = Mutex::new(Store::default());
        assert_eq!(batches.run(7, &mut commit_to(&store, true)), Err("disk full".into()));
        assert!(lock(&store).committed.is_empty());
        assert_eq!(batches.run(8, &mut commit_to(&store, false)), Ok(8));
        assert_eq!(lock(&store).committed, vec![8]);
    }
}
