//! A competitor's path through the programme's stages.

use super::*;

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
