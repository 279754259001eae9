//! The organiser's event dashboard: per skill, how far marking has got and where its results
//! stand, read for every skill of the event with a fixed number of queries.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::DbConn;
use crate::domain::ids::{AspectKey, EntryId, EventId, SkillId, SubCriterionId};
use crate::domain::marking::sub_status;
use crate::domain::registration::EntryStatus;
use crate::domain::role::Grants;
use crate::domain::scheme::SchemeStatus;
use crate::error::ApiResult;
use crate::repo;
use crate::service::access::{self as gate, Access};
use crate::service::results::{status_with, SkillStatus};
use crate::service::schemes;

/// How far a skill's marking has got, over its confirmed entries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct MarkingProgress {
    /// Whether the skill's marking scheme is frozen (marking may start).
    pub scheme_frozen: bool,
    /// Confirmed entries.
    pub entries: usize,
    /// Aspects to mark over all confirmed entries, and those with every mark they need.
    pub aspects: usize,
    pub aspects_marked: usize,
    /// Judgement aspects whose scores are further apart than the skill allows.
    pub aspects_out_of_spread: usize,
    /// Entries with every sub-criterion locked.
    pub entries_locked: usize,
    /// Entries not yet locked throughout whose open sub-criteria are all complete and within
    /// spread: the chief expert may lock them now.
    pub entries_lockable: usize,
}

/// One skill on the dashboard: its marking and its results (with the open disputes).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkillDashboard {
    pub skill_id: SkillId,
    pub marking: MarkingProgress,
    pub results: SkillStatus,
}

/// Every skill of the event (organisers and administrators only).
pub fn event_dashboard(conn: &mut DbConn, roles: &Grants, event_id: &EventId) -> ApiResult<Vec<SkillDashboard>> {
    gate::event_for(conn, roles, event_id, Access::Manage)?;
    let skills = repo::events::skills_of(conn, event_id)?;
    let ids: Vec<SkillId> = skills.iter().map(|s| s.id.clone()).collect();
    let schemes: HashMap<SkillId, _> =
        repo::schemes::of_skills(conn, &ids)?.into_iter().map(|r| (r.skill_id.clone(), r)).collect();
    let mut entries: HashMap<SkillId, Vec<EntryId>> = HashMap::new();
    for e in repo::registration::entries_of_event_in(conn, event_id, EntryStatus::Confirmed)? {
        entries.entry(e.skill_id).or_default().push(e.id);
    }
    let mut values: HashMap<EntryId, HashMap<AspectKey, Vec<i32>>> = HashMap::new();
    for (entry, aspect, value) in repo::marks::values_of_skills(conn, &ids)? {
        values.entry(entry).or_default().entry(aspect).or_default().push(value);
    }
    let locks: HashSet<(EntryId, SubCriterionId)> =
        repo::marks::locks_of_skills(conn, &ids)?.into_iter().map(|l| (l.entry_id, l.sub_criterion_id)).collect();
    let rows: HashMap<SkillId, _> =
        repo::results::skill_results_of(conn, event_id)?.into_iter().map(|r| (r.skill_id.clone(), r)).collect();
    let disputes: HashMap<SkillId, i64> = repo::results::open_disputes_by_skill(conn, event_id)?.into_iter().collect();
    let (rules, _) = gate::result_rules(conn, event_id)?;
    let none = HashMap::new();

    let mut out = Vec::with_capacity(skills.len());
    for skill in &skills {
        let scheme_row = schemes.get(&skill.id);
        let scheme = scheme_row.map(schemes::parse).transpose()?.unwrap_or_default();
        let mode = schemes::mode_of(skill);
        let skill_entries = entries.get(&skill.id).map(Vec::as_slice).unwrap_or(&[]);
        let mut marking = MarkingProgress {
            scheme_frozen: scheme_row.is_some_and(|r| r.status == SchemeStatus::Frozen),
            entries: skill_entries.len(),
            ..MarkingProgress::default()
        };
        for entry in skill_entries {
            let entered = values.get(entry).unwrap_or(&none);
            let mut all_locked = true;
            let mut open_ready = true;
            let mut any_sub = false;
            for sub in scheme.criteria.iter().flat_map(|c| &c.sub_criteria) {
                any_sub = true;
                let locked = locks.iter().any(|(e, s)| e == entry && s.as_str() == sub.id);
                let status = sub_status(sub, mode, skill.max_spread as u8, entered, locked);
                marking.aspects += status.aspects;
                marking.aspects_marked += status.marked;
                marking.aspects_out_of_spread += status.out_of_spread.len();
                all_locked &= locked;
                open_ready &= locked || status.lockable();
            }
            if any_sub && all_locked {
                marking.entries_locked += 1;
            } else if any_sub && open_ready {
                marking.entries_lockable += 1;
            }
        }
        let open = disputes.get(&skill.id).copied().unwrap_or(0);
        out.push(SkillDashboard {
            skill_id: skill.id.clone(),
            marking,
            results: status_with(&rules, skill, rows.get(&skill.id), open),
        });
    }
    Ok(out)
}
