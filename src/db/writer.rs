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

/// What a member of a batch does with the leader's transaction: its work, run with the
/// connection (or told why the transaction never began), giving what to do once the
/// transaction has committed (`None`) or failed.
type Work<C, F> = Box<dyn FnOnce(Result<&mut C, &F>) -> Finish<F> + Send>;
type Finish<F> = Box<dyn FnOnce(Option<&F>) + Send>;
/// Runs a body in one transaction on the given connection, committing after it.
pub type Transaction<'a, C, F> = dyn FnMut(&mut C, &mut dyn FnMut(&mut C)) -> Result<(), F> + 'a;

struct Member<C, F> {
    work: Work<C, F>,
    /// Tells the member's thread to lead the next batch.
    lead: Box<dyn Fn() + Send>,
}

enum Reply<R> {
    Lead,
    Done(R),
}

struct Gathering<C, F> {
    /// Whether a thread leads a batch now.
    leading: bool,
    waiting: VecDeque<Member<C, F>>,
}

/// Group commit: requests that write to the same thing (one skill's marks and audit chain) join
/// one transaction instead of each committing on its own. The first to come leads: it takes
/// every request waiting, runs their work one after the other in one transaction on its own
/// connection, commits once, and only then answers each of them; requests that came meanwhile
/// wait for the next batch, led by the one that has waited longest. A request is answered only
/// after the commit that made its work durable; if the commit fails, every request of the batch
/// gets the failure.
pub struct Batches<C, F> {
    line: Mutex<Gathering<C, F>>,
    /// The most requests in one transaction.
    most: usize,
}

impl<C, F> Batches<C, F> {
    pub fn new(most: usize) -> Self {
        Self { line: Mutex::new(Gathering { leading: false, waiting: VecDeque::new() }), most: most.max(1) }
    }

