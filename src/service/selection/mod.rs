//! The selection programme (选拔 → 集训 → 国家队): a programme's stages (each an event; stage 1 the
//! national selection), each stage's per-skill cut, weights and tie rule, the proposal of who
//! advances from a stage's ratified ranking, its confirmation (which carries the competitors into
//! the next stage's event), withdrawals with the move-up (递补), the national team, each
//! competitor's path, and the staged announcement (公示) of squad and team lists.
//!
//! The rules are pure (`domain::selection`); whether a stage may advance anyone is the lifecycle
//! table's (`Operation::ConfirmAdvancement`, `Operation::WithdrawFromSquad`).

mod lists;
mod path;
mod programmes;
mod released;
mod standing;
mod verify;

pub use lists::*;
pub use path::*;
pub use programmes::*;
pub use released::*;
pub use standing::*;
pub use verify::*;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::db::models::{
    new_id, now, AdvancementRow, CompetitorRow, DelegationRow, EntryRow, EventRow, ProgrammeRow, RoleRow, SkillRow,
    StageRow, StageSkillRow, TeamRow,
};
use crate::db::{write_tx, DbConn};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::ids::{DelegationId, EntryId, EventId, ProgrammeId, SkillId, StageId, TargetId, UserId};
use crate::domain::lifecycle::{Operation, Phase};
use crate::domain::publication::Audience;
use crate::domain::registration::{check_age, EntryStatus};
use crate::domain::role::{Grant, Grants, Role};
use crate::domain::scheme::{format_hundredths, parse_hundredths, TOTAL};
use crate::domain::selection::{
    self as rules, alternates, combine, list_notice_ends, list_state, percentage_hundredths, propose_excluding,
    Candidate, ListState, Placement, ProgrammeStatus, StageWeights, Standing, StandingBasis, TeamPlace, TieRule,
};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::repo;
use crate::repo::audit::{AuditContext, Change};
use crate::service::access::{self as gate, access, event_for, Access};
use crate::service::events::{self as events_svc, EventFields};
use crate::service::results::SkillSnapshot;

// ---------------------------------------------------------------------------------------------
// Shapes

/// A programme with its stages and each stage's skills.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Programme {
    pub id: ProgrammeId,
    /// e.g. 第46届世界技能大赛中国集训队选拔.
    pub name: String,
    /// The competition the programme selects for, e.g. `WorldSkills Shanghai`.
    pub target_competition: String,
    /// Age eligibility is checked against this year.
    pub target_year: i32,
    pub status: ProgrammeStatus,
    /// Who sees the national team list.
    pub team_audience: Audience,
    /// The notice period (公示) of its squad and team lists, in days from their public release.
    pub notice_days: u32,
    pub version: i32,
    pub stages: Vec<Stage>,
}

/// One stage: an event (stage 1 the national selection) and how each of its skills advances.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Stage {
    pub id: StageId,
    /// 1 for the national selection.
    pub position: i32,
    pub event_id: EventId,
    pub event_name: String,
    /// Who sees the list of who advanced from this stage.
    pub audience: Audience,
    /// Its confirmation yields the national team.
    pub is_final: bool,
    pub skills: Vec<StageSkill>,
}

/// How one skill of a stage decides who goes on.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StageSkill {
    pub skill_id: SkillId,
    pub skill_number: String,
    pub skill_name_zh: String,
    pub skill_name_en: String,
    /// How many go on (10, 5, 2, 1).
    pub cut: i32,
    /// Each stage's weight in percent, stage 1 first, summing to 100.
    pub weights: Vec<u32>,
    pub basis: StandingBasis,
    pub tie_rule: TieRule,
    /// The training base (集训基地) hosting the skill in this stage.
    pub training_base: Option<String>,
    /// Where the skill's results are (advancement needs them ratified).
    pub phase: Phase,
    pub confirmed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub confirmed_by: Option<UserId>,
    pub version: i32,
}

/// One stage's part in a combined standing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StageScore {
    pub position: i32,
    /// The competitor's entry in that stage.
    pub entry_id: Option<EntryId>,
    /// The score on the basis (`ws_scale`: the scale score; `percentage`: % of the scheme), e.g. `712.00`.
    pub score: Option<String>,
    pub weight: u32,
}

/// One entry in a stage's standing: the proposal before confirmation, the record after.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StandingLine {
    pub entry_id: EntryId,
    pub delegation_code: String,
    pub delegation_name_zh: String,
    pub delegation_name_en: String,
    pub competitors: Vec<String>,
    /// The combined standing, rounded to hundredths, e.g. `696.60`.
    pub standing: String,
    /// Stage by stage.
    pub breakdown: Vec<StageScore>,
    /// The tie-break criterion's score, under a tie-break rule.
    pub tie_break: Option<String>,
    pub rank: usize,
    pub advances: bool,
    /// Part of a tie that straddles the cut.
    pub tied_at_cut: bool,
    pub decided_by_tie_break: bool,
    /// Took a place left by someone ineligible or withdrawn (递补).
    pub moved_up: bool,
    /// Why the competitor cannot go on (age in the target year).
    pub ineligible: Option<String>,
    pub withdrawn_reason: Option<String>,
    /// The entry in the next stage, once carried over.
    pub next_entry_id: Option<EntryId>,
}

