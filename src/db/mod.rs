//! The database layer: one connection type over SQLite and PostgreSQL, the pool, the
//! writing-transaction helper and the embedded migrations. Per-engine branches live here
//! (and, where the DSL needs it, in `repo/`), nowhere else.

pub mod models;
pub mod schema;
pub mod sql;
mod writer;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

/// A connection to whichever engine `DATABASE_URL` names.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConn = r2d2::PooledConnection<ConnectionManager>;

/// Each engine's migrations (`migrations/README.md` says where and why the two differ).
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

diesel::define_sql_function! {
    /// Base64 text to bytes (`NULL` when the text is no base64), for the SQLite migration that
    /// turned photos from base64 text into bytes: SQLite has no decoder of its own.
    fn base64_decode(text: diesel::sql_types::Text) -> diesel::sql_types::Nullable<diesel::sql_types::Binary>;
}

diesel::define_sql_function! {
    /// Bytes to base64 text, for reverting that migration.
    fn base64_encode(bytes: diesel::sql_types::Binary) -> diesel::sql_types::Text;
}

/// Per-connection SQLite settings: WAL so readers never block the writer, a busy timeout so
/// writers queue instead of failing, foreign keys (off by default in SQLite).
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// Where a database lives, parsed once from `DATABASE_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    pub engine: Engine,
    /// What the engine's driver takes: a `postgres://` URL, or a SQLite file path.
    pub target: String,
}

impl DatabaseUrl {
    /// `postgres://…` / `postgresql://…` select PostgreSQL; `sqlite://path`, `sqlite:path`
    /// or a bare path select SQLite.
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        if url.is_empty() {
            return Err("DATABASE_URL is empty".into());
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self { engine: Engine::Postgres, target: url.to_string() });
        }
        let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
        if path.contains("://") {
            return Err(format!("unsupported database URL scheme in {url:?}: use postgres:// or a SQLite path"));
        }
        if path.is_empty() {
            return Err("DATABASE_URL names no SQLite file".into());
        }
        Ok(Self { engine: Engine::Sqlite, target: path.to_string() })
    }
}

/// When a SQLite database's write-ahead log is copied back into the database file (a checkpoint,
/// with its `fsync`s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkpoints {
    /// By the commit that grows the log past 1000 pages (SQLite's default): for the command line.
    OnCommit,
    /// By [`checkpoint`], which the server's worker calls every second, never by a commit: on a
    /// marking day readers always hold the log, so past 1000 pages every commit would checkpoint
    /// (and wait for two `fsync`s) while holding the write lock.
    InBackground,
}

/// r2d2 manager that opens the right engine and applies SQLite's pragmas to every connection.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
    checkpoints: Checkpoints,
}

impl ManageConnection for ConnectionManager {
    type Connection = DbConn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConn, Self::Error> {
        match self.url.engine {
            Engine::Postgres => {
                PgConnection::establish(&self.url.target).map(DbConn::Pg).map_err(diesel::r2d2::Error::ConnectionError)
            }
            Engine::Sqlite => {
                let mut conn =
                    SqliteConnection::establish(&self.url.target).map_err(diesel::r2d2::Error::ConnectionError)?;
                conn.batch_execute(SQLITE_PRAGMAS).map_err(diesel::r2d2::Error::QueryError)?;
                if self.checkpoints == Checkpoints::InBackground {
                    conn.batch_execute("PRAGMA wal_autocheckpoint = 0").map_err(diesel::r2d2::Error::QueryError)?;
                }
                Ok(DbConn::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        conn.is_broken()
    }
}

impl DbConn {
    pub fn engine(&self) -> Engine {
        match self {
            DbConn::Pg(_) => Engine::Postgres,
            DbConn::Sqlite(_) => Engine::Sqlite,
        }
    }
}

/// Builds the pool. The pool does not connect eagerly (`min_idle = 0`), so the server can start
/// while PostgreSQL is still coming up and report it through `/readyz`.
pub fn build_pool(url: &DatabaseUrl, max_size: u32, checkpoints: Checkpoints) -> anyhow::Result<Pool> {
    if url.engine == Engine::Sqlite {
        if let Some(parent) = std::path::Path::new(&url.target).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)?;
            }
        }
    }
    let pool = r2d2::Pool::builder()
        .max_size(max_size)
        .min_idle(Some(0))
        .connection_timeout(Duration::from_secs(5))
        .test_on_check_out(false)
        .build_unchecked(ConnectionManager { url: url.clone(), checkpoints });
    Ok(pool)
}

