//! Bulk import of registration lists (delegations, competitors with their entries, experts) from
//! CSV or XLSX, and export of the same lists. An import is checked as a whole first: every row's
//! problems are reported (row, column, message) and nothing is written unless there are none;
//! then it is written in one transaction. The same rules apply as to single edits.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::db::models::{new_id, now, CompetitorRow, DelegationRow, EntryRow, EventRow, SkillRow};
use crate::db::{write_tx, DbConn};
use crate::domain::account::{DisplayName, Email, Locale};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::event::Calendar;
use crate::domain::ids::{DelegationId, EntryId, EventId, SkillId};
use crate::domain::lifecycle::{self, Operation, Phase};
use crate::domain::registration::{self as rules, DelegationKind, EntryStatus, ExpertPosition, Gender};
use crate::domain::role::Grants;
use crate::error::{ApiError, ApiResult, ErrorCode, ImportProblemCode as Code, RowProblem};
use crate::formats::tabular::{Row, Table};
use crate::mail::Mail;
use crate::repo;
use crate::repo::audit::{AuditContext, Change};
use crate::service::access::{event_for, Access};
use crate::service::registration::{register_expert, ExpertFields};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Delegations,
    Competitors,
    Experts,
}

impl ImportKind {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "delegations" => Some(Self::Delegations),
            "competitors" => Some(Self::Competitors),
            "experts" => Some(Self::Experts),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Delegations => "delegations",
            Self::Competitors => "competitors",
            Self::Experts => "experts",
        }
    }
    /// The columns of the list: (header as exported, other accepted headers).
    pub fn columns(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            Self::Delegations => &[
                ("code", &["代码", "编码", "代表队代码"]),
                ("name_zh", &["名称", "中文名称", "代表队"]),
                ("name_en", &["英文名称", "name"]),
                ("kind", &["类型"]),
                ("contact_name", &["联系人"]),
                ("contact_email", &["邮箱", "联系人邮箱", "email"]),
                ("contact_phone", &["电话", "联系电话", "phone"]),
            ],
            Self::Competitors => &[
                ("delegation", &["代表队", "代表队代码", "delegation_code"]),
                ("skill", &["项目", "项目编号", "skill_number"]),
                ("team", &["队伍", "组别"]),
                ("name", &["姓名"]),
                ("gender", &["性别"]),
                ("birth_date", &["出生日期", "生日"]),
                ("id_number", &["证件号码", "身份证号", "身份证号码"]),
            ],
            Self::Experts => &[
                ("delegation", &["代表队", "代表队代码", "delegation_code"]),
                ("skill", &["项目", "项目编号", "skill_number"]),
                ("name", &["姓名", "display_name"]),
                ("email", &["邮箱", "电子邮箱"]),
                ("position", &["职务", "岗位"]),
            ],
        }
    }
    /// A column's header in a template in `locale` (each also accepted on import, in either language).
    fn label(column: &str, locale: Locale) -> &'static str {
        let (zh, en) = match column {
            "code" => ("代表队代码", "Delegation code"),
            "name_zh" => ("中文名称", "Name in Chinese"),
            "name_en" => ("英文名称", "Name in English"),
            "kind" => ("类型", "Kind"),
            "contact_name" => ("联系人", "Contact name"),
            "contact_email" => ("联系人邮箱", "Contact email"),
            "contact_phone" => ("联系电话", "Contact phone"),
            "delegation" => ("代表队", "Delegation"),
            "skill" => ("项目编号", "Skill number"),
            "team" => ("队伍", "Team"),
            "name" => ("姓名", "Name"),
            "gender" => ("性别", "Gender"),
            "birth_date" => ("出生日期", "Date of birth"),
            "id_number" => ("证件号码", "ID number"),
            "email" => ("邮箱", "Email"),
            "position" => ("职务", "Position"),
            _ => ("", ""),
        };
        match locale {
            Locale::ZhCn => zh,
            Locale::En => en,
        }
    }
    /// The header row of an empty list to fill in, in `locale`; required columns end in `*`.
    pub fn template(self, locale: Locale) -> Vec<String> {
        self.columns()
            .iter()
            .map(|(name, _)| {
                let label = Self::label(name, locale);
                if self.required().contains(name) {
                    format!("{label}*")
                } else {
                    label.to_string()
                }
            })
            .collect()
    }
    /// Columns that must be present.
    fn required(self) -> &'static [&'static str] {
        match self {
            Self::Delegations => &["code", "name_zh", "name_en"],
            Self::Competitors => &["delegation", "skill", "name", "gender", "birth_date", "id_number"],
            Self::Experts => &["delegation", "skill", "name", "email"],
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    pub kind: ImportKind,
    /// Whether the import was written (a dry run never is).
    pub committed: bool,
    /// Data rows read (blank rows not counted).
    pub rows: usize,
    /// Records written (0 on a dry run or when there are problems).
    pub created: usize,
    pub problems: Vec<RowProblem>,
}

/// Column positions by canonical name, after checking the header.
struct Columns {
    index: HashMap<&'static str, usize>,
}

impl Columns {
    fn find(table: &Table, kind: ImportKind, problems: &mut Vec<RowProblem>) -> Self {
        let mut index = HashMap::new();
        for (name, aliases) in kind.columns() {
            let mut all: Vec<&str> = vec![name, Self::label_of(name, Locale::ZhCn), Self::label_of(name, Locale::En)];
            all.extend_from_slice(aliases);
            if let Some(i) = table.column(&all) {
                index.insert(*name, i);
            } else if kind.required().contains(name) {
                problems.push(RowProblem::coded(
                    1,
                    name,
                    Code::MissingColumn,
                    &[],
                    format!("the column {name} is missing"),
                ));
            }
        }
        Self { index }
    }
    fn label_of(name: &str, locale: Locale) -> &'static str {
        ImportKind::label(name, locale)
    }
    fn get<'a>(&self, row: &'a Row, name: &str) -> &'a str {
        self.index.get(name).map(|i| row.get(*i)).unwrap_or("")
    }
}

