//! User administration: invitations, profile changes, role grants.

use serde_json::json;

use crate::db::models::{new_id, now, RoleRow, UserRow};
use crate::db::{write_tx, DbConn};
use crate::domain::account::{DisplayName, Email, Locale};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::ids::{EventId, RoleAssignmentId, UserId};
use crate::domain::role::{Role, RoleGrant};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::mail::Mail;
use crate::repo;
use crate::repo::audit::{AuditContext, Change};
use crate::service::accounts;

pub struct NewUser {
    pub email: Email,
    pub display_name: DisplayName,
    pub locale: Locale,
    pub roles: Vec<RoleGrant>,
}

pub fn user_json(user: &UserRow, roles: &[RoleRow]) -> serde_json::Value {
    json!({
        "email": user.email,
        "display_name": user.display_name,
        "locale": user.locale,
        "is_active": user.is_active,
        "roles": roles.iter().map(role_json).collect::<Vec<_>>(),
    })
}

fn role_json(r: &RoleRow) -> serde_json::Value {
    json!({ "role": r.role, "scope_id": r.scope_id, "delegation_id": r.delegation_id })
}

fn role_row(user_id: &UserId, grant: &RoleGrant) -> RoleRow {
    RoleRow {
        id: new_id(),
        user_id: user_id.clone(),
        role: grant.role,
        scope_id: grant.scope_id.clone(),
        delegation_id: grant.delegation_id.clone(),
        created_at: now(),
    }
}

