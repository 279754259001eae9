//! The selection programme (选拔 → 集训 → 国家队): a programme's stages (each an event; stage 1 the
//! national selection), each stage's per-skill cut, weights and tie rule, the proposal of who
//! advances from a stage's ratified ranking, its confirmation (which carries the competitors into
//! the next stage's event), withdrawals with the move-up (递补), the national team, each
//! competitor's path, and the staged announcement (公示) of squad and team lists.
//!
//! The rules are pure (`domain::selection`); whether a stage may advance anyone is the lifecycle
//! table's (`Operation::ConfirmAdvancement`, `Operation::WithdrawFromSquad`).

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

// ---------------------------------------------------------------------------------------------
// Programmes and stages

pub struct ProgrammeFields {
    pub name: String,
    pub target_competition: String,
    pub target_year: i32,
    /// Stage 1: the national selection.
    pub event_id: EventId,
    /// The notice period (公示) of its lists in days (default 7).
    pub notice_days: Option<u32>,
}

/// Creates a programme whose stage 1 is an existing event the caller manages; every skill of it
/// takes the default rules (cut 10).
pub fn create_programme(
    conn: &mut DbConn,
    user: &UserId,
    roles: &Grants,
    f: ProgrammeFields,
    ctx: &AuditContext,
) -> ApiResult<Programme> {
    write_tx(conn, |conn| {
        let event = event_for(conn, roles, &f.event_id, Access::Manage)?;
        if repo::selection::stage_of_event(conn, &f.event_id)?.is_some() {
            return Err(conflict(ErrorCode::AlreadyExists, "the event is a stage of a selection programme already"));
        }
        let at = now();
        let programme = ProgrammeRow {
            id: ProgrammeId::new(),
            name: f.name,
            target_competition: f.target_competition,
            target_year: f.target_year,
            status: ProgrammeStatus::Active,
            team_audience: Audience::None,
            created_by: Some(user.clone()),
            version: 1,
            created_at: at,
            updated_at: at,
            notice_days: f.notice_days.unwrap_or(rules::DEFAULT_NOTICE_DAYS) as i32,
            team_public_at: None,
        };
        repo::selection::insert_programme(conn, &programme)?;
        let stage = StageRow {
            id: StageId::new(),
            programme_id: programme.id.clone(),
            position: 1,
            event_id: f.event_id.clone(),
            audience: Audience::None,
            is_final: false,
            created_at: at,
            public_at: None,
        };
        repo::selection::insert_stage(conn, &stage)?;
        for skill in repo::events::skills_of(conn, &event.id)? {
            repo::selection::insert_stage_skill(conn, &default_stage_skill(&stage.id, &skill, 1, None)?)?;
        }
        audit(
            conn,
            ctx,
            AuditAction::SelectionProgrammeCreated,
            (AuditTarget::SelectionProgramme, &programme.id),
            &f.event_id,
            None,
            json!({"name": programme.name, "target_year": programme.target_year, "stage_1": f.event_id,
                   "notice_days": programme.notice_days}),
        )?;
        programme_view(conn, &programme, &[stage])
    })
}

/// The programmes the caller manages.
pub fn list_programmes(conn: &mut DbConn, roles: &Grants) -> ApiResult<Vec<Programme>> {
    let mut out = Vec::new();
    for programme in repo::selection::list_programmes(conn)? {
        let stages = repo::selection::stages_of(conn, &programme.id)?;
        if manages(conn, roles, &stages)? {
            out.push(programme_view(conn, &programme, &stages)?);
        }
    }
    Ok(out)
}

pub fn get_programme(conn: &mut DbConn, roles: &Grants, id: &ProgrammeId) -> ApiResult<Programme> {
    let (programme, stages) = managed(conn, roles, id)?;
    programme_view(conn, &programme, &stages)
}

pub struct StageFields {
    pub event: EventFields,
    /// The skills (by number) the stage assesses; default: every skill of the previous stage.
    pub skill_numbers: Option<Vec<String>>,
    /// The training base (集训基地) per skill number.
    pub training_bases: HashMap<String, String>,
    /// The stage whose confirmation yields the national team.
    pub is_final: bool,
}

/// Adds the next stage: a new assessment event (through the event service) with the previous
/// stage's skills copied, and carries over whoever was confirmed as advancing already.
pub fn add_stage(
    conn: &mut DbConn,
    user: &UserId,
    roles: &Grants,
    programme_id: &ProgrammeId,
    f: StageFields,
    ctx: &AuditContext,
) -> ApiResult<Programme> {
    write_tx(conn, |conn| {
        let (programme, mut stages) = managed(conn, roles, programme_id)?;
        let previous = stages.last().cloned().ok_or(not_found(ProgrammeId::WHAT))?;
        if previous.is_final {
            return Err(conflict(
                ErrorCode::FinalStageExists,
                "the programme's final stage exists already; no stage follows it",
            ));
        }
        let previous_event = event_row(conn, &previous.event_id)?;
        let organiser = if roles.is_admin() { None } else { Some(user) };
        let event = events_svc::create_event(conn, f.event, organiser, ctx)?;
        let event_id: EventId = event.id.clone();
        let position = previous.position + 1;
        let stage = StageRow {
            id: StageId::new(),
            programme_id: programme.id.clone(),
            position,
            event_id: event_id.clone(),
            audience: Audience::None,
            is_final: f.is_final,
            created_at: now(),
            public_at: None,
        };
        repo::selection::insert_stage(conn, &stage)?;
        let previous_skills = repo::events::skills_of(conn, &previous_event.id)?;
        if let Some(numbers) = &f.skill_numbers {
            if let Some(unknown) = numbers.iter().find(|n| !previous_skills.iter().any(|s| &s.number == *n)) {
                return Err(ApiError::validation(
                    "skill_numbers",
                    format!("skill {unknown} is not a skill of stage {}", previous.position),
                ));
            }
        }
        let at = now();
        for old in previous_skills {
            if f.skill_numbers.as_ref().is_some_and(|n| !n.contains(&old.number)) {
                continue;
            }
            let skill = SkillRow {
                id: new_id::<SkillId>(),
                event_id: event.id.clone(),
                version: 1,
                created_at: at,
                updated_at: at,
                ..old.clone()
            };
            repo::events::insert_skill(conn, &skill)?;
            let base = f.training_bases.get(&skill.number).cloned();
            repo::selection::insert_stage_skill(conn, &default_stage_skill(&stage.id, &skill, position, base)?)?;
        }
        audit(
            conn,
            ctx,
            AuditAction::SelectionStageAdded,
            (AuditTarget::SelectionStage, &stage.id),
            &event_id,
            None,
            json!({"programme_id": programme.id, "position": position, "is_final": stage.is_final}),
        )?;
        // Whoever already advanced from the previous stage goes into the new one.
        for row in repo::selection::stage_skills_of(conn, &previous.id)? {
            if row.confirmed_at.is_none() {
                continue;
            }
            for adv in repo::selection::advancements_of(conn, &previous.id, &row.skill_id)? {
                if adv.advanced && adv.withdrawn_reason.is_none() && adv.next_entry_id.is_none() {
                    carry(conn, &stage, &row.skill_number, adv, ctx)?;
                }
            }
        }
        stages.push(stage);
        programme_view(conn, &programme, &stages)
    })
}

pub struct StageSkillFields {
    pub cut: i32,
    pub weights: Option<Vec<u32>>,
    pub basis: StandingBasis,
    pub tie_rule: TieRule,
    pub training_base: Option<String>,
    pub version: i32,
}

