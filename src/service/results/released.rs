//! Reading released results as a signed-in caller: a skill's published results, an entry's own
//! result with its breakdown, and the entry's outline before anything is published.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::disputes::{dispute_views, DisputeView};
use super::snapshot::{snapshot, ResultLine, SkillSnapshot};
use crate::db::models::{now, SkillRow};
use crate::db::DbConn;
use crate::domain::ids::{AspectKey, EntryId, EventId, SkillId, SubCriterionId, UserId};
use crate::domain::publication::{current_state, notice_ends, under_review, Audience, ResultState};
use crate::domain::role::Grants;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::repo;
use crate::service::access::{self as gate, access, Access, Rights};
use crate::service::schemes;

/// How far the caller may see a skill's published results.
fn audience_of_caller(conn: &mut DbConn, roles: &Grants, skill: &SkillRow) -> ApiResult<(Access, Rights)> {
    let level = access(conn, roles, &skill.event_id)?;
    let rights = if level == Access::None { Rights::default() } else { Rights::of(conn, roles, &skill.event_id)? };
    Ok((level, rights))
}

fn may_see(rights: &Rights, level: Access, roles: &Grants, skill_id: &SkillId, audience: Audience) -> bool {
    rights.reviews(skill_id)
        || audience == Audience::Public
        || (audience >= Audience::Experts && rights.sees_skill(skill_id))
        || (audience >= Audience::Delegations && level != Access::None && roles.is_delegate())
}

fn no_results() -> ApiError {
    ApiError::NotFound { what: "published results" }
}

/// A skill's published results for a signed-in caller the skill has been released to (the same
/// 404 whether the skill has no results, unpublished results, or results not released to them).
pub fn published(conn: &mut DbConn, roles: &Grants, skill_id: &SkillId) -> ApiResult<SkillSnapshot> {
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
            if !rights.delegations.iter().any(|d| d.to_string() == line.delegation_id) {
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
    pub skill_id: SkillId,
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
    user_id: &UserId,
    roles: &Grants,
    entry_id: &EntryId,
) -> ApiResult<(crate::db::models::EntryRow, SkillRow, Audience)> {
    let entry = repo::registration::find_entry(conn, entry_id)?.ok_or(ApiError::NotFound { what: "entry" })?;
    let competitors = repo::registration::competitors_of(conn, std::slice::from_ref(&entry.id))?;
    let own = competitors.iter().any(|c| c.user_id.as_ref() == Some(user_id));
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
    pub entry_id: EntryId,
    pub event_id: EventId,
    pub event_name: String,
    /// IANA zone name of the event: its times are shown in it.
    pub time_zone: String,
    pub skill_id: SkillId,
    pub skill_number: String,
    pub skill_name_zh: String,
    pub skill_name_en: String,
    /// Empty until the skill has a marking scheme.
    pub modules: Vec<ModuleName>,
}

/// The outline of an entry for the same callers as [`entry_result`], published or not.
pub fn entry_outline(
    conn: &mut DbConn,
    user_id: &UserId,
    roles: &Grants,
    entry_id: &EntryId,
) -> ApiResult<EntryOutline> {
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
pub fn entry_result(
    conn: &mut DbConn,
    user_id: &UserId,
    roles: &Grants,
    entry_id: &EntryId,
) -> ApiResult<EntryResultView> {
    let (entry, skill, allowed_at) = own_entry(conn, user_id, roles, entry_id)?;
    let row = repo::results::skill_result(conn, &skill.id)?;
    let released = row.as_ref().filter(|r| r.published_snapshot.is_some() && gate::audience_of(Some(r)) >= allowed_at);
    let Some(row) = released else {
        return Err(ApiError::Conflict {
            code: ErrorCode::ResultsNotPublished,
            detail: "results are not yet published".into(),
            current: None,
        });
    };
    let snap = snapshot(row.published_snapshot.as_deref())?.ok_or_else(no_results)?;
    // An entry confirmed after the release has no line in it yet: a state, not a missing entry.
    let result = snap.entries.into_iter().find(|l| l.entry_id == entry.id).ok_or_else(|| ApiError::Conflict {
        code: ErrorCode::EntryWithoutResults,
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

fn aspect_lines(conn: &mut DbConn, skill: &SkillRow, entry_id: &EntryId) -> ApiResult<Vec<AspectLine>> {
    use crate::domain::results::aspect_mark;
    use crate::domain::scheme::{AspectType, Exact, MarkInputKind};
    let Some(row) = repo::schemes::find(conn, &skill.id)? else { return Ok(Vec::new()) };
    let scheme: crate::domain::scheme::Scheme = serde_json::from_str(&row.document)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("stored scheme unreadable: {e}")))?;
    let locked: HashSet<SubCriterionId> =
        repo::marks::locks_of_entry(conn, entry_id)?.into_iter().map(|l| l.sub_criterion_id).collect();
    let mut by_aspect: BTreeMap<AspectKey, Vec<(MarkInputKind, i32)>> = BTreeMap::new();
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
            let values = by_aspect.get(key.as_str()).cloned().unwrap_or_default();
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
