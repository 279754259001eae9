//! Row types: what a table row looks like to Rust. API shapes live in `api/`, not here.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::*;
use crate::domain::account::{Locale, TokenPurpose};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::draw::DrawAlgorithm;
use crate::domain::event::EventStatus;
use crate::domain::ids::*;
use crate::domain::mail::{MailKind, MailStatus};
use crate::domain::publication::{Audience, DisputeStatus, ResultState};
use crate::domain::registration::{DelegationKind, EntryStatus, ExpertPosition, Gender, JudgementMode};
use crate::domain::role::Role;
use crate::domain::scheme::{MarkInputKind, SchemeStatus};
use crate::domain::selection::{ProgrammeStatus, StandingBasis, TeamPlace};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub locale: Locale,
    pub is_active: bool,
    pub token_version: i32,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = role_assignments)]
pub struct RoleRow {
    pub id: RoleAssignmentId,
    pub user_id: UserId,
    pub role: Role,
    pub scope_id: Option<ScopeId>,
    pub delegation_id: Option<DelegationId>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub id: RefreshTokenId,
    pub user_id: UserId,
    pub family_id: TokenFamilyId,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub rotated_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = one_time_tokens)]
pub struct OneTimeTokenRow {
    pub id: OneTimeTokenId,
    pub user_id: Option<UserId>,
    pub purpose: TokenPurpose,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: AuditId,
    pub at: NaiveDateTime,
    pub actor_id: Option<UserId>,
    pub action: AuditAction,
    pub target_type: AuditTarget,
    pub target_id: Option<TargetId>,
    pub event_id: Option<EventId>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
    pub chain: Option<String>,
    pub seq: Option<i64>,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

impl AuditRow {
    /// The record's hash: SHA-256 over its fields and the previous record's hash.
    pub fn compute_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        // Ids hash as their hyphenated lowercase text, as they are stored.
        let text = |id: Option<String>| id.unwrap_or_default();
        let fields: [&str; 14] = [
            &self.id.to_string(),
            &self.at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
            &text(self.actor_id.as_ref().map(UserId::to_string)),
            self.action.as_str(),
            self.target_type.as_str(),
            &text(self.target_id.as_ref().map(TargetId::to_string)),
            &text(self.event_id.as_ref().map(EventId::to_string)),
            self.before_json.as_deref().unwrap_or(""),
            self.after_json.as_deref().unwrap_or(""),
            self.request_id.as_deref().unwrap_or(""),
            self.ip.as_deref().unwrap_or(""),
            self.chain.as_deref().unwrap_or(""),
            &self.seq.unwrap_or(0).to_string(),
            self.prev_hash.as_deref().unwrap_or(""),
        ];
        let mut h = Sha256::new();
        for f in fields {
            // Length-prefixed, so no two different records hash the same text.
            h.update((f.len() as u64).to_le_bytes());
            h.update(f.as_bytes());
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub id: EventId,
    pub name: String,
    pub venue: String,
    pub time_zone: String,
    pub c1_date: NaiveDate,
    pub competition_days: i32,
    pub registration_deadline: NaiveDateTime,
    pub status: EventStatus,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = skills)]
pub struct SkillRow {
    pub id: SkillId,
    pub event_id: EventId,
    pub number: String,
    pub name_zh: String,
    pub name_en: String,
    pub sector: String,
    pub age_limit: i32,
    pub team_size: i32,
    pub max_entries_per_delegation: i32,
    pub judgement_mode: JudgementMode,
    pub max_spread: i32,
    pub anonymous: bool,
    pub workstation_count: i32,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = delegations)]
#[diesel(treat_none_as_null = true)]
pub struct DelegationRow {
    pub id: DelegationId,
    pub event_id: EventId,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: DelegationKind,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = entries)]
#[diesel(treat_none_as_null = true)]
pub struct EntryRow {
    pub id: EntryId,
    pub event_id: EventId,
    pub skill_id: SkillId,
    pub delegation_id: DelegationId,
    pub status: EntryStatus,
    pub workstation: Option<i32>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The code experts of an anonymous skill mark this entry under.
    pub anon_code: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = competitors)]
#[diesel(treat_none_as_null = true)]
pub struct CompetitorRow {
    pub id: CompetitorId,
    pub event_id: EventId,
    pub entry_id: EntryId,
    pub name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub id_number: String,
    pub user_id: Option<UserId>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = experts)]
pub struct ExpertRow {
    pub id: ExpertId,
    pub event_id: EventId,
    pub skill_id: SkillId,
    pub delegation_id: DelegationId,
    pub user_id: UserId,
    pub position: ExpertPosition,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = workstation_draws)]
pub struct DrawRow {
    pub id: DrawId,
    pub skill_id: SkillId,
    pub seed: String,
    pub algorithm: DrawAlgorithm,
    /// The skill's workstation count at the time: the draw depends on it.
    pub workstation_count: i32,
    pub reason: Option<String>,
    pub drawn_by: Option<UserId>,
    pub drawn_at: NaiveDateTime,
}

