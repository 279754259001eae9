//! What changes of results share: the digest of a ratified document, the write of the skill's
//! next results version (and the conflict when the row changed meanwhile), its audit record.

use chrono::NaiveDateTime;

use crate::db::models::SkillResultRow;
use crate::db::DbConn;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::ids::{EventId, SkillId};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::repo;
use crate::repo::audit::{AuditContext, Change};

pub(super) fn digest(json: &str) -> String {
    crate::auth::tokens::sha256_hex(json.as_bytes())
}

fn changed_meanwhile() -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::VersionConflict,
        detail: "the skill's results were changed at the same moment; retry".into(),
        current: None,
    }
}

/// Writes `row` back as its next version, stamped `at`: `changed_meanwhile` when another write
/// came first.
pub(super) fn save_next(conn: &mut DbConn, row: &mut SkillResultRow, at: NaiveDateTime) -> ApiResult<()> {
    let version = row.version;
    row.version += 1;
    row.updated_at = at;
    if !repo::results::update_skill_result(conn, row, version)? {
        return Err(changed_meanwhile());
    }
    Ok(())
}

/// Records `action` on a skill's results in its event's audit chain: the state after, and the
/// state before if given.
pub(super) fn audit_skill(
    conn: &mut DbConn,
    ctx: &AuditContext,
    action: AuditAction,
    skill_id: &SkillId,
    event_id: &EventId,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
) -> ApiResult<()> {
    repo::audit::record(
        conn,
        ctx,
        Change::in_event(action, (AuditTarget::Skill, skill_id), event_id, after).before(before),
    )?;
    Ok(())
}
