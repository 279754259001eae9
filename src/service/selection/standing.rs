//! The standing and the proposal of who advances, its confirmation and withdrawals with the move-up (递补).

use super::*;

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
pub(super) fn lineage_back(conn: &mut DbConn, entry: &EntryId) -> ApiResult<Vec<(StageId, EntryId)>> {
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

pub(super) struct Computed {
    pub(super) lines: Vec<StandingLine>,
    pub(super) candidates: Vec<Candidate>,
    pub(super) rows: Vec<AdvancementRow>,
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
pub(super) fn recompute(
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
    let placements =
        rows.iter().map(|r| stored_placement(r.rank, r.advanced, r.tied_at_cut, r.decided_by_tie_break)).collect();
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
pub(super) fn carry(
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
