//! `/api/v1/selection/…`: the selection programme (选拔 → 集训 → 国家队). Organisers set up the
//! programme and its stages, see each stage's proposal, confirm it and record withdrawals; the
//! squad and team lists are released in stages (delegations, then the public); a competitor, their
//! team leader and the organisers see the competitor's path.

use std::collections::HashMap;

use actix_web::{get, post, put, web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::events::{event_fields, EventRequest};
use super::Validator;
use crate::auth::Authenticated;
use crate::domain::ids::{EntryId, EventId, ProgrammeId, SkillId, StageId};
use crate::domain::publication::Audience;
use crate::domain::role::Role;
use crate::domain::selection::{StandingBasis, TieRule};
use crate::error::{problems, ApiError, ApiResult};
use crate::formats::tabular::Format;
use crate::service::selection::{
    self as svc, Path, Programme, ProgrammeFields, ReleasedProgramme, SelectionList, StageFields, StageSkill,
    StageSkillFields, StageStanding,
};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_programmes)
        .service(create_programme)
        .service(get_programme)
        .service(add_stage)
        .service(set_stage_skill)
        .service(proposal)
        .service(confirm)
        .service(withdraw)
        .service(squad)
        .service(release_squad)
        .service(team)
        .service(release_team)
        .service(export_team)
        .service(entry_path)
        .service(released_lists)
        .service(public_squad)
        .service(public_team)
        .service(public_programmes);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeRequest {
    /// e.g. 第46届世界技能大赛中国集训队选拔.
    pub name: String,
    /// e.g. `WorldSkills Shanghai 2026`.
    pub target_competition: String,
    /// Age eligibility is checked against this year.
    pub target_year: i32,
    /// Stage 1: the national selection (an event the caller organises).
    pub event_id: EventId,
    /// The notice period (公示) of its squad and team lists in days from their public release,
    /// 0–60; default 7.
    pub notice_days: Option<u32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageRequest {
    /// The assessment event to create for the stage.
    pub event: EventRequest,
    /// The skills (by number) the stage assesses; default: every skill of the previous stage.
    pub skill_numbers: Option<Vec<String>>,
    /// The training base (集训基地) per skill number, e.g. `{"17": "上海集训基地"}`.
    #[serde(default)]
    pub training_bases: HashMap<String, String>,
    /// Its confirmation yields the national team (member and alternate); no stage follows it.
    #[serde(default)]
    pub is_final: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageSkillRequest {
    /// How many go on: 1–100.
    pub cut: i32,
    /// Each stage's weight in percent, stage 1 first, summing to 100; default: this stage only.
    pub weights: Option<Vec<u32>>,
    #[serde(default)]
    pub basis: StandingBasis,
    #[serde(default)]
    pub tie_rule: TieRule,
    pub training_base: Option<String>,
    pub version: i32,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    /// The stage skill's version the proposal was read at.
    pub version: i32,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawRequest {
    /// The entry (of this stage) that withdraws.
    pub entry_id: EntryId,
    /// Why (injury, ineligibility, …); recorded and audited.
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRequest {
    /// `delegations` (squad members and their delegations) or `public`; never narrower than now.
    pub audience: Audience,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TeamExportQuery {
    /// `csv` (default), `xlsx`, or `pdf` (the printable list with signature lines).
    pub format: Option<String>,
}

fn text(v: &mut Validator, field: &str, raw: &str, max: usize) -> String {
    let t = raw.trim().to_string();
    if t.is_empty() || t.chars().count() > max {
        v.check::<(), _>(field, Err(format!("must be 1–{max} characters")));
    }
    t
}

/// The programmes the caller manages.
#[utoipa::path(tag = "selection", security(("bearer" = [])), responses((status = 200, body = [Programme])))]
#[get("/selection/programmes")]
pub async fn list_programmes(state: web::Data<AppState>, caller: Authenticated) -> ApiResult<HttpResponse> {
    let roles = caller.grants.clone();
    let list = state.db(move |conn| svc::list_programmes(conn, &roles)).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Create a selection programme whose stage 1 is an event the caller organises (administrators,
/// organisers); every skill of it starts with a cut of 10.
#[utoipa::path(tag = "selection", security(("bearer" = [])), request_body = ProgrammeRequest, responses(
    (status = 201, body = Programme),
    problems::ScopedChange,
))]
#[post("/selection/programmes")]
pub async fn create_programme(
    state: web::Data<AppState>,
    caller: Authenticated,
    body: web::Json<ProgrammeRequest>,
) -> ApiResult<HttpResponse> {
    if !(caller.is_admin() || caller.has(Role::Organiser)) {
        return Err(ApiError::forbidden());
    }
    let body = body.into_inner();
    let mut v = Validator::default();
    let name = text(&mut v, "name", &body.name, 200);
    let target_competition = text(&mut v, "target_competition", &body.target_competition, 200);
    if !(2000..=2100).contains(&body.target_year) {
        v.check::<(), _>("target_year", Err("must be a year between 2000 and 2100"));
    }
    if body.notice_days.is_some_and(|d| d > 60) {
        v.check::<(), _>("notice_days", Err("the notice period is at most 60 days"));
    }
    v.finish()?;
    let f = ProgrammeFields {
        name,
        target_competition,
        target_year: body.target_year,
        event_id: body.event_id,
        notice_days: body.notice_days,
    };
    let (user, roles, ctx) = (caller.id().clone(), caller.grants.clone(), caller.audit());
    let p = state.db(move |conn| svc::create_programme(conn, &user, &roles, f, &ctx)).await?;
    Ok(HttpResponse::Created().json(p))
}

/// A programme with its stages and each stage skill's rules (its organisers).
#[utoipa::path(tag = "selection", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = Programme),
    problems::Scoped,
))]
#[get("/selection/programmes/{id}")]
pub async fn get_programme(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<ProgrammeId>,
) -> ApiResult<HttpResponse> {
    let (id, roles) = (id.into_inner(), caller.grants.clone());
    let p = state.db(move |conn| svc::get_programme(conn, &roles, &id)).await?;
    Ok(HttpResponse::Ok().json(p))
}

/// Add the next stage: a new assessment event (in `setup`) with the previous stage's skills
/// (or those named), each with its training base; whoever advanced already is entered into it.
#[utoipa::path(tag = "selection", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = StageRequest, responses(
    (status = 201, body = Programme),
    problems::ScopedChange,
))]
#[post("/selection/programmes/{id}/stages")]
pub async fn add_stage(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<ProgrammeId>,
    body: web::Json<StageRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let mut v = Validator::default();
    let event = event_fields(body.event, &mut v);
    v.finish()?;
    let f = StageFields {
        event,
        skill_numbers: body.skill_numbers,
        training_bases: body.training_bases.into_iter().map(|(k, b)| (k, b.trim().to_string())).collect(),
        is_final: body.is_final,
    };
    let (id, user, roles, ctx) = (id.into_inner(), caller.id().clone(), caller.grants.clone(), caller.audit());
    let p = state.db(move |conn| svc::add_stage(conn, &user, &roles, &id, f, &ctx)).await?;
    Ok(HttpResponse::Created().json(p))
}

