//! Registration routes: entries and their competitors, experts, the workstation draw.

use std::collections::HashSet;

use actix_web::{delete, get, post, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Pagination, Validator};
use crate::auth::Authenticated;
use crate::db::models::{CompetitorRow, EntryRow, ExpertRow, StoredDraw};
use crate::db::DbConn;
use crate::domain::account::{DisplayName, Email, Locale};
use crate::domain::draw::DrawAlgorithm;
use crate::domain::ids::{CompetitorId, DelegationId, EntryId, EventId, SkillId, UserId};
use crate::domain::registration::{self as rules, EntryStatus, ExpertPosition, Gender};
use crate::domain::role::Grants;
use crate::error::{problems, ApiError, ApiResult, Problem};
use crate::repo;
use crate::service::access::{self as gate, Rights};
use crate::service::registration::{self as svc, CompetitorFields, ExpertFields};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_entries)
        .service(create_entry)
        .service(get_entry)
        .service(change_entry_status)
        .service(add_competitor)
        .service(update_competitor)
        .service(remove_competitor)
        .service(invite_competitor)
        .service(
            web::resource("/competitors/{id}/photo").route(web::put().to(upload_photo)).route(web::get().to(get_photo)),
        )
        .service(list_experts)
        .service(register_expert)
        .service(appoint_team_leader)
        .service(draw_workstations)
        .service(reveal_identities)
        .service(list_draws);
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Competitor {
    pub id: uuid::Uuid,
    pub entry_id: uuid::Uuid,
    pub name: String,
    pub gender: Gender,
    /// Shown to the event's organisers and the competitor's team leader only.
    pub birth_date: Option<String>,
    /// Masked (`1101**********451X`) except for a single competitor read by the organisers or
    /// the team leader.
    pub id_number: String,
    pub version: i32,
    /// Whether a photo was uploaded (`GET /competitors/{id}/photo`).
    pub has_photo: bool,
    /// Whether the competitor has a portal account (told organisers and the team leader).
    pub has_account: bool,
}