fn problem(row: &Row, column: &str, code: Code, params: &[(&str, String)], message: impl Into<String>) -> RowProblem {
    RowProblem::coded(row.number, column, code, params, message)
}

/// A value its column's rule refused (the rule's English words as the message).
fn invalid(row: &Row, column: &str, message: impl Into<String>) -> RowProblem {
    problem(row, column, Code::Invalid, &[], message)
}

/// What the import needs to know of the event as it stands.
pub struct Context {
    pub event: EventRow,
    pub skills: Vec<SkillRow>,
    pub delegations: Vec<DelegationRow>,
    /// Active (not withdrawn) entries per (skill id, delegation id).
    pub active_entries: HashMap<(SkillId, DelegationId), i64>,
    pub id_numbers: HashSet<String>,
    pub expert_emails: HashSet<String>,
    /// Where each skill is in its life (by skill id): a ratified skill takes no new entries or
    /// experts (`domain::lifecycle`).
    pub phases: HashMap<SkillId, Phase>,
}

impl Context {
    pub fn load(conn: &mut DbConn, event: EventRow) -> ApiResult<Self> {
        let skills = repo::events::skills_of(conn, &event.id)?;
        let delegations = repo::events::delegations_of(conn, &event.id)?;
        let all = repo::registration::list_entries(
            conn,
            &repo::registration::EntryFilter { event_id: event.id.clone(), ..Default::default() },
            repo::PageRequest { page: 1, per_page: i64::MAX / 2 },
        )?;
        let mut active_entries = HashMap::new();
        for e in all.items.iter().filter(|e| e.status != EntryStatus::Withdrawn) {
            *active_entries.entry((e.skill_id.clone(), e.delegation_id.clone())).or_insert(0) += 1;
        }
        let ids: Vec<EntryId> = all.items.iter().map(|e| e.id.clone()).collect();
        let id_numbers = repo::registration::competitors_of(conn, &ids)?.into_iter().map(|c| c.id_number).collect();
        let expert_emails = repo::registration::experts_with_accounts(conn, &event.id)?
            .into_iter()
            .map(|(_, email, _)| email)
            .collect();
        let rows: HashMap<SkillId, _> =
            repo::results::skill_results_of(conn, &event.id)?.into_iter().map(|r| (r.skill_id.clone(), r)).collect();
        let phases =
            skills.iter().map(|s| (s.id.clone(), crate::service::access::stored_phase(rows.get(&s.id)))).collect();
        Ok(Self { event, skills, delegations, active_entries, id_numbers, expert_emails, phases })
    }

