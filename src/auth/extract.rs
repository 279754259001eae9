//! Extractors: `Authenticated` (a valid bearer token of an active user, with their roles) and
//! `RequestMeta` (request id and client address, for the audit log). Handlers authorise with the
//! methods of `Authenticated`; there is no other way to learn who is calling.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};

use crate::db::models::{RoleRow, UserRow};
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult};
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
    pub meta: RequestMeta,
}

impl Authenticated {
    pub fn id(&self) -> &str {
        &self.user.id
    }

    pub fn is_admin(&self) -> bool {
        self.has(Role::Admin)
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.iter().any(|r| r.role == role.as_str())
    }

    /// The scopes (event, skill, delegation or entry ids) in which the caller holds `role`.
    pub fn scopes(&self, role: Role) -> Vec<String> {
        self.roles.iter().filter(|r| r.role == role.as_str()).filter_map(|r| r.scope_id.clone()).collect()
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

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let meta = RequestMeta::from_request(req);
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(|t| t.trim().to_string());
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal(anyhow::anyhow!("app state missing")))?;
            let token = token.ok_or_else(|| {
                ApiError::unauthenticated("sign in: send an access token as `Authorization: Bearer …`")
            })?;
            let claims = state.jwt.verify(&token).ok_or(ApiError::Unauthorized {
                code: "invalid_token",
                detail: "the access token is invalid or expired; refresh it or sign in again".into(),
            })?;
            let (user, roles) = state
                .db(move |conn| {
                    let user = repo::users::find(conn, &claims.sub)?;
                    match user {
                        Some(u) if u.is_active && u.token_version == claims.tv => {
                            let roles = repo::users::roles_of(conn, &u.id)?;
                            Ok(Some((u, roles)))
                        }
                        _ => Ok(None),
                    }
                })
                .await?
                .ok_or(ApiError::Unauthorized {
                    code: "invalid_token",
                    detail: "the access token is no longer valid; sign in again".into(),
                })?;
            Ok(Authenticated { user, roles, meta })
        })
    }
}
