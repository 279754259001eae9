//! Marking: groups of experts, marks entered from tablets (idempotent by client id, versioned,
//! recusal enforced on every mark), blind judgement, and locking by the chief expert.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::db::models::{
    new_id, now, AuditRow, EntryRow, GroupRow, LockRow, MarkRow, SkillRow, StoredGroup, WithdrawnScoreRow,
};
use crate::db::{write_tx, write_tx_batched, DbConn, OnDemand};
use crate::domain::account::Locale;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::groups::{propose, uncovered_by, Need, Person, Proposal};
use crate::domain::ids::{AspectKey, ClientMarkId, DelegationId, EntryId, MarkId, SkillId, SubCriterionId, UserId};
use crate::domain::lifecycle::Operation;
use crate::domain::marking::{judge_analytics, sub_status, JudgeStats, SubStatus};
use crate::domain::registration::{EntryStatus, JudgementMode};
use crate::domain::role::Grants;
use crate::domain::scheme::{spread, AspectType, MeasurementInput, Scheme};
use crate::domain::scheme::{MarkInputKind, SchemeStatus};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::repo;
use crate::repo::audit::{AuditContext, Change};
use crate::service::access::{self, entry_view, Rights};
use crate::service::schemes;

/// Marking of each skill is audited in its own chain, so skills never wait on each other.
pub fn skill_chain(skill_id: &SkillId) -> String {
    format!("skill:{skill_id}")
}

fn frozen_scheme(conn: &mut DbConn, roles: &Grants, skill_id: &SkillId) -> ApiResult<Scheme> {
    let view = schemes::view(conn, roles, skill_id)?;
    if view.status != SchemeStatus::Frozen {
        return Err(ApiError::Conflict {
            code: ErrorCode::SchemeNotFrozen,
            detail: "marking starts once the marking scheme is frozen".into(),
            current: None,
        });
    }
    Ok(view.scheme)
}

/// Creates a marking group: experts of the skill and the sub-criteria they mark.
pub fn create_group(
    conn: &mut DbConn,
    roles: &Grants,
    skill_id: &SkillId,
    name: &str,
    members: &[UserId],
    sub_criteria: &[String],
    ctx: &AuditContext,
) -> ApiResult<StoredGroup> {
    write_tx(conn, |conn| {
        let skill = repo::events::find_skill(conn, skill_id)?.ok_or(ApiError::NotFound { what: "skill" })?;
        let rights = Rights::of(conn, roles, &skill.event_id)?;
        if !(rights.reviews(skill_id)) {
            return Err(rights.refusal(skill_id));
        }
        access::permit(conn, Operation::FormGroups, &skill)?;
        let scheme = schemes::view(conn, roles, skill_id)?.scheme;
        let mut problems = Vec::new();
        let mut subs: Vec<SubCriterionId> = Vec::with_capacity(sub_criteria.len());
        for (i, sub) in sub_criteria.iter().enumerate() {
            match (scheme.sub_criterion(sub), sub.parse()) {
                (Some(_), Ok(id)) => subs.push(id),
                _ => problems.push(crate::error::FieldError::new(
                    format!("sub_criteria[{i}]"),
                    format!("{sub} is not a sub-criterion of the skill's scheme"),
                )),
            }
        }
        let experts: HashMap<UserId, DelegationId> =
            repo::registration::experts_of(conn, &skill.event_id, Some(std::slice::from_ref(&skill.id)), None)?
                .into_iter()
                .map(|e| (e.user_id, e.delegation_id))
                .collect();
        for (i, m) in members.iter().enumerate() {
            if !experts.contains_key(m) {
                problems.push(crate::error::FieldError::new(format!("members[{i}]"), "is not an expert of this skill"));
            }
        }
        if !problems.is_empty() {
            return Err(ApiError::Validation(problems));
        }
        judges_reachable(conn, &skill, &scheme, &experts, members, &subs)?;
        let group = StoredGroup {
            row: GroupRow { id: new_id(), skill_id: skill_id.clone(), name: name.into(), created_at: now() },
            members: members.to_vec(),
            sub_criteria: subs,
        };
        repo::marks::insert_group(conn, &group)?;
        repo::audit::record(
            conn,
            ctx,
            Change {
                action: AuditAction::MarkingGroupCreated,
                target_type: AuditTarget::Skill,
                target_id: Some(skill_id.into()),
                event_id: Some(&skill.event_id),
                before: None,
                after: Some(json!({"name": name, "members": members, "sub_criteria": sub_criteria})),
            },
        )?;
        Ok(group)
    })
    .map_err(|e| match e {
        ApiError::Conflict { code: ErrorCode::AlreadyExists, .. } => ApiError::Conflict {
            code: ErrorCode::GroupNameTaken,
            detail: format!("a group called {name} exists already"),
            current: None,
        },
        other => other,
    })
}

