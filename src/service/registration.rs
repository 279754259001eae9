//! Registration: entries, competitors, experts and the workstation draw. Organisers may change
//! registrations while the event is in setup or registration; team leaders only for their own
//! delegation, during registration and before the deadline.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde_json::json;

use crate::db::models::{
    new_id, now, CompetitorRow, DelegationRow, DrawRow, EntryRow, EventRow, ExpertRow, SkillRow, StoredDraw,
};
use crate::db::{write_tx, DbConn};
use crate::domain::account::{DisplayName, Email, Locale};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::draw;
use crate::domain::event::{Calendar, EventStatus};
use crate::domain::ids::{CompetitorId, DelegationId, EntryId, EventId, SkillId};
use crate::domain::lifecycle::Operation;
use crate::domain::registration::{check_age, entry_transition, EntryStatus, ExpertPosition, Gender};
use crate::domain::role::{Grants, Role, RoleGrant};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::mail::Mail;
use crate::repo;
use crate::repo::audit::{AuditContext, Change};
use crate::service::access::{access, entry_view, hides_identities, permit, Access, EntryView, Rights};

fn not_found(what: &'static str) -> ApiError {
    ApiError::NotFound { what }
}

fn event_of(conn: &mut DbConn, id: &EventId) -> ApiResult<EventRow> {
    repo::events::find_event(conn, id)?.ok_or(not_found("event"))
}

/// Whether registrations of `delegation_id` may change now for these rights.
fn may_change(rights: &Rights, event: &EventRow, delegation_id: &DelegationId) -> ApiResult<()> {
    let status = event.status;
    if rights.manage {
        return if status.allows_configuration() {
            Ok(())
        } else {
            Err(ApiError::Conflict {
                code: ErrorCode::RegistrationClosed,
                detail: format!("registrations cannot change: the event is in {}", event.status),
                current: None,
            })
        };
    }
    if !rights.leads(delegation_id) {
        return Err(ApiError::forbidden());
    }
    if status != EventStatus::Registration || now() > event.registration_deadline {
        return Err(ApiError::Conflict {
            code: ErrorCode::RegistrationClosed,
            detail: "registration is closed; ask the organisers for changes".into(),
            current: None,
        });
    }
    Ok(())
}

pub fn create_entry(
    conn: &mut DbConn,
    roles: &Grants,
    event_id: &EventId,
    skill_id: &SkillId,
    delegation_id: &DelegationId,
    ctx: &AuditContext,
) -> ApiResult<EntryRow> {
    write_tx(conn, |conn| {
        let rights = Rights::of(conn, roles, event_id)?;
        if !rights.registers() {
            return Err(not_found("event"));
        }
        let event = event_of(conn, event_id)?;
        let skill = repo::events::find_skill(conn, skill_id)?
            .filter(|s| s.event_id == event.id)
            .ok_or_else(|| ApiError::validation("skill_id", "is not a skill of this event"))?;
        repo::events::find_delegation(conn, delegation_id)?
            .filter(|d| d.event_id == event.id)
            .ok_or_else(|| ApiError::validation("delegation_id", "is not a delegation of this event"))?;
        may_change(&rights, &event, delegation_id)?;
        permit(conn, Operation::CreateEntry, &skill)?;
        let active = repo::registration::count_active_entries(conn, skill_id, delegation_id)?;
        if active >= i64::from(skill.max_entries_per_delegation) {
            return Err(ApiError::Conflict {
                code: ErrorCode::MaxEntriesReached,
                detail: format!(
                    "a delegation may enter skill {} at most {} time(s)",
                    skill.number, skill.max_entries_per_delegation
                ),
                current: None,
            });
        }
        let at = now();
        let row = EntryRow {
            id: new_id(),
            event_id: event.id.clone(),
            skill_id: skill.id.clone(),
            delegation_id: delegation_id.clone(),
            status: EntryStatus::Registered,
            workstation: None,
            version: 1,
            created_at: at,
            updated_at: at,
            anon_code: None,
        };
        repo::registration::insert_entry(conn, &row)?;
        repo::audit::record(
            conn,
            ctx,
            Change::in_event(
                AuditAction::EntryCreated,
                (AuditTarget::Entry, &row.id),
                &event.id,
                json!({"skill": skill.number, "delegation_id": delegation_id}),
            ),
        )?;
        Ok(row)
    })
}

