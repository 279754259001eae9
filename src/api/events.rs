//! `/api/v1/events` with their skills and delegations: organisers set an event up.

use actix_web::{get, post, put, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Validator;
use crate::auth::Authenticated;
use crate::db::models::{DelegationRow, EventRow, SkillRow};
use crate::domain::event::{plausible_date, Calendar, EventStatus};
use crate::domain::ids::{DelegationId, EventId, SkillId};
use crate::domain::lifecycle::{self, Operation, Phase, Refusal};
use crate::domain::registration::{self as rules, DelegationKind, JudgementMode};
use crate::domain::role::Role;
use crate::error::{problems, ApiError, ApiResult, Problem};
use crate::service::access::{self, Access};
use crate::service::events::{self as svc, DelegationFields, EventFields, SkillFields};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_events)
        .service(create_event)
        .service(get_event)
        .service(update_event)
        .service(change_status)
        .service(list_skills)
        .service(create_skill)
        .service(update_skill)
        .service(skill_lifecycle)
        .service(list_delegations)
        .service(create_delegation)
        .service(update_delegation);
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CompetitionDay {
    /// `C-4` … `C-1`, `C1` … `C4`, `C+1`.
    pub label: String,
    pub date: NaiveDate,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Event {
    pub id: uuid::Uuid,
    pub name: String,
    pub venue: String,
    /// IANA time zone of the venue, e.g. `Asia/Shanghai`.
    pub time_zone: String,
    /// The first competition day (C1).
    pub c1_date: NaiveDate,
    pub competition_days: i32,
    /// Every day of the event's calendar with its date.
    pub days: Vec<CompetitionDay>,
    pub registration_deadline: DateTime<Utc>,
    pub status: EventStatus,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Event {
    pub fn from_row(r: &EventRow) -> Self {
        let c1 = r.c1_date;
        let days = Calendar::new(c1, r.competition_days)
            .map(|c| c.days().into_iter().map(|(label, date)| CompetitionDay { label, date }).collect())
            .unwrap_or_default();
        Self {
            id: r.id.uuid(),
            name: r.name.clone(),
            venue: r.venue.clone(),
            time_zone: r.time_zone.clone(),
            c1_date: c1,
            competition_days: r.competition_days,
            days,
            registration_deadline: r.registration_deadline.and_utc(),
            status: r.status,
            version: r.version,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventRequest {
    pub name: String,
    #[serde(default)]
    pub venue: String,
    /// Default `Asia/Shanghai`.
    pub time_zone: Option<String>,
    /// `YYYY-MM-DD`.
    pub c1_date: String,
    /// 1–4, default 4.
    pub competition_days: Option<i32>,
    pub registration_deadline: DateTime<Utc>,
    /// Required when replacing an event: the version the change is based on.
    pub version: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    pub status: EventStatus,
    pub version: i32,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Skill {
    pub id: uuid::Uuid,
    pub event_id: uuid::Uuid,
    pub number: String,
    pub name_zh: String,
    pub name_en: String,
    pub sector: String,
    pub age_limit: i32,
    pub team_size: i32,
    pub max_entries_per_delegation: i32,
    pub judgement_mode: JudgementMode,
    pub max_spread: i32,
    pub anonymous: bool,
    pub workstation_count: i32,
    pub version: i32,
}

impl Skill {
    pub fn from_row(r: &SkillRow) -> Self {
        Self {
            id: r.id.uuid(),
            event_id: r.event_id.uuid(),
            number: r.number.clone(),
            name_zh: r.name_zh.clone(),
            name_en: r.name_en.clone(),
            sector: r.sector.clone(),
            age_limit: r.age_limit,
            team_size: r.team_size,
            max_entries_per_delegation: r.max_entries_per_delegation,
            judgement_mode: r.judgement_mode,
            max_spread: r.max_spread,
            anonymous: r.anonymous,
            workstation_count: r.workstation_count,
            version: r.version,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkillRequest {
    /// 1–4 letters or digits (`17`, `09`, `D2`); unique in the event.
    pub number: String,
    pub name_zh: String,
    pub name_en: String,
    #[serde(default)]
    pub sector: String,
    /// Default 22.
    pub age_limit: Option<i32>,
    /// 1 (individual), 2 or 3 (team); default 1.
    pub team_size: Option<i32>,
    /// Default 1.
    pub max_entries_per_delegation: Option<i32>,
    /// Default `three_judges`.
    pub judgement_mode: Option<JudgementMode>,
    /// Largest allowed difference between judges' scores; default 1.
    pub max_spread: Option<i32>,
    #[serde(default)]
    pub anonymous: bool,
    /// Default 1.
    pub workstation_count: Option<i32>,
    /// Required when replacing a skill.
    pub version: Option<i32>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Delegation {
    pub id: uuid::Uuid,
    pub event_id: uuid::Uuid,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: DelegationKind,
    /// Contact details are shown to the event's organisers only.
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub version: i32,
}

impl Delegation {
    pub fn from_row(r: &DelegationRow, with_contact: bool) -> Self {
        let contact = |v: &Option<String>| if with_contact { v.clone() } else { None };
        Self {
            id: r.id.uuid(),
            event_id: r.event_id.uuid(),
            code: r.code.clone(),
            name_zh: r.name_zh.clone(),
            name_en: r.name_en.clone(),
            kind: r.kind,
            contact_name: contact(&r.contact_name),
            contact_email: contact(&r.contact_email),
            contact_phone: contact(&r.contact_phone),
            version: r.version,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DelegationRequest {
    /// 2–10 letters, digits or `-`; unique in the event.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// `region` (default), `industry`, `country` or `other`.
    pub kind: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    /// Required when replacing a delegation.
    pub version: Option<i32>,
}

fn text(v: &mut Validator, field: &str, raw: &str, required: bool, max: usize) -> String {
    let s = raw.trim().to_string();
    if required && s.is_empty() {
        v.check::<(), _>(field, Err("is required"));
    } else if s.chars().count() > max {
        v.check::<(), _>(field, Err(format!("is longer than {max} characters")));
    } else if s.chars().any(char::is_control) {
        v.check::<(), _>(field, Err("contains control characters"));
    }
    s
}

fn version_of(v: &mut Validator, version: Option<i32>) -> i32 {
    v.check("version", version.ok_or("is required when replacing")).unwrap_or_default()
}

pub(crate) fn event_fields(body: EventRequest, v: &mut Validator) -> EventFields {
    let name = text(v, "name", &body.name, true, 200);
    let venue = text(v, "venue", &body.venue, false, 200);
    let time_zone = body.time_zone.unwrap_or_else(|| "Asia/Shanghai".into()).trim().to_string();
    let tz_ok = time_zone == "UTC"
        || (time_zone.contains('/')
            && time_zone.len() <= 64
            && time_zone.chars().all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c)));
    if !tz_ok {
        v.check::<(), _>("time_zone", Err("must be an IANA time zone such as Asia/Shanghai"));
    }
    let c1 = v.check(
        "c1_date",
        NaiveDate::parse_from_str(body.c1_date.trim(), "%Y-%m-%d")
            .map_err(|_| "must be a date as YYYY-MM-DD")
            .and_then(plausible_date),
    );
    v.check("registration_deadline", plausible_date(body.registration_deadline.date_naive()));
    let days = body.competition_days.unwrap_or(4);
    v.check("competition_days", Calendar::new(c1.unwrap_or_default(), days));
    EventFields {
        name,
        venue,
        time_zone,
        c1_date: c1.unwrap_or_default(),
        competition_days: days,
        registration_deadline: body.registration_deadline.naive_utc(),
    }
}

fn skill_fields(body: SkillRequest, v: &mut Validator) -> SkillFields {
    SkillFields {
        number: v.check("number", rules::skill_number(&body.number)).unwrap_or_default(),
        name_zh: text(v, "name_zh", &body.name_zh, true, 100),
        name_en: text(v, "name_en", &body.name_en, true, 100),
        sector: text(v, "sector", &body.sector, false, 100),
        age_limit: v.check("age_limit", rules::age_limit(body.age_limit.unwrap_or(22))).unwrap_or_default(),
        team_size: v.check("team_size", rules::team_size(body.team_size.unwrap_or(1))).unwrap_or_default(),
        max_entries_per_delegation: v
            .check(
                "max_entries_per_delegation",
                rules::max_entries_per_delegation(body.max_entries_per_delegation.unwrap_or(1)),
            )
            .unwrap_or_default(),
        judgement_mode: body.judgement_mode.unwrap_or(JudgementMode::ThreeJudges),
        max_spread: v.check("max_spread", rules::max_spread(body.max_spread.unwrap_or(1))).unwrap_or_default(),
        anonymous: body.anonymous,
        workstation_count: v
            .check("workstation_count", rules::workstation_count(body.workstation_count.unwrap_or(1)))
            .unwrap_or_default(),
    }
}

fn delegation_fields(body: DelegationRequest, v: &mut Validator) -> DelegationFields {
    let kind = match body.kind {
        None => DelegationKind::Region,
        Some(raw) => v
            .check("kind", raw.parse().map_err(|_| "must be region, industry, country or other"))
            .unwrap_or(DelegationKind::Other),
    };
    let opt = |v: &mut Validator, field: &str, raw: Option<String>| {
        raw.map(|s| text(v, field, &s, false, 200)).filter(|s| !s.is_empty())
    };
    let contact_email = opt(v, "contact_email", body.contact_email);
    if let Some(e) = &contact_email {
        v.check("contact_email", crate::domain::account::Email::parse(e));
    }
    DelegationFields {
        code: v.check("code", rules::delegation_code(&body.code)).unwrap_or_default(),
        name_zh: text(v, "name_zh", &body.name_zh, true, 100),
        name_en: text(v, "name_en", &body.name_en, true, 100),
        kind,
        contact_name: opt(v, "contact_name", body.contact_name),
        contact_email: contact_email.map(|e| e.to_lowercase()),
        contact_phone: opt(v, "contact_phone", body.contact_phone),
    }
}

/// Events the caller may see (all, for administrators).
#[utoipa::path(tag = "events", security(("bearer" = [])), responses(
    (status = 200, body = Vec<Event>),
    problems::Unauthorized,
))]
#[get("/events")]
pub async fn list_events(state: web::Data<AppState>, caller: Authenticated) -> ApiResult<HttpResponse> {
    let roles = caller.grants.clone();
    let rows = state
        .db(move |conn| {
            let only = access::visible_event_ids(conn, &roles)?;
            Ok(crate::repo::events::list_events(conn, only.as_deref())?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(Event::from_row).collect::<Vec<_>>()))
}

/// Create an event (administrators, and organisers of another event, who become its organiser);
/// it starts in `setup`.
#[utoipa::path(tag = "events", security(("bearer" = [])), request_body = EventRequest, responses(
    (status = 201, body = Event),
    problems::Forbidden,
    problems::Unprocessable,
))]
#[post("/events")]
pub async fn create_event(
    state: web::Data<AppState>,
    caller: Authenticated,
    body: web::Json<EventRequest>,
) -> ApiResult<HttpResponse> {
    // Administrators, and organisers of an event (who then organise the new one too).
    let creator = if caller.is_admin() {
        None
    } else if caller.has(Role::Organiser) {
        Some(caller.user.id.clone())
    } else {
        return Err(ApiError::forbidden());
    };
    let mut v = Validator::default();
    let fields = event_fields(body.into_inner(), &mut v);
    v.finish()?;
    let ctx = caller.audit();
    let row = state.db(move |conn| svc::create_event(conn, fields, creator.as_ref(), &ctx)).await?;
    Ok(HttpResponse::Created().json(Event::from_row(&row)))
}

/// One event, for anyone holding a role in it.
#[utoipa::path(tag = "events", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = Event),
    problems::NotFound,
))]
#[get("/events/{id}")]
pub async fn get_event(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
) -> ApiResult<HttpResponse> {
    let row =
        super::read_by_id(&state, &caller, id, |conn, roles, id| access::event_for(conn, roles, id, Access::View))
            .await?;
    Ok(HttpResponse::Ok().json(Event::from_row(&row)))
}

/// Replace an event's settings (its organisers); `version` must be current.
#[utoipa::path(tag = "events", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = EventRequest, responses(
    (status = 200, body = Event),
    problems::ScopedChange,
))]
#[put("/events/{id}")]
pub async fn update_event(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
    body: web::Json<EventRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let body = body.into_inner();
    let mut v = Validator::default();
    let version = version_of(&mut v, body.version);
    let fields = event_fields(body, &mut v);
    v.finish()?;
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let row =
        state.db(move |conn| svc::update_event(conn, &roles, &id, version, fields, &ctx, Event::from_row)).await?;
    Ok(HttpResponse::Ok().json(Event::from_row(&row)))
}

