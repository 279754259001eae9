//! Results: computed live from locked marks for the chief expert (draft), frozen by the chief
//! expert's ratification, released by organisers to widening audiences (experts → delegations →
//! public, now or at a set time), final after the public-notice period unless disputed. Before
//! release nobody but organisers and the skill's chief experts learns anything: other callers get
//! the same answer whether or not results exist.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::db::models::{
    new_id, now, DelegationRow, DisputeRow, OutboxRow, ResultRulesRow, RoleRow, SkillResultRow, SkillRow,
};
use crate::db::{write_tx, DbConn};
use crate::domain::account::Locale;
use crate::domain::lifecycle::{self, Operation};
use crate::domain::publication::{
    ceremony_revealed, current_state, may_dispute, notice_ends, standings, under_review, Audience, DisputeRefusal,
    ResultRules, ResultState,
};
use crate::domain::registration::EntryStatus;
use crate::domain::results::{
    albert_vidal, best_of_delegation, breakdown, delegation_table, medal_table, Award, DelegationLine, Entered, Placed,
};
use crate::error::{ApiError, ApiResult};
use crate::live::ResultsChanged;
use crate::mail::templates;
use crate::repo;
use crate::repo::audit::{AuditContext, Change};
use crate::service::access::{self as gate, access, entry_view, Access, Rights};
use crate::service::schemes;

// ---------------------------------------------------------------------------------------------
// Shapes

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PartScore {
    /// Criterion or sub-criterion id, e.g. `A` or `A1`.
    pub id: String,
    /// Exact sum rounded to hundredths for display, e.g. `18.89`.
    pub mark: String,
}

/// One entry's result in its skill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ResultLine {
    pub entry_id: String,
    /// The code experts knew the entry by (anonymous skills).
    pub code: Option<String>,
    pub delegation_id: String,
    pub delegation_code: String,
    pub delegation_name_zh: String,
    pub delegation_name_en: String,
    /// The competitors' names (one for an individual skill).
    pub competitors: Vec<String>,
    pub workstation: Option<i32>,
    /// Raw score from locked marks, e.g. `77.78`.
    pub raw: String,
    /// Standardised (WorldSkills scale) score.
    pub score: i32,
    pub rank: usize,
    pub award: Option<Award>,
    /// Goes forward to the training squad (when the event sets a cut).
    pub squad: bool,
    pub criteria: Vec<PartScore>,
    pub sub_criteria: Vec<PartScore>,
    /// Whether every sub-criterion of the entry is locked (else the draft is provisional).
    pub complete: bool,
}

/// A skill's results at one moment, best rank first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SkillSnapshot {
    pub skill_id: String,
    pub event_id: String,
    pub skill_number: String,
    pub skill_name_zh: String,
    pub skill_name_en: String,
    pub team: bool,
    pub entries: Vec<ResultLine>,
}

/// The live draft the chief expert watches, with where the skill's results stand.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LiveResults {
    pub state: ResultState,
    #[serde(flatten)]
    pub snapshot: SkillSnapshot,
}

/// Where a skill's results stand (organisers and the skill's chief experts).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkillStatus {
    pub skill_id: String,
    pub skill_number: String,
    pub skill_name_zh: String,
    pub skill_name_en: String,
    pub state: ResultState,
    pub audience: Audience,
    pub ratified_at: Option<DateTime<Utc>>,
    pub public_at: Option<DateTime<Utc>>,
    /// End of the public-notice period (成绩公示).
    pub notice_ends: Option<DateTime<Utc>>,
    pub scheduled_audience: Option<Audience>,
    pub scheduled_at: Option<DateTime<Utc>>,
    /// Medals revealed at the ceremony so far (0 none, 1 bronze, 2 silver, 3 gold).
    pub ceremony_step: i32,
    pub open_disputes: i64,
    /// Audiences see an earlier publication that an upheld dispute reopened: true from the
    /// reopening through re-marking and re-ratification until the organiser releases again.
    pub under_review: bool,
}

// ---------------------------------------------------------------------------------------------
// Rules

pub fn rules(conn: &mut DbConn, roles: &[RoleRow], event_id: &str) -> ApiResult<(ResultRules, i32)> {
    if access(conn, roles, event_id)? == Access::None {
        return Err(ApiError::NotFound { what: "event" });
    }
    gate::result_rules(conn, event_id)
}

pub fn save_rules(
    conn: &mut DbConn,
    roles: &[RoleRow],
    event_id: &str,
    rules: ResultRules,
    version: i32,
    ctx: &AuditContext,
) -> ApiResult<i32> {
    let problems = rules.problems();
    if !problems.is_empty() {
        return Err(ApiError::Validation(
            problems.into_iter().map(|(f, m)| crate::error::FieldError::new(f, m)).collect(),
        ));
    }
    write_tx(conn, |conn| {
        gate::event_for(conn, roles, event_id, Access::Manage)?;
        // The rules hold for every skill of the event: any skill past marking holds them fixed.
        let rows: HashMap<String, SkillResultRow> =
            repo::results::skill_results_of(conn, event_id)?.into_iter().map(|r| (r.skill_id.clone(), r)).collect();
        for skill in repo::events::skills_of(conn, event_id)?.iter().filter(|s| rows.contains_key(&s.id)) {
            gate::permit_in(Operation::ChangeResultRules, skill, gate::stored_phase(rows.get(&skill.id)))?;
        }
        let (before, current) = gate::result_rules(conn, event_id)?;
        if current != version {
            return Err(ApiError::Conflict {
                code: "version_conflict",
                detail: "the rules were changed by someone else; reload and retry".into(),
                current: Some(json!({"version": current, "rules": before})),
            });
        }
        let row = ResultRulesRow {
            event_id: event_id.into(),
            document: serde_json::to_string(&rules).map_err(ApiError::internal)?,
            version: version + 1,
            updated_at: now(),
        };
        if !repo::results::save_rules(conn, &row, version)? {
            return Err(ApiError::Conflict {
                code: "version_conflict",
                detail: "the rules were changed by someone else; reload and retry".into(),
                current: None,
            });
        }
        audit(conn, ctx, "results.rules_changed", "event", event_id, event_id, Some(json!(before)), json!(rules))?;
        Ok(row.version)
    })
}

// ---------------------------------------------------------------------------------------------
// Computation

