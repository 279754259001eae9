//! Release of ratified results to widening audiences, now or at a set time; the closing ceremony.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde_json::json;

use super::mail::enqueue_result_mails;
use super::record::{audit_skill, save_next};
use super::snapshot::snapshot;
use super::status::{status_of, SkillStatus};
use crate::db::models::{now, SkillResultRow, SkillRow};
use crate::db::{write_tx, DbConn};
use crate::domain::audit::AuditAction;
use crate::domain::ids::{EventId, SkillId};
use crate::domain::lifecycle::{self, Operation};
use crate::domain::publication::{Audience, ResultState};
use crate::domain::role::Grants;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::live::ResultsChanged;
use crate::repo;
use crate::repo::audit::AuditContext;
use crate::service::access::{self as gate, Access};

/// What publishing produced beyond the stored rows: notices for live listeners.
#[derive(Debug, Default)]
pub struct Released {
    pub statuses: Vec<SkillStatus>,
    pub changes: Vec<ResultsChanged>,
}

/// Releases the ratified results of `skill_ids` (all ratified skills when `None`) to `audience`,
/// now or at `at`.
#[allow(clippy::too_many_arguments)]
pub fn publish(
    conn: &mut DbConn,
    roles: &Grants,
    event_id: &EventId,
    skill_ids: Option<&[SkillId]>,
    audience: Audience,
    at: Option<NaiveDateTime>,
    public_url: &str,
    ctx: &AuditContext,
) -> ApiResult<Released> {
    if audience == Audience::None {
        return Err(ApiError::validation("audience", "choose experts, delegations or public"));
    }
    // A time a few minutes back is a clock or a slow hand: released now. Further back is a mistake.
    if at.is_some_and(|t| t < now() - chrono::TimeDelta::minutes(5)) {
        return Err(ApiError::validation("at", "is in the past: leave it out to release now"));
    }
    // Results are released at the closing ceremony, days or weeks ahead; a year on is a typo.
    if at.is_some_and(|t| t > now() + chrono::TimeDelta::days(366)) {
        return Err(ApiError::validation("at", "is more than a year ahead"));
    }
    write_tx(conn, |conn| {
        gate::event_for(conn, roles, event_id, Access::Manage)?;
        let skills: HashMap<SkillId, SkillRow> =
            repo::events::skills_of(conn, event_id)?.into_iter().map(|s| (s.id.clone(), s)).collect();
        let rows: HashMap<SkillId, SkillResultRow> =
            repo::results::skill_results_of(conn, event_id)?.into_iter().map(|r| (r.skill_id.clone(), r)).collect();
        let ready = |r: &SkillResultRow| lifecycle::permit(Operation::Release, gate::stored_phase(Some(r))).is_ok();
        let targets: Vec<SkillId> = match skill_ids {
            Some(ids) => {
                let mut problems = Vec::new();
                for (i, id) in ids.iter().enumerate() {
                    if !skills.contains_key(id) {
                        problems.push(crate::error::FieldError::new(
                            format!("skills[{i}]"),
                            "is not a skill of this event",
                        ));
                    }
                }
                if !problems.is_empty() {
                    return Err(ApiError::Validation(problems));
                }
                let not_ready: Vec<&str> = ids
                    .iter()
                    .filter(|id| !rows.get(*id).is_some_and(ready))
                    .map(|id| skills[id].number.as_str())
                    .collect();
                if !not_ready.is_empty() {
                    return Err(ApiError::Conflict {
                        code: ErrorCode::NotRatified,
                        detail: format!("not ratified yet: skill {}", not_ready.join(", ")),
                        current: Some(json!({"skills": not_ready})),
                    });
                }
                ids.to_vec()
            }
            None => {
                // Every ratified skill not yet released wider than asked ("all to experts" leaves
                // the skills already public as they are).
                let mut ids: Vec<SkillId> = rows
                    .values()
                    .filter(|r| ready(r) && gate::audience_of(Some(r)) <= audience)
                    .map(|r| r.skill_id.clone())
                    .collect();
                ids.sort_by(|a, b| skills[a].number.cmp(&skills[b].number));
                if ids.is_empty() {
                    let detail = if rows.values().any(ready) {
                        format!("every ratified skill is released to {} or wider already", audience.as_str())
                    } else {
                        "no skill of the event has ratified results yet".to_string()
                    };
                    return Err(ApiError::Conflict { code: ErrorCode::NotRatified, detail, current: None });
                }
                ids
            }
        };
        let mut out = Released::default();
        let when = now();
        for id in targets {
            let skill = &skills[&id];
            let mut row = rows[&id].clone();
            if audience < gate::audience_of(Some(&row)) {
                return Err(ApiError::Conflict {
                    code: ErrorCode::AudienceNarrowing,
                    detail: format!(
                        "skill {} is released to {} already; a release cannot be narrowed",
                        skill.number, row.audience
                    ),
                    current: None,
                });
            }
            if audience > Audience::Experts && gate::hides_identities(conn, skill)? {
                return Err(ApiError::Conflict {
                    code: ErrorCode::NotRevealed,
                    detail: format!("skill {} is marked anonymously: reveal its entries before release", skill.number),
                    current: None,
                });
            }
            match at.filter(|t| *t > when) {
                Some(t) => {
                    row.scheduled_audience = Some(audience);
                    row.scheduled_at = Some(t);
                    save_next(conn, &mut row, when)?;
                    let after = json!({"audience": audience, "at": t});
                    audit_skill(conn, ctx, AuditAction::ResultsReleaseScheduled, &id, event_id, None, after)?;
                }
                None => {
                    if let Some(change) = release(conn, skill, &mut row, audience, when, public_url)? {
                        out.changes.push(change);
                    }
                    let after = json!({"audience": audience});
                    audit_skill(conn, ctx, AuditAction::ResultsReleased, &id, event_id, None, after)?;
                }
            }
            out.statuses.push(status_of(conn, skill, Some(&row))?);
        }
        Ok(out)
    })
}

