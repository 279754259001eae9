//! Where a skill's results stand: state, audience, schedule, ceremony step and open disputes.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::models::{now, SkillResultRow, SkillRow};
use crate::db::DbConn;
use crate::domain::ids::{EventId, SkillId};
use crate::domain::publication::{current_state, notice_ends, under_review, Audience, ResultRules, ResultState};
use crate::domain::role::Grants;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::repo;
use crate::service::access::{self as gate, access, Access, Rights};

/// Where a skill's results stand (organisers and the skill's chief experts).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkillStatus {
    pub skill_id: SkillId,
    pub skill_number: String,
    pub skill_name_zh: String,
    pub skill_name_en: String,
    pub state: ResultState,
    pub audience: Audience,
    pub ratified_at: Option<DateTime<Utc>>,
    pub public_at: Option<DateTime<Utc>>,
    /// End of the public-notice period (成绩公示).
    pub notice_ends: Option<DateTime<Utc>>,
    pub scheduled_audience: Option<Audience>,
    pub scheduled_at: Option<DateTime<Utc>>,
    /// Medals revealed at the ceremony so far (0 none, 1 bronze, 2 silver, 3 gold).
    pub ceremony_step: i32,
    pub open_disputes: i64,
    /// Audiences see an earlier publication that an upheld dispute reopened: true from the
    /// reopening through re-marking and re-ratification until the organiser releases again.
    pub under_review: bool,
}

pub(super) fn status_of(conn: &mut DbConn, skill: &SkillRow, row: Option<&SkillResultRow>) -> ApiResult<SkillStatus> {
    let (rules, _) = gate::result_rules(conn, &skill.event_id)?;
    status_under(conn, &rules, skill, row)
}

fn status_under(
    conn: &mut DbConn,
    rules: &ResultRules,
    skill: &SkillRow,
    row: Option<&SkillResultRow>,
) -> ApiResult<SkillStatus> {
    let open = repo::results::open_disputes_of_skill(conn, &skill.id)?;
    Ok(status_with(rules, skill, row, open))
}

/// A skill's results status from its row and its count of open disputes (read by the caller).
pub(crate) fn status_with(
    rules: &ResultRules,
    skill: &SkillRow,
    row: Option<&SkillResultRow>,
    open: i64,
) -> SkillStatus {
    let stored = gate::stored_state(row);
    let public_at = row.and_then(|r| r.public_at);
    SkillStatus {
        skill_id: skill.id.clone(),
        skill_number: skill.number.clone(),
        skill_name_zh: skill.name_zh.clone(),
        skill_name_en: skill.name_en.clone(),
        state: current_state(stored, public_at, rules.notice_days, open as usize, now()),
        audience: gate::audience_of(row),
        ratified_at: row.and_then(|r| r.ratified_at).map(|t| t.and_utc()),
        public_at: public_at.map(|t| t.and_utc()),
        notice_ends: public_at.map(|at| notice_ends(at, rules.notice_days).and_utc()),
        scheduled_audience: row.and_then(|r| r.scheduled_audience),
        scheduled_at: row.and_then(|r| r.scheduled_at).map(|t| t.and_utc()),
        ceremony_step: row.map(|r| r.ceremony_step).unwrap_or(0),
        open_disputes: open,
        under_review: under_review(stored, row.is_some_and(|r| r.published_snapshot.is_some())),
    }
}

/// Where every skill's results stand: organisers see all skills, chief experts their own.
pub fn statuses(conn: &mut DbConn, roles: &Grants, event_id: &EventId) -> ApiResult<Vec<SkillStatus>> {
    if access(conn, roles, event_id)? == Access::None {
        return Err(ApiError::NotFound { what: "event" });
    }
    let rights = Rights::of(conn, roles, event_id)?;
    if !rights.manage && rights.chief_of.is_empty() {
        return Err(ApiError::Forbidden {
            code: ErrorCode::Forbidden,
            detail: "the publication status is for organisers and chief experts".into(),
        });
    }
    let (rules, _) = gate::result_rules(conn, event_id)?;
    let rows: HashMap<SkillId, SkillResultRow> =
        repo::results::skill_results_of(conn, event_id)?.into_iter().map(|r| (r.skill_id.clone(), r)).collect();
    repo::events::skills_of(conn, event_id)?
        .into_iter()
        .filter(|s| rights.reviews(&s.id))
        .map(|s| status_under(conn, &rules, &s, rows.get(&s.id)))
        .collect()
}