/// One entry's workstation in a draw; `position` is the order the entries were drawn for.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = workstation_draw_assignments)]
pub struct DrawAssignmentRow {
    pub draw_id: DrawId,
    pub position: i32,
    pub entry_id: EntryId,
    pub workstation: i32,
}

/// A draw as stored: its row and its assignments in the order drawn.
#[derive(Debug, Clone)]
pub struct StoredDraw {
    pub row: DrawRow,
    pub assignments: Vec<DrawAssignmentRow>,
}

impl StoredDraw {
    /// The draw `row` with its result: (entry id, workstation) in the order drawn.
    pub fn new(row: DrawRow, result: &[(EntryId, u32)]) -> Self {
        let assignments = (0..)
            .zip(result)
            .map(|(position, (entry_id, workstation))| DrawAssignmentRow {
                draw_id: row.id.clone(),
                position,
                entry_id: entry_id.clone(),
                workstation: *workstation as i32,
            })
            .collect();
        Self { row, assignments }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = marking_schemes)]
#[diesel(treat_none_as_null = true)]
pub struct SchemeRow {
    pub skill_id: SkillId,
    /// `domain::scheme::Scheme` as JSON.
    pub document: String,
    pub status: SchemeStatus,
    pub version: i32,
    pub updated_at: NaiveDateTime,
    pub updated_by: Option<UserId>,
    pub frozen_at: Option<NaiveDateTime>,
    pub frozen_by: Option<UserId>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = marking_groups)]
pub struct GroupRow {
    pub id: GroupId,
    pub skill_id: SkillId,
    pub name: String,
    pub created_at: NaiveDateTime,
}

/// A marking group's member (an expert's user id); `position` keeps the order given.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = marking_group_members)]
pub struct GroupMemberRow {
    pub group_id: GroupId,
    pub position: i32,
    pub user_id: UserId,
}

/// A sub-criterion a marking group marks (e.g. `A1`); `position` keeps the order given.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = marking_group_sub_criteria)]
pub struct GroupSubCriterionRow {
    pub group_id: GroupId,
    pub position: i32,
    pub sub_criterion_id: SubCriterionId,
}

/// A marking group as stored: its row, its members' user ids and its sub-criteria, in order.
#[derive(Debug, Clone)]
pub struct StoredGroup {
    pub row: GroupRow,
    pub members: Vec<UserId>,
    pub sub_criteria: Vec<SubCriterionId>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = marks)]
#[diesel(treat_none_as_null = true)]
pub struct MarkRow {
    pub id: MarkId,
    pub skill_id: SkillId,
    pub entry_id: EntryId,
    /// `A1.2`: sub-criterion and aspect number.
    pub aspect_key: AspectKey,
    pub sub_criterion_id: SubCriterionId,
    /// The judge's user id for judgement scores; `None` for measurement marks.
    pub judge_id: Option<UserId>,
    pub input: MarkInputKind,
    pub value: i32,
    pub note: Option<String>,
    pub unsure: bool,
    pub version: i32,
    pub client_id: ClientMarkId,
    pub entered_by: UserId,
    pub updated_at: NaiveDateTime,
}

/// A judge's score a chief expert withdrew, with the reason.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = withdrawn_scores)]
pub struct WithdrawnScoreRow {
    pub client_id: ClientMarkId,
    pub skill_id: SkillId,
    pub entry_id: EntryId,
    pub aspect_key: AspectKey,
    pub judge_id: UserId,
    pub value: i32,
    pub reason: String,
    pub withdrawn_by: UserId,
    pub withdrawn_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mark_locks)]
pub struct LockRow {
    pub entry_id: EntryId,
    pub sub_criterion_id: SubCriterionId,
    pub skill_id: SkillId,
    pub locked_by: UserId,
    pub locked_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = result_rules, treat_none_as_null = true)]
pub struct ResultRulesRow {
    pub event_id: EventId,
    pub document: String,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = skill_results, treat_none_as_null = true)]
pub struct SkillResultRow {
    pub skill_id: SkillId,
    pub event_id: EventId,
    /// Never `final`: that follows from time and disputes.
    pub state: ResultState,
    pub ratified_snapshot: Option<String>,
    pub ratified_at: Option<NaiveDateTime>,
    pub ratified_by: Option<UserId>,
    pub published_snapshot: Option<String>,
    pub audience: Audience,
    pub public_at: Option<NaiveDateTime>,
    pub scheduled_audience: Option<Audience>,
    pub scheduled_at: Option<NaiveDateTime>,
    pub ceremony_step: i32,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = disputes, treat_none_as_null = true)]
pub struct DisputeRow {
    pub id: DisputeId,
    pub event_id: EventId,
    pub skill_id: SkillId,
    pub entry_id: EntryId,
    pub aspect_key: Option<AspectKey>,
    pub reason: String,
    pub status: DisputeStatus,
    pub filed_by: UserId,
    pub filed_at: NaiveDateTime,
    pub resolution: Option<String>,
    pub resolved_by: Option<UserId>,
    pub resolved_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = mail_outbox, treat_none_as_null = true)]
