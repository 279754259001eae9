//! The selection programme: programmes, their stages, each stage's per-skill rules, the confirmed
//! advancements (with withdrawals and move-ups) and the national team.

use diesel::prelude::*;

use crate::db::models::{AdvancementRow, ProgrammeRow, StageRow, StageSkillRow, TeamRow};
use crate::db::schema::{
    selection_advancements, selection_programmes, selection_stage_skills, selection_stages, selection_team,
};
use crate::db::DbConn;
use crate::domain::ids::{EntryId, EventId, ProgrammeId, SkillId, StageId};

pub fn insert_programme(conn: &mut DbConn, row: &ProgrammeRow) -> QueryResult<()> {
    diesel::insert_into(selection_programmes::table).values(row).execute(conn).map(|_| ())
}

pub fn find_programme(conn: &mut DbConn, id: &ProgrammeId) -> QueryResult<Option<ProgrammeRow>> {
    selection_programmes::table.find(id).select(ProgrammeRow::as_select()).get_result(conn).optional()
}

/// Every programme, newest first.
pub fn list_programmes(conn: &mut DbConn) -> QueryResult<Vec<ProgrammeRow>> {
    selection_programmes::table
        .order((selection_programmes::created_at.desc(), selection_programmes::id.asc()))
        .select(ProgrammeRow::as_select())
        .load(conn)
}

