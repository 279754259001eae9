//! Extractors: `Authenticated` (a valid bearer token of an active user, with their roles) and
//! `RequestMeta` (request id and client address, for the audit log). Handlers authorise with the
//! methods of `Authenticated`; there is no other way to learn who is calling.
//!
//! Authentication decides before the request's path, query or body is looked at: a caller who is
//! not signed in learns `401`, not what is wrong with their body. Handlers take `Authenticated`
//! as their first extractor that can fail, and actix-web answers with the first extractor error
//! that is *ready*; so the `Authenticated` future must be ready at once. Without a token, or with
//! one whose signature or expiry is wrong, it is. Whether a well-signed token's user is still
//! active and its session not ended takes a database query, which `resolve_caller` (middleware on
//! `/api/v1`) makes before the handler's extractors start, leaving the answer in the request.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};

use super::callers::{self, Caller};
use crate::db::models::{RoleRow, UserRow};
use crate::domain::ids::{ScopeId, UserId};
use crate::domain::role::{Grant, Grants, Role};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::repo;
use crate::repo::audit::AuditContext;
use crate::state::AppState;

/// The request id set by the request-id middleware.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The caller: an active user whose token is valid and current.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub user: UserRow,
    pub roles: Vec<RoleRow>,
    /// The roles read once into typed grants: what the services ask (`roles` is for showing them).
    pub grants: Grants,
    pub meta: RequestMeta,
}

impl Authenticated {
    fn of(caller: &Caller, meta: RequestMeta) -> Self {
        Self { user: caller.user.clone(), roles: caller.roles.clone(), grants: caller.grants.clone(), meta }
    }

    pub fn id(&self) -> &UserId {
        &self.user.id
    }

    pub fn is_admin(&self) -> bool {
        self.has(Role::Admin)
    }

    pub fn has(&self, role: Role) -> bool {
        self.grants.has(role)
    }

    /// The scopes (event, skill, delegation or entry ids) in which the caller holds `role`.
    pub fn scopes(&self, role: Role) -> Vec<ScopeId> {
        self.grants.scopes(role)
    }

    pub fn require_admin(&self) -> ApiResult<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    /// The audit context of this caller's request.
    pub fn audit(&self) -> AuditContext {
        AuditContext { actor_id: Some(self.user.id.clone()), ..self.meta.audit() }
    }
}

/// Request id and client address of any request, signed in or not.
#[derive(Debug, Clone)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
}

impl RequestMeta {
    pub fn from_request(req: &HttpRequest) -> Self {
        let trust_proxy = req.app_data::<web::Data<AppState>>().map(|s| s.settings.trust_proxy).unwrap_or(false);
        let info = req.connection_info();
        let raw = if trust_proxy { info.realip_remote_addr() } else { info.peer_addr() };
        let ip = raw.and_then(parse_ip);
        Self {
            request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
            ip,
            user_agent: req
                .headers()
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(|s| s.chars().take(200).collect()),
        }
    }

    pub fn audit(&self) -> AuditContext {
        AuditContext { actor_id: None, request_id: self.request_id.clone(), ip: self.ip.map(|i| i.to_string()) }
    }
}

fn parse_ip(raw: &str) -> Option<IpAddr> {
    raw.parse::<IpAddr>()
        .ok()
        .or_else(|| raw.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| raw.trim_start_matches('[').split(']').next().and_then(|s| s.parse().ok()))
}

impl FromRequest for RequestMeta {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(RequestMeta::from_request(req)))
    }
}

/// The bearer token of a request, if it carries one.
fn bearer_token(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(|t| t.trim().to_string())
}

/// The user and roles a well-signed token stands for, if its user is active and its session was
/// not ended since (a password change, reset or deactivation bumps `token_version`). Read from
/// the callers kept in memory when nothing about users or roles changed since they were read
/// ([`callers`]), else from the database (and kept).
async fn current_user(state: &AppState, user_id: String, token_version: i32) -> ApiResult<Arc<Caller>> {
    let ended = || ApiError::Unauthorized {
        code: ErrorCode::InvalidToken,
        detail: "the access token is no longer valid; sign in again".into(),
    };
    let current = |c: &Caller| c.user.is_active && c.user.token_version == token_version;
    let Ok(id) = user_id.parse::<UserId>() else { return Err(ended()) };
    // On PostgreSQL only while this instance hears the others' changes.
    let keeping = state.hub.in_touch();
    if keeping {
        if let Some(caller) = state.callers.get(&id) {
            return if current(&caller) { Ok(caller) } else { Err(ended()) };
        }
    }
    let read_in = callers::generation();
    let found = state
        .db(move |conn| {
            let Some(user) = repo::users::find(conn, &id)? else { return Ok(None) };
            let roles = repo::users::roles_of(conn, &user.id)?;
            Ok(Some(Arc::new(Caller { grants: grants_of(&roles), user, roles })))
        })
        .await?
        .ok_or_else(ended)?;
    if keeping {
        state.callers.keep(found.clone(), read_in);
    }
    if current(&found) {
        Ok(found)
    } else {
        Err(ended())
    }
}

/// The grants of stored role assignments (an assignment that does not read is no grant).
pub fn grants_of(rows: &[RoleRow]) -> Grants {
    Grants::new(rows.iter().filter_map(|r| Grant::of(r.role, r.scope_id.as_ref(), r.delegation_id.clone())).collect())
}

fn invalid_token() -> ApiError {
    ApiError::Unauthorized {
        code: ErrorCode::InvalidToken,
        detail: "the access token is invalid or expired; refresh it or sign in again".into(),
    }
}

/// The session check of a request's well-signed bearer token, made by `resolve_caller`.
struct ResolvedCaller(ApiResult<Arc<Caller>>);

/// Middleware: for a request with a well-signed bearer token, looks up whether its user and
/// session are still current before the handler's extractors run, so that `Authenticated` is
/// ready at once and its 401 comes before any complaint about the body. Refuses nothing itself:
/// routes that need no sign-in ignore the answer. The public site's routes (`/api/v1/public/…`,
/// anyone may read them, from the cache while the database is away) skip the lookup.
pub async fn resolve_caller(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.path().starts_with("/api/v1/public/") {
        return next.call(req).await;
    }
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let claims = state.as_ref().zip(bearer_token(req.request())).and_then(|(s, t)| s.jwt.verify(&t));
    if let (Some(state), Some(claims)) = (state, claims) {
        let found = current_user(&state, claims.sub, claims.tv).await;
        req.extensions_mut().insert(ResolvedCaller(found));
    }
    next.call(req).await
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let meta = RequestMeta::from_request(req);
        if let Some(ResolvedCaller(found)) = req.extensions_mut().remove::<ResolvedCaller>() {
            return Box::pin(std::future::ready(found.map(|caller| Authenticated::of(&caller, meta))));
        }
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        // Everything up to the session lookup happens on the first poll, so these refusals are
        // ready before any other extractor's.
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal(anyhow::anyhow!("app state missing")))?;
            let token = token.ok_or_else(|| {
                ApiError::unauthenticated("sign in: send an access token as `Authorization: Bearer …`")
            })?;
            let claims = state.jwt.verify(&token).ok_or_else(invalid_token)?;
            // Only outside `resolve_caller` (a route not under `/api/v1`).
            let caller = current_user(&state, claims.sub, claims.tv).await?;
            Ok(Authenticated::of(&caller, meta))
        })
    }
}
