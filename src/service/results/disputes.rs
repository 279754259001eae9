//! Disputes: a team leader disputes a published result within the notice period; the organiser
//! resolves it (upheld reopens the skill).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::record::save_next;
use crate::db::models::{new_id, now, DelegationRow, DisputeRow};
use crate::db::{write_tx, DbConn};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::ids::{AspectKey, DelegationId, DisputeId, EntryId, EventId, SkillId, UserId};
use crate::domain::lifecycle::Operation;
use crate::domain::publication::{may_dispute_until, Audience, DisputeRefusal, DisputeStatus, ResultState};
use crate::domain::role::Grants;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::live::ResultsChanged;
use crate::repo;
use crate::repo::audit::AuditContext;
use crate::repo::audit::Change;
use crate::service::access::{self as gate, access, entry_view, Access, Rights};
use crate::service::schemes;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DisputeView {
    pub id: DisputeId,
    pub skill_id: SkillId,
    pub entry_id: EntryId,
    /// The disputing delegation (its id and short code).
    pub delegation_id: DelegationId,
    pub delegation_code: String,
    /// The aspect disputed (`A1.2`), if the dispute points at one.
    pub aspect: Option<AspectKey>,
    pub reason: String,
    pub status: DisputeStatus,
    pub filed_at: DateTime<Utc>,
    pub resolution: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
}

impl DisputeView {
    fn of(d: DisputeRow, delegation: &DelegationRow) -> Self {
        Self {
            id: d.id,
            skill_id: d.skill_id,
            entry_id: d.entry_id,
            delegation_id: delegation.id.clone(),
            delegation_code: delegation.code.clone(),
            aspect: d.aspect_key,
            reason: d.reason,
            status: d.status,
            filed_at: d.filed_at.and_utc(),
            resolution: d.resolution,
            resolved_at: d.resolved_at.map(|t| t.and_utc()),
        }
    }
}

/// A team leader disputes a published result of their delegation's entry within the notice period.
pub fn file_dispute(
    conn: &mut DbConn,
    user_id: &UserId,
    roles: &Grants,
    entry_id: &EntryId,
    aspect: Option<&str>,
    reason: &str,
    ctx: &AuditContext,
) -> ApiResult<DisputeView> {
    write_tx(conn, |conn| {
        let view = entry_view(conn, roles, entry_id)?;
        if !view.rights.leads(&view.entry.delegation_id) {
            return Err(ApiError::Forbidden {
                code: ErrorCode::Forbidden,
                detail: "the entry's team leader files disputes about its result".into(),
            });
        }
        let row = repo::results::skill_result(conn, &view.entry.skill_id)?;
        let phase = gate::phase_with(conn, &view.skill, row.as_ref())?;
        gate::permit_in(Operation::FileDispute, &view.skill, phase)?;
        let row = row.filter(|r| r.published_snapshot.is_some());
        let (rules, _) = gate::result_rules(conn, &view.event.id)?;
        let refusal = match &row {
            None => Some(DisputeRefusal::NotPublished),
            Some(r) => {
                // A squad or team list under notice (公示) keeps the stage result open to disputes.
                let ends = match r.public_at {
                    Some(at) => Some(gate::notice_end(conn, &view.skill.id, at, rules.notice_days)?),
                    None => None,
                };
                may_dispute_until(gate::audience_of(Some(r)), ends, now()).err()
            }
        };
        match refusal {
            Some(DisputeRefusal::NotPublished) => {
                return Err(ApiError::Conflict {
                    code: ErrorCode::ResultsNotPublished,
                    detail: "results are not yet published".into(),
                    current: None,
                })
            }
            Some(DisputeRefusal::NoticeOver) => {
                return Err(ApiError::Conflict {
                    code: ErrorCode::NoticePeriodOver,
                    detail: format!("the {}-day notice period is over; the result is final", rules.notice_days),
                    current: None,
                })
            }
            None => {}
        }
        let aspect_key = match aspect {
            Some(key) => {
                let scheme = schemes::view(conn, roles, &view.entry.skill_id)?.scheme;
                let not_an_aspect =
                    || ApiError::validation("aspect", format!("{key} is not an aspect of the skill's scheme"));
                scheme.aspect(key).ok_or_else(not_an_aspect)?;
                Some(key.parse::<AspectKey>().map_err(|_| not_an_aspect())?)
            }
            None => None,
        };
        let dispute = DisputeRow {
            id: new_id(),
            event_id: view.event.id.clone(),
            skill_id: view.entry.skill_id.clone(),
            entry_id: entry_id.clone(),
            aspect_key,
            reason: reason.into(),
            status: DisputeStatus::Open,
            filed_by: user_id.clone(),
            filed_at: now(),
            resolution: None,
            resolved_by: None,
            resolved_at: None,
        };
        repo::results::insert_dispute(conn, &dispute)?;
        repo::audit::record(
            conn,
            ctx,
            Change::in_event(
                AuditAction::DisputeFiled,
                (AuditTarget::Entry, entry_id),
                &view.event.id,
                json!({"dispute": dispute.id, "aspect": aspect, "reason": reason}),
            ),
        )?;
        Ok(dispute_views(conn, vec![dispute])?.remove(0))
    })
}