    /// Runs `job` in a transaction shared with the other requests waiting and returns its
    /// outcome once that transaction has committed, or `failed`'s outcome for the transaction's
    /// failure. `transaction` runs a body in one transaction on the given connection: it is the
    /// leader's, whoever calls.
    pub fn run<R: Send + 'static>(
        &self,
        conn: &mut C,
        job: impl FnOnce(&mut C) -> R + Send + 'static,
        failed: impl FnOnce(&F) -> R + Send + 'static,
        transaction: &mut Transaction<'_, C, F>,
    ) -> R {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Reply<R>>(2);
        let done = tx.clone();
        let work: Work<C, F> = Box::new(move |conn: Result<&mut C, &F>| -> Finish<F> {
            match conn {
                Ok(conn) => {
                    let outcome = job(conn);
                    Box::new(move |failure: Option<&F>| {
                        let _ = done.send(Reply::Done(match failure {
                            None => outcome,
                            Some(f) => failed(f),
                        }));
                    })
                }
                Err(f) => {
                    let _ = done.send(Reply::Done(failed(f)));
                    Box::new(|_| {})
                }
            }
        });
        let lead = Box::new(move || {
            let _ = tx.send(Reply::Lead);
        });
        let first = {
            let mut line = lock(&self.line);
            line.waiting.push_back(Member { work, lead });
            !std::mem::replace(&mut line.leading, true)
        };
        if first {
            self.lead(conn, transaction);
        }
        loop {
            match rx.recv() {
                Ok(Reply::Lead) => self.lead(conn, transaction),
                Ok(Reply::Done(outcome)) => return outcome,
                // The leader's thread panicked with this request's work in hand.
                Err(_) => panic!("the batch holding this request failed"),
            }
        }
    }

    /// Runs one batch: everyone waiting, in order of arrival, in one transaction.
    fn lead(&self, conn: &mut C, transaction: &mut Transaction<'_, C, F>) {
        /// Hands the lead on when the batch ends, even by a panic: to the request that has
        /// waited longest, or to whoever comes next.
        struct HandOn<'a, C, F>(&'a Batches<C, F>);
        impl<C, F> Drop for HandOn<'_, C, F> {
            fn drop(&mut self) {
                let mut line = lock(&self.0.line);
                match line.waiting.front() {
                    Some(next) => (next.lead)(),
                    None => line.leading = false,
                }
            }
        }
        let _hand_on = HandOn(self);
        let mut batch: VecDeque<Member<C, F>> = {
            let mut line = lock(&self.line);
            let n = line.waiting.len().min(self.most);
            line.waiting.drain(..n).collect()
        };
        let mut finishes: Vec<Finish<F>> = Vec::with_capacity(batch.len());
        let result = transaction(conn, &mut |conn: &mut C| {
            while let Some(member) = batch.pop_front() {
                finishes.push((member.work)(Ok(conn)));
            }
        });
        match result {
            Ok(()) => finishes.into_iter().for_each(|finish| finish(None)),
            Err(f) => {
                // Those whose work never ran (the transaction did not begin) learn why at once.
                for member in batch {
                    (member.work)(Err(&f))(None);
                }
                finishes.into_iter().for_each(|finish| finish(Some(&f)));
            }
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

    /// A stand-in for a database: a log of committed writes, a transaction's writes pending.
    #[derive(Default)]
    struct Store {
        committed: Vec<u32>,
        pending: Vec<u32>,
        commits: usize,
    }

    fn commit_with(fail: bool) -> Box<Transaction<'static, Store, String>> {
        Box::new(move |store: &mut Store, body: &mut dyn FnMut(&mut Store)| {
            body(store);
            if fail {
                store.pending.clear();
                return Err("disk full".into());
            }
            let pending = std::mem::take(&mut store.pending);
            store.committed.extend(pending);
            store.commits += 1;
            Ok(())
        })
    }

    #[test]
    fn a_lone_request_commits_its_own_work() {
        let batches = Batches::<Store, String>::new(8);
        let mut store = Store::default();
        batches.run(&mut store, |s| s.pending.push(1), |e| panic!("{e}"), &mut commit_with(false));
        assert_eq!((store.committed.clone(), store.commits), (vec![1], 1));
    }

    #[test]
    fn waiting_requests_share_one_commit_and_are_answered_after_it() {
        // A leader is busy: requests that come meanwhile gather and commit together, on the
        // connection of whoever leads their batch.
        let batches = Arc::new(Batches::<Store, String>::new(64));
        let stores: Vec<Arc<Mutex<Store>>> = (0..9).map(|_| Arc::new(Mutex::new(Store::default()))).collect();
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let release_rx = Arc::new(Mutex::new(release_rx));
        let first = {
            let (batches, store) = (batches.clone(), stores[0].clone());
            std::thread::spawn(move || {
                let mut s = lock(&store);
                batches.run(
                    &mut s,
                    move |s| {
                        s.pending.push(0);
                        started_tx.send(()).unwrap();
                        lock(&release_rx).recv().unwrap();
                        0
                    },
                    |_| u32::MAX,
                    &mut commit_with(false),
                )
            })
        };
        started_rx.recv().unwrap();
        let mut others = Vec::new();
        for n in 1..9u32 {
            let (shared, store) = (batches.clone(), stores[n as usize].clone());
            others.push(std::thread::spawn(move || {
                let mut s = lock(&store);
                shared.run(
                    &mut s,
                    move |s| {
                        s.pending.push(n);
                        n
                    },
                    |_| u32::MAX,
                    &mut commit_with(false),
                )
            }));
            while lock(&batches.line).waiting.len() < n as usize {
                std::thread::yield_now();
            }
        }
        release_tx.send(()).unwrap();
        assert_eq!(first.join().unwrap(), 0);
        let answers: Vec<u32> = others.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(answers, (1..9).collect::<Vec<_>>());
        // Two transactions in all: the first alone, then the eight that waited, in their order.
        let all: Vec<(Vec<u32>, usize)> = stores
            .iter()
            .map(|s| {
                let s = lock(s);
                (s.committed.clone(), s.commits)
            })
            .collect();
        assert_eq!(all.iter().map(|a| a.1).sum::<usize>(), 2);
        assert!(all.iter().any(|a| a.0 == (1..9).collect::<Vec<_>>()), "{all:?}");
        assert!(!lock(&batches.line).leading);
    }

    #[test]
    fn a_failed_commit_fails_every_request_of_its_batch() {
        let batches = Batches::<Store, String>::new(8);
        let mut store = Store::default();
        let out: Result<u32, String> = batches.run(
            &mut store,
            |s| {
                s.pending.push(7);
                Ok(7)
            },
            |e| Err(e.clone()),
            &mut commit_with(true),
        );
        assert_eq!(out, Err("disk full".into()));
        assert!(store.committed.is_empty());
        // The next request leads again.
        batches.run(&mut store, |s| s.pending.push(8), |e| panic!("{e}"), &mut commit_with(false));
        assert_eq!(store.committed, vec![8]);
    }
}
