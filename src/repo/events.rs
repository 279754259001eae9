//! Events with their skills and delegations.

use diesel::prelude::*;

use crate::db::models::{DelegationRow, EventRow, SkillRow};
use crate::db::schema::{delegations, events, skills};
use crate::db::DbConn;
use crate::domain::ids::{DelegationId, EventId, ScopeId, SkillId};

pub fn insert_event(conn: &mut DbConn, row: &EventRow) -> QueryResult<()> {
    diesel::insert_into(events::table).values(row).execute(conn).map(|_| ())
}

pub fn find_event(conn: &mut DbConn, id: &EventId) -> QueryResult<Option<EventRow>> {
    events::table.find(id).select(EventRow::as_select()).get_result(conn).optional()
}

/// Events, newest competition first; `only` limits them to these ids.
pub fn list_events(conn: &mut DbConn, only: Option<&[EventId]>) -> QueryResult<Vec<EventRow>> {
    let mut q = events::table.into_boxed();
    if let Some(ids) = only {
        q = q.filter(events::id.eq_any(ids.to_vec()));
    }
    q.order((events::c1_date.desc(), events::id.asc())).select(EventRow::as_select()).load(conn)
}

/// Replaces an event's fields if it is still at `expected_version` (the row carries the new one).
pub fn update_event(conn: &mut DbConn, row: &EventRow, expected_version: i32) -> QueryResult<bool> {
    let n = diesel::update(events::table.filter(events::id.eq(&row.id)).filter(events::version.eq(expected_version)))
        .set(row)
        .execute(conn)?;
    Ok(n == 1)
}

/// The events in which skills or delegations with these ids lie (for scoped roles).
pub fn event_ids_of_scopes(conn: &mut DbConn, scope_ids: &[ScopeId]) -> QueryResult<Vec<EventId>> {
    let mut ids: Vec<EventId> =
        skills::table.filter(skills::id.eq_any(scope_ids)).select(skills::event_id).load(conn)?;
    ids.extend(
        delegations::table
            .filter(delegations::id.eq_any(scope_ids))
            .select(delegations::event_id)
            .load::<EventId>(conn)?,
    );
    ids.sort();
    ids.dedup();
    Ok(ids)
}

pub fn insert_skill(conn: &mut DbConn, row: &SkillRow) -> QueryResult<()> {
    diesel::insert_into(skills::table).values(row).execute(conn).map(|_| ())
}

pub fn find_skill(conn: &mut DbConn, id: &SkillId) -> QueryResult<Option<SkillRow>> {
    skills::table.find(id).select(SkillRow::as_select()).get_result(conn).optional()
}

pub fn skills_of(conn: &mut DbConn, event_id: &EventId) -> QueryResult<Vec<SkillRow>> {
    skills::table
        .filter(skills::event_id.eq(event_id))
        .order(skills::number.asc())
        .select(SkillRow::as_select())
        .load(conn)
}

pub fn update_skill(conn: &mut DbConn, row: &SkillRow, expected_version: i32) -> QueryResult<bool> {
    let n = diesel::update(skills::table.filter(skills::id.eq(&row.id)).filter(skills::version.eq(expected_version)))
        .set(row)
        .execute(conn)?;
    Ok(n == 1)
}

pub fn insert_delegation(conn: &mut DbConn, row: &DelegationRow) -> QueryResult<()> {
    diesel::insert_into(delegations::table).values(row).execute(conn).map(|_| ())
}

pub fn find_delegation(conn: &mut DbConn, id: &DelegationId) -> QueryResult<Option<DelegationRow>> {
    delegations::table.find(id).select(DelegationRow::as_select()).get_result(conn).optional()
}

pub fn delegations_of(conn: &mut DbConn, event_id: &EventId) -> QueryResult<Vec<DelegationRow>> {
    delegations::table
        .filter(delegations::event_id.eq(event_id))
        .order(delegations::code.asc())
        .select(DelegationRow::as_select())
        .load(conn)
}

pub fn update_delegation(conn: &mut DbConn, row: &DelegationRow, expected_version: i32) -> QueryResult<bool> {
    let n = diesel::update(
        delegations::table.filter(delegations::id.eq(&row.id)).filter(delegations::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)?;
    Ok(n == 1)
}

/// When the skill's anonymous entries were revealed, if they were.
pub fn revealed_at(conn: &mut DbConn, skill_id: &SkillId) -> QueryResult<Option<chrono::NaiveDateTime>> {
    use crate::db::schema::skill_reveals;
    skill_reveals::table.find(skill_id).select(skill_reveals::revealed_at).get_result(conn).optional()
}

pub fn record_reveal(
    conn: &mut DbConn,
    skill_id: &SkillId,
    at: chrono::NaiveDateTime,
    by: Option<&crate::domain::ids::UserId>,
) -> QueryResult<()> {
    use crate::db::schema::skill_reveals;
    diesel::insert_into(skill_reveals::table)
        .values((
            skill_reveals::skill_id.eq(skill_id),
            skill_reveals::revealed_at.eq(at),
            skill_reveals::revealed_by.eq(by),
        ))
        .execute(conn)
        .map(|_| ())
}