/// Move an event to its next status (its organisers): setup → registration → competition →
/// marking_closed → results_published → final.
#[utoipa::path(tag = "events", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = StatusRequest, responses(
    (status = 200, body = Event),
    problems::Scoped,
    (status = 409, description = "Not the next status (`invalid_transition`) or stale version", body = Problem, content_type = "application/problem+json"),
))]
#[post("/events/{id}/status")]
pub async fn change_status(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
    body: web::Json<StatusRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let StatusRequest { status, version } = body.into_inner();
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let row = state.db(move |conn| svc::transition(conn, &roles, &id, version, status, &ctx, Event::from_row)).await?;
    Ok(HttpResponse::Ok().json(Event::from_row(&row)))
}

/// The event's skills, by number.
#[utoipa::path(tag = "events", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = Vec<Skill>),
    problems::NotFound,
))]
#[get("/events/{id}/skills")]
pub async fn list_skills(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
) -> ApiResult<HttpResponse> {
    let rows = super::read_by_id(&state, &caller, id, |conn, roles, id| {
        access::event_for(conn, roles, id, Access::View)?;
        Ok(crate::repo::events::skills_of(conn, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(Skill::from_row).collect::<Vec<_>>()))
}

/// Add a skill (its organisers, while the event is in setup or registration).
#[utoipa::path(tag = "events", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = SkillRequest, responses(
    (status = 201, body = Skill),
    problems::Scoped,
    problems::Unprocessable,
    (status = 409, description = "Number taken or event past registration", body = Problem, content_type = "application/problem+json"),
))]
#[post("/events/{id}/skills")]
pub async fn create_skill(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
    body: web::Json<SkillRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let mut v = Validator::default();
    let fields = skill_fields(body.into_inner(), &mut v);
    v.finish()?;
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let row = state.db(move |conn| svc::create_skill(conn, &roles, &id, fields, &ctx)).await?;
    Ok(HttpResponse::Created().json(Skill::from_row(&row)))
}