/// Sets a stage skill's cut, weights, basis, tie rule and training base (until it is confirmed).
pub fn set_stage_skill(
    conn: &mut DbConn,
    roles: &Grants,
    stage_id: &StageId,
    skill_id: &SkillId,
    f: StageSkillFields,
    ctx: &AuditContext,
) -> ApiResult<StageSkill> {
    write_tx(conn, |conn| {
        let (_, _, stage) = managed_stage(conn, roles, stage_id)?;
        let mut row = stage_skill(conn, &stage, skill_id)?;
        if row.confirmed_at.is_some() {
            return Err(conflict(
                ErrorCode::AdvancementConfirmed,
                "the advancement of this skill is confirmed already",
            ));
        }
        let weights = match f.weights {
            None => StageWeights::this_stage_only(stage.position as usize),
            Some(w) => {
                if w.len() != stage.position as usize {
                    return Err(ApiError::validation(
                        "weights",
                        format!("give one weight per stage up to this one ({})", stage.position),
                    ));
                }
                StageWeights::parse(w).map_err(|e| ApiError::validation("weights", e.to_string()))?
            }
        };
        if let TieRule::HigherInCriterion { criterion } = &f.tie_rule {
            if criterion.trim().is_empty() {
                return Err(ApiError::validation("tie_rule.criterion", "name the criterion, e.g. A"));
            }
        }
        let before = json!({"cut": row.cut, "weights": row.weights, "basis": row.basis, "tie_rule": row.tie_rule});
        let version = row.version;
        if version != f.version {
            return Err(ApiError::Conflict {
                code: ErrorCode::VersionConflict,
                detail: "the skill's selection rules were changed meanwhile; review them and retry".into(),
                current: serde_json::to_value(stage_skill_view(conn, &row)?).ok(),
            });
        }
        row.cut = f.cut;
        row.weights = serde_json::to_string(weights.as_slice()).map_err(ApiError::internal)?;
        row.basis = f.basis;
        row.tie_rule = serde_json::to_string(&f.tie_rule).map_err(ApiError::internal)?;
        row.training_base = f.training_base;
        row.version += 1;
        row.updated_at = now();
        if !repo::selection::update_stage_skill(conn, &row, version)? {
            return Err(conflict(ErrorCode::VersionConflict, "the skill's selection rules were changed meanwhile"));
        }
        audit(
            conn,
            ctx,
            AuditAction::SelectionRulesChanged,
            (AuditTarget::Skill, &row.skill_id),
            &stage.event_id,
            Some(before),
            json!({"cut": row.cut, "weights": row.weights, "basis": row.basis, "tie_rule": row.tie_rule,
                   "training_base": row.training_base}),
        )?;
        stage_skill_view(conn, &row)
    })
}

// ---------------------------------------------------------------------------------------------
// The standing and the proposal

/// A skill's ratified results (`None` before ratification).
fn ratified(conn: &mut DbConn, skill_id: &SkillId) -> ApiResult<Option<SkillSnapshot>> {
    let row = repo::results::skill_result(conn, skill_id)?;
    row.and_then(|r| r.ratified_snapshot)
        .map(|s| serde_json::from_str(&s).map_err(|e| ApiError::internal(anyhow::anyhow!("stored results: {e}"))))
        .transpose()
}

/// An entry's score on `basis` in hundredths, from a ratified snapshot.
fn score_in(snapshot: &SkillSnapshot, entry: &EntryId, basis: StandingBasis, total: i64) -> Option<i64> {
    let line = snapshot.entries.iter().find(|l| l.entry_id == *entry)?;
    Some(match basis {
        StandingBasis::WsScale => i64::from(line.score) * 100,
        StandingBasis::Percentage => percentage_hundredths(i64::from(parse_hundredths(&line.raw).ok()?), total),
    })
}

fn scheme_total(conn: &mut DbConn, skill_id: &SkillId) -> ApiResult<i64> {
    let total = match repo::schemes::find(conn, skill_id)? {
        Some(row) => serde_json::from_str::<crate::domain::scheme::Scheme>(&row.document)
            .map(|s| s.total())
            .unwrap_or(i64::from(TOTAL)),
        None => i64::from(TOTAL),
    };
    Ok(if total > 0 { total } else { i64::from(TOTAL) })
}

/// The entries a competitor had in the earlier stages, stage 1 first, ending with `entry`:
/// followed back through the advancements that carried them.
fn lineage_back(conn: &mut DbConn, entry: &EntryId) -> ApiResult<Vec<(StageId, EntryId)>> {
    let mut out = Vec::new();
    let mut current = entry.clone();
    while let Some(adv) = repo::selection::advancement_into(conn, &current)? {
        out.push((adv.stage_id.clone(), adv.entry_id.clone()));
        current = adv.entry_id;
        if out.len() > 32 {
            break;
        }
    }
    out.reverse();
    Ok(out)
}

struct Computed {
    lines: Vec<StandingLine>,
    candidates: Vec<Candidate>,
    rows: Vec<AdvancementRow>,
}

/// Computes the proposal of a stage's skill from the ratified rankings (refused before the
/// deciding stage is ratified).
fn compute(
    conn: &mut DbConn,
    programme: &ProgrammeRow,
    stages: &[StageRow],
    stage: &StageRow,
    row: &StageSkillRow,
) -> ApiResult<Computed> {
    let skill = skill_row(conn, &row.skill_id)?;
    gate::permit(conn, Operation::ConfirmAdvancement, &skill)?;
    recompute(conn, programme, stages, stage, row, &skill)
}

