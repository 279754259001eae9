//! Exports of the ratified results: CIS-style rows, and the printable results list and certificates.

use super::public::tables_of;
use super::snapshot::{snapshot, SkillSnapshot};
use crate::db::models::now;
use crate::db::DbConn;
use crate::domain::ids::{EventId, SkillId};
use crate::domain::results::Award;
use crate::domain::role::Grants;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::repo;
use crate::service::access::{self as gate, Access};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Results,
    BestOfDelegation,
    Delegations,
}

impl ExportKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "results" => Some(Self::Results),
            "best_of_delegation" => Some(Self::BestOfDelegation),
            "delegations" => Some(Self::Delegations),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Results => "results",
            Self::BestOfDelegation => "best_of_delegation",
            Self::Delegations => "delegations",
        }
    }
}

fn medal_name(award: Option<Award>) -> &'static str {
    match award {
        Some(Award::Gold) => "Gold",
        Some(Award::Silver) => "Silver",
        Some(Award::Bronze) => "Bronze",
        Some(Award::MedallionForExcellence) => "Medallion for Excellence",
        Some(Award::ExcellenceAward) => "Excellence Award",
        None => "",
    }
}

/// The ratified results of the event as rows (organisers): the CIS result columns (one row per
/// competitor), best of delegation, or the delegation table.
pub fn export(
    conn: &mut DbConn,
    roles: &Grants,
    event_id: &EventId,
    kind: ExportKind,
) -> ApiResult<(Vec<&'static str>, Vec<Vec<String>>)> {
    use crate::domain::publication::cis_name_parts;
    gate::event_for(conn, roles, event_id, Access::Manage)?;
    let snaps = ratified_of(conn, event_id, None)?;
    Ok(match kind {
        ExportKind::Results => {
            let headers = Vec::from([
                "Position",
                "Member",
                "Member Name",
                "Skill Number",
                "Skill Name",
                "Medal",
                "First Name",
                "Last Name",
                "WorldSkills Scale Score",
            ]);
            let mut rows = Vec::new();
            for s in &snaps {
                for l in &s.entries {
                    for name in &l.competitors {
                        let (first, last) = cis_name_parts(name);
                        rows.push(vec![
                            l.rank.to_string(),
                            l.delegation_code.clone(),
                            l.delegation_name_zh.clone(),
                            s.skill_number.clone(),
                            s.skill_name_zh.clone(),
                            medal_name(l.award).into(),
                            first,
                            last,
                            l.score.to_string(),
                        ]);
                    }
                }
            }
            (headers, rows)
        }
        ExportKind::BestOfDelegation => {
            let (tables, _) = tables_of(event_id, snaps.iter());
            let headers = Vec::from(["Member", "Skill Number", "Competitors", "WorldSkills Scale Score"]);
            let rows = tables
                .best_of_delegation
                .into_iter()
                .map(|b| vec![b.delegation_code, b.skill_number, b.competitors.join(", "), b.score.to_string()])
                .collect();
            (headers, rows)
        }
        ExportKind::Delegations => {
            let (tables, _) = tables_of(event_id, snaps.iter());
            let headers = Vec::from([
                "Position",
                "Member",
                "Member Name",
                "Gold",
                "Silver",
                "Bronze",
                "Medallions for Excellence",
                "Excellence Awards",
                "Medal Points",
                "Entries",
                "Total Score",
                "Average Score",
            ]);
            let rows = tables
                .delegation_table
                .into_iter()
                .enumerate()
                .map(|(i, d)| {
                    vec![
                        (i + 1).to_string(),
                        d.delegation_code,
                        d.delegation_name_zh,
                        d.gold.to_string(),
                        d.silver.to_string(),
                        d.bronze.to_string(),
                        d.medallions.to_string(),
                        d.excellence_awards.to_string(),
                        d.points.to_string(),
                        d.entries.to_string(),
                        d.total_score.to_string(),
                        format!("{:.1}", d.average_score),
                    ]
                })
                .collect();
            (headers, rows)
        }
    })
}