/// Copies what it can of a SQLite database's write-ahead log back into the database file, without
/// waiting for any reader or writer (a passive checkpoint); nothing on PostgreSQL. For pools whose
/// commits do not checkpoint ([`Checkpoints::InBackground`]).
pub fn checkpoint(conn: &mut DbConn) -> QueryResult<()> {
    match conn {
        DbConn::Sqlite(c) => c.batch_execute("PRAGMA wal_checkpoint(PASSIVE)"),
        DbConn::Pg(_) => Ok(()),
    }
}

/// Runs the embedded migrations of the connection's engine; returns how many ran.
pub fn run_migrations(conn: &mut DbConn) -> anyhow::Result<usize> {
    match conn {
        DbConn::Pg(c) => c.run_pending_migrations(PG_MIGRATIONS).map(|v| v.len()).map_err(migration_failed),
        DbConn::Sqlite(c) => sqlite_migrating(c, |c| c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len())),
    }
}

/// Reverts the newest applied migration (rolling a release back); returns its version.
pub fn revert_last_migration(conn: &mut DbConn) -> anyhow::Result<String> {
    match conn {
        DbConn::Pg(c) => c.revert_last_migration(PG_MIGRATIONS).map(|v| v.to_string()).map_err(migration_failed),
        DbConn::Sqlite(c) => sqlite_migrating(c, |c| c.revert_last_migration(SQLITE_MIGRATIONS).map(|v| v.to_string())),
    }
}

fn migration_failed(e: Box<dyn std::error::Error + Send + Sync>) -> anyhow::Error {
    anyhow::anyhow!("migration failed: {e}")
}

/// Runs SQLite migrations (each in its own transaction) with foreign keys off and the base64
/// functions registered. SQLite changes a column's type only by rebuilding its table, and
/// dropping the old table with foreign keys on would cascade-delete its children; the pragma
/// takes effect only outside a transaction, hence here rather than in the migration (which
/// refuses to run with them on, and checks every foreign key before it commits).
fn sqlite_migrating<T>(
    c: &mut SqliteConnection,
    f: impl FnOnce(&mut SqliteConnection) -> diesel::migration::Result<T>,
) -> anyhow::Result<T> {
    use base64::{engine::general_purpose::STANDARD, Engine as _};
    base64_decode_utils::register_impl(c, |text: String| STANDARD.decode(text).ok())?;
    base64_encode_utils::register_impl(c, |bytes: Vec<u8>| STANDARD.encode(bytes))?;
    c.batch_execute("PRAGMA foreign_keys = OFF")?;
    let result = f(c);
    c.batch_execute("PRAGMA foreign_keys = ON")?;
    result.map_err(migration_failed)
}

/// Marks a connection broken so that the pool closes it rather than reusing it.
pub fn discard(conn: &mut DbConn) {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    match conn {
        DbConn::Pg(c) => {
            <AnsiTransactionManager as TransactionManager<diesel::PgConnection>>::transaction_manager_status_mut(c)
                .set_in_error()
        }
        DbConn::Sqlite(c) => {
            <AnsiTransactionManager as TransactionManager<diesel::SqliteConnection>>::transaction_manager_status_mut(c)
                .set_in_error()
        }
    }
}

/// The one way to run a writing transaction. On SQLite it starts with `BEGIN IMMEDIATE`, taking
/// the write lock up front: a deferred transaction that upgrades later fails with "database is
/// locked" under concurrent writers instead of waiting for `busy_timeout`.
pub fn write_tx<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    // Inside a transaction already (one use case calling another): a savepoint.
    let nested = <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()
        .map_err(E::from)?
        .is_some();
    if nested {
        return conn.transaction(f);
    }
    // Reported to the metrics until the end of the transaction (`metrics::WriteQueue`).
    let mut queue = crate::metrics::WriteQueue::wait();
    // On SQLite, this process's writers take turns in the order they came (`writer::Turn`, held
    // until the transaction ends), so `BEGIN IMMEDIATE` finds the lock free instead of sleeping in
    // SQLite's busy handler; only another process's writer can still make it wait.
    let _turn = match conn {
        DbConn::Sqlite(c) => {
            let turn = writer::Turn::take(c)?;
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
            Some(turn)
        }
        DbConn::Pg(c) => {
            AnsiTransactionManager::begin_transaction(c)?;
            None
        }
    };
    queue.began();
    let outcome = match f(conn) {
        Ok(value) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn).map(|()| value).map_err(E::from)
        }
        Err(err) => {
            // A failed rollback leaves the connection broken; r2d2 then discards it.
            let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(conn);
            Err(err)
        }
    };
    // Users or roles read while it was open are not kept if it changed any (`auth::callers`).
    crate::auth::callers::transaction_ended();
    outcome
}

