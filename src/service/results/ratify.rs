//! Ratification: the chief expert's sign-off freezes a skill's results.

use serde_json::json;

use super::record::{audit_skill, digest, save_next};
use super::snapshot::compute;
use super::status::{status_of, SkillStatus};
use crate::db::models::{now, SkillResultRow};
use crate::db::{write_tx, DbConn};
use crate::domain::audit::AuditAction;
use crate::domain::ids::{SkillId, UserId};
use crate::domain::lifecycle::Operation;
use crate::domain::publication::{Audience, ResultState};
use crate::domain::role::Grants;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::repo;
use crate::repo::audit::AuditContext;
use crate::service::access as gate;
use crate::service::schemes;

/// The chief expert signs off a skill whose marks are all locked: the results are frozen.
pub fn ratify(
    conn: &mut DbConn,
    user_id: &UserId,
    roles: &Grants,
    skill_id: &SkillId,
    ctx: &AuditContext,
) -> ApiResult<SkillStatus> {
    write_tx(conn, |conn| {
        let view = schemes::view_for_review(
            conn,
            roles,
            skill_id,
            ErrorCode::Forbidden,
            "only the skill's chief experts and organisers ratify its results",
        )?;
        let skill = view.skill;
        let existing = repo::results::skill_result(conn, skill_id)?;
        let phase = gate::phase_with(conn, &skill, existing.as_ref())?;
        gate::permit_in(Operation::Ratify, &skill, phase)?;
        let snap = compute(conn, &skill)?;
        let incomplete: Vec<String> = snap
            .entries
            .iter()
            .filter(|e| !e.complete)
            .map(|e| e.code.clone().unwrap_or_else(|| e.entry_id.to_string()))
            .collect();
        if snap.entries.is_empty() || !incomplete.is_empty() {
            return Err(ApiError::Conflict {
                code: ErrorCode::NotAllLocked,
                detail: if snap.entries.is_empty() {
                    "the skill has no confirmed entries to ratify".into()
                } else {
                    format!("{} entries still have unlocked sub-criteria", incomplete.len())
                },
                current: Some(json!({"entries": incomplete})),
            });
        }
        let document = serde_json::to_string(&snap).map_err(ApiError::internal)?;
        let at = now();
        let row = match existing {
            Some(mut row) => {
                row.state = ResultState::Ratified;
                row.ratified_snapshot = Some(document.clone());
                row.ratified_at = Some(at);
                row.ratified_by = Some(user_id.clone());
                save_next(conn, &mut row, at)?;
                row
            }
            None => {
                let row = SkillResultRow {
                    skill_id: skill.id.clone(),
                    event_id: skill.event_id.clone(),
                    state: ResultState::Ratified,
                    ratified_snapshot: Some(document.clone()),
                    ratified_at: Some(at),
                    ratified_by: Some(user_id.clone()),
                    published_snapshot: None,
                    audience: Audience::None,
                    public_at: None,
                    scheduled_audience: None,
                    scheduled_at: None,
                    ceremony_step: 0,
                    version: 1,
                    updated_at: at,
                };
                repo::results::insert_skill_result(conn, &row)?;
                row
            }
        };
        let after = json!({"entries": snap.entries.len(), "sha256": digest(&document)});
        audit_skill(conn, ctx, AuditAction::ResultsRatified, &skill.id, &skill.event_id, None, after)?;
        status_of(conn, &skill, Some(&row))
    })
}