fn award_label(award: Award) -> &'static str {
    match award {
        Award::Gold => "金牌 Gold Medal",
        Award::Silver => "银牌 Silver Medal",
        Award::Bronze => "铜牌 Bronze Medal",
        Award::MedallionForExcellence => "优胜奖章 Medallion for Excellence",
        Award::ExcellenceAward => "优胜奖 Excellence Award",
    }
}

/// Ratified snapshots of the event's skills (all, or one), by skill number (organisers).
fn ratified_snapshots(
    conn: &mut DbConn,
    roles: &Grants,
    event_id: &EventId,
    skill_id: Option<&SkillId>,
) -> ApiResult<(crate::db::models::EventRow, Vec<SkillSnapshot>)> {
    let event = gate::event_for(conn, roles, event_id, Access::Manage)?;
    let snaps = ratified_of(conn, event_id, skill_id)?;
    if snaps.is_empty() {
        return Err(ApiError::Conflict {
            code: ErrorCode::NotRatified,
            detail: "no ratified results to print yet".into(),
            current: None,
        });
    }
    Ok((event, snaps))
}

/// The ratified snapshots of the event's skills (all, or one), by skill number.
fn ratified_of(conn: &mut DbConn, event_id: &EventId, skill_id: Option<&SkillId>) -> ApiResult<Vec<SkillSnapshot>> {
    let mut snaps = Vec::new();
    for row in repo::results::skill_results_of(conn, event_id)? {
        if skill_id.is_some_and(|s| *s != row.skill_id) {
            continue;
        }
        if let Some(s) = snapshot(row.ratified_snapshot.as_deref())? {
            snaps.push(s);
        }
    }
    snaps.sort_by(|a, b| a.skill_number.cmp(&b.skill_number));
    Ok(snaps)
}

/// The printable results list of the event's ratified skills (organisers).
pub fn results_document(
    conn: &mut DbConn,
    roles: &Grants,
    event_id: &EventId,
    skill_id: Option<&SkillId>,
) -> ApiResult<crate::formats::pdf::ResultsDocument> {
    let (event, snaps) = ratified_snapshots(conn, roles, event_id, skill_id)?;
    Ok(crate::formats::pdf::ResultsDocument {
        event: event.name,
        subtitle: "成绩公告 Results".into(),
        skills: snaps
            .into_iter()
            .map(|s| crate::formats::pdf::SkillTable {
                title: format!("{} {} {}", s.skill_number, s.skill_name_zh, s.skill_name_en),
                rows: s
                    .entries
                    .iter()
                    .map(|l| crate::formats::pdf::ResultRow {
                        position: l.rank.to_string(),
                        delegation: l.delegation_name_zh.clone(),
                        competitors: l.competitors.join("、"),
                        score: l.score.to_string(),
                        medal: l.award.map(award_label).unwrap_or_default().into(),
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// A certificate for every competitor of an awarded entry of the ratified skills (organisers).
pub fn certificates(
    conn: &mut DbConn,
    roles: &Grants,
    event_id: &EventId,
    skill_id: Option<&SkillId>,
) -> ApiResult<Vec<crate::formats::pdf::Certificate>> {
    let (event, snaps) = ratified_snapshots(conn, roles, event_id, skill_id)?;
    let date = now().date().format("%Y-%m-%d").to_string();
    let mut out = Vec::new();
    for s in &snaps {
        for l in s.entries.iter().filter(|l| l.award.is_some()) {
            for name in &l.competitors {
                out.push(crate::formats::pdf::Certificate {
                    event: event.name.clone(),
                    competitor: name.clone(),
                    delegation: l.delegation_name_zh.clone(),
                    skill: format!("{} {} {}", s.skill_number, s.skill_name_zh, s.skill_name_en),
                    award: l.award.map(award_label).unwrap_or_default().into(),
                    score: l.score.to_string(),
                    date: date.clone(),
                });
            }
        }
    }
    if out.is_empty() {
        return Err(ApiError::Conflict {
            code: ErrorCode::NoAwards,
            detail: "the ratified results hold no award to certify".into(),
            current: None,
        });
    }
    Ok(out)
}
