//! Marking schemes, one per skill.

use diesel::prelude::*;

use crate::db::models::SchemeRow;
use crate::db::schema::marking_schemes;
use crate::db::DbConn;
use crate::domain::ids::SkillId;

pub fn find(conn: &mut DbConn, skill_id: &SkillId) -> QueryResult<Option<SchemeRow>> {
    marking_schemes::table.find(skill_id).select(SchemeRow::as_select()).get_result(conn).optional()
}

pub fn insert(conn: &mut DbConn, row: &SchemeRow) -> QueryResult<()> {
    diesel::insert_into(marking_schemes::table).values(row).execute(conn).map(|_| ())
}

/// Replaces the scheme if it is still at `expected_version`; returns whether it was.
pub fn update(conn: &mut DbConn, row: &SchemeRow, expected_version: i32) -> QueryResult<bool> {
    let n = diesel::update(
        marking_schemes::table
            .filter(marking_schemes::skill_id.eq(&row.skill_id))
            .filter(marking_schemes::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)?;
    Ok(n == 1)
}

pub fn of_skills(conn: &mut DbConn, skill_ids: &[SkillId]) -> QueryResult<Vec<SchemeRow>> {
    marking_schemes::table.filter(marking_schemes::skill_id.eq_any(skill_ids)).select(SchemeRow::as_select()).load(conn)
}