/// Set a stage skill's cut, weights, basis, tie rule and training base (until confirmed).
#[utoipa::path(tag = "selection", security(("bearer" = [])), params(("id" = uuid::Uuid, Path), ("skill" = uuid::Uuid, Path)), request_body = StageSkillRequest, responses(
    (status = 200, body = StageSkill),
    problems::ScopedChange,
))]
#[put("/selection/stages/{id}/skills/{skill}")]
pub async fn set_stage_skill(
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<(StageId, SkillId)>,
    body: web::Json<StageSkillRequest>,
) -> ApiResult<HttpResponse> {
    let (stage, skill) = path.into_inner();
    let body = body.into_inner();
    let mut v = Validator::default();
    if !(1..=100).contains(&body.cut) {
        v.check::<(), _>("cut", Err("must be between 1 and 100"));
    }
    let training_base = body.training_base.map(|b| b.trim().to_string()).filter(|b| !b.is_empty());
    if training_base.as_ref().is_some_and(|b| b.chars().count() > 200) {
        v.check::<(), _>("training_base", Err("must be at most 200 characters"));
    }
    v.finish()?;
    let f = StageSkillFields {
        cut: body.cut,
        weights: body.weights,
        basis: body.basis,
        tie_rule: body.tie_rule,
        training_base,
        version: body.version,
    };
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let s = state.db(move |conn| svc::set_stage_skill(conn, &roles, &stage, &skill, f, &ctx)).await?;
    Ok(HttpResponse::Ok().json(s))
}

