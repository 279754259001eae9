//! Who may do what, to which target, in which state: the one place every use case asks. It reads
//! the caller's roles and the target through `repo`, and decides with `domain` (the lifecycle
//! table in `domain::lifecycle`); it imports no other use-case module, so every use case can
//! import it without a circle.

use chrono::NaiveDateTime;
use serde_json::json;

use crate::db::models::{EntryRow, EventRow, SkillResultRow, SkillRow};
use crate::db::DbConn;
use crate::domain::ids::{DelegationId, EntryId, EventId, SkillId};
use crate::domain::lifecycle::{self, Operation, Phase};
use crate::domain::publication::{current_state, notice_ends, Audience, ResultRules, ResultState};
use crate::domain::role::Grants;
use crate::domain::selection::list_notice_ends;
use crate::error::{ApiError, ApiResult};
use crate::repo;

// ---------------------------------------------------------------------------------------------
// Events and roles

/// What a caller may do with one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    None,
    /// Holds a role within the event (chief expert, expert, team leader).
    View,
    /// Admin, or organiser of this event.
    Manage,
}

pub fn access(conn: &mut DbConn, roles: &Grants, event_id: &EventId) -> ApiResult<Access> {
    if roles.is_admin() || roles.organises(event_id) {
        return Ok(Access::Manage);
    }
    Ok(if visible_event_ids(conn, roles)?.is_some_and(|ids| ids.contains(event_id)) {
        Access::View
    } else {
        Access::None
    })
}

/// The events a caller may see: `None` for all (admins).
pub fn visible_event_ids(conn: &mut DbConn, roles: &Grants) -> ApiResult<Option<Vec<EventId>>> {
    if roles.is_admin() {
        return Ok(None);
    }
    let mut ids = roles.organised();
    ids.extend(repo::events::event_ids_of_scopes(conn, &roles.scopes_in_events())?);
    Ok(Some(ids))
}

/// The event, if the caller has at least `needed` access; a hidden event is "not found".
pub fn event_for(conn: &mut DbConn, roles: &Grants, event_id: &EventId, needed: Access) -> ApiResult<EventRow> {
    let granted = access(conn, roles, event_id)?;
    let event = repo::events::find_event(conn, event_id)?;
    match event {
        Some(event) if granted >= needed => Ok(event),
        Some(_) if granted > Access::None => Err(ApiError::forbidden()),
        _ => Err(ApiError::NotFound { what: "event" }),
    }
}

/// A skill of an event the caller manages (organisers): others in the event are refused (403),
/// outsiders find no skill (404).
pub fn managed_skill(conn: &mut DbConn, roles: &Grants, skill_id: &SkillId) -> ApiResult<SkillRow> {
    let skill = repo::events::find_skill(conn, skill_id)?.ok_or(ApiError::NotFound { what: "skill" })?;
    event_for(conn, roles, &skill.event_id, Access::Manage).map_err(|e| match e {
        ApiError::NotFound { .. } => ApiError::NotFound { what: "skill" },
        other => other,
    })?;
    Ok(skill)
}

/// What the caller may do with registrations and marking of one event.
#[derive(Debug, Clone, Default)]
pub struct Rights {
    /// Admin or organiser of the event.
    pub manage: bool,
    /// Delegations the caller leads.
    pub delegations: Vec<DelegationId>,
    /// Skills in which the caller is (chief) expert.
    pub skills: Vec<SkillId>,
    /// Skills in which the caller is chief expert.
    pub chief_of: Vec<SkillId>,
}

impl Rights {
    pub fn of(conn: &mut DbConn, roles: &Grants, event_id: &EventId) -> ApiResult<Self> {
        Ok(Self {
            manage: access(conn, roles, event_id)? == Access::Manage,
            delegations: roles.delegations(),
            skills: roles.skills(),
            chief_of: roles.chief_of(),
        })
    }

    /// Organisers and team leaders: they register entries and experts.
    pub fn registers(&self) -> bool {
        self.manage || !self.delegations.is_empty()
    }

    pub fn leads(&self, delegation_id: &DelegationId) -> bool {
        self.delegations.contains(delegation_id)
    }

