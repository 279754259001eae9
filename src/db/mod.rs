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

/// r2d2 manager that opens the right engine and applies SQLite's pragmas to every connection.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
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
pub fn build_pool(url: &DatabaseUrl, max_size: u32) -> anyhow::Result<Pool> {
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
        .build_unchecked(ConnectionManager { url: url.clone() });
    Ok(pool)
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
    match f(conn) {
        Ok(value) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(err) => {
            // A failed rollback leaves the connection broken; r2d2 then discards it.
            let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(conn);
            Err(err)
        }
    }
}

/// Most requests' work in one group-committed transaction.
const MOST_IN_A_BATCH: usize = 64;

/// A writing transaction shared with other requests writing to the same `key` of the same
/// database (group commit, [`writer::Batches`]): `job` runs in its own savepoint inside a
/// transaction led by one of them, after `first` (run once at the start of each such
/// transaction, e.g. to take the row locks every job needs in a fixed order), and its outcome is
/// returned only after that transaction has committed. Jobs run on the leader's thread under the
/// caller's clock. A job that fails rolls back to its savepoint and takes no other job with it;
/// a failed commit fails every job of the batch. Inside a transaction already, or on an
/// in-memory SQLite database (each connection its own), it is [`write_tx`].
pub fn write_tx_batched<T, E>(
    conn: &mut DbConn,
    key: &str,
    first: fn(&mut DbConn, &str) -> QueryResult<()>,
    job: impl FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
) -> Result<T, E>
where
    T: Send + 'static,
    E: From<diesel::result::Error> + Send + 'static,
{
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    type Shared = Arc<writer::Batches<DbConn, diesel::result::Error>>;
    static BATCHES: OnceLock<Mutex<HashMap<String, Shared>>> = OnceLock::new();
    let nested = <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()
        .map_err(E::from)?
        .is_some();
    let database = if nested { None } else { database_of(conn).map_err(E::from)? };
    let Some(database) = database else {
        return write_tx(conn, |conn| {
            first(conn, key)?;
            job(conn)
        });
    };
    let batches = {
        let mut all = BATCHES.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
        all.entry(format!("{database}\n{key}"))
            .or_insert_with(|| Arc::new(writer::Batches::new(MOST_IN_A_BATCH)))
            .clone()
    };
    let clock = crate::clock::Clock::current();
    let key = key.to_string();
    batches.run(
        conn,
        move |conn: &mut DbConn| clock.scope(|| conn.transaction(job)),
        |failure| Err(E::from(copy_error(failure))),
        &mut |conn, body| {
            write_tx(conn, |conn| {
                first(conn, &key)?;
                body(conn);
                Ok(())
            })
        },
    )
}

/// Which database a connection writes to, as a name shared by every connection to it: the
/// SQLite file, or PostgreSQL's database (with its server's port). `None` for an in-memory
/// SQLite database.
fn database_of(conn: &mut DbConn) -> QueryResult<Option<String>> {
    use diesel::sql_types::Text;
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let sql = match conn {
        DbConn::Sqlite(_) => "SELECT file AS name FROM pragma_database_list WHERE name = 'main'",
        DbConn::Pg(_) => "SELECT current_database() || ':' || COALESCE(inet_server_port()::text, '') AS name",
    };
    let name = diesel::sql_query(sql).get_result::<Name>(conn)?.name;
    Ok(Some(name).filter(|n| !n.is_empty()))
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
        let pool = build_pool(&url, 1).unwrap();
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
