//! The result shapes and their computation: a skill's results from its locked marks, the stored
//! snapshots read back, and the live draft the chief expert watches.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::models::SkillRow;
use crate::db::DbConn;
use crate::domain::ids::{DelegationId, EntryId, EventId, SkillId, SubCriterionId};
use crate::domain::publication::{standings, ResultState};
use crate::domain::registration::EntryStatus;
use crate::domain::results::{breakdown, Award, Entered};
use crate::domain::role::Grants;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::repo;
use crate::service::access::{self as gate, access, Access};
use crate::service::schemes;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PartScore {
    /// Criterion or sub-criterion id, e.g. `A` or `A1`.
    pub id: String,
    /// Exact sum rounded to hundredths for display, e.g. `18.89`.
    pub mark: String,
}

/// One entry's result in its skill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ResultLine {
    pub entry_id: EntryId,
    /// The code experts knew the entry by (anonymous skills).
    pub code: Option<String>,
    // Empty while an anonymous skill hides who is behind its codes.
    pub delegation_id: String,
    pub delegation_code: String,
    pub delegation_name_zh: String,
    pub delegation_name_en: String,
    /// The competitors' names (one for an individual skill).
    pub competitors: Vec<String>,
    pub workstation: Option<i32>,
    /// Raw score from locked marks, e.g. `77.78`.
    pub raw: String,
    /// Standardised (WorldSkills scale) score.
    pub score: i32,
    pub rank: usize,
    pub award: Option<Award>,
    /// Goes forward to the training squad (when the event sets a cut).
    pub squad: bool,
    pub criteria: Vec<PartScore>,
    pub sub_criteria: Vec<PartScore>,
    /// Whether every sub-criterion of the entry is locked (else the draft is provisional).
    pub complete: bool,
}

/// A skill's results at one moment, best rank first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SkillSnapshot {
    pub skill_id: SkillId,
    pub event_id: EventId,
    pub skill_number: String,
    pub skill_name_zh: String,
    pub skill_name_en: String,
    pub team: bool,
    pub entries: Vec<ResultLine>,
}

/// The live draft the chief expert watches, with where the skill's results stand.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LiveResults {
    pub state: ResultState,
    #[serde(flatten)]
    pub snapshot: SkillSnapshot,
}