    /// Organisers and the skill's chief experts: they review, lock and draw.
    pub fn reviews(&self, skill_id: &SkillId) -> bool {
        self.manage || self.chief_of.contains(skill_id)
    }

    pub fn sees_skill(&self, skill_id: &SkillId) -> bool {
        self.skills.contains(skill_id)
    }

    /// The answer to a caller without the right to an operation on a skill: refused (403) for
    /// its experts and the event's team leaders, who know the skill; "no skill" (404) for others.
    pub fn refusal(&self, skill_id: &SkillId) -> ApiError {
        if self.sees_skill(skill_id) || !self.delegations.is_empty() {
            ApiError::forbidden()
        } else {
            ApiError::NotFound { what: "skill" }
        }
    }
}

/// An entry with its skill and event, if the caller may see it (else "not found").
pub struct EntryView {
    pub entry: EntryRow,
    pub skill: SkillRow,
    pub event: EventRow,
    pub rights: Rights,
}

pub fn entry_view(conn: &mut DbConn, roles: &Grants, entry_id: &EntryId) -> ApiResult<EntryView> {
    let entry = repo::registration::find_entry(conn, entry_id)?.ok_or(ApiError::NotFound { what: "entry" })?;
    let rights = Rights::of(conn, roles, &entry.event_id)?;
    if !(rights.manage || rights.leads(&entry.delegation_id) || rights.sees_skill(&entry.skill_id)) {
        return Err(ApiError::NotFound { what: "entry" });
    }
    let skill = repo::events::find_skill(conn, &entry.skill_id)?.ok_or(ApiError::NotFound { what: "skill" })?;
    let event = repo::events::find_event(conn, &entry.event_id)?.ok_or(ApiError::NotFound { what: "event" })?;
    Ok(EntryView { entry, skill, event, rights })
}

/// Whether a skill's entries are shown to its experts under codes only.
pub fn hides_identities(conn: &mut DbConn, skill: &SkillRow) -> ApiResult<bool> {
    Ok(skill.anonymous && repo::events::revealed_at(conn, &skill.id)?.is_none())
}

/// The event's result rules as stored (the defaults until an organiser sets them) and their
/// version (0 for the defaults).
pub fn result_rules(conn: &mut DbConn, event_id: &EventId) -> ApiResult<(ResultRules, i32)> {
    Ok(match repo::results::rules(conn, event_id)? {
        Some(row) => (
            serde_json::from_str(&row.document)
                .map_err(|e| ApiError::internal(anyhow::anyhow!("stored result rules unreadable: {e}")))?,
            row.version,
        ),
        None => (ResultRules::default(), 0),
    })
}

// ---------------------------------------------------------------------------------------------
// The lifecycle

/// The stored state of a skill's results (`draft` when there is no row).
pub fn stored_state(row: Option<&SkillResultRow>) -> ResultState {
    row.map_or(ResultState::Draft, |r| r.state)
}

/// Who the skill's results are released to (nobody when there is no row).
pub fn audience_of(row: Option<&SkillResultRow>) -> Audience {
    row.map_or(Audience::None, |r| r.audience)
}

/// Where the skill is in its life (`domain::lifecycle::Phase`), from its results row, its marks,
/// and for a public result the notice period and open disputes.
pub fn phase_of(conn: &mut DbConn, skill: &SkillRow) -> ApiResult<Phase> {
    let row = repo::results::skill_result(conn, &skill.id)?;
    phase_with(conn, skill, row.as_ref())
}

/// [`phase_of`] with the results row already read.
pub fn phase_with(conn: &mut DbConn, skill: &SkillRow, row: Option<&SkillResultRow>) -> ApiResult<Phase> {
    phase_reading(conn, skill, row, true)
}

/// The phase; `marks_matter: false` spares the look for a first mark when the question asked does
/// not depend on it (an unmarked skill then counts as marking).
fn phase_reading(
    conn: &mut DbConn,
    skill: &SkillRow,
    row: Option<&SkillResultRow>,
    marks_matter: bool,
) -> ApiResult<Phase> {
    let mut state = stored_state(row);
    let published_before = row.is_some_and(|r| r.published_snapshot.is_some());
    let has_marks = match state {
        ResultState::Draft if !published_before && marks_matter => repo::marks::skill_has_marks(conn, &skill.id)?,
        _ => true,
    };
    if let (ResultState::Published, Some(public_at)) = (state, row.and_then(|r| r.public_at)) {
        let (rules, _) = result_rules(conn, &skill.event_id)?;
        let open = repo::results::open_disputes_of_skill(conn, &skill.id)?;
        let ends = notice_end(conn, &skill.id, public_at, rules.notice_days)?;
        state = current_state(state, Some(ends), 0, open as usize, crate::db::models::now());
    }
    Ok(Phase::of(has_marks, state, audience_of(row), published_before))
}