/// Refuses groups that would leave a judgement sub-criterion unlockable: with the members of the
/// skill's other groups marking it, every confirmed entry needs the skill's judge count of members
/// from other delegations (recusal), or its scores could never be complete.
fn judges_reachable(
    conn: &mut DbConn,
    skill: &SkillRow,
    scheme: &Scheme,
    experts: &HashMap<UserId, DelegationId>,
    members: &[UserId],
    sub_criteria: &[SubCriterionId],
) -> ApiResult<()> {
    let judges = usize::from(schemes::mode_of(skill).judges());
    let existing = repo::marks::groups_of(conn, &skill.id)?;
    let entries = confirmed_entries(conn, &skill.id)?;
    // The skill's groups as (sub-criteria, members), read once.
    let existing: Vec<(Vec<SubCriterionId>, Vec<UserId>)> =
        existing.into_iter().map(|g| (g.sub_criteria, g.members)).collect();
    let mut problems = Vec::new();
    for (i, sub_id) in sub_criteria.iter().enumerate() {
        let Some(sub) = scheme.sub_criterion(sub_id.as_str()) else { continue };
        if !sub.aspects.iter().any(|a| matches!(a.kind, AspectType::Judgement { .. })) {
            continue;
        }
        let mut markers: BTreeSet<&UserId> = members.iter().collect();
        for (_, others) in existing.iter().filter(|(subs, _)| subs.iter().any(|s| s.as_str() == sub.id)) {
            markers.extend(others);
        }
        let people: Vec<Person<UserId>> = markers
            .into_iter()
            .filter_map(|id| experts.get(id).map(|d| Person { id: id.clone(), delegation: d.clone() }))
            .collect();
        let need = Need { sub_criterion: sub_id.clone(), experts_per_entry: judges };
        if let Some(short) = uncovered_by(&people, &entries, &need).into_iter().min_by_key(|u| u.available) {
            problems.push(crate::error::FieldError::new(
                format!("sub_criteria[{i}]"),
                format!(
                    "{} has judgement aspects scored by {judges} judges, but {} of its markers may mark {} \
                     (recusal): add experts from other delegations",
                    sub.id,
                    short.available,
                    match &short.entry_id {
                        None => "any entry".to_string(),
                        Some(entry) => format!("entry {entry}"),
                    },
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(problems))
    }
}

/// The skill's confirmed entries as the group rules see them: who, and of which delegation.
fn confirmed_entries(conn: &mut DbConn, skill_id: &SkillId) -> ApiResult<Vec<Person<EntryId>>> {
    Ok(repo::registration::entries_of_skill(conn, skill_id)?
        .into_iter()
        .filter(|e| e.status == EntryStatus::Confirmed)
        .map(|e| Person { id: e.id, delegation: e.delegation_id })
        .collect())
}

pub fn groups(conn: &mut DbConn, roles: &Grants, skill_id: &SkillId) -> ApiResult<Vec<StoredGroup>> {
    schemes::view(conn, roles, skill_id)?;
    Ok(repo::marks::groups_of(conn, skill_id)?)
}

/// What an expert sends for one mark.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkInput {
    /// Generated by the tablet once per entered value; a replay with the same id changes nothing.
    pub client_id: String,
    /// `A1.2`: sub-criterion and aspect number.
    pub aspect: String,
    /// Judgement: the judge's score 0–3. Any other number is refused for this mark only.
    pub score: Option<i64>,
    /// Measurement (pass/fail, stepped): the amount in hundredths.
    pub amount: Option<i64>,
    /// Measurement (deduction): the number of deductions (0 or more).
    pub deductions: Option<i64>,
    /// The version this value replaces; absent for a first entry.
    pub version: Option<i32>,
    pub note: Option<String>,
    #[serde(default)]
    pub unsure: bool,
    /// When the expert entered the value on the tablet (for the history only; the server's clock
    /// orders changes). A time more than 12 hours ahead of the server's, or more than 30 days
    /// back, means a wrong tablet clock and is refused so it gets fixed; marks queued offline for
    /// hours or days are fine.
    pub entered_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// How far ahead of the server's clock a tablet's may be.
const MAX_CLOCK_SKEW_HOURS: i64 = 12;
/// How long a mark may have waited in a tablet's offline queue.
const MAX_QUEUED_DAYS: i64 = 30;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MarkOutcome {
    /// Written now.
    Saved,
    /// A replay of a mark already written: nothing changed.
    Unchanged,
    /// Someone changed the mark meanwhile: `current` holds their value; resend with its version.
    Conflict,
    /// Not allowed; `reason` says why. Nothing was written.
    Rejected,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MarkResult {
    pub client_id: String,
    pub aspect: String,
    pub outcome: MarkOutcome,
    pub reason: Option<String>,
    pub current: Option<Mark>,
}

/// A mark as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Mark {
    pub aspect: AspectKey,
    /// The judge (judgement scores); absent for measurement marks.
    pub judge_id: Option<String>,
    pub input: MarkInputKind,
    pub value: i32,
    pub note: Option<String>,
    pub unsure: bool,
    pub version: i32,
    pub entered_by: String,
}

impl Mark {
    pub fn from_row(r: &MarkRow) -> Self {
        Self {
            aspect: r.aspect_key.clone(),
            judge_id: r.judge_id.as_ref().map(UserId::to_string),
            input: r.input,
            value: r.value,
            note: r.note.clone(),
            unsure: r.unsure,
            version: r.version,
            entered_by: r.entered_by.to_string(),
        }
    }
}

/// The caller's expert role in a skill: their delegation (for recusal).
pub fn expert_delegation(roles: &Grants, skill_id: &SkillId) -> Option<DelegationId> {
    roles.expert_delegation(skill_id)
}

/// What the caller may mark of an entry, for [`check`]: the frozen scheme, the sub-criteria of
/// the caller's groups, and those locked for the entry.
struct Markable<'a> {
    scheme: &'a Scheme,
    subs: &'a HashSet<SubCriterionId>,
    locked: Option<&'a HashSet<SubCriterionId>>,
}

/// What lets the caller mark this entry and cannot change under a write transaction: the entry's
/// skill and delegation (recusal), the frozen scheme (frozen for good) and the sub-criteria of the
/// caller's groups (groups are only ever added). Read before it, so the writer holds the lock less.
struct Standing {
    skill_id: SkillId,
    scheme: std::sync::Arc<Scheme>,
    subs: HashSet<SubCriterionId>,
}

fn standing(
    conn: &mut DbConn,
    user_id: &UserId,
    roles: &Grants,
    entry_id: &EntryId,
    inputs: &[MarkInput],
) -> ApiResult<Standing> {
    let entry = repo::registration::find_entry(conn, entry_id)?.ok_or(ApiError::NotFound { what: "entry" })?;
    let Some(delegation) = expert_delegation(roles, &entry.skill_id) else {
        // Not an expert of this skill: those who cannot see the entry learn nothing about it.
        entry_view(conn, roles, entry_id)?;
        return Err(ApiError::Forbidden {
            code: ErrorCode::NotAnExpert,
            detail: "only the skill's experts enter marks".into(),
        });
    };
    if delegation == entry.delegation_id {
        return Err(ApiError::Forbidden {
            code: ErrorCode::Recusal,
            detail: "experts never mark entries of their own delegation (回避)".into(),
        });
    }
    entry_competes(&entry)?;
    let scheme = frozen_for_marking(conn, &entry.skill_id)?;
    // The groups as this process last read them; read again only when they may be out of date:
    // when one of the sub-criteria asked for is not among the caller's.
    let asked: Vec<&str> =
        inputs.iter().filter_map(|i| scheme.aspect(&i.aspect)).map(|(sub, _)| sub.id.as_str()).collect();
    let mut subs = subs_of(&known_groups(conn, &entry.skill_id, false)?, user_id);
    if asked.iter().any(|s| !subs.contains(*s)) {
        subs = subs_of(&known_groups(conn, &entry.skill_id, true)?, user_id);
    }
    Ok(Standing { skill_id: entry.skill_id, scheme, subs })
}

/// The sub-criteria that `user_id`'s groups mark.
fn subs_of(groups: &[StoredGroup], user_id: &UserId) -> HashSet<SubCriterionId> {
    groups.iter().filter(|g| g.members.contains(user_id)).flat_map(|g| g.sub_criteria.iter().cloned()).collect()
}

/// The skill's marking groups, kept in memory: groups are only ever added (never changed or
/// removed), so a kept list can only lack a group, never hold one too many — it may refuse
/// wrongly but never let anyone mark what their groups do not. `fresh` reads them again (on
/// such a refusal, or after a group was created in another instance).
fn known_groups(conn: &mut DbConn, skill_id: &SkillId, fresh: bool) -> ApiResult<std::sync::Arc<Vec<StoredGroup>>> {
    use std::sync::{Arc, Mutex, OnceLock};
    static KNOWN: OnceLock<Mutex<HashMap<SkillId, Arc<Vec<StoredGroup>>>>> = OnceLock::new();
    let known = KNOWN.get_or_init(Default::default);
    if !fresh {
        if let Some(groups) = known.lock().unwrap_or_else(|e| e.into_inner()).get(skill_id) {
            return Ok(groups.clone());
        }
    }
    let groups = Arc::new(repo::marks::groups_of(conn, skill_id)?);
    known.lock().unwrap_or_else(|e| e.into_inner()).insert(skill_id.clone(), groups.clone());
    Ok(groups)
}

fn entry_competes(entry: &EntryRow) -> ApiResult<()> {
    if entry.status != EntryStatus::Confirmed {
        return Err(ApiError::Conflict {
            code: ErrorCode::EntryNotCompeting,
            detail: format!("the entry is {}, not confirmed", entry.status),
            current: None,
        });
    }
    Ok(())
}

/// The skill's frozen scheme, parsed once per process: a frozen scheme never changes, and its
/// version names it (a restored database with another scheme under the same version is not
/// a case: freezing is the last change a scheme sees).
fn frozen_for_marking(conn: &mut DbConn, skill_id: &SkillId) -> ApiResult<std::sync::Arc<Scheme>> {
    use std::sync::{Arc, Mutex, OnceLock};
    type Cache = Mutex<HashMap<(SkillId, i32), Arc<Scheme>>>;
    static FROZEN: OnceLock<Cache> = OnceLock::new();
    let not_frozen = || ApiError::Conflict {
        code: ErrorCode::SchemeNotFrozen,
        detail: "marking starts once the marking scheme is frozen".into(),
        current: None,
    };
    let version = match repo::marks::scheme_state(conn, skill_id)? {
        Some((SchemeStatus::Frozen, version)) => version,
        _ => return Err(not_frozen()),
    };
    let key = (skill_id.clone(), version);
    let cache = FROZEN.get_or_init(Default::default);
    if let Some(scheme) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(scheme.clone());
    }
    let row =
        repo::schemes::find(conn, skill_id)?.filter(|r| r.status == SchemeStatus::Frozen).ok_or_else(not_frozen)?;
    let scheme: Arc<Scheme> = Arc::new(
        serde_json::from_str(&row.document)
            .map_err(|e| ApiError::internal(anyhow::anyhow!("stored scheme unreadable: {e}")))?,
    );
    cache.lock().unwrap_or_else(|e| e.into_inner()).insert((skill_id.clone(), row.version), scheme.clone());
    Ok(scheme)
}

/// One input as checked: (aspect, sub-criterion, client id, judge, input kind, value).
type Checked = (AspectKey, SubCriterionId, ClientMarkId, Option<UserId>, MarkInputKind, i32);

/// Checks one input against the aspect; returns it as checked (the judge none for a measurement)
/// or the reason.
fn check(m: &Markable, user_id: &UserId, input: &MarkInput) -> Result<Checked, String> {
    let not_an_aspect = || format!("{} is not an aspect of the scheme", input.aspect);
    let key: AspectKey = input.aspect.parse().map_err(|_| not_an_aspect())?;
    let (sub, aspect) = m.scheme.aspect(key.as_str()).ok_or_else(not_an_aspect)?;
    if !m.subs.contains(sub.id.as_str()) {
        return Err(format!("your marking group does not mark {}", sub.id));
    }
    if m.locked.is_some_and(|l| l.contains(sub.id.as_str())) {
        return Err(format!("{} is locked for this entry; ask the chief expert to unlock it", sub.id));
    }
    if input.note.as_ref().is_some_and(|n| n.chars().count() > 1000) {
        return Err("the note is longer than 1000 characters".into());
    }
    let client_id: ClientMarkId =
        input.client_id.parse().map_err(|_| "client_id must be 1 to 64 characters".to_string())?;
    let sub_id: SubCriterionId = sub.id.parse()?;
    if let Some(t) = input.entered_at {
        let now = crate::clock::Clock::current().now_utc();
        let ahead = (t - now).num_hours();
        if ahead > MAX_CLOCK_SKEW_HOURS {
            return Err(format!("the tablet's clock is {ahead} hours ahead; set it right and send again"));
        }
        let days = (now - t).num_days();
        if days > MAX_QUEUED_DAYS {
            return Err(format!("entered {days} days ago by the tablet's clock: set it right and send again"));
        }
    }
    match (&aspect.kind, input.score, input.amount, input.deductions) {
        (AspectType::Judgement { .. }, Some(score), None, None) => {
            if !(0..=3).contains(&score) {
                return Err(format!("judgement scores are 0 to 3, not {score}"));
            }
            Ok((key, sub_id, client_id, Some(user_id.clone()), MarkInputKind::Score, score as i32))
        }
        (AspectType::Measurement { measurement }, None, Some(amount), None) => {
            let amount = i32::try_from(amount).map_err(|_| format!("{amount} hundredths is not a possible amount"))?;
            measurement.mark(aspect.max, MeasurementInput::Amount(amount))?;
            Ok((key, sub_id, client_id, None, MarkInputKind::Amount, amount))
        }
        (AspectType::Measurement { measurement }, None, None, Some(n)) => {
            if n < 0 {
                return Err(format!("the number of deductions is 0 or more, not {n}"));
            }
            let n = i32::try_from(n).map_err(|_| "too many deductions".to_string())?;
            measurement.mark(aspect.max, MeasurementInput::Deductions(n as u32))?;
            Ok((key, sub_id, client_id, None, MarkInputKind::Deductions, n))
        }
        (AspectType::Judgement { .. }, ..) => Err("a judgement aspect takes exactly one `score`".into()),
        (AspectType::Measurement { .. }, ..) => {
            Err("a measurement aspect takes exactly one of `amount` or `deductions`".into())
        }
    }
}

/// Enters a batch of marks for one entry. Each mark gets its own outcome; replays change nothing.
/// The batch's changes are one audit record (old and new value of each mark), in the skill's chain.
pub fn submit(
    db: &OnDemand<'_>,
    user_id: &UserId,
    roles: &Grants,
    entry_id: &EntryId,
    inputs: &[MarkInput],
    ctx: &AuditContext,
) -> ApiResult<Vec<MarkResult>> {
    let standing = crate::state::with_connection(db, |conn| standing(conn, user_id, roles, entry_id, inputs))?;
    let chain = skill_chain(&standing.skill_id);
    let request = Entering {
        clock: crate::clock::Clock::current(),
        user_id: user_id.clone(),
        entry_id: entry_id.clone(),
        inputs: inputs.to_vec(),
        ctx: ctx.clone(),
        standing,
    };
    // Requests marking one skill are entered together (group commit): what they need is read
    // once for the batch, the skill's chain head is held and moved once, and each request is
    // answered after the commit. Waiting for its batch, the request holds no connection.
    write_tx_batched(db, &chain, request, enter_batch)
}

/// One request to enter marks, as its skill's batch takes it.
struct Entering {
    /// The caller's clock: the batch runs on another request's thread.
    clock: crate::clock::Clock,
    user_id: UserId,
    entry_id: EntryId,
    inputs: Vec<MarkInput>,
    ctx: AuditContext,
    standing: Standing,
}

/// What a batch of marking requests of one skill reads once, and keeps up to date as each
/// request in turn is entered, so a request sees those before it in the batch.
struct Slate {
    entries: HashMap<EntryId, EntryRow>,
    locked: HashMap<EntryId, HashSet<SubCriterionId>>,
    /// Marks by client id: those stored, and those entered in this batch.
    done: HashMap<ClientMarkId, MarkRow>,
    withdrawn: HashSet<ClientMarkId>,
    /// The batch's marks as they now stand, by entry, aspect and judge (none: measurement).
    slots: HashMap<(EntryId, AspectKey, Option<UserId>), MarkRow>,
    /// How many judges have scored each aspect of each entry.
    scored: HashMap<(EntryId, AspectKey), usize>,
    /// New marks, stored at the end of the batch; a later request of the batch that changes one
    /// of them changes it here.
    inserts: Vec<MarkRow>,
    pending: HashMap<MarkId, usize>,
    /// One audit record per request that changed something, linked at the end of the batch.
    records: Vec<AuditRow>,
}

/// Enters a batch of requests marking the skill whose audit chain is `chain`, in one
/// transaction ([`write_tx_batched`]): the chain's head, the skill and its phase, the entries
/// (held on PostgreSQL), their locks, the client ids and the slots the batch can touch are read
/// once; each request is then checked and entered in order of arrival; new marks and the audit
/// records are stored at the end.
fn enter_batch(
    conn: &mut DbConn,
    chain: &str,
    requests: &[Entering],
) -> diesel::QueryResult<Vec<ApiResult<Vec<MarkResult>>>> {
    repo::audit::hold_chain(conn, chain)?;
    // One chain, one skill.
    let skill_id = &requests[0].standing.skill_id;
    let Some(skill) = repo::events::find_skill(conn, skill_id)? else {
        return Ok(requests.iter().map(|_| Err(ApiError::NotFound { what: "skill" })).collect());
    };
    // The phase allows marking for all of the batch, or (rarely) each learns why not.
    let mut verdicts: Vec<ApiResult<()>> = Vec::with_capacity(requests.len());
    verdicts.push(access::permit(conn, Operation::EnterMarks, &skill));
    for _ in 1..requests.len() {
        verdicts.push(match verdicts[0] {
            Ok(()) => Ok(()),
            Err(_) => access::permit(conn, Operation::EnterMarks, &skill),
        });
    }
    let mut entry_ids: Vec<EntryId> = requests.iter().map(|r| r.entry_id.clone()).collect();
    entry_ids.sort();
    entry_ids.dedup();
    // Ids that are no client id cannot be stored: their marks are refused one by one.
    let client_ids: Vec<ClientMarkId> =
        requests.iter().flat_map(|r| &r.inputs).filter_map(|i| i.client_id.parse().ok()).collect();
    // The slots the batch can touch (an aspect that does not read is refused by itself).
    let mut slots: Vec<(EntryId, AspectKey)> = requests
        .iter()
        .flat_map(|r| r.inputs.iter().filter_map(|i| Some((r.entry_id.clone(), i.aspect.parse().ok()?))))
        .collect();
    slots.sort();
    slots.dedup();
    let mut slate = Slate {
        // Marks of an entry are written one transaction at a time (on PostgreSQL several
        // instances may take them at once): the judge counts and the slots then hold until commit.
        entries: repo::marks::hold_entries(conn, &entry_ids)?.into_iter().map(|e| (e.id.clone(), e)).collect(),
        locked: HashMap::new(),
        done: repo::marks::find_by_client_ids(conn, &client_ids)?
            .into_iter()
            .map(|r| (r.client_id.clone(), r))
            .collect(),
        withdrawn: repo::marks::withdrawn_client_ids(conn, &client_ids)?.into_iter().collect(),
        slots: HashMap::new(),
        scored: HashMap::new(),
        inserts: Vec::new(),
        pending: HashMap::new(),
        records: Vec::new(),
    };
    for lock in repo::marks::locks_of_entries(conn, &entry_ids)? {
        slate.locked.entry(lock.entry_id).or_default().insert(lock.sub_criterion_id);
    }
    for r in repo::marks::slots_of_pairs(conn, &slots)? {
        if r.input == MarkInputKind::Score {
            *slate.scored.entry((r.entry_id.clone(), r.aspect_key.clone())).or_default() += 1;
        }
        slate.slots.insert((r.entry_id.clone(), r.aspect_key.clone(), r.judge_id.clone()), r);
    }
    let judges_needed = usize::from(schemes::mode_of(&skill).judges());
    let mut answers = Vec::with_capacity(requests.len());
    for (request, verdict) in requests.iter().zip(verdicts) {
        let answer = match verdict {
            Ok(()) => request.clock.scope(|| enter(conn, &mut slate, &skill, judges_needed, chain, request))?,
            Err(refusal) => Err(refusal),
        };
        answers.push(answer);
    }
    repo::marks::insert_marks(conn, &slate.inserts)?;
    repo::audit::append(conn, chain, slate.records)?;
    Ok(answers)
}

/// Enters one request of a batch ([`enter_batch`]) against the batch's slate: each mark checked
/// and saved, refused, or found unchanged or in conflict; updates of stored marks are written at
/// once, new marks and the request's audit record join the slate.
fn enter(
    conn: &mut DbConn,
    slate: &mut Slate,
    skill: &SkillRow,
    judges_needed: usize,
    chain: &str,
    request: &Entering,
) -> diesel::QueryResult<ApiResult<Vec<MarkResult>>> {
    let Entering { user_id, entry_id, inputs, ctx, standing, .. } = request;
    let Some(entry) = slate.entries.get(entry_id) else {
        return Ok(Err(ApiError::NotFound { what: "entry" }));
    };
    if let Err(e) = entry_competes(entry) {
        return Ok(Err(e));
    }
    let m = Markable { scheme: &standing.scheme, subs: &standing.subs, locked: slate.locked.get(entry_id) };
    let mut changes = Vec::new();
    let mut results = Vec::with_capacity(inputs.len());
    for input in inputs {
        let result = |outcome, reason: Option<String>, current: Option<&MarkRow>| MarkResult {
            client_id: input.client_id.clone(),
            aspect: input.aspect.clone(),
            outcome,
            reason,
            current: current.map(Mark::from_row),
        };
        let (aspect, sub_id, client_id, judge, kind, value) = match check(&m, user_id, input) {
            Ok(v) => v,
            Err(reason) => {
                results.push(result(MarkOutcome::Rejected, Some(reason), None));
                continue;
            }
        };
        let note = input.note.clone().map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        if slate.withdrawn.contains(&client_id) {
            let reason = "the chief expert withdrew this score; enter a new one if asked to re-score".to_string();
            results.push(result(MarkOutcome::Rejected, Some(reason), None));
            continue;
        }
        if let Some(prior) = slate.done.get(&client_id) {
            let same = prior.entry_id == *entry_id
                && prior.aspect_key == aspect
                && prior.judge_id == judge
                && prior.value == value
                && prior.input == kind;
            results.push(if same {
                result(MarkOutcome::Unchanged, None, Some(prior))
            } else {
                result(MarkOutcome::Rejected, Some("this client_id was used for another mark".into()), None)
            });
            continue;
        }
        let key = (entry_id.clone(), aspect.clone(), judge.clone());
        let count_key = (entry_id.clone(), aspect.clone());
        let count = slate.scored.get(&count_key).copied().unwrap_or(0);
        if kind == MarkInputKind::Score && !slate.slots.contains_key(&key) && count >= judges_needed {
            let reason = format!(
                "{} has its {judges_needed} judges' scores already; the chief expert may withdraw one with a reason",
                input.aspect
            );
            results.push(result(MarkOutcome::Rejected, Some(reason), None));
            continue;
        }
        let (row, before) = match slate.slots.get(&key) {
            None => {
                let row = MarkRow {
                    id: new_id(),
                    skill_id: skill.id.clone(),
                    entry_id: entry_id.clone(),
                    aspect_key: aspect.clone(),
                    sub_criterion_id: sub_id,
                    judge_id: judge,
                    input: kind,
                    value,
                    note,
                    unsure: input.unsure,
                    version: 1,
                    client_id: client_id.clone(),
                    entered_by: user_id.clone(),
                    updated_at: now(),
                };
                if kind == MarkInputKind::Score {
                    *slate.scored.entry(count_key).or_default() += 1;
                }
                slate.pending.insert(row.id.clone(), slate.inserts.len());
                slate.inserts.push(row.clone());
                (row, None)
            }
            Some(current) if input.version != Some(current.version) => {
                let reason = format!("the mark is at version {}", current.version);
                results.push(result(MarkOutcome::Conflict, Some(reason), Some(current)));
                continue;
            }
            Some(current) => {
                let row = MarkRow {
                    input: kind,
                    value,
                    note,
                    unsure: input.unsure,
                    version: current.version + 1,
                    client_id: client_id.clone(),
                    entered_by: user_id.clone(),
                    updated_at: now(),
                    ..current.clone()
                };
                match slate.pending.get(&row.id) {
                    // New in this batch: stored with its latest value at the end.
                    Some(&i) => slate.inserts[i] = row.clone(),
                    None if !repo::marks::update_mark(conn, &row, current.version)? => {
                        results.push(result(
                            MarkOutcome::Conflict,
                            Some("the mark changed meanwhile".into()),
                            Some(current),
                        ));
                        continue;
                    }
                    None => {}
                }
                (row, Some(mark_json(current)))
            }
        };
        changes.push(json!({"before": before, "after": mark_json(&row)}));
        results.push(result(MarkOutcome::Saved, None, Some(&row)));
        slate.done.insert(row.client_id.clone(), row.clone());
        slate.slots.insert(key, row);
    }
    if !changes.is_empty() {
        let change = Change {
            action: AuditAction::MarksEntered,
            target_type: AuditTarget::Entry,
            target_id: Some(entry_id.into()),
            event_id: Some(&skill.event_id),
            before: None,
            after: Some(json!({"changes": changes})),
        };
        slate.records.push(repo::audit::unlinked(ctx, change, chain));
    }
    Ok(Ok(results))
}

/// A mark as the audit log records it. A measurement's `judge_id` stays `""` there, as in the
/// records written before the column allowed NULL.
fn mark_json(r: &MarkRow) -> serde_json::Value {
    json!({"aspect": r.aspect_key, "judge_id": r.judge_id.as_ref().map(UserId::to_string).unwrap_or_default(), "input": r.input, "value": r.value,
        "note": r.note, "unsure": r.unsure, "version": r.version})
}

/// One aspect's marks for an entry as the caller may see them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AspectMarks {
    pub aspect: String,
    pub marks: Vec<Mark>,
    /// Judgement: how many judges have scored, and how many the skill needs.
    pub judges_scored: usize,
    pub judges_needed: usize,
    /// Judgement: the spread once every judge has scored.
    pub spread: Option<u8>,
    /// Whether another judge's scores are still hidden from the caller (blind judgement).
    pub hidden: bool,
    pub locked: bool,
}