/// [`compute`] without asking the lifecycle (`skillmark verify` recomputes what was confirmed).
fn recompute(
    conn: &mut DbConn,
    programme: &ProgrammeRow,
    stages: &[StageRow],
    stage: &StageRow,
    row: &StageSkillRow,
    skill: &SkillRow,
) -> ApiResult<Computed> {
    let snapshot = ratified(conn, &row.skill_id)?.ok_or_else(|| ApiError::Conflict {
        code: ErrorCode::NotRatified,
        detail: format!(
            "skill {}: the skill's results are not ratified: the chief expert ratifies them first",
            skill.number
        ),
        current: None,
    })?;
    let weights = StageWeights::parse(weights_of(row)?)
        .unwrap_or_else(|_| StageWeights::this_stage_only(stage.position as usize));
    let rule = tie_rule_of(row)?;
    let position_of: HashMap<StageId, i32> = stages.iter().map(|s| (s.id.clone(), s.position)).collect();
    // Each earlier stage's skill (by stage) with its snapshot and scheme total, read once.
    let mut earlier: HashMap<SkillId, (Option<SkillSnapshot>, i64)> = HashMap::new();
    let total = scheme_total(conn, &row.skill_id)?;
    let delegations: HashMap<DelegationId, DelegationRow> =
        repo::events::delegations_of(conn, &stage.event_id)?.into_iter().map(|d| (d.id.clone(), d)).collect();
    let mut lines = Vec::new();
    let mut candidates = Vec::new();
    let mut excluded = Vec::new();
    for line in &snapshot.entries {
        let entry_id: EntryId = line.entry_id.clone();
        let mut breakdown = Vec::new();
        let mut scores = Vec::new();
        for (stage_id, old_entry) in lineage_back(conn, &entry_id)? {
            let Some(adv) = repo::selection::advancement_of_entry(conn, &old_entry)? else { continue };
            if !earlier.contains_key(&adv.skill_id) {
                let snap = ratified(conn, &adv.skill_id)?;
                let t = scheme_total(conn, &adv.skill_id)?;
                earlier.insert(adv.skill_id.clone(), (snap, t));
            }
            let (snap, t) = &earlier[&adv.skill_id];
            let score = snap.as_ref().and_then(|s| score_in(s, &old_entry, row.basis, *t));
            let position = position_of.get(&stage_id).copied().unwrap_or(0);
            scores.push(score);
            breakdown.push(StageScore {
                position,
                entry_id: Some(old_entry),
                score: score.map(format_hundredths),
                weight: weights.as_slice().get((position - 1).max(0) as usize).copied().unwrap_or(0),
            });
        }
        // Stages the competitor did not pass through (never, for one carried over) count empty.
        while scores.len() + 1 < stage.position as usize {
            scores.insert(0, None);
        }
        let own = score_in(&snapshot, &entry_id, row.basis, total);
        scores.push(own);
        breakdown.push(StageScore {
            position: stage.position,
            entry_id: Some(entry_id.clone()),
            score: own.map(format_hundredths),
            weight: weights.as_slice().last().copied().unwrap_or(100),
        });
        let standing = combine(&scores, &weights);
        let tie_break = match &rule {
            TieRule::HigherInCriterion { criterion } => line
                .criteria
                .iter()
                .chain(&line.sub_criteria)
                .find(|p| p.id.eq_ignore_ascii_case(criterion))
                .and_then(|p| parse_hundredths(&p.mark).ok())
                .map(i64::from),
            TieRule::AllTiedAdvance => None,
        };
        // Age in the target competition's year, against the skill's limit.
        let mut ineligible = None;
        for c in repo::registration::competitors_of(conn, std::slice::from_ref(&line.entry_id))? {
            if let Err(why) = check_age(c.birth_date, programme.target_year, skill.age_limit) {
                ineligible = Some(format!("{} {why}", c.name));
                break;
            }
        }
        let entry = entry_row(conn, &entry_id)?;
        let d = entry.as_ref().and_then(|e| delegations.get(&e.delegation_id));
        let field = |f: fn(&DelegationRow) -> &String| d.map(f).cloned().unwrap_or_default();
        excluded.push(ineligible.is_some());
        candidates.push(Candidate { standing, tie_break });
        lines.push(StandingLine {
            entry_id,
            delegation_code: field(|d| &d.code),
            delegation_name_zh: field(|d| &d.name_zh),
            delegation_name_en: field(|d| &d.name_en),
            competitors: line.competitors.clone(),
            standing: format_hundredths(standing.hundredths()),
            breakdown,
            tie_break: tie_break.map(format_hundredths),
            rank: 0,
            advances: false,
            tied_at_cut: false,
            decided_by_tie_break: false,
            moved_up: false,
            ineligible,
            withdrawn_reason: None,
            next_entry_id: None,
        });
    }
    let (placements, moved) = propose_excluding(&candidates, row.cut.max(0) as usize, &rule, &excluded);
    let mut rows = Vec::new();
    for (i, line) in lines.iter_mut().enumerate() {
        let p = placements[i];
        line.rank = p.rank;
        line.advances = p.advances;
        line.tied_at_cut = p.tied_at_cut;
        line.decided_by_tie_break = p.decided_by_tie_break;
        line.moved_up = moved[i];
        rows.push(AdvancementRow {
            stage_id: stage.id.clone(),
            entry_id: line.entry_id.clone(),
            skill_id: row.skill_id.clone(),
            standing: candidates[i].standing.0,
            tie_break: candidates[i].tie_break,
            breakdown: serde_json::to_string(&line.breakdown).map_err(ApiError::internal)?,
            rank: p.rank as i32,
            advanced: p.advances,
            tied_at_cut: p.tied_at_cut,
            decided_by_tie_break: p.decided_by_tie_break,
            moved_up: moved[i],
            ineligible: line.ineligible.clone(),
            next_entry_id: None,
            withdrawn_reason: None,
            withdrawn_by: None,
            withdrawn_at: None,
        });
    }
    order(&mut lines, &mut candidates, &mut rows);
    Ok(Computed { lines, candidates, rows })
}

/// Best rank first, then by delegation code.
fn order(lines: &mut [StandingLine], candidates: &mut [Candidate], rows: &mut [AdvancementRow]) {
    let mut idx: Vec<usize> = (0..lines.len()).collect();
    idx.sort_by(|&a, &b| {
        lines[a].rank.cmp(&lines[b].rank).then(lines[a].delegation_code.cmp(&lines[b].delegation_code))
    });
    let (l, c, r): (Vec<_>, Vec<_>, Vec<_>) = {
        let l: Vec<StandingLine> = idx.iter().map(|&i| lines[i].clone()).collect();
        let c: Vec<Candidate> = idx.iter().map(|&i| candidates[i]).collect();
        let r: Vec<AdvancementRow> = idx.iter().map(|&i| rows[i].clone()).collect();
        (l, c, r)
    };
    lines.clone_from_slice(&l);
    candidates.copy_from_slice(&c);
    rows.clone_from_slice(&r);
}

/// The stored (confirmed) standing as lines.
fn stored_lines(conn: &mut DbConn, stage: &StageRow, rows: &[AdvancementRow]) -> ApiResult<Vec<StandingLine>> {
    let delegations: HashMap<DelegationId, DelegationRow> =
        repo::events::delegations_of(conn, &stage.event_id)?.into_iter().map(|d| (d.id.clone(), d)).collect();
    let mut out = Vec::new();
    for r in rows {
        let entry = entry_row(conn, &r.entry_id)?;
        let d = entry.as_ref().and_then(|e| delegations.get(&e.delegation_id));
        let field = |f: fn(&DelegationRow) -> &String| d.map(f).cloned().unwrap_or_default();
        let names = repo::registration::competitors_of(conn, std::slice::from_ref(&r.entry_id))?
            .into_iter()
            .map(|c| c.name)
            .collect();
        out.push(StandingLine {
            entry_id: r.entry_id.clone(),
            delegation_code: field(|d| &d.code),
            delegation_name_zh: field(|d| &d.name_zh),
            delegation_name_en: field(|d| &d.name_en),
            competitors: names,
            standing: format_hundredths(Standing(r.standing).hundredths()),
            breakdown: serde_json::from_str(&r.breakdown).unwrap_or_default(),
            tie_break: r.tie_break.map(format_hundredths),
            rank: r.rank.max(0) as usize,
            advances: r.advanced,
            tied_at_cut: r.tied_at_cut,
            decided_by_tie_break: r.decided_by_tie_break,
            moved_up: r.moved_up,
            ineligible: r.ineligible.clone(),
            withdrawn_reason: r.withdrawn_reason.clone(),
            next_entry_id: r.next_entry_id.clone(),
        });
    }
    Ok(out)
}

fn standing_view(
    conn: &mut DbConn,
    stage: &StageRow,
    row: &StageSkillRow,
    lines: Vec<StandingLine>,
) -> ApiResult<StageStanding> {
    Ok(StageStanding {
        stage_id: stage.id.clone(),
        skill_id: row.skill_id.clone(),
        skill_number: row.skill_number.clone(),
        cut: row.cut,
        weights: weights_of(row)?,
        basis: row.basis,
        tie_rule: tie_rule_of(row)?,
        is_final: stage.is_final,
        confirmed: row.confirmed_at.is_some(),
        version: row.version,
        lines: {
            let _ = conn;
            lines
        },
    })
}

/// The proposal of who advances from a stage's skill (organisers): refused until the stage's
/// results for the skill are ratified; once confirmed, what was confirmed.
pub fn proposal(conn: &mut DbConn, roles: &Grants, stage_id: &StageId, skill_id: &SkillId) -> ApiResult<StageStanding> {
    let (programme, stages, stage) = managed_stage(conn, roles, stage_id)?;
    let row = stage_skill(conn, &stage, skill_id)?;
    let lines = if row.confirmed_at.is_some() {
        let rows = repo::selection::advancements_of(conn, &stage.id, skill_id)?;
        stored_lines(conn, &stage, &rows)?
    } else {
        compute(conn, &programme, &stages, &stage, &row)?.lines
    };
    standing_view(conn, &stage, &row, lines)
}