/// When a published result's notice period (成绩公示) ends: `notice_days` after its public
/// release, or later while a squad or team list announcing the skill's stage standing is under
/// its own notice (公示, selection programme): disputes stay open until both are over.
pub fn notice_end(
    conn: &mut DbConn,
    skill_id: &SkillId,
    public_at: NaiveDateTime,
    notice_days: u32,
) -> ApiResult<NaiveDateTime> {
    let ends = notice_ends(public_at, notice_days);
    Ok(list_notice_end(conn, skill_id)?.map_or(ends, |list| list.max(ends)))
}

/// The latest end of the notice period of a public list that announces a skill's confirmed stage
/// standing: its stage's squad list, and for the final stage the national team list.
pub fn list_notice_end(conn: &mut DbConn, skill_id: &SkillId) -> ApiResult<Option<NaiveDateTime>> {
    let Some(row) = repo::selection::confirmed_stage_skill_of(conn, skill_id)? else { return Ok(None) };
    let Some(stage) = repo::selection::find_stage(conn, &row.stage_id)? else { return Ok(None) };
    let Some(programme) = repo::selection::find_programme(conn, &stage.programme_id)? else { return Ok(None) };
    let days = programme.notice_days.max(0) as u32;
    let squad = stage.public_at.filter(|_| stage.audience == Audience::Public);
    let team = programme.team_public_at.filter(|_| stage.is_final && programme.team_audience == Audience::Public);
    Ok([squad, team].into_iter().filter_map(|at| list_notice_ends(at, days)).max())
}

/// The phase from the results row alone, without reading further (a skill with a row counts as
/// marked; a public result's notice period is not looked at): enough for the operations whose
/// verdict is the same for unmarked and marking, and for public and final (releases, the result
/// rules, new entries and experts).
pub fn stored_phase(row: Option<&SkillResultRow>) -> Phase {
    Phase::of(row.is_some(), stored_state(row), audience_of(row), row.is_some_and(|r| r.published_snapshot.is_some()))
}

/// The skill's phase for anyone in its event (others find no skill).
pub fn visible_phase(conn: &mut DbConn, roles: &Grants, skill_id: &SkillId) -> ApiResult<Phase> {
    let skill = repo::events::find_skill(conn, skill_id)?.ok_or(ApiError::NotFound { what: "skill" })?;
    if access(conn, roles, &skill.event_id)? == Access::None {
        return Err(ApiError::NotFound { what: "skill" });
    }
    phase_of(conn, &skill)
}

/// Refuses `operation` on `skill` unless the lifecycle table allows it in the skill's phase: a
/// 409 whose code says what blocks it, with the phase and the open path in `current`.
pub fn permit(conn: &mut DbConn, operation: Operation, skill: &SkillRow) -> ApiResult<()> {
    // Marking a skill asks this on every request: whether a first mark exists matters only where
    // it decides the answer, or names the phase in a refusal.
    let allowed = |phase| lifecycle::verdict(operation, phase) == lifecycle::Verdict::Allowed;
    let marks_matter = !(allowed(Phase::Unmarked) && allowed(Phase::Marking));
    let row = repo::results::skill_result(conn, &skill.id)?;
    let phase = phase_reading(conn, skill, row.as_ref(), marks_matter)?;
    permit_in(operation, skill, phase)
}

/// [`permit`] for a phase already known.
pub fn permit_in(operation: Operation, skill: &SkillRow, phase: Phase) -> ApiResult<()> {
    lifecycle::permit(operation, phase).map_err(|why| ApiError::Conflict {
        code: why.into(),
        detail: format!("skill {}: {}", skill.number, why.detail()),
        current: Some(json!({"phase": phase, "open_path": why.open_path()})),
    })
}