impl Competitor {
    fn from_row(r: &CompetitorRow, personal: bool, full_id: bool, has_photo: bool) -> Self {
        Self {
            id: r.id.uuid(),
            entry_id: r.entry_id.uuid(),
            name: r.name.clone(),
            gender: r.gender,
            birth_date: personal.then(|| r.birth_date.format("%Y-%m-%d").to_string()),
            id_number: if full_id { r.id_number.clone() } else { rules::mask_id_number(&r.id_number) },
            version: r.version,
            has_photo,
            has_account: personal && r.user_id.is_some(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Entry {
    pub id: uuid::Uuid,
    pub event_id: uuid::Uuid,
    pub skill_id: uuid::Uuid,
    /// Absent for experts of a skill marked anonymously.
    pub delegation_id: Option<uuid::Uuid>,
    pub status: EntryStatus,
    pub workstation: Option<i32>,
    /// The code the entry is marked under in an anonymous skill.
    pub code: Option<String>,
    pub version: i32,
    /// Empty for experts of a skill marked anonymously.
    pub competitors: Vec<Competitor>,
    /// True when the caller is an expert of the skill from the entry's delegation, so may not mark
    /// it (回避); told for anonymous skills too, where the delegation is not shown.
    pub recused: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntryPage {
    pub items: Vec<Entry>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// How much of an entry a caller may see.
#[derive(Clone, Copy)]
struct Visibility {
    identity: bool,
    personal: bool,
    recused: bool,
}

fn visibility(rights: &Rights, roles: &Grants, entry: &EntryRow, anonymous: bool) -> Visibility {
    let personal = rights.manage || rights.leads(&entry.delegation_id);
    let recused =
        crate::service::marks::expert_delegation(roles, &entry.skill_id).as_ref() == Some(&entry.delegation_id);
    Visibility { identity: personal || !anonymous, personal, recused }
}

/// The ids of these competitors that have a photo.
fn photos_of(conn: &mut DbConn, members: &[CompetitorRow]) -> ApiResult<HashSet<CompetitorId>> {
    let ids: Vec<CompetitorId> = members.iter().map(|c| c.id.clone()).collect();
    Ok(repo::registration::with_photos(conn, &ids)?.into_iter().collect())
}

fn entry_dto(
    e: &EntryRow,
    members: &[CompetitorRow],
    photos: &HashSet<CompetitorId>,
    vis: Visibility,
    full_id: bool,
) -> Entry {
    Entry {
        id: e.id.uuid(),
        event_id: e.event_id.uuid(),
        skill_id: e.skill_id.uuid(),
        delegation_id: vis.identity.then(|| e.delegation_id.uuid()),
        status: e.status,
        workstation: e.workstation,
        code: e.anon_code.clone(),
        version: e.version,
        competitors: if vis.identity {
            members
                .iter()
                .filter(|c| c.entry_id == e.id)
                .map(|c| Competitor::from_row(c, vis.personal, full_id && vis.personal, photos.contains(&c.id)))
                .collect()
        } else {
            Vec::new()
        },
        recused: vis.recused,
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryRequest {
    pub skill_id: uuid::Uuid,
    pub delegation_id: uuid::Uuid,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryStatusRequest {
    pub status: EntryStatus,
    pub version: i32,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntryQuery {
    pub skill_id: Option<uuid::Uuid>,
    pub delegation_id: Option<uuid::Uuid>,
    pub status: Option<EntryStatus>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompetitorRequest {
    pub name: String,
    /// `female` or `male` (also `F`/`M`, `女`/`男`).
    pub gender: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    pub id_number: String,
    /// Required when replacing.
    pub version: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompetitorAccountRequest {
    pub email: String,
    pub locale: Option<Locale>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompetitorAccount {
    pub competitor: Competitor,
    /// True when a new account was created and its invitation mail went out.
    pub invitation_sent: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Expert {
    pub id: uuid::Uuid,
    pub skill_id: uuid::Uuid,
    pub delegation_id: uuid::Uuid,
    pub user_id: uuid::Uuid,
    /// The expert's name as on their account.
    pub display_name: String,
    pub position: ExpertPosition,
}

impl Expert {
    fn from_row(r: &ExpertRow, display_name: String) -> Self {
        Self {
            id: r.id.uuid(),
            skill_id: r.skill_id.uuid(),
            delegation_id: r.delegation_id.uuid(),
            user_id: r.user_id.uuid(),
            display_name,
            position: r.position,
        }
    }
}

/// The experts with their account names.
fn experts_named(conn: &mut crate::db::DbConn, rows: &[ExpertRow]) -> ApiResult<Vec<Expert>> {
    let ids: Vec<UserId> = rows.iter().map(|r| r.user_id.clone()).collect();
    let names: std::collections::HashMap<UserId, String> =
        repo::users::find_many(conn, &ids)?.into_iter().map(|u| (u.id, u.display_name)).collect();
    Ok(rows.iter().map(|r| Expert::from_row(r, names.get(&r.user_id).cloned().unwrap_or_default())).collect())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisteredExpert {
    pub expert: Expert,
    /// True when a new account was created and its invitation mail went out.
    pub invitation_sent: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpertRequest {
    pub email: String,
    pub display_name: String,
    pub locale: Option<Locale>,
    pub skill_id: uuid::Uuid,
    pub delegation_id: uuid::Uuid,
    /// `expert` (default), `chief_expert` or `deputy_chief_expert` (organisers only).
    pub position: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExpertQuery {
    pub skill_id: Option<uuid::Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawRequest {
    /// Required for a redraw.
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Assignment {
    pub entry_id: uuid::Uuid,
    pub workstation: u32,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Draw {
    pub id: uuid::Uuid,
    pub skill_id: uuid::Uuid,
    /// The seed (a 64-bit number as text): with `algorithm` it reproduces the draw.
    pub seed: String,
    pub algorithm: DrawAlgorithm,
    pub workstation_count: i32,
    pub assignments: Vec<Assignment>,
    pub reason: Option<String>,
    pub drawn_by: Option<uuid::Uuid>,
    pub drawn_at: DateTime<Utc>,
    /// Whether replaying the seed now gives exactly this result.
    pub replay_matches: bool,
}

impl Draw {
    fn from_row(stored: &StoredDraw) -> Self {
        let r = &stored.row;
        Self {
            id: r.id.uuid(),
            skill_id: r.skill_id.uuid(),
            seed: r.seed.clone(),
            algorithm: r.algorithm,
            workstation_count: r.workstation_count,
            assignments: stored
                .assignments
                .iter()
                .map(|a| Assignment { entry_id: a.entry_id.uuid(), workstation: a.workstation as u32 })
                .collect(),
            reason: r.reason.clone(),
            drawn_by: r.drawn_by.as_ref().map(UserId::uuid),
            drawn_at: r.drawn_at.and_utc(),
            replay_matches: svc::replay_matches(stored),
        }
    }
}

fn competitor_fields(body: &CompetitorRequest, v: &mut Validator) -> Option<CompetitorFields> {
    let name = v.check("name", DisplayName::parse(&body.name));
    let gender = v.check("gender", Gender::parse(&body.gender));
    let birth_date = v.check("birth_date", rules::birth_date(&body.birth_date));
    let id_number = v.check("id_number", rules::id_number(&body.id_number));
    Some(CompetitorFields {
        name: name?.as_str().into(),
        gender: gender?,
        birth_date: birth_date?,
        id_number: id_number?,
    })
}

/// Register an entry: a delegation's participation in a skill (organisers; team leaders for
/// their delegation before the deadline).
#[utoipa::path(tag = "registration", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = EntryRequest, responses(
    (status = 201, body = Entry),
    problems::Scoped,
    problems::Unprocessable,
    (status = 409, description = "Maximum entries reached or registration closed", body = Problem, content_type = "application/problem+json"),
))]
#[post("/events/{id}/entries")]
pub async fn create_entry(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
    body: web::Json<EntryRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let body = body.into_inner();
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let row = state
        .db(move |conn| svc::create_entry(conn, &roles, &id, &body.skill_id.into(), &body.delegation_id.into(), &ctx))
        .await?;
    Ok(HttpResponse::Created().json(entry_dto(
        &row,
        &[],
        &HashSet::new(),
        Visibility { identity: true, personal: true, recused: false },
        false,
    )))
}

/// The event's entries the caller may see: organisers all, team leaders their delegation's,
/// experts their skill's (without identities when the skill marks anonymously).
#[utoipa::path(tag = "registration", security(("bearer" = [])), params(("id" = uuid::Uuid, Path), EntryQuery, Pagination), responses(
    (status = 200, body = EntryPage),
    problems::NotFound,
))]
#[get("/events/{id}/entries")]
pub async fn list_entries(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
    query: web::Query<EntryQuery>,
    page: web::Query<Pagination>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let page = page.into_inner().parse()?;
    let q = query.into_inner();
    let roles = caller.grants.clone();
    let items = state
        .db(move |conn| {
            let rights = Rights::of(conn, &roles, &id)?;
            let mut filter = repo::registration::EntryFilter {
                event_id: id.clone(),
                skill_ids: q.skill_id.map(|s| vec![s.into()]),
                delegation_ids: q.delegation_id.map(|d| vec![d.into()]),
                status: q.status,
            };
            if !rights.manage {
                /// Narrows what was asked for to the caller's own (all of their own when nothing was).
                fn narrow<T: Clone + PartialEq>(scope: &mut Option<Vec<T>>, own: &[T]) {
                    *scope = Some(match scope.take() {
                        Some(asked) => asked.into_iter().filter(|a| own.contains(a)).collect(),
                        None => own.to_vec(),
                    });
                }
                if !rights.delegations.is_empty() {
                    narrow(&mut filter.delegation_ids, &rights.delegations);
                } else if !rights.skills.is_empty() {
                    narrow(&mut filter.skill_ids, &rights.skills);
                } else {
                    return Err(ApiError::NotFound { what: "event" });
                }
            }
            let result = repo::registration::list_entries(conn, &filter, page)?;
            let ids: Vec<EntryId> = result.items.iter().map(|e| e.id.clone()).collect();
            let members = repo::registration::competitors_of(conn, &ids)?;
            let photos = photos_of(conn, &members)?;
            let mut hidden = std::collections::HashSet::new();
            for s in repo::events::skills_of(conn, &id)? {
                if gate::hides_identities(conn, &s)? {
                    hidden.insert(s.id);
                }
            }
            let entries: Vec<Entry> = result
                .items
                .iter()
                .map(|e| {
                    let anonymous = hidden.contains(&e.skill_id);
                    entry_dto(e, &members, &photos, visibility(&rights, &roles, e, anonymous), false)
                })
                .collect();
            Ok((entries, result.total))
        })
        .await?;
    Ok(HttpResponse::Ok().json(EntryPage { items: items.0, total: items.1, page: page.page, per_page: page.per_page }))
}

/// One entry with its competitors (full ID numbers for organisers and the team leader).
#[utoipa::path(tag = "registration", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = Entry),
    problems::NotFound,
))]
#[get("/entries/{id}")]
pub async fn get_entry(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EntryId>,
) -> ApiResult<HttpResponse> {
    let dto = super::read_by_id(&state, &caller, id, |conn, roles, id| {
        let view = gate::entry_view(conn, roles, id)?;
        let members = repo::registration::competitors_of(conn, std::slice::from_ref(&view.entry.id))?;
        let photos = photos_of(conn, &members)?;
        let vis = visibility(&view.rights, roles, &view.entry, gate::hides_identities(conn, &view.skill)?);
        Ok(entry_dto(&view.entry, &members, &photos, vis, true))
    })
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}

/// Confirm (exact team size needed), reopen or withdraw an entry.
#[utoipa::path(tag = "registration", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = EntryStatusRequest, responses(
    (status = 200, body = Entry),
    problems::Scoped,
    problems::Conflict,
))]
#[post("/entries/{id}/status")]
pub async fn change_entry_status(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EntryId>,
    body: web::Json<EntryStatusRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let EntryStatusRequest { status, version } = body.into_inner();
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let row = state.db(move |conn| svc::set_entry_status(conn, &roles, &id, status, version, &ctx)).await?;
    Ok(HttpResponse::Ok().json(entry_dto(
        &row,
        &[],
        &HashSet::new(),
        Visibility { identity: true, personal: true, recused: false },
        false,
    )))
}

/// Add a competitor to a registered entry: eligibility (age in the competition year), team size
/// and one skill per competitor are checked.
#[utoipa::path(tag = "registration", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = CompetitorRequest, responses(
    (status = 201, body = Competitor),
    problems::Scoped,
    (status = 409, description = "Team full, competitor already registered, or registration closed", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid fields, or not eligible (`birth_date`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/entries/{id}/competitors")]
pub async fn add_competitor(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EntryId>,
    body: web::Json<CompetitorRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let body = body.into_inner();
    let mut v = Validator::default();
    let fields = competitor_fields(&body, &mut v);
    v.finish()?;
    let fields = fields.ok_or_else(|| ApiError::internal(anyhow::anyhow!("validated fields missing")))?;
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let row = state.db(move |conn| svc::add_competitor(conn, &roles, &id, fields, &ctx)).await?;
    Ok(HttpResponse::Created().json(Competitor::from_row(&row, true, true, false)))
}

/// Correct a competitor's details; `version` must be current.
#[utoipa::path(tag = "registration", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = CompetitorRequest, responses(
    (status = 200, body = Competitor),
    problems::ScopedChange,
))]
#[put("/competitors/{id}")]
pub async fn update_competitor(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<CompetitorId>,
    body: web::Json<CompetitorRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let body = body.into_inner();
    let mut v = Validator::default();
    let version = v.check("version", body.version.ok_or("is required when replacing"));
    let fields = competitor_fields(&body, &mut v);
    v.finish()?;
    let (Some(fields), Some(version)) = (fields, version) else {
        return Err(ApiError::internal(anyhow::anyhow!("validated fields missing")));
    };
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let (row, photo) = state
        .db(move |conn| {
            let row = svc::update_competitor(conn, &roles, &id, version, fields, &ctx)?;
            let photo = !photos_of(conn, std::slice::from_ref(&row))?.is_empty();
            Ok((row, photo))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Competitor::from_row(&row, true, true, photo)))
}

/// Remove a competitor from a (not confirmed) entry.
#[utoipa::path(tag = "registration", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 204),
    problems::Scoped,
    problems::Conflict,
))]
#[delete("/competitors/{id}")]
pub async fn remove_competitor(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<CompetitorId>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    state.db(move |conn| svc::remove_competitor(conn, &roles, &id, &ctx)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Give a competitor an account for the competitor portal (organisers, the team leader): a new
/// address is invited by mail, an existing account is linked.
#[utoipa::path(tag = "registration", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = CompetitorAccountRequest, responses(
    (status = 201, body = CompetitorAccount),
    problems::Scoped,
    problems::Unprocessable,
    (status = 409, description = "The competitor has an account already", body = Problem, content_type = "application/problem+json"),
))]
#[post("/competitors/{id}/account")]
pub async fn invite_competitor(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<CompetitorId>,
    body: web::Json<CompetitorAccountRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let body = body.into_inner();
    let email = Email::parse(&body.email).map_err(|m| ApiError::validation("email", m))?;
    let locale = body.locale.unwrap_or(Locale::ZhCn);
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let public_url = state.settings.public_url.clone();
    let (row, mail, photo) = state
        .db(move |conn| {
            let (row, mail) = svc::invite_competitor(conn, &roles, &id, &email, locale, &public_url, &ctx)?;
            let photo = !photos_of(conn, std::slice::from_ref(&row))?.is_empty();
            Ok((row, mail, photo))
        })
        .await?;
    let invitation_sent = match mail {
        Some(mail) => {
            state.mailer.send(&mail).await.map_err(|e| tracing::error!(error = ?e, "invitation mail failed")).is_ok()
        }
        None => false,
    };
    Ok(HttpResponse::Created()
        .json(CompetitorAccount { competitor: Competitor::from_row(&row, true, false, photo), invitation_sent }))
}

/// Register an expert for a skill and delegation; a new address gets an invitation. Organisers
/// also appoint chief and deputy chief experts.
#[utoipa::path(tag = "registration", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = ExpertRequest, responses(
    (status = 201, body = RegisteredExpert),
    problems::ScopedChange,
))]
#[post("/events/{id}/experts")]
pub async fn register_expert(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
    body: web::Json<ExpertRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let body = body.into_inner();
    let mut v = Validator::default();
    let email = v.check("email", Email::parse(&body.email));
    let name = v.check("display_name", DisplayName::parse(&body.display_name));
    let position = v.check(
        "position",
        body.position
            .as_deref()
            .unwrap_or("expert")
            .parse::<ExpertPosition>()
            .map_err(|_| "must be expert, chief_expert or deputy_chief_expert"),
    );
    v.finish()?;
    let (Some(email), Some(display_name), Some(position)) = (email, name, position) else {
        return Err(ApiError::internal(anyhow::anyhow!("validated fields missing")));
    };
    let fields = ExpertFields {
        email,
        display_name,
        locale: body.locale.unwrap_or(Locale::ZhCn),
        skill_id: body.skill_id.into(),
        delegation_id: body.delegation_id.into(),
        position,
    };
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let public_url = state.settings.public_url.clone();
    let (expert, mail) = state
        .db(move |conn| {
            let (row, mail) = svc::register_expert(conn, &roles, &id, &public_url, fields, &ctx)?;
            Ok((experts_named(conn, std::slice::from_ref(&row))?.remove(0), mail))
        })
        .await?;
    let invitation_sent = match mail {
        Some(mail) => {
            state.mailer.send(&mail).await.map_err(|e| tracing::error!(error = ?e, "invitation mail failed")).is_ok()
        }
        None => false,
    };
    Ok(HttpResponse::Created().json(RegisteredExpert { expert, invitation_sent }))
}

