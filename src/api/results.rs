//! Results routes: rules, the live draft, ratification, release, ceremony, disputes, mail
//! report, exports; and the public (no login) results with their live stream.

use std::sync::Arc;
use std::time::Duration;

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Authenticated;
use crate::domain::ids::{Ceremony, DisputeId, EntryId, EventId, IdOf, PublishedResults, SkillId};
use crate::domain::publication::{Audience, DisputeStatus, ResultRules};
use crate::error::{problems, ApiError, ApiResult, Problem};
use crate::formats::tabular::Format;
use crate::live::{self, ResultsChanged};
use crate::service::results::{
    self as svc, CeremonyView, DisputeView, EntryOutline, EntryResultView, LiveResults, MailReport, PublicEventResults,
    PublicEventSummary, PublicTables, SkillSnapshot, SkillStatus,
};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // The public pages first: the router tries routes in order (a regex each), and on the day
    // they are most of the traffic (docs/performance.md).
    cfg.service(public_results)
        .service(public_tables)
        .service(public_skill)
        .service(public_events)
        .service(public_ceremony)
        .service(public_stream)
        .service(get_rules)
        .service(put_rules)
        .service(skill_results)
        .service(ratify)
        .service(statuses)
        .service(dashboard)
        .service(publish)
        .service(ceremony)
        .service(unschedule)
        .service(published)
        .service(entry_result)
        .service(entry_outline)
        .service(file_dispute)
        .service(list_disputes)
        .service(resolve_dispute)
        .service(mail_report)
        .service(export_results)
        .service(printable);
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesDocument {
    pub rules: ResultRules,
    /// The version read (0 before the rules were first saved).
    pub version: i32,
}

/// The event's result rules: scale parameters, tie tolerance, awards, squad cut, notice period.
#[utoipa::path(tag = "results", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = RulesDocument),
    problems::NotFound,
))]
#[get("/events/{id}/result-rules")]
pub async fn get_rules(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
) -> ApiResult<HttpResponse> {
    let (rules, version) = super::read_by_id(&state, &caller, id, svc::rules).await?;
    Ok(HttpResponse::Ok().json(RulesDocument { rules, version }))
}

/// Change the event's result rules (organisers; before any result is ratified).
#[utoipa::path(tag = "results", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = RulesDocument, responses(
    (status = 200, body = RulesDocument),
    problems::ScopedChange,
))]
#[put("/events/{id}/result-rules")]
pub async fn put_rules(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
    body: web::Json<RulesDocument>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let RulesDocument { rules, version } = body.into_inner();
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let version = state.db(move |conn| svc::save_rules(conn, &roles, &id, rules, version, &ctx)).await?;
    Ok(HttpResponse::Ok().json(RulesDocument { rules, version }))
}

/// The skill's results computed live from locked marks: raw score, scale score, rank, award and
/// breakdown (organisers and the skill's chief experts; embargoed for everyone else).
#[utoipa::path(tag = "results", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = LiveResults),
    problems::Scoped,
))]
#[get("/skills/{id}/results")]
pub async fn skill_results(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
) -> ApiResult<HttpResponse> {
    let results = super::read_by_id(&state, &caller, id, svc::skill_results).await?;
    Ok(HttpResponse::Ok().json(results))
}

/// Ratify the skill's results (chief expert's sign-off once every mark is locked): they are
/// frozen and can be released.
#[utoipa::path(tag = "results", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = SkillStatus),
    problems::Scoped,
    problems::Conflict,
))]
#[post("/skills/{id}/results/ratify")]
pub async fn ratify(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let (roles, ctx, user) = (caller.grants.clone(), caller.audit(), caller.user.id.clone());
    let status = state.db(move |conn| svc::ratify(conn, &user, &roles, &id, &ctx)).await?;
    Ok(HttpResponse::Ok().json(status))
}

