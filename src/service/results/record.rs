//! What every change of results records: its audit entry (with the digest of a ratified
//! document), and the conflict when the row changed meanwhile.

use crate::db::DbConn;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::repo;
use crate::repo::audit::{AuditContext, Change};

pub(super) fn digest(json: &str) -> String {
    crate::auth::tokens::sha256_hex(json.as_bytes())
}

#[allow(clippy::too_many_arguments)]
pub(super) fn audit(
    conn: &mut DbConn,
    ctx: &AuditContext,
    action: &str,
    target_type: &str,
    target_id: &str,
    event_id: &str,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
) -> ApiResult<()> {
    repo::audit::record(
        conn,
        ctx,
        Change {
            action,
            target_type,
            target_id: Some(target_id),
            event_id: Some(event_id),
            before,
            after: Some(after),
        },
    )?;
    Ok(())
}

pub(super) fn changed_meanwhile() -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::VersionConflict,
        detail: "the skill's results were changed at the same moment; retry".into(),
        current: None,
    }
}