/// The entry's marks: experts see measurement marks and their own scores, and the other judges'
/// scores of an aspect only once all of them have scored; chief experts and organisers see all.
pub fn entry_marks(
    conn: &mut DbConn,
    user_id: &UserId,
    roles: &Grants,
    entry_id: &EntryId,
) -> ApiResult<Vec<AspectMarks>> {
    let view = entry_view(conn, roles, entry_id)?;
    let reviewer = view.rights.reviews(&view.entry.skill_id);
    if !reviewer {
        // Experts of the skill only, and never on their own delegation's entries.
        match expert_delegation(roles, &view.entry.skill_id) {
            Some(d) if d != view.entry.delegation_id => {}
            Some(_) => {
                return Err(ApiError::Forbidden {
                    code: ErrorCode::Recusal,
                    detail: "experts never mark entries of their own delegation (回避)".into(),
                })
            }
            None => return Err(ApiError::forbidden()),
        }
    }
    let scheme = schemes::view(conn, roles, &view.entry.skill_id)?.scheme;
    let mode = schemes::mode_of(&view.skill);
    let marks = repo::marks::marks_of_entry(conn, entry_id)?;
    let locked: HashSet<SubCriterionId> =
        repo::marks::locks_of_entry(conn, entry_id)?.into_iter().map(|l| l.sub_criterion_id).collect();
    let viewer = if reviewer { Viewer::Reviewer } else { Viewer::Judge(user_id) };
    Ok(aspect_marks(&scheme, mode, viewer, &marks, &locked))
}