/// Calls off the skill's scheduled release (organisers), e.g. when the ceremony moves; what is
/// released already stays released.
pub fn unschedule(conn: &mut DbConn, roles: &Grants, skill_id: &SkillId, ctx: &AuditContext) -> ApiResult<SkillStatus> {
    write_tx(conn, |conn| {
        let skill = gate::managed_skill(conn, roles, skill_id)?;
        let Some(mut row) = repo::results::skill_result(conn, skill_id)?.filter(|r| r.scheduled_at.is_some()) else {
            return Err(ApiError::Conflict {
                code: ErrorCode::NothingScheduled,
                detail: format!("no release of skill {} is scheduled", skill.number),
                current: None,
            });
        };
        let before = json!({"audience": row.scheduled_audience, "at": row.scheduled_at.map(|t| t.and_utc())});
        row.scheduled_audience = None;
        row.scheduled_at = None;
        save_next(conn, &mut row, now())?;
        let action = AuditAction::ResultsReleaseUnscheduled;
        audit_skill(conn, ctx, action, skill_id, &skill.event_id, Some(before), json!({}))?;
        status_of(conn, &skill, Some(&row))
    })
}

/// Releases a ratified row to `audience` now: the audiences see the ratified snapshot; team
/// leaders and competitors are mailed when they first see it (or see it changed).
fn release(
    conn: &mut DbConn,
    skill: &SkillRow,
    row: &mut SkillResultRow,
    audience: Audience,
    at: NaiveDateTime,
    public_url: &str,
) -> ApiResult<Option<ResultsChanged>> {
    let before = gate::audience_of(Some(row));
    let audience = audience.max(before);
    let changed = row.published_snapshot.is_some() && row.published_snapshot != row.ratified_snapshot;
    let first_to_delegations = before < Audience::Delegations && audience >= Audience::Delegations;
    row.published_snapshot = row.ratified_snapshot.clone();
    row.state = ResultState::Published;
    row.audience = audience;
    if audience == Audience::Public && row.public_at.is_none() {
        row.public_at = Some(at);
    }
    if row.scheduled_audience.is_some_and(|s| s <= audience) {
        row.scheduled_audience = None;
        row.scheduled_at = None;
    }
    save_next(conn, row, at)?;
    if audience >= Audience::Delegations && (first_to_delegations || changed) {
        if let Some(snap) = snapshot(row.published_snapshot.as_deref())? {
            enqueue_result_mails(conn, skill, &snap, public_url)?;
        }
    }
    if before == audience && !changed {
        return Ok(None);
    }
    Ok(Some(ResultsChanged {
        event_id: skill.event_id.clone(),
        skill_id: skill.id.to_string(),
        kind: if changed { "changed" } else { "published" }.into(),
        public: audience == Audience::Public,
    }))
}

