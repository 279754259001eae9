//! A skill's results computed live from its locked marks (the draft the chief expert watches).
//! Publication, embargo and ceremony come with issue #5; until then only organisers and the
//! skill's chief experts see results.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::models::RoleRow;
use crate::db::DbConn;
use crate::domain::registration::EntryStatus;
use crate::domain::results::{awards, breakdown, rank, standardise, Award, AwardRules, Entered, ScaleParams};
use crate::error::ApiResult;
use crate::repo;
use crate::service::schemes;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CriterionScore {
    pub criterion: String,
    /// Exact sum rounded to hundredths for display, e.g. `18.89`.
    pub mark: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntryResult {
    pub entry_id: String,
    pub delegation_id: String,
    pub workstation: Option<i32>,
    /// Raw score from locked marks, e.g. `77.78`.
    pub raw: String,
    /// Standardised (WorldSkills scale) score.
    pub score: i32,
    pub rank: usize,
    pub award: Option<Award>,
    pub criteria: Vec<CriterionScore>,
    /// Whether every sub-criterion of the entry is locked (else the result is provisional).
    pub complete: bool,
}

pub fn skill_results(conn: &mut DbConn, roles: &[RoleRow], skill_id: &str) -> ApiResult<Vec<EntryResult>> {
    let view = schemes::view_for_review(
        conn,
        roles,
        skill_id,
        "results_embargoed",
        "results are for organisers and the skill's chief experts until published",
    )?;
    let mode = schemes::mode_of(&view.skill);
    let entries: Vec<_> = repo::registration::entries_of_skill(conn, skill_id)?
        .into_iter()
        .filter(|e| e.status == EntryStatus::Confirmed.as_str())
        .collect();
    let locked: HashSet<(String, String)> =
        repo::marks::locks_of_skill(conn, skill_id)?.into_iter().map(|l| (l.entry_id, l.sub_criterion_id)).collect();
    let mut entered: HashMap<String, Entered> = HashMap::new();
    for m in repo::marks::marks_of_skill(conn, skill_id)? {
        if locked.contains(&(m.entry_id.clone(), m.sub_criterion_id.clone())) {
            entered.entry(m.entry_id).or_default().entry(m.aspect_key).or_default().push((m.input, m.value));
        }
    }
    let subs: Vec<String> = view.scheme.criteria.iter().flat_map(|c| &c.sub_criteria).map(|s| s.id.clone()).collect();
    let empty = Entered::new();
    let breakdowns: Vec<_> =
        entries.iter().map(|e| breakdown(&view.scheme, mode, entered.get(&e.id).unwrap_or(&empty))).collect();
    let raw: Vec<_> = breakdowns.iter().map(|b| b.total).collect();
    let scores = standardise(&raw, ScaleParams::default());
    let ranks = rank(&scores, 0);
    let awarded = awards(&scores, &ranks, AwardRules::default());
    let mut out: Vec<EntryResult> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| EntryResult {
            entry_id: e.id.clone(),
            delegation_id: e.delegation_id.clone(),
            workstation: e.workstation,
            raw: raw[i].display(),
            score: scores[i],
            rank: ranks[i],
            award: awarded[i],
            criteria: breakdowns[i]
                .criteria
                .iter()
                .map(|(c, m)| CriterionScore { criterion: c.clone(), mark: m.display() })
                .collect(),
            complete: !subs.is_empty() && subs.iter().all(|s| locked.contains(&(e.id.clone(), s.clone()))),
        })
        .collect();
    out.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.entry_id.cmp(&b.entry_id)));
    Ok(out)
}
