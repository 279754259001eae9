//! Signing in and out, refresh-token rotation, passwords, invitations and first-start setup.

use chrono::{Duration, NaiveDateTime};
use serde_json::json;

use crate::auth::password;
use crate::auth::tokens::{digest, random_token, JwtKeys};
use crate::db::models::{new_id, now, OneTimeTokenRow, RefreshTokenRow, RoleRow, UserRow};
use crate::db::{write_tx, DbConn};
use crate::domain::account::{DisplayName, Email, Locale, NewPassword, TokenPurpose};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::ids::{TokenFamilyId, UserId};
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::mail::{templates, Mail};
use crate::repo;
use crate::repo::audit::{AuditContext, Change};

pub const RESET_TTL_HOURS: i64 = 1;
pub const INVITATION_TTL_DAYS: i64 = 7;
pub const SETUP_TTL_DAYS: i64 = 7;

/// What a successful sign-in hands out.
#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: UserId,
    pub access_token: String,
    pub expires_in: i64,
    pub refresh_token: String,
    pub refresh_expires_at: NaiveDateTime,
}

/// Token lifetimes and keys, from settings.
#[derive(Clone)]
pub struct Issuer<'a> {
    pub jwt: &'a JwtKeys,
    pub refresh_ttl_days: i64,
}

impl Issuer<'_> {
    /// Starts a new refresh family (one sign-in) or continues `family`.
    fn issue(&self, conn: &mut DbConn, user: &UserRow, family: Option<&TokenFamilyId>) -> ApiResult<Session> {
        let refresh_token = random_token();
        let created = now();
        let expires = created + Duration::days(self.refresh_ttl_days);
        repo::tokens::insert_refresh(
            conn,
            &RefreshTokenRow {
                id: new_id(),
                user_id: user.id.clone(),
                family_id: family.cloned().unwrap_or_else(new_id),
                token_hash: digest(&refresh_token),
                created_at: created,
                expires_at: expires,
                rotated_at: None,
                revoked_at: None,
            },
        )?;
        let access_token = self.jwt.issue(&user.id.to_string(), user.token_version).map_err(ApiError::internal)?;
        Ok(Session {
            user_id: user.id.clone(),
            access_token,
            expires_in: self.jwt.ttl_secs,
            refresh_token,
            refresh_expires_at: expires,
        })
    }
}

fn invalid_credentials() -> ApiError {
    ApiError::Unauthorized { code: ErrorCode::InvalidCredentials, detail: "the email or password is wrong".into() }
}

fn bad_link() -> ApiError {
    ApiError::BadRequest {
        code: ErrorCode::LinkInvalidOrExpired,
        detail: "this link is invalid, expired or already used; ask for a new one".into(),
    }
}

fn audit(
    conn: &mut DbConn,
    ctx: &AuditContext,
    action: AuditAction,
    user_id: &UserId,
    after: Option<serde_json::Value>,
) -> ApiResult<()> {
    repo::audit::record(
        conn,
        ctx,
        Change {
            action,
            target_type: AuditTarget::User,
            target_id: Some(user_id.into()),
            event_id: None,
            before: None,
            after,
        },
    )?;
    Ok(())
}

pub fn login(
    conn: &mut DbConn,
    issuer: &Issuer,
    email: &str,
    password_given: &str,
    ctx: &AuditContext,
) -> ApiResult<Session> {
    let email = Email::parse(email).map_err(|_| invalid_credentials())?;
    let user = repo::users::find_by_email(conn, email.as_str())?;
    let ok = password::verify(password_given, user.as_ref().and_then(|u| u.password_hash.as_deref()));
    let Some(user) = user else {
        return Err(invalid_credentials());
    };
    // The failed attempt is audited too, so the transaction commits either way.
    let session = write_tx(conn, |conn| {
        if ok && user.is_active {
            let ctx = AuditContext { actor_id: Some(user.id.clone()), ..ctx.clone() };
            audit(conn, &ctx, AuditAction::AuthLogin, &user.id, None)?;
            return issuer.issue(conn, &user, None).map(Some);
        }
        let reason = if ok { "inactive" } else { "password" };
        audit(conn, ctx, AuditAction::AuthLoginFailed, &user.id, Some(json!({ "reason": reason })))?;
        Ok::<_, ApiError>(None)
    })?;
    session.ok_or_else(invalid_credentials)
}

