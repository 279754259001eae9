//! Entries, competitors, experts and workstation draws.

use diesel::prelude::*;

use super::{Page, PageRequest};
use crate::db::models::{CompetitorRow, DrawAssignmentRow, DrawRow, EntryRow, ExpertRow, StoredDraw};
use crate::db::schema::{competitors, entries, experts, workstation_draw_assignments, workstation_draws};
use crate::db::DbConn;
use crate::domain::ids::{CompetitorId, DelegationId, DrawId, EntryId, EventId, SkillId, UserId};
use crate::domain::registration::EntryStatus;

pub fn insert_entry(conn: &mut DbConn, row: &EntryRow) -> QueryResult<()> {
    diesel::insert_into(entries::table).values(row).execute(conn).map(|_| ())
}

pub fn find_entry(conn: &mut DbConn, id: &EntryId) -> QueryResult<Option<EntryRow>> {
    entries::table.find(id).select(EntryRow::as_select()).get_result(conn).optional()
}

pub fn update_entry(conn: &mut DbConn, row: &EntryRow, expected_version: i32) -> QueryResult<bool> {
    let n =
        diesel::update(entries::table.filter(entries::id.eq(&row.id)).filter(entries::version.eq(expected_version)))
            .set(row)
            .execute(conn)?;
    Ok(n == 1)
}

/// Entries of a delegation in a skill that still take part (not withdrawn).
pub fn count_active_entries(conn: &mut DbConn, skill_id: &SkillId, delegation_id: &DelegationId) -> QueryResult<i64> {
    entries::table
        .filter(entries::skill_id.eq(skill_id))
        .filter(entries::delegation_id.eq(delegation_id))
        .filter(entries::status.ne(EntryStatus::Withdrawn))
        .count()
        .get_result(conn)
}

#[derive(Debug, Clone, Default)]
pub struct EntryFilter {
    pub event_id: EventId,
    pub skill_ids: Option<Vec<SkillId>>,
    pub delegation_ids: Option<Vec<DelegationId>>,
    pub status: Option<EntryStatus>,
}

pub fn list_entries(conn: &mut DbConn, f: &EntryFilter, page: PageRequest) -> QueryResult<Page<EntryRow>> {
    let build = || {
        let mut q = entries::table.filter(entries::event_id.eq(f.event_id.clone())).into_boxed();
        if let Some(ids) = &f.skill_ids {
            q = q.filter(entries::skill_id.eq_any(ids.clone()));
        }
        if let Some(ids) = &f.delegation_ids {
            q = q.filter(entries::delegation_id.eq_any(ids.clone()));
        }
        if let Some(s) = f.status {
            q = q.filter(entries::status.eq(s));
        }
        q
    };
    let total = build().count().get_result(conn)?;
    let items = build()
        .order((entries::skill_id.asc(), entries::delegation_id.asc(), entries::id.asc()))
        .limit(page.per_page)
        .offset(page.offset())
        .select(EntryRow::as_select())
        .load(conn)?;
    Ok(Page { items, total })
}

pub fn entries_of_skill(conn: &mut DbConn, skill_id: &SkillId) -> QueryResult<Vec<EntryRow>> {
    entries::table
        .filter(entries::skill_id.eq(skill_id))
        .order(entries::id.asc())
        .select(EntryRow::as_select())
        .load(conn)
}

pub fn insert_competitor(conn: &mut DbConn, row: &CompetitorRow) -> QueryResult<()> {
    diesel::insert_into(competitors::table).values(row).execute(conn).map(|_| ())
}

pub fn find_competitor(conn: &mut DbConn, id: &CompetitorId) -> QueryResult<Option<CompetitorRow>> {
    competitors::table.find(id).select(CompetitorRow::as_select()).get_result(conn).optional()
}