/// A stage's standing for one skill: the proposal, or once confirmed what was confirmed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StageStanding {
    pub stage_id: StageId,
    pub skill_id: SkillId,
    pub skill_number: String,
    pub cut: i32,
    pub weights: Vec<u32>,
    pub basis: StandingBasis,
    pub tie_rule: TieRule,
    pub is_final: bool,
    pub confirmed: bool,
    /// The stage skill's version (confirm with it).
    pub version: i32,
    pub lines: Vec<StandingLine>,
}

/// A competitor's path through the programme.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Path {
    pub programme_id: ProgrammeId,
    pub programme_name: String,
    pub target_year: i32,
    pub competitors: Vec<String>,
    pub delegation_code: String,
    pub skill_number: String,
    pub steps: Vec<PathStep>,
    /// The national team place, if any.
    pub team_place: Option<TeamPlace>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PathStep {
    pub position: i32,
    pub stage_id: StageId,
    pub event_name: String,
    pub entry_id: Option<EntryId>,
    pub cut: Option<i32>,
    pub score: Option<String>,
    pub standing: Option<String>,
    pub rank: Option<usize>,
    /// `None` until the stage's advancement is confirmed.
    pub advanced: Option<bool>,
    pub moved_up: bool,
    pub ineligible: Option<String>,
    pub withdrawn_reason: Option<String>,
}

/// One line of a squad or team list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ListLine {
    pub skill_number: String,
    pub skill_name_zh: String,
    pub skill_name_en: String,
    pub entry_id: EntryId,
    pub delegation_code: String,
    pub delegation_name_zh: String,
    pub delegation_name_en: String,
    pub competitors: Vec<String>,
    pub rank: usize,
    pub standing: String,
    /// In a team list: member or alternate.
    pub place: Option<TeamPlace>,
    /// A dispute about the skill's stage result is open (or upheld and the skill reopened).
    pub under_review: bool,
}

/// A squad list (who advanced from a stage) or the national team.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SelectionList {
    pub programme_id: ProgrammeId,
    pub programme_name: String,
    pub target_competition: String,
    pub target_year: i32,
    pub stage_id: Option<StageId>,
    pub audience: Audience,
    /// Where the announcement (公示) is: not announced, announced (until `notice_ends`), under
    /// review (a dispute in one of its skills is open), final.
    pub state: ListState,
    /// When it was released to the public (the notice period started).
    pub announced_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When the notice period ends (or ended).
    pub notice_ends: Option<chrono::DateTime<chrono::Utc>>,
    pub notice_days: u32,
    /// The time zone of the programme's first stage (the national selection), in which its dates
    /// are read.
    pub time_zone: String,
    pub lines: Vec<ListLine>,
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn conflict(code: ErrorCode, detail: impl Into<String>) -> ApiError {
    ApiError::Conflict { code, detail: detail.into(), current: None }
}

fn not_found(what: &'static str) -> ApiError {
    ApiError::NotFound { what }
}

fn skill_row(conn: &mut DbConn, id: &SkillId) -> ApiResult<SkillRow> {
    repo::events::find_skill(conn, id)?.ok_or(not_found("skill"))
}

fn event_row(conn: &mut DbConn, id: &EventId) -> ApiResult<EventRow> {
    repo::events::find_event(conn, id)?.ok_or(not_found("event"))
}

/// The time zone a programme's dates are read in: its first stage's event's.
fn time_zone_of(conn: &mut DbConn, stages: &[StageRow]) -> ApiResult<String> {
    match stages.first() {
        Some(first) => Ok(event_row(conn, &first.event_id)?.time_zone),
        None => Ok("UTC".to_string()),
    }
}

fn entry_row(conn: &mut DbConn, id: &EntryId) -> ApiResult<Option<EntryRow>> {
    Ok(repo::registration::find_entry(conn, id)?)
}

fn audit(
    conn: &mut DbConn,
    ctx: &AuditContext,
    action: AuditAction,
    target: (AuditTarget, impl Into<TargetId>),
    event_id: &EventId,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
) -> ApiResult<()> {
    repo::audit::record(conn, ctx, Change::in_event(action, target, event_id, after).before(before))?;
    Ok(())
}

/// A placement as an advancement row stores it (its rank a column's integer).
fn stored_placement(rank: i32, advances: bool, tied_at_cut: bool, decided_by_tie_break: bool) -> Placement {
    Placement { rank: rank.max(0) as usize, advances, tied_at_cut, decided_by_tie_break }
}

fn weights_of(row: &StageSkillRow) -> ApiResult<Vec<u32>> {
    serde_json::from_str(&row.weights).map_err(|e| ApiError::internal(anyhow::anyhow!("stored weights: {e}")))
}