/// The skill's results from its locked marks under the event's rules (no access check).
pub fn compute(conn: &mut DbConn, skill: &SkillRow) -> ApiResult<SkillSnapshot> {
    let (rules, _) = gate::result_rules(conn, &skill.event_id)?;
    let scheme = match repo::schemes::find(conn, &skill.id)? {
        Some(row) => serde_json::from_str(&row.document)
            .map_err(|e| ApiError::internal(anyhow::anyhow!("stored scheme unreadable: {e}")))?,
        None => crate::domain::scheme::Scheme::default(),
    };
    let mode = schemes::mode_of(skill);
    let entries: Vec<_> = repo::registration::entries_of_skill(conn, &skill.id)?
        .into_iter()
        .filter(|e| e.status == EntryStatus::Confirmed.as_str())
        .collect();
    let locked: HashSet<(String, String)> =
        repo::marks::locks_of_skill(conn, &skill.id)?.into_iter().map(|l| (l.entry_id, l.sub_criterion_id)).collect();
    let mut entered: HashMap<String, Entered> = HashMap::new();
    for m in repo::marks::marks_of_skill(conn, &skill.id)? {
        if locked.contains(&(m.entry_id.clone(), m.sub_criterion_id.clone())) {
            entered.entry(m.entry_id).or_default().entry(m.aspect_key).or_default().push((m.input, m.value));
        }
    }
    let delegations: HashMap<String, _> =
        repo::events::delegations_of(conn, &skill.event_id)?.into_iter().map(|d| (d.id.clone(), d)).collect();
    let entry_ids: Vec<String> = entries.iter().map(|e| e.id.clone()).collect();
    let mut names: HashMap<String, Vec<String>> = HashMap::new();
    for c in repo::registration::competitors_of(conn, &entry_ids)? {
        names.entry(c.entry_id).or_default().push(c.name);
    }
    let subs: Vec<String> = scheme.criteria.iter().flat_map(|c| &c.sub_criteria).map(|s| s.id.clone()).collect();
    let empty = Entered::new();
    let breakdowns: Vec<_> =
        entries.iter().map(|e| breakdown(&scheme, mode, entered.get(&e.id).unwrap_or(&empty))).collect();
    let raw: Vec<_> = breakdowns.iter().map(|b| b.total).collect();
    let placed = standings(&raw, &rules, skill.team_size > 1);
    let part = |parts: &[(String, crate::domain::scheme::Exact)]| -> Vec<PartScore> {
        parts.iter().map(|(id, m)| PartScore { id: id.clone(), mark: m.display() }).collect()
    };
    let mut lines: Vec<ResultLine> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let d = delegations.get(&e.delegation_id);
            let field = |f: fn(&crate::db::models::DelegationRow) -> &String| d.map(f).cloned().unwrap_or_default();
            ResultLine {
                entry_id: e.id.clone(),
                code: e.anon_code.clone(),
                delegation_id: e.delegation_id.clone(),
                delegation_code: field(|d| &d.code),
                delegation_name_zh: field(|d| &d.name_zh),
                delegation_name_en: field(|d| &d.name_en),
                competitors: names.remove(&e.id).unwrap_or_default(),
                workstation: e.workstation,
                raw: raw[i].display(),
                score: placed[i].score,
                rank: placed[i].rank,
                award: placed[i].award,
                squad: placed[i].squad,
                criteria: part(&breakdowns[i].criteria),
                sub_criteria: part(&breakdowns[i].sub_criteria),
                complete: !subs.is_empty() && subs.iter().all(|s| locked.contains(&(e.id.clone(), s.clone()))),
            }
        })
        .collect();
    lines.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.delegation_code.cmp(&b.delegation_code)));
    Ok(SkillSnapshot {
        skill_id: skill.id.clone(),
        event_id: skill.event_id.clone(),
        skill_number: skill.number.clone(),
        skill_name_zh: skill.name_zh.clone(),
        skill_name_en: skill.name_en.clone(),
        team: skill.team_size > 1,
        entries: lines,
    })
}

fn snapshot(json: Option<&str>) -> ApiResult<Option<SkillSnapshot>> {
    json.map(|s| {
        serde_json::from_str(s).map_err(|e| ApiError::internal(anyhow::anyhow!("stored results unreadable: {e}")))
    })
    .transpose()
}

/// Hides who is behind each code while an anonymous skill is not revealed.
fn hide_identities(s: &mut SkillSnapshot) {
    for line in &mut s.entries {
        line.delegation_id.clear();
        line.delegation_code.clear();
        line.delegation_name_zh.clear();
        line.delegation_name_en.clear();
        line.competitors.clear();
    }
}

/// The live draft (organisers and the skill's chief experts).
pub fn skill_results(conn: &mut DbConn, roles: &[RoleRow], skill_id: &str) -> ApiResult<LiveResults> {
    let view = schemes::view_for_review(
        conn,
        roles,
        skill_id,
        "results_embargoed",
        "results are for organisers and the skill's chief experts until published",
    )?;
    let mut snapshot = compute(conn, &view.skill)?;
    let manage = access(conn, roles, &view.skill.event_id)? == Access::Manage;
    if !manage && gate::hides_identities(conn, &view.skill)? {
        hide_identities(&mut snapshot);
    }
    let row = repo::results::skill_result(conn, skill_id)?;
    Ok(LiveResults { state: gate::stored_state(row.as_ref()), snapshot })
}

fn digest(json: &str) -> String {
    format!("{:x}", Sha256::digest(json.as_bytes()))
}

#[allow(clippy::too_many_arguments)]
fn audit(
    conn: &mut DbConn,
    ctx: &AuditContext,
    action: &str,
    target_type: &str,
    target_id: &str,
    event_id: &str,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
) -> ApiResult<()> {
    repo::audit::record(
        conn,
        ctx,
        Change {
            action,
            target_type,
            target_id: Some(target_id),
            event_id: Some(event_id),
            before,
            after: Some(after),
        },
    )?;
    Ok(())
}

/// The chief expert signs off a skill whose marks are all locked: the results are frozen.
pub fn ratify(
    conn: &mut DbConn,
    user_id: &str,
    roles: &[RoleRow],
    skill_id: &str,
    ctx: &AuditContext,
) -> ApiResult<SkillStatus> {
    write_tx(conn, |conn| {
        let view = schemes::view_for_review(
            conn,
            roles,
            skill_id,
            "forbidden",
            "only the skill's chief experts and organisers ratify its results",
        )?;
        let skill = view.skill;
        let existing = repo::results::skill_result(conn, skill_id)?;
        let phase = gate::phase_with(conn, &skill, existing.as_ref())?;
        gate::permit_in(Operation::Ratify, &skill, phase)?;
        let snap = compute(conn, &skill)?;
        let incomplete: Vec<&str> = snap
            .entries
            .iter()
            .filter(|e| !e.complete)
            .map(|e| e.code.as_deref().unwrap_or(e.entry_id.as_str()))
            .collect();
        if snap.entries.is_empty() || !incomplete.is_empty() {
            return Err(ApiError::Conflict {
                code: "not_all_locked",
                detail: if snap.entries.is_empty() {
                    "the skill has no confirmed entries to ratify".into()
                } else {
                    format!("{} entries still have unlocked sub-criteria", incomplete.len())
                },
                current: Some(json!({"entries": incomplete})),
            });
        }
        let document = serde_json::to_string(&snap).map_err(ApiError::internal)?;
        let at = now();
        let row = match existing {
            Some(mut row) => {
                let version = row.version;
                row.state = ResultState::Ratified.as_str().into();
                row.ratified_snapshot = Some(document.clone());
                row.ratified_at = Some(at);
                row.ratified_by = Some(user_id.into());
                row.version += 1;
                row.updated_at = at;
                if !repo::results::update_skill_result(conn, &row, version)? {
                    return Err(changed_meanwhile());
                }
                row
            }
            None => {
                let row = SkillResultRow {
                    skill_id: skill.id.clone(),
                    event_id: skill.event_id.clone(),
                    state: ResultState::Ratified.as_str().into(),
                    ratified_snapshot: Some(document.clone()),
                    ratified_at: Some(at),
                    ratified_by: Some(user_id.into()),
                    published_snapshot: None,
                    audience: Audience::None.as_str().into(),
                    public_at: None,
                    scheduled_audience: None,
                    scheduled_at: None,
                    ceremony_step: 0,
                    version: 1,
                    updated_at: at,
                };
                repo::results::insert_skill_result(conn, &row)?;
                row
            }
        };
        audit(
            conn,
            ctx,
            "results.ratified",
            "skill",
            &skill.id,
            &skill.event_id,
            None,
            json!({"entries": snap.entries.len(), "sha256": digest(&document)}),
        )?;
        status_of(conn, &skill, Some(&row))
    })
}