/// Replace a skill's settings (its event's organisers); `version` must be current.
#[utoipa::path(tag = "events", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = SkillRequest, responses(
    (status = 200, body = Skill),
    problems::ScopedChange,
))]
#[put("/skills/{id}")]
pub async fn update_skill(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
    body: web::Json<SkillRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let body = body.into_inner();
    let mut v = Validator::default();
    let version = version_of(&mut v, body.version);
    let fields = skill_fields(body, &mut v);
    v.finish()?;
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let row =
        state.db(move |conn| svc::update_skill(conn, &roles, &id, version, fields, &ctx, Skill::from_row)).await?;
    Ok(HttpResponse::Ok().json(Skill::from_row(&row)))
}

/// Where a skill is in its life and what the lifecycle refuses now (see `domain::lifecycle`).
#[derive(Debug, Serialize, ToSchema)]
pub struct SkillLifecycle {
    pub phase: Phase,
    /// Operations the lifecycle refuses in this phase, each with the code its refusal carries.
    pub refused: Vec<RefusedOperation>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RefusedOperation {
    pub operation: Operation,
    pub code: Refusal,
}

/// Where the skill is in its life (unmarked, marking, ratified, released to experts, to
/// delegations, public, final, reopened) and which changes that refuses: once the skill has
/// marks its judgement mode, max spread, anonymity, team size and scheme are fixed; once
/// ratified its entries, competitors, experts, groups, scheme and marks change only through an
/// upheld dispute, which reopens it. Anyone in the event may read it.
#[utoipa::path(tag = "events", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = SkillLifecycle),
    problems::NotFound,
))]
#[get("/skills/{id}/lifecycle")]
pub async fn skill_lifecycle(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<SkillId>,
) -> ApiResult<HttpResponse> {
    let phase = super::read_by_id(&state, &caller, id, access::visible_phase).await?;
    let refused = lifecycle::refused_in(phase)
        .into_iter()
        .map(|(operation, code)| RefusedOperation { operation, code })
        .collect();
    Ok(HttpResponse::Ok().json(SkillLifecycle { phase, refused }))
}