fn audit_user(
    conn: &mut DbConn,
    ctx: &AuditContext,
    action: AuditAction,
    id: &UserId,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> ApiResult<()> {
    repo::audit::record(
        conn,
        ctx,
        Change { action, target_type: AuditTarget::User, target_id: Some(id.into()), event_id: None, before, after },
    )?;
    Ok(())
}

/// Creates an account without a password and prepares its invitation mail.
pub fn invite(
    conn: &mut DbConn,
    public_url: &str,
    new: &NewUser,
    ctx: &AuditContext,
) -> ApiResult<(UserRow, Vec<RoleRow>, Mail)> {
    write_tx(conn, |conn| {
        if repo::users::find_by_email(conn, new.email.as_str())?.is_some() {
            return Err(ApiError::Conflict {
                code: ErrorCode::EmailTaken,
                detail: format!("a user with email {} exists already", new.email),
                current: None,
            });
        }
        let at = now();
        let user = UserRow {
            id: new_id(),
            email: new.email.as_str().into(),
            display_name: new.display_name.as_str().into(),
            password_hash: None,
            locale: new.locale,
            is_active: true,
            token_version: 1,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        repo::users::insert(conn, &user)?;
        let mut roles = Vec::new();
        for grant in &new.roles {
            let row = role_row(&user.id, grant);
            repo::users::insert_role(conn, &row)?;
            roles.push(row);
        }
        let mail = accounts::invitation_mail(conn, public_url, &user)?;
        audit_user(conn, ctx, AuditAction::UserInvited, &user.id, None, Some(user_json(&user, &roles)))?;
        Ok((user, roles, mail))
    })
}

/// A new invitation link for a user who has not accepted yet.
pub fn reinvite(conn: &mut DbConn, public_url: &str, user_id: &UserId, ctx: &AuditContext) -> ApiResult<Mail> {
    write_tx(conn, |conn| {
        let user = repo::users::find(conn, user_id)?.ok_or(ApiError::NotFound { what: "user" })?;
        if user.password_hash.is_some() {
            return Err(ApiError::Conflict {
                code: ErrorCode::InvitationAlreadyAccepted,
                detail: "this user has accepted the invitation; they can reset their password instead".into(),
                current: None,
            });
        }
        let mail = accounts::invitation_mail(conn, public_url, &user)?;
        audit_user(conn, ctx, AuditAction::UserReinvited, &user.id, None, None)?;
        Ok(mail)
    })
}

pub struct ProfileUpdate {
    pub version: i32,
    pub display_name: Option<DisplayName>,
    pub locale: Option<Locale>,
    pub is_active: Option<bool>,
}

/// Applies a profile update if `version` is current; a stale version is a 409 with the current
/// state, so two admins editing one user never silently overwrite each other.
pub fn update(
    conn: &mut DbConn,
    user_id: &UserId,
    change: &ProfileUpdate,
    ctx: &AuditContext,
    current_json: impl Fn(&UserRow, &[RoleRow]) -> serde_json::Value,
) -> ApiResult<(UserRow, Vec<RoleRow>)> {
    write_tx(conn, |conn| {
        let before = repo::users::find(conn, user_id)?.ok_or(ApiError::NotFound { what: "user" })?;
        let roles = repo::users::roles_of(conn, user_id)?;
        if before.version != change.version {
            return Err(ApiError::Conflict {
                code: ErrorCode::VersionConflict,
                detail: format!(
                    "the user was changed meanwhile (version {} now, {} sent)",
                    before.version, change.version
                ),
                current: Some(current_json(&before, &roles)),
            });
        }
        let deactivating = change.is_active == Some(false) && before.is_active;
        if deactivating && roles.iter().any(|r| r.role == Role::Admin) && repo::users::count_admins(conn)? <= 1 {
            return Err(ApiError::Conflict {
                code: ErrorCode::LastAdmin,
                detail: "the last active administrator cannot be deactivated".into(),
                current: None,
            });
        }
        let set = repo::users::ProfileChange {
            display_name: change.display_name.as_ref().map(|n| n.as_str().to_string()),
            locale: change.locale,
            is_active: change.is_active,
        };
        repo::users::update_profile(conn, user_id, change.version, &set, deactivating)?;
        if deactivating {
            repo::tokens::revoke_all_for_user(conn, user_id, now())?;
        }
        let after = repo::users::find(conn, user_id)?.ok_or(ApiError::NotFound { what: "user" })?;
        audit_user(
            conn,
            ctx,
            AuditAction::UserUpdated,
            user_id,
            Some(user_json(&before, &roles)),
            Some(user_json(&after, &roles)),
        )?;
        Ok((after, roles))
    })
}

pub fn grant_role(conn: &mut DbConn, user_id: &UserId, grant: &RoleGrant, ctx: &AuditContext) -> ApiResult<RoleRow> {
    write_tx(conn, |conn| {
        repo::users::find(conn, user_id)?.ok_or(ApiError::NotFound { what: "user" })?;
        let existing = repo::users::roles_of(conn, user_id)?;
        if existing.iter().any(|r| r.role == grant.role && r.scope_id == grant.scope_id) {
            return Err(ApiError::Conflict {
                code: ErrorCode::RoleAlreadyGranted,
                detail: format!("the user already holds {} in this scope", grant.role),
                current: None,
            });
        }
        let row = role_row(user_id, grant);
        repo::users::insert_role(conn, &row)?;
        let organised = grant.scope_id.as_ref().map(|s| EventId::from(s.uuid()));
        repo::audit::record(
            conn,
            ctx,
            Change {
                action: AuditAction::UserRoleGranted,
                target_type: AuditTarget::User,
                target_id: Some(user_id.into()),
                event_id: if grant.role == Role::Organiser { organised.as_ref() } else { None },
                before: None,
                after: Some(role_json(&row)),
            },
        )?;
        Ok(row)
    })
}

pub fn revoke_role(
    conn: &mut DbConn,
    user_id: &UserId,
    role_id: &RoleAssignmentId,
    ctx: &AuditContext,
) -> ApiResult<()> {
    write_tx(conn, |conn| {
        let row = repo::users::find_role(conn, role_id)?
            .filter(|r| &r.user_id == user_id)
            .ok_or(ApiError::NotFound { what: "role assignment" })?;
        if row.role == Role::Admin && repo::users::count_admins(conn)? <= 1 {
            return Err(ApiError::Conflict {
                code: ErrorCode::LastAdmin,
                detail: "the last active administrator cannot lose the admin role".into(),
                current: None,
            });
        }
        repo::users::delete_role(conn, role_id)?;
        let organised = row.scope_id.as_ref().map(|s| EventId::from(s.uuid()));
        repo::audit::record(
            conn,
            ctx,
            Change {
                action: AuditAction::UserRoleRevoked,
                target_type: AuditTarget::User,
                target_id: Some(user_id.into()),
                event_id: if row.role == Role::Organiser { organised.as_ref() } else { None },
                before: Some(role_json(&row)),
                after: None,
            },
        )?;
        Ok(())
    })
}