pub struct OutboxRow {
    pub id: MailId,
    pub event_id: Option<EventId>,
    pub kind: MailKind,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub status: MailStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

/// Now, in UTC, truncated to microseconds: the precision PostgreSQL keeps, so a value read back
/// equals the value written on both engines. The app's clock inside `AppState::db`
/// (`crate::clock`), the system clock elsewhere.
pub fn now() -> NaiveDateTime {
    crate::clock::Clock::current().now()
}

/// A new time-ordered id (UUIDv7) of any id type (`domain::ids`).
pub fn new_id<T: From<uuid::Uuid>>() -> T {
    uuid::Uuid::now_v7().into()
}

/// A selection programme (选拔 → 集训 → 国家队).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = selection_programmes)]
#[diesel(treat_none_as_null = true)]
pub struct ProgrammeRow {
    pub id: ProgrammeId,
    pub name: String,
    pub target_competition: String,
    pub target_year: i32,
    pub status: ProgrammeStatus,
    /// Who sees the national team list (none → delegations → public).
    pub team_audience: Audience,
    pub created_by: Option<UserId>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The notice period (公示) of its squad and team lists, in days.
    pub notice_days: i32,
    /// When the team list was released to the public (its notice period starts then).
    pub team_public_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = selection_stages)]
pub struct StageRow {
    pub id: StageId,
    pub programme_id: ProgrammeId,
    /// 1 for the national selection.
    pub position: i32,
    pub event_id: EventId,
    /// Who sees the list of who advanced from this stage.
    pub audience: Audience,
    /// Its confirmation yields the national team; no stage follows it.
    pub is_final: bool,
    pub created_at: NaiveDateTime,
    /// When the squad list was released to the public (its notice period starts then).
    pub public_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = selection_stage_skills)]
#[diesel(treat_none_as_null = true)]
pub struct StageSkillRow {
    pub stage_id: StageId,
    pub skill_id: SkillId,
    pub skill_number: String,
    pub cut: i32,
    /// JSON list of percents, stage 1 first.
    pub weights: String,
    pub basis: StandingBasis,
    /// JSON `domain::selection::TieRule`.
    pub tie_rule: String,
    pub training_base: Option<String>,
    pub confirmed_at: Option<NaiveDateTime>,
    pub confirmed_by: Option<UserId>,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = selection_advancements)]
#[diesel(treat_none_as_null = true)]
pub struct AdvancementRow {
    pub stage_id: StageId,
    pub entry_id: EntryId,
    pub skill_id: SkillId,
    /// `domain::selection::Standing`, exact.
    pub standing: i64,
    /// The tie-break criterion's score in hundredths, under a tie-break rule.
    pub tie_break: Option<i64>,
    /// JSON list of the stage-by-stage scores.
    pub breakdown: String,
    pub rank: i32,
    pub advanced: bool,
    pub tied_at_cut: bool,
    pub decided_by_tie_break: bool,
    pub moved_up: bool,
    /// Why the entry could not go on (age in the target year), if so.
    pub ineligible: Option<String>,
    pub next_entry_id: Option<EntryId>,
    pub withdrawn_reason: Option<String>,
    pub withdrawn_by: Option<UserId>,
    pub withdrawn_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = selection_team)]
pub struct TeamRow {
    pub programme_id: ProgrammeId,
    pub entry_id: EntryId,
    pub skill_number: String,
    pub place: TeamPlace,
    pub updated_at: NaiveDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_hash_is_pinned() {
        // Computed independently (Python's hashlib over the same length-prefixed fields): if this
        // changes, every stored chain stops verifying.
        let row = AuditRow {
            id: "0190a1b2-0000-7000-8000-000000000001".parse().unwrap(),
            at: chrono::NaiveDate::from_ymd_opt(2026, 6, 7).unwrap().and_hms_opt(9, 30, 0).unwrap(),
            actor_id: Some("0190a1b2-0000-7000-8000-000000000002".parse().unwrap()),
            action: AuditAction::ResultsRatified,
            target_type: AuditTarget::Skill,
            target_id: Some("0190a1b2-0000-7000-8000-000000000017".parse().unwrap()),
            event_id: Some("0190a1b2-0000-7000-8000-000000000003".parse().unwrap()),
            before_json: Some(r#"{"a":1}"#.into()),
            after_json: Some(r#"{"a":2}"#.into()),
            request_id: Some("req-1".into()),
            ip: Some("127.0.0.1".into()),
            chain: Some("event-1".into()),
            seq: Some(3),
            prev_hash: Some("ab".repeat(32)),
            hash: None,
        };
        // (The same fields with the target as the text `skill-17` hashed to 2eb1fba6…c4b, and with
        // the action `results.ratify`, no longer a recorded action, to 9797c9e1…059: the algorithm
        // is unchanged; targets are ids and actions `AuditAction`s now.)
        assert_eq!(row.compute_hash(), "95efe34876f993f96eb22455d55e8127f76cff58dc578ca1c3e03eacea3f38a5");
    }
}
