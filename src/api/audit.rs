//! `/api/v1/audit`: the audit log, for administrators (everything) and organisers (their events).

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Pagination;
use crate::auth::Authenticated;
use crate::db::models::AuditRow;
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult, Problem};
use crate::repo;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_audit);
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    pub id: uuid::Uuid,
    pub at: DateTime<Utc>,
    /// Who acted; absent for the system or an anonymous request.
    pub actor_id: Option<uuid::Uuid>,
    /// What happened, e.g. `auth.login`, `user.role_granted`.
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub event_id: Option<uuid::Uuid>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub action: Option<String>,
    pub actor_id: Option<uuid::Uuid>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// Entries at or after this time (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Entries before this time (RFC 3339).
    pub to: Option<DateTime<Utc>>,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        let id = |s: &str| uuid::Uuid::parse_str(s).ok();
        Self {
            id: id(&r.id).unwrap_or_default(),
            at: r.at.and_utc(),
            actor_id: r.actor_id.as_deref().and_then(id),
            action: r.action,
            target_type: r.target_type,
            target_id: r.target_id,
            event_id: r.event_id.as_deref().and_then(id),
            before: json(r.before_json),
            after: json(r.after_json),
            request_id: r.request_id,
            ip: r.ip,
        }
    }
}

/// Read the audit log, newest first. Organisers see the entries of their events only.
#[utoipa::path(tag = "audit", security(("bearer" = [])), params(AuditQuery, Pagination), responses(
    (status = 200, body = AuditPage),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 403, body = Problem, content_type = "application/problem+json"),
))]
#[get("/audit")]
pub async fn list_audit(
    state: web::Data<AppState>,
    caller: Authenticated,
    query: web::Query<AuditQuery>,
    page: web::Query<Pagination>,
) -> ApiResult<HttpResponse> {
    let event_ids = if caller.is_admin() {
        None
    } else if caller.has(Role::Organiser) {
        Some(caller.scopes(Role::Organiser))
    } else {
        return Err(ApiError::forbidden());
    };
    let page = page.into_inner().parse()?;
    let q = query.into_inner();
    let filter = repo::audit::AuditFilter {
        action: q.action,
        actor_id: q.actor_id.map(|u| u.to_string()),
        target_type: q.target_type,
        target_id: q.target_id,
        from: q.from.map(|t| t.naive_utc()),
        to: q.to.map(|t| t.naive_utc()),
        event_ids,
    };
    let result = state.db(move |conn| Ok(repo::audit::list(conn, &filter, page)?)).await?;
    Ok(HttpResponse::Ok().json(AuditPage {
        items: result.items.into_iter().map(AuditEntry::from).collect(),
        total: result.total,
        page: page.page,
        per_page: page.per_page,
    }))
}