pub fn update_competitor(conn: &mut DbConn, row: &CompetitorRow, expected_version: i32) -> QueryResult<bool> {
    let n = diesel::update(
        competitors::table.filter(competitors::id.eq(&row.id)).filter(competitors::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)?;
    Ok(n == 1)
}

pub fn delete_competitor(conn: &mut DbConn, id: &CompetitorId) -> QueryResult<bool> {
    Ok(diesel::delete(competitors::table.find(id)).execute(conn)? == 1)
}

pub fn competitors_of(conn: &mut DbConn, entry_ids: &[EntryId]) -> QueryResult<Vec<CompetitorRow>> {
    competitors::table
        .filter(competitors::entry_id.eq_any(entry_ids))
        .order((competitors::entry_id.asc(), competitors::created_at.asc(), competitors::id.asc()))
        .select(CompetitorRow::as_select())
        .load(conn)
}

pub fn count_competitors(conn: &mut DbConn, entry_id: &EntryId) -> QueryResult<i64> {
    competitors::table.filter(competitors::entry_id.eq(entry_id)).count().get_result(conn)
}

pub fn find_competitor_by_id_number(
    conn: &mut DbConn,
    event_id: &EventId,
    id_number: &str,
) -> QueryResult<Option<CompetitorRow>> {
    competitors::table
        .filter(competitors::event_id.eq(event_id))
        .filter(competitors::id_number.eq(id_number))
        .select(CompetitorRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn insert_expert(conn: &mut DbConn, row: &ExpertRow) -> QueryResult<()> {
    diesel::insert_into(experts::table).values(row).execute(conn).map(|_| ())
}

pub fn find_expert_of_user(conn: &mut DbConn, event_id: &EventId, user_id: &UserId) -> QueryResult<Option<ExpertRow>> {
    experts::table
        .filter(experts::event_id.eq(event_id))
        .filter(experts::user_id.eq(user_id))
        .select(ExpertRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn experts_of(
    conn: &mut DbConn,
    event_id: &EventId,
    skill_ids: Option<&[SkillId]>,
    delegation_ids: Option<&[DelegationId]>,
) -> QueryResult<Vec<ExpertRow>> {
    let mut q = experts::table.filter(experts::event_id.eq(event_id)).into_boxed();
    if let Some(ids) = skill_ids {
        q = q.filter(experts::skill_id.eq_any(ids.to_vec()));
    }
    if let Some(ids) = delegation_ids {
        q = q.filter(experts::delegation_id.eq_any(ids.to_vec()));
    }
    q.order((experts::skill_id.asc(), experts::position.asc(), experts::id.asc()))
        .select(ExpertRow::as_select())
        .load(conn)
}

/// A draw and its assignments (the entries must exist: an assignment refers to its entry).
pub fn insert_draw(conn: &mut DbConn, draw: &StoredDraw) -> QueryResult<()> {
    diesel::insert_into(workstation_draws::table).values(&draw.row).execute(conn)?;
    insert_draw_assignments(conn, &draw.assignments)
}

/// The skill's draws, newest first, each with its assignments in the order drawn.
pub fn draws_of(conn: &mut DbConn, skill_id: &SkillId) -> QueryResult<Vec<StoredDraw>> {
    let rows: Vec<DrawRow> = workstation_draws::table
        .filter(workstation_draws::skill_id.eq(skill_id))
        .order((workstation_draws::drawn_at.desc(), workstation_draws::id.desc()))
        .select(DrawRow::as_select())
        .load(conn)?;
    let ids: Vec<&DrawId> = rows.iter().map(|d| &d.id).collect();
    let assignments: Vec<DrawAssignmentRow> = workstation_draw_assignments::table
        .filter(workstation_draw_assignments::draw_id.eq_any(&ids))
        .order((workstation_draw_assignments::draw_id.asc(), workstation_draw_assignments::position.asc()))
        .select(DrawAssignmentRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| StoredDraw {
            assignments: assignments.iter().filter(|a| a.draw_id == row.id).cloned().collect(),
            row,
        })
        .collect())
}

/// Sets each entry's workstation (`None` clears it).
pub fn set_workstation(conn: &mut DbConn, entry_id: &EntryId, workstation: Option<i32>) -> QueryResult<()> {
    diesel::update(entries::table.find(entry_id)).set(entries::workstation.eq(workstation)).execute(conn).map(|_| ())
}

insert_many!(insert_entries, entries::table, EntryRow);
insert_many!(insert_draw_assignments, workstation_draw_assignments::table, DrawAssignmentRow);
insert_many!(insert_competitors, competitors::table, CompetitorRow);
insert_many!(insert_delegation_rows, crate::db::schema::delegations::table, crate::db::models::DelegationRow);

/// The event's experts with their account's email and name.
pub fn experts_with_accounts(conn: &mut DbConn, event_id: &EventId) -> QueryResult<Vec<(ExpertRow, String, String)>> {
    use crate::db::schema::users;
    experts::table
        .inner_join(users::table)
        .filter(experts::event_id.eq(event_id))
        .order((experts::skill_id.asc(), experts::position.asc(), users::email.asc()))
        .select((ExpertRow::as_select(), users::email, users::display_name))
        .load(conn)
}

/// A competitor's photo: (content type, bytes).
pub fn photo(conn: &mut DbConn, competitor_id: &CompetitorId) -> QueryResult<Option<(String, Vec<u8>)>> {
    use crate::db::schema::competitor_photos;
    competitor_photos::table
        .find(competitor_id)
        .select((competitor_photos::content_type, competitor_photos::data))
        .get_result(conn)
        .optional()
}

/// Which of these competitors have a photo.
pub fn with_photos(conn: &mut DbConn, competitor_ids: &[CompetitorId]) -> QueryResult<Vec<CompetitorId>> {
    use crate::db::schema::competitor_photos;
    competitor_photos::table
        .filter(competitor_photos::competitor_id.eq_any(competitor_ids))
        .select(competitor_photos::competitor_id)
        .load(conn)
}

pub fn set_photo(conn: &mut DbConn, competitor_id: &CompetitorId, content_type: &str, data: &[u8]) -> QueryResult<()> {
    use crate::db::schema::competitor_photos;
    diesel::delete(competitor_photos::table.find(competitor_id)).execute(conn)?;
    diesel::insert_into(competitor_photos::table)
        .values((
            competitor_photos::competitor_id.eq(competitor_id),
            competitor_photos::content_type.eq(content_type),
            competitor_photos::data.eq(data),
            competitor_photos::updated_at.eq(crate::db::models::now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The event's entries in one status (e.g. every confirmed entry, for the dashboard).
pub fn entries_of_event_in(conn: &mut DbConn, event_id: &EventId, status: EntryStatus) -> QueryResult<Vec<EntryRow>> {
    entries::table
        .filter(entries::event_id.eq(event_id))
        .filter(entries::status.eq(status))
        .select(EntryRow::as_select())
        .load(conn)
}
