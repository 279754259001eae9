//! Marking groups, marks and locks.

use diesel::prelude::*;

use crate::db::models::{
    EntryRow, GroupMemberRow, GroupRow, GroupSubCriterionRow, LockRow, MarkRow, StoredGroup, WithdrawnScoreRow,
};
use crate::db::schema::{
    mark_locks, marking_group_members, marking_group_sub_criteria, marking_groups, marks, withdrawn_scores,
};
use crate::db::DbConn;
use crate::domain::ids::{AspectKey, ClientMarkId, EntryId, GroupId, MarkId, SkillId, SubCriterionId};

/// A group with its members and sub-criteria (a handful each: one insert per row).
pub fn insert_group(conn: &mut DbConn, group: &StoredGroup) -> QueryResult<()> {
    diesel::insert_into(marking_groups::table).values(&group.row).execute(conn)?;
    for (position, user_id) in (0..).zip(&group.members) {
        let member = GroupMemberRow { group_id: group.row.id.clone(), position, user_id: user_id.clone() };
        diesel::insert_into(marking_group_members::table).values(&member).execute(conn)?;
    }
    for (position, sub_criterion_id) in (0..).zip(&group.sub_criteria) {
        let sub = GroupSubCriterionRow {
            group_id: group.row.id.clone(),
            position,
            sub_criterion_id: sub_criterion_id.clone(),
        };
        diesel::insert_into(marking_group_sub_criteria::table).values(&sub).execute(conn)?;
    }
    Ok(())
}

/// The skill's groups by name, each with its members and sub-criteria in the order given.
pub fn groups_of(conn: &mut DbConn, skill_id: &SkillId) -> QueryResult<Vec<StoredGroup>> {
    let rows: Vec<GroupRow> = marking_groups::table
        .filter(marking_groups::skill_id.eq(skill_id))
        .order(marking_groups::name.asc())
        .select(GroupRow::as_select())
        .load(conn)?;
    let ids: Vec<&GroupId> = rows.iter().map(|g| &g.id).collect();
    let members: Vec<GroupMemberRow> = marking_group_members::table
        .filter(marking_group_members::group_id.eq_any(&ids))
        .order((marking_group_members::group_id.asc(), marking_group_members::position.asc()))
        .select(GroupMemberRow::as_select())
        .load(conn)?;
    let subs: Vec<GroupSubCriterionRow> = marking_group_sub_criteria::table
        .filter(marking_group_sub_criteria::group_id.eq_any(&ids))
        .order((marking_group_sub_criteria::group_id.asc(), marking_group_sub_criteria::position.asc()))
        .select(GroupSubCriterionRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| StoredGroup {
            members: members.iter().filter(|m| m.group_id == row.id).map(|m| m.user_id.clone()).collect(),
            sub_criteria: subs.iter().filter(|s| s.group_id == row.id).map(|s| s.sub_criterion_id.clone()).collect(),
            row,
        })
        .collect())
}

/// Loads the rows of `$query` whose `$column` is among `$values`, in one prepared statement
/// whatever their number, kept by the connection: PostgreSQL binds the list as one array
/// (`= ANY($1)`, diesel's `eq_any`); on SQLite `eq_any` writes one placeholder per value, a
/// statement diesel prepares anew every time, so there the list is one JSON text
/// (`IN (SELECT value FROM json_each(?))`). For the lists the marking path reads on every request.
macro_rules! load_among {
    ($conn:expr, $query:expr, $($table:ident :: $column:ident in $values:expr),+ ; $select:expr) => {{
        match $conn {
            DbConn::Pg(c) => $query$(.filter($table::$column.eq_any($values)))+.select($select).load(c),
            DbConn::Sqlite(c) => $query
                $(.filter(
                    diesel::dsl::sql::<diesel::sql_types::Bool>(concat!(
                        stringify!($table), ".", stringify!($column), " IN (SELECT value FROM json_each("
                    ))
                    .bind::<diesel::sql_types::Text, _>(serde_json::to_string($values).expect("a list of texts is JSON"))
                    .sql("))"),
                ))+
                .select($select)
                .load(c),
        }
    }};
}

pub fn find_by_client_ids(conn: &mut DbConn, client_ids: &[ClientMarkId]) -> QueryResult<Vec<MarkRow>> {
    load_among!(conn, marks::table, marks::client_id in client_ids; MarkRow::as_select())
}

insert_many!(
    /// New marks, in as few statements as the engines allow.
    insert_marks,
    marks::table,
    MarkRow
);