/// Every confirmed entry's marks in a skill, as [`entry_marks`] gives them one entry at a time:
/// for an expert the entries they may mark (their own delegation's left out), for the skill's
/// chief experts and organisers all. What a judge's tablet loads at the start of a day.
pub fn skill_marks(
    conn: &mut DbConn,
    user_id: &UserId,
    roles: &Grants,
    skill_id: &SkillId,
) -> ApiResult<Vec<EntryMarks>> {
    let view = schemes::view(conn, roles, skill_id)?;
    let (viewer, own) = if view.can_edit {
        (Viewer::Reviewer, None)
    } else {
        match expert_delegation(roles, skill_id) {
            Some(d) => (Viewer::Judge(user_id), Some(d)),
            None => {
                return Err(ApiError::Forbidden {
                    code: ErrorCode::Forbidden,
                    detail: "marks are for the skill's experts, chief experts and organisers".into(),
                })
            }
        }
    };
    let mode = schemes::mode_of(&view.skill);
    let entries: Vec<EntryRow> = repo::registration::entries_of_skill(conn, skill_id)?
        .into_iter()
        .filter(|e| e.status == EntryStatus::Confirmed && own.as_ref() != Some(&e.delegation_id))
        .collect();
    let mut marks: HashMap<EntryId, Vec<MarkRow>> = HashMap::new();
    for m in repo::marks::marks_of_skill(conn, skill_id)? {
        marks.entry(m.entry_id.clone()).or_default().push(m);
    }
    let mut locks: HashMap<EntryId, HashSet<SubCriterionId>> = HashMap::new();
    for l in repo::marks::locks_of_skill(conn, skill_id)? {
        locks.entry(l.entry_id).or_default().insert(l.sub_criterion_id);
    }
    Ok(entries
        .iter()
        .map(|e| EntryMarks {
            entry_id: e.id.clone(),
            aspects: aspect_marks(
                &view.scheme,
                mode,
                viewer,
                marks.get(&e.id).map(Vec::as_slice).unwrap_or(&[]),
                locks.get(&e.id).unwrap_or(&HashSet::new()),
            ),
        })
        .collect())
}