/// The event's experts the caller may see: organisers all, team leaders their delegation's,
/// experts their skill's.
#[utoipa::path(tag = "registration", security(("bearer" = [])), params(("id" = uuid::Uuid, Path), ExpertQuery), responses(
    (status = 200, body = Vec<Expert>),
    problems::NotFound,
))]
#[get("/events/{id}/experts")]
pub async fn list_experts(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
    query: web::Query<ExpertQuery>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let skill: Option<Vec<SkillId>> = query.into_inner().skill_id.map(|s| vec![s.into()]);
    let roles = caller.grants.clone();
    let rows = state
        .db(move |conn| {
            let rights = Rights::of(conn, &roles, &id)?;
            let rows = if rights.manage {
                repo::registration::experts_of(conn, &id, skill.as_deref(), None)?
            } else if !rights.delegations.is_empty() {
                repo::registration::experts_of(conn, &id, skill.as_deref(), Some(&rights.delegations))?
            } else if !rights.skills.is_empty() {
                let own: Vec<SkillId> = match skill {
                    Some(s) => s.into_iter().filter(|s| rights.skills.contains(s)).collect(),
                    None => rights.skills.clone(),
                };
                repo::registration::experts_of(conn, &id, Some(&own), None)?
            } else {
                return Err(ApiError::NotFound { what: "event" });
            };
            experts_named(conn, &rows)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamLeaderRequest {
    pub email: String,
    pub display_name: String,
    pub locale: Option<Locale>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AppointedTeamLeader {
    pub user_id: uuid::Uuid,
    pub delegation_id: uuid::Uuid,
    /// True when a new account was created and its invitation mail went out.
    pub invitation_sent: bool,
}

/// Make someone the delegation's team leader (organisers): an existing account gets the role, a
/// new address an invitation by mail.
#[utoipa::path(tag = "registration", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = TeamLeaderRequest, responses(
    (status = 201, body = AppointedTeamLeader),
    problems::ScopedChange,
))]
#[post("/delegations/{id}/team-leaders")]
pub async fn appoint_team_leader(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<DelegationId>,
    body: web::Json<TeamLeaderRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let body = body.into_inner();
    let mut v = Validator::default();
    let email = v.check("email", Email::parse(&body.email));
    let name = v.check("display_name", DisplayName::parse(&body.display_name));
    v.finish()?;
    let (Some(email), Some(display_name)) = (email, name) else {
        return Err(ApiError::internal(anyhow::anyhow!("validated fields missing")));
    };
    let person = (email, display_name, body.locale.unwrap_or(Locale::ZhCn));
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let public_url = state.settings.public_url.clone();
    let delegation = id.clone();
    let (user, mail) =
        state.db(move |conn| svc::appoint_team_leader(conn, &roles, &id, &public_url, person, &ctx)).await?;
    let invitation_sent = match mail {
        Some(mail) => {
            state.mailer.send(&mail).await.map_err(|e| tracing::error!(error = ?e, "invitation mail failed")).is_ok()
        }
        None => false,
    };
    Ok(HttpResponse::Created().json(AppointedTeamLeader {
        user_id: user.id.uuid(),
        delegation_id: delegation.uuid(),
        invitation_sent,
    }))
}

/// Draw workstations for the skill's confirmed entries (organisers, the skill's chief experts).
/// The seed is recorded so the draw can be replayed; a redraw needs a reason.
#[utoipa::path(tag = "registration", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = DrawRequest, responses(
    (status = 201, body = Draw),
    problems::Scoped,
    (status = 409, description = "No confirmed entries, or more entries than workstations", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "A redraw without a reason", body = Problem, content_type = "application/problem+json"),
))]
#[post("/skills/{id}/draw")]
pub async fn draw_workstations(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
    body: web::Json<DrawRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let reason = body.into_inner().reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
        return Err(ApiError::validation("reason", "is longer than 500 characters"));
    }
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let row = state.db(move |conn| svc::draw_workstations(conn, &roles, &id, reason, &ctx)).await?;
    Ok(HttpResponse::Created().json(Draw::from_row(&row)))
}