/// Confirms the proposal (audited): records the standing, enters the advancing competitors into
/// the next stage's event (if it exists) and, for the final stage, makes the national team.
pub fn confirm(
    conn: &mut DbConn,
    user: &UserId,
    roles: &Grants,
    stage_id: &StageId,
    skill_id: &SkillId,
    version: i32,
    ctx: &AuditContext,
) -> ApiResult<StageStanding> {
    write_tx(conn, |conn| {
        let (programme, stages, stage) = managed_stage(conn, roles, stage_id)?;
        let mut row = stage_skill(conn, &stage, skill_id)?;
        let deciding = skill_row(conn, skill_id)?;
        gate::permit(conn, Operation::ConfirmAdvancement, &deciding)?;
        if row.confirmed_at.is_some() {
            return Err(conflict(
                ErrorCode::AdvancementConfirmed,
                "the advancement of this skill is confirmed already",
            ));
        }
        if row.version != version {
            return Err(ApiError::Conflict {
                code: ErrorCode::VersionConflict,
                detail: "the skill's selection rules were changed meanwhile; review the proposal and retry".into(),
                current: serde_json::to_value(stage_skill_view(conn, &row)?).ok(),
            });
        }
        let computed = compute(conn, &programme, &stages, &stage, &row)?;
        let next = stages.iter().find(|s| s.position == stage.position + 1).cloned();
        for adv in &computed.rows {
            repo::selection::insert_advancement(conn, adv)?;
        }
        let at = now();
        row.confirmed_at = Some(at);
        row.confirmed_by = Some(user.clone());
        row.version += 1;
        row.updated_at = at;
        if !repo::selection::update_stage_skill(conn, &row, version)? {
            return Err(conflict(ErrorCode::VersionConflict, "the skill's selection rules were changed meanwhile"));
        }
        let advancing: Vec<String> =
            computed.lines.iter().filter(|l| l.advances).map(|l| l.entry_id.to_string()).collect();
        audit(
            conn,
            ctx,
            AuditAction::SelectionAdvancementConfirmed,
            (AuditTarget::Skill, &row.skill_id),
            &stage.event_id,
            None,
            json!({"stage": stage.position, "cut": row.cut, "advancing": advancing,
                   "tied_at_cut": computed.lines.iter().filter(|l| l.tied_at_cut).map(|l| l.entry_id.to_string()).collect::<Vec<_>>(),
                   "ineligible": computed.lines.iter().filter(|l| l.ineligible.is_some()).map(|l| l.entry_id.to_string()).collect::<Vec<_>>()}),
        )?;
        if let Some(next) = &next {
            for adv in computed.rows.iter().filter(|a| a.advanced) {
                carry(conn, next, &row.skill_number, adv.clone(), ctx)?;
            }
        }
        if stage.is_final {
            make_team(conn, &programme, &stage, &row, ctx)?;
            complete_if_done(conn, &programme, &stage)?;
        }
        let _ = computed.candidates;
        let rows = repo::selection::advancements_of(conn, &stage.id, skill_id)?;
        let lines = stored_lines(conn, &stage, &rows)?;
        standing_view(conn, &stage, &row, lines)
    })
}

/// The placements of a stored standing (for the move-up and the team).
fn stored_candidates(rows: &[AdvancementRow]) -> (Vec<Candidate>, Vec<Placement>, Vec<bool>) {
    let candidates =
        rows.iter().map(|r| Candidate { standing: Standing(r.standing), tie_break: r.tie_break }).collect();
    let placements = rows
        .iter()
        .map(|r| Placement {
            rank: r.rank.max(0) as usize,
            advances: r.advanced,
            tied_at_cut: r.tied_at_cut,
            decided_by_tie_break: r.decided_by_tie_break,
        })
        .collect();
    let out = rows.iter().map(|r| r.withdrawn_reason.is_some() || r.ineligible.is_some()).collect();
    (candidates, placements, out)
}

/// The national team of a final stage's skill: who advanced (members) and whoever would move up
/// first (alternates).
fn make_team(
    conn: &mut DbConn,
    programme: &ProgrammeRow,
    stage: &StageRow,
    row: &StageSkillRow,
    ctx: &AuditContext,
) -> ApiResult<()> {
    let rows = repo::selection::advancements_of(conn, &stage.id, &row.skill_id)?;
    let (candidates, placements, out) = stored_candidates(&rows);
    let rule = tie_rule_of(row)?;
    let at = now();
    let mut team: Vec<TeamRow> = rows
        .iter()
        .filter(|r| r.advanced && r.withdrawn_reason.is_none())
        .map(|r| TeamRow {
            programme_id: programme.id.clone(),
            entry_id: r.entry_id.clone(),
            skill_number: row.skill_number.clone(),
            place: TeamPlace::Member,
            updated_at: at,
        })
        .collect();
    for i in alternates(&candidates, &placements, &out, &rule) {
        team.push(TeamRow {
            programme_id: programme.id.clone(),
            entry_id: rows[i].entry_id.clone(),
            skill_number: row.skill_number.clone(),
            place: TeamPlace::Alternate,
            updated_at: at,
        });
    }
    repo::selection::replace_team(conn, &programme.id, &row.skill_number, &team)?;
    audit(
        conn,
        ctx,
        AuditAction::SelectionTeamSet,
        (AuditTarget::SelectionProgramme, &programme.id),
        &stage.event_id,
        None,
        json!({"skill": row.skill_number,
               "members": team.iter().filter(|t| t.place == TeamPlace::Member).map(|t| t.entry_id.to_string()).collect::<Vec<_>>(),
               "alternates": team.iter().filter(|t| t.place == TeamPlace::Alternate).map(|t| t.entry_id.to_string()).collect::<Vec<_>>()}),
    )?;
    Ok(())
}

/// A programme whose final stage is confirmed in every skill is completed.
fn complete_if_done(conn: &mut DbConn, programme: &ProgrammeRow, stage: &StageRow) -> ApiResult<()> {
    let all = repo::selection::stage_skills_of(conn, &stage.id)?;
    if all.iter().all(|s| s.confirmed_at.is_some()) && programme.status == ProgrammeStatus::Active {
        let mut p = programme.clone();
        let version = p.version;
        p.status = ProgrammeStatus::Completed;
        p.version += 1;
        p.updated_at = now();
        repo::selection::update_programme(conn, &p, version)?;
    }
    Ok(())
}