/// One entry's marks in a skill.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntryMarks {
    pub entry_id: EntryId,
    pub aspects: Vec<AspectMarks>,
}

/// Who looks at marks: a judge (by user id) sees other judges' scores only once all have scored.
#[derive(Clone, Copy)]
enum Viewer<'a> {
    Reviewer,
    Judge(&'a UserId),
}

/// One entry's marks by aspect, in scheme order, as `viewer` may see them.
fn aspect_marks(
    scheme: &Scheme,
    mode: JudgementMode,
    viewer: Viewer<'_>,
    marks: &[MarkRow],
    locked: &HashSet<SubCriterionId>,
) -> Vec<AspectMarks> {
    let mut by_aspect: HashMap<&str, Vec<&MarkRow>> = HashMap::new();
    for m in marks {
        by_aspect.entry(m.aspect_key.as_str()).or_default().push(m);
    }
    let mut out = Vec::new();
    for c in &scheme.criteria {
        for s in &c.sub_criteria {
            for (i, a) in s.aspects.iter().enumerate() {
                let key = format!("{}.{}", s.id, i + 1);
                let rows = by_aspect.remove(key.as_str()).unwrap_or_default();
                let judgement = matches!(a.kind, AspectType::Judgement { .. });
                let needed = if judgement { usize::from(mode.judges()) } else { 1 };
                let complete = rows.len() >= needed;
                let scores: Vec<u8> = rows.iter().map(|r| r.value as u8).collect();
                let judge = match viewer {
                    Viewer::Reviewer => None,
                    Viewer::Judge(id) => Some(id),
                };
                let hidden = judgement && judge.is_some() && !complete;
                let visible: Vec<Mark> = rows
                    .iter()
                    .filter(|r| !hidden || r.judge_id.as_ref() == judge)
                    .map(|r| Mark::from_row(r))
                    .collect();
                out.push(AspectMarks {
                    aspect: key,
                    judges_scored: if judgement { rows.len() } else { 0 },
                    judges_needed: if judgement { needed } else { 0 },
                    spread: if judgement && complete { spread(mode, &scores).ok() } else { None },
                    hidden: hidden && visible.len() < rows.len(),
                    marks: visible,
                    locked: locked.contains(s.id.as_str()),
                });
            }
        }
    }
    out
}