/// The skill's draws, newest first, each with whether its seed replays to the recorded result.
#[utoipa::path(tag = "registration", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = Vec<Draw>),
    problems::NotFound,
))]
#[get("/skills/{id}/draws")]
pub async fn list_draws(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
) -> ApiResult<HttpResponse> {
    let (_, rows) = super::read_by_id(&state, &caller, id, svc::draws).await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(Draw::from_row).collect::<Vec<_>>()))
}

/// Reveal who is behind an anonymous skill's entry codes (organisers), once every mark of the
/// skill is locked. Audited; experts then see the entries' delegations.
#[utoipa::path(tag = "registration", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 204),
    problems::Scoped,
    (status = 409, description = "Not anonymous, already revealed, or marks not all locked", body = Problem, content_type = "application/problem+json"),
))]
#[post("/skills/{id}/reveal")]
pub async fn reveal_identities(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    state.db(move |conn| crate::service::marks::reveal(conn, &roles, &id, &ctx)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Upload a competitor's photo, JPEG or PNG up to 2 MiB, as the body (organisers, the team leader).
#[utoipa::path(put, path = "/competitors/{id}/photo", tag = "registration", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)),
    request_body(content((inline(super::FileBytes) = "image/jpeg"), (inline(super::FileBytes) = "image/png")), description = "The photo's bytes (a JPEG or PNG file, up to 2 MiB)"),
    responses(
        (status = 204),
        problems::Scoped,
        problems::Conflict,
        problems::PayloadTooLarge,
        (status = 415, description = "Not a JPEG or PNG image", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn upload_photo(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<CompetitorId>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let bytes = super::imports::read_limited(payload, svc::MAX_PHOTO_BYTES).await?;
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    state.db(move |conn| svc::set_photo(conn, &roles, &id, &bytes, &ctx)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A competitor's photo (hidden from experts of an anonymous skill until the reveal).
#[utoipa::path(get, path = "/competitors/{id}/photo", tag = "registration", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, description = "The image", content_type = "image/jpeg"),
    problems::NotFound,
))]
pub async fn get_photo(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<CompetitorId>,
) -> ApiResult<HttpResponse> {
    let (content_type, bytes) = super::read_by_id(&state, &caller, id, svc::photo).await?;
    Ok(HttpResponse::Ok().content_type(content_type).insert_header(("cache-control", "private, no-cache")).body(bytes))
}