pub fn set_entry_status(
    conn: &mut DbConn,
    roles: &Grants,
    entry_id: &EntryId,
    to: EntryStatus,
    version: i32,
    ctx: &AuditContext,
) -> ApiResult<EntryRow> {
    write_tx(conn, |conn| {
        let view = entry_view(conn, roles, entry_id)?;
        may_change(&view.rights, &view.event, &view.entry.delegation_id)?;
        permit(conn, Operation::ChangeEntryStatus, &view.skill)?;
        if view.entry.version != version {
            return Err(ApiError::Conflict {
                code: ErrorCode::VersionConflict,
                detail: "the entry was changed meanwhile".into(),
                current: Some(json!({"status": view.entry.status, "version": view.entry.version})),
            });
        }
        let from = view.entry.status;
        let members = repo::registration::count_competitors(conn, entry_id)? as usize;
        entry_transition(from, to, members, view.skill.team_size).map_err(|detail| ApiError::Conflict {
            code: ErrorCode::InvalidTransition,
            detail,
            current: None,
        })?;
        // Back from withdrawn (registered or confirmed): not past the delegation's maximum.
        if let Some(err) = max_entries_check(conn, &view, from)? {
            return Err(err);
        }
        // An entry of an anonymous skill gets its code when it is confirmed.
        let anon_code = match (&view.entry.anon_code, view.skill.anonymous && to == EntryStatus::Confirmed) {
            (None, true) => Some(unused_code(conn, &view.skill.id)?),
            (code, _) => code.clone(),
        };
        let row = EntryRow { status: to, version: version + 1, updated_at: now(), anon_code, ..view.entry.clone() };
        repo::registration::update_entry(conn, &row, version)?;
        repo::audit::record(
            conn,
            ctx,
            Change::in_event(
                AuditAction::EntryStatusChanged,
                (AuditTarget::Entry, entry_id),
                &view.event.id,
                json!({"from": from, "to": to}),
            ),
        )?;
        Ok(row)
    })
}

/// A code no other entry of the skill has.
fn unused_code(conn: &mut DbConn, skill_id: &SkillId) -> ApiResult<String> {
    let taken: HashSet<String> =
        repo::registration::entries_of_skill(conn, skill_id)?.into_iter().filter_map(|e| e.anon_code).collect();
    loop {
        let code = draw::entry_code(draw::new_seed());
        if !taken.contains(&code) {
            return Ok(code);
        }
    }
}

/// Reinstating a withdrawn entry must not exceed the delegation's entries for the skill.
fn max_entries_check(conn: &mut DbConn, view: &EntryView, from: EntryStatus) -> ApiResult<Option<ApiError>> {
    if from != EntryStatus::Withdrawn {
        return Ok(None);
    }
    let active = repo::registration::count_active_entries(conn, &view.skill.id, &view.entry.delegation_id)?;
    Ok((active >= i64::from(view.skill.max_entries_per_delegation)).then(|| ApiError::Conflict {
        code: ErrorCode::MaxEntriesReached,
        detail: "the delegation has its maximum of entries in this skill already".into(),
        current: None,
    }))
}

pub struct CompetitorFields {
    pub name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub id_number: String,
}

fn eligible(event: &EventRow, skill: &SkillRow, birth: NaiveDate) -> ApiResult<()> {
    let year = Calendar::new(event.c1_date, event.competition_days).map(|c| c.year()).unwrap_or_default();
    check_age(birth, year, skill.age_limit)
        .map_err(|m| ApiError::validation("birth_date", format!("the competitor {m}")))
}

fn id_taken(conn: &mut DbConn, event_id: &EventId, id_number: &str, except: Option<&CompetitorId>) -> ApiResult<()> {
    if let Some(other) = repo::registration::find_competitor_by_id_number(conn, event_id, id_number)? {
        if Some(&other.id) != except {
            return Err(ApiError::Conflict {
                code: ErrorCode::CompetitorAlreadyRegistered,
                detail:
                    "a competitor with this ID number is registered in this event already (one skill per competitor)"
                        .into(),
                current: None,
            });
        }
    }
    Ok(())
}