/// Outcome of presenting a refresh token.
enum Rotation {
    Issued(Session),
    Reused { user_id: UserId },
    Invalid,
}

pub fn refresh(conn: &mut DbConn, issuer: &Issuer, token: &str, ctx: &AuditContext) -> ApiResult<Session> {
    let hash = digest(token);
    let outcome = write_tx(conn, |conn| -> ApiResult<Rotation> {
        let Some(row) = repo::tokens::find_refresh_by_hash(conn, &hash)? else {
            return Ok(Rotation::Invalid);
        };
        let at = now();
        if row.revoked_at.is_some() || row.expires_at <= at {
            return Ok(Rotation::Invalid);
        }
        if row.rotated_at.is_some() || !repo::tokens::mark_rotated(conn, &row.id, at)? {
            // A rotated token came back: it was stolen, or a copy was kept. End the whole chain.
            repo::tokens::revoke_family(conn, &row.family_id, at)?;
            let ctx = AuditContext { actor_id: Some(row.user_id.clone()), ..ctx.clone() };
            audit(
                conn,
                &ctx,
                AuditAction::AuthRefreshTokenReused,
                &row.user_id,
                Some(json!({ "family_id": row.family_id })),
            )?;
            return Ok(Rotation::Reused { user_id: row.user_id });
        }
        match repo::users::find(conn, &row.user_id)? {
            Some(user) if user.is_active => Ok(Rotation::Issued(issuer.issue(conn, &user, Some(&row.family_id))?)),
            _ => Ok(Rotation::Invalid),
        }
    })?;
    match outcome {
        Rotation::Issued(session) => Ok(session),
        Rotation::Reused { user_id } => {
            tracing::warn!(%user_id, "refresh token reuse detected; session chain revoked");
            Err(ApiError::Unauthorized {
                code: ErrorCode::RefreshTokenReused,
                detail: "this sign-in was ended because its refresh token was used twice; sign in again".into(),
            })
        }
        Rotation::Invalid => Err(ApiError::Unauthorized {
            code: ErrorCode::InvalidRefreshToken,
            detail: "the session has expired or ended; sign in again".into(),
        }),
    }
}

/// Ends the sign-in the refresh token belongs to. Unknown tokens are ignored.
pub fn logout(conn: &mut DbConn, token: &str, ctx: &AuditContext) -> ApiResult<()> {
    let hash = digest(token);
    write_tx(conn, |conn| {
        if let Some(row) = repo::tokens::find_refresh_by_hash(conn, &hash)? {
            if repo::tokens::revoke_family(conn, &row.family_id, now())? > 0 {
                let ctx = AuditContext { actor_id: Some(row.user_id.clone()), ..ctx.clone() };
                audit(conn, &ctx, AuditAction::AuthLogout, &row.user_id, None)?;
            }
        }
        Ok(())
    })
}

/// Changes the caller's password, ends every other sign-in and starts a new one.
pub fn change_password(
    conn: &mut DbConn,
    issuer: &Issuer,
    user: &UserRow,
    current: &str,
    new: &NewPassword,
    ctx: &AuditContext,
) -> ApiResult<Session> {
    if !password::verify(current, user.password_hash.as_deref()) {
        return Err(ApiError::validation("current_password", "is not your current password"));
    }
    let hash = password::hash(new.expose()).map_err(ApiError::internal)?;
    write_tx(conn, |conn| {
        repo::users::set_password(conn, &user.id, &hash)?;
        repo::tokens::revoke_all_for_user(conn, &user.id, now())?;
        audit(conn, ctx, AuditAction::UserPasswordChanged, &user.id, None)?;
        let user = repo::users::find(conn, &user.id)?.ok_or(ApiError::NotFound { what: "user" })?;
        issuer.issue(conn, &user, None)
    })
}