/// Disputes the caller may see: organisers all, team leaders their delegation's, chief experts
/// their skills'.
pub fn disputes(conn: &mut DbConn, roles: &Grants, event_id: &EventId) -> ApiResult<Vec<DisputeView>> {
    if access(conn, roles, event_id)? == Access::None {
        return Err(ApiError::NotFound { what: "event" });
    }
    let rights = Rights::of(conn, roles, event_id)?;
    let rows = repo::results::disputes_of_event(conn, event_id)?;
    let views = dispute_views(conn, rows)?;
    Ok(views.into_iter().filter(|d| rights.reviews(&d.skill_id) || rights.leads(&d.delegation_id)).collect())
}

/// Disputes with the delegation that filed each.
pub(super) fn dispute_views(conn: &mut DbConn, rows: Vec<DisputeRow>) -> ApiResult<Vec<DisputeView>> {
    let mut delegations: HashMap<DelegationId, DelegationRow> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for d in rows {
        let entry = repo::registration::find_entry(conn, &d.entry_id)?.ok_or(ApiError::NotFound { what: "entry" })?;
        if !delegations.contains_key(&entry.delegation_id) {
            let row = repo::events::find_delegation(conn, &entry.delegation_id)?
                .ok_or(ApiError::NotFound { what: "delegation" })?;
            delegations.insert(row.id.clone(), row);
        }
        out.push(DisputeView::of(d, &delegations[&entry.delegation_id]));
    }
    Ok(out)
}

/// The organiser resolves a dispute: upheld reopens the skill for re-marking (its audiences keep
/// seeing the earlier publication, marked under review, until it is re-ratified and released).
pub fn resolve_dispute(
    conn: &mut DbConn,
    user_id: &UserId,
    roles: &Grants,
    dispute_id: &DisputeId,
    upheld: bool,
    note: &str,
    ctx: &AuditContext,
) -> ApiResult<(DisputeView, Option<ResultsChanged>)> {
    write_tx(conn, |conn| {
        let mut d = repo::results::find_dispute(conn, dispute_id)?.ok_or(ApiError::NotFound { what: "dispute" })?;
        gate::event_for(conn, roles, &d.event_id, Access::Manage)
            .map_err(|_| ApiError::NotFound { what: "dispute" })?;
        if d.status != DisputeStatus::Open {
            return Err(ApiError::Conflict {
                code: ErrorCode::AlreadyResolved,
                detail: format!("the dispute was {} already", d.status),
                current: None,
            });
        }
        d.status = if upheld { DisputeStatus::Upheld } else { DisputeStatus::Rejected };
        d.resolution = Some(note.into());
        d.resolved_by = Some(user_id.clone());
        d.resolved_at = Some(now());
        repo::results::update_dispute(conn, &d)?;
        let mut change = None;
        if upheld {
            if let Some(mut row) = repo::results::skill_result(conn, &d.skill_id)? {
                if gate::stored_state(Some(&row)) != ResultState::Draft {
                    row.state = ResultState::Draft;
                    save_next(conn, &mut row, now())?;
                    change = Some(ResultsChanged {
                        event_id: d.event_id.clone(),
                        skill_id: d.skill_id.to_string(),
                        kind: "reopened".into(),
                        public: gate::audience_of(Some(&row)) == Audience::Public,
                    });
                }
            }
        }
        repo::audit::record(
            conn,
            ctx,
            Change::in_event(
                AuditAction::DisputeResolved,
                (AuditTarget::Entry, &d.entry_id),
                &d.event_id,
                json!({"dispute": d.id, "status": d.status, "note": note}),
            ),
        )?;
        Ok((dispute_views(conn, vec![d])?.remove(0), change))
    })
}
