//! What changes of results share: the digest of a ratified document, and the conflict when the
//! row changed meanwhile. (Their audit records are `repo::audit::Change::in_event`.)

use crate::error::{ApiError, ErrorCode};

pub(super) fn digest(json: &str) -> String {
    crate::auth::tokens::sha256_hex(json.as_bytes())
}

pub(super) fn changed_meanwhile() -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::VersionConflict,
        detail: "the skill's results were changed at the same moment; retry".into(),
        current: None,
    }
}
