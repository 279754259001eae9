//! Persistence: one module per aggregate, plain functions over `&mut DbConn`. The only place SQL
//! (diesel DSL) lives. Functions here do not decide who may do what; callers do.
//!
//! A lookup by primary key or another unique key is `.get_result()`, not `.first()`: `.first()`
//! adds `LIMIT ?`, and SQLite (3.53) plans with a bound LIMIT's value, so every new binding of it
//! (every use of the kept statement) makes SQLite prepare the statement again — a parse and a
//! plan on each call.

/// Many rows at once. PostgreSQL takes them in multi-row statements (chunks within its
/// bind-parameter limit: one round trip each). SQLite runs in process, so there is no round trip
/// to save, and diesel prepares a multi-row statement anew on every use (its text depends on the
/// number of rows), while the one-row statement is prepared once and kept by the connection:
/// there each row is one run of that statement. Multi-row inserts do not compile through
/// `DbConn`, so each engine runs its statement itself.
macro_rules! insert_many {
    ($(#[$doc:meta])* $name:ident, $table:path, $row:ty) => {
        $(#[$doc])*
        pub fn $name(conn: &mut DbConn, rows: &[$row]) -> QueryResult<()> {
            match conn {
                DbConn::Pg(c) => {
                    for chunk in rows.chunks(500) {
                        diesel::insert_into($table).values(chunk).execute(c)?;
                    }
                }
                DbConn::Sqlite(c) => {
                    for row in rows {
                        diesel::insert_into($table).values(row).execute(c)?;
                    }
                }
            }
            Ok(())
        }
    };
}

pub mod audit;
pub mod events;
pub mod maintenance;
pub mod marks;
pub mod registration;
pub mod results;
pub mod schemes;
pub mod secrets;
pub mod selection;
pub mod tokens;
pub mod users;

/// A page of a list and the total number of matching rows.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// Offset and limit from a 1-based page number.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub page: i64,
    pub per_page: i64,
}

impl PageRequest {
    pub fn offset(self) -> i64 {
        (self.page - 1) * self.per_page
    }
}

diesel::define_sql_function! {
    /// SQL `lower(text)`, the same on both engines for the characters we search on.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}
