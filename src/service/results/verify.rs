//! `skillmark verify`: recompute every ratified result and check the audit hash chains.

use std::collections::HashSet;

use serde::Serialize;

use super::record::digest;
use super::snapshot::{compute, snapshot, ResultLine};
use crate::db::models::SkillRow;
use crate::db::DbConn;
use crate::domain::audit::AuditAction;
use crate::domain::publication::ResultState;
use crate::error::ApiResult;
use crate::repo;
use crate::service::access as gate;

/// What `skillmark verify` found.
#[derive(Debug, Default, Serialize)]
pub struct VerifyReport {
    pub skills_checked: usize,
    /// Confirmed advancements (stage, skill) of selection programmes recomputed.
    pub standings_checked: usize,
    pub chains_checked: usize,
    pub problems: Vec<String>,
}

/// Recomputes every ratified or published result from the stored marks and compares it with what
/// was stored and with the digest the audit log recorded at ratification; checks every audit hash
/// chain. `service::verify` adds the selection standings.
pub fn verify_results(conn: &mut DbConn) -> ApiResult<VerifyReport> {
    let mut report = VerifyReport::default();
    for row in repo::results::all_skill_results(conn)? {
        let Some(skill) = repo::events::find_skill(conn, &row.skill_id)? else { continue };
        let label = format!("skill {} ({})", skill.number, skill.id);
        let state = gate::stored_state(Some(&row));
        let Some(ratified) = row.ratified_snapshot.as_deref() else { continue };
        let Some(stored) = snapshot(Some(ratified))? else { continue };
        report.skills_checked += 1;
        let digests = ratification_digests(conn, &skill)?;
        if !digests.contains(&digest(ratified)) {
            report
                .problems
                .push(format!("{label}: the ratified results do not match any ratification in the audit log"));
        }
        if let Some(published) = row.published_snapshot.as_deref() {
            if !digests.contains(&digest(published)) {
                report.problems.push(format!("{label}: the published results were never ratified"));
            }
        }
        if state == ResultState::Draft {
            continue; // reopened by a dispute: marks may legitimately change until re-ratified
        }
        let fresh = compute(conn, &skill)?;
        let key = |l: &ResultLine| (l.entry_id.clone(), l.raw.clone(), l.score, l.rank, l.award);
        let a: HashSet<_> = stored.entries.iter().map(key).collect();
        let b: HashSet<_> = fresh.entries.iter().map(key).collect();
        for line in fresh.entries.iter().filter(|l| !a.contains(&key(l))) {
            let was = stored.entries.iter().find(|s| s.entry_id == line.entry_id);
            report.problems.push(format!(
                "{label}: entry {} recomputes to raw {} score {} rank {} but {} is stored",
                line.entry_id,
                line.raw,
                line.score,
                line.rank,
                was.map(|w| format!("raw {} score {} rank {}", w.raw, w.score, w.rank))
                    .unwrap_or_else(|| "nothing".into())
            ));
        }
        for line in stored
            .entries
            .iter()
            .filter(|l| !b.contains(&key(l)) && !fresh.entries.iter().any(|f| f.entry_id == l.entry_id))
        {
            report
                .problems
                .push(format!("{label}: entry {} is in the stored results but no longer computed", line.entry_id));
        }
    }
    for chain in repo::audit::chains_like(conn, &[String::new()])? {
        report.chains_checked += 1;
        let (_, broken) = repo::audit::verify_chain(conn, &chain)?;
        if let Some(b) = broken {
            report.problems.push(format!("audit chain {chain} is broken: {b:?}"));
        }
    }
    Ok(report)
}

fn ratification_digests(conn: &mut DbConn, skill: &SkillRow) -> ApiResult<HashSet<String>> {
    let filter = repo::audit::AuditFilter {
        event_ids: Some(vec![skill.event_id.clone()]),
        action: Some(AuditAction::ResultsRatified),
        target_id: Some(skill.id.to_string()),
        ..Default::default()
    };
    let page = repo::audit::list(conn, &filter, repo::PageRequest { page: 1, per_page: 10_000 })?;
    Ok(page
        .items
        .into_iter()
        .filter_map(|r| r.after_json)
        .filter_map(|a| serde_json::from_str::<serde_json::Value>(&a).ok())
        .filter_map(|v| v["sha256"].as_str().map(str::to_string))
        .collect())
}