/// Where each skill's results stand (organisers: every skill; chief experts: their skills).
#[utoipa::path(tag = "results", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = Vec<SkillStatus>),
    problems::Scoped,
))]
#[get("/events/{id}/results")]
pub async fn statuses(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
) -> ApiResult<HttpResponse> {
    let list = super::read_by_id(&state, &caller, id, svc::statuses).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// The event's dashboard (organisers and administrators): per skill, how far marking has got
/// (aspects marked, out of spread, entries lockable and locked) and where its results stand
/// (ratified, released to whom, open disputes).
#[utoipa::path(tag = "results", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = Vec<crate::service::dashboard::SkillDashboard>),
    problems::Scoped,
))]
#[get("/events/{id}/dashboard")]
pub async fn dashboard(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
) -> ApiResult<HttpResponse> {
    let list = super::read_by_id(&state, &caller, id, crate::service::dashboard::event_dashboard).await?;
    Ok(HttpResponse::Ok().json(list))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    /// Skills to release; omitted: every ratified skill of the event.
    pub skills: Option<Vec<uuid::Uuid>>,
    /// `experts`, `delegations` or `public` (default); a release only ever widens.
    pub audience: Option<Audience>,
    /// Release at this time instead of now (RFC 3339).
    pub at: Option<DateTime<Utc>>,
}

/// Release ratified results to an audience, now or at a scheduled time (organisers). Team
/// leaders and competitors are mailed when results reach them.
#[utoipa::path(tag = "results", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = PublishRequest, responses(
    (status = 200, body = Vec<SkillStatus>),
    problems::ScopedChange,
))]
#[post("/events/{id}/results/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
    body: web::Json<PublishRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let req = body.into_inner();
    let skills: Option<Vec<SkillId>> = req.skills.map(|s| s.into_iter().map(SkillId::from).collect());
    let audience = req.audience.unwrap_or(Audience::Public);
    let at = req.at.map(|t| t.naive_utc());
    let (roles, ctx, url) = (caller.grants.clone(), caller.audit(), state.settings.public_url.clone());
    let released =
        state.db(move |conn| svc::publish(conn, &roles, &id, skills.as_deref(), audience, at, &url, &ctx)).await?;
    live::announce(&state.pool, &state.hub, released.changes).await;
    Ok(HttpResponse::Ok().json(released.statuses))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CeremonyRequest {
    /// 1 bronze, 2 silver, 3 gold; one step at a time.
    pub step: i32,
}

/// Reveal the skill's next medal on the live board at the closing ceremony (organisers).
#[utoipa::path(tag = "results", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = CeremonyRequest, responses(
    (status = 200, body = SkillStatus),
    problems::NotFound,
    problems::Conflict,
))]
#[post("/skills/{id}/results/ceremony")]
pub async fn ceremony(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
    body: web::Json<CeremonyRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let step = body.into_inner().step;
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let (status, change) = state.db(move |conn| svc::ceremony(conn, &roles, &id, step, &ctx)).await?;
    live::announce(&state.pool, &state.hub, vec![change]).await;
    Ok(HttpResponse::Ok().json(status))
}

/// Call off the skill's scheduled release (organisers); releases already made stay.
#[utoipa::path(tag = "results", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = SkillStatus),
    problems::Scoped,
    (status = 409, description = "Nothing is scheduled (`nothing_scheduled`)", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/skills/{id}/results/schedule")]
pub async fn unschedule(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let status = state.db(move |conn| svc::unschedule(conn, &roles, &id, &ctx)).await?;
    Ok(HttpResponse::Ok().json(status))
}

/// The skill's published results as released to the caller (experts of the skill, delegations,
/// or everyone); breakdowns only for the caller's own delegation. 404 until released to them.
#[utoipa::path(tag = "results", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = SkillSnapshot),
    problems::NotFound,
))]
#[get("/skills/{id}/results/published")]
pub async fn published(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<IdOf<PublishedResults, SkillId>>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner().into_inner();
    let roles = caller.grants.clone();
    let snap = state.db(move |conn| svc::published(conn, &roles, &id)).await?;
    Ok(HttpResponse::Ok().json(snap))
}

