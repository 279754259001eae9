//! Marking routes: marking groups, marks from tablets, locks.

use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Authenticated;
use crate::db::models::StoredGroup;
use crate::domain::account::Locale;
use crate::domain::ids::{EntryId, SkillId, UserId};
use crate::error::{problems, ApiError, ApiResult, Problem};
use crate::service::marks::{self as svc, AspectMarks, EntryProgress, MarkInput, MarkResult};
use crate::state::AppState;

/// Most marks one request may carry (a whole sub-criterion for an entry is far fewer).
pub const MAX_BATCH: usize = 500;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_groups)
        .service(create_group)
        .service(
            web::resource("/entries/{id}/marks")
                .app_data(super::json_config_with_limit(512 * 1024))
                .route(web::post().to(submit_marks))
                .route(web::get().to(entry_marks)),
        )
        .service(skill_marks)
        .service(withdraw_score)
        .service(lock)
        .service(unlock)
        .service(progress)
        .service(propose_groups)
        .service(analytics)
        .service(marking_form);
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Group {
    pub id: uuid::Uuid,
    pub skill_id: uuid::Uuid,
    pub name: String,
    /// The experts' user ids.
    pub members: Vec<uuid::Uuid>,
    /// The sub-criteria the group marks, e.g. `A1`.
    pub sub_criteria: Vec<String>,
}

impl Group {
    fn from_row(group: &StoredGroup) -> Self {
        let r = &group.row;
        Self {
            id: r.id.uuid(),
            skill_id: r.skill_id.uuid(),
            name: r.name.clone(),
            members: group.members.iter().map(UserId::uuid).collect(),
            sub_criteria: group.sub_criteria.iter().map(|s| s.to_string()).collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupRequest {
    pub name: String,
    pub members: Vec<uuid::Uuid>,
    pub sub_criteria: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkBatch {
    pub marks: Vec<MarkInput>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MarkBatchResult {
    /// One result per mark sent, in the same order.
    pub results: Vec<MarkResult>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LockRequest {
    /// e.g. `A1`.
    pub sub_criterion: String,
    /// The form's language; without it, the request's `Accept-Language` (Chinese unless it prefers
    /// English).
    pub lang: Option<Locale>,
    /// A blank form in workstation order, to mark on paper when the tablets fail.
    #[serde(default)]
    pub blank: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnlockRequest {
    pub reason: String,
}

/// The skill's marking groups.
#[utoipa::path(tag = "marking", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = Vec<Group>),
    problems::NotFound,
))]
#[get("/skills/{id}/groups")]
pub async fn list_groups(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
) -> ApiResult<HttpResponse> {
    let rows = super::read_by_id(&state, &caller, id, svc::groups).await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(Group::from_row).collect::<Vec<_>>()))
}

/// Form a marking group: experts of the skill and the sub-criteria they mark (the skill's chief
/// experts, organisers).
#[utoipa::path(tag = "marking", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = GroupRequest, responses(
    (status = 201, body = Group),
    problems::ScopedChange,
))]
#[post("/skills/{id}/groups")]
pub async fn create_group(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
    body: web::Json<GroupRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let body = body.into_inner();
    let name = body.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::validation("name", "must be 1 to 100 characters"));
    }
    let members: Vec<UserId> = body.members.iter().copied().map(UserId::from).collect();
    let subs: Vec<String> = body.sub_criteria.iter().map(|s| s.trim().to_uppercase()).collect();
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let row = state.db(move |conn| svc::create_group(conn, &roles, &id, &name, &members, &subs, &ctx)).await?;
    Ok(HttpResponse::Created().json(Group::from_row(&row)))
}

/// Enter marks for an entry, many at once (a tablet's queue). Each mark carries a client id: the
/// same batch sent twice changes nothing. A changed mark carries the version it replaces; a stale
/// version gets `conflict` with the current value. Recusal is enforced: experts never mark their
/// own delegation's entries.
#[utoipa::path(post, path = "/entries/{id}/marks", tag = "marking", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = MarkBatch, responses(
    (status = 200, description = "One outcome per mark", body = MarkBatchResult),
    (status = 403, description = "Not an expert of the skill, or recusal", body = Problem, content_type = "application/problem+json"),
    problems::NotFound,
    (status = 409, description = "Scheme not frozen, or entry not competing", body = Problem, content_type = "application/problem+json"),
    problems::Unprocessable,
))]
pub async fn submit_marks(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EntryId>,
    body: web::Json<MarkBatch>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let marks = body.into_inner().marks;
    if marks.is_empty() || marks.len() > MAX_BATCH {
        return Err(ApiError::validation("marks", format!("send 1 to {MAX_BATCH} marks")));
    }
    let (roles, ctx, user) = (caller.grants.clone(), caller.audit(), caller.user.id.clone());
    let results = state.db_on_demand(move |db| svc::submit(db, &user, &roles, &id, &marks, &ctx)).await?;
    Ok(HttpResponse::Ok().json(MarkBatchResult { results }))
}