fn changed_meanwhile() -> ApiError {
    ApiError::Conflict {
        code: "version_conflict",
        detail: "the skill's results were changed at the same moment; retry".into(),
        current: None,
    }
}

fn status_of(conn: &mut DbConn, skill: &SkillRow, row: Option<&SkillResultRow>) -> ApiResult<SkillStatus> {
    let (rules, _) = gate::result_rules(conn, &skill.event_id)?;
    status_under(conn, &rules, skill, row)
}

fn status_under(
    conn: &mut DbConn,
    rules: &ResultRules,
    skill: &SkillRow,
    row: Option<&SkillResultRow>,
) -> ApiResult<SkillStatus> {
    let open = repo::results::open_disputes_of_skill(conn, &skill.id)?;
    Ok(status_with(rules, skill, row, open))
}

/// A skill's results status from its row and its count of open disputes (read by the caller).
pub(crate) fn status_with(
    rules: &ResultRules,
    skill: &SkillRow,
    row: Option<&SkillResultRow>,
    open: i64,
) -> SkillStatus {
    let stored = gate::stored_state(row);
    let public_at = row.and_then(|r| r.public_at);
    SkillStatus {
        skill_id: skill.id.clone(),
        skill_number: skill.number.clone(),
        skill_name_zh: skill.name_zh.clone(),
        skill_name_en: skill.name_en.clone(),
        state: current_state(stored, public_at, rules.notice_days, open as usize, now()),
        audience: gate::audience_of(row),
        ratified_at: row.and_then(|r| r.ratified_at).map(|t| t.and_utc()),
        public_at: public_at.map(|t| t.and_utc()),
        notice_ends: public_at.map(|at| notice_ends(at, rules.notice_days).and_utc()),
        scheduled_audience: row.and_then(|r| r.scheduled_audience.as_deref()).and_then(Audience::parse),
        scheduled_at: row.and_then(|r| r.scheduled_at).map(|t| t.and_utc()),
        ceremony_step: row.map(|r| r.ceremony_step).unwrap_or(0),
        open_disputes: open,
        under_review: under_review(stored, row.is_some_and(|r| r.published_snapshot.is_some())),
    }
}