/// An entry's own published result with the breakdown mark by mark (its competitors, team
/// leader, the skill's reviewers); `results_not_published` before release, `entry_without_results`
/// for an entry the released results do not hold yet.
#[utoipa::path(tag = "results", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = EntryResultView),
    problems::NotFound,
    problems::Conflict,
))]
#[get("/entries/{id}/result")]
pub async fn entry_result(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EntryId>,
) -> ApiResult<HttpResponse> {
    let view = super::read_own_by_id(&state, &caller, id, svc::entry_result).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// What an entry's competitors and team leader may know before its result is published: the
/// event and its time zone, the skill's number and names, the modules of its marking scheme.
#[utoipa::path(tag = "results", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = EntryOutline),
    problems::NotFound,
))]
#[get("/entries/{id}/outline")]
pub async fn entry_outline(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EntryId>,
) -> ApiResult<HttpResponse> {
    let view = super::read_own_by_id(&state, &caller, id, svc::entry_outline).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisputeRequest {
    /// The aspect disputed (`A1.2`), if any.
    pub aspect: Option<String>,
    pub reason: String,
}

/// File a dispute about the entry's published result (its team leader, within the notice period).
#[utoipa::path(tag = "results", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = DisputeRequest, responses(
    (status = 201, body = DisputeView),
    problems::ScopedChange,
))]
#[post("/entries/{id}/disputes")]
pub async fn file_dispute(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EntryId>,
    body: web::Json<DisputeRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let req = body.into_inner();
    let reason = req.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(ApiError::validation("reason", "a dispute needs a reason (up to 2000 characters)"));
    }
    let aspect = req.aspect.map(|a| a.trim().to_uppercase()).filter(|a| !a.is_empty());
    let (roles, ctx, user) = (caller.grants.clone(), caller.audit(), caller.user.id.clone());
    let view =
        state.db(move |conn| svc::file_dispute(conn, &user, &roles, &id, aspect.as_deref(), &reason, &ctx)).await?;
    Ok(HttpResponse::Created().json(view))
}

/// Disputes of the event the caller may see (organisers all, team leaders their delegation's,
/// chief experts their skills').
#[utoipa::path(tag = "results", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = Vec<DisputeView>),
    problems::NotFound,
))]
#[get("/events/{id}/disputes")]
pub async fn list_disputes(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
) -> ApiResult<HttpResponse> {
    let list = super::read_by_id(&state, &caller, id, svc::disputes).await?;
    Ok(HttpResponse::Ok().json(list))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveRequest {
    /// `upheld` (the skill is reopened for re-marking) or `rejected`.
    pub outcome: String,
    pub note: String,
}

/// Resolve a dispute (organisers): upheld reopens the skill's marks for re-marking and
/// re-ratification; rejected is noted.
#[utoipa::path(tag = "results", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = ResolveRequest, responses(
    (status = 200, body = DisputeView),
    problems::NotFound,
    problems::Conflict,
    problems::Unprocessable,
))]
#[post("/disputes/{id}/resolve")]
pub async fn resolve_dispute(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<DisputeId>,
    body: web::Json<ResolveRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let req = body.into_inner();
    let upheld = match req.outcome.parse() {
        Ok(DisputeStatus::Upheld) => true,
        Ok(DisputeStatus::Rejected) => false,
        Ok(DisputeStatus::Open) | Err(_) => return Err(ApiError::validation("outcome", "must be upheld or rejected")),
    };
    let note = req.note.trim().to_string();
    if note.is_empty() || note.chars().count() > 2000 {
        return Err(ApiError::validation("note", "a resolution needs a note (up to 2000 characters)"));
    }
    let (roles, ctx, user) = (caller.grants.clone(), caller.audit(), caller.user.id.clone());
    let (view, change) =
        state.db(move |conn| svc::resolve_dispute(conn, &user, &roles, &id, upheld, &note, &ctx)).await?;
    live::announce(&state.pool, &state.hub, change.into_iter().collect()).await;
    Ok(HttpResponse::Ok().json(view))
}