/// The entry's marks by aspect. Judges see the other judges' scores of an aspect only once all of
/// them have scored (blind judgement); chief experts and organisers see everything. The skill's
/// experts see these marks also before the results are released (as on the marking forms they
/// sign), never of their own delegation's entry; results (scale score, rank, award) are not here.
#[utoipa::path(get, path = "/entries/{id}/marks", tag = "marking", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = Vec<AspectMarks>),
    problems::Scoped,
))]
pub async fn entry_marks(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EntryId>,
) -> ApiResult<HttpResponse> {
    let marks = super::read_own_by_id(&state, &caller, id, svc::entry_marks).await?;
    Ok(HttpResponse::Ok().json(marks))
}

/// Every confirmed entry's marks in a skill in one answer, as `GET /entries/{id}/marks` gives them
/// one entry at a time: an expert gets the entries they may mark (never their own delegation's),
/// the skill's chief experts and organisers all. Experts read them before the results' release
/// too, as WorldSkills experts do; raw totals follow from them, ranks and awards are not here.
#[utoipa::path(tag = "marking", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = Vec<svc::EntryMarks>),
    problems::Scoped,
))]
#[get("/skills/{id}/marks")]
pub async fn skill_marks(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
) -> ApiResult<HttpResponse> {
    let marks = super::read_own_by_id(&state, &caller, id, svc::skill_marks).await?;
    Ok(HttpResponse::Ok().json(marks))
}

/// Lock a sub-criterion of an entry once it is completely marked and within spread.
#[utoipa::path(tag = "marking", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = LockRequest, responses(
    (status = 201),
    problems::Scoped,
    problems::Unprocessable,
    (status = 409, description = "Marks missing or out of spread (`not_ready_to_lock`), or locked already", body = Problem, content_type = "application/problem+json"),
))]
#[post("/entries/{id}/locks")]
pub async fn lock(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EntryId>,
    body: web::Json<LockRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let sub = body.into_inner().sub_criterion.trim().to_uppercase();
    let (roles, ctx, user) = (caller.grants.clone(), caller.audit(), caller.user.id.clone());
    state.db(move |conn| svc::lock(conn, &user, &roles, &id, &sub, &ctx)).await?;
    Ok(HttpResponse::Created().finish())
}