/// Who would advance from the stage's skill: the combined standing with each stage's breakdown,
/// ties at the cut marked, the ineligible passed over. Refused (409 `not_ratified`) until the
/// stage's results for the skill are ratified; once confirmed, what was confirmed.
#[utoipa::path(tag = "selection", security(("bearer" = [])), params(("id" = uuid::Uuid, Path), ("skill" = uuid::Uuid, Path)), responses(
    (status = 200, body = StageStanding),
    problems::Scoped,
    problems::Conflict,
))]
#[get("/selection/stages/{id}/skills/{skill}/proposal")]
pub async fn proposal(
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<(StageId, SkillId)>,
) -> ApiResult<HttpResponse> {
    let (stage, skill) = path.into_inner();
    let roles = caller.grants.clone();
    let s = state.db(move |conn| svc::proposal(conn, &roles, &stage, &skill)).await?;
    Ok(HttpResponse::Ok().json(s))
}

/// Confirm the proposal (audited): the advancing competitors are entered into the next stage's
/// event with their registration carried over; the final stage's confirmation makes the team.
#[utoipa::path(tag = "selection", security(("bearer" = [])), params(("id" = uuid::Uuid, Path), ("skill" = uuid::Uuid, Path)), request_body = ConfirmRequest, responses(
    (status = 200, body = StageStanding),
    problems::Scoped,
    problems::Conflict,
))]
#[post("/selection/stages/{id}/skills/{skill}/confirm")]
pub async fn confirm(
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<(StageId, SkillId)>,
    body: web::Json<ConfirmRequest>,
) -> ApiResult<HttpResponse> {
    let (stage, skill) = path.into_inner();
    let version = body.version;
    let (user, roles, ctx) = (caller.id().clone(), caller.grants.clone(), caller.audit());
    let s = state.db(move |conn| svc::confirm(conn, &user, &roles, &stage, &skill, version, &ctx)).await?;
    Ok(HttpResponse::Ok().json(s))
}

/// A competitor withdraws with a reason (audited); the next-ranked moves up (递补).
#[utoipa::path(tag = "selection", security(("bearer" = [])), params(("id" = uuid::Uuid, Path), ("skill" = uuid::Uuid, Path)), request_body = WithdrawRequest, responses(
    (status = 200, body = StageStanding),
    problems::ScopedChange,
))]
#[post("/selection/stages/{id}/skills/{skill}/withdraw")]
pub async fn withdraw(
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<(StageId, SkillId)>,
    body: web::Json<WithdrawRequest>,
) -> ApiResult<HttpResponse> {
    let (stage, skill) = path.into_inner();
    let body = body.into_inner();
    let reason = body.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ApiError::validation("reason", "give the reason (1–500 characters)"));
    }
    let (user, roles, ctx) = (caller.id().clone(), caller.grants.clone(), caller.audit());
    let entry = body.entry_id;
    let s = state
        .db(move |conn| {
            svc::withdraw(conn, &user, &roles, &stage, &skill, svc::Withdrawal { entry_id: entry, reason }, &ctx)
        })
        .await?;
    Ok(HttpResponse::Ok().json(s))
}

