//! `/api/v1/users` (administrators) and `/api/v1/me` (everyone signed in).

use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Pagination, Validator};
use crate::auth::Authenticated;
use crate::db::models::{RoleRow, UserRow};
use crate::domain::account::{DisplayName, Email, Locale};
use crate::domain::ids::{DelegationId, RoleAssignmentId, ScopeId, UserId};
use crate::domain::role::{Role, RoleGrant};
use crate::error::{problems, ApiError, ApiResult, Problem};
use crate::mail::Mail;
use crate::repo;
use crate::service;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(me)
        .service(update_me)
        .service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user)
        .service(resend_invitation)
        .service(grant_role)
        .service(revoke_role);
}

/// A role held in a scope.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RoleAssignment {
    pub id: uuid::Uuid,
    pub role: Role,
    /// The event (organiser), skill (chief expert, expert), delegation (team leader) or entry
    /// (competitor) the role is held in; absent for admin.
    pub scope_id: Option<uuid::Uuid>,
    /// An expert's (or chief expert's) own delegation, used for recusal.
    pub delegation_id: Option<uuid::Uuid>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Invited; has not chosen a password yet.
    Invited,
    Active,
    Inactive,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct User {
    pub id: uuid::Uuid,
    pub email: String,
    pub display_name: String,
    pub locale: Locale,
    pub is_active: bool,
    pub status: AccountStatus,
    pub roles: Vec<RoleAssignment>,
    /// Send it back with an update; a stale version gets 409 with the current state.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl RoleAssignment {
    pub fn from_row(r: &RoleRow) -> Option<Self> {
        Some(Self {
            id: r.id.uuid(),
            role: r.role,
            scope_id: r.scope_id.as_ref().map(ScopeId::uuid),
            delegation_id: r.delegation_id.as_ref().map(DelegationId::uuid),
        })
    }
}

impl User {
    pub fn from_rows(u: &UserRow, roles: &[RoleRow]) -> Self {
        Self {
            id: u.id.uuid(),
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            locale: u.locale,
            is_active: u.is_active,
            status: match (u.is_active, u.password_hash.is_some()) {
                (false, _) => AccountStatus::Inactive,
                (true, false) => AccountStatus::Invited,
                (true, true) => AccountStatus::Active,
            },
            roles: roles.iter().filter_map(RoleAssignment::from_row).collect(),
            version: u.version,
            created_at: u.created_at.and_utc(),
            updated_at: u.updated_at.and_utc(),
        }
    }

    fn json(u: &UserRow, roles: &[RoleRow]) -> serde_json::Value {
        serde_json::to_value(Self::from_rows(u, roles)).unwrap_or_default()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<User>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleRequest {
    pub role: Role,
    pub scope_id: Option<String>,
    pub delegation_id: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    pub email: String,
    pub display_name: String,
    /// Default zh-CN.
    pub locale: Option<Locale>,
    #[serde(default)]
    pub roles: Vec<RoleRequest>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedUser {
    pub user: User,
    /// Whether the invitation mail went out; if not, resend it with `POST /users/{id}/invitation`.
    pub invitation_sent: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationSent {
    pub invitation_sent: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    /// The version the change is based on.
    pub version: i32,
    pub display_name: Option<String>,
    pub locale: Option<Locale>,
    pub is_active: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    pub version: i32,
    pub display_name: Option<String>,
    pub locale: Option<Locale>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Substring of email or display name (case-insensitive).
    pub q: Option<String>,
    pub role: Option<Role>,
    pub is_active: Option<bool>,
}

fn parse_grants(requests: &[RoleRequest], v: &mut Validator) -> Vec<RoleGrant> {
    requests
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let result = RoleGrant::parse(r.role, r.scope_id.as_deref(), r.delegation_id.as_deref());
            match result {
                Ok(g) => Some(g),
                Err((field, message)) => {
                    v.check::<(), _>(&format!("roles[{i}].{field}"), Err(message));
                    None
                }
            }
        })
        .collect()
}

async fn send_logged(state: &AppState, mail: &Mail) -> bool {
    match state.mailer.send(mail).await {
        Ok(()) => true,
        Err(e) => {
            tracing::error!(error = ?e, to = %mail.to, "sending mail failed");
            false
        }
    }
}

/// The signed-in user, with their roles.
#[utoipa::path(tag = "users", security(("bearer" = [])), responses(
    (status = 200, body = User),
    problems::Unauthorized,
))]
#[get("/me")]
pub async fn me(caller: Authenticated) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(User::from_rows(&caller.user, &caller.roles)))
}