    /// The lifecycle's refusal of `operation` in `skill`, as the row problem's message.
    fn refusal(&self, operation: Operation, skill: &SkillRow) -> Option<String> {
        let phase = self.phases.get(&skill.id).copied().unwrap_or(Phase::Unmarked);
        lifecycle::permit(operation, phase).err().map(|why| format!("skill {}: {}", skill.number, why.detail()))
    }

    /// A row's delegation (by code) and skill (by number), each reported by column when the event
    /// has none such, the skill also when the lifecycle refuses `operation` in it now.
    fn delegation_and_skill(
        &self,
        cols: &Columns,
        row: &Row,
        operation: Operation,
        problems: &mut Vec<RowProblem>,
    ) -> (Option<&DelegationRow>, Option<&SkillRow>) {
        let code = cols.get(row, "delegation").to_uppercase();
        let delegation = self.delegations.iter().find(|d| d.code == code);
        if delegation.is_none() {
            problems.push(problem(
                row,
                "delegation",
                Code::UnknownDelegation,
                &[("code", code.to_string())],
                format!("no delegation with code {code:?} in this event"),
            ));
        }
        let number = cols.get(row, "skill").to_uppercase();
        let skill = self.skills.iter().find(|s| s.number == number);
        match skill {
            None => problems.push(problem(
                row,
                "skill",
                Code::UnknownSkill,
                &[("number", number.to_string())],
                format!("no skill numbered {number:?} in this event"),
            )),
            Some(s) => problems.extend(
                self.refusal(operation, s)
                    .map(|m| problem(row, "skill", Code::SkillClosed, &[("skill", s.number.clone())], m)),
            ),
        }
        (delegation, skill)
    }

    fn year(&self) -> i32 {
        Calendar::new(self.event.c1_date, self.event.competition_days).map(|c| c.year()).unwrap_or_default()
    }
}

/// Delegations to create.
pub fn plan_delegations(table: &Table, ctx: &Context, problems: &mut Vec<RowProblem>) -> Vec<DelegationRow> {
    let cols = Columns::find(table, ImportKind::Delegations, problems);
    let existing: HashSet<&str> = ctx.delegations.iter().map(|d| d.code.as_str()).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    let at = now();
    for row in &table.rows {
        let before = problems.len();
        let code =
            rules::delegation_code(cols.get(row, "code")).map_err(|m| problems.push(invalid(row, "code", m))).ok();
        let text = |name: &str, required: bool, problems: &mut Vec<RowProblem>| {
            let v = cols.get(row, name).to_string();
            if required && v.is_empty() {
                problems.push(problem(row, name, Code::Required, &[], "is required"));
            } else if v.chars().count() > 100 {
                problems.push(problem(
                    row,
                    name,
                    Code::TooLong,
                    &[("max", "100".into())],
                    "is longer than 100 characters",
                ));
            }
            v
        };
        let name_zh = text("name_zh", true, problems);
        let name_en = text("name_en", true, problems);
        let kind = match cols.get(row, "kind") {
            "" => DelegationKind::Region,
            k if k.parse::<DelegationKind>().is_ok() => k.parse().unwrap_or(DelegationKind::Other),
            _ => {
                problems.push(problem(
                    row,
                    "kind",
                    Code::InvalidKind,
                    &[],
                    "must be region, industry, country or other",
                ));
                DelegationKind::Other
            }
        };
        let email = cols.get(row, "contact_email");
        if !email.is_empty() && Email::parse(email).is_err() {
            problems.push(invalid(row, "contact_email", "is not an email address"));
        }
        if let Some(code) = &code {
            if existing.contains(code.as_str()) {
                problems.push(problem(
                    row,
                    "code",
                    Code::DelegationExists,
                    &[("code", code.clone())],
                    format!("delegation {code} exists already in this event"),
                ));
            } else if let Some(first) = seen.get(code) {
                problems.push(problem(
                    row,
                    "code",
                    Code::Duplicate,
                    &[("first_row", first.to_string())],
                    format!("delegation {code} appears twice (also row {first})"),
                ));
            } else {
                seen.insert(code.clone(), row.number);
            }
        }
        if problems.len() == before {
            let opt = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
            out.push(DelegationRow {
                id: new_id(),
                event_id: ctx.event.id.clone(),
                code: code.unwrap_or_default(),
                name_zh,
                name_en,
                kind,
                contact_name: opt(cols.get(row, "contact_name")),
                contact_email: opt(&email.to_lowercase()),
                contact_phone: opt(cols.get(row, "contact_phone")),
                version: 1,
                created_at: at,
                updated_at: at,
            });
        }
    }
    out
}