/// Locks a sub-criterion of an entry once every aspect is marked and within spread (the skill's
/// chief experts, organisers). Locked marks are read-only.
pub fn lock(
    conn: &mut DbConn,
    user_id: &UserId,
    roles: &Grants,
    entry_id: &EntryId,
    sub_id: &str,
    ctx: &AuditContext,
) -> ApiResult<LockRow> {
    write_tx(conn, |conn| {
        let view = entry_view(conn, roles, entry_id)?;
        if !(view.rights.reviews(&view.entry.skill_id)) {
            return Err(ApiError::Forbidden {
                code: ErrorCode::Forbidden,
                detail: "only the skill's chief experts and organisers lock marks".into(),
            });
        }
        access::permit(conn, Operation::Lock, &view.skill)?;
        let scheme = frozen_scheme(conn, roles, &view.entry.skill_id)?;
        let sub = scheme
            .sub_criterion(sub_id)
            .ok_or_else(|| ApiError::validation("sub_criterion", format!("{sub_id} is not in the scheme")))?;
        let sub_criterion_id: SubCriterionId = sub
            .id
            .parse()
            .map_err(|_| ApiError::validation("sub_criterion", format!("{sub_id} is not in the scheme")))?;
        let mode = schemes::mode_of(&view.skill);
        let values = values_by_aspect(&repo::marks::marks_of_entry(conn, entry_id)?);
        let status = sub_status(sub, mode, view.skill.max_spread as u8, &values, false);
        if !status.lockable() {
            let mut detail = Vec::new();
            if !status.missing.is_empty() {
                detail.push(format!("not marked yet: {}", status.missing.join(", ")));
            }
            if !status.out_of_spread.is_empty() {
                detail.push(format!("judges' scores too far apart, re-score: {}", status.out_of_spread.join(", ")));
            }
            return Err(ApiError::Conflict {
                code: ErrorCode::NotReadyToLock,
                detail: detail.join("; "),
                current: Some(json!({"missing": status.missing, "out_of_spread": status.out_of_spread})),
            });
        }
        let row = LockRow {
            entry_id: entry_id.clone(),
            sub_criterion_id,
            skill_id: view.entry.skill_id.clone(),
            locked_by: user_id.clone(),
            locked_at: now(),
        };
        repo::marks::insert_lock(conn, &row).map_err(|e| match ApiError::from(e) {
            ApiError::Conflict { code: ErrorCode::AlreadyExists, .. } => ApiError::Conflict {
                code: ErrorCode::AlreadyLocked,
                detail: format!("{sub_id} is locked already"),
                current: None,
            },
            other => other,
        })?;
        repo::audit::record_in_chain(
            conn,
            ctx,
            Change {
                action: AuditAction::MarksLocked,
                target_type: AuditTarget::Entry,
                target_id: Some(entry_id.into()),
                event_id: Some(&view.event.id),
                before: None,
                after: Some(json!({"sub_criterion": sub_id})),
            },
            &skill_chain(&view.entry.skill_id),
        )?;
        Ok(row)
    })
}

/// Entered values per aspect key.
fn values_by_aspect(marks: &[MarkRow]) -> HashMap<AspectKey, Vec<i32>> {
    let mut out: HashMap<AspectKey, Vec<i32>> = HashMap::new();
    for m in marks {
        out.entry(m.aspect_key.clone()).or_default().push(m.value);
    }
    out
}

/// One entry's marking state, per sub-criterion.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntryProgress {
    pub entry_id: EntryId,
    pub workstation: Option<i32>,
    pub sub_criteria: Vec<SubStatus>,
}

/// The skill's marking progress for the chief expert's dashboard: per confirmed entry and
/// sub-criterion, what is marked, missing, out of spread and locked.
pub fn progress(conn: &mut DbConn, roles: &Grants, skill_id: &SkillId) -> ApiResult<Vec<EntryProgress>> {
    let view = schemes::view_for_review(
        conn,
        roles,
        skill_id,
        ErrorCode::Forbidden,
        "marking progress is for the skill's chief experts and organisers",
    )?;
    let mode = schemes::mode_of(&view.skill);
    let entries: Vec<_> = repo::registration::entries_of_skill(conn, skill_id)?
        .into_iter()
        .filter(|e| e.status == EntryStatus::Confirmed)
        .collect();
    let marks = repo::marks::marks_of_skill(conn, skill_id)?;
    let locks = repo::marks::locks_of_skill(conn, skill_id)?;
    let mut by_entry: HashMap<&EntryId, Vec<MarkRow>> = HashMap::new();
    for m in &marks {
        by_entry.entry(&m.entry_id).or_default().push(m.clone());
    }
    let mut out = Vec::with_capacity(entries.len());
    for e in &entries {
        let values = values_by_aspect(by_entry.get(&e.id).map(Vec::as_slice).unwrap_or(&[]));
        let subs = view
            .scheme
            .criteria
            .iter()
            .flat_map(|c| &c.sub_criteria)
            .map(|s| {
                let locked = locks.iter().any(|l| l.entry_id == e.id && l.sub_criterion_id.as_str() == s.id);
                sub_status(s, mode, view.skill.max_spread as u8, &values, locked)
            })
            .collect();
        out.push(EntryProgress { entry_id: e.id.clone(), workstation: e.workstation, sub_criteria: subs });
    }
    out.sort_by_key(|p| (p.workstation.unwrap_or(i32::MAX), p.entry_id.clone()));
    Ok(out)
}

/// Proposes marking groups for the skill's scheme that respect recusal (the skill's chief
/// experts, organisers): judgement sub-criteria need as many judges per entry as the skill's mode,
/// measurement ones one expert.
pub fn propose_groups(conn: &mut DbConn, roles: &Grants, skill_id: &SkillId) -> ApiResult<Proposal> {
    let view = schemes::view_for_review(
        conn,
        roles,
        skill_id,
        ErrorCode::Forbidden,
        "marking groups are formed by the skill's chief experts and organisers",
    )?;
    let mode = schemes::mode_of(&view.skill);
    let experts: Vec<Person<UserId>> =
        repo::registration::experts_of(conn, &view.skill.event_id, Some(std::slice::from_ref(&view.skill.id)), None)?
            .into_iter()
            .map(|x| Person { id: x.user_id, delegation: x.delegation_id })
            .collect();
    let entries = confirmed_entries(conn, skill_id)?;
    let needs: Vec<Need> = view
        .scheme
        .criteria
        .iter()
        .flat_map(|c| &c.sub_criteria)
        // A sub-criterion whose id is none yet (a draft's) has no group to propose.
        .filter_map(|s| Some((s, s.id.parse().ok()?)))
        .map(|(s, sub_criterion)| Need {
            sub_criterion,
            experts_per_entry: if s.aspects.iter().any(|a| matches!(a.kind, AspectType::Judgement { .. })) {
                usize::from(mode.judges())
            } else {
                1
            },
        })
        .collect();
    Ok(propose(&experts, &entries, &needs))
}

/// Per judge: how their judgement scores deviate from the other judges' (the skill's chief
/// experts, organisers), over every complete score set of the skill.
pub fn analytics(conn: &mut DbConn, roles: &Grants, skill_id: &SkillId) -> ApiResult<Vec<JudgeAnalytics>> {
    let view = schemes::view_for_review(
        conn,
        roles,
        skill_id,
        ErrorCode::Forbidden,
        "judge analytics are for the skill's chief experts and organisers",
    )?;
    let mode = schemes::mode_of(&view.skill);
    let mut sets: HashMap<(EntryId, AspectKey), Vec<(String, u8)>> = HashMap::new();
    let mut judges: BTreeSet<UserId> = BTreeSet::new();
    for m in repo::marks::marks_of_skill(conn, skill_id)?.into_iter().filter(|m| m.input == MarkInputKind::Score) {
        if let Some(judge) = m.judge_id {
            sets.entry((m.entry_id, m.aspect_key)).or_default().push((judge.to_string(), m.value.clamp(0, 3) as u8));
            judges.insert(judge);
        }
    }
    let sets: Vec<Vec<(String, u8)>> = sets.into_values().collect();
    let stats = judge_analytics(&sets, mode, view.skill.max_spread as u8);
    let ids: Vec<UserId> = judges.into_iter().collect();
    let names: HashMap<String, String> =
        repo::users::find_many(conn, &ids)?.into_iter().map(|u| (u.id.to_string(), u.display_name)).collect();
    Ok(stats
        .into_iter()
        .map(|stats| JudgeAnalytics { display_name: names.get(&stats.judge_id).cloned().unwrap_or_default(), stats })
        .collect())
}