/// Change one's own display name or language.
#[utoipa::path(tag = "users", security(("bearer" = [])), request_body = UpdateMeRequest, responses(
    (status = 200, body = User),
    (status = 409, description = "Stale version; `current` holds the current user", body = Problem, content_type = "application/problem+json"),
    problems::Unprocessable,
))]
#[patch("/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    caller: Authenticated,
    body: web::Json<UpdateMeRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let mut v = Validator::default();
    let display_name = body.display_name.as_deref().and_then(|n| v.check("display_name", DisplayName::parse(n)));
    v.finish()?;
    let change =
        service::users::ProfileUpdate { version: body.version, display_name, locale: body.locale, is_active: None };
    let ctx = caller.audit();
    let id = caller.user.id.clone();
    let (user, roles) = state.db(move |conn| service::users::update(conn, &id, &change, &ctx, User::json)).await?;
    Ok(HttpResponse::Ok().json(User::from_rows(&user, &roles)))
}

/// List users (administrators).
#[utoipa::path(tag = "users", security(("bearer" = [])), params(UserQuery, Pagination), responses(
    (status = 200, body = UserPage),
    problems::Unauthorized,
    problems::Forbidden,
))]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    caller: Authenticated,
    query: web::Query<UserQuery>,
    page: web::Query<Pagination>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let page = page.into_inner().parse()?;
    let query = query.into_inner();
    let filter = repo::users::UserFilter {
        q: query.q.map(|q| q.trim().to_string()).filter(|q| !q.is_empty()),
        role: query.role,
        is_active: query.is_active,
    };
    let (result, roles) = state
        .db(move |conn| {
            let result = repo::users::list(conn, &filter, page)?;
            let ids: Vec<UserId> = result.items.iter().map(|u| u.id.clone()).collect();
            let roles = repo::users::roles_of_many(conn, &ids)?;
            Ok((result, roles))
        })
        .await?;
    let items = result
        .items
        .iter()
        .map(|u| {
            let own: Vec<RoleRow> = roles.iter().filter(|r| r.user_id == u.id).cloned().collect();
            User::from_rows(u, &own)
        })
        .collect();
    Ok(HttpResponse::Ok().json(UserPage { items, total: result.total, page: page.page, per_page: page.per_page }))
}

/// Invite a user (administrators): the account is created without a password and an invitation
/// link is mailed.
#[utoipa::path(tag = "users", security(("bearer" = [])), request_body = CreateUserRequest, responses(
    (status = 201, body = CreatedUser),
    problems::Forbidden,
    (status = 409, description = "Email taken", body = Problem, content_type = "application/problem+json"),
    problems::Unprocessable,
))]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    caller: Authenticated,
    body: web::Json<CreateUserRequest>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let body = body.into_inner();
    let mut v = Validator::default();
    let email = v.check("email", Email::parse(&body.email));
    let display_name = v.check("display_name", DisplayName::parse(&body.display_name));
    let roles = parse_grants(&body.roles, &mut v);
    v.finish()?;
    let (Some(email), Some(display_name)) = (email, display_name) else {
        return Err(ApiError::internal(anyhow::anyhow!("validated fields missing")));
    };
    let new = service::users::NewUser { email, display_name, locale: body.locale.unwrap_or(Locale::ZhCn), roles };
    let ctx = caller.audit();
    let public_url = state.settings.public_url.clone();
    let (user, roles, mail) = state.db(move |conn| service::users::invite(conn, &public_url, &new, &ctx)).await?;
    let invitation_sent = send_logged(&state, &mail).await;
    Ok(HttpResponse::Created().json(CreatedUser { user: User::from_rows(&user, &roles), invitation_sent }))
}