/// The skill's results from its locked marks under the event's rules (no access check).
pub fn compute(conn: &mut DbConn, skill: &SkillRow) -> ApiResult<SkillSnapshot> {
    let (rules, _) = gate::result_rules(conn, &skill.event_id)?;
    let scheme = match repo::schemes::find(conn, &skill.id)? {
        Some(row) => serde_json::from_str(&row.document)
            .map_err(|e| ApiError::internal(anyhow::anyhow!("stored scheme unreadable: {e}")))?,
        None => crate::domain::scheme::Scheme::default(),
    };
    let mode = schemes::mode_of(skill);
    let entries: Vec<_> = repo::registration::entries_of_skill(conn, &skill.id)?
        .into_iter()
        .filter(|e| e.status == EntryStatus::Confirmed)
        .collect();
    let locked: HashSet<(EntryId, SubCriterionId)> =
        repo::marks::locks_of_skill(conn, &skill.id)?.into_iter().map(|l| (l.entry_id, l.sub_criterion_id)).collect();
    let mut entered: HashMap<EntryId, Entered> = HashMap::new();
    for m in repo::marks::marks_of_skill(conn, &skill.id)? {
        if locked.contains(&(m.entry_id.clone(), m.sub_criterion_id.clone())) {
            entered.entry(m.entry_id).or_default().entry(m.aspect_key).or_default().push((m.input, m.value));
        }
    }
    let delegations: HashMap<DelegationId, _> =
        repo::events::delegations_of(conn, &skill.event_id)?.into_iter().map(|d| (d.id.clone(), d)).collect();
    let entry_ids: Vec<EntryId> = entries.iter().map(|e| e.id.clone()).collect();
    let mut names: HashMap<EntryId, Vec<String>> = HashMap::new();
    for c in repo::registration::competitors_of(conn, &entry_ids)? {
        names.entry(c.entry_id).or_default().push(c.name);
    }
    let subs: Vec<String> = scheme.criteria.iter().flat_map(|c| &c.sub_criteria).map(|s| s.id.clone()).collect();
    let empty = Entered::new();
    let breakdowns: Vec<_> =
        entries.iter().map(|e| breakdown(&scheme, mode, entered.get(&e.id).unwrap_or(&empty))).collect();
    let raw: Vec<_> = breakdowns.iter().map(|b| b.total).collect();
    let placed = standings(&raw, &rules, skill.team_size > 1);
    let part = |parts: &[(String, crate::domain::scheme::Exact)]| -> Vec<PartScore> {
        parts.iter().map(|(id, m)| PartScore { id: id.clone(), mark: m.display() }).collect()
    };
    let mut lines: Vec<ResultLine> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let d = delegations.get(&e.delegation_id);
            let field = |f: fn(&crate::db::models::DelegationRow) -> &String| d.map(f).cloned().unwrap_or_default();
            ResultLine {
                entry_id: e.id.clone(),
                code: e.anon_code.clone(),
                delegation_id: e.delegation_id.to_string(),
                delegation_code: field(|d| &d.code),
                delegation_name_zh: field(|d| &d.name_zh),
                delegation_name_en: field(|d| &d.name_en),
                competitors: names.remove(&e.id).unwrap_or_default(),
                workstation: e.workstation,
                raw: raw[i].display(),
                score: placed[i].score,
                rank: placed[i].rank,
                award: placed[i].award,
                squad: placed[i].squad,
                criteria: part(&breakdowns[i].criteria),
                sub_criteria: part(&breakdowns[i].sub_criteria),
                complete: !subs.is_empty()
                    && subs.iter().all(|s| locked.iter().any(|(le, ls)| *le == e.id && ls.as_str() == s)),
            }
        })
        .collect();
    lines.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.delegation_code.cmp(&b.delegation_code)));
    Ok(SkillSnapshot {
        skill_id: skill.id.clone(),
        event_id: skill.event_id.clone(),
        skill_number: skill.number.clone(),
        skill_name_zh: skill.name_zh.clone(),
        skill_name_en: skill.name_en.clone(),
        team: skill.team_size > 1,
        entries: lines,
    })
}

pub(super) fn snapshot(json: Option<&str>) -> ApiResult<Option<SkillSnapshot>> {
    json.map(|s| {
        serde_json::from_str(s).map_err(|e| ApiError::internal(anyhow::anyhow!("stored results unreadable: {e}")))
    })
    .transpose()
}

/// Hides who is behind each code while an anonymous skill is not revealed.
fn hide_identities(s: &mut SkillSnapshot) {
    for line in &mut s.entries {
        line.delegation_id.clear();
        line.delegation_code.clear();
        line.delegation_name_zh.clear();
        line.delegation_name_en.clear();
        line.competitors.clear();
    }
}

/// The live draft (organisers and the skill's chief experts).
pub fn skill_results(conn: &mut DbConn, roles: &Grants, skill_id: &SkillId) -> ApiResult<LiveResults> {
    let view = schemes::view_for_review(
        conn,
        roles,
        skill_id,
        ErrorCode::ResultsEmbargoed,
        "results are for organisers and the skill's chief experts until published",
    )?;
    let mut snapshot = compute(conn, &view.skill)?;
    let manage = access(conn, roles, &view.skill.event_id)? == Access::Manage;
    if !manage && gate::hides_identities(conn, &view.skill)? {
        hide_identities(&mut snapshot);
    }
    let row = repo::results::skill_result(conn, skill_id)?;
    Ok(LiveResults { state: gate::stored_state(row.as_ref()), snapshot })
}