/// Enters an advancing competitor into the next stage's event: the same delegation (by code,
/// copied into the event if it is not there yet, with its team leaders), an entry in the same
/// skill, the same people (and their accounts); no re-import.
fn carry(
    conn: &mut DbConn,
    next: &StageRow,
    number: &str,
    mut adv: AdvancementRow,
    ctx: &AuditContext,
) -> ApiResult<()> {
    let Some(target) = repo::selection::stage_skill_numbered(conn, &next.id, number)? else {
        // The next stage does not assess the skill.
        return Ok(());
    };
    let skill = skill_row(conn, &target.skill_id)?;
    gate::permit(conn, Operation::CreateEntry, &skill)?;
    let Some(old) = entry_row(conn, &adv.entry_id)? else { return Ok(()) };
    let old_delegation = repo::events::find_delegation(conn, &old.delegation_id)?.ok_or(not_found("delegation"))?;
    let next_event = next.event_id.clone();
    let at = now();
    let delegation =
        match repo::events::delegations_of(conn, &next_event)?.into_iter().find(|d| d.code == old_delegation.code) {
            Some(d) => d,
            None => {
                let d = DelegationRow {
                    id: new_id::<DelegationId>(),
                    event_id: next_event.clone(),
                    version: 1,
                    created_at: at,
                    updated_at: at,
                    ..old_delegation.clone()
                };
                repo::events::insert_delegation(conn, &d)?;
                let old_id: DelegationId = old_delegation.id.clone();
                for (_, leader) in repo::users::team_leaders_of(conn, &[old_id])? {
                    repo::users::insert_role(
                        conn,
                        &RoleRow {
                            id: new_id(),
                            user_id: leader.id.clone(),
                            role: Role::TeamLeader,
                            scope_id: Some((&d.id).into()),
                            delegation_id: None,
                            created_at: at,
                        },
                    )?;
                }
                d
            }
        };
    let entry = EntryRow {
        id: new_id::<EntryId>(),
        event_id: next_event.clone(),
        skill_id: skill.id.clone(),
        delegation_id: delegation.id.clone(),
        status: EntryStatus::Confirmed,
        workstation: None,
        version: 1,
        created_at: at,
        updated_at: at,
        anon_code: None,
    };
    repo::registration::insert_entry(conn, &entry)?;
    for c in repo::registration::competitors_of(conn, std::slice::from_ref(&old.id))? {
        let person = CompetitorRow {
            id: new_id::<crate::domain::ids::CompetitorId>(),
            event_id: next_event.clone(),
            entry_id: entry.id.clone(),
            version: 1,
            created_at: at,
            updated_at: at,
            ..c.clone()
        };
        repo::registration::insert_competitor(conn, &person)?;
        if let Some(user) = &c.user_id {
            repo::users::insert_role(
                conn,
                &RoleRow {
                    id: new_id(),
                    user_id: user.clone(),
                    role: Role::Competitor,
                    scope_id: Some((&entry.id).into()),
                    delegation_id: None,
                    created_at: at,
                },
            )?;
        }
    }
    adv.next_entry_id = Some(entry.id.clone());
    repo::selection::update_advancement(conn, &adv)?;
    audit(
        conn,
        ctx,
        AuditAction::SelectionCarriedOver,
        (AuditTarget::Entry, &entry.id),
        &next.event_id,
        None,
        json!({"from_entry_id": adv.entry_id, "skill": number, "delegation": delegation.code, "stage": next.position}),
    )?;
    Ok(())
}

/// Who withdraws and why.
pub struct Withdrawal {
    /// The entry of the stage that withdraws.
    pub entry_id: EntryId,
    pub reason: String,
}

/// A squad member withdraws (injury, ineligibility) with a reason (audited): their entry in the
/// next stage is withdrawn and the next-ranked moves up (递补) and is carried over; in the final
/// stage the team is made again (the alternate becomes the member).
pub fn withdraw(
    conn: &mut DbConn,
    user: &UserId,
    roles: &Grants,
    stage_id: &StageId,
    skill_id: &SkillId,
    w: Withdrawal,
    ctx: &AuditContext,
) -> ApiResult<StageStanding> {
    let Withdrawal { entry_id, reason } = w;
    let entry_id = &entry_id;
    write_tx(conn, |conn| {
        let (programme, stages, stage) = managed_stage(conn, roles, stage_id)?;
        let row = stage_skill(conn, &stage, skill_id)?;
        let skill = skill_row(conn, skill_id)?;
        gate::permit(conn, Operation::WithdrawFromSquad, &skill)?;
        if row.confirmed_at.is_none() {
            return Err(conflict(
                ErrorCode::AdvancementNotConfirmed,
                "the advancement of this skill is not confirmed yet: confirm it first",
            ));
        }
        let mut rows = repo::selection::advancements_of(conn, &stage.id, skill_id)?;
        let i = rows
            .iter()
            .position(|r| &r.entry_id == entry_id)
            .ok_or_else(|| ApiError::validation("entry_id", "is not an entry of this stage's skill"))?;
        if rows[i].withdrawn_reason.is_some() {
            return Err(conflict(ErrorCode::AlreadyWithdrawn, "the competitor has withdrawn already"));
        }
        let was_advancing = rows[i].advanced;
        let at = now();
        rows[i].withdrawn_reason = Some(reason.clone());
        rows[i].withdrawn_by = Some(user.clone());
        rows[i].withdrawn_at = Some(at);
        rows[i].advanced = false;
        repo::selection::update_advancement(conn, &rows[i])?;
        // Their entry in the next stage no longer competes.
        if let Some(next_entry) = rows[i].next_entry_id.clone() {
            if let Some(mut e) = entry_row(conn, &next_entry)? {
                let next_skill = repo::events::find_skill(conn, &e.skill_id)?.ok_or(not_found("skill"))?;
                gate::permit(conn, Operation::ChangeEntryStatus, &next_skill)?;
                let version = e.version;
                e.status = EntryStatus::Withdrawn;
                e.version += 1;
                e.updated_at = at;
                repo::registration::update_entry(conn, &e, version)?;
            }
        }
        let mut moved = Vec::new();
        if was_advancing {
            let (candidates, placements, out) = stored_candidates(&rows);
            let rule = tie_rule_of(&row)?;
            let next = stages.iter().find(|s| s.position == stage.position + 1).cloned();
            for j in rules::move_up(&candidates, &placements, &out, &rule) {
                rows[j].advanced = true;
                rows[j].moved_up = true;
                repo::selection::update_advancement(conn, &rows[j])?;
                moved.push(rows[j].entry_id.to_string());
                if let Some(next) = &next {
                    carry(conn, next, &row.skill_number, rows[j].clone(), ctx)?;
                }
            }
        }
        audit(
            conn,
            ctx,
            AuditAction::SelectionWithdrawn,
            (AuditTarget::Entry, entry_id),
            &stage.event_id,
            None,
            json!({"skill": row.skill_number, "stage": stage.position, "reason": reason, "moved_up": moved}),
        )?;
        if stage.is_final {
            make_team(conn, &programme, &stage, &row, ctx)?;
        }
        let rows = repo::selection::advancements_of(conn, &stage.id, skill_id)?;
        let lines = stored_lines(conn, &stage, &rows)?;
        standing_view(conn, &stage, &row, lines)
    })
}

// ---------------------------------------------------------------------------------------------
// A competitor's path

fn holds_entry(roles: &Grants, entry: &EntryId) -> bool {
    roles.iter().any(|g| matches!(g, Grant::Competitor(e) if e == entry))
}

