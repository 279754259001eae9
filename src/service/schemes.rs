//! A skill's marking scheme: drafted by the skill's chief experts (or organisers), frozen by an
//! organiser before marking starts. Drafts may be incomplete; freezing needs a valid scheme.

use serde_json::json;

use crate::db::models::{now, SchemeRow, SkillRow};
use crate::db::{write_tx, DbConn};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::ids::SkillId;
use crate::domain::lifecycle::Operation;
use crate::domain::role::Grants;
use crate::domain::scheme::{Scheme, SchemeProblem, SchemeStatus};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::repo;
use crate::repo::audit::{AuditContext, Change};
use crate::service::access::{access, permit, Access, Rights};

/// A skill's scheme as stored (an empty draft at version 0 when there is none yet).
pub struct SchemeView {
    pub skill: SkillRow,
    pub scheme: Scheme,
    pub status: SchemeStatus,
    pub version: i32,
    pub row: Option<SchemeRow>,
    /// Whether the caller may edit the draft.
    pub can_edit: bool,
}

pub(crate) fn parse(row: &SchemeRow) -> ApiResult<Scheme> {
    serde_json::from_str(&row.document)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("stored scheme unreadable: {e}")))
}

pub fn view(conn: &mut DbConn, roles: &Grants, skill_id: &SkillId) -> ApiResult<SchemeView> {
    let skill = repo::events::find_skill(conn, skill_id)?.ok_or(ApiError::NotFound { what: "skill" })?;
    if access(conn, roles, &skill.event_id)? == Access::None {
        return Err(ApiError::NotFound { what: "skill" });
    }
    let rights = Rights::of(conn, roles, &skill.event_id)?;
    let can_edit = rights.reviews(skill_id);
    let row = repo::schemes::find(conn, skill_id)?;
    let (scheme, status, version) = match &row {
        Some(r) => (parse(r)?, r.status, r.version),
        None => (Scheme::default(), SchemeStatus::Draft, 0),
    };
    Ok(SchemeView { skill, scheme, status, version, row, can_edit })
}

/// The scheme view for an action of the skill's chief experts and organisers (the same people who
/// may edit it); anyone else is refused with `code` and `detail`.
pub fn view_for_review(
    conn: &mut DbConn,
    roles: &Grants,
    skill_id: &SkillId,
    code: ErrorCode,
    detail: &str,
) -> ApiResult<SchemeView> {
    let view = view(conn, roles, skill_id)?;
    if !view.can_edit {
        return Err(ApiError::Forbidden { code, detail: detail.into() });
    }
    Ok(view)
}

/// How the skill scores judgement aspects.
pub fn mode_of(skill: &SkillRow) -> crate::domain::registration::JudgementMode {
    skill.judgement_mode
}

/// Saves a draft (whole document) based on `version` (0 for the first save).
pub fn save(
    conn: &mut DbConn,
    roles: &Grants,
    skill_id: &SkillId,
    version: i32,
    scheme: &Scheme,
    ctx: &AuditContext,
) -> ApiResult<SchemeView> {
    write_tx(conn, |conn| {
        let current = view(conn, roles, skill_id)?;
        if !current.can_edit {
            return Err(ApiError::forbidden());
        }
        permit(conn, Operation::EditScheme, &current.skill)?;
        if current.status == SchemeStatus::Frozen {
            return Err(ApiError::Conflict {
                code: ErrorCode::SchemeFrozen,
                detail: "the marking scheme is frozen and can no longer change".into(),
                current: None,
            });
        }
        if current.version != version {
            return Err(ApiError::Conflict {
                code: ErrorCode::VersionConflict,
                detail: format!("the scheme was changed meanwhile (version {} now, {version} sent)", current.version),
                current: Some(json!({"version": current.version, "scheme": current.scheme})),
            });
        }
        let row = SchemeRow {
            skill_id: skill_id.clone(),
            document: serde_json::to_string(scheme).map_err(ApiError::internal)?,
            status: SchemeStatus::Draft,
            version: version + 1,
            updated_at: now(),
            updated_by: ctx.actor_id.clone(),
            frozen_at: None,
            frozen_by: None,
        };
        if version == 0 {
            repo::schemes::insert(conn, &row)?;
        } else {
            repo::schemes::update(conn, &row, version)?;
        }
        let problems = scheme.problems().len();
        repo::audit::record(
            conn,
            ctx,
            Change::in_event(
                AuditAction::SchemeSaved,
                (AuditTarget::Skill, &current.skill.id),
                &current.skill.event_id,
                json!({"version": row.version, "total": scheme.total(), "problems": problems}),
            ),
        )?;
        Ok(SchemeView { version: row.version, scheme: scheme.clone(), row: Some(row), ..current })
    })
}