/// Most requests' work in one group-committed transaction.
const MOST_IN_A_BATCH: usize = 64;

/// Where a request takes a connection when it needs one (from the pool, as the metrics count
/// it), and the group commits of the database ([`write_tx_batched`]).
pub struct OnDemand<'a> {
    take: &'a (dyn Fn() -> Result<PooledConn, r2d2::PoolError> + Sync),
    commits: &'a GroupCommits,
}

impl<'a> OnDemand<'a> {
    pub fn new(take: &'a (dyn Fn() -> Result<PooledConn, r2d2::PoolError> + Sync), commits: &'a GroupCommits) -> Self {
        Self { take, commits }
    }

    /// A connection, until dropped.
    pub fn take(&self) -> Result<PooledConn, r2d2::PoolError> {
        (self.take)()
    }
}

/// The batches of group-committed writers to one database (one per pool), by key and kind of
/// request.
#[derive(Default)]
pub struct GroupCommits {
    batches: std::sync::Mutex<std::collections::HashMap<(String, std::any::TypeId), Shared>>,
}
type Shared = std::sync::Arc<dyn std::any::Any + Send + Sync>;

impl GroupCommits {
    fn of<Q: Send + 'static, R: Send + 'static>(&self, key: &str) -> std::sync::Arc<writer::Batches<Q, R>> {
        let mut all = self.batches.lock().unwrap_or_else(|e| e.into_inner());
        let shared = all
            .entry((key.to_string(), std::any::TypeId::of::<Q>()))
            .or_insert_with(|| std::sync::Arc::new(writer::Batches::<Q, R>::new(MOST_IN_A_BATCH)))
            .clone();
        shared.downcast().expect("one kind of answer per kind of request")
    }

    /// How many requests wait for a batch of `key`.
    #[cfg(test)]
    fn waiting<Q: Send + 'static, R: Send + 'static>(&self, key: &str) -> usize {
        self.of::<Q, R>(key).waiting()
    }
}

/// Processes a batch of requests in a transaction: with the batch's key, an answer for each.
pub type Process<Q, T, E> = fn(&mut DbConn, &str, &[Q]) -> QueryResult<Vec<Result<T, E>>>;

/// A writing transaction shared with other requests writing to the same `key` (group commit,
/// [`writer::Batches`]): the requests waiting are processed together by `process` in one
/// transaction, led by one of them, and each gets its answer only after that transaction has
/// committed. A request waiting for its batch holds no connection; the leader takes one.
/// `process` gets the key and the batch's requests in order of arrival, reads what they need
/// once for all of them, and answers each (a request it refuses writes nothing). A failed
/// transaction fails the batch; if it failed on a constraint (one request's write), each request
/// is tried again in a transaction of its own, so that one bad request takes no other with it.
/// `process` runs on the leader's thread: a request that reads the clock carries its caller's.
pub fn write_tx_batched<Q, T, E>(db: &OnDemand<'_>, key: &str, request: Q, process: Process<Q, T, E>) -> Result<T, E>
where
    Q: Send + 'static,
    T: Send + 'static,
    E: From<diesel::result::Error> + Send + 'static,
{
    let once = |conn: &mut DbConn, requests: &[Q]| write_tx(conn, |conn| process(conn, key, requests));
    db.commits.of::<Q, Result<T, E>>(key).run(request, &mut |requests: &[Q]| -> Vec<Result<T, E>> {
        let mut conn = match db.take() {
            Ok(conn) => conn,
            Err(e) => {
                // Worded as a lost connection, which the API reports as unavailable (503).
                let lost = || {
                    diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::UnableToSendCommand,
                        Box::new(e.to_string()),
                    )
                };
                return requests.iter().map(|_| Err(E::from(lost()))).collect();
            }
        };
        match once(&mut conn, requests) {
            Ok(answers) => answers,
            Err(e) if requests.len() > 1 && broke_a_constraint(&e) => requests
                .iter()
                .map(|request| match once(&mut conn, std::slice::from_ref(request)) {
                    Ok(mut answer) => answer.pop().expect("a batch answers each of its requests"),
                    Err(e) => Err(E::from(e)),
                })
                .collect(),
            Err(e) => {
                if !broke_a_constraint(&e) {
                    // The connection may be dead (the database went away): the pool drops it
                    // instead of handing it out again.
                    discard(&mut conn);
                }
                requests.iter().map(|_| Err(E::from(copy_error(&e)))).collect()
            }
        }
    })
}