/// A competitor's stages, each with score, rank, cut and whether they advanced: for the
/// competitor, their team leader and the organisers only.
pub fn path(conn: &mut DbConn, roles: &Grants, entry_id: &EntryId) -> ApiResult<Path> {
    let entry = entry_row(conn, entry_id)?.ok_or(not_found("entry"))?;
    let event_id: EventId = entry.event_id.clone();
    // The stage-by-stage entries: back to stage 1, then forward through confirmed advancements.
    let mut chain: Vec<EntryId> = lineage_back(conn, entry_id)?.into_iter().map(|(_, e)| e).collect();
    chain.push(entry_id.clone());
    let mut current = entry_id.clone();
    while let Some(next) = repo::selection::advancement_of_entry(conn, &current)?.and_then(|a| a.next_entry_id) {
        chain.push(next.clone());
        current = next;
        if chain.len() > 32 {
            break;
        }
    }
    let mut entries = Vec::new();
    for id in &chain {
        if let Some(e) = entry_row(conn, id)? {
            entries.push(e);
        }
    }
    let first_event: EventId = entries.first().map(|e| e.event_id.clone()).unwrap_or(entry.event_id.clone());
    let stage_one = repo::selection::stage_of_event(conn, &first_event)?;
    let own_stage = repo::selection::stage_of_event(conn, &event_id)?;
    let Some(stage) = own_stage.or(stage_one) else { return Err(not_found("entry")) };
    let programme = repo::selection::find_programme(conn, &stage.programme_id)?.ok_or(not_found("entry"))?;
    let stages = repo::selection::stages_of(conn, &programme.id)?;
    // Who may see it.
    let leads = entries.iter().any(|e| roles.delegations().contains(&e.delegation_id));
    let competes = chain.iter().any(|e| holds_entry(roles, e));
    if !(manages(conn, roles, &stages)? || leads || competes) {
        return Err(if access(conn, roles, &entry.event_id)? > Access::None {
            ApiError::forbidden()
        } else {
            not_found("entry")
        });
    }
    let mut steps = Vec::new();
    for s in &stages {
        let event = event_row(conn, &s.event_id)?;
        let e = entries.iter().find(|e| e.event_id == s.event_id);
        let entry_id: Option<EntryId> = e.map(|e| e.id.clone());
        let config = match e {
            Some(e) => repo::selection::find_stage_skill(conn, &s.id, &e.skill_id.clone())?,
            None => None,
        };
        let adv = match &entry_id {
            Some(id) => repo::selection::advancement_of_entry(conn, id)?,
            None => None,
        };
        let score = adv.as_ref().and_then(|a| {
            serde_json::from_str::<Vec<StageScore>>(&a.breakdown)
                .ok()
                .and_then(|b| b.last().and_then(|x| x.score.clone()))
        });
        steps.push(PathStep {
            position: s.position,
            stage_id: s.id.clone(),
            event_name: event.name,
            entry_id,
            cut: config.as_ref().map(|c| c.cut),
            score,
            standing: adv.as_ref().map(|a| format_hundredths(Standing(a.standing).hundredths())),
            rank: adv.as_ref().map(|a| a.rank.max(0) as usize),
            advanced: adv.as_ref().map(|a| a.advanced),
            moved_up: adv.as_ref().is_some_and(|a| a.moved_up),
            ineligible: adv.as_ref().and_then(|a| a.ineligible.clone()),
            withdrawn_reason: adv.as_ref().and_then(|a| a.withdrawn_reason.clone()),
        });
    }
    let team = repo::selection::team_of(conn, &programme.id)?;
    let team_place = team.iter().find(|t| chain.contains(&t.entry_id)).map(|t| t.place);
    let delegation = repo::events::find_delegation(conn, &entry.delegation_id)?;
    let skill = repo::events::find_skill(conn, &entry.skill_id)?;
    Ok(Path {
        programme_id: programme.id.clone(),
        programme_name: programme.name.clone(),
        target_year: programme.target_year,
        competitors: repo::registration::competitors_of(conn, std::slice::from_ref(&entry.id))?
            .into_iter()
            .map(|c| c.name)
            .collect(),
        delegation_code: delegation.map(|d| d.code).unwrap_or_default(),
        skill_number: skill.map(|s| s.number).unwrap_or_default(),
        steps,
        team_place,
    })
}

// ---------------------------------------------------------------------------------------------
// Squad and team lists, and their staged release (公示)

/// Whether a caller who does not manage the programme may see a list released to `audience`:
/// the public sees public lists; delegations (team leaders and competitors of the stage's events)
/// see lists released to them.
fn may_see(conn: &mut DbConn, roles: Option<&Grants>, stages: &[StageRow], audience: Audience) -> ApiResult<bool> {
    match audience {
        Audience::Public => Ok(true),
        Audience::Delegations => {
            let Some(roles) = roles else { return Ok(false) };
            let events: Vec<EventId> = stages.iter().map(|s| s.event_id.clone()).collect();
            for event in &events {
                if access(conn, roles, event)? > Access::None {
                    return Ok(true);
                }
            }
            // Competitors of an entry in one of the stages' events.
            for grant in roles.iter() {
                if let Grant::Competitor(entry) = grant {
                    if entry_row(conn, entry)?.is_some_and(|e| events.contains(&e.event_id)) {
                        return Ok(true);
                    }
                }
            }
            Ok(false)
        }
        Audience::None | Audience::Experts => Ok(false),
    }
}

/// Whether a skill's line in a list is under review: a dispute about the skill's stage result is
/// open, or one was upheld and the skill is reopened (until it is re-ratified and released).
fn under_review(conn: &mut DbConn, skill: &SkillRow) -> ApiResult<bool> {
    if repo::results::open_disputes_of_skill(conn, &skill.id)? > 0 {
        return Ok(true);
    }
    Ok(gate::phase_of(conn, skill)? == Phase::Reopened)
}

/// Where a list's announcement (公示) is: its state, when it was released to the public, when its
/// notice period ends, and the period's length.
struct Announcement {
    state: ListState,
    announced_at: Option<chrono::DateTime<chrono::Utc>>,
    notice_ends: Option<chrono::DateTime<chrono::Utc>>,
    notice_days: u32,
}

fn announcement(
    audience: Audience,
    public_at: Option<chrono::NaiveDateTime>,
    notice_days: i32,
    lines: &[ListLine],
) -> Announcement {
    let days = notice_days.max(0) as u32;
    let review = lines.iter().any(|l| l.under_review);
    Announcement {
        state: list_state(audience, public_at, days, review, now()),
        announced_at: public_at.map(|t| t.and_utc()),
        notice_ends: list_notice_ends(public_at, days).map(|t| t.and_utc()),
        notice_days: days,
    }
}

fn list_line(
    conn: &mut DbConn,
    adv: &AdvancementRow,
    skill: &SkillRow,
    place: Option<TeamPlace>,
    under_review: bool,
) -> ApiResult<ListLine> {
    let entry = entry_row(conn, &adv.entry_id)?.ok_or(not_found("entry"))?;
    let d = repo::events::find_delegation(conn, &entry.delegation_id)?;
    Ok(ListLine {
        skill_number: skill.number.clone(),
        skill_name_zh: skill.name_zh.clone(),
        skill_name_en: skill.name_en.clone(),
        entry_id: adv.entry_id.clone(),
        delegation_code: d.as_ref().map(|d| d.code.clone()).unwrap_or_default(),
        delegation_name_zh: d.as_ref().map(|d| d.name_zh.clone()).unwrap_or_default(),
        delegation_name_en: d.as_ref().map(|d| d.name_en.clone()).unwrap_or_default(),
        competitors: repo::registration::competitors_of(conn, std::slice::from_ref(&entry.id))?
            .into_iter()
            .map(|c| c.name)
            .collect(),
        rank: adv.rank.max(0) as usize,
        standing: format_hundredths(Standing(adv.standing).hundredths()),
        place,
        under_review,
    })
}

/// Who advanced from a stage (its squad list), skill by skill: organisers always; others once
/// released to them (`roles: None` for the public pages). Hidden lists are "not found".
pub fn squad(conn: &mut DbConn, roles: Option<&Grants>, stage_id: &StageId) -> ApiResult<SelectionList> {
    let stage = repo::selection::find_stage(conn, stage_id)?.ok_or(not_found(StageId::WHAT))?;
    let programme = repo::selection::find_programme(conn, &stage.programme_id)?.ok_or(not_found(StageId::WHAT))?;
    let stages = repo::selection::stages_of(conn, &programme.id)?;
    let manager = match roles {
        Some(r) => manages(conn, r, &stages)?,
        None => false,
    };
    if !manager && !may_see(conn, roles, &stages, stage.audience)? {
        return Err(not_found(StageId::WHAT));
    }
    let mut lines = Vec::new();
    for row in repo::selection::stage_skills_of(conn, &stage.id)? {
        if row.confirmed_at.is_none() {
            continue;
        }
        let skill = skill_row(conn, &row.skill_id)?;
        let review = under_review(conn, &skill)?;
        for adv in repo::selection::advancements_of(conn, &stage.id, &row.skill_id)? {
            if adv.advanced && adv.withdrawn_reason.is_none() {
                lines.push(list_line(conn, &adv, &skill, None, review)?);
            }
        }
    }
    let a = announcement(stage.audience, stage.public_at, programme.notice_days, &lines);
    Ok(SelectionList {
        programme_id: programme.id.clone(),
        programme_name: programme.name.clone(),
        target_competition: programme.target_competition.clone(),
        target_year: programme.target_year,
        stage_id: Some(stage.id.clone()),
        audience: stage.audience,
        state: a.state,
        announced_at: a.announced_at,
        notice_ends: a.notice_ends,
        notice_days: a.notice_days,
        time_zone: time_zone_of(conn, &stages)?,
        lines,
    })
}

