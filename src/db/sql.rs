//! How the domain's typed values are stored: ids (`domain::ids`) and the state and kind enums
//! as TEXT, on both engines and through `DbConn`. A row is parsed once when it is read; a
//! stored value that does not parse fails the query (it is a bug or a hand edit, not input).

use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;

use super::MultiBackend;

/// Stores each type as its `Display` text and reads it back with `FromStr`.
macro_rules! stored_as_text {
    ($($t:ty),* $(,)?) => {$(
        const _: () = {
            #[derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
            #[diesel(foreign_derive, sql_type = Text)]
            #[allow(dead_code)]
            struct Stored($t);
        };

        impl<DB: diesel::backend::Backend> FromSql<Text, DB> for $t
        where
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let raw = String::from_sql(bytes)?;
                raw.parse().map_err(|e| format!("stored {} {raw:?} does not parse: {e}", stringify!($t)).into())
            }
        }

        impl ToSql<Text, Pg> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                use std::io::Write;
                write!(out, "{self}")?;
                Ok(IsNull::No)
            }
        }

        impl ToSql<Text, Sqlite> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                out.set_value(self.to_string());
                Ok(IsNull::No)
            }
        }

        impl ToSql<Text, MultiBackend> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                out.set_value((Text, self));
                Ok(IsNull::No)
            }
        }
    )*};
}

use crate::domain::account::{Locale, TokenPurpose};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::draw::DrawAlgorithm;
use crate::domain::event::EventStatus;
use crate::domain::ids::*;
use crate::domain::mail::{MailKind, MailStatus};
use crate::domain::publication::{Audience, DisputeStatus, ResultState};
use crate::domain::registration::{DelegationKind, EntryStatus, ExpertPosition, Gender, JudgementMode};
use crate::domain::role::Role;
use crate::domain::scheme::{MarkInputKind, SchemeStatus};
use crate::domain::selection::{ProgrammeStatus, StandingBasis, TeamPlace};

crate::domain::ids::for_each_thing_id!(stored_as_text);
stored_as_text!(
    RoleAssignmentId,
    RefreshTokenId,
    TokenFamilyId,
    OneTimeTokenId,
    AuditId,
    MailId,
    ScopeId,
    ProgrammeStatus,
    TeamPlace,
    StandingBasis,
    TargetId,
    SubCriterionId,
    ClientMarkId,
    AspectKey,
    TokenPurpose,
    JudgementMode,
    DelegationKind,
    ExpertPosition,
    SchemeStatus,
    DisputeStatus,
    MailStatus,
    MailKind,
    Role,
    EventStatus,
    EntryStatus,
    MarkInputKind,
    ResultState,
    Audience,
    Gender,
    Locale,
    AuditAction,
    AuditTarget,
    DrawAlgorithm,
);

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;

    use crate::db::schema::users;
    use crate::db::{build_pool, run_migrations, DatabaseUrl};
    use crate::domain::ids::UserId;

    #[test]
    fn typed_ids_are_written_and_read_as_text_through_dbconn() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::parse(&dir.path().join("t.db").to_string_lossy()).unwrap();
        let pool = build_pool(&url, 1, crate::db::Checkpoints::OnCommit).unwrap();
        let mut conn = pool.get().unwrap();
        run_migrations(&mut conn).unwrap();
        let id = UserId::new();
        let at = crate::db::models::now();
        diesel::insert_into(users::table)
            .values((
                users::id.eq(id.clone()),
                users::email.eq("a@b.cn"),
                users::display_name.eq("A"),
                users::locale.eq(crate::domain::account::Locale::En),
                users::is_active.eq(true),
                users::token_version.eq(0),
                users::version.eq(1),
                users::created_at.eq(at),
                users::updated_at.eq(at),
            ))
            .execute(&mut *conn)
            .unwrap();
        let read: UserId = users::table.filter(users::id.eq(&id)).select(users::id).first(&mut *conn).unwrap();
        assert_eq!(read, id);
        let text: String = users::table.select(users::id).first(&mut *conn).unwrap();
        assert_eq!(text, id.to_string(), "stored as the hyphenated text");
        conn.batch_execute("UPDATE users SET id = 'x'").unwrap();
        let bad = users::table.select(users::id).first::<UserId>(&mut *conn);
        assert!(bad.is_err(), "a stored value that is no id fails the read");
    }
}