/// Replaces a mark's value (and who entered it, when, under which client id) if it is still at
/// `expected_version`; returns whether it was. Its slot (skill, entry, aspect, judge) never
/// changes.
pub fn update_mark(conn: &mut DbConn, row: &MarkRow, expected_version: i32) -> QueryResult<bool> {
    let update = UpdateMark { row, expected_version };
    let n = match conn {
        DbConn::Pg(c) => update.execute(c)?,
        DbConn::Sqlite(c) => update.execute(c)?,
    };
    Ok(n == 1)
}

/// The statement of [`update_mark`], built by hand so that the connection keeps it prepared:
/// diesel prepares every `UPDATE` it builds anew (a changeset may change its text), and this one
/// runs once per mark entered. Its text never changes, so its type names it ([`QueryId`]).
struct UpdateMark<'a> {
    row: &'a MarkRow,
    expected_version: i32,
}

impl diesel::query_builder::QueryId for UpdateMark<'_> {
    type QueryId = UpdateMark<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<DB> diesel::query_builder::QueryFragment<DB> for UpdateMark<'_>
where
    DB: diesel::backend::Backend + diesel::sql_types::HasSqlType<diesel::sql_types::Bool>,
    crate::domain::scheme::MarkInputKind: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
    i32: diesel::serialize::ToSql<diesel::sql_types::Integer, DB>,
    Option<String>: diesel::serialize::ToSql<diesel::sql_types::Nullable<diesel::sql_types::Text>, DB>,
    bool: diesel::serialize::ToSql<diesel::sql_types::Bool, DB>,
    ClientMarkId: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
    crate::domain::ids::UserId: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
    chrono::NaiveDateTime: diesel::serialize::ToSql<diesel::sql_types::Timestamp, DB>,
    MarkId: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> QueryResult<()> {
        use diesel::sql_types::{Bool, Integer, Nullable, Text, Timestamp};
        let r = self.row;
        out.push_sql("UPDATE marks SET input = ");
        out.push_bind_param::<Text, _>(&r.input)?;
        out.push_sql(", value = ");
        out.push_bind_param::<Integer, _>(&r.value)?;
        out.push_sql(", note = ");
        out.push_bind_param::<Nullable<Text>, _>(&r.note)?;
        out.push_sql(", unsure = ");
        out.push_bind_param::<Bool, _>(&r.unsure)?;
        out.push_sql(", version = ");
        out.push_bind_param::<Integer, _>(&r.version)?;
        out.push_sql(", client_id = ");
        out.push_bind_param::<Text, _>(&r.client_id)?;
        out.push_sql(", entered_by = ");
        out.push_bind_param::<Text, _>(&r.entered_by)?;
        out.push_sql(", updated_at = ");
        out.push_bind_param::<Timestamp, _>(&r.updated_at)?;
        out.push_sql(" WHERE id = ");
        out.push_bind_param::<Text, _>(&r.id)?;
        out.push_sql(" AND version = ");
        out.push_bind_param::<Integer, _>(&self.expected_version)?;
        Ok(())
    }
}

impl<C> RunQueryDsl<C> for UpdateMark<'_> {}

pub fn marks_of_entry(conn: &mut DbConn, entry_id: &EntryId) -> QueryResult<Vec<MarkRow>> {
    marks::table
        .filter(marks::entry_id.eq(entry_id))
        // Measurement marks (no judge) first, as on both engines NULLs do not sort alike.
        .order((marks::aspect_key.asc(), marks::judge_id.is_not_null().asc(), marks::judge_id.asc()))
        .select(MarkRow::as_select())
        .load(conn)
}

/// The marks of the given slots (entry and aspect), by every judge (and the measurement marks):
/// what a batch of marking requests, or a chief expert's withdrawal, may touch. One statement
/// whatever the number of slots, kept by the connection (the pairs are two arrays on
/// PostgreSQL, one JSON text on SQLite).
pub fn slots_of_pairs(conn: &mut DbConn, slots: &[(EntryId, AspectKey)]) -> QueryResult<Vec<MarkRow>> {
    use diesel::dsl::sql;
    use diesel::sql_types::{Array, Bool, Text};
    let wanted = "(marks.entry_id, marks.aspect_key) IN (SELECT ";
    match conn {
        DbConn::Pg(c) => {
            let (entries, aspects): (Vec<String>, Vec<String>) =
                slots.iter().map(|(e, a)| (e.to_string(), a.as_str().to_string())).unzip();
            marks::table
                .filter(
                    sql::<Bool>(wanted)
                        .sql("* FROM unnest(")
                        .bind::<Array<Text>, _>(entries)
                        .sql(", ")
                        .bind::<Array<Text>, _>(aspects)
                        .sql("))"),
                )
                .select(MarkRow::as_select())
                .load(c)
        }
        DbConn::Sqlite(c) => {
            let pairs: Vec<(String, &str)> = slots.iter().map(|(e, a)| (e.to_string(), a.as_str())).collect();
            marks::table
                .filter(
                    sql::<Bool>(wanted)
                        .sql("value ->> 0, value ->> 1 FROM json_each(")
                        .bind::<Text, _>(serde_json::to_string(&pairs).expect("pairs of texts are JSON"))
                        .sql("))"),
                )
                .select(MarkRow::as_select())
                .load(c)
        }
    }
}

