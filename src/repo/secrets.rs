//! Server-wide secrets kept in the database, so every instance on one database shares them.

use diesel::prelude::*;

use crate::db::models::now;
use crate::db::schema::server_secrets;
use crate::db::{write_tx, DbConn};

/// Returns the secret called `name`, creating it with `generate` on first use. Two instances
/// starting at once both end up with the one value that was stored first.
pub fn get_or_create(conn: &mut DbConn, name: &str, generate: impl Fn() -> String) -> QueryResult<String> {
    let existing = |conn: &mut DbConn| {
        server_secrets::table.find(name).select(server_secrets::value).get_result::<String>(conn).optional()
    };
    if let Some(value) = existing(conn)? {
        return Ok(value);
    }
    let inserted = write_tx(conn, |conn| {
        if let Some(value) = existing(conn)? {
            return Ok(value);
        }
        let value = generate();
        diesel::insert_into(server_secrets::table)
            .values((
                server_secrets::name.eq(name),
                server_secrets::value.eq(&value),
                server_secrets::created_at.eq(now()),
            ))
            .execute(conn)?;
        Ok::<_, diesel::result::Error>(value)
    });
    match inserted {
        Ok(value) => Ok(value),
        // Lost a race with another instance: read what it stored.
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
            existing(conn)?.ok_or(diesel::result::Error::NotFound)
        }
        Err(e) => Err(e),
    }
}
