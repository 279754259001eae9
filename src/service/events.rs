//! Setting up an event: the event itself, its status, its skills and delegations. Who may see or
//! change them is decided by `service::access`.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::json;

use crate::db::models::{new_id, now, DelegationRow, EventRow, RoleRow, SkillRow};
use crate::db::{write_tx, DbConn};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::event::EventStatus;
use crate::domain::ids::{DelegationId, EventId, SkillId, TargetId, UserId};
use crate::domain::lifecycle::Operation;
use crate::domain::registration::{DelegationKind, JudgementMode};
use crate::domain::role::Grants;
use crate::domain::role::Role;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::repo;
use crate::repo::audit::{AuditContext, Change};
use crate::service::access::{event_for, permit, Access};

fn audit(
    conn: &mut DbConn,
    ctx: &AuditContext,
    action: AuditAction,
    (kind, id): (AuditTarget, impl Into<TargetId>),
    event_id: &EventId,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> ApiResult<()> {
    repo::audit::record(
        conn,
        ctx,
        Change { action, target_type: kind, target_id: Some(id.into()), event_id: Some(event_id), before, after },
    )?;
    Ok(())
}

fn conflict<T: Serialize>(what: &str, current: &T) -> ApiError {
    ApiError::Conflict {
        code: ErrorCode::VersionConflict,
        detail: format!("the {what} was changed meanwhile; review the current state and retry"),
        current: serde_json::to_value(current).ok(),
    }
}

fn configurable(event: &EventRow) -> ApiResult<()> {
    match event.status {
        s if s.allows_configuration() => Ok(()),
        _ => Err(ApiError::Conflict {
            code: ErrorCode::EventNotConfigurable,
            detail: format!("skills and delegations can no longer change: the event is in {}", event.status),
            current: None,
        }),
    }
}

/// The event a skill or delegation belongs to, when the caller manages it and it can still
/// change; an event the caller cannot see makes the child "not found".
fn configurable_event_of(
    conn: &mut DbConn,
    roles: &Grants,
    event_id: &EventId,
    what: &'static str,
) -> ApiResult<EventRow> {
    let event = event_for(conn, roles, event_id, Access::Manage).map_err(|e| match e {
        ApiError::NotFound { .. } => ApiError::NotFound { what },
        other => other,
    })?;
    configurable(&event)?;
    Ok(event)
}

fn taken(err: ApiError, code: ErrorCode, detail: String) -> ApiError {
    match err {
        ApiError::Conflict { code: ErrorCode::AlreadyExists, .. } => ApiError::Conflict { code, detail, current: None },
        other => other,
    }
}

/// Fields of an event as validated by the handler.
pub struct EventFields {
    pub name: String,
    pub venue: String,
    pub time_zone: String,
    pub c1_date: NaiveDate,
    pub competition_days: i32,
    pub registration_deadline: NaiveDateTime,
}

/// Creates an event in `setup`; an organiser who creates one (`organiser`: their user id) is made
/// its organiser in the same transaction.
pub fn create_event(
    conn: &mut DbConn,
    f: EventFields,
    organiser: Option<&UserId>,
    ctx: &AuditContext,
) -> ApiResult<EventRow> {
    write_tx(conn, |conn| {
        let at = now();
        let row = EventRow {
            id: new_id(),
            name: f.name,
            venue: f.venue,
            time_zone: f.time_zone,
            c1_date: f.c1_date,
            competition_days: f.competition_days,
            registration_deadline: f.registration_deadline,
            status: EventStatus::Setup,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        repo::events::insert_event(conn, &row)?;
        audit(
            conn,
            ctx,
            AuditAction::EventCreated,
            (AuditTarget::Event, &row.id),
            &row.id,
            None,
            Some(json!({"name": row.name})),
        )?;
        if let Some(user_id) = organiser {
            let role = RoleRow {
                id: new_id(),
                user_id: user_id.clone(),
                role: Role::Organiser,
                scope_id: Some((&row.id).into()),
                delegation_id: None,
                created_at: at,
            };
            repo::users::insert_role(conn, &role)?;
            audit(
                conn,
                ctx,
                AuditAction::UserRoleGranted,
                (AuditTarget::User, user_id),
                &row.id,
                None,
                Some(json!({"role": role.role, "scope_id": role.scope_id})),
            )?;
        }
        Ok(row)
    })
}

pub fn update_event<C: Serialize>(
    conn: &mut DbConn,
    roles: &Grants,
    id: &EventId,
    version: i32,
    f: EventFields,
    ctx: &AuditContext,
    dto: impl Fn(&EventRow) -> C,
) -> ApiResult<EventRow> {
    write_tx(conn, |conn| {
        let before = event_for(conn, roles, id, Access::Manage)?;
        if before.version != version {
            return Err(conflict("event", &dto(&before)));
        }
        let row = EventRow {
            name: f.name,
            venue: f.venue,
            time_zone: f.time_zone,
            c1_date: f.c1_date,
            competition_days: f.competition_days,
            registration_deadline: f.registration_deadline,
            version: version + 1,
            updated_at: now(),
            ..before.clone()
        };
        repo::events::update_event(conn, &row, version)?;
        audit(
            conn,
            ctx,
            AuditAction::EventUpdated,
            (AuditTarget::Event, id),
            id,
            serde_json::to_value(dto(&before)).ok(),
            serde_json::to_value(dto(&row)).ok(),
        )?;
        Ok(row)
    })
}

pub fn transition<C: Serialize>(
    conn: &mut DbConn,
    roles: &Grants,
    id: &EventId,
    version: i32,
    to: EventStatus,
    ctx: &AuditContext,
    dto: impl Fn(&EventRow) -> C,
) -> ApiResult<EventRow> {
    write_tx(conn, |conn| {
        let before = event_for(conn, roles, id, Access::Manage)?;
        if before.version != version {
            return Err(conflict("event", &dto(&before)));
        }
        let from = before.status;
        from.transition(to).map_err(|detail| ApiError::Conflict {
            code: ErrorCode::InvalidTransition,
            detail,
            current: None,
        })?;
        let row = EventRow { status: to, version: version + 1, updated_at: now(), ..before.clone() };
        repo::events::update_event(conn, &row, version)?;
        audit(
            conn,
            ctx,
            AuditAction::EventStatusChanged,
            (AuditTarget::Event, id),
            id,
            Some(json!({"status": from.as_str()})),
            Some(json!({"status": to.as_str()})),
        )?;
        Ok(row)
    })
}

/// A skill's settings as validated by the handler (`number` normalised).
pub struct SkillFields {
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
}

pub fn create_skill(
    conn: &mut DbConn,
    roles: &Grants,
    event_id: &EventId,
    f: SkillFields,
    ctx: &AuditContext,
) -> ApiResult<SkillRow> {
    let number = f.number.clone();
    write_tx(conn, |conn| {
        let event = event_for(conn, roles, event_id, Access::Manage)?;
        configurable(&event)?;
        let at = now();
        let row = SkillRow {
            id: new_id(),
            event_id: event.id.clone(),
            number: f.number,
            name_zh: f.name_zh,
            name_en: f.name_en,
            sector: f.sector,
            age_limit: f.age_limit,
            team_size: f.team_size,
            max_entries_per_delegation: f.max_entries_per_delegation,
            judgement_mode: f.judgement_mode,
            max_spread: f.max_spread,
            anonymous: f.anonymous,
            workstation_count: f.workstation_count,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        repo::events::insert_skill(conn, &row)?;
        audit(
            conn,
            ctx,
            AuditAction::SkillCreated,
            (AuditTarget::Skill, &row.id),
            &event.id,
            None,
            Some(json!({"number": row.number, "name_en": row.name_en})),
        )?;
        Ok(row)
    })
    .map_err(|e| taken(e, ErrorCode::SkillNumberTaken, format!("skill {number} exists already in this event")))
}

pub fn update_skill<C: Serialize>(
    conn: &mut DbConn,
    roles: &Grants,
    id: &SkillId,
    version: i32,
    f: SkillFields,
    ctx: &AuditContext,
    dto: impl Fn(&SkillRow) -> C,
) -> ApiResult<SkillRow> {
    let number = f.number.clone();
    write_tx(conn, |conn| {
        let before = repo::events::find_skill(conn, id)?.ok_or(ApiError::NotFound { what: "skill" })?;
        let event = configurable_event_of(conn, roles, &before.event_id, "skill")?;
        for operation in skill_changes(&before, &f) {
            permit(conn, operation, &before)?;
        }
        if before.version != version {
            return Err(conflict("skill", &dto(&before)));
        }
        let row = SkillRow {
            number: f.number,
            name_zh: f.name_zh,
            name_en: f.name_en,
            sector: f.sector,
            age_limit: f.age_limit,
            team_size: f.team_size,
            max_entries_per_delegation: f.max_entries_per_delegation,
            judgement_mode: f.judgement_mode,
            max_spread: f.max_spread,
            anonymous: f.anonymous,
            workstation_count: f.workstation_count,
            version: version + 1,
            updated_at: now(),
            ..before.clone()
        };
        repo::events::update_skill(conn, &row, version)?;
        audit(
            conn,
            ctx,
            AuditAction::SkillUpdated,
            (AuditTarget::Skill, id),
            &event.id,
            serde_json::to_value(dto(&before)).ok(),
            serde_json::to_value(dto(&row)).ok(),
        )?;
        Ok(row)
    })
    .map_err(|e| taken(e, ErrorCode::SkillNumberTaken, format!("skill {number} exists already in this event")))
}

/// Which kinds of change `f` makes to a skill, most consequential first: how it is marked,
/// how it is registered, what it is called. Each is its own row of the lifecycle table.
fn skill_changes(before: &SkillRow, f: &SkillFields) -> Vec<Operation> {
    let marking = before.judgement_mode != f.judgement_mode
        || before.max_spread != f.max_spread
        || before.anonymous != f.anonymous
        || before.team_size != f.team_size;
    let registration = before.number != f.number
        || before.age_limit != f.age_limit
        || before.max_entries_per_delegation != f.max_entries_per_delegation
        || before.workstation_count != f.workstation_count;
    let names = before.name_zh != f.name_zh || before.name_en != f.name_en || before.sector != f.sector;
    [
        (marking, Operation::EditSkillMarking),
        (registration, Operation::EditSkillRegistration),
        (names, Operation::EditSkillNames),
    ]
    .into_iter()
    .filter_map(|(changed, op)| changed.then_some(op))
    .collect()
}

pub struct DelegationFields {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: DelegationKind,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
}

pub fn create_delegation(
    conn: &mut DbConn,
    roles: &Grants,
    event_id: &EventId,
    f: DelegationFields,
    ctx: &AuditContext,
) -> ApiResult<DelegationRow> {
    let code = f.code.clone();
    write_tx(conn, |conn| {
        let event = event_for(conn, roles, event_id, Access::Manage)?;
        configurable(&event)?;
        let at = now();
        let row = DelegationRow {
            id: new_id(),
            event_id: event.id.clone(),
            code: f.code,
            name_zh: f.name_zh,
            name_en: f.name_en,
            kind: f.kind,
            contact_name: f.contact_name,
            contact_email: f.contact_email,
            contact_phone: f.contact_phone,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        repo::events::insert_delegation(conn, &row)?;
        audit(
            conn,
            ctx,
            AuditAction::DelegationCreated,
            (AuditTarget::Delegation, &row.id),
            &event.id,
            None,
            Some(json!({"code": row.code})),
        )?;
        Ok(row)
    })
    .map_err(|e| taken(e, ErrorCode::DelegationCodeTaken, format!("delegation {code} exists already in this event")))
}

pub fn update_delegation<C: Serialize>(
    conn: &mut DbConn,
    roles: &Grants,
    id: &DelegationId,
    version: i32,
    f: DelegationFields,
    ctx: &AuditContext,
    dto: impl Fn(&DelegationRow) -> C,
) -> ApiResult<DelegationRow> {
    let code = f.code.clone();
    write_tx(conn, |conn| {
        let before = repo::events::find_delegation(conn, id)?.ok_or(ApiError::NotFound { what: "delegation" })?;
        let event = configurable_event_of(conn, roles, &before.event_id, "delegation")?;
        if before.version != version {
            return Err(conflict("delegation", &dto(&before)));
        }
        let row = DelegationRow {
            code: f.code,
            name_zh: f.name_zh,
            name_en: f.name_en,
            kind: f.kind,
            contact_name: f.contact_name,
            contact_email: f.contact_email,
            contact_phone: f.contact_phone,
            version: version + 1,
            updated_at: now(),
            ..before.clone()
        };
        repo::events::update_delegation(conn, &row, version)?;
        audit(
            conn,
            ctx,
            AuditAction::DelegationUpdated,
            (AuditTarget::Delegation, id),
            &event.id,
            serde_json::to_value(dto(&before)).ok(),
            serde_json::to_value(dto(&row)).ok(),
        )?;
        Ok(row)
    })
    .map_err(|e| taken(e, ErrorCode::DelegationCodeTaken, format!("delegation {code} exists already in this event")))
}