/// One judge's analytics with the name on their account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JudgeAnalytics {
    pub display_name: String,
    #[serde(flatten)]
    pub stats: JudgeStats,
}

/// The marking form's words in the reader's language (Chinese has no plural).
struct FormWords {
    locale: Locale,
}

impl FormWords {
    fn t(&self, zh: &'static str, en: &'static str) -> &'static str {
        match self.locale {
            Locale::ZhCn => zh,
            Locale::En => en,
        }
    }
    fn skill_line(&self, skill: &str, sub: &str) -> String {
        match self.locale {
            Locale::ZhCn => format!("技能项目 {skill} · 子模块 {sub}"),
            Locale::En => format!("Skill {skill} · Sub-criterion {sub}"),
        }
    }
    fn workstation(&self, number: &str) -> String {
        match self.locale {
            Locale::ZhCn => format!("工位 {number}"),
            Locale::En => format!("Workstation {number}"),
        }
    }
    fn deductions(&self, n: i32) -> String {
        match (self.locale, n) {
            (Locale::ZhCn, _) => format!("扣分 {n} 次"),
            (Locale::En, 1) => "1 deduction".into(),
            (Locale::En, _) => format!("{n} deductions"),
        }
    }
    fn total(&self, sub: &str) -> String {
        match self.locale {
            Locale::ZhCn => format!("{sub} 合计"),
            Locale::En => format!("Total {sub}"),
        }
    }
}

