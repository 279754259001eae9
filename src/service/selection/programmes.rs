//! Programmes and stages: create, list, read, add a stage, set a stage skill's rules.

use super::*;

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