/// Unlock a sub-criterion of an entry, giving the reason (audited).
#[utoipa::path(tag = "marking", security(("bearer" = [])), params(("id" = uuid::Uuid, Path), ("sub" = String, Path)), request_body = UnlockRequest, responses(
    (status = 204),
    problems::Forbidden,
    (status = 404, description = "No such entry, or the sub-criterion is not locked", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "The skill's results are ratified (`results_ratified`): only an upheld dispute reopens them", body = Problem, content_type = "application/problem+json"),
    problems::Unprocessable,
))]
#[post("/entries/{id}/locks/{sub}/unlock")]
pub async fn unlock(
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<(EntryId, String)>,
    body: web::Json<UnlockRequest>,
) -> ApiResult<HttpResponse> {
    let (id, sub) = path.into_inner();
    let reason = reason_for("an unlock", &body.into_inner().reason)?;
    let sub = sub.to_uppercase();
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    state.db(move |conn| svc::unlock(conn, &roles, &id, &sub, &reason, &ctx)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The reason a chief expert gives for undoing something (audited): 1 to 500 characters.
fn reason_for(action: &str, raw: &str) -> ApiResult<String> {
    let reason = raw.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ApiError::validation("reason", format!("{action} needs a reason (up to 500 characters)")));
    }
    Ok(reason.to_string())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawScoreRequest {
    /// The judgement aspect, e.g. `A1.2`.
    pub aspect: String,
    /// The judge whose score is taken out (their user id).
    pub judge_id: uuid::Uuid,
    /// Why (audited), e.g. "entered by a judge outside the group's three".
    pub reason: String,
}

/// Withdraw one judge's score of a judgement aspect, giving the reason (the skill's chief experts
/// and organisers; audited in the skill's chain). The sub-criterion must be unlocked; the judge
/// may then enter a new score, and a replay of the withdrawn one from a tablet's queue is refused.
#[utoipa::path(tag = "marking", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = WithdrawScoreRequest, responses(
    (status = 204),
    problems::Forbidden,
    (status = 404, description = "No such entry, or no score of that judge for that aspect", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "The sub-criterion is locked (`sub_criterion_locked`), or the skill's results are ratified (`results_ratified`)", body = Problem, content_type = "application/problem+json"),
    problems::Unprocessable,
))]
#[post("/entries/{id}/marks/withdraw")]
pub async fn withdraw_score(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EntryId>,
    body: web::Json<WithdrawScoreRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let body = body.into_inner();
    let reason = reason_for("a withdrawal", &body.reason)?;
    let aspect = body.aspect.trim().to_uppercase();
    let judge = UserId::from(body.judge_id);
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    state.db(move |conn| svc::withdraw_score(conn, &roles, &id, &aspect, &judge, &reason, &ctx)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Propose marking groups for the skill that respect recusal and spread the load; entries a
/// group cannot cover are listed (more experts needed). Nothing is saved.
#[utoipa::path(tag = "marking", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = crate::domain::groups::Proposal),
    problems::Scoped,
))]
#[post("/skills/{id}/groups/proposal")]
pub async fn propose_groups(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
) -> ApiResult<HttpResponse> {
    let proposal = super::read_by_id(&state, &caller, id, svc::propose_groups).await?;
    Ok(HttpResponse::Ok().json(proposal))
}

/// The skill's marking progress: per confirmed entry and sub-criterion, what is marked, missing,
/// out of spread and locked (the skill's chief experts, organisers).
#[utoipa::path(tag = "marking", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = Vec<EntryProgress>),
    problems::Scoped,
))]
#[get("/skills/{id}/progress")]
pub async fn progress(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
) -> ApiResult<HttpResponse> {
    let rows = super::read_by_id(&state, &caller, id, svc::progress).await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// Judge analytics before locking: per judge, the mean deviation from the other judges' scores
/// (above 0 lenient, below 0 severe) and how often they were in an out-of-spread set.
#[utoipa::path(tag = "marking", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = Vec<svc::JudgeAnalytics>),
    problems::Scoped,
))]
#[get("/skills/{id}/analytics")]
pub async fn analytics(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
) -> ApiResult<HttpResponse> {
    let stats = super::read_by_id(&state, &caller, id, svc::analytics).await?;
    Ok(HttpResponse::Ok().json(stats))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormQuery {
    /// e.g. `A1`.
    pub sub_criterion: String,
    /// The form's language; without it, the request's `Accept-Language` (Chinese unless it prefers
    /// English).
    pub lang: Option<Locale>,
    /// A blank form in workstation order, to mark on paper when the tablets fail.
    #[serde(default)]
    pub blank: bool,
}

/// A print-ready marking form (HTML) for one sub-criterion, in the caller's language: every entry in
/// workstation order with its marks (or blank, `blank=true`) and signature lines for the marking
/// group (the skill's chief experts, organisers).
#[utoipa::path(tag = "marking", security(("bearer" = [])), params(("id" = uuid::Uuid, Path), FormQuery), responses(
    (status = 200, description = "The form, ready to print", content_type = "text/html"),
    problems::Scoped,
    problems::Unprocessable,
))]
#[get("/skills/{id}/marking-form")]
pub async fn marking_form(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
    query: web::Query<FormQuery>,
    req: actix_web::HttpRequest,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let query = query.into_inner();
    let locale = query.lang.unwrap_or_else(|| locale_of_request(&req));
    let (sub, blank) = (query.sub_criterion.trim().to_uppercase(), query.blank);
    let roles = caller.grants.clone();
    let html = state.db(move |conn| svc::marking_form(conn, &roles, &id, &sub, locale, blank)).await?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html))
}

/// The language a request prefers by its `Accept-Language`: English when it comes first, else Chinese.
fn locale_of_request(req: &actix_web::HttpRequest) -> Locale {
    let header = req.headers().get(actix_web::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    match header.and_then(|h| h.split(',').next()).map(|first| first.trim().to_ascii_lowercase()) {
        Some(first) if first.starts_with("en") => Locale::En,
        _ => Locale::ZhCn,
    }
}
