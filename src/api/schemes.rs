//! `/api/v1/skills/{id}/scheme`: the skill's marking scheme.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa::ToSchema;

use crate::auth::Authenticated;
use crate::domain::ids::SkillId;
use crate::domain::scheme::{format_hundredths, Scheme, SchemeProblem, SchemeStatus};
use crate::error::{problems, ApiError, ApiResult, ErrorCode, FieldError, Problem};
use crate::formats::tabular::{self, Format};
use crate::service::schemes::{self as svc, SchemeImport, SchemeView};
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
    .service(freeze_scheme)
    .service(web::resource("/skills/{id}/scheme/import").route(web::post().to(import_scheme)))
    .service(export_scheme);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SchemeDocument {
    pub skill_id: uuid::Uuid,
    pub status: SchemeStatus,
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
            skill_id: v.skill.id.uuid(),
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
    problems::NotFound,
))]
pub async fn get_scheme(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
) -> ApiResult<HttpResponse> {
    let view = super::read_by_id(&state, &caller, id, svc::view).await?;
    Ok(HttpResponse::Ok().json(SchemeDocument::from_view(view)))
}

/// Save the draft scheme as a whole (the skill's chief experts, organisers). A draft may still
/// have problems; they are listed in the answer.
#[utoipa::path(put, path = "/skills/{id}/scheme", tag = "schemes", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = SaveSchemeRequest, responses(
    (status = 200, body = SchemeDocument),
    problems::Scoped,
    problems::Unprocessable,
    (status = 409, description = "Frozen, or stale version (`current` holds the stored scheme)", body = Problem, content_type = "application/problem+json"),
))]
pub async fn save_scheme(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
    body: web::Json<SaveSchemeRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let SaveSchemeRequest { version, scheme } = body.into_inner();
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let view = state.db(move |conn| svc::save(conn, &roles, &id, version, &scheme, &ctx)).await?;
    Ok(HttpResponse::Ok().json(SchemeDocument::from_view(view)))
}

/// Freeze the scheme before marking starts (organisers). Refused with every problem listed while
/// the scheme is not valid (e.g. does not total 100.00).
#[utoipa::path(tag = "schemes", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = FreezeRequest, responses(
    (status = 200, body = SchemeDocument),
    problems::Scoped,
    problems::Conflict,
    (status = 422, description = "The scheme has problems: `errors` lists them by path (e.g. `A/A1/2`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/skills/{id}/scheme/freeze")]
pub async fn freeze_scheme(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
    body: web::Json<FreezeRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let version = body.into_inner().version;
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
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

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SchemeImportQuery {
    /// `false` (default): check only. `true`: replace the draft when the sheet has no problems.
    #[serde(default)]
    pub commit: bool,
    /// The draft's current version (required to commit: 0 when there is none yet).
    pub version: Option<i32>,
    pub filename: Option<String>,
}

/// Import a marking scheme from a WorldSkills CIS "Marking Scheme Import" sheet (XLSX or CSV) sent
/// as the body. The whole sheet is refused (422 `file_rejected`, with every problem by row and
/// column) when it is not a valid scheme; a commit replaces the draft.
#[utoipa::path(post, path = "/skills/{id}/scheme/import", tag = "schemes", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path), SchemeImportQuery),
    request_body(content = inline(super::FileBytes), content_type = "application/octet-stream", description = "The CIS sheet"),
    responses(
        (status = 200, body = SchemeImport),
        (status = 400, description = "Not a readable CSV or XLSX file", body = Problem, content_type = "application/problem+json"),
        problems::ScopedChange,
        problems::PayloadTooLarge,
    )
)]
pub async fn import_scheme(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
    query: web::Query<SchemeImportQuery>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let query = query.into_inner();
    let version = match (query.commit, query.version) {
        (true, None) => return Err(ApiError::validation("version", "is required to commit")),
        (_, v) => v.unwrap_or(0),
    };
    let body = super::imports::read_limited(payload, tabular::MAX_BYTES).await?;
    let format = Format::detect(&body, query.filename.as_deref());
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let result = state
        .db(move |conn| {
            svc::view(conn, &roles, &id)?;
            let table = tabular::read_table(&body, format)
                .map_err(|e| ApiError::BadRequest { code: ErrorCode::UnreadableFile, detail: e.to_string() })?;
            svc::import(conn, &roles, &id, &table, query.commit, version, &ctx)
        })
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SchemeExportQuery {
    /// `xlsx` (default) or `csv`.
    pub format: Option<String>,
}

/// Export the skill's marking scheme in the CIS sheet layout (re-imports to the same scheme).
#[utoipa::path(tag = "schemes", security(("bearer" = [])), params(("id" = uuid::Uuid, Path), SchemeExportQuery), responses(
    (status = 200, description = "The sheet", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    problems::NotFound,
    problems::Unprocessable,
))]
#[get("/skills/{id}/scheme/export")]
pub async fn export_scheme(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
    query: web::Query<SchemeExportQuery>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let format = super::download_format(query.into_inner().format.as_deref(), Format::Xlsx)?;
    let roles = caller.grants.clone();
    let (bytes, number) = state
        .db(move |conn| {
            let v = svc::view(conn, &roles, &id)?;
            // The sheet names a test project; ours is the event's.
            let project = crate::repo::events::find_event(conn, &v.skill.event_id)?
                .map(|e| e.name)
                .unwrap_or_else(|| v.skill.name_en.clone());
            let bytes = match format {
                Format::Xlsx => crate::formats::cis::write_cis_xlsx(&v.skill.name_en, &project, &v.scheme)
                    .map_err(|e| ApiError::internal(anyhow::anyhow!(e.to_string())))?,
                Format::Csv => crate::formats::cis::write_cis_csv(&v.skill.name_en, &project, &v.scheme),
            };
            Ok((bytes, v.skill.number))
        })
        .await?;
    Ok(super::download(format, &format!("marking-scheme-{number}"), bytes))
}