/// The event's result mails: pending, sent, failed, with the failures (organisers).
#[utoipa::path(tag = "results", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = MailReport),
    problems::Scoped,
))]
#[get("/events/{id}/notifications")]
pub async fn mail_report(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
) -> ApiResult<HttpResponse> {
    let report = super::read_by_id(&state, &caller, id, svc::mail_report).await?;
    Ok(HttpResponse::Ok().json(report))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `results` (CIS columns, default), `best_of_delegation` or `delegations`.
    pub kind: Option<String>,
    /// `csv` (default) or `xlsx`.
    pub format: Option<String>,
}

/// Export the ratified results (organisers): CIS result columns, best of delegation, or the
/// delegation table, as CSV or XLSX.
#[utoipa::path(tag = "results", security(("bearer" = [])), params(("id" = uuid::Uuid, Path), ExportQuery), responses(
    (status = 200, description = "The file", content_type = "text/csv"),
    problems::Scoped,
    problems::Unprocessable,
))]
#[get("/events/{id}/results/export")]
pub async fn export_results(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
    query: web::Query<ExportQuery>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let query = query.into_inner();
    let kind = svc::ExportKind::parse(query.kind.as_deref().unwrap_or("results"))
        .ok_or_else(|| ApiError::validation("kind", "must be results, best_of_delegation or delegations"))?;
    let format = super::download_format(query.format.as_deref(), Format::Csv)?;
    let roles = caller.grants.clone();
    let bytes = state
        .db(move |conn| {
            let (headers, rows) = svc::export(conn, &roles, &id, kind)?;
            super::write_table(format, kind.as_str(), &headers, &rows)
        })
        .await?;
    Ok(super::download(format, kind.as_str(), bytes))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PrintQuery {
    /// `results` (default: the results list) or `certificates` (one page per awarded competitor).
    pub kind: Option<String>,
    /// Only this skill (default: every ratified skill).
    pub skill: Option<uuid::Uuid>,
}

/// The CJK fonts, loaded on first use and kept.
pub(super) fn fonts(dir: &std::path::Path) -> ApiResult<Arc<crate::formats::pdf::Fonts>> {
    static FONTS: std::sync::Mutex<Option<Arc<crate::formats::pdf::Fonts>>> = std::sync::Mutex::new(None);
    let mut slot = FONTS.lock().map_err(|_| ApiError::internal(anyhow::anyhow!("font cache poisoned")))?;
    if let Some(f) = slot.as_ref() {
        return Ok(f.clone());
    }
    let loaded = crate::formats::pdf::Fonts::load(dir).map_err(|e| {
        tracing::error!(error = %format!("{e:#}"), "printable PDFs need a CJK font (SKILLMARK_FONT_DIR)");
        ApiError::NotConfigured { detail: format!("printing is not set up on this server: {e:#}") }
    })?;
    let loaded = Arc::new(loaded);
    *slot = Some(loaded.clone());
    Ok(loaded)
}

/// Printable PDF of the ratified results, or certificates for the awarded competitors
/// (organisers). Chinese names are set in an embedded CJK font.
#[utoipa::path(tag = "results", security(("bearer" = [])), params(("id" = uuid::Uuid, Path), PrintQuery), responses(
    (status = 200, description = "The PDF", content_type = "application/pdf"),
    problems::ScopedChange,
    problems::Unavailable,
))]
#[get("/events/{id}/results/pdf")]
pub async fn printable(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
    query: web::Query<PrintQuery>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let query = query.into_inner();
    let certificates = match query.kind.as_deref() {
        None | Some("results") => false,
        Some("certificates") => true,
        Some(_) => return Err(ApiError::validation("kind", "must be results or certificates")),
    };
    let skill = query.skill.map(SkillId::from);
    let roles = caller.grants.clone();
    let font_dir = state.settings.font_dir.clone();
    let pdf = if certificates {
        let certs = state.db(move |conn| svc::certificates(conn, &roles, &id, skill.as_ref())).await?;
        web::block(move || {
            crate::formats::pdf::certificates_pdf(&*fonts(&font_dir)?, &certs).map_err(ApiError::internal)
        })
        .await??
    } else {
        let doc = state.db(move |conn| svc::results_document(conn, &roles, &id, skill.as_ref())).await?;
        web::block(move || crate::formats::pdf::results_pdf(&*fonts(&font_dir)?, &doc).map_err(ApiError::internal))
            .await??
    };
    let name = if certificates { "certificates.pdf" } else { "results.pdf" };
    Ok(super::pdf_download(name, pdf))
}