pub fn add_competitor(
    conn: &mut DbConn,
    roles: &Grants,
    entry_id: &EntryId,
    f: CompetitorFields,
    ctx: &AuditContext,
) -> ApiResult<CompetitorRow> {
    write_tx(conn, |conn| {
        let view = entry_view(conn, roles, entry_id)?;
        may_change(&view.rights, &view.event, &view.entry.delegation_id)?;
        permit(conn, Operation::ChangeCompetitors, &view.skill)?;
        if view.entry.status != EntryStatus::Registered {
            return Err(ApiError::Conflict {
                code: ErrorCode::EntryNotOpen,
                detail: format!(
                    "competitors can be added to a registered entry only; this one is {}",
                    view.entry.status
                ),
                current: None,
            });
        }
        let members = repo::registration::count_competitors(conn, entry_id)?;
        if members >= i64::from(view.skill.team_size) {
            return Err(ApiError::Conflict {
                code: ErrorCode::TeamFull,
                detail: format!(
                    "skill {} has teams of {}; this entry is full",
                    view.skill.number, view.skill.team_size
                ),
                current: None,
            });
        }
        eligible(&view.event, &view.skill, f.birth_date)?;
        id_taken(conn, &view.event.id, &f.id_number, None)?;
        let at = now();
        let row = CompetitorRow {
            id: new_id(),
            event_id: view.event.id.clone(),
            entry_id: entry_id.clone(),
            name: f.name,
            gender: f.gender,
            birth_date: f.birth_date,
            id_number: f.id_number,
            user_id: None,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        repo::registration::insert_competitor(conn, &row)?;
        repo::audit::record(
            conn,
            ctx,
            Change::in_event(
                AuditAction::CompetitorRegistered,
                (AuditTarget::Competitor, &row.id),
                &view.event.id,
                json!({"entry_id": entry_id, "name": row.name}),
            ),
        )?;
        Ok(row)
    })
}

pub fn update_competitor(
    conn: &mut DbConn,
    roles: &Grants,
    id: &CompetitorId,
    version: i32,
    f: CompetitorFields,
    ctx: &AuditContext,
) -> ApiResult<CompetitorRow> {
    write_tx(conn, |conn| {
        let before = repo::registration::find_competitor(conn, id)?.ok_or(not_found("competitor"))?;
        let view = entry_view(conn, roles, &before.entry_id).map_err(|_| not_found("competitor"))?;
        may_change(&view.rights, &view.event, &view.entry.delegation_id)?;
        permit(conn, Operation::ChangeCompetitors, &view.skill)?;
        if before.version != version {
            return Err(ApiError::Conflict {
                code: ErrorCode::VersionConflict,
                detail: "the competitor was changed meanwhile".into(),
                current: Some(json!({"name": before.name, "version": before.version})),
            });
        }
        eligible(&view.event, &view.skill, f.birth_date)?;
        id_taken(conn, &view.event.id, &f.id_number, Some(id))?;
        let row = CompetitorRow {
            name: f.name,
            gender: f.gender,
            birth_date: f.birth_date,
            id_number: f.id_number,
            version: version + 1,
            updated_at: now(),
            ..before.clone()
        };
        repo::registration::update_competitor(conn, &row, version)?;
        repo::audit::record(
            conn,
            ctx,
            Change::in_event(
                AuditAction::CompetitorUpdated,
                (AuditTarget::Competitor, id),
                &view.event.id,
                json!({"name": row.name}),
            ),
        )?;
        Ok(row)
    })
}

pub fn remove_competitor(conn: &mut DbConn, roles: &Grants, id: &CompetitorId, ctx: &AuditContext) -> ApiResult<()> {
    write_tx(conn, |conn| {
        let before = repo::registration::find_competitor(conn, id)?.ok_or(not_found("competitor"))?;
        let view = entry_view(conn, roles, &before.entry_id).map_err(|_| not_found("competitor"))?;
        may_change(&view.rights, &view.event, &view.entry.delegation_id)?;
        permit(conn, Operation::ChangeCompetitors, &view.skill)?;
        if view.entry.status == EntryStatus::Confirmed {
            return Err(ApiError::Conflict {
                code: ErrorCode::EntryConfirmed,
                detail: "set the entry back to registered before changing its team".into(),
                current: None,
            });
        }
        repo::registration::delete_competitor(conn, id)?;
        repo::audit::record(
            conn,
            ctx,
            Change::in_event(
                AuditAction::CompetitorRemoved,
                (AuditTarget::Competitor, id),
                &view.event.id,
                json!({"name": before.name}),
            ),
        )
        .map_err(ApiError::from)
    })
}

/// Gives a competitor an account for the competitor portal: an existing account is linked, a new
/// address is invited. The role is scoped to the competitor's entry.
pub fn invite_competitor(
    conn: &mut DbConn,
    roles: &Grants,
    id: &CompetitorId,
    email: &Email,
    locale: Locale,
    public_url: &str,
    ctx: &AuditContext,
) -> ApiResult<(CompetitorRow, Option<Mail>)> {
    write_tx(conn, |conn| {
        let before = repo::registration::find_competitor(conn, id)?.ok_or(not_found("competitor"))?;
        let view = entry_view(conn, roles, &before.entry_id).map_err(|_| not_found("competitor"))?;
        if !(view.rights.manage || view.rights.leads(&view.entry.delegation_id)) {
            return Err(ApiError::forbidden());
        }
        if before.user_id.is_some() {
            return Err(ApiError::Conflict {
                code: ErrorCode::AccountExists,
                detail: "this competitor has an account already".into(),
                current: None,
            });
        }
        let (user, mail) = match repo::users::find_by_email(conn, email.as_str())? {
            Some(user) => (user, None),
            None => {
                let name = DisplayName::parse(&before.name).map_err(|m| ApiError::validation("name", m))?;
                let new =
                    crate::service::users::NewUser { email: email.clone(), display_name: name, locale, roles: vec![] };
                let (user, _, mail) = crate::service::users::invite(conn, public_url, &new, ctx)?;
                (user, Some(mail))
            }
        };
        let grant = RoleGrant::new(Role::Competitor, Some((&before.entry_id).into()), None)
            .map_err(|(f, m)| ApiError::validation(f, m))?;
        crate::service::users::grant_role(conn, &user.id, &grant, ctx)?;
        let row = CompetitorRow {
            user_id: Some(user.id.clone()),
            version: before.version + 1,
            updated_at: now(),
            ..before.clone()
        };
        repo::registration::update_competitor(conn, &row, before.version)?;
        repo::audit::record(
            conn,
            ctx,
            Change::in_event(
                AuditAction::CompetitorAccountLinked,
                (AuditTarget::Competitor, id),
                &view.event.id,
                json!({"email": user.email}),
            ),
        )?;
        Ok((row, mail))
    })
}

/// The largest photo accepted.
pub const MAX_PHOTO_BYTES: usize = 2 * 1024 * 1024;

/// What a photo's first bytes say it is: JPEG or PNG only.
pub fn photo_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

/// Stores a competitor's photo (organisers, the team leader, while registrations may change).
pub fn set_photo(
    conn: &mut DbConn,
    roles: &Grants,
    id: &CompetitorId,
    bytes: &[u8],
    ctx: &AuditContext,
) -> ApiResult<()> {
    write_tx(conn, |conn| {
        let c = repo::registration::find_competitor(conn, id)?.ok_or(not_found("competitor"))?;
        let view = entry_view(conn, roles, &c.entry_id).map_err(|_| not_found("competitor"))?;
        may_change(&view.rights, &view.event, &view.entry.delegation_id)?;
        permit(conn, Operation::ChangeCompetitors, &view.skill)?;
        let content_type = photo_type(bytes)
            .ok_or(ApiError::UnsupportedMediaType { detail: "a photo must be a JPEG or PNG image".into() })?;
        repo::registration::set_photo(conn, id, content_type, bytes)?;
        repo::audit::record(
            conn,
            ctx,
            Change::in_event(
                AuditAction::CompetitorPhotoSet,
                (AuditTarget::Competitor, id),
                &view.event.id,
                json!({"bytes": bytes.len(), "type": content_type}),
            ),
        )
        .map_err(ApiError::from)
    })
}

/// A competitor's photo for those who may see the competitor's identity.
pub fn photo(conn: &mut DbConn, roles: &Grants, id: &CompetitorId) -> ApiResult<(String, Vec<u8>)> {
    let c = repo::registration::find_competitor(conn, id)?.ok_or(not_found("competitor"))?;
    let view = entry_view(conn, roles, &c.entry_id).map_err(|_| not_found("competitor"))?;
    let personal = view.rights.manage || view.rights.leads(&view.entry.delegation_id);
    if !personal && hides_identities(conn, &view.skill)? {
        return Err(not_found("competitor"));
    }
    repo::registration::photo(conn, id)?.ok_or(not_found("photo"))
}

pub struct ExpertFields {
    pub email: Email,
    pub display_name: DisplayName,
    pub locale: Locale,
    pub skill_id: SkillId,
    pub delegation_id: DelegationId,
    pub position: ExpertPosition,
}

/// Registers an expert: an existing account gets the role, a new address gets an invitation.
pub fn register_expert(
    conn: &mut DbConn,
    roles: &Grants,
    event_id: &EventId,
    public_url: &str,
    f: ExpertFields,
    ctx: &AuditContext,
) -> ApiResult<(ExpertRow, Option<Mail>)> {
    write_tx(conn, |conn| {
        let rights = Rights::of(conn, roles, event_id)?;
        if !rights.registers() {
            return Err(not_found("event"));
        }
        let event = event_of(conn, event_id)?;
        let skill = repo::events::find_skill(conn, &f.skill_id)?
            .filter(|s| s.event_id == event.id)
            .ok_or_else(|| ApiError::validation("skill_id", "is not a skill of this event"))?;
        let delegation: DelegationRow = repo::events::find_delegation(conn, &f.delegation_id)?
            .filter(|d| d.event_id == event.id)
            .ok_or_else(|| ApiError::validation("delegation_id", "is not a delegation of this event"))?;
        may_change(&rights, &event, &delegation.id)?;
        permit(conn, Operation::RegisterExpert, &skill)?;
        if !rights.manage && !matches!(f.position, ExpertPosition::Expert) {
            return Err(ApiError::Forbidden {
                code: ErrorCode::Forbidden,
                detail: "only organisers appoint chief experts".into(),
            });
        }
        let (user, mail) = match repo::users::find_by_email(conn, f.email.as_str())? {
            Some(user) => (user, None),
            None => {
                let new = crate::service::users::NewUser {
                    email: f.email.clone(),
                    display_name: f.display_name.clone(),
                    locale: f.locale,
                    roles: vec![],
                };
                let (user, _, mail) = crate::service::users::invite(conn, public_url, &new, ctx)?;
                (user, Some(mail))
            }
        };
        if repo::registration::find_expert_of_user(conn, &event.id, &user.id)?.is_some() {
            return Err(ApiError::Conflict {
                code: ErrorCode::ExpertAlreadyRegistered,
                detail: format!("{} is an expert in this event already (one skill per expert)", user.email),
                current: None,
            });
        }
        let grant = RoleGrant::new(f.position.role(), Some((&f.skill_id).into()), Some(delegation.id.clone()))
            .map_err(|(field, m)| ApiError::validation(field, m))?;
        crate::service::users::grant_role(conn, &user.id, &grant, ctx)?;
        let row = ExpertRow {
            id: new_id(),
            event_id: event.id.clone(),
            skill_id: f.skill_id,
            delegation_id: delegation.id,
            user_id: user.id.clone(),
            position: f.position,
            created_at: now(),
        };
        repo::registration::insert_expert(conn, &row)?;
        repo::audit::record(
            conn,
            ctx,
            Change::in_event(
                AuditAction::ExpertRegistered,
                (AuditTarget::Expert, &row.id),
                &event.id,
                json!({"email": user.email, "position": row.position}),
            ),
        )?;
        Ok((row, mail))
    })
}

/// An organiser makes someone the team leader of a delegation: an existing account gets the
/// role, a new address gets an invitation. Returns the user and the invitation to send.
pub fn appoint_team_leader(
    conn: &mut DbConn,
    roles: &Grants,
    delegation_id: &DelegationId,
    public_url: &str,
    person: (Email, DisplayName, Locale),
    ctx: &AuditContext,
) -> ApiResult<(crate::db::models::UserRow, Option<Mail>)> {
    let (email, display_name, locale) = person;
    write_tx(conn, |conn| {
        let delegation = repo::events::find_delegation(conn, delegation_id)?.ok_or(not_found("delegation"))?;
        if access(conn, roles, &delegation.event_id)? != Access::Manage {
            return Err(if access(conn, roles, &delegation.event_id)? == Access::None {
                not_found("delegation")
            } else {
                ApiError::Forbidden { code: ErrorCode::Forbidden, detail: "organisers appoint team leaders".into() }
            });
        }
        let (user, mail) = match repo::users::find_by_email(conn, email.as_str())? {
            Some(user) => (user, None),
            None => {
                let new = crate::service::users::NewUser { email, display_name, locale, roles: vec![] };
                let (user, _, mail) = crate::service::users::invite(conn, public_url, &new, ctx)?;
                (user, Some(mail))
            }
        };
        let grant = RoleGrant::new(Role::TeamLeader, Some((&delegation.id).into()), None)
            .map_err(|(field, m)| ApiError::validation(field, m))?;
        crate::service::users::grant_role(conn, &user.id, &grant, ctx)?;
        repo::audit::record(
            conn,
            ctx,
            Change::in_event(
                AuditAction::DelegationTeamLeaderAppointed,
                (AuditTarget::Delegation, &delegation.id),
                &delegation.event_id,
                json!({"email": user.email}),
            ),
        )?;
        Ok((user, mail))
    })
}

/// Draws workstations for a skill's confirmed entries. A redraw needs a reason.
pub fn draw_workstations(
    conn: &mut DbConn,
    roles: &Grants,
    skill_id: &SkillId,
    reason: Option<String>,
    ctx: &AuditContext,
) -> ApiResult<StoredDraw> {
    write_tx(conn, |conn| {
        let skill = repo::events::find_skill(conn, skill_id)?.ok_or(not_found("skill"))?;
        let rights = Rights::of(conn, roles, &skill.event_id)?;
        if !rights.reviews(skill_id) {
            return Err(rights.refusal(skill_id));
        }
        permit(conn, Operation::DrawWorkstations, &skill)?;
        let earlier = repo::registration::draws_of(conn, skill_id)?;
        if !earlier.is_empty() && reason.is_none() {
            return Err(ApiError::validation("reason", "a redraw needs a reason"));
        }
        let all = repo::registration::entries_of_skill(conn, skill_id)?;
        let confirmed: Vec<EntryId> =
            all.iter().filter(|e| e.status == EntryStatus::Confirmed).map(|e| e.id.clone()).collect();
        let seed = draw::new_seed();
        let result = draw::draw(seed, &confirmed, skill.workstation_count as u32)
            .map_err(|detail| ApiError::Conflict { code: ErrorCode::DrawImpossible, detail, current: None })?;
        for e in &all {
            repo::registration::set_workstation(conn, &e.id, None)?;
        }
        for (entry_id, ws) in &result {
            repo::registration::set_workstation(conn, entry_id, Some(*ws as i32))?;
        }
        let row = DrawRow {
            id: new_id(),
            skill_id: skill_id.clone(),
            seed: seed.to_string(),
            algorithm: draw::ALGORITHM,
            workstation_count: skill.workstation_count,
            reason,
            drawn_by: ctx.actor_id.clone(),
            drawn_at: now(),
        };
        let stored = StoredDraw::new(row, &result);
        repo::registration::insert_draw(conn, &stored)?;
        let row = &stored.row;
        let action = if earlier.is_empty() {
            AuditAction::SkillWorkstationsDrawn
        } else {
            AuditAction::SkillWorkstationsRedrawn
        };
        repo::audit::record(
            conn,
            ctx,
            Change::in_event(
                action,
                (AuditTarget::Skill, skill_id),
                &skill.event_id,
                json!({"seed": row.seed, "reason": row.reason, "entries": result.len()}),
            ),
        )?;
        Ok(stored)
    })
}

/// A skill's draws, newest first, for anyone who may see the skill's entries.
pub fn draws(conn: &mut DbConn, roles: &Grants, skill_id: &SkillId) -> ApiResult<(SkillRow, Vec<StoredDraw>)> {
    let skill = repo::events::find_skill(conn, skill_id)?.ok_or(not_found("skill"))?;
    if access(conn, roles, &skill.event_id)? == Access::None {
        return Err(not_found("skill"));
    }
    let rows = repo::registration::draws_of(conn, skill_id)?;
    Ok((skill, rows))
}

/// Replays a recorded draw: true when its seed gives exactly the recorded result.
pub fn replay_matches(stored: &StoredDraw) -> bool {
    let row = &stored.row;
    let Ok(seed) = row.seed.parse::<u64>() else {
        return false;
    };
    let ids: Vec<EntryId> = stored.assignments.iter().map(|a| a.entry_id.clone()).collect();
    let numbers: Vec<u32> = stored.assignments.iter().map(|a| a.workstation as u32).collect();
    row.algorithm == draw::ALGORITHM
        && draw::draw(seed, &ids, row.workstation_count as u32)
            .is_ok_and(|r| r.iter().map(|(_, w)| *w).collect::<Vec<_>>() == numbers)
}