/// The locks of any of the entries.
pub fn locks_of_entries(conn: &mut DbConn, entry_ids: &[EntryId]) -> QueryResult<Vec<LockRow>> {
    load_among!(conn, mark_locks::table, mark_locks::entry_id in entry_ids; LockRow::as_select())
}

/// The status and version of the skill's marking scheme, without its document (the marking path
/// parses a frozen scheme once and keeps it).
pub fn scheme_state(
    conn: &mut DbConn,
    skill_id: &crate::domain::ids::SkillId,
) -> QueryResult<Option<(crate::domain::scheme::SchemeStatus, i32)>> {
    use crate::db::schema::marking_schemes;
    marking_schemes::table
        .find(skill_id)
        .select((marking_schemes::status, marking_schemes::version))
        .get_result(conn)
        .optional()
}

/// Holds the entry's row until the transaction ends, so that writers of its marks take turns
/// (PostgreSQL `FOR UPDATE`; on SQLite `BEGIN IMMEDIATE` has taken the write lock already).
pub fn hold_entry(conn: &mut DbConn, entry_id: &EntryId) -> QueryResult<()> {
    if let DbConn::Pg(_) = conn {
        hold_entries(conn, std::slice::from_ref(entry_id))?;
    }
    Ok(())
}

/// Holds the entries' rows until the transaction ends (PostgreSQL `FOR UPDATE`, in order of id,
/// so that writers holding several never wait on each other in a circle; on SQLite the write
/// lock covers them) and returns them, as they are now.
pub fn hold_entries(conn: &mut DbConn, entry_ids: &[EntryId]) -> QueryResult<Vec<EntryRow>> {
    use crate::db::schema::entries;
    if let DbConn::Pg(c) = conn {
        return entries::table
            .filter(entries::id.eq_any(entry_ids))
            .order(entries::id.asc())
            .for_update()
            .select(EntryRow::as_select())
            .load(c);
    }
    load_among!(conn, entries::table, entries::id in entry_ids; EntryRow::as_select())
}

/// Takes a judge's score out (a chief expert's withdrawal) and records it; returns whether the
/// mark was still there.
pub fn withdraw_score(conn: &mut DbConn, mark_id: &MarkId, record: &WithdrawnScoreRow) -> QueryResult<bool> {
    if diesel::delete(marks::table.find(mark_id)).execute(conn)? != 1 {
        return Ok(false);
    }
    diesel::insert_into(withdrawn_scores::table).values(record).execute(conn)?;
    Ok(true)
}

/// The client ids among `client_ids` whose scores were withdrawn.
pub fn withdrawn_client_ids(conn: &mut DbConn, client_ids: &[ClientMarkId]) -> QueryResult<Vec<ClientMarkId>> {
    load_among!(conn, withdrawn_scores::table, withdrawn_scores::client_id in client_ids; withdrawn_scores::client_id)
}

pub fn locks_of_entry(conn: &mut DbConn, entry_id: &EntryId) -> QueryResult<Vec<LockRow>> {
    mark_locks::table.filter(mark_locks::entry_id.eq(entry_id)).select(LockRow::as_select()).load(conn)
}

pub fn insert_lock(conn: &mut DbConn, row: &LockRow) -> QueryResult<()> {
    diesel::insert_into(mark_locks::table).values(row).execute(conn).map(|_| ())
}

pub fn delete_lock(conn: &mut DbConn, entry_id: &EntryId, sub_criterion_id: &SubCriterionId) -> QueryResult<bool> {
    let n = diesel::delete(
        mark_locks::table
            .filter(mark_locks::entry_id.eq(entry_id))
            .filter(mark_locks::sub_criterion_id.eq(sub_criterion_id)),
    )
    .execute(conn)?;
    Ok(n == 1)
}

/// Whether any mark of the skill exists (its marking has begun).
pub fn skill_has_marks(conn: &mut DbConn, skill_id: &SkillId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(marks::table.filter(marks::skill_id.eq(skill_id)))).get_result(conn)
}

pub fn marks_of_skill(conn: &mut DbConn, skill_id: &SkillId) -> QueryResult<Vec<MarkRow>> {
    marks::table.filter(marks::skill_id.eq(skill_id)).select(MarkRow::as_select()).load(conn)
}

