//! Squad and team lists, and their staged release (公示).

use super::*;

/// Whether a caller who does not manage the programme may see a list released to `audience`:
/// the public sees public lists; delegations (team leaders and competitors of the stage's events)
/// see lists released to them.
pub(super) fn may_see(
    conn: &mut DbConn,
    roles: Option<&Grants>,
    stages: &[StageRow],
    audience: Audience,
) -> ApiResult<bool> {
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

/// Whether the caller sees a list released to `audience`: the programme's managers always, others
/// once it is released to them (`roles: None` for the public pages).
fn shown(conn: &mut DbConn, roles: Option<&Grants>, stages: &[StageRow], audience: Audience) -> ApiResult<bool> {
    let manager = match roles {
        Some(r) => manages(conn, r, stages)?,
        None => false,
    };
    Ok(manager || may_see(conn, roles, stages, audience)?)
}

/// A list of the programme with its lines, released to `audience` (to the public at `public_at`):
/// where its announcement (公示) is, when its notice period ends, and the period's length.
fn selection_list(
    conn: &mut DbConn,
    (programme, stages): (&ProgrammeRow, &[StageRow]),
    stage_id: Option<StageId>,
    audience: Audience,
    public_at: Option<chrono::NaiveDateTime>,
    lines: Vec<ListLine>,
) -> ApiResult<SelectionList> {
    let days = programme.notice_days.max(0) as u32;
    let review = lines.iter().any(|l| l.under_review);
    let state = list_state(audience, public_at, days, review, now());
    Ok(SelectionList {
        programme_id: programme.id.clone(),
        programme_name: programme.name.clone(),
        target_competition: programme.target_competition.clone(),
        target_year: programme.target_year,
        stage_id,
        audience,
        state,
        announced_at: public_at.map(|t| t.and_utc()),
        notice_ends: list_notice_ends(public_at, days).map(|t| t.and_utc()),
        notice_days: days,
        time_zone: time_zone_of(conn, stages)?,
        lines,
    })
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
    if !shown(conn, roles, &stages, stage.audience)? {
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
    selection_list(conn, (&programme, &stages), Some(stage.id.clone()), stage.audience, stage.public_at, lines)
}

/// The national team, member then alternate per skill: organisers always; others once released.
pub fn team(conn: &mut DbConn, roles: Option<&Grants>, programme_id: &ProgrammeId) -> ApiResult<SelectionList> {
    let programme = repo::selection::find_programme(conn, programme_id)?.ok_or(not_found(ProgrammeId::WHAT))?;
    let stages = repo::selection::stages_of(conn, &programme.id)?;
    if !shown(conn, roles, &stages, programme.team_audience)? {
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
    let final_stage = stages.iter().find(|s| s.is_final).map(|s| s.id.clone());
    let (audience, public_at) = (programme.team_audience, programme.team_public_at);
    selection_list(conn, (&programme, &stages), final_stage, audience, public_at, lines)
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

/// Widens a list's audience to `to` (a release never narrows it); the notice period (公示) starts
/// with the public release. Returns the audit record's states before and after.
fn widen(
    audience: &mut Audience,
    public_at: &mut Option<chrono::NaiveDateTime>,
    to: Audience,
    notice_days: i32,
) -> ApiResult<(Option<serde_json::Value>, serde_json::Value)> {
    check_release(*audience, to)?;
    let before = std::mem::replace(audience, to);
    if to == Audience::Public && public_at.is_none() {
        *public_at = Some(now());
    }
    let notice_ends = list_notice_ends(*public_at, notice_days.max(0) as u32);
    Ok((
        Some(json!({"audience": before})),
        json!({"audience": to, "public_at": *public_at, "notice_ends": notice_ends}),
    ))
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
        let (before, after) = widen(&mut stage.audience, &mut stage.public_at, audience, programme.notice_days)?;
        repo::selection::set_stage_audience(conn, &stage)?;
        let target = (AuditTarget::SelectionStage, &stage.id);
        audit(conn, ctx, AuditAction::SelectionSquadReleased, target, &stage.event_id, before, after)?;
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
        let version = programme.version;
        let (before, after) =
            widen(&mut programme.team_audience, &mut programme.team_public_at, audience, programme.notice_days)?;
        programme.version += 1;
        programme.updated_at = now();
        if !repo::selection::update_programme(conn, &programme, version)? {
            return Err(conflict(ErrorCode::VersionConflict, "the programme was changed meanwhile; retry"));
        }
        let target = (AuditTarget::SelectionProgramme, &programme.id);
        audit(conn, ctx, AuditAction::SelectionTeamReleased, target, &stages[0].event_id, before, after)?;
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