fn tie_rule_of(row: &StageSkillRow) -> ApiResult<TieRule> {
    serde_json::from_str(&row.tie_rule).map_err(|e| ApiError::internal(anyhow::anyhow!("stored tie rule: {e}")))
}

/// A programme the caller manages (admin, or organiser of its stage-1 event), with its stages.
fn managed(conn: &mut DbConn, roles: &Grants, id: &ProgrammeId) -> ApiResult<(ProgrammeRow, Vec<StageRow>)> {
    let programme = repo::selection::find_programme(conn, id)?.ok_or(not_found(ProgrammeId::WHAT))?;
    let stages = repo::selection::stages_of(conn, id)?;
    let first = stages.first().ok_or(not_found(ProgrammeId::WHAT))?;
    event_for(conn, roles, &first.event_id, Access::Manage).map_err(|e| match e {
        ApiError::NotFound { .. } => not_found(ProgrammeId::WHAT),
        other => other,
    })?;
    Ok((programme, stages))
}

/// Whether the caller manages the programme (no error).
fn manages(conn: &mut DbConn, roles: &Grants, stages: &[StageRow]) -> ApiResult<bool> {
    match stages.first() {
        Some(first) => Ok(access(conn, roles, &first.event_id)? == Access::Manage),
        None => Ok(roles.is_admin()),
    }
}

/// A stage of a programme the caller manages.
fn managed_stage(
    conn: &mut DbConn,
    roles: &Grants,
    stage_id: &StageId,
) -> ApiResult<(ProgrammeRow, Vec<StageRow>, StageRow)> {
    let stage = repo::selection::find_stage(conn, stage_id)?.ok_or(not_found(StageId::WHAT))?;
    let (programme, stages) = managed(conn, roles, &stage.programme_id).map_err(|e| match e {
        ApiError::NotFound { .. } => not_found(StageId::WHAT),
        other => other,
    })?;
    Ok((programme, stages, stage))
}

fn stage_skill(conn: &mut DbConn, stage: &StageRow, skill_id: &SkillId) -> ApiResult<StageSkillRow> {
    repo::selection::find_stage_skill(conn, &stage.id, skill_id)?.ok_or(not_found("skill"))
}

fn stage_skill_view(conn: &mut DbConn, row: &StageSkillRow) -> ApiResult<StageSkill> {
    let skill = skill_row(conn, &row.skill_id)?;
    Ok(StageSkill {
        skill_id: row.skill_id.clone(),
        skill_number: row.skill_number.clone(),
        skill_name_zh: skill.name_zh.clone(),
        skill_name_en: skill.name_en.clone(),
        cut: row.cut,
        weights: weights_of(row)?,
        basis: row.basis,
        tie_rule: tie_rule_of(row)?,
        training_base: row.training_base.clone(),
        phase: gate::phase_of(conn, &skill)?,
        confirmed_at: row.confirmed_at.map(|t| t.and_utc()),
        confirmed_by: row.confirmed_by.clone(),
        version: row.version,
    })
}

fn programme_view(conn: &mut DbConn, programme: &ProgrammeRow, stages: &[StageRow]) -> ApiResult<Programme> {
    let mut out = Vec::new();
    for stage in stages {
        let event = event_row(conn, &stage.event_id)?;
        let mut skills = Vec::new();
        for row in repo::selection::stage_skills_of(conn, &stage.id)? {
            skills.push(stage_skill_view(conn, &row)?);
        }
        out.push(Stage {
            id: stage.id.clone(),
            position: stage.position,
            event_id: stage.event_id.clone(),
            event_name: event.name,
            audience: stage.audience,
            is_final: stage.is_final,
            skills,
        });
    }
    Ok(Programme {
        id: programme.id.clone(),
        name: programme.name.clone(),
        target_competition: programme.target_competition.clone(),
        target_year: programme.target_year,
        status: programme.status,
        team_audience: programme.team_audience,
        notice_days: programme.notice_days.max(0) as u32,
        version: programme.version,
        stages: out,
    })
}

/// The default rules of a skill in the stage at `position`: its default cut, this stage only,
/// the WS scale, all tied advance.
fn default_stage_skill(
    stage_id: &StageId,
    skill: &SkillRow,
    position: i32,
    base: Option<String>,
) -> ApiResult<StageSkillRow> {
    let weights = StageWeights::this_stage_only(position.max(1) as usize);
    Ok(StageSkillRow {
        stage_id: stage_id.clone(),
        skill_id: skill.id.clone(),
        skill_number: skill.number.clone(),
        cut: rules::default_cut(position.max(1) as usize) as i32,
        weights: serde_json::to_string(weights.as_slice()).map_err(ApiError::internal)?,
        basis: StandingBasis::WsScale,
        tie_rule: serde_json::to_string(&TieRule::AllTiedAdvance).map_err(ApiError::internal)?,
        training_base: base,
        confirmed_at: None,
        confirmed_by: None,
        version: 1,
        updated_at: now(),
    })
}