// ---------------------------------------------------------------------------------------------
// Public: no login, cached, served from a snapshot prepared once per change.

/// A prepared JSON document and its ETag.
struct Doc {
    body: Bytes,
    /// The same body gzipped once, for the clients that accept it (every browser): when results
    /// change, thousands of screens fetch the document again within a second.
    gzip: Bytes,
    etag: String,
}

impl Doc {
    fn of<T: Serialize>(value: &T) -> ApiResult<Self> {
        use std::io::Write;
        let body = serde_json::to_vec(value).map_err(ApiError::internal)?;
        let digest = crate::auth::tokens::sha256_hex(&body);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&body).map_err(ApiError::internal)?;
        let gzip = gz.finish().map_err(ApiError::internal)?;
        Ok(Self { body: body.into(), gzip: gzip.into(), etag: format!("\"{}\"", &digest[..32]) })
    }

    fn respond(&self, req: &HttpRequest) -> HttpResponse {
        let cache = (header::CACHE_CONTROL, "public, max-age=5, stale-while-revalidate=30");
        let vary = (header::VARY, "Accept-Encoding");
        let matches = req
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim() == self.etag || t.trim() == "*"));
        if matches {
            return HttpResponse::NotModified()
                .insert_header((header::ETAG, self.etag.clone()))
                .insert_header(cache)
                .insert_header(vary)
                .finish();
        }
        let gzip = req
            .headers()
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|e| e.trim().split(';').next() == Some("gzip")));
        let mut res = HttpResponse::Ok();
        res.content_type("application/json")
            .insert_header((header::ETAG, self.etag.clone()))
            .insert_header(cache)
            .insert_header(vary);
        if gzip {
            res.insert_header((header::CONTENT_ENCODING, "gzip")).body(self.gzip.clone())
        } else {
            // `identity` keeps the compression middleware from compressing it on every request.
            res.insert_header((header::CONTENT_ENCODING, "identity")).body(self.body.clone())
        }
    }
}

/// An event's public documents (`None`: nothing public).
struct PublicDocs {
    results: Doc,
    tables: Doc,
    skills: std::collections::HashMap<SkillId, Doc>,
}

/// The database's change mark now (see `live`): a read served from the cache after a release
/// was answered, on any instance, gets a document built after that release. `None` on SQLite
/// (one instance: the release's notice has dropped the cache before it was answered).
async fn change_mark(state: &AppState) -> Option<i64> {
    if !state.hub.shared() {
        return None;
    }
    state
        .hub
        .change_mark(|| async {
            match state.db(|conn| Ok(crate::repo::results::change_mark(conn)?)).await {
                Ok(mark) => Some(mark),
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the results change mark; serving the cache by age");
                    None
                }
            }
        })
        .await
}