/// The national team, member then alternate per skill: organisers always; others once released.
pub fn team(conn: &mut DbConn, roles: Option<&Grants>, programme_id: &ProgrammeId) -> ApiResult<SelectionList> {
    let programme = repo::selection::find_programme(conn, programme_id)?.ok_or(not_found(ProgrammeId::WHAT))?;
    let stages = repo::selection::stages_of(conn, &programme.id)?;
    let manager = match roles {
        Some(r) => manages(conn, r, &stages)?,
        None => false,
    };
    if !manager && !may_see(conn, roles, &stages, programme.team_audience)? {
        return Err(not_found(ProgrammeId::WHAT));
    }
    let mut team = repo::selection::team_of(conn, &programme.id)?;
    team.sort_by(|a, b| a.skill_number.cmp(&b.skill_number).then(a.place.cmp(&b.place)));
    let mut lines = Vec::new();
    let mut reviewed: HashMap<SkillId, bool> = HashMap::new();
    for t in team {
        let Some(adv) = repo::selection::advancement_of_entry(conn, &t.entry_id)? else { continue };
        let skill = skill_row(conn, &adv.skill_id)?;
        let review = match reviewed.get(&skill.id) {
            Some(r) => *r,
            None => {
                let r = under_review(conn, &skill)?;
                reviewed.insert(skill.id.clone(), r);
                r
            }
        };
        lines.push(list_line(conn, &adv, &skill, Some(t.place), review)?);
    }
    let a = announcement(programme.team_audience, programme.team_public_at, programme.notice_days, &lines);
    Ok(SelectionList {
        programme_id: programme.id.clone(),
        programme_name: programme.name.clone(),
        target_competition: programme.target_competition.clone(),
        target_year: programme.target_year,
        stage_id: stages.iter().find(|s| s.is_final).map(|s| s.id.clone()),
        audience: programme.team_audience,
        state: a.state,
        announced_at: a.announced_at,
        notice_ends: a.notice_ends,
        notice_days: a.notice_days,
        time_zone: time_zone_of(conn, &stages)?,
        lines,
    })
}

fn check_release(from: Audience, to: Audience) -> ApiResult<()> {
    if !matches!(to, Audience::Delegations | Audience::Public) {
        return Err(ApiError::validation("audience", "must be delegations or public"));
    }
    if to < from {
        return Err(conflict(
            ErrorCode::AudienceNarrowing,
            "a release never narrows the audience of a list shown already",
        ));
    }
    Ok(())
}

/// Releases a stage's squad list: squad members and their delegations first, then the public.
pub fn release_squad(
    conn: &mut DbConn,
    roles: &Grants,
    stage_id: &StageId,
    audience: Audience,
    ctx: &AuditContext,
) -> ApiResult<SelectionList> {
    write_tx(conn, |conn| {
        let (programme, _, mut stage) = managed_stage(conn, roles, stage_id)?;
        check_release(stage.audience, audience)?;
        let before = stage.audience;
        stage.audience = audience;
        // The notice period (公示) starts with the public release.
        if audience == Audience::Public && stage.public_at.is_none() {
            stage.public_at = Some(now());
        }
        repo::selection::set_stage_audience(conn, &stage)?;
        audit(
            conn,
            ctx,
            AuditAction::SelectionSquadReleased,
            (AuditTarget::SelectionStage, &stage.id),
            &stage.event_id,
            Some(json!({"audience": before})),
            json!({"audience": audience, "public_at": stage.public_at,
                   "notice_ends": list_notice_ends(stage.public_at, programme.notice_days.max(0) as u32)}),
        )?;
        squad(conn, Some(roles), stage_id)
    })
}

/// Releases the national team list.
pub fn release_team(
    conn: &mut DbConn,
    roles: &Grants,
    programme_id: &ProgrammeId,
    audience: Audience,
    ctx: &AuditContext,
) -> ApiResult<SelectionList> {
    write_tx(conn, |conn| {
        let (mut programme, stages) = managed(conn, roles, programme_id)?;
        check_release(programme.team_audience, audience)?;
        let before = programme.team_audience;
        let version = programme.version;
        programme.team_audience = audience;
        // The notice period (公示) starts with the public release.
        if audience == Audience::Public && programme.team_public_at.is_none() {
            programme.team_public_at = Some(now());
        }
        programme.version += 1;
        programme.updated_at = now();
        if !repo::selection::update_programme(conn, &programme, version)? {
            return Err(conflict(ErrorCode::VersionConflict, "the programme was changed meanwhile; retry"));
        }
        audit(
            conn,
            ctx,
            AuditAction::SelectionTeamReleased,
            (AuditTarget::SelectionProgramme, &programme.id),
            &stages[0].event_id,
            Some(json!({"audience": before})),
            json!({"audience": audience, "public_at": programme.team_public_at,
                   "notice_ends": list_notice_ends(programme.team_public_at, programme.notice_days.max(0) as u32)}),
        )?;
        team(conn, Some(roles), programme_id)
    })
}

/// The national team as a table (CSV/XLSX): skill, place, delegation, names.
pub fn team_table(
    conn: &mut DbConn,
    roles: &Grants,
    programme_id: &ProgrammeId,
) -> ApiResult<(Vec<&'static str>, Vec<Vec<String>>)> {
    let list = team(conn, Some(roles), programme_id)?;
    let headers = vec![
        "技能编号 Skill",
        "技能 Skill (zh)",
        "Skill (en)",
        "名次 Place",
        "代表队 Delegation",
        "代表队 Delegation (zh)",
        "选手 Competitors",
        "综合成绩 Standing",
    ];
    let rows = list
        .lines
        .into_iter()
        .map(|l| {
            vec![
                l.skill_number,
                l.skill_name_zh,
                l.skill_name_en,
                match l.place {
                    Some(TeamPlace::Member) => "正式选手 member".to_string(),
                    Some(TeamPlace::Alternate) => "替补 alternate".to_string(),
                    None => String::new(),
                },
                l.delegation_code,
                l.delegation_name_zh,
                l.competitors.join("、"),
                l.standing,
            ]
        })
        .collect();
    Ok((headers, rows))
}

// ---------------------------------------------------------------------------------------------
// `skillmark verify`

/// What a confirmed standing line must be, compared field by field.
#[derive(Debug, PartialEq)]
struct Expected {
    standing: i64,
    tie_break: Option<i64>,
    breakdown: Vec<StageScore>,
    rank: i32,
    tied_at_cut: bool,
    decided_by_tie_break: bool,
    advanced: bool,
    moved_up: bool,
}

impl Expected {
    fn of(r: &AdvancementRow) -> Self {
        Self {
            standing: r.standing,
            tie_break: r.tie_break,
            breakdown: serde_json::from_str(&r.breakdown).unwrap_or_default(),
            rank: r.rank,
            tied_at_cut: r.tied_at_cut,
            decided_by_tie_break: r.decided_by_tie_break,
            advanced: r.advanced,
            moved_up: r.moved_up,
        }
    }

    fn describe(&self) -> String {
        format!(
            "standing {} rank {} advanced {}{}",
            format_hundredths(Standing(self.standing).hundredths()),
            self.rank,
            self.advanced,
            if self.moved_up { " (moved up)" } else { "" }
        )
    }
}