/// Where every skill's results stand: organisers see all skills, chief experts their own.
pub fn statuses(conn: &mut DbConn, roles: &[RoleRow], event_id: &str) -> ApiResult<Vec<SkillStatus>> {
    if access(conn, roles, event_id)? == Access::None {
        return Err(ApiError::NotFound { what: "event" });
    }
    let rights = Rights::of(conn, roles, event_id)?;
    if !rights.manage && rights.chief_of.is_empty() {
        return Err(ApiError::Forbidden {
            code: "forbidden",
            detail: "the publication status is for organisers and chief experts".into(),
        });
    }
    let (rules, _) = gate::result_rules(conn, event_id)?;
    let rows: HashMap<String, SkillResultRow> =
        repo::results::skill_results_of(conn, event_id)?.into_iter().map(|r| (r.skill_id.clone(), r)).collect();
    repo::events::skills_of(conn, event_id)?
        .into_iter()
        .filter(|s| rights.reviews(&s.id))
        .map(|s| status_under(conn, &rules, &s, rows.get(&s.id)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Publication

/// What publishing produced beyond the stored rows: notices for live listeners.
#[derive(Debug, Default)]
pub struct Released {
    pub statuses: Vec<SkillStatus>,
    pub changes: Vec<ResultsChanged>,
}

/// Releases the ratified results of `skill_ids` (all ratified skills when `None`) to `audience`,
/// now or at `at`.
#[allow(clippy::too_many_arguments)]
pub fn publish(
    conn: &mut DbConn,
    roles: &[RoleRow],
    event_id: &str,
    skill_ids: Option<&[String]>,
    audience: Audience,
    at: Option<NaiveDateTime>,
    public_url: &str,
    ctx: &AuditContext,
) -> ApiResult<Released> {
    if audience == Audience::None {
        return Err(ApiError::validation("audience", "choose experts, delegations or public"));
    }
    // A time a few minutes back is a clock or a slow hand: released now. Further back is a mistake.
    if at.is_some_and(|t| t < now() - chrono::TimeDelta::minutes(5)) {
        return Err(ApiError::validation("at", "is in the past: leave it out to release now"));
    }
    // Results are released at the closing ceremony, days or weeks ahead; a year on is a typo.
    if at.is_some_and(|t| t > now() + chrono::TimeDelta::days(366)) {
        return Err(ApiError::validation("at", "is more than a year ahead"));
    }
    write_tx(conn, |conn| {
        gate::event_for(conn, roles, event_id, Access::Manage)?;
        let skills: HashMap<String, SkillRow> =
            repo::events::skills_of(conn, event_id)?.into_iter().map(|s| (s.id.clone(), s)).collect();
        let rows: HashMap<String, SkillResultRow> =
            repo::results::skill_results_of(conn, event_id)?.into_iter().map(|r| (r.skill_id.clone(), r)).collect();
        let ready = |r: &SkillResultRow| lifecycle::permit(Operation::Release, gate::stored_phase(Some(r))).is_ok();
        let targets: Vec<String> = match skill_ids {
            Some(ids) => {
                let mut problems = Vec::new();
                for (i, id) in ids.iter().enumerate() {
                    if !skills.contains_key(id) {
                        problems.push(crate::error::FieldError::new(
                            format!("skills[{i}]"),
                            "is not a skill of this event",
                        ));
                    }
                }
                if !problems.is_empty() {
                    return Err(ApiError::Validation(problems));
                }
                let not_ready: Vec<&str> = ids
                    .iter()
                    .filter(|id| !rows.get(*id).is_some_and(ready))
                    .map(|id| skills[id].number.as_str())
                    .collect();
                if !not_ready.is_empty() {
                    return Err(ApiError::Conflict {
                        code: "not_ratified",
                        detail: format!("not ratified yet: skill {}", not_ready.join(", ")),
                        current: Some(json!({"skills": not_ready})),
                    });
                }
                ids.to_vec()
            }
            None => {
                // Every ratified skill not yet released wider than asked ("all to experts" leaves
                // the skills already public as they are).
                let mut ids: Vec<String> = rows
                    .values()
                    .filter(|r| ready(r) && gate::audience_of(Some(r)) <= audience)
                    .map(|r| r.skill_id.clone())
                    .collect();
                ids.sort_by(|a, b| skills[a].number.cmp(&skills[b].number));
                if ids.is_empty() {
                    let detail = if rows.values().any(ready) {
                        format!("every ratified skill is released to {} or wider already", audience.as_str())
                    } else {
                        "no skill of the event has ratified results yet".to_string()
                    };
                    return Err(ApiError::Conflict { code: "not_ratified", detail, current: None });
                }
                ids
            }
        };
        let mut out = Released::default();
        let when = now();
        for id in targets {
            let skill = &skills[&id];
            let mut row = rows[&id].clone();
            if audience < gate::audience_of(Some(&row)) {
                return Err(ApiError::Conflict {
                    code: "audience_narrowing",
                    detail: format!(
                        "skill {} is released to {} already; a release cannot be narrowed",
                        skill.number, row.audience
                    ),
                    current: None,
                });
            }
            if audience > Audience::Experts && gate::hides_identities(conn, skill)? {
                return Err(ApiError::Conflict {
                    code: "not_revealed",
                    detail: format!("skill {} is marked anonymously: reveal its entries before release", skill.number),
                    current: None,
                });
            }
            match at.filter(|t| *t > when) {
                Some(t) => {
                    let version = row.version;
                    row.scheduled_audience = Some(audience.as_str().into());
                    row.scheduled_at = Some(t);
                    row.version += 1;
                    row.updated_at = when;
                    if !repo::results::update_skill_result(conn, &row, version)? {
                        return Err(changed_meanwhile());
                    }
                    audit(
                        conn,
                        ctx,
                        "results.release_scheduled",
                        "skill",
                        &id,
                        event_id,
                        None,
                        json!({"audience": audience, "at": t}),
                    )?;
                }
                None => {
                    if let Some(change) = release(conn, skill, &mut row, audience, when, public_url)? {
                        out.changes.push(change);
                    }
                    audit(conn, ctx, "results.released", "skill", &id, event_id, None, json!({"audience": audience}))?;
                }
            }
            out.statuses.push(status_of(conn, skill, Some(&row))?);
        }
        Ok(out)
    })
}

/// Calls off the skill's scheduled release (organisers), e.g. when the ceremony moves; what is
/// released already stays released.
pub fn unschedule(conn: &mut DbConn, roles: &[RoleRow], skill_id: &str, ctx: &AuditContext) -> ApiResult<SkillStatus> {
    write_tx(conn, |conn| {
        let skill = gate::managed_skill(conn, roles, skill_id)?;
        let Some(mut row) = repo::results::skill_result(conn, skill_id)?.filter(|r| r.scheduled_at.is_some()) else {
            return Err(ApiError::Conflict {
                code: "nothing_scheduled",
                detail: format!("no release of skill {} is scheduled", skill.number),
                current: None,
            });
        };
        let before = json!({"audience": row.scheduled_audience, "at": row.scheduled_at.map(|t| t.and_utc())});
        let version = row.version;
        row.scheduled_audience = None;
        row.scheduled_at = None;
        row.version += 1;
        row.updated_at = now();
        if !repo::results::update_skill_result(conn, &row, version)? {
            return Err(changed_meanwhile());
        }
        audit(conn, ctx, "results.release_unscheduled", "skill", skill_id, &skill.event_id, Some(before), json!({}))?;
        status_of(conn, &skill, Some(&row))
    })
}

/// Releases a ratified row to `audience` now: the audiences see the ratified snapshot; team
/// leaders and competitors are mailed when they first see it (or see it changed).
fn release(
    conn: &mut DbConn,
    skill: &SkillRow,
    row: &mut SkillResultRow,
    audience: Audience,
    at: NaiveDateTime,
    public_url: &str,
) -> ApiResult<Option<ResultsChanged>> {
    let before = gate::audience_of(Some(row));
    let audience = audience.max(before);
    let changed = row.published_snapshot.is_some() && row.published_snapshot != row.ratified_snapshot;
    let first_to_delegations = before < Audience::Delegations && audience >= Audience::Delegations;
    let version = row.version;
    row.published_snapshot = row.ratified_snapshot.clone();
    row.state = ResultState::Published.as_str().into();
    row.audience = audience.as_str().into();
    if audience == Audience::Public && row.public_at.is_none() {
        row.public_at = Some(at);
    }
    if row.scheduled_audience.as_deref().and_then(Audience::parse).is_some_and(|s| s <= audience) {
        row.scheduled_audience = None;
        row.scheduled_at = None;
    }
    row.version += 1;
    row.updated_at = at;
    if !repo::results::update_skill_result(conn, row, version)? {
        return Err(changed_meanwhile());
    }
    if audience >= Audience::Delegations && (first_to_delegations || changed) {
        if let Some(snap) = snapshot(row.published_snapshot.as_deref())? {
            enqueue_result_mails(conn, skill, &snap, public_url)?;
        }
    }
    if before == audience && !changed {
        return Ok(None);
    }
    Ok(Some(ResultsChanged {
        event_id: skill.event_id.clone(),
        skill_id: skill.id.clone(),
        kind: if changed { "changed" } else { "published" }.into(),
        public: audience == Audience::Public,
    }))
}

/// Applies scheduled releases that are due (the background worker calls this).
pub fn apply_due(conn: &mut DbConn, public_url: &str) -> ApiResult<Vec<ResultsChanged>> {
    let at = now();
    let due = repo::results::due_releases(conn, at)?;
    let mut changes = Vec::new();
    for mut row in due {
        let result = write_tx(conn, |conn| {
            let Some(skill) = repo::events::find_skill(conn, &row.skill_id)? else { return Ok(None) };
            let audience = row.scheduled_audience.as_deref().and_then(Audience::parse).unwrap_or(Audience::Public);
            if gate::stored_state(Some(&row)) == ResultState::Draft {
                // Reopened by a dispute since it was scheduled: the release waits for re-ratification.
                return Ok(None);
            }
            let change = release(conn, &skill, &mut row, audience, at, public_url)?;
            repo::audit::record(
                conn,
                &AuditContext::default(),
                Change {
                    action: "results.released",
                    target_type: "skill",
                    target_id: Some(&skill.id),
                    event_id: Some(&skill.event_id),
                    before: None,
                    after: Some(json!({"audience": audience, "scheduled": true})),
                },
            )?;
            Ok(change)
        });
        match result {
            Ok(Some(change)) => changes.push(change),
            Ok(None) => {}
            // Another instance released it first.
            Err(ApiError::Conflict { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(changes)
}

/// Reveals the next medal of a skill at the closing ceremony (bronze, silver, gold).
pub fn ceremony(
    conn: &mut DbConn,
    roles: &[RoleRow],
    skill_id: &str,
    step: i32,
    ctx: &AuditContext,
) -> ApiResult<(SkillStatus, ResultsChanged)> {
    write_tx(conn, |conn| {
        // Organisers drive the ceremony.
        let skill = gate::managed_skill(conn, roles, skill_id)?;
        gate::permit(conn, Operation::Ceremony, &skill)?;
        let mut row = repo::results::skill_result(conn, skill_id)?.ok_or(ApiError::NotFound { what: "results" })?;
        if step != row.ceremony_step + 1 || !(1..=3).contains(&step) {
            return Err(ApiError::Conflict {
                code: "ceremony_out_of_order",
                detail: format!("the next step is {} (bronze 1, silver 2, gold 3)", row.ceremony_step + 1),
                current: Some(json!({"ceremony_step": row.ceremony_step})),
            });
        }
        if gate::hides_identities(conn, &skill)? {
            return Err(ApiError::Conflict {
                code: "not_revealed",
                detail: "the skill is marked anonymously: reveal its entries first".into(),
                current: None,
            });
        }
        let version = row.version;
        row.ceremony_step = step;
        row.version += 1;
        row.updated_at = now();
        if !repo::results::update_skill_result(conn, &row, version)? {
            return Err(changed_meanwhile());
        }
        audit(conn, ctx, "results.ceremony", "skill", skill_id, &skill.event_id, None, json!({"step": step}))?;
        let change = ResultsChanged {
            event_id: skill.event_id.clone(),
            skill_id: skill.id.clone(),
            kind: "ceremony".into(),
            public: true,
        };
        Ok((status_of(conn, &skill, Some(&row))?, change))
    })
}

// ---------------------------------------------------------------------------------------------
// Reading released results

/// How far the caller may see a skill's published results.
fn audience_of_caller(conn: &mut DbConn, roles: &[RoleRow], skill: &SkillRow) -> ApiResult<(Access, Rights)> {
    let level = access(conn, roles, &skill.event_id)?;
    let rights = if level == Access::None { Rights::default() } else { Rights::of(conn, roles, &skill.event_id)? };
    Ok((level, rights))
}

fn may_see(rights: &Rights, level: Access, roles: &[RoleRow], skill_id: &str, audience: Audience) -> bool {
    use crate::domain::role::Role;
    rights.reviews(skill_id)
        || audience == Audience::Public
        || (audience >= Audience::Experts && rights.sees_skill(skill_id))
        || (audience >= Audience::Delegations
            && level != Access::None
            && roles.iter().any(|r| r.role == Role::TeamLeader.as_str() || r.role == Role::Competitor.as_str()))
}

fn no_results() -> ApiError {
    ApiError::NotFound { what: "published results" }
}

/// A skill's published results for a signed-in caller the skill has been released to (the same
/// 404 whether the skill has no results, unpublished results, or results not released to them).
pub fn published(conn: &mut DbConn, roles: &[RoleRow], skill_id: &str) -> ApiResult<SkillSnapshot> {
    let skill = repo::events::find_skill(conn, skill_id)?.ok_or_else(no_results)?;
    let row = repo::results::skill_result(conn, skill_id)?.ok_or_else(no_results)?;
    let (level, rights) = audience_of_caller(conn, roles, &skill)?;
    if row.published_snapshot.is_none() || !may_see(&rights, level, roles, skill_id, gate::audience_of(Some(&row))) {
        return Err(no_results());
    }
    let mut snap = snapshot(row.published_snapshot.as_deref())?.ok_or_else(no_results)?;
    // Breakdowns are for the entry's own delegation (and the skill's reviewers).
    if !rights.reviews(skill_id) {
        for line in &mut snap.entries {
            if !rights.leads(&line.delegation_id) {
                line.criteria.clear();
                line.sub_criteria.clear();
                line.raw.clear();
            }
        }
    }
    Ok(snap)
}

/// One aspect's marks for the entry's own view after publication.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AspectLine {
    /// `A1.2`.
    pub key: String,
    pub sub_criterion: String,
    pub description: String,
    /// `measurement` or `judgement`.
    pub kind: String,
    pub max: String,
    pub mark: String,
    /// Judges' 0–3 scores, in no particular order (judges are not named).
    pub judge_scores: Vec<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntryResultView {
    pub state: ResultState,
    pub notice_ends: Option<DateTime<Utc>>,
    pub skill_id: String,
    pub skill_number: String,
    pub skill_name_zh: String,
    pub skill_name_en: String,
    pub result: ResultLine,
    /// Mark by mark; empty while under review (an upheld dispute, until the re-release).
    pub aspects: Vec<AspectLine>,
    pub under_review: bool,
    pub disputes: Vec<DisputeView>,
}

/// An entry with its skill, for its competitors, its team leader or the skill's reviewers, and the
/// audience from which they may see its result (everyone else: 404).
fn own_entry(
    conn: &mut DbConn,
    user_id: &str,
    roles: &[RoleRow],
    entry_id: &str,
) -> ApiResult<(crate::db::models::EntryRow, SkillRow, Audience)> {
    let entry = repo::registration::find_entry(conn, entry_id)?.ok_or(ApiError::NotFound { what: "entry" })?;
    let competitors = repo::registration::competitors_of(conn, std::slice::from_ref(&entry.id))?;
    let own = competitors.iter().any(|c| c.user_id.as_deref() == Some(user_id));
    let skill = repo::events::find_skill(conn, &entry.skill_id)?.ok_or(ApiError::NotFound { what: "entry" })?;
    let (_, rights) = audience_of_caller(conn, roles, &skill)?;
    let allowed_at = if rights.reviews(&skill.id) {
        Audience::None
    } else if own || rights.leads(&entry.delegation_id) {
        Audience::Delegations
    } else {
        return Err(ApiError::NotFound { what: "entry" });
    };
    Ok((entry, skill, allowed_at))
}

/// A module (criterion) of a skill's marking scheme: its letter and name (no marks).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ModuleName {
    pub id: String,
    pub name: String,
}

/// What an entry's competitors and team leader may know before any result is published: the
/// event (with its time zone), the skill and the modules of its marking scheme (names are not
/// results).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntryOutline {
    pub entry_id: String,
    pub event_id: String,
    pub event_name: String,
    /// IANA zone name of the event: its times are shown in it.
    pub time_zone: String,
    pub skill_id: String,
    pub skill_number: String,
    pub skill_name_zh: String,
    pub skill_name_en: String,
    /// Empty until the skill has a marking scheme.
    pub modules: Vec<ModuleName>,
}

/// The outline of an entry for the same callers as [`entry_result`], published or not.
pub fn entry_outline(conn: &mut DbConn, user_id: &str, roles: &[RoleRow], entry_id: &str) -> ApiResult<EntryOutline> {
    let (entry, skill, _) = own_entry(conn, user_id, roles, entry_id)?;
    let event = repo::events::find_event(conn, &skill.event_id)?.ok_or(ApiError::NotFound { what: "entry" })?;
    let modules = match repo::schemes::find(conn, &skill.id)? {
        None => Vec::new(),
        Some(row) => serde_json::from_str::<crate::domain::scheme::Scheme>(&row.document)
            .map_err(|e| ApiError::internal(anyhow::anyhow!("stored scheme unreadable: {e}")))?
            .criteria
            .into_iter()
            .map(|c| ModuleName { id: c.id, name: c.name })
            .collect(),
    };
    Ok(EntryOutline {
        entry_id: entry.id,
        event_id: event.id,
        event_name: event.name,
        time_zone: event.time_zone,
        skill_id: skill.id,
        skill_number: skill.number,
        skill_name_zh: skill.name_zh,
        skill_name_en: skill.name_en,
        modules,
    })
}

/// An entry's own published result with its breakdown, aspect by aspect: for its competitors,
/// its team leader, the skill's reviewers. Before release: `results_not_published`; an entry the
/// released results do not hold (confirmed after the release): `entry_without_results`.
pub fn entry_result(conn: &mut DbConn, user_id: &str, roles: &[RoleRow], entry_id: &str) -> ApiResult<EntryResultView> {
    let (entry, skill, allowed_at) = own_entry(conn, user_id, roles, entry_id)?;
    let row = repo::results::skill_result(conn, &skill.id)?;
    let released = row.as_ref().filter(|r| r.published_snapshot.is_some() && gate::audience_of(Some(r)) >= allowed_at);
    let Some(row) = released else {
        return Err(ApiError::Conflict {
            code: "results_not_published",
            detail: "results are not yet published".into(),
            current: None,
        });
    };
    let snap = snapshot(row.published_snapshot.as_deref())?.ok_or_else(no_results)?;
    // An entry confirmed after the release has no line in it yet: a state, not a missing entry.
    let result = snap.entries.into_iter().find(|l| l.entry_id == entry.id).ok_or_else(|| ApiError::Conflict {
        code: "entry_without_results",
        detail: "this entry has no results yet".into(),
        current: None,
    })?;
    let stored = gate::stored_state(Some(row));
    // Until the re-release the aspects would be the re-marked ones under the earlier result.
    let under_review = under_review(stored, true);
    let aspects = if under_review { Vec::new() } else { aspect_lines(conn, &skill, &entry.id)? };
    let (rules, _) = gate::result_rules(conn, &skill.event_id)?;
    let open = repo::results::open_disputes_of_skill(conn, &skill.id)?;
    let rows = repo::results::disputes_of_event(conn, &skill.event_id)?.into_iter().filter(|d| d.entry_id == entry.id);
    let disputes = dispute_views(conn, rows.collect())?;
    Ok(EntryResultView {
        state: current_state(stored, row.public_at, rules.notice_days, open as usize, now()),
        notice_ends: row.public_at.map(|at| notice_ends(at, rules.notice_days).and_utc()),
        skill_id: skill.id.clone(),
        skill_number: skill.number.clone(),
        skill_name_zh: skill.name_zh.clone(),
        skill_name_en: skill.name_en.clone(),
        result,
        aspects,
        under_review,
        disputes,
    })
}

fn aspect_lines(conn: &mut DbConn, skill: &SkillRow, entry_id: &str) -> ApiResult<Vec<AspectLine>> {
    use crate::domain::results::aspect_mark;
    use crate::domain::scheme::{AspectType, Exact};
    let Some(row) = repo::schemes::find(conn, &skill.id)? else { return Ok(Vec::new()) };
    let scheme: crate::domain::scheme::Scheme = serde_json::from_str(&row.document)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("stored scheme unreadable: {e}")))?;
    let locked: HashSet<String> =
        repo::marks::locks_of_entry(conn, entry_id)?.into_iter().map(|l| l.sub_criterion_id).collect();
    let mut by_aspect: BTreeMap<String, Vec<(String, i32)>> = BTreeMap::new();
    for m in repo::marks::marks_of_entry(conn, entry_id)? {
        if locked.contains(&m.sub_criterion_id) {
            by_aspect.entry(m.aspect_key).or_default().push((m.input, m.value));
        }
    }
    let mode = schemes::mode_of(skill);
    let mut out = Vec::new();
    for sub in scheme.criteria.iter().flat_map(|c| &c.sub_criteria) {
        for (i, a) in sub.aspects.iter().enumerate() {
            let key = format!("{}.{}", sub.id, i + 1);
            let values = by_aspect.get(&key).cloned().unwrap_or_default();
            let mark = aspect_mark(a, mode, &values);
            let (kind, judge_scores) = match &a.kind {
                AspectType::Judgement { .. } => {
                    let mut shown: Vec<i32> = values.iter().map(|(_, v)| *v).collect();
                    shown.sort_unstable();
                    ("judgement", shown)
                }
                AspectType::Measurement { .. } => ("measurement", Vec::new()),
            };
            out.push(AspectLine {
                key,
                sub_criterion: sub.id.clone(),
                description: a.description.clone(),
                kind: kind.into(),
                max: Exact::from_hundredths(a.max).display(),
                mark: mark.display(),
                judge_scores,
            });
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Disputes

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DisputeView {
    pub id: String,
    pub skill_id: String,
    pub entry_id: String,
    /// The disputing delegation (its id and short code).
    pub delegation_id: String,
    pub delegation_code: String,
    /// The aspect disputed (`A1.2`), if the dispute points at one.
    pub aspect: Option<String>,
    pub reason: String,
    /// `open`, `upheld` or `rejected`.
    pub status: String,
    pub filed_at: DateTime<Utc>,
    pub resolution: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
}

impl DisputeView {
    fn of(d: DisputeRow, delegation: &DelegationRow) -> Self {
        Self {
            id: d.id,
            skill_id: d.skill_id,
            entry_id: d.entry_id,
            delegation_id: delegation.id.clone(),
            delegation_code: delegation.code.clone(),
            aspect: d.aspect_key,
            reason: d.reason,
            status: d.status,
            filed_at: d.filed_at.and_utc(),
            resolution: d.resolution,
            resolved_at: d.resolved_at.map(|t| t.and_utc()),
        }
    }
}

/// A team leader disputes a published result of their delegation's entry within the notice period.
pub fn file_dispute(
    conn: &mut DbConn,
    user_id: &str,
    roles: &[RoleRow],
    entry_id: &str,
    aspect: Option<&str>,
    reason: &str,
    ctx: &AuditContext,
) -> ApiResult<DisputeView> {
    write_tx(conn, |conn| {
        let view = entry_view(conn, roles, entry_id)?;
        if !view.rights.leads(&view.entry.delegation_id) {
            return Err(ApiError::Forbidden {
                code: "forbidden",
                detail: "the entry's team leader files disputes about its result".into(),
            });
        }
        let row = repo::results::skill_result(conn, &view.entry.skill_id)?;
        let phase = gate::phase_with(conn, &view.skill, row.as_ref())?;
        gate::permit_in(Operation::FileDispute, &view.skill, phase)?;
        let row = row.filter(|r| r.published_snapshot.is_some());
        let (rules, _) = gate::result_rules(conn, &view.event.id)?;
        let refusal = match &row {
            None => Some(DisputeRefusal::NotPublished),
            Some(r) => may_dispute(gate::audience_of(Some(r)), r.public_at, rules.notice_days, now()).err(),
        };
        match refusal {
            Some(DisputeRefusal::NotPublished) => {
                return Err(ApiError::Conflict {
                    code: "results_not_published",
                    detail: "results are not yet published".into(),
                    current: None,
                })
            }
            Some(DisputeRefusal::NoticeOver) => {
                return Err(ApiError::Conflict {
                    code: "notice_period_over",
                    detail: format!("the {}-day notice period is over; the result is final", rules.notice_days),
                    current: None,
                })
            }
            None => {}
        }
        if let Some(key) = aspect {
            let scheme = schemes::view(conn, roles, &view.entry.skill_id)?.scheme;
            if scheme.aspect(key).is_none() {
                return Err(ApiError::validation("aspect", format!("{key} is not an aspect of the skill's scheme")));
            }
        }
        let dispute = DisputeRow {
            id: new_id(),
            event_id: view.event.id.clone(),
            skill_id: view.entry.skill_id.clone(),
            entry_id: entry_id.into(),
            aspect_key: aspect.map(str::to_string),
            reason: reason.into(),
            status: "open".into(),
            filed_by: user_id.into(),
            filed_at: now(),
            resolution: None,
            resolved_by: None,
            resolved_at: None,
        };
        repo::results::insert_dispute(conn, &dispute)?;
        audit(
            conn,
            ctx,
            "dispute.filed",
            "entry",
            entry_id,
            &view.event.id,
            None,
            json!({"dispute": dispute.id, "aspect": aspect, "reason": reason}),
        )?;
        Ok(dispute_views(conn, vec![dispute])?.remove(0))
    })
}

/// Disputes the caller may see: organisers all, team leaders their delegation's, chief experts
/// their skills'.
pub fn disputes(conn: &mut DbConn, roles: &[RoleRow], event_id: &str) -> ApiResult<Vec<DisputeView>> {
    if access(conn, roles, event_id)? == Access::None {
        return Err(ApiError::NotFound { what: "event" });
    }
    let rights = Rights::of(conn, roles, event_id)?;
    let rows = repo::results::disputes_of_event(conn, event_id)?;
    let views = dispute_views(conn, rows)?;
    Ok(views.into_iter().filter(|d| rights.reviews(&d.skill_id) || rights.leads(&d.delegation_id)).collect())
}

/// Disputes with the delegation that filed each.
fn dispute_views(conn: &mut DbConn, rows: Vec<DisputeRow>) -> ApiResult<Vec<DisputeView>> {
    let mut delegations: HashMap<String, DelegationRow> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for d in rows {
        let entry = repo::registration::find_entry(conn, &d.entry_id)?.ok_or(ApiError::NotFound { what: "entry" })?;
        if !delegations.contains_key(&entry.delegation_id) {
            let row = repo::events::find_delegation(conn, &entry.delegation_id)?
                .ok_or(ApiError::NotFound { what: "delegation" })?;
            delegations.insert(row.id.clone(), row);
        }
        out.push(DisputeView::of(d, &delegations[&entry.delegation_id]));
    }
    Ok(out)
}

/// The organiser resolves a dispute: upheld reopens the skill for re-marking (its audiences keep
/// seeing the earlier publication, marked under review, until it is re-ratified and released).
pub fn resolve_dispute(
    conn: &mut DbConn,
    user_id: &str,
    roles: &[RoleRow],
    dispute_id: &str,
    upheld: bool,
    note: &str,
    ctx: &AuditContext,
) -> ApiResult<(DisputeView, Option<ResultsChanged>)> {
    write_tx(conn, |conn| {
        let mut d = repo::results::find_dispute(conn, dispute_id)?.ok_or(ApiError::NotFound { what: "dispute" })?;
        gate::event_for(conn, roles, &d.event_id, Access::Manage)
            .map_err(|_| ApiError::NotFound { what: "dispute" })?;
        if d.status != "open" {
            return Err(ApiError::Conflict {
                code: "already_resolved",
                detail: format!("the dispute was {} already", d.status),
                current: None,
            });
        }
        d.status = if upheld { "upheld" } else { "rejected" }.into();
        d.resolution = Some(note.into());
        d.resolved_by = Some(user_id.into());
        d.resolved_at = Some(now());
        repo::results::update_dispute(conn, &d)?;
        let mut change = None;
        if upheld {
            if let Some(mut row) = repo::results::skill_result(conn, &d.skill_id)? {
                if gate::stored_state(Some(&row)) != ResultState::Draft {
                    let version = row.version;
                    row.state = ResultState::Draft.as_str().into();
                    row.version += 1;
                    row.updated_at = now();
                    if !repo::results::update_skill_result(conn, &row, version)? {
                        return Err(changed_meanwhile());
                    }
                    change = Some(ResultsChanged {
                        event_id: d.event_id.clone(),
                        skill_id: d.skill_id.clone(),
                        kind: "reopened".into(),
                        public: gate::audience_of(Some(&row)) == Audience::Public,
                    });
                }
            }
        }
        audit(
            conn,
            ctx,
            "dispute.resolved",
            "entry",
            &d.entry_id,
            &d.event_id,
            None,
            json!({"dispute": d.id, "status": d.status, "note": note}),
        )?;
        Ok((dispute_views(conn, vec![d])?.remove(0), change))
    })
}

// ---------------------------------------------------------------------------------------------
// Public results

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
    pub skill_id: String,
    pub skill_number: String,
    pub skill_name_zh: String,
    pub skill_name_en: String,
    pub team: bool,
    pub final_result: bool,
    pub entries: Vec<PublicLine>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicEventResults {
    pub event_id: String,
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
    pub event_id: String,
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
pub fn public_event(conn: &mut DbConn, event_id: &str) -> ApiResult<Option<PublicEvent>> {
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
                    best_of_delegation: best.contains(&l.entry_id),
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
    event_id: &str,
    snaps: impl Iterator<Item = &'a SkillSnapshot>,
) -> (PublicTables, HashSet<String>) {
    let mut placed = Vec::new();
    let mut lines: HashMap<String, (&SkillSnapshot, &ResultLine)> = HashMap::new();
    for s in snaps {
        for l in &s.entries {
            placed.push(Placed {
                entry_id: l.entry_id.clone(),
                delegation: l.delegation_code.clone(),
                skill: s.skill_number.clone(),
                score: l.score,
                award: l.award,
            });
            lines.insert(l.entry_id.clone(), (s, l));
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
        event_id: event_id.into(),
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
    pub skill_id: String,
    pub skill_number: String,
    pub skill_name_zh: String,
    pub skill_name_en: String,
    pub step: i32,
    /// Bronze first; only what has been revealed.
    pub medals: Vec<CeremonyMedal>,
}

/// The medals of a skill revealed so far; `None` before the first reveal (and for unknown skills).
pub fn ceremony_view(conn: &mut DbConn, event_id: &str, skill_id: &str) -> ApiResult<Option<CeremonyView>> {
    let Some(row) = repo::results::skill_result(conn, skill_id)?.filter(|r| r.event_id == event_id) else {
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
    pub event_id: String,
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

// ---------------------------------------------------------------------------------------------
// Notifications

fn enqueue_result_mails(conn: &mut DbConn, skill: &SkillRow, snap: &SkillSnapshot, public_url: &str) -> ApiResult<()> {
    // Each reader's own view of the result (a release to delegations is not on the public pages):
    // the competitor's results, the team leader's results of their delegation.
    let public_url = public_url.trim_end_matches('/');
    let link = format!("{public_url}/my-results");
    let entry_ids: Vec<String> = snap.entries.iter().map(|l| l.entry_id.clone()).collect();
    let competitors = repo::registration::competitors_of(conn, &entry_ids)?;
    let user_ids: Vec<String> = competitors.iter().filter_map(|c| c.user_id.clone()).collect();
    let users: HashMap<String, crate::db::models::UserRow> =
        repo::users::find_many(conn, &user_ids)?.into_iter().map(|u| (u.id.clone(), u)).collect();
    let by_entry: HashMap<&str, &ResultLine> = snap.entries.iter().map(|l| (l.entry_id.as_str(), l)).collect();
    let skill_name = |locale: Locale| match locale {
        Locale::ZhCn => format!("{} {}", skill.number, skill.name_zh),
        _ => format!("{} {}", skill.number, skill.name_en),
    };
    let mut mails = Vec::new();
    for c in &competitors {
        let (Some(user), Some(line)) =
            (c.user_id.as_ref().and_then(|u| users.get(u)), by_entry.get(c.entry_id.as_str()))
        else {
            continue;
        };
        if !user.is_active {
            continue;
        }
        let locale = Locale::parse(&user.locale).unwrap_or(Locale::ZhCn);
        let line =
            templates::ResultLineText { rank: line.rank, score: line.score, award: line.award, who: c.name.clone() };
        mails.push(templates::result_competitor(
            locale,
            &user.email,
            &user.display_name,
            &skill_name(locale),
            &line,
            &link,
        ));
    }
    let delegations: Vec<String> = {
        let mut d: Vec<String> = snap.entries.iter().map(|l| l.delegation_id.clone()).collect();
        d.sort();
        d.dedup();
        d
    };
    for (delegation, user) in repo::users::team_leaders_of(conn, &delegations)? {
        let locale = Locale::parse(&user.locale).unwrap_or(Locale::ZhCn);
        let lines: Vec<templates::ResultLineText> = snap
            .entries
            .iter()
            .filter(|l| l.delegation_id == delegation)
            .map(|l| templates::ResultLineText {
                rank: l.rank,
                score: l.score,
                award: l.award,
                who: l.competitors.join(", "),
            })
            .collect();
        let link = format!("{public_url}/events/{}/team/{delegation}/results", skill.event_id);
        mails.push(templates::result_team_leader(
            locale,
            &user.email,
            &user.display_name,
            &skill_name(locale),
            &lines,
            &link,
        ));
    }
    let at = now();
    let rows: Vec<OutboxRow> = mails
        .into_iter()
        .map(|m| OutboxRow {
            id: new_id(),
            event_id: Some(skill.event_id.clone()),
            kind: "result".into(),
            recipient: m.to,
            subject: m.subject,
            body: m.body,
            status: "pending".into(),
            attempts: 0,
            last_error: None,
            next_attempt_at: at,
            created_at: at,
            sent_at: None,
        })
        .collect();
    repo::results::enqueue_mail(conn, &rows)?;
    Ok(())
}

/// The state of the event's result mails: counts and the failures, for the organiser.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MailReport {
    pub pending: usize,
    pub sent: usize,
    pub failed: usize,
    pub failures: Vec<MailFailure>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MailFailure {
    pub recipient: String,
    pub subject: String,
    pub attempts: i32,
    pub last_error: Option<String>,
}

pub fn mail_report(conn: &mut DbConn, roles: &[RoleRow], event_id: &str) -> ApiResult<MailReport> {
    gate::event_for(conn, roles, event_id, Access::Manage)?;
    let rows = repo::results::mail_of_event(conn, event_id)?;
    let count = |s: &str| rows.iter().filter(|r| r.status == s).count();
    Ok(MailReport {
        pending: count("pending"),
        sent: count("sent"),
        failed: count("failed"),
        failures: rows
            .iter()
            .filter(|r| r.status == "failed" || (r.status == "pending" && r.attempts > 0))
            .map(|r| MailFailure {
                recipient: r.recipient.clone(),
                subject: r.subject.clone(),
                attempts: r.attempts,
                last_error: r.last_error.clone(),
            })
            .collect(),
    })
}

// ---------------------------------------------------------------------------------------------
// Exports

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
    roles: &[RoleRow],
    event_id: &str,
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

// ---------------------------------------------------------------------------------------------
// Printable

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
    roles: &[RoleRow],
    event_id: &str,
    skill_id: Option<&str>,
) -> ApiResult<(crate::db::models::EventRow, Vec<SkillSnapshot>)> {
    let event = gate::event_for(conn, roles, event_id, Access::Manage)?;
    let snaps = ratified_of(conn, event_id, skill_id)?;
    if snaps.is_empty() {
        return Err(ApiError::Conflict {
            code: "not_ratified",
            detail: "no ratified results to print yet".into(),
            current: None,
        });
    }
    Ok((event, snaps))
}

/// The ratified snapshots of the event's skills (all, or one), by skill number.
fn ratified_of(conn: &mut DbConn, event_id: &str, skill_id: Option<&str>) -> ApiResult<Vec<SkillSnapshot>> {
    let mut snaps = Vec::new();
    for row in repo::results::skill_results_of(conn, event_id)? {
        if skill_id.is_some_and(|s| s != row.skill_id) {
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
    roles: &[RoleRow],
    event_id: &str,
    skill_id: Option<&str>,
) -> ApiResult<crate::pdf::ResultsDocument> {
    let (event, snaps) = ratified_snapshots(conn, roles, event_id, skill_id)?;
    Ok(crate::pdf::ResultsDocument {
        event: event.name,
        subtitle: "成绩公告 Results".into(),
        skills: snaps
            .into_iter()
            .map(|s| crate::pdf::SkillTable {
                title: format!("{} {} {}", s.skill_number, s.skill_name_zh, s.skill_name_en),
                rows: s
                    .entries
                    .iter()
                    .map(|l| crate::pdf::ResultRow {
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
    roles: &[RoleRow],
    event_id: &str,
    skill_id: Option<&str>,
) -> ApiResult<Vec<crate::pdf::Certificate>> {
    let (event, snaps) = ratified_snapshots(conn, roles, event_id, skill_id)?;
    let date = now().date().format("%Y-%m-%d").to_string();
    let mut out = Vec::new();
    for s in &snaps {
        for l in s.entries.iter().filter(|l| l.award.is_some()) {
            for name in &l.competitors {
                out.push(crate::pdf::Certificate {
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
            code: "no_awards",
            detail: "the ratified results hold no award to certify".into(),
            current: None,
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Verification

/// What `skillmark verify` found.
#[derive(Debug, Default, Serialize)]
pub struct VerifyReport {
    pub skills_checked: usize,
    pub chains_checked: usize,
    pub problems: Vec<String>,
}

/// Recomputes every ratified or published result from the stored marks and compares it with what
/// was stored and with the digest the audit log recorded at ratification; checks every audit
/// hash chain.
pub fn verify(conn: &mut DbConn) -> ApiResult<VerifyReport> {
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
        action: Some("results.ratified".into()),
        target_id: Some(skill.id.clone()),
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