/// The mark read before the data a document is built from (so the document is at least as new).
fn mark_before_build(shared: bool, conn: &mut crate::db::DbConn) -> Option<i64> {
    shared.then(|| crate::repo::results::change_mark(conn).ok()).flatten()
}

async fn public_docs(state: &AppState, event_id: EventId) -> ApiResult<Arc<Option<PublicDocs>>> {
    // The hub caches an event's documents under the event id's text.
    let key = event_id.to_string();
    let mark = change_mark(state).await;
    if let Some(hit) = state.hub.get::<Option<PublicDocs>>(&key, mark) {
        return Ok(hit);
    }
    let _one_at_a_time = state.hub.rebuild_lock().await;
    if let Some(hit) = state.hub.get::<Option<PublicDocs>>(&key, mark) {
        return Ok(hit);
    }
    let generation = state.hub.generation();
    let shared = state.hub.shared();
    let (built_at, built) = state
        .db(move |conn| {
            let built_at = mark_before_build(shared, conn);
            let Some(p) = svc::public_event(conn, &event_id)? else { return Ok((built_at, None)) };
            let mut skills = std::collections::HashMap::new();
            for s in &p.results.skills {
                skills.insert(s.skill_id.clone(), Doc::of(s)?);
            }
            Ok((built_at, Some(PublicDocs { results: Doc::of(&p.results)?, tables: Doc::of(&p.tables)?, skills })))
        })
        .await?;
    Ok(state.hub.put(&key, built, generation, built_at))
}

/// Serves one of the event's public documents; the same 404 for an unknown event, an event with
/// nothing public and a skill not public.
async fn serve_public(
    state: &AppState,
    req: &HttpRequest,
    id: EventId,
    pick: impl FnOnce(&PublicDocs) -> Option<&Doc>,
) -> ApiResult<HttpResponse> {
    let docs = public_docs(state, id).await?;
    let doc = docs.as_ref().as_ref().and_then(pick).ok_or(ApiError::NotFound { what: "published results" })?;
    Ok(doc.respond(req))
}

/// Events with results released to the public.
#[utoipa::path(tag = "public", responses((status = 200, body = Vec<PublicEventSummary>)))]
#[get("/public/events")]
pub async fn public_events(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let mark = change_mark(&state).await;
    if let Some(hit) = state.hub.get::<Doc>(live::PUBLIC_EVENTS, mark) {
        return Ok(hit.respond(&req));
    }
    let _one_at_a_time = state.hub.rebuild_lock().await;
    if let Some(hit) = state.hub.get::<Doc>(live::PUBLIC_EVENTS, mark) {
        return Ok(hit.respond(&req));
    }
    let generation = state.hub.generation();
    let shared = state.hub.shared();
    let (built_at, list) =
        state.db(move |conn| Ok((mark_before_build(shared, conn), svc::public_events(conn)?))).await?;
    Ok(state.hub.put(live::PUBLIC_EVENTS, Doc::of(&list)?, generation, built_at).respond(&req))
}

/// The event's public results, skill by skill (no login; cacheable, with ETag).
#[utoipa::path(tag = "public", params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = PublicEventResults),
    (status = 304, description = "Not modified"),
    problems::NotFound,
))]
#[get("/public/events/{id}/results")]
pub async fn public_results(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<IdOf<PublishedResults, EventId>>,
) -> ApiResult<HttpResponse> {
    serve_public(&state, &req, id.into_inner().into_inner(), |d| Some(&d.results)).await
}

/// Medal table, delegation table, best of delegation and the Albert Vidal award over the
/// event's public results.
#[utoipa::path(tag = "public", params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = PublicTables),
    (status = 304, description = "Not modified"),
    problems::NotFound,
))]
#[get("/public/events/{id}/tables")]
pub async fn public_tables(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<IdOf<PublishedResults, EventId>>,
) -> ApiResult<HttpResponse> {
    serve_public(&state, &req, id.into_inner().into_inner(), |d| Some(&d.tables)).await
}

