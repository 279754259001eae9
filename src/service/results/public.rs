//! Public results (no login): released-to-public skills, medal and delegation tables, the ceremony.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use utoipa::ToSchema;

use super::snapshot::{snapshot, ResultLine, SkillSnapshot};
use crate::db::models::now;
use crate::db::DbConn;
use crate::domain::ids::{EventId, SkillId};
use crate::domain::publication::{ceremony_revealed, current_state, Audience, ResultState};
use crate::domain::results::{
    albert_vidal, best_of_delegation, delegation_table, medal_table, Award, DelegationLine, Placed,
};
use crate::error::ApiResult;
use crate::repo;
use crate::service::access as gate;

/// One line of public results (no breakdown: that is for the entry's own delegation).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicLine {
    pub rank: usize,
    pub award: Option<Award>,
    pub score: i32,
    pub delegation_code: String,
    pub delegation_name_zh: String,
    pub delegation_name_en: String,
    pub competitors: Vec<String>,
    /// The delegation's best result across skills (best of nation).
    pub best_of_delegation: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicSkill {
    pub skill_id: SkillId,
    pub skill_number: String,
    pub skill_name_zh: String,
    pub skill_name_en: String,
    pub team: bool,
    pub final_result: bool,
    pub entries: Vec<PublicLine>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicEventResults {
    pub event_id: EventId,
    pub event_name: String,
    pub skills: Vec<PublicSkill>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DelegationStanding {
    pub delegation_code: String,
    pub delegation_name_zh: String,
    pub delegation_name_en: String,
    pub gold: u32,
    pub silver: u32,
    pub bronze: u32,
    pub medallions: u32,
    /// 优胜奖 (national mode, in the medallions' place).
    pub excellence_awards: u32,
    pub points: u32,
    pub entries: u32,
    pub total_score: i64,
    pub average_score: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BestEntry {
    pub delegation_code: String,
    pub skill_number: String,
    pub competitors: Vec<String>,
    pub score: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicTables {
    pub event_id: EventId,
    /// Gold first, then silver, then bronze, then medallions (优胜奖 in national mode).
    pub medal_table: Vec<DelegationStanding>,
    /// By medal points (gold 4, silver 3, bronze 2, medallion or 优胜奖 1), then as the medal table.
    pub delegation_table: Vec<DelegationStanding>,
    pub best_of_delegation: Vec<BestEntry>,
    /// Highest score of the event (shared on ties).
    pub albert_vidal: Vec<BestEntry>,
}

/// Everything public about an event, prepared once per change.
pub struct PublicEvent {
    pub results: PublicEventResults,
    pub tables: PublicTables,
}

/// Public results of an event: only skills released to the public; `None` when there are none
/// (the same for an unknown event).
pub fn public_event(conn: &mut DbConn, event_id: &EventId) -> ApiResult<Option<PublicEvent>> {
    let Some(event) = repo::events::find_event(conn, event_id)? else { return Ok(None) };
    let (rules, _) = gate::result_rules(conn, event_id)?;
    let mut snaps = Vec::new();
    for row in repo::results::skill_results_of(conn, event_id)? {
        if gate::audience_of(Some(&row)) != Audience::Public {
            continue;
        }
        if let Some(s) = snapshot(row.published_snapshot.as_deref())? {
            let open = repo::results::open_disputes_of_skill(conn, &row.skill_id)?;
            let state =
                current_state(gate::stored_state(Some(&row)), row.public_at, rules.notice_days, open as usize, now());
            snaps.push((s, state == ResultState::Final));
        }
    }
    if snaps.is_empty() {
        return Ok(None);
    }
    snaps.sort_by(|a, b| a.0.skill_number.cmp(&b.0.skill_number));
    let (tables, best) = tables_of(event_id, snaps.iter().map(|(s, _)| s));
    let skills = snaps
        .into_iter()
        .map(|(s, final_result)| PublicSkill {
            skill_id: s.skill_id.clone(),
            skill_number: s.skill_number.clone(),
            skill_name_zh: s.skill_name_zh.clone(),
            skill_name_en: s.skill_name_en.clone(),
            team: s.team,
            final_result,
            entries: s
                .entries
                .iter()
                .map(|l| PublicLine {
                    rank: l.rank,
                    award: l.award,
                    score: l.score,
                    delegation_code: l.delegation_code.clone(),
                    delegation_name_zh: l.delegation_name_zh.clone(),
                    delegation_name_en: l.delegation_name_en.clone(),
                    competitors: l.competitors.clone(),
                    best_of_delegation: best.contains(&l.entry_id.to_string()),
                })
                .collect(),
        })
        .collect();
    Ok(Some(PublicEvent {
        results: PublicEventResults { event_id: event.id.clone(), event_name: event.name.clone(), skills },
        tables,
    }))
}

/// Medal and delegation tables, best of delegation and the Albert Vidal award over `snaps`; also
/// the entry ids that are their delegation's best.
pub fn tables_of<'a>(
    event_id: &EventId,
    snaps: impl Iterator<Item = &'a SkillSnapshot>,
) -> (PublicTables, HashSet<String>) {
    let mut placed = Vec::new();
    let mut lines: HashMap<String, (&SkillSnapshot, &ResultLine)> = HashMap::new();
    for s in snaps {
        for l in &s.entries {
            placed.push(Placed {
                entry_id: l.entry_id.to_string(),
                delegation: l.delegation_code.clone(),
                skill: s.skill_number.clone(),
                score: l.score,
                award: l.award,
            });
            lines.insert(l.entry_id.to_string(), (s, l));
        }
    }
    let names: HashMap<String, (String, String)> = lines
        .values()
        .map(|(_, l)| (l.delegation_code.clone(), (l.delegation_name_zh.clone(), l.delegation_name_en.clone())))
        .collect();
    let standing = |d: DelegationLine| {
        let (zh, en) = names.get(&d.delegation).cloned().unwrap_or_default();
        DelegationStanding {
            delegation_code: d.delegation,
            delegation_name_zh: zh,
            delegation_name_en: en,
            gold: d.gold,
            silver: d.silver,
            bronze: d.bronze,
            medallions: d.medallions,
            excellence_awards: d.excellence_awards,
            points: d.points,
            entries: d.entries,
            total_score: d.total_score,
            average_score: d.average_score,
        }
    };
    let best_entry = |p: &Placed| {
        let (s, l) = lines[&p.entry_id];
        BestEntry {
            delegation_code: l.delegation_code.clone(),
            skill_number: s.skill_number.clone(),
            competitors: l.competitors.clone(),
            score: l.score,
        }
    };
    let best = best_of_delegation(&placed);
    let mut best_list: Vec<BestEntry> = best.values().flatten().map(|p| best_entry(p)).collect();
    best_list.sort_by(|a, b| a.delegation_code.cmp(&b.delegation_code).then(a.skill_number.cmp(&b.skill_number)));
    let best_ids: HashSet<String> = best.values().flatten().map(|p| p.entry_id.clone()).collect();
    let tables = PublicTables {
        event_id: event_id.clone(),
        medal_table: medal_table(&placed).into_iter().map(standing).collect(),
        delegation_table: delegation_table(&placed).into_iter().map(standing).collect(),
        best_of_delegation: best_list,
        albert_vidal: albert_vidal(&placed).into_iter().map(best_entry).collect(),
    };
    (tables, best_ids)
}

/// A medal revealed at the ceremony.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CeremonyMedal {
    pub award: Award,
    pub delegation_code: String,
    pub delegation_name_zh: String,
    pub delegation_name_en: String,
    pub competitors: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CeremonyView {
    pub skill_id: SkillId,
    pub skill_number: String,
    pub skill_name_zh: String,
    pub skill_name_en: String,
    pub step: i32,
    /// Bronze first; only what has been revealed.
    pub medals: Vec<CeremonyMedal>,
}

/// The medals of a skill revealed so far; `None` before the first reveal (and for unknown skills).
pub fn ceremony_view(conn: &mut DbConn, event_id: &EventId, skill_id: &SkillId) -> ApiResult<Option<CeremonyView>> {
    let Some(row) = repo::results::skill_result(conn, skill_id)?.filter(|r| r.event_id == *event_id) else {
        return Ok(None);
    };
    // Anything public is about public results only: the ceremony reveals the public publication.
    if row.ceremony_step == 0 || gate::audience_of(Some(&row)) != Audience::Public {
        return Ok(None);
    }
    let Some(snap) = snapshot(row.published_snapshot.as_deref())? else { return Ok(None) };
    let revealed = ceremony_revealed(row.ceremony_step);
    let mut medals = Vec::new();
    for award in revealed {
        for l in snap.entries.iter().filter(|l| l.award == Some(*award)) {
            medals.push(CeremonyMedal {
                award: *award,
                delegation_code: l.delegation_code.clone(),
                delegation_name_zh: l.delegation_name_zh.clone(),
                delegation_name_en: l.delegation_name_en.clone(),
                competitors: l.competitors.clone(),
            });
        }
    }
    Ok(Some(CeremonyView {
        skill_id: snap.skill_id,
        skill_number: snap.skill_number,
        skill_name_zh: snap.skill_name_zh,
        skill_name_en: snap.skill_name_en,
        step: row.ceremony_step,
        medals,
    }))
}

/// Events with results released to the public.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicEventSummary {
    pub event_id: EventId,
    pub name: String,
    pub venue: String,
}

pub fn public_events(conn: &mut DbConn) -> ApiResult<Vec<PublicEventSummary>> {
    let mut out = Vec::new();
    for id in repo::results::public_event_ids(conn)? {
        if let Some(e) = repo::events::find_event(conn, &id)? {
            out.push(PublicEventSummary { event_id: e.id, name: e.name, venue: e.venue });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}