/// Entries and their competitors to create: rows with the same delegation, skill and team label
/// form one entry.
pub fn plan_competitors(
    table: &Table,
    ctx: &Context,
    problems: &mut Vec<RowProblem>,
) -> (Vec<EntryRow>, Vec<CompetitorRow>) {
    let cols = Columns::find(table, ImportKind::Competitors, problems);
    let year = ctx.year();
    let mut seen_ids: HashMap<String, usize> = HashMap::new();
    // (skill, delegation, team label) → entry index, in first-seen order.
    let mut groups: HashMap<(SkillId, DelegationId, String), usize> = HashMap::new();
    let mut entries: Vec<(EntryRow, Vec<usize>)> = Vec::new();
    let mut competitors = Vec::new();
    let at = now();
    for row in &table.rows {
        let before = problems.len();
        let (delegation, skill) = ctx.delegation_and_skill(&cols, row, Operation::CreateEntry, problems);
        let name = DisplayName::parse(cols.get(row, "name")).map_err(|m| problems.push(invalid(row, "name", m))).ok();
        let gender = Gender::parse(cols.get(row, "gender")).map_err(|m| problems.push(invalid(row, "gender", m))).ok();
        let birth = rules::birth_date(cols.get(row, "birth_date"))
            .map_err(|m| problems.push(invalid(row, "birth_date", m)))
            .ok();
        let id_number =
            rules::id_number(cols.get(row, "id_number")).map_err(|m| problems.push(invalid(row, "id_number", m))).ok();
        if let (Some(birth), Some(skill)) = (birth, skill) {
            if let Err(m) = rules::check_age(birth, year, skill.age_limit) {
                problems.push(problem(
                    row,
                    "birth_date",
                    Code::AgeLimit,
                    &[("skill", skill.number.clone()), ("limit", skill.age_limit.to_string())],
                    format!("the competitor {m} (skill {})", skill.number),
                ));
            }
        }
        if let Some(id) = &id_number {
            if ctx.id_numbers.contains(id) {
                problems.push(problem(
                    row,
                    "id_number",
                    Code::IdNumberExists,
                    &[],
                    "a competitor with this ID number is registered in this event already",
                ));
            } else if let Some(first) = seen_ids.get(id) {
                problems.push(problem(
                    row,
                    "id_number",
                    Code::Duplicate,
                    &[("first_row", first.to_string())],
                    format!("appears twice (also row {first}); one skill per competitor"),
                ));
            } else {
                seen_ids.insert(id.clone(), row.number);
            }
        }
        if problems.len() != before {
            continue;
        }
        let (Some(skill), Some(delegation), Some(name), Some(gender), Some(birth), Some(id_number)) =
            (skill, delegation, name, gender, birth, id_number)
        else {
            continue;
        };
        let team = cols.get(row, "team").to_string();
        let key = (skill.id.clone(), delegation.id.clone(), team);
        let index = *groups.entry(key).or_insert_with(|| {
            entries.push((
                EntryRow {
                    id: new_id(),
                    event_id: ctx.event.id.clone(),
                    skill_id: skill.id.clone(),
                    delegation_id: delegation.id.clone(),
                    status: EntryStatus::Registered,
                    workstation: None,
                    version: 1,
                    created_at: at,
                    updated_at: at,
                    anon_code: None,
                },
                Vec::new(),
            ));
            entries.len() - 1
        });
        let (entry, rows) = &mut entries[index];
        if rows.len() >= skill.team_size as usize {
            problems.push(problem(
                row,
                "team",
                Code::TeamFull,
                &[("skill", skill.number.clone()), ("size", skill.team_size.to_string())],
                format!("skill {} has teams of {}; this team is full", skill.number, skill.team_size),
            ));
            continue;
        }
        rows.push(row.number);
        competitors.push(CompetitorRow {
            id: new_id(),
            event_id: ctx.event.id.clone(),
            entry_id: entry.id.clone(),
            name: name.as_str().into(),
            gender,
            birth_date: birth,
            id_number,
            user_id: None,
            version: 1,
            created_at: at,
            updated_at: at,
        });
    }
    // Entries per delegation and skill, counting those registered already.
    let mut per_pair: HashMap<(SkillId, DelegationId), Vec<usize>> = HashMap::new();
    for (entry, rows) in &entries {
        per_pair.entry((entry.skill_id.clone(), entry.delegation_id.clone())).or_default().push(rows[0]);
    }
    for ((skill_id, delegation_id), first_rows) in &per_pair {
        let skill = ctx.skills.iter().find(|s| &s.id == skill_id).expect("planned entries name known skills");
        let existing = ctx.active_entries.get(&(skill_id.clone(), delegation_id.clone())).copied().unwrap_or(0);
        let allowed = i64::from(skill.max_entries_per_delegation);
        for row in first_rows.iter().skip((allowed - existing).max(0) as usize) {
            problems.push(RowProblem::coded(
                *row,
                "team",
                Code::TooManyEntries,
                &[("skill", skill.number.clone()), ("max", allowed.to_string())],
                format!("a delegation may enter skill {} at most {} time(s)", skill.number, allowed),
            ));
        }
    }
    problems.sort_by_key(|p| p.row);
    (entries.into_iter().map(|(e, _)| e).collect(), competitors)
}