/// Whether a transaction failed on what one request wrote, rather than on the database.
fn broke_a_constraint(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    matches!(
        e,
        Error::DatabaseError(
            DatabaseErrorKind::UniqueViolation
                | DatabaseErrorKind::ForeignKeyViolation
                | DatabaseErrorKind::NotNullViolation
                | DatabaseErrorKind::CheckViolation,
            _
        )
    )
}

/// The same failure again, for each request of a batch whose transaction failed (diesel's errors
/// cannot be cloned): its kind and message, which is what the API's error mapping reads.
fn copy_error(e: &diesel::result::Error) -> diesel::result::Error {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(kind, info) => {
            let kind = match kind {
                DatabaseErrorKind::UniqueViolation => DatabaseErrorKind::UniqueViolation,
                DatabaseErrorKind::ForeignKeyViolation => DatabaseErrorKind::ForeignKeyViolation,
                DatabaseErrorKind::ClosedConnection => DatabaseErrorKind::ClosedConnection,
                DatabaseErrorKind::UnableToSendCommand => DatabaseErrorKind::UnableToSendCommand,
                DatabaseErrorKind::SerializationFailure => DatabaseErrorKind::SerializationFailure,
                _ => DatabaseErrorKind::Unknown,
            };
            Error::DatabaseError(kind, Box::new(info.message().to_string()))
        }
        Error::NotFound => Error::NotFound,
        Error::BrokenTransactionManager => Error::BrokenTransactionManager,
        Error::RollbackTransaction => Error::RollbackTransaction,
        other => Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn write_transactions_nest_and_roll_back_on_both_levels() {
        use diesel::sql_types::Integer;
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = Integer)]
            n: i32,
        }
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::parse(&dir.path().join("t.db").to_string_lossy()).unwrap();
        let pool = build_pool(&url, 1, Checkpoints::OnCommit).unwrap();
        let mut conn = pool.get().unwrap();
        conn.batch_execute("CREATE TABLE t (n INTEGER)").unwrap();
        let count =
            |conn: &mut DbConn| diesel::sql_query("SELECT COUNT(*) AS n FROM t").get_result::<N>(conn).unwrap().n;
        write_tx(&mut conn, |conn| {
            conn.batch_execute("INSERT INTO t VALUES (1)")?;
            // An inner use case fails: only its own writes roll back.
            let inner: Result<(), diesel::result::Error> = write_tx(conn, |conn| {
                conn.batch_execute("INSERT INTO t VALUES (2)")?;
                Err(diesel::result::Error::RollbackTransaction)
            });
            assert!(inner.is_err());
            Ok::<_, diesel::result::Error>(())
        })
        .unwrap();
        assert_eq!(count(&mut conn), 1);
        let outer: Result<(), diesel::result::Error> = write_tx(&mut conn, |conn| {
            conn.batch_execute("INSERT INTO t VALUES (3)")?;
            Err(diesel::result::Error::RollbackTransaction)
        });
        assert!(outer.is_err());
        assert_eq!(count(&mut conn), 1);
    }

    /// Request 0's batch waits in its transaction for the test: (tell it started, let it go).
    type Gate = (Mutex<Option<std::sync::mpsc::Sender<()>>>, Mutex<std::sync::mpsc::Receiver<()>>);
    static GATE: std::sync::OnceLock<Gate> = std::sync::OnceLock::new();
    /// How many batches of more than one request ran.
    static SHARED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    /// The requests of a test batch: each inserts its number into `t`, whose numbers are unique.
    fn insert_numbers(conn: &mut DbConn, _key: &str, requests: &[u32]) -> QueryResult<Vec<QueryResult<u32>>> {
        if requests.len() > 1 {
            SHARED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        for &n in requests {
            if n == 0 {
                let (started, release) = GATE.get().unwrap();
                started.lock().unwrap().take().unwrap().send(()).unwrap();
                release.lock().unwrap().recv().unwrap();
            }
            diesel::sql_query(format!("INSERT INTO t VALUES ({n})")).execute(conn)?;
        }
        Ok(requests.iter().map(|&n| Ok(n)).collect())
    }

    #[test]
    fn a_request_that_breaks_a_constraint_fails_alone_and_the_rest_of_its_batch_commits() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::parse(&dir.path().join("t.db").to_string_lossy()).unwrap();
        let pool = build_pool(&url, 4, Checkpoints::OnCommit).unwrap();
        // 2 is there already: the request inserting it breaks the constraint.
        pool.get().unwrap().batch_execute("CREATE TABLE t (n INTEGER UNIQUE); INSERT INTO t VALUES (2)").unwrap();
        let (started_tx, started) = std::sync::mpsc::channel();
        let (release, release_rx) = std::sync::mpsc::channel();
        assert!(GATE.set((Mutex::new(Some(started_tx)), Mutex::new(release_rx))).is_ok());
        let commits = GroupCommits::default();
        let take = || pool.get();
        let db = &OnDemand::new(&take, &commits);
        std::thread::scope(|scope| {
            let send = |n: u32| scope.spawn(move || write_tx_batched(db, "numbers", n, insert_numbers));
            let first = send(0);
            started.recv().unwrap();
            // 1 and 2 come while 0's batch is under way, and wait for the next batch together.
            let (one, two) = (send(1), send(2));
            while commits.waiting::<u32, QueryResult<u32>>("numbers") < 2 {
                std::thread::yield_now();
            }
            release.send(()).unwrap();
            assert_eq!(first.join().unwrap().unwrap(), 0);
            assert_eq!(one.join().unwrap().unwrap(), 1, "1 is stored although 2 broke its batch");
            let refused = two.join().unwrap().unwrap_err();
            assert!(
                matches!(
                    refused,
                    diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
                ),
                "{refused:?}"
            );
        });
        assert_eq!(SHARED.load(std::sync::atomic::Ordering::SeqCst), 1, "1 and 2 were tried in one batch first");
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            n: i32,
        }
        let stored: Vec<i32> = diesel::sql_query("SELECT n FROM t ORDER BY n")
            .load::<N>(&mut pool.get().unwrap())
            .unwrap()
            .into_iter()
            .map(|r| r.n)
            .collect();
        assert_eq!(stored, vec![0, 1, 2]);
    }

    #[test]
    fn in_background_no_commit_checkpoints_and_the_worker_s_checkpoint_copies_the_whole_log() {
        use diesel::sql_types::Integer;
        #[derive(QueryableByName)]
        struct Checkpointed {
            #[diesel(sql_type = Integer)]
            log: i32,
            #[diesel(sql_type = Integer)]
            checkpointed: i32,
        }
        // The log's length in frames after 2000 one-row commits.
        let frames_after_commits = |checkpoints: Checkpoints| {
            let dir = tempfile::tempdir().unwrap();
            let url = DatabaseUrl::parse(&dir.path().join("t.db").to_string_lossy()).unwrap();
            let pool = build_pool(&url, 1, checkpoints).unwrap();
            let mut conn = pool.get().unwrap();
            conn.batch_execute("CREATE TABLE t (n INTEGER)").unwrap();
            for n in 0..2000 {
                conn.batch_execute(&format!("INSERT INTO t VALUES ({n})")).unwrap();
            }
            let bytes = std::fs::metadata(dir.path().join("t.db-wal")).unwrap().len();
            let frames = bytes.saturating_sub(32) / (4096 + 24);
            checkpoint(&mut conn).unwrap();
            let after =
                diesel::sql_query("PRAGMA wal_checkpoint(PASSIVE)").get_result::<Checkpointed>(&mut conn).unwrap();
            assert_eq!(after.log, after.checkpointed, "{checkpoints:?}: the checkpoint copied the whole log");
            frames
        };
        // SQLite's commits start the log again after 1000 pages; in the background they never do.
        assert!(frames_after_commits(Checkpoints::OnCommit) < 1100);
        assert!(frames_after_commits(Checkpoints::InBackground) >= 2000);
    }

    #[test]
    fn database_urls_select_the_engine() {
        assert_eq!(DatabaseUrl::parse("postgres://u@h/db").unwrap().engine, Engine::Postgres);
        assert_eq!(DatabaseUrl::parse("postgresql://h/db").unwrap().engine, Engine::Postgres);
        let s = DatabaseUrl::parse("sqlite://data/x.db").unwrap();
        assert_eq!((s.engine, s.target.as_str()), (Engine::Sqlite, "data/x.db"));
        assert_eq!(DatabaseUrl::parse("sqlite:a.db").unwrap().target, "a.db");
        assert_eq!(DatabaseUrl::parse("data/skillmark.db").unwrap().engine, Engine::Sqlite);
        assert!(DatabaseUrl::parse("mysql://h/db").is_err());
        assert!(DatabaseUrl::parse("  ").is_err());
    }
}