/// One user: administrators see anyone, others only themselves.
#[utoipa::path(tag = "users", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = User),
    problems::Scoped,
))]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<UserId>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    if id != caller.user.id && !caller.is_admin() {
        return Err(ApiError::forbidden());
    }
    let (user, roles) = state
        .db(move |conn| {
            let user = repo::users::find(conn, &id)?.ok_or(ApiError::NotFound { what: "user" })?;
            let roles = repo::users::roles_of(conn, &id)?;
            Ok((user, roles))
        })
        .await?;
    Ok(HttpResponse::Ok().json(User::from_rows(&user, &roles)))
}

/// Change a user's name, language or active flag (administrators). Deactivation ends all of the
/// user's sessions at once.
#[utoipa::path(tag = "users", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = UpdateUserRequest, responses(
    (status = 200, body = User),
    problems::Scoped,
    problems::Unprocessable,
    (status = 409, description = "Stale version (`current` holds the user) or last admin", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<UserId>,
    body: web::Json<UpdateUserRequest>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let id = id.into_inner();
    let body = body.into_inner();
    let mut v = Validator::default();
    let display_name = body.display_name.as_deref().and_then(|n| v.check("display_name", DisplayName::parse(n)));
    v.finish()?;
    let change = service::users::ProfileUpdate {
        version: body.version,
        display_name,
        locale: body.locale,
        is_active: body.is_active,
    };
    let ctx = caller.audit();
    let (user, roles) = state.db(move |conn| service::users::update(conn, &id, &change, &ctx, User::json)).await?;
    Ok(HttpResponse::Ok().json(User::from_rows(&user, &roles)))
}

/// Mail a new invitation link to a user who has not accepted yet (administrators).
#[utoipa::path(tag = "users", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 202, body = InvitationSent),
    problems::Scoped,
    problems::Conflict,
))]
#[post("/users/{id}/invitation")]
pub async fn resend_invitation(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<UserId>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let id = id.into_inner();
    let ctx = caller.audit();
    let public_url = state.settings.public_url.clone();
    let mail = state.db(move |conn| service::users::reinvite(conn, &public_url, &id, &ctx)).await?;
    let invitation_sent = send_logged(&state, &mail).await;
    Ok(HttpResponse::Accepted().json(InvitationSent { invitation_sent }))
}

/// Grant a role in a scope (administrators).
#[utoipa::path(tag = "users", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = RoleRequest, responses(
    (status = 201, body = RoleAssignment),
    problems::ScopedChange,
))]
#[post("/users/{id}/roles")]
pub async fn grant_role(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<UserId>,
    body: web::Json<RoleRequest>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let id = id.into_inner();
    let body = body.into_inner();
    let grant = RoleGrant::parse(body.role, body.scope_id.as_deref(), body.delegation_id.as_deref())
        .map_err(|(f, m)| ApiError::validation(f, m))?;
    let ctx = caller.audit();
    let row = state.db(move |conn| service::users::grant_role(conn, &id, &grant, &ctx)).await?;
    let dto =
        RoleAssignment::from_row(&row).ok_or_else(|| ApiError::internal(anyhow::anyhow!("unknown role stored")))?;
    Ok(HttpResponse::Created().json(dto))
}

/// Take a role away (administrators). The last active admin keeps theirs.
#[utoipa::path(tag = "users", security(("bearer" = [])), params(("id" = uuid::Uuid, Path), ("role_id" = uuid::Uuid, Path)), responses(
    (status = 204),
    problems::Scoped,
    problems::Conflict,
))]
#[delete("/users/{id}/roles/{role_id}")]
pub async fn revoke_role(
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<(UserId, RoleAssignmentId)>,
) -> ApiResult<HttpResponse> {
    caller.require_admin()?;
    let (id, role_id) = path.into_inner();
    let ctx = caller.audit();
    state.db(move |conn| service::users::revoke_role(conn, &id, &role_id, &ctx)).await?;
    Ok(HttpResponse::NoContent().finish())
}