/// Experts to register (validated rows; accounts are created or reused on commit).
pub fn plan_experts(table: &Table, ctx: &Context, problems: &mut Vec<RowProblem>) -> Vec<ExpertFields> {
    let cols = Columns::find(table, ImportKind::Experts, problems);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for row in &table.rows {
        let before = problems.len();
        let (delegation, skill) = ctx.delegation_and_skill(&cols, row, Operation::RegisterExpert, problems);
        let name = DisplayName::parse(cols.get(row, "name")).map_err(|m| problems.push(invalid(row, "name", m))).ok();
        let email = Email::parse(cols.get(row, "email")).map_err(|m| problems.push(invalid(row, "email", m))).ok();
        let position = match cols.get(row, "position") {
            "" | "expert" | "裁判员" | "专家" => Some(ExpertPosition::Expert),
            "chief_expert" | "裁判长" => Some(ExpertPosition::ChiefExpert),
            "deputy_chief_expert" | "副裁判长" => Some(ExpertPosition::DeputyChiefExpert),
            _ => {
                problems.push(problem(
                    row,
                    "position",
                    Code::InvalidPosition,
                    &[],
                    "must be expert, chief_expert or deputy_chief_expert (裁判员/裁判长/副裁判长)",
                ));
                None
            }
        };
        if let Some(e) = &email {
            if ctx.expert_emails.contains(e.as_str()) {
                problems.push(problem(
                    row,
                    "email",
                    Code::ExpertExists,
                    &[("email", e.as_str().to_string())],
                    format!("{e} is an expert in this event already"),
                ));
            } else if let Some(first) = seen.insert(e.as_str().to_string(), row.number) {
                problems.push(problem(
                    row,
                    "email",
                    Code::Duplicate,
                    &[("first_row", first.to_string())],
                    format!("appears twice (also row {first}); one skill per expert"),
                ));
            }
        }
        if problems.len() != before {
            continue;
        }
        if let (Some(skill), Some(delegation), Some(display_name), Some(email), Some(position)) =
            (skill, delegation, name, email, position)
        {
            out.push(ExpertFields {
                email,
                display_name,
                locale: Locale::ZhCn,
                skill_id: skill.id.clone(),
                delegation_id: delegation.id.clone(),
                position,
            });
        }
    }
    out
}