/// Recomputes every confirmed advancement (stage, skill) from the stored ratified results with the
/// stage's weights, basis and tie rule, replays the recorded withdrawals and their move-ups (递补),
/// and reports every line that differs from what was confirmed. Returns how many standings were
/// checked and the problems. A skill reopened by an upheld dispute is skipped (its results may
/// change until re-ratified).
pub fn verify_standings(conn: &mut DbConn) -> ApiResult<(usize, Vec<String>)> {
    let mut checked = 0;
    let mut problems = Vec::new();
    for row in repo::selection::confirmed_stage_skills(conn)? {
        let Some(stage) = repo::selection::find_stage(conn, &row.stage_id)? else { continue };
        let Some(programme) = repo::selection::find_programme(conn, &stage.programme_id)? else { continue };
        let Some(skill) = repo::events::find_skill(conn, &row.skill_id)? else { continue };
        let label = format!("selection stage {} ({}) skill {}", stage.position, stage.id, row.skill_number);
        if gate::phase_of(conn, &skill)? == Phase::Reopened {
            continue;
        }
        checked += 1;
        let stages = repo::selection::stages_of(conn, &programme.id)?;
        let computed = match recompute(conn, &programme, &stages, &stage, &row, &skill) {
            Ok(c) => c,
            Err(e) => {
                problems.push(format!("{label}: the confirmed standing cannot be recomputed: {e}"));
                continue;
            }
        };
        let stored = repo::selection::advancements_of(conn, &stage.id, &row.skill_id)?;
        let mut expected: Vec<Expected> = computed.rows.iter().map(Expected::of).collect();
        replay_withdrawals(&computed, &stored, &tie_rule_of(&row)?, &mut expected);
        for (i, fresh) in computed.rows.iter().enumerate() {
            match stored.iter().find(|s| s.entry_id == fresh.entry_id) {
                None => problems.push(format!(
                    "{label}: entry {} recomputes to {} but has no confirmed standing",
                    fresh.entry_id,
                    expected[i].describe()
                )),
                Some(s) if Expected::of(s) != expected[i] => problems.push(format!(
                    "{label}: entry {} recomputes to {} but {} is stored",
                    fresh.entry_id,
                    expected[i].describe(),
                    Expected::of(s).describe()
                )),
                Some(_) => {}
            }
        }
        for s in stored.iter().filter(|s| !computed.rows.iter().any(|f| f.entry_id == s.entry_id)) {
            problems.push(format!("{label}: entry {} is confirmed but no longer in the ratified results", s.entry_id));
        }
    }
    Ok((checked, problems))
}

/// Applies the recorded withdrawals, in the order they happened, to the recomputed proposal: a
/// withdrawn entry no longer advances, and if it did the next-ranked moves up.
fn replay_withdrawals(computed: &Computed, stored: &[AdvancementRow], rule: &TieRule, expected: &mut [Expected]) {
    let mut withdrawals: Vec<(&AdvancementRow, usize)> = stored
        .iter()
        .filter(|s| s.withdrawn_reason.is_some())
        .filter_map(|s| computed.rows.iter().position(|r| r.entry_id == s.entry_id).map(|i| (s, i)))
        .collect();
    withdrawals.sort_by_key(|(s, _)| s.withdrawn_at);
    let mut out: Vec<bool> = computed.rows.iter().map(|r| r.ineligible.is_some()).collect();
    for (_, i) in withdrawals {
        let was_advancing = expected[i].advanced;
        expected[i].advanced = false;
        out[i] = true;
        if was_advancing {
            let placements: Vec<Placement> = expected
                .iter()
                .map(|e| Placement {
                    rank: e.rank.max(0) as usize,
                    advances: e.advanced,
                    tied_at_cut: e.tied_at_cut,
                    decided_by_tie_break: e.decided_by_tie_break,
                })
                .collect();
            for j in rules::move_up(&computed.candidates, &placements, &out, rule) {
                expected[j].advanced = true;
                expected[j].moved_up = true;
            }
        }
    }
}

// The printable team list, and the lists released to a caller (the team leaders' screen and the
// public index)

/// The national team as a printable document (member and alternate per skill, Chinese names),
/// for whoever may see the team list.
pub fn team_document(
    conn: &mut DbConn,
    roles: &Grants,
    programme_id: &ProgrammeId,
) -> ApiResult<crate::formats::pdf::TeamDocument> {
    use crate::formats::pdf::{TeamDocument, TeamLine, TeamSkill};
    let list = team(conn, Some(roles), programme_id)?;
    let mut skills: Vec<TeamSkill> = Vec::new();
    for l in list.lines {
        let title = format!("{} {} {}", l.skill_number, l.skill_name_zh, l.skill_name_en);
        if skills.last().is_none_or(|s| s.title != title) {
            skills.push(TeamSkill { title: title.clone(), rows: Vec::new() });
        }
        let place = match l.place {
            Some(TeamPlace::Member) => "正式选手 Member",
            Some(TeamPlace::Alternate) => "替补 Alternate",
            None => "",
        };
        let line = TeamLine {
            place: place.into(),
            competitors: l.competitors.join("、"),
            delegation: format!("{} {}", l.delegation_code, l.delegation_name_zh),
            standing: l.standing,
        };
        skills.last_mut().expect("pushed above").rows.push(line);
    }
    let today = now().date();
    Ok(TeamDocument {
        programme: list.programme_name,
        subtitle: format!("国家队名单 National team · {} ({})", list.target_competition, list.target_year),
        skills,
        date: format!("日期 Date：{} · {}", today.format("%Y年%-m月%-d日"), today.format("%-d %B %Y")),
        signatures: vec![
            "制表人 Prepared by".into(),
            "审核人 Checked by".into(),
            "批准人（盖章）Approved by (seal)".into(),
        ],
    })
}

/// A stage whose squad list the caller may see.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReleasedStage {
    pub stage_id: StageId,
    pub position: i32,
    pub event_name: String,
    pub audience: Audience,
}

/// A programme with the lists released to the caller: its stages' squad lists and the team list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReleasedProgramme {
    pub programme_id: ProgrammeId,
    pub programme_name: String,
    pub target_competition: String,
    pub target_year: i32,
    /// The events of all its stages (a team leader's screen shows the programmes of its event).
    pub event_ids: Vec<EventId>,
    /// The stages whose squad list is released to the caller, in order.
    pub stages: Vec<ReleasedStage>,
    /// Who sees the team list, when it is released to the caller; otherwise absent.
    pub team_audience: Option<Audience>,
}

/// The programmes with a squad or team list released to the caller (`roles: None`: released to
/// the public). Lists only released ones, even to the programme's organisers.
pub fn released_lists(conn: &mut DbConn, roles: Option<&Grants>) -> ApiResult<Vec<ReleasedProgramme>> {
    let mut out = Vec::new();
    for programme in repo::selection::list_programmes(conn)? {
        let stages = repo::selection::stages_of(conn, &programme.id)?;
        let mut released = Vec::new();
        for stage in &stages {
            if stage.audience >= Audience::Delegations && may_see(conn, roles, &stages, stage.audience)? {
                released.push(ReleasedStage {
                    stage_id: stage.id.clone(),
                    position: stage.position,
                    event_name: event_row(conn, &stage.event_id)?.name,
                    audience: stage.audience,
                });
            }
        }
        let team_audience = programme.team_audience;
        let team_released = team_audience >= Audience::Delegations && may_see(conn, roles, &stages, team_audience)?;
        if released.is_empty() && !team_released {
            continue;
        }
        out.push(ReleasedProgramme {
            programme_id: programme.id.clone(),
            programme_name: programme.name.clone(),
            target_competition: programme.target_competition.clone(),
            target_year: programme.target_year,
            event_ids: stages.iter().map(|s| s.event_id.clone()).collect(),
            stages: released,
            team_audience: team_released.then_some(team_audience),
        });
    }
    Ok(out)
}
