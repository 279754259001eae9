//! `/api/v1/skills/{id}/scheme`: the skill's marking scheme.

use actix_web::{post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::parse_id;
use crate::auth::Authenticated;
use crate::domain::scheme::{format_hundredths, Scheme, SchemeProblem};
use crate::error::{ApiError, ApiResult, FieldError, Problem};
use crate::service::schemes::{self as svc, SchemeView};
use crate::state::AppState;

/// Schemes carry descriptors for every judgement aspect: allow larger bodies than elsewhere.
const SCHEME_JSON_LIMIT: usize = 1024 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/skills/{id}/scheme")
            .app_data(super::json_config_with_limit(SCHEME_JSON_LIMIT))
            .route(web::get().to(get_scheme))
            .route(web::put().to(save_scheme)),
    )
    .service(freeze_scheme);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SchemeDocument {
    pub skill_id: uuid::Uuid,
    /// `draft` or `frozen`.
    pub status: String,
    /// 0 before the first save. Send it back with a change.
    pub version: i32,
    pub scheme: Scheme,
    /// The scheme's total, e.g. `100.00`.
    pub total: String,
    /// What keeps the scheme from being frozen; empty when it is valid.
    pub problems: Vec<SchemeProblem>,
    /// Whether the caller may edit the draft (the skill's chief experts, organisers).
    pub can_edit: bool,
    pub frozen_at: Option<DateTime<Utc>>,
}

impl SchemeDocument {
    fn from_view(v: SchemeView) -> Self {
        Self {
            skill_id: uuid::Uuid::parse_str(&v.skill.id).unwrap_or_default(),
            total: format_hundredths(v.scheme.total()),
            problems: v.scheme.problems(),
            status: v.status,
            version: v.version,
            can_edit: v.can_edit,
            frozen_at: v.row.and_then(|r| r.frozen_at).map(|t| t.and_utc()),
            scheme: v.scheme,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveSchemeRequest {
    /// The version the change is based on (0 for the first save).
    pub version: i32,
    pub scheme: Scheme,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FreezeRequest {
    pub version: i32,
}

/// The skill's marking scheme (anyone with a role in the event).
#[utoipa::path(get, path = "/skills/{id}/scheme", tag = "schemes", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = SchemeDocument),
    (status = 404, body = Problem, content_type = "application/problem+json"),
))]
pub async fn get_scheme(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id, "skill")?;
    let roles = caller.roles.clone();
    let view = state.db(move |conn| svc::view(conn, &roles, &id)).await?;
    Ok(HttpResponse::Ok().json(SchemeDocument::from_view(view)))
}

/// Save the draft scheme as a whole (the skill's chief experts, organisers). A draft may still
/// have problems; they are listed in the answer.
#[utoipa::path(put, path = "/skills/{id}/scheme", tag = "schemes", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = SaveSchemeRequest, responses(
    (status = 200, body = SchemeDocument),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Frozen, or stale version (`current` holds the stored scheme)", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
pub async fn save_scheme(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<String>,
    body: web::Json<SaveSchemeRequest>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id, "skill")?;
    let SaveSchemeRequest { version, scheme } = body.into_inner();
    let (roles, ctx) = (caller.roles.clone(), caller.audit());
    let view = state.db(move |conn| svc::save(conn, &roles, &id, version, &scheme, &ctx)).await?;
    Ok(HttpResponse::Ok().json(SchemeDocument::from_view(view)))
}

/// Freeze the scheme before marking starts (organisers). Refused with every problem listed while
/// the scheme is not valid (e.g. does not total 100.00).
#[utoipa::path(tag = "schemes", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = FreezeRequest, responses(
    (status = 200, body = SchemeDocument),
    (status = 403, body = Problem, content_type = "application/problem+json"),
    (status = 404, body = Problem, content_type = "application/problem+json"),
    (status = 409, body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "The scheme has problems: `errors` lists them by path (e.g. `A/A1/2`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/skills/{id}/scheme/freeze")]
pub async fn freeze_scheme(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<String>,
    body: web::Json<FreezeRequest>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&id, "skill")?;
    let version = body.into_inner().version;
    let (roles, ctx) = (caller.roles.clone(), caller.audit());
    let (view, problems) = state.db(move |conn| svc::freeze(conn, &roles, &id, version, &ctx)).await?;
    if !problems.is_empty() {
        return Err(ApiError::Validation(
            problems
                .into_iter()
                .map(|p| FieldError::new(if p.path.is_empty() { "scheme".into() } else { p.path }, p.message))
                .collect(),
        ));
    }
    Ok(HttpResponse::Ok().json(SchemeDocument::from_view(view)))
}