/// Replaces a programme's fields if it is still at `expected_version` (the row carries the new one).
pub fn update_programme(conn: &mut DbConn, row: &ProgrammeRow, expected_version: i32) -> QueryResult<bool> {
    let n = diesel::update(
        selection_programmes::table
            .filter(selection_programmes::id.eq(&row.id))
            .filter(selection_programmes::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)?;
    Ok(n == 1)
}

pub fn insert_stage(conn: &mut DbConn, row: &StageRow) -> QueryResult<()> {
    diesel::insert_into(selection_stages::table).values(row).execute(conn).map(|_| ())
}

pub fn find_stage(conn: &mut DbConn, id: &StageId) -> QueryResult<Option<StageRow>> {
    selection_stages::table.find(id).select(StageRow::as_select()).get_result(conn).optional()
}

/// A programme's stages, stage 1 first.
pub fn stages_of(conn: &mut DbConn, programme_id: &ProgrammeId) -> QueryResult<Vec<StageRow>> {
    selection_stages::table
        .filter(selection_stages::programme_id.eq(programme_id))
        .order(selection_stages::position.asc())
        .select(StageRow::as_select())
        .load(conn)
}

/// The stage an event is, if it is one.
pub fn stage_of_event(conn: &mut DbConn, event_id: &EventId) -> QueryResult<Option<StageRow>> {
    selection_stages::table
        .filter(selection_stages::event_id.eq(event_id))
        .select(StageRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn set_stage_audience(conn: &mut DbConn, row: &StageRow) -> QueryResult<()> {
    diesel::update(selection_stages::table.find(&row.id))
        .set((selection_stages::audience.eq(row.audience), selection_stages::public_at.eq(row.public_at)))
        .execute(conn)
        .map(|_| ())
}

/// The confirmed stage skill that is this skill (a skill is in at most one stage: its event is).
pub fn confirmed_stage_skill_of(conn: &mut DbConn, skill_id: &SkillId) -> QueryResult<Option<StageSkillRow>> {
    selection_stage_skills::table
        .filter(selection_stage_skills::skill_id.eq(skill_id))
        .filter(selection_stage_skills::confirmed_at.is_not_null())
        .select(StageSkillRow::as_select())
        .first(conn)
        .optional()
}

/// Every confirmed stage skill of every programme (for `skillmark verify`).
pub fn confirmed_stage_skills(conn: &mut DbConn) -> QueryResult<Vec<StageSkillRow>> {
    selection_stage_skills::table
        .filter(selection_stage_skills::confirmed_at.is_not_null())
        .order((selection_stage_skills::stage_id.asc(), selection_stage_skills::skill_number.asc()))
        .select(StageSkillRow::as_select())
        .load(conn)
}

pub fn insert_stage_skill(conn: &mut DbConn, row: &StageSkillRow) -> QueryResult<()> {
    diesel::insert_into(selection_stage_skills::table).values(row).execute(conn).map(|_| ())
}

/// A stage's skills, by number.
pub fn stage_skills_of(conn: &mut DbConn, stage_id: &StageId) -> QueryResult<Vec<StageSkillRow>> {
    selection_stage_skills::table
        .filter(selection_stage_skills::stage_id.eq(stage_id))
        .order(selection_stage_skills::skill_number.asc())
        .select(StageSkillRow::as_select())
        .load(conn)
}

pub fn find_stage_skill(
    conn: &mut DbConn,
    stage_id: &StageId,
    skill_id: &SkillId,
) -> QueryResult<Option<StageSkillRow>> {
    selection_stage_skills::table
        .find((stage_id, skill_id))
        .select(StageSkillRow::as_select())
        .get_result(conn)
        .optional()
}

/// The stage skill with this number, if the stage has it.
pub fn stage_skill_numbered(conn: &mut DbConn, stage_id: &StageId, number: &str) -> QueryResult<Option<StageSkillRow>> {
    selection_stage_skills::table
        .filter(selection_stage_skills::stage_id.eq(stage_id))
        .filter(selection_stage_skills::skill_number.eq(number))
        .select(StageSkillRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn update_stage_skill(conn: &mut DbConn, row: &StageSkillRow, expected_version: i32) -> QueryResult<bool> {
    let n = diesel::update(
        selection_stage_skills::table
            .filter(selection_stage_skills::stage_id.eq(&row.stage_id))
            .filter(selection_stage_skills::skill_id.eq(&row.skill_id))
            .filter(selection_stage_skills::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)?;
    Ok(n == 1)
}

pub fn insert_advancement(conn: &mut DbConn, row: &AdvancementRow) -> QueryResult<()> {
    diesel::insert_into(selection_advancements::table).values(row).execute(conn).map(|_| ())
}

pub fn update_advancement(conn: &mut DbConn, row: &AdvancementRow) -> QueryResult<()> {
    diesel::update(
        selection_advancements::table
            .filter(selection_advancements::stage_id.eq(&row.stage_id))
            .filter(selection_advancements::entry_id.eq(&row.entry_id)),
    )
    .set(row)
    .execute(conn)
    .map(|_| ())
}

/// The confirmed standing of a stage's skill, best rank first.
pub fn advancements_of(conn: &mut DbConn, stage_id: &StageId, skill_id: &SkillId) -> QueryResult<Vec<AdvancementRow>> {
    selection_advancements::table
        .filter(selection_advancements::stage_id.eq(stage_id))
        .filter(selection_advancements::skill_id.eq(skill_id))
        .order((selection_advancements::rank.asc(), selection_advancements::entry_id.asc()))
        .select(AdvancementRow::as_select())
        .load(conn)
}

/// The advancement an entry was confirmed in (as the entry of that stage).
pub fn advancement_of_entry(conn: &mut DbConn, entry_id: &EntryId) -> QueryResult<Option<AdvancementRow>> {
    selection_advancements::table
        .filter(selection_advancements::entry_id.eq(entry_id))
        .select(AdvancementRow::as_select())
        .first(conn)
        .optional()
}

/// The advancement that carried a competitor into `entry_id` (the entry of the next stage).
pub fn advancement_into(conn: &mut DbConn, entry_id: &EntryId) -> QueryResult<Option<AdvancementRow>> {
    selection_advancements::table
        .filter(selection_advancements::next_entry_id.eq(entry_id))
        .select(AdvancementRow::as_select())
        .first(conn)
        .optional()
}

/// Replaces a skill's national team.
pub fn replace_team(conn: &mut DbConn, programme_id: &ProgrammeId, number: &str, rows: &[TeamRow]) -> QueryResult<()> {
    diesel::delete(
        selection_team::table
            .filter(selection_team::programme_id.eq(programme_id))
            .filter(selection_team::skill_number.eq(number)),
    )
    .execute(conn)?;
    for row in rows {
        diesel::insert_into(selection_team::table).values(row).execute(conn)?;
    }
    Ok(())
}

/// The national team, by skill number then place.
pub fn team_of(conn: &mut DbConn, programme_id: &ProgrammeId) -> QueryResult<Vec<TeamRow>> {
    selection_team::table
        .filter(selection_team::programme_id.eq(programme_id))
        .order((selection_team::skill_number.asc(), selection_team::place.asc(), selection_team::entry_id.asc()))
        .select(TeamRow::as_select())
        .load(conn)
}
