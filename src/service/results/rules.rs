//! The event's result rules: reading them, and changing them before any skill is past marking.

use std::collections::HashMap;

use serde_json::json;

use crate::db::models::{now, ResultRulesRow, SkillResultRow};
use crate::db::{write_tx, DbConn};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::ids::{EventId, SkillId};
use crate::domain::lifecycle::Operation;
use crate::domain::publication::ResultRules;
use crate::domain::role::Grants;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::repo;
use crate::repo::audit::AuditContext;
use crate::repo::audit::Change;
use crate::service::access::{self as gate, access, Access};

pub fn rules(conn: &mut DbConn, roles: &Grants, event_id: &EventId) -> ApiResult<(ResultRules, i32)> {
    if access(conn, roles, event_id)? == Access::None {
        return Err(ApiError::NotFound { what: "event" });
    }
    gate::result_rules(conn, event_id)
}

pub fn save_rules(
    conn: &mut DbConn,
    roles: &Grants,
    event_id: &EventId,
    rules: ResultRules,
    version: i32,
    ctx: &AuditContext,
) -> ApiResult<i32> {
    let problems = rules.problems();
    if !problems.is_empty() {
        return Err(ApiError::Validation(
            problems.into_iter().map(|(f, m)| crate::error::FieldError::new(f, m)).collect(),
        ));
    }
    write_tx(conn, |conn| {
        gate::event_for(conn, roles, event_id, Access::Manage)?;
        // The rules hold for every skill of the event: any skill past marking holds them fixed.
        let rows: HashMap<SkillId, SkillResultRow> =
            repo::results::skill_results_of(conn, event_id)?.into_iter().map(|r| (r.skill_id.clone(), r)).collect();
        for skill in repo::events::skills_of(conn, event_id)?.iter().filter(|s| rows.contains_key(&s.id)) {
            gate::permit_in(Operation::ChangeResultRules, skill, gate::stored_phase(rows.get(&skill.id)))?;
        }
        let (before, current) = gate::result_rules(conn, event_id)?;
        if current != version {
            return Err(ApiError::Conflict {
                code: ErrorCode::VersionConflict,
                detail: "the rules were changed by someone else; reload and retry".into(),
                current: Some(json!({"version": current, "rules": before})),
            });
        }
        let row = ResultRulesRow {
            event_id: event_id.clone(),
            document: serde_json::to_string(&rules).map_err(ApiError::internal)?,
            version: version + 1,
            updated_at: now(),
        };
        if !repo::results::save_rules(conn, &row, version)? {
            return Err(ApiError::Conflict {
                code: ErrorCode::VersionConflict,
                detail: "the rules were changed by someone else; reload and retry".into(),
                current: None,
            });
        }
        repo::audit::record(
            conn,
            ctx,
            Change::in_event(AuditAction::ResultsRulesChanged, (AuditTarget::Event, event_id), event_id, json!(rules))
                .before(Some(json!(before))),
        )?;
        Ok(row.version)
    })
}