/// An uploaded list and what to do with it.
pub struct Upload<'a> {
    pub kind: ImportKind,
    pub table: &'a Table,
    /// `false`: check only. `true`: write everything, or nothing when there is any problem.
    pub commit: bool,
}

/// Checks (and on `commit`, writes) an import. Organisers only.
pub fn import(
    conn: &mut DbConn,
    roles: &Grants,
    event_id: &EventId,
    upload: Upload<'_>,
    public_url: &str,
    ctx: &AuditContext,
) -> ApiResult<(ImportReport, Vec<Mail>)> {
    let Upload { kind, table, commit } = upload;
    let event = event_for(conn, roles, event_id, Access::Manage)?;
    if !event.status.allows_configuration() {
        return Err(ApiError::Conflict {
            code: ErrorCode::RegistrationClosed,
            detail: format!("registrations cannot change: the event is in {}", event.status),
            current: None,
        });
    }
    let context = Context::load(conn, event)?;
    let mut problems = Vec::new();
    let mut report = ImportReport { kind, committed: false, rows: table.rows.len(), created: 0, problems: Vec::new() };
    if table.rows.is_empty() {
        problems.push(RowProblem::coded(0, "", Code::NoDataRows, &[], "the file has a header but no data rows"));
    }
    enum Plan {
        Delegations(Vec<DelegationRow>),
        Competitors(Vec<EntryRow>, Vec<CompetitorRow>),
        Experts(Vec<ExpertFields>),
    }
    let plan = match kind {
        ImportKind::Delegations => Plan::Delegations(plan_delegations(table, &context, &mut problems)),
        ImportKind::Competitors => {
            let (e, c) = plan_competitors(table, &context, &mut problems);
            Plan::Competitors(e, c)
        }
        ImportKind::Experts => Plan::Experts(plan_experts(table, &context, &mut problems)),
    };
    if commit && !problems.is_empty() {
        return Err(ApiError::FileRejected(problems));
    }
    if !commit {
        report.problems = problems;
        return Ok((report, Vec::new()));
    }
    let event_id = context.event.id.clone();
    let (created, mails) = write_tx(conn, |conn| -> ApiResult<(usize, Vec<Mail>)> {
        let mut mails = Vec::new();
        let created = match plan {
            Plan::Delegations(rows) => {
                repo::registration::insert_delegation_rows(conn, &rows)?;
                rows.len()
            }
            Plan::Competitors(entries, competitors) => {
                repo::registration::insert_entries(conn, &entries)?;
                repo::registration::insert_competitors(conn, &competitors)?;
                competitors.len()
            }
            Plan::Experts(rows) => {
                let n = rows.len();
                for fields in rows {
                    let (_, mail) = register_expert(conn, roles, &event_id, public_url, fields, ctx)?;
                    mails.extend(mail);
                }
                n
            }
        };
        repo::audit::record(
            conn,
            ctx,
            Change {
                action: AuditAction::RegistrationImported,
                target_type: AuditTarget::Event,
                target_id: Some((&event_id).into()),
                event_id: Some(&event_id),
                before: None,
                after: Some(json!({"kind": kind.as_str(), "rows": table.rows.len(), "created": created})),
            },
        )?;
        Ok((created, mails))
    })?;
    report.committed = true;
    report.created = created;
    Ok((report, mails))
}

