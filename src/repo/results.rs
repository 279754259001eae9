//! Result rules, skills' ratified and published results, disputes and the mail outbox.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::models::{DisputeRow, OutboxRow, ResultRulesRow, SkillResultRow};
use crate::db::schema::{disputes, mail_outbox, result_rules, skill_results};
use crate::db::DbConn;
use crate::domain::ids::{DisputeId, EventId, MailId, SkillId};
use crate::domain::mail::MailStatus;
use crate::domain::publication::{Audience, DisputeStatus};

pub fn rules(conn: &mut DbConn, event_id: &EventId) -> QueryResult<Option<ResultRulesRow>> {
    result_rules::table.find(event_id).select(ResultRulesRow::as_select()).get_result(conn).optional()
}

/// Inserts the rules (at version 1) or replaces them if still at `expected_version`.
pub fn save_rules(conn: &mut DbConn, row: &ResultRulesRow, expected_version: i32) -> QueryResult<bool> {
    if expected_version == 0 {
        return diesel::insert_into(result_rules::table).values(row).execute(conn).map(|n| n == 1);
    }
    let n = diesel::update(
        result_rules::table
            .filter(result_rules::event_id.eq(&row.event_id))
            .filter(result_rules::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)?;
    Ok(n == 1)
}

pub fn skill_result(conn: &mut DbConn, skill_id: &SkillId) -> QueryResult<Option<SkillResultRow>> {
    skill_results::table.find(skill_id).select(SkillResultRow::as_select()).get_result(conn).optional()
}

pub fn skill_results_of(conn: &mut DbConn, event_id: &EventId) -> QueryResult<Vec<SkillResultRow>> {
    skill_results::table.filter(skill_results::event_id.eq(event_id)).select(SkillResultRow::as_select()).load(conn)
}

/// Every skill's results row, of every event (for `skillmark verify`).
pub fn all_skill_results(conn: &mut DbConn) -> QueryResult<Vec<SkillResultRow>> {
    skill_results::table.select(SkillResultRow::as_select()).load(conn)
}

pub fn insert_skill_result(conn: &mut DbConn, row: &SkillResultRow) -> QueryResult<()> {
    diesel::insert_into(skill_results::table).values(row).execute(conn).map(|_| ())
}

/// Replaces a skill's results row if still at `expected_version`; returns whether it was.
pub fn update_skill_result(conn: &mut DbConn, row: &SkillResultRow, expected_version: i32) -> QueryResult<bool> {
    let n = diesel::update(
        skill_results::table
            .filter(skill_results::skill_id.eq(&row.skill_id))
            .filter(skill_results::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)?;
    Ok(n == 1)
}

/// Skills whose scheduled release is due.
pub fn due_releases(conn: &mut DbConn, at: NaiveDateTime) -> QueryResult<Vec<SkillResultRow>> {
    skill_results::table.filter(skill_results::scheduled_at.le(at)).select(SkillResultRow::as_select()).load(conn)
}

/// A mark that grows with every change to any skill's results row (the sum of the rows'
/// versions: every write raises its row's version, and rows are never deleted), for telling
/// whether a public document prepared earlier may be stale. One aggregate over a small table
/// (about 60 rows per event).
pub fn change_mark(conn: &mut DbConn) -> QueryResult<i64> {
    use diesel::dsl::sum;
    skill_results::table
        .select(sum(skill_results::version))
        .get_result::<Option<i64>>(conn)
        .map(Option::unwrap_or_default)
}

/// Event ids with anything released to the public.
pub fn public_event_ids(conn: &mut DbConn) -> QueryResult<Vec<EventId>> {
    skill_results::table
        .filter(skill_results::audience.eq(Audience::Public))
        .select(skill_results::event_id)
        .distinct()
        .load(conn)
}

pub fn insert_dispute(conn: &mut DbConn, row: &DisputeRow) -> QueryResult<()> {
    diesel::insert_into(disputes::table).values(row).execute(conn).map(|_| ())
}

pub fn find_dispute(conn: &mut DbConn, id: &DisputeId) -> QueryResult<Option<DisputeRow>> {
    disputes::table.find(id).select(DisputeRow::as_select()).get_result(conn).optional()
}

pub fn update_dispute(conn: &mut DbConn, row: &DisputeRow) -> QueryResult<()> {
    diesel::update(disputes::table.find(&row.id)).set(row).execute(conn).map(|_| ())
}

pub fn disputes_of_event(conn: &mut DbConn, event_id: &EventId) -> QueryResult<Vec<DisputeRow>> {
    disputes::table
        .filter(disputes::event_id.eq(event_id))
        .order(disputes::filed_at.asc())
        .select(DisputeRow::as_select())
        .load(conn)
}

pub fn open_disputes_of_skill(conn: &mut DbConn, skill_id: &SkillId) -> QueryResult<i64> {
    disputes::table
        .filter(disputes::skill_id.eq(skill_id))
        .filter(disputes::status.eq(DisputeStatus::Open))
        .count()
        .get_result(conn)
}

pub fn enqueue_mail(conn: &mut DbConn, rows: &[OutboxRow]) -> QueryResult<()> {
    for row in rows {
        diesel::insert_into(mail_outbox::table).values(row).execute(conn)?;
    }
    Ok(())
}

/// Up to `limit` mails due for a (re)try, oldest first.
pub fn due_mail(conn: &mut DbConn, at: NaiveDateTime, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    mail_outbox::table
        .filter(mail_outbox::status.eq(MailStatus::Pending))
        .filter(mail_outbox::next_attempt_at.le(at))
        .order(mail_outbox::next_attempt_at.asc())
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)
}

/// Claims a due mail for sending by moving its next attempt to `until` (another instance then
/// skips it); returns whether this caller got it.
pub fn claim_mail(conn: &mut DbConn, id: &MailId, due: NaiveDateTime, until: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        mail_outbox::table
            .filter(mail_outbox::id.eq(id))
            .filter(mail_outbox::status.eq(MailStatus::Pending))
            .filter(mail_outbox::next_attempt_at.eq(due)),
    )
    .set(mail_outbox::next_attempt_at.eq(until))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn update_mail(conn: &mut DbConn, row: &OutboxRow) -> QueryResult<()> {
    diesel::update(mail_outbox::table.find(&row.id)).set(row).execute(conn).map(|_| ())
}

pub fn mail_of_event(conn: &mut DbConn, event_id: &EventId) -> QueryResult<Vec<OutboxRow>> {
    mail_outbox::table
        .filter(mail_outbox::event_id.eq(event_id))
        .order(mail_outbox::created_at.asc())
        .select(OutboxRow::as_select())
        .load(conn)
}

/// Open disputes per skill of the event: (skill id, count), skills without any left out.
pub fn open_disputes_by_skill(conn: &mut DbConn, event_id: &EventId) -> QueryResult<Vec<(SkillId, i64)>> {
    disputes::table
        .filter(disputes::event_id.eq(event_id))
        .filter(disputes::status.eq(DisputeStatus::Open))
        .group_by(disputes::skill_id)
        .select((disputes::skill_id, diesel::dsl::count_star()))
        .load(conn)
}