/// Who advanced from the stage (its squad list): organisers always, others once released to them.
#[utoipa::path(tag = "selection", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = SelectionList),
    problems::NotFound,
))]
#[get("/selection/stages/{id}/squad")]
pub async fn squad(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<StageId>,
) -> ApiResult<HttpResponse> {
    let (id, roles) = (id.into_inner(), caller.grants.clone());
    let list = state.db(move |conn| svc::squad(conn, Some(&roles), &id)).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Release the stage's squad list (公示): to `delegations`, then to the `public`.
#[utoipa::path(tag = "selection", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = ReleaseRequest, responses(
    (status = 200, body = SelectionList),
    problems::ScopedChange,
))]
#[post("/selection/stages/{id}/release")]
pub async fn release_squad(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<StageId>,
    body: web::Json<ReleaseRequest>,
) -> ApiResult<HttpResponse> {
    let (id, roles, ctx, audience) = (id.into_inner(), caller.grants.clone(), caller.audit(), body.audience);
    let list = state.db(move |conn| svc::release_squad(conn, &roles, &id, audience, &ctx)).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// The national team per skill (member and alternate): organisers always, others once released.
#[utoipa::path(tag = "selection", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = SelectionList),
    problems::NotFound,
))]
#[get("/selection/programmes/{id}/team")]
pub async fn team(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<ProgrammeId>,
) -> ApiResult<HttpResponse> {
    let (id, roles) = (id.into_inner(), caller.grants.clone());
    let list = state.db(move |conn| svc::team(conn, Some(&roles), &id)).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Release the national team list: to `delegations`, then to the `public`.
#[utoipa::path(tag = "selection", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = ReleaseRequest, responses(
    (status = 200, body = SelectionList),
    problems::ScopedChange,
))]
#[post("/selection/programmes/{id}/team/release")]
pub async fn release_team(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<ProgrammeId>,
    body: web::Json<ReleaseRequest>,
) -> ApiResult<HttpResponse> {
    let (id, roles, ctx, audience) = (id.into_inner(), caller.grants.clone(), caller.audit(), body.audience);
    let list = state.db(move |conn| svc::release_team(conn, &roles, &id, audience, &ctx)).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// The national team as CSV (default), XLSX or a printable PDF, with Chinese names.
#[utoipa::path(tag = "selection", security(("bearer" = [])), params(("id" = uuid::Uuid, Path), TeamExportQuery), responses(
    (status = 200, description = "The team list", content(
        (String = "text/csv"),
        (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (String = "application/pdf"),
    )),
    problems::NotFound,
    problems::Unprocessable,
    problems::Unavailable,
))]
#[get("/selection/programmes/{id}/team/export")]
pub async fn export_team(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<ProgrammeId>,
    query: web::Query<TeamExportQuery>,
) -> ApiResult<HttpResponse> {
    let (id, roles) = (id.into_inner(), caller.grants.clone());
    if query.format.as_deref() == Some("pdf") {
        let doc = state.db(move |conn| svc::team_document(conn, &roles, &id)).await?;
        let font_dir = state.settings.font_dir.clone();
        let pdf = web::block(move || {
            crate::formats::pdf::team_pdf(&*super::results::fonts(&font_dir)?, &doc).map_err(ApiError::internal)
        })
        .await??;
        return Ok(super::pdf_download("national-team.pdf", pdf));
    }
    let format = super::download_format(query.format.as_deref(), Format::Csv)
        .map_err(|_| ApiError::validation("format", "must be csv, xlsx or pdf"))?;
    let bytes = state
        .db(move |conn| {
            let (headers, rows) = svc::team_table(conn, &roles, &id)?;
            super::write_table(format, "team", &headers, &rows)
        })
        .await?;
    Ok(super::download(format, "national-team", bytes))
}

/// A competitor's path through the programme (stages, score, rank, cut, advanced or not): for
/// the competitor, their team leader and the organisers only.
#[utoipa::path(tag = "selection", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = Path),
    problems::Scoped,
))]
#[get("/entries/{id}/selection-path")]
pub async fn entry_path(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EntryId>,
) -> ApiResult<HttpResponse> {
    let (id, roles) = (id.into_inner(), caller.grants.clone());
    let p = state.db(move |conn| svc::path(conn, &roles, &id)).await?;
    Ok(HttpResponse::Ok().json(p))
}

/// A stage's squad list once released to the public (no login).
#[utoipa::path(tag = "public", params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = SelectionList),
    problems::NotFound,
))]
#[get("/public/selection/stages/{id}/squad")]
pub async fn public_squad(state: web::Data<AppState>, id: web::Path<StageId>) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let list = state.db(move |conn| svc::squad(conn, None, &id)).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// The national team once released to the public (no login).
#[utoipa::path(tag = "public", params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = SelectionList),
    problems::NotFound,
))]
#[get("/public/selection/programmes/{id}/team")]
pub async fn public_team(state: web::Data<AppState>, id: web::Path<ProgrammeId>) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let list = state.db(move |conn| svc::team(conn, None, &id)).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// The programmes with a squad or team list released to the caller (their delegation or the
/// public): a team leader's or competitor's way to the lists.
#[utoipa::path(tag = "selection", security(("bearer" = [])), responses((status = 200, body = [ReleasedProgramme])))]
#[get("/selection/released")]
pub async fn released_lists(state: web::Data<AppState>, caller: Authenticated) -> ApiResult<HttpResponse> {
    let roles = caller.grants.clone();
    let list = state.db(move |conn| svc::released_lists(conn, Some(&roles))).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// The programmes with a squad or team list released to the public (no login): the public
/// results index links to them.
#[utoipa::path(tag = "public", responses((status = 200, body = [ReleasedProgramme])))]
#[get("/public/selection/programmes")]
pub async fn public_programmes(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let list = state.db(move |conn| svc::released_lists(conn, None)).await?;
    Ok(HttpResponse::Ok().json(list))
}