/// The event's delegations, by code (contact details for organisers only).
#[utoipa::path(tag = "events", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), responses(
    (status = 200, body = Vec<Delegation>),
    problems::NotFound,
))]
#[get("/events/{id}/delegations")]
pub async fn list_delegations(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
) -> ApiResult<HttpResponse> {
    let (rows, manage) = super::read_by_id(&state, &caller, id, |conn, roles, id| {
        access::event_for(conn, roles, id, Access::View)?;
        let manage = access::access(conn, roles, id)? == Access::Manage;
        Ok((crate::repo::events::delegations_of(conn, id)?, manage))
    })
    .await?;
    Ok(HttpResponse::Ok().json(rows.iter().map(|r| Delegation::from_row(r, manage)).collect::<Vec<_>>()))
}

/// Add a delegation (its organisers, while the event is in setup or registration).
#[utoipa::path(tag = "events", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = DelegationRequest, responses(
    (status = 201, body = Delegation),
    problems::ScopedChange,
))]
#[post("/events/{id}/delegations")]
pub async fn create_delegation(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<EventId>,
    body: web::Json<DelegationRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let mut v = Validator::default();
    let fields = delegation_fields(body.into_inner(), &mut v);
    v.finish()?;
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let row = state.db(move |conn| svc::create_delegation(conn, &roles, &id, fields, &ctx)).await?;
    Ok(HttpResponse::Created().json(Delegation::from_row(&row, true)))
}

/// Replace a delegation's details (its event's organisers); `version` must be current.
#[utoipa::path(tag = "events", security(("bearer" = [])), params(("id" = uuid::Uuid, Path)), request_body = DelegationRequest, responses(
    (status = 200, body = Delegation),
    problems::ScopedChange,
))]
#[put("/delegations/{id}")]
pub async fn update_delegation(
    state: web::Data<AppState>,
    caller: Authenticated,
    id: web::Path<DelegationId>,
    body: web::Json<DelegationRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let body = body.into_inner();
    let mut v = Validator::default();
    let version = version_of(&mut v, body.version);
    let fields = delegation_fields(body, &mut v);
    v.finish()?;
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let row = state
        .db(move |conn| {
            svc::update_delegation(conn, &roles, &id, version, fields, &ctx, |r| Delegation::from_row(r, true))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Delegation::from_row(&row, true)))
}