/// Applies scheduled releases that are due (the background worker calls this).
pub fn apply_due(conn: &mut DbConn, public_url: &str) -> ApiResult<Vec<ResultsChanged>> {
    let at = now();
    let due = repo::results::due_releases(conn, at)?;
    let mut changes = Vec::new();
    for mut row in due {
        let result = write_tx(conn, |conn| {
            let Some(skill) = repo::events::find_skill(conn, &row.skill_id)? else { return Ok(None) };
            let audience = row.scheduled_audience.unwrap_or(Audience::Public);
            if gate::stored_state(Some(&row)) == ResultState::Draft {
                // Reopened by a dispute since it was scheduled: the release waits for re-ratification.
                return Ok(None);
            }
            let change = release(conn, &skill, &mut row, audience, at, public_url)?;
            let (action, after) = (AuditAction::ResultsReleased, json!({"audience": audience, "scheduled": true}));
            audit_skill(conn, &AuditContext::default(), action, &skill.id, &skill.event_id, None, after)?;
            Ok(change)
        });
        match result {
            Ok(Some(change)) => changes.push(change),
            Ok(None) => {}
            // Another instance released it first.
            Err(ApiError::Conflict { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(changes)
}

/// Reveals the next medal of a skill at the closing ceremony (bronze, silver, gold).
pub fn ceremony(
    conn: &mut DbConn,
    roles: &Grants,
    skill_id: &SkillId,
    step: i32,
    ctx: &AuditContext,
) -> ApiResult<(SkillStatus, ResultsChanged)> {
    write_tx(conn, |conn| {
        // Organisers drive the ceremony.
        let skill = gate::managed_skill(conn, roles, skill_id)?;
        gate::permit(conn, Operation::Ceremony, &skill)?;
        let mut row = repo::results::skill_result(conn, skill_id)?.ok_or(ApiError::NotFound { what: "results" })?;
        if step != row.ceremony_step + 1 || !(1..=3).contains(&step) {
            return Err(ApiError::Conflict {
                code: ErrorCode::CeremonyOutOfOrder,
                detail: format!("the next step is {} (bronze 1, silver 2, gold 3)", row.ceremony_step + 1),
                current: Some(json!({"ceremony_step": row.ceremony_step})),
            });
        }
        if gate::hides_identities(conn, &skill)? {
            return Err(ApiError::Conflict {
                code: ErrorCode::NotRevealed,
                detail: "the skill is marked anonymously: reveal its entries first".into(),
                current: None,
            });
        }
        row.ceremony_step = step;
        save_next(conn, &mut row, now())?;
        let after = json!({"step": step});
        audit_skill(conn, ctx, AuditAction::ResultsCeremony, skill_id, &skill.event_id, None, after)?;
        let change = ResultsChanged {
            event_id: skill.event_id.clone(),
            skill_id: skill.id.to_string(),
            kind: "ceremony".into(),
            public: true,
        };
        Ok((status_of(conn, &skill, Some(&row))?, change))
    })
}
