//! The demo's selection programme (选拔 → 集训 → 国家队): the demo event is stage 1 (the
//! national selection); in three skills (one a team skill) its top ten went on to the national
//! training squad, a 10 → 5 stage at training bases is completed (marked, locked, ratified,
//! published, confirmed, its squad list announced) and a 5 → 2 stage is under way (the five
//! carried over, some marks entered, nothing locked). Everything after the marks goes through the
//! services, so the lifecycle holds and every step is audited.

use std::collections::HashMap;

use chrono::{Datelike, Duration};
use rand::rngs::ChaCha20Rng;

use super::{load_marking, role, Marking};
use crate::auth::extract::grants_of;
use crate::db::models::{new_id, now, EntryRow, EventRow, ExpertRow, SkillRow};
use crate::db::DbConn;
use crate::domain::ids::{DelegationId, EventId, ProgrammeId, UserId};
use crate::domain::publication::Audience;
use crate::domain::registration::ExpertPosition;
use crate::domain::role::Grants;
use crate::domain::selection::{StandingBasis, TieRule};
use crate::error::ApiError;
use crate::repo;
use crate::repo::audit::AuditContext;
use crate::service::events::EventFields;
use crate::service::results as results_svc;
use crate::service::selection::{self as svc, ProgrammeFields, StageFields, StageSkillFields};

/// The skills the programme carries past stage 1 (04 is a team skill), with their training bases.
const SKILLS: [(&str, &str); 3] = [
    ("01", "天津职业技术师范大学集训基地"),
    ("04", "广州工贸技师学院集训基地"),
    ("05", "上海电子信息职业技术学院集训基地"),
];

/// The skill whose 10 → 5 cut weighs stage 1 in (30/70).
const WEIGHED_SKILL: &str = "05";

/// What the demo's programme is, for the command to print.
#[derive(Debug)]
pub struct ProgrammeSummary {
    pub id: ProgrammeId,
    pub name: String,
    /// Each stage's event name, stage 1 first.
    pub stages: Vec<String>,
    /// The skill numbers carried past stage 1.
    pub skills: Vec<&'static str>,
}

/// Stage 1 as the demo made it.
pub(super) struct Stage1<'a> {
    pub event: &'a EventRow,
    pub skills: &'a [SkillRow],
    /// Each skill's experts (same order as `skills`) with their delegations.
    pub experts: &'a [Vec<(UserId, DelegationId)>],
    /// Delegation codes of stage 1.
    pub codes: &'a HashMap<DelegationId, String>,
}

/// The organiser's grants now (each stage added makes them organiser of its event).
fn grants(conn: &mut DbConn, organiser: &UserId) -> Result<Grants, ApiError> {
    Ok(grants_of(&repo::users::roles_of(conn, organiser)?))
}

/// Confirms each programme skill of a stage (its ratified ranking proposes who advances) and
/// announces the squad list: to the delegations, then the public (公示).
fn confirm_and_announce(
    conn: &mut DbConn,
    organiser: &UserId,
    stage: &svc::Stage,
    ctx: &AuditContext,
) -> Result<(), ApiError> {
    let roles = grants(conn, organiser)?;
    for skill in stage.skills.iter().filter(|s| SKILLS.iter().any(|(n, _)| *n == s.skill_number)) {
        let current = svc::proposal(conn, &roles, &stage.id, &skill.skill_id)?;
        svc::confirm(conn, organiser, &roles, &stage.id, &skill.skill_id, current.version, ctx)?;
    }
    svc::release_squad(conn, &roles, &stage.id, Audience::Delegations, ctx)?;
    svc::release_squad(conn, &roles, &stage.id, Audience::Public, ctx)?;
    Ok(())
}

/// A later stage's skills, entries and the experts of each skill (same order as `skills`).
struct StagePeople {
    skills: Vec<SkillRow>,
    entries: Vec<EntryRow>,
    experts: Vec<Vec<(UserId, DelegationId)>>,
}

/// A later stage's skills and entries, in a stable order (skill number, delegation code), and
/// its experts: those of stage 1 whose delegation is in the stage, the first chief expert and
/// the second deputy.
fn stage_people(conn: &mut DbConn, stage1: &Stage1, event_id: &EventId) -> Result<StagePeople, ApiError> {
    let skills = repo::events::skills_of(conn, event_id)?;
    let by_code: HashMap<String, DelegationId> =
        repo::events::delegations_of(conn, event_id)?.into_iter().map(|d| (d.code, d.id)).collect();
    let code_of: HashMap<&DelegationId, &String> = by_code.iter().map(|(c, id)| (id, c)).collect();
    let mut entries = Vec::new();
    let mut experts = Vec::new();
    for skill in &skills {
        let mut these = repo::registration::entries_of_skill(conn, &skill.id)?;
        these.sort_by_key(|e| code_of.get(&e.delegation_id).map(|c| c.to_string()));
        entries.extend(these);
        let Some(index) = stage1.skills.iter().position(|s| s.number == skill.number) else { continue };
        let mut judges = Vec::new();
        for (user, old) in &stage1.experts[index] {
            let Some(delegation) = stage1.codes.get(old).and_then(|c| by_code.get(c)) else { continue };
            let position = match judges.len() {
                0 => ExpertPosition::ChiefExpert,
                1 => ExpertPosition::DeputyChiefExpert,
                _ => ExpertPosition::Expert,
            };
            repo::users::insert_role(conn, &role(user, position.role(), Some((&skill.id).into()), Some(delegation)))?;
            repo::registration::insert_expert(
                conn,
                &ExpertRow {
                    id: new_id(),
                    event_id: event_id.clone(),
                    skill_id: skill.id.clone(),
                    delegation_id: delegation.clone(),
                    user_id: user.clone(),
                    position,
                    created_at: now(),
                },
            )?;
            judges.push((user.clone(), delegation.clone()));
        }
        experts.push(judges);
    }
    Ok(StagePeople { skills, entries, experts })
}