pub fn locks_of_skill(conn: &mut DbConn, skill_id: &SkillId) -> QueryResult<Vec<LockRow>> {
    mark_locks::table.filter(mark_locks::skill_id.eq(skill_id)).select(LockRow::as_select()).load(conn)
}

/// The entered values of several skills' marks: (entry, aspect key, value), for the dashboard.
pub fn values_of_skills(conn: &mut DbConn, skill_ids: &[SkillId]) -> QueryResult<Vec<(EntryId, AspectKey, i32)>> {
    marks::table
        .filter(marks::skill_id.eq_any(skill_ids))
        .select((marks::entry_id, marks::aspect_key, marks::value))
        .load(conn)
}

pub fn locks_of_skills(conn: &mut DbConn, skill_ids: &[SkillId]) -> QueryResult<Vec<LockRow>> {
    mark_locks::table.filter(mark_locks::skill_id.eq_any(skill_ids)).select(LockRow::as_select()).load(conn)
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use diesel::connection::{Instrumentation, InstrumentationEvent, SimpleConnection};

    use super::*;
    use crate::db::models::{new_id, now};
    use crate::db::{build_pool, run_migrations, Checkpoints, DatabaseUrl};

    /// The statements a connection prepared and kept.
    #[derive(Clone, Default)]
    struct Prepared(Arc<Mutex<Vec<String>>>);

    impl Instrumentation for Prepared {
        fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
            if let InstrumentationEvent::CacheQuery { sql, .. } = event {
                self.0.lock().unwrap().push(sql.to_string());
            }
        }
    }

    #[test]
    fn marks_are_inserted_and_updated_by_statements_prepared_once_per_connection() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::parse(&dir.path().join("t.db").to_string_lossy()).unwrap();
        let pool = build_pool(&url, 1, Checkpoints::OnCommit).unwrap();
        let mut conn = pool.get().unwrap();
        run_migrations(&mut conn).unwrap();
        // The mark alone matters here, not the event around it.
        conn.batch_execute("PRAGMA foreign_keys = OFF").unwrap();
        let mut row = MarkRow {
            id: new_id(),
            skill_id: new_id(),
            entry_id: new_id(),
            aspect_key: "A1.1".parse().unwrap(),
            sub_criterion_id: "A1".parse().unwrap(),
            judge_id: Some(new_id()),
            input: crate::domain::scheme::MarkInputKind::Score,
            value: 1,
            note: None,
            unsure: false,
            version: 1,
            client_id: "t-1".parse().unwrap(),
            entered_by: new_id(),
            updated_at: now(),
        };
        let prepared = Prepared::default();
        conn.set_instrumentation(prepared.clone());
        insert_marks(&mut conn, std::slice::from_ref(&row)).unwrap();
        // Batches of new marks of any size: a note left out is a column left out (diesel writes
        // no NULL), so one statement with a note and one without, each prepared once.
        let inserts = || prepared.0.lock().unwrap().iter().filter(|s| s.starts_with("INSERT")).count();
        for (n, size) in [2, 3].into_iter().enumerate() {
            let more: Vec<MarkRow> = (0..size)
                .map(|i| MarkRow {
                    id: new_id(),
                    judge_id: Some(new_id()),
                    client_id: format!("t-{n}-{i}").parse().unwrap(),
                    note: (i == 1).then(|| "a note".to_string()),
                    ..row.clone()
                })
                .collect();
            insert_marks(&mut conn, &more).unwrap();
            assert_eq!(inserts(), 2, "after {} batches", n + 1);
        }
        assert_eq!(marks_of_entry(&mut conn, &row.entry_id).unwrap().len(), 6);
        for value in [2, 3, 1] {
            let expected = row.version;
            row = MarkRow { value, version: expected + 1, note: Some(format!("{value}")), ..row };
            assert!(update_mark(&mut conn, &row, expected).unwrap(), "at version {expected}");
        }
        assert!(!update_mark(&mut conn, &row, 1).unwrap(), "a stale version changes nothing");
        let prepared = prepared.0.lock().unwrap().clone();
        let updates: Vec<&String> = prepared.iter().filter(|s| s.starts_with("UPDATE")).collect();
        assert_eq!(updates.len(), 1, "prepared once, then kept: {updates:?}");
        let stored = marks_of_entry(&mut conn, &row.entry_id).unwrap();
        let updated = stored.iter().find(|m| m.id == row.id).unwrap();
        assert_eq!((updated.value, updated.version, updated.note.as_deref()), (1, 4, Some("1")));
    }
}