/// A print-ready HTML marking form for one sub-criterion of a skill, in `locale`: every confirmed
/// entry in workstation order with its marks (judges' scores and the resulting mark), lock state,
/// and signature lines for the group's experts (the skill's chief experts, organisers). A `blank`
/// form leaves the marks empty: the paper fallback to fill in by hand in the workshop.
pub fn marking_form(
    conn: &mut DbConn,
    roles: &Grants,
    skill_id: &SkillId,
    sub_id: &str,
    locale: Locale,
    blank: bool,
) -> ApiResult<String> {
    use crate::domain::scheme::{judgement_mark, Exact};
    use html_escape::encode_text as esc;
    let w = FormWords { locale };
    let view = schemes::view_for_review(
        conn,
        roles,
        skill_id,
        ErrorCode::Forbidden,
        "marking forms are printed by the skill's chief experts and organisers",
    )?;
    let sub = view
        .scheme
        .sub_criterion(sub_id)
        .ok_or_else(|| ApiError::validation("sub_criterion", format!("{sub_id} is not in the scheme")))?;
    let mode = schemes::mode_of(&view.skill);
    let hidden = access::hides_identities(conn, &view.skill)?;
    let delegations = repo::events::delegations_of(conn, &view.skill.event_id)?;
    let mut entries: Vec<_> = repo::registration::entries_of_skill(conn, skill_id)?
        .into_iter()
        .filter(|e| e.status == EntryStatus::Confirmed)
        .collect();
    // Workstation order, as the experts walk the workshop (entries without one last).
    entries.sort_by_key(|e| (e.workstation.is_none(), e.workstation));
    let (marks, locks) = if blank {
        (Vec::new(), Vec::new())
    } else {
        (repo::marks::marks_of_skill(conn, skill_id)?, repo::marks::locks_of_skill(conn, skill_id)?)
    };
    let members: Vec<UserId> = repo::marks::groups_of(conn, skill_id)?
        .into_iter()
        .filter(|g| g.sub_criteria.iter().any(|s| s.as_str() == sub_id))
        .flat_map(|g| g.members)
        .collect();
    let mut names = Vec::new();
    for m in &members {
        if let Some(u) = repo::users::find(conn, m)? {
            names.push(u.display_name);
        }
    }
    let skill_name = match locale {
        Locale::ZhCn => &view.skill.name_zh,
        Locale::En => &view.skill.name_en,
    };
    let title = w.t("评分表", "Marking form");
    let mut html = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} {} – {} {}</title>\
         <style>body{{font-family:system-ui,sans-serif;margin:1.5cm}}table{{border-collapse:collapse;width:100%;margin:1em 0}}\
         th,td{{border:1px solid #333;padding:4px 6px;text-align:left;font-size:11pt}}td.n{{text-align:right}}\
         td.blank{{min-width:4em}}\
         .sig{{display:inline-block;width:30%;margin:2em 1.5% 0;border-top:1px solid #000;padding-top:4px}}\
         @media print{{.entry{{page-break-inside:avoid}}}}</style></head><body>\
         <h1>{}</h1><p>{}</p>",
        locale.as_str(),
        esc(&view.skill.number),
        esc(skill_name),
        esc(sub_id),
        title,
        title,
        w.skill_line(
            &format!("{} {}", esc(&view.skill.number), esc(skill_name)),
            &format!("<b>{}</b> {}", esc(&sub.id), esc(&sub.name))
        ),
    );
    for e in &entries {
        let label = if hidden {
            e.anon_code.clone().unwrap_or_default()
        } else {
            delegations
                .iter()
                .find(|d| d.id == e.delegation_id)
                .map(|d| match locale {
                    Locale::ZhCn => format!("{} {}", d.code, d.name_zh),
                    Locale::En => format!("{} {}", d.code, d.name_en),
                })
                .unwrap_or_default()
        };
        let locked = locks.iter().any(|l| l.entry_id == e.id && l.sub_criterion_id.as_str() == sub.id);
        html.push_str(&format!(
            "<div class=\"entry\"><h2>{} · {}{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            w.workstation(&e.workstation.map(|w| w.to_string()).unwrap_or_else(|| "–".into())),
            esc(&label),
            if locked { w.t(" · 已锁定", " · locked") } else { "" },
            w.t("评分项", "Aspect"),
            w.t("类型", "Type"),
            w.t("满分", "Max"),
            w.t("录入", "Entered"),
            w.t("得分", "Mark"),
        ));
        let mut total = Exact(0);
        for (i, a) in sub.aspects.iter().enumerate() {
            let key = AspectKey::new(&sub.id, i + 1);
            let rows: Vec<&MarkRow> = marks.iter().filter(|m| m.entry_id == e.id && m.aspect_key == key).collect();
            let (kind, entered, mark) = match &a.kind {
                AspectType::Judgement { .. } => {
                    let scores: Vec<u8> = rows.iter().map(|r| r.value.clamp(0, 3) as u8).collect();
                    let mark = judgement_mark(mode, a.max, &scores).ok();
                    (w.t("评价", "J"), scores.iter().map(u8::to_string).collect::<Vec<_>>().join(" / "), mark)
                }
                AspectType::Measurement { measurement } => {
                    let mark = rows.first().and_then(|r| measurement.mark(a.max, r.input.measurement(r.value)?).ok());
                    let entered = rows.first().map(|r| match r.input {
                        MarkInputKind::Deductions => w.deductions(r.value),
                        MarkInputKind::Amount | MarkInputKind::Score => {
                            crate::domain::scheme::format_hundredths(r.value.into())
                        }
                    });
                    (w.t("测量", "M"), entered.unwrap_or_default(), mark)
                }
            };
            total = total + mark.unwrap_or_default();
            let shown = match (blank, mark) {
                (true, _) => String::new(),
                (false, Some(m)) => m.display(),
                (false, None) => "—".into(),
            };
            html.push_str(&format!(
                "<tr><td>{} {}</td><td>{}</td><td class=\"n\">{}</td><td class=\"blank\">{}</td><td class=\"n blank\">{}</td></tr>",
                esc(key.as_str()),
                esc(&a.description),
                kind,
                crate::domain::scheme::format_hundredths(a.max.into()),
                esc(&entered),
                shown
            ));
        }
        html.push_str(&format!(
            "<tr><th colspan=\"4\">{}</th><th class=\"n blank\">{}</th></tr></table></div>",
            esc(&w.total(&sub.id)),
            if blank { String::new() } else { total.display() }
        ));
    }
    html.push_str(&format!("<h2>{}</h2>", w.t("签名", "Signatures")));
    for n in &names {
        html.push_str(&format!("<span class=\"sig\">{}</span>", esc(n)));
    }
    html.push_str(&format!("<span class=\"sig\">{}</span></body></html>", w.t("裁判长", "Chief Expert")));
    Ok(html)
}

/// Unlocks a sub-criterion, with a reason (the skill's chief experts, organisers); audited.
pub fn unlock(
    conn: &mut DbConn,
    roles: &Grants,
    entry_id: &EntryId,
    sub_id: &str,
    reason: &str,
    ctx: &AuditContext,
) -> ApiResult<()> {
    write_tx(conn, |conn| {
        let view = entry_view(conn, roles, entry_id)?;
        if !(view.rights.reviews(&view.entry.skill_id)) {
            return Err(ApiError::Forbidden {
                code: ErrorCode::Forbidden,
                detail: "only the skill's chief experts and organisers unlock marks".into(),
            });
        }
        access::permit(conn, Operation::Unlock, &view.skill)?;
        // A key that is no sub-criterion id names no lock.
        let deleted = match sub_id.parse::<SubCriterionId>() {
            Ok(sub) => repo::marks::delete_lock(conn, entry_id, &sub)?,
            Err(_) => false,
        };
        if !deleted {
            return Err(ApiError::NotFound { what: "lock" });
        }
        repo::audit::record_in_chain(
            conn,
            ctx,
            Change {
                action: AuditAction::MarksUnlocked,
                target_type: AuditTarget::Entry,
                target_id: Some(entry_id.into()),
                event_id: Some(&view.event.id),
                before: Some(json!({"sub_criterion": sub_id})),
                after: Some(json!({"reason": reason})),
            },
            &skill_chain(&view.entry.skill_id),
        )?;
        Ok(())
    })
}

/// Reveals who is behind an anonymous skill's entry codes (organisers), once every confirmed
/// entry has every sub-criterion locked. Audited.
pub fn reveal(conn: &mut DbConn, roles: &Grants, skill_id: &SkillId, ctx: &AuditContext) -> ApiResult<SkillRow> {
    write_tx(conn, |conn| {
        let skill = repo::events::find_skill(conn, skill_id)?.ok_or(ApiError::NotFound { what: "skill" })?;
        let rights = Rights::of(conn, roles, &skill.event_id)?;
        if !rights.manage {
            return Err(rights.refusal(skill_id));
        }
        if !skill.anonymous {
            return Err(ApiError::Conflict {
                code: ErrorCode::NotAnonymous,
                detail: "this skill is not marked anonymously".into(),
                current: None,
            });
        }
        if repo::events::revealed_at(conn, skill_id)?.is_some() {
            return Err(ApiError::Conflict {
                code: ErrorCode::AlreadyRevealed,
                detail: "the skill's entries are revealed already".into(),
                current: None,
            });
        }
        let progress = progress(conn, roles, skill_id)?;
        let open: Vec<String> = progress
            .iter()
            .flat_map(|p| {
                p.sub_criteria.iter().filter(|s| !s.locked).map(move |s| format!("{} {}", p.entry_id, s.sub_criterion))
            })
            .collect();
        if progress.is_empty() || !open.is_empty() {
            return Err(ApiError::Conflict {
                code: ErrorCode::MarksNotLocked,
                detail: format!(
                    "identities are revealed only after every mark is locked; {} sub-criteria are still open",
                    open.len()
                ),
                current: None,
            });
        }
        repo::events::record_reveal(conn, skill_id, now(), ctx.actor_id.as_ref())?;
        repo::audit::record(
            conn,
            ctx,
            Change {
                action: AuditAction::SkillIdentitiesRevealed,
                target_type: AuditTarget::Skill,
                target_id: Some(skill_id.into()),
                event_id: Some(&skill.event_id),
                before: None,
                after: Some(json!({"entries": progress.len()})),
            },
        )?;
        Ok(skill)
    })
}

/// A chief expert (or organiser) withdraws one judge's score of a judgement aspect, with a
/// reason, e.g. a score entered by the wrong judge or one too many. Audited in the skill's chain
/// with the score taken out; the judge's tablet can then enter a new one. The sub-criterion must
/// be unlocked first.
pub fn withdraw_score(
    conn: &mut DbConn,
    roles: &Grants,
    entry_id: &EntryId,
    aspect: &str,
    judge_id: &UserId,
    reason: &str,
    ctx: &AuditContext,
) -> ApiResult<()> {
    // Marking holds the skill's chain before the entry (many entries in one batch): so does this.
    let skill_id = repo::registration::find_entry(conn, entry_id)?.map(|e| e.skill_id);
    write_tx(conn, |conn| {
        if let Some(skill_id) = &skill_id {
            repo::audit::hold_chain(conn, &skill_chain(skill_id))?;
        }
        repo::marks::hold_entry(conn, entry_id)?;
        let view = entry_view(conn, roles, entry_id)?;
        if !view.rights.reviews(&view.entry.skill_id) {
            return Err(ApiError::Forbidden {
                code: ErrorCode::Forbidden,
                detail: "only the skill's chief experts and organisers withdraw a judge's score".into(),
            });
        }
        access::permit(conn, Operation::WithdrawScore, &view.skill)?;
        let aspect: AspectKey = aspect.parse().map_err(|_| ApiError::NotFound { what: "score" })?;
        let mark = repo::marks::slots_of_pairs(conn, &[(entry_id.clone(), aspect)])?
            .into_iter()
            .find(|m| m.judge_id.as_ref() == Some(judge_id) && m.input == MarkInputKind::Score)
            .ok_or(ApiError::NotFound { what: "score" })?;
        if repo::marks::locks_of_entry(conn, entry_id)?.iter().any(|l| l.sub_criterion_id == mark.sub_criterion_id) {
            return Err(ApiError::Conflict {
                code: ErrorCode::SubCriterionLocked,
                detail: format!("{} is locked for this entry: unlock it (with a reason) first", mark.sub_criterion_id),
                current: None,
            });
        }
        let record = WithdrawnScoreRow {
            client_id: mark.client_id.clone(),
            skill_id: mark.skill_id.clone(),
            entry_id: entry_id.clone(),
            aspect_key: mark.aspect_key.clone(),
            judge_id: judge_id.clone(),
            value: mark.value,
            reason: reason.into(),
            withdrawn_by: ctx
                .actor_id
                .clone()
                .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a withdrawal without a signed-in caller")))?,
            withdrawn_at: now(),
        };
        if !repo::marks::withdraw_score(conn, &mark.id, &record)? {
            return Err(ApiError::NotFound { what: "score" });
        }
        repo::audit::record_in_chain(
            conn,
            ctx,
            Change {
                action: AuditAction::MarksScoreWithdrawn,
                target_type: AuditTarget::Entry,
                target_id: Some(entry_id.into()),
                event_id: Some(&view.event.id),
                before: Some(mark_json(&mark)),
                after: Some(json!({"reason": reason})),
            },
            &skill_chain(&view.entry.skill_id),
        )?;
        Ok(())
    })
}