/// An assessment stage's event at the training bases, `days_after` stage 1's C1.
fn stage_event(stage1: &EventRow, name: &str, days_after: i64) -> EventFields {
    let c1 = stage1.c1_date + Duration::days(days_after);
    EventFields {
        name: name.into(),
        venue: "国家集训基地（各技能集训基地）".into(),
        time_zone: stage1.time_zone.clone(),
        c1_date: c1,
        competition_days: 2,
        registration_deadline: (c1 - Duration::days(14)).and_hms_opt(16, 0, 0).expect("a valid time"),
    }
}

fn stage_fields(event: EventFields) -> StageFields {
    StageFields {
        event,
        skill_numbers: Some(SKILLS.iter().map(|(n, _)| n.to_string()).collect()),
        training_bases: SKILLS.iter().map(|(n, b)| (n.to_string(), b.to_string())).collect(),
        is_final: false,
    }
}

/// Loads the programme on top of the demo event (whose skills `SKILLS` are ratified already).
pub(super) fn load(
    conn: &mut DbConn,
    rng: &mut ChaCha20Rng,
    stage1: Stage1,
    organiser: &UserId,
    public_url: &str,
    ctx: &AuditContext,
) -> Result<ProgrammeSummary, ApiError> {
    // The national competition of year Y selects for the WorldSkills competition of Y + 1; age
    // counts in that year, so some of the oldest competitors cannot go on.
    let target_year = stage1.event.c1_date.year() + 1;
    let roles = grants(conn, organiser)?;
    let programme = svc::create_programme(
        conn,
        organiser,
        &roles,
        ProgrammeFields {
            name: "第49届世界技能大赛中国集训队选拔（演示）".into(),
            target_competition: format!("第49届世界技能大赛 WorldSkills {target_year}"),
            target_year,
            event_id: stage1.event.id.clone(),
            notice_days: None,
        },
        ctx,
    )?;
    confirm_and_announce(conn, organiser, &programme.stages[0], ctx)?;

    // 10 → 5 (十进五) at the training bases: marked, locked, ratified, published, confirmed and
    // announced. Skill 05 weighs the national selection in (30/70).
    let fields = stage_fields(stage_event(stage1.event, "国家集训队第一阶段考核（十进五）（演示）", 90));
    let programme = svc::add_stage(conn, organiser, &roles, &programme.id, fields, ctx)?;
    let stage2 = programme.stages[1].clone();
    let roles = grants(conn, organiser)?;
    if let Some(skill) = stage2.skills.iter().find(|s| s.skill_number == WEIGHED_SKILL) {
        let weighed = StageSkillFields {
            cut: skill.cut,
            weights: Some(vec![30, 70]),
            basis: StandingBasis::WsScale,
            tie_rule: TieRule::AllTiedAdvance,
            training_base: skill.training_base.clone(),
            version: skill.version,
        };
        svc::set_stage_skill(conn, &roles, &stage2.id, &skill.skill_id, weighed, ctx)?;
    }
    let StagePeople { skills, entries, experts } = stage_people(conn, &stage1, &stage2.event_id)?;
    load_marking(conn, rng, &skills, &entries, &experts, Marking::FirstFinished(skills.len()))?;
    for skill in &skills {
        results_svc::ratify(conn, organiser, &roles, &skill.id, ctx)?;
    }
    let ids: Vec<_> = skills.iter().map(|s| s.id.clone()).collect();
    results_svc::publish(conn, &roles, &stage2.event_id, Some(&ids), Audience::Public, None, public_url, ctx)?;
    let stage2 = svc::get_programme(conn, &roles, &programme.id)?.stages[1].clone();
    confirm_and_announce(conn, organiser, &stage2, ctx)?;

    // 5 → 2 (五进二): the five carried over, marking under way.
    let fields = stage_fields(stage_event(stage1.event, "国家集训队第二阶段考核（五进二）（演示）", 150));
    let programme = svc::add_stage(conn, organiser, &roles, &programme.id, fields, ctx)?;
    let under_way = stage_people(conn, &stage1, &programme.stages[2].event_id)?;
    load_marking(conn, rng, &under_way.skills, &under_way.entries, &under_way.experts, Marking::UnderWay)?;

    Ok(ProgrammeSummary {
        id: programme.id.clone(),
        name: programme.name.clone(),
        stages: programme.stages.iter().map(|s| s.event_name.clone()).collect(),
        skills: SKILLS.iter().map(|(n, _)| *n).collect(),
    })
}