/// Freezes a valid scheme (organisers). After this nothing in it can change.
pub fn freeze(
    conn: &mut DbConn,
    roles: &Grants,
    skill_id: &SkillId,
    version: i32,
    ctx: &AuditContext,
) -> ApiResult<(SchemeView, Vec<SchemeProblem>)> {
    write_tx(conn, |conn| {
        let current = view(conn, roles, skill_id)?;
        if access(conn, roles, &current.skill.event_id)? != Access::Manage {
            return Err(ApiError::Forbidden {
                code: ErrorCode::Forbidden,
                detail: "only organisers freeze marking schemes".into(),
            });
        }
        permit(conn, Operation::EditScheme, &current.skill)?;
        if current.status == SchemeStatus::Frozen {
            return Err(ApiError::Conflict {
                code: ErrorCode::SchemeFrozen,
                detail: "the marking scheme is frozen already".into(),
                current: None,
            });
        }
        if current.version != version || current.row.is_none() {
            return Err(ApiError::Conflict {
                code: ErrorCode::VersionConflict,
                detail: format!("the scheme is at version {}, not {version}", current.version),
                current: Some(json!({"version": current.version})),
            });
        }
        let problems = current.scheme.problems();
        if !problems.is_empty() {
            return Ok((current, problems));
        }
        let at = now();
        let row = SchemeRow {
            status: SchemeStatus::Frozen,
            version: version + 1,
            frozen_at: Some(at),
            frozen_by: ctx.actor_id.clone(),
            ..current.row.clone().expect("checked above")
        };
        repo::schemes::update(conn, &row, version)?;
        repo::audit::record(
            conn,
            ctx,
            Change::in_event(
                AuditAction::SchemeFrozen,
                (AuditTarget::Skill, &current.skill.id),
                &current.skill.event_id,
                json!({"version": row.version, "total": current.scheme.total()}),
            ),
        )?;
        Ok((SchemeView { status: SchemeStatus::Frozen, version: row.version, row: Some(row), ..current }, Vec::new()))
    })
}

/// The outcome of reading a CIS marking-scheme sheet.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SchemeImport {
    pub skill_name: String,
    pub test_project: String,
    pub scheme: Scheme,
    /// E.g. the sheet's summary table disagrees with its aspects; the import still works.
    pub warnings: Vec<crate::error::RowProblem>,
    /// Whether the draft was replaced (a dry run never does).
    pub committed: bool,
    /// The draft's version after the import.
    pub version: i32,
}

/// Reads a CIS sheet into the skill's draft: a dry run checks only; a commit replaces the draft
/// (based on `version`) when the sheet has no problems.
pub fn import(
    conn: &mut DbConn,
    roles: &Grants,
    skill_id: &SkillId,
    table: &crate::formats::tabular::Table,
    commit: bool,
    version: i32,
    ctx: &AuditContext,
) -> ApiResult<SchemeImport> {
    let current = view(conn, roles, skill_id)?;
    if !current.can_edit {
        return Err(ApiError::forbidden());
    }
    if commit {
        permit(conn, Operation::EditScheme, &current.skill)?;
    }
    let sheet = crate::formats::cis::read_cis(table).map_err(ApiError::FileRejected)?;
    let mut out = SchemeImport {
        skill_name: sheet.skill_name,
        test_project: sheet.test_project,
        scheme: sheet.scheme,
        warnings: sheet.warnings,
        committed: false,
        version: current.version,
    };
    if commit {
        let saved = save(conn, roles, skill_id, version, &out.scheme, ctx)?;
        out.committed = true;
        out.version = saved.version;
    }
    Ok(out)
}