/// The list as a table in the import layout (so an export can be edited and imported
/// elsewhere). ID numbers are masked unless `full_ids`, which is audited.
/// An empty list to fill in (organisers): the header row in `locale`.
pub fn template(
    conn: &mut DbConn,
    roles: &Grants,
    event_id: &EventId,
    kind: ImportKind,
    locale: Locale,
) -> ApiResult<Vec<String>> {
    event_for(conn, roles, event_id, Access::Manage)?;
    Ok(kind.template(locale))
}

pub fn export(
    conn: &mut DbConn,
    roles: &Grants,
    event_id: &EventId,
    kind: ImportKind,
    full_ids: bool,
    ctx: &AuditContext,
) -> ApiResult<(Vec<&'static str>, Vec<Vec<String>>)> {
    let event = event_for(conn, roles, event_id, Access::Manage)?;
    let mut headers: Vec<&'static str> = kind.columns().iter().map(|(name, _)| *name).collect();
    let context = Context::load(conn, event)?;
    let code_of = |id: &DelegationId| {
        context.delegations.iter().find(|d| d.id == *id).map(|d| d.code.clone()).unwrap_or_default()
    };
    let number_of =
        |id: &SkillId| context.skills.iter().find(|s| s.id == *id).map(|s| s.number.clone()).unwrap_or_default();
    let rows = match kind {
        ImportKind::Delegations => context
            .delegations
            .iter()
            .map(|d| {
                let o = |v: &Option<String>| v.clone().unwrap_or_default();
                vec![
                    d.code.clone(),
                    d.name_zh.clone(),
                    d.name_en.clone(),
                    d.kind.to_string(),
                    o(&d.contact_name),
                    o(&d.contact_email),
                    o(&d.contact_phone),
                ]
            })
            .collect(),
        ImportKind::Competitors => {
            headers.extend(["status", "workstation"]);
            let all = repo::registration::list_entries(
                conn,
                &repo::registration::EntryFilter { event_id: event_id.clone(), ..Default::default() },
                repo::PageRequest { page: 1, per_page: i64::MAX / 2 },
            )?
            .items;
            let ids: Vec<EntryId> = all.iter().map(|e| e.id.clone()).collect();
            let members = repo::registration::competitors_of(conn, &ids)?;
            let mut team_no: HashMap<(SkillId, DelegationId), usize> = HashMap::new();
            let mut rows = Vec::new();
            for e in &all {
                let n = team_no.entry((e.skill_id.clone(), e.delegation_id.clone())).or_insert(0);
                *n += 1;
                let team = n.to_string();
                for c in members.iter().filter(|c| c.entry_id == e.id) {
                    rows.push(vec![
                        code_of(&e.delegation_id),
                        number_of(&e.skill_id),
                        team.clone(),
                        c.name.clone(),
                        c.gender.to_string(),
                        c.birth_date.format("%Y-%m-%d").to_string(),
                        if full_ids { c.id_number.clone() } else { rules::mask_id_number(&c.id_number) },
                        e.status.to_string(),
                        e.workstation.map(|w| w.to_string()).unwrap_or_default(),
                    ]);
                }
            }
            rows
        }
        ImportKind::Experts => repo::registration::experts_with_accounts(conn, event_id)?
            .into_iter()
            .map(|(x, email, name)| {
                vec![code_of(&x.delegation_id), number_of(&x.skill_id), name, email, x.position.to_string()]
            })
            .collect(),
    };
    if full_ids && kind == ImportKind::Competitors {
        write_tx(conn, |conn| {
            repo::audit::record(
                conn,
                ctx,
                Change {
                    action: AuditAction::RegistrationExportedWithIdNumbers,
                    target_type: AuditTarget::Event,
                    target_id: Some(event_id.into()),
                    event_id: Some(event_id),
                    before: None,
                    after: Some(json!({"rows": rows.len()})),
                },
            )
        })?;
    }
    Ok((headers, rows))
}