/// Creates a one-time link token, retiring the user's earlier unused ones of the same purpose.
fn one_time(conn: &mut DbConn, user_id: Option<&UserId>, purpose: TokenPurpose, ttl: Duration) -> ApiResult<String> {
    let at = now();
    repo::tokens::retire_unused(conn, user_id, purpose, at)?;
    let token = random_token();
    repo::tokens::insert_one_time(
        conn,
        &OneTimeTokenRow {
            id: new_id(),
            user_id: user_id.cloned(),
            purpose,
            token_hash: digest(&token),
            created_at: at,
            expires_at: at + ttl,
            used_at: None,
        },
    )?;
    Ok(token)
}

/// Uses a one-time token of `purpose`: its row, or `link_invalid_or_expired`.
fn redeem(conn: &mut DbConn, token: &str, purpose: TokenPurpose) -> ApiResult<OneTimeTokenRow> {
    let row = repo::tokens::find_one_time_by_hash(conn, &digest(token))?.ok_or_else(bad_link)?;
    let at = now();
    if row.purpose != purpose || row.used_at.is_some() || row.expires_at <= at {
        return Err(bad_link());
    }
    if !repo::tokens::mark_one_time_used(conn, &row.id, at)? {
        return Err(bad_link());
    }
    Ok(row)
}

/// Prepares a reset mail for an active account; `None` for unknown or inactive addresses (the
/// caller answers the same either way, so addresses cannot be probed).
pub fn request_password_reset(
    conn: &mut DbConn,
    public_url: &str,
    email: &str,
    ctx: &AuditContext,
) -> ApiResult<Option<Mail>> {
    let Ok(email) = Email::parse(email) else {
        return Ok(None);
    };
    write_tx(conn, |conn| {
        let Some(user) = repo::users::find_by_email(conn, email.as_str())? else {
            return Ok(None);
        };
        if !user.is_active {
            return Ok(None);
        }
        let token = one_time(conn, Some(&user.id), TokenPurpose::PasswordReset, Duration::hours(RESET_TTL_HOURS))?;
        audit(conn, ctx, AuditAction::AuthPasswordResetRequested, &user.id, None)?;
        let link = format!("{public_url}/reset-password?token={token}");
        let locale = user.locale;
        Ok(Some(templates::password_reset(locale, &user.email, &user.display_name, &link, RESET_TTL_HOURS)))
    })
}

pub fn confirm_password_reset(conn: &mut DbConn, token: &str, new: &NewPassword, ctx: &AuditContext) -> ApiResult<()> {
    let hash = password::hash(new.expose()).map_err(ApiError::internal)?;
    write_tx(conn, |conn| {
        let row = redeem(conn, token, TokenPurpose::PasswordReset)?;
        let user_id = row.user_id.ok_or_else(bad_link)?;
        repo::users::set_password(conn, &user_id, &hash)?;
        repo::tokens::revoke_all_for_user(conn, &user_id, now())?;
        let ctx = AuditContext { actor_id: Some(user_id.clone()), ..ctx.clone() };
        audit(conn, &ctx, AuditAction::AuthPasswordReset, &user_id, None)
    })
}

/// An invitation mail with a fresh link for a user who has not chosen a password yet.
pub fn invitation_mail(conn: &mut DbConn, public_url: &str, user: &UserRow) -> ApiResult<Mail> {
    let token = one_time(conn, Some(&user.id), TokenPurpose::Invitation, Duration::days(INVITATION_TTL_DAYS))?;
    let link = format!("{public_url}/accept-invitation?token={token}");
    let locale = user.locale;
    Ok(templates::invitation(locale, &user.email, &user.display_name, &link, INVITATION_TTL_DAYS))
}

