//! Whole-database maintenance: consistent online copies of an SQLite database.

use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::db::DbConn;

/// Writes a consistent copy of the SQLite database to `path` while it stays in use
/// (`VACUUM INTO` reads one snapshot; writers carry on). `None` on PostgreSQL.
pub fn sqlite_copy_into(conn: &mut DbConn, path: &str) -> Option<QueryResult<()>> {
    match conn {
        DbConn::Sqlite(c) => Some(diesel::sql_query("VACUUM INTO ?").bind::<Text, _>(path).execute(c).map(|_| ())),
        DbConn::Pg(_) => None,
    }
}

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

/// SQLite's own integrity check of a database file: `ok` or the problems found.
pub fn sqlite_integrity(conn: &mut diesel::SqliteConnection) -> QueryResult<Vec<String>> {
    Ok(diesel::sql_query("PRAGMA integrity_check")
        .load::<Check>(conn)?
        .into_iter()
        .map(|c| c.integrity_check)
        .collect())
}