/// One skill's public results.
#[utoipa::path(tag = "public", params(("id" = uuid::Uuid, Path), ("skill" = uuid::Uuid, Path)), responses(
    (status = 200, body = crate::service::results::PublicSkill),
    (status = 304, description = "Not modified"),
    problems::NotFound,
))]
#[get("/public/events/{id}/skills/{skill}/results")]
pub async fn public_skill(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(IdOf<PublishedResults, EventId>, IdOf<PublishedResults, SkillId>)>,
) -> ApiResult<HttpResponse> {
    let (id, skill) = path.into_inner();
    let skill = skill.into_inner();
    serve_public(&state, &req, id.into_inner(), |d| d.skills.get(&skill)).await
}

/// The medals of a skill revealed so far at the closing ceremony (bronze, silver, gold); 404
/// before the first reveal.
#[utoipa::path(tag = "public", params(("id" = uuid::Uuid, Path), ("skill" = uuid::Uuid, Path)), responses(
    (status = 200, body = CeremonyView),
    problems::NotFound,
))]
#[get("/public/events/{id}/skills/{skill}/ceremony")]
pub async fn public_ceremony(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(IdOf<Ceremony, EventId>, IdOf<Ceremony, SkillId>)>,
) -> ApiResult<HttpResponse> {
    let (id, skill) = path.into_inner();
    let (id, skill) = (id.into_inner(), skill.into_inner());
    let view = state.db(move |conn| svc::ceremony_view(conn, &id, &skill)).await?;
    let view = view.ok_or(ApiError::NotFound { what: "ceremony" })?;
    let mut res = Doc::of(&view)?.respond(&req);
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-cache"));
    Ok(res)
}

/// Server-sent events for a venue screen: a `results` event (JSON `ResultsChanged`) whenever
/// results of the event are published, changed, reopened or a ceremony medal is revealed; a
/// comment every 15 s keeps the connection open.
#[utoipa::path(tag = "public", params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, description = "An event stream", content_type = "text/event-stream", body = ResultsChanged),
    problems::NotFound,
))]
#[get("/public/events/{id}/stream")]
pub async fn public_stream(state: web::Data<AppState>, id: web::Path<EventId>) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let lookup = id.clone();
    if state.db(move |conn| Ok(crate::repo::events::find_event(conn, &lookup)?)).await?.is_none() {
        return Err(ApiError::NotFound { what: "event" });
    }
    let rx = state.hub.subscribe();
    let opening = Bytes::from_static(b"retry: 2000\n: connected\n\n");
    let stream = futures_util::stream::unfold((rx, id, Some(opening)), |(mut rx, id, first)| async move {
        if let Some(first) = first {
            return Some((Ok::<_, actix_web::Error>(first), (rx, id, None)));
        }
        loop {
            match tokio::time::timeout(Duration::from_secs(15), rx.recv()).await {
                Err(_) => return Some((Ok(Bytes::from_static(b": keep-alive\n\n")), (rx, id, None))),
                Ok(Ok(change)) if change.event_id == id && change.public => {
                    let data = serde_json::to_string(&change).unwrap_or_default();
                    return Some((Ok(Bytes::from(format!("event: results\ndata: {data}\n\n"))), (rx, id, None)));
                }
                Ok(Ok(_)) => continue,
                Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => {
                    // Missed notices: tell the screen to reload everything.
                    let all = ResultsChanged {
                        event_id: id.clone(),
                        skill_id: String::new(),
                        kind: "changed".into(),
                        public: true,
                    };
                    let data = serde_json::to_string(&all).unwrap_or_default();
                    return Some((Ok(Bytes::from(format!("event: results\ndata: {data}\n\n"))), (rx, id, None)));
                }
                Ok(Err(tokio::sync::broadcast::error::RecvError::Closed)) => return None,
            }
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(stream))
}