pub fn accept_invitation(
    conn: &mut DbConn,
    issuer: &Issuer,
    token: &str,
    new: &NewPassword,
    display_name: Option<&DisplayName>,
    ctx: &AuditContext,
) -> ApiResult<Session> {
    let hash = password::hash(new.expose()).map_err(ApiError::internal)?;
    write_tx(conn, |conn| {
        let row = redeem(conn, token, TokenPurpose::Invitation)?;
        let user_id = row.user_id.ok_or_else(bad_link)?;
        let user = repo::users::find(conn, &user_id)?.ok_or_else(bad_link)?;
        if let Some(name) = display_name {
            let change = repo::users::ProfileChange { display_name: Some(name.as_str().into()), ..Default::default() };
            repo::users::update_profile(conn, &user.id, user.version, &change, false)?;
        }
        repo::users::set_password(conn, &user.id, &hash)?;
        let ctx = AuditContext { actor_id: Some(user.id.clone()), ..ctx.clone() };
        audit(conn, &ctx, AuditAction::UserInvitationAccepted, &user.id, None)?;
        let user = repo::users::find(conn, &user.id)?.ok_or_else(bad_link)?;
        if !user.is_active {
            return Err(bad_link());
        }
        issuer.issue(conn, &user, None)
    })
}

/// On a start with no users: a fresh one-time setup token for creating the first admin.
pub fn setup_token_if_empty(conn: &mut DbConn) -> ApiResult<Option<String>> {
    write_tx(conn, |conn| {
        if repo::users::count(conn)? > 0 {
            return Ok(None);
        }
        one_time(conn, None, TokenPurpose::Setup, Duration::days(SETUP_TTL_DAYS)).map(Some)
    })
}

/// The first admin, created with the setup token printed at start.
pub struct FirstAdmin {
    pub email: Email,
    pub display_name: DisplayName,
    pub password: NewPassword,
    pub locale: Locale,
}

pub fn setup_first_admin(
    conn: &mut DbConn,
    issuer: &Issuer,
    token: &str,
    admin: &FirstAdmin,
    ctx: &AuditContext,
) -> ApiResult<Session> {
    let hash = password::hash(admin.password.expose()).map_err(ApiError::internal)?;
    write_tx(conn, |conn| {
        if repo::users::count(conn)? > 0 {
            return Err(ApiError::Conflict {
                code: ErrorCode::AlreadySetUp,
                detail: "the first administrator exists already; sign in instead".into(),
                current: None,
            });
        }
        redeem(conn, token, TokenPurpose::Setup)?;
        let user = insert_admin(conn, admin, Some(hash))?;
        let ctx = AuditContext { actor_id: Some(user.id.clone()), ..ctx.clone() };
        audit(conn, &ctx, AuditAction::UserFirstAdminCreated, &user.id, Some(json!({ "email": user.email })))?;
        issuer.issue(conn, &user, None)
    })
}

/// `skillmark create-admin`: a new admin with a password, or the admin role for an existing user.
pub fn create_admin(conn: &mut DbConn, admin: &FirstAdmin) -> ApiResult<UserRow> {
    let hash = password::hash(admin.password.expose()).map_err(ApiError::internal)?;
    write_tx(conn, |conn| {
        if repo::users::find_by_email(conn, admin.email.as_str())?.is_some() {
            return Err(ApiError::Conflict {
                code: ErrorCode::EmailTaken,
                detail: format!("a user with email {} exists already", admin.email),
                current: None,
            });
        }
        let user = insert_admin(conn, admin, Some(hash))?;
        let ctx = AuditContext::default();
        audit(conn, &ctx, AuditAction::UserAdminCreatedByCli, &user.id, Some(json!({ "email": user.email })))?;
        Ok(user)
    })
}

fn insert_admin(conn: &mut DbConn, admin: &FirstAdmin, hash: Option<String>) -> ApiResult<UserRow> {
    let at = now();
    let user = UserRow {
        id: new_id(),
        email: admin.email.as_str().into(),
        display_name: admin.display_name.as_str().into(),
        password_hash: hash,
        locale: admin.locale,
        is_active: true,
        token_version: 1,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    repo::users::insert(conn, &user)?;
    repo::users::insert_role(
        conn,
        &RoleRow {
            id: new_id(),
            user_id: user.id.clone(),
            role: Role::Admin,
            scope_id: None,
            delegation_id: None,
            created_at: at,
        },
    )?;
    Ok(user)
}
