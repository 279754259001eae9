//! The audit log: append-only, written in the same transaction as the change it records.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{Page, PageRequest};
use crate::db::models::{new_id, now, AuditRow};
use crate::db::schema::{audit_chains, audit_log};
use crate::db::DbConn;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::ids::{AuditId, EventId, TargetId, UserId};

/// Who acts and through which request; handlers build it, services pass it on.
#[derive(Debug, Clone, Default)]
pub struct AuditContext {
    pub actor_id: Option<UserId>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub action: AuditAction,
    pub target_type: AuditTarget,
    pub target_id: Option<TargetId>,
    pub event_id: Option<&'a EventId>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl<'a> Change<'a> {
    /// A change of one thing of an event, with its state afterwards (no state before).
    pub fn in_event(
        action: AuditAction,
        (target_type, target_id): (AuditTarget, impl Into<TargetId>),
        event_id: &'a EventId,
        after: serde_json::Value,
    ) -> Self {
        Self {
            action,
            target_type,
            target_id: Some(target_id.into()),
            event_id: Some(event_id),
            before: None,
            after: Some(after),
        }
    }

    /// The same change, with the state before it.
    pub fn before(self, before: Option<serde_json::Value>) -> Self {
        Self { before, ..self }
    }
}

/// Records a change in its event's chain (or the system chain).
pub fn record(conn: &mut DbConn, ctx: &AuditContext, change: Change<'_>) -> QueryResult<()> {
    let chain = change.event_id.map(|e| format!("event:{e}")).unwrap_or_else(|| "system".into());
    record_in_chain(conn, ctx, change, &chain)
}

/// Records a change at the head of `chain`. The chain's head row is updated first, which makes
/// concurrent writers to one chain take turns (a row lock on PostgreSQL; SQLite's writer lock),
/// while different chains (skills) do not contend.
pub fn record_in_chain(conn: &mut DbConn, ctx: &AuditContext, change: Change<'_>, chain: &str) -> QueryResult<()> {
    append(conn, chain, vec![unlinked(ctx, change, chain)])
}

/// A record of `change` in `chain`, stamped now, not yet linked: [`append`] numbers it and
/// links it at the chain's head.
pub fn unlinked(ctx: &AuditContext, change: Change<'_>, chain: &str) -> AuditRow {
    AuditRow {
        id: new_id(),
        at: now(),
        actor_id: ctx.actor_id.clone(),
        action: change.action,
        target_type: change.target_type,
        target_id: change.target_id,
        event_id: change.event_id.cloned(),
        before_json: change.before.map(|v| v.to_string()),
        after_json: change.after.map(|v| v.to_string()),
        request_id: ctx.request_id.clone(),
        ip: ctx.ip.clone(),
        chain: Some(chain.to_string()),
        seq: None,
        prev_hash: None,
        hash: None,
    }
}

insert_many!(insert_records, audit_log::table, AuditRow);

/// Appends records (of `chain`, from [`unlinked`]) at the chain's head, in their order: takes
/// their numbers at the head in one statement, links each to the one before, moves the head to
/// the last and stores them, whether one or a batch's worth.
pub fn append(conn: &mut DbConn, chain: &str, mut rows: Vec<AuditRow>) -> QueryResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let n = rows.len() as i64;
    // Take the next numbers at the chain's head in one statement: a new chain's head is created
    // at `n` (a concurrent first writer makes this one the update), an existing one counts on.
    let head = (audit_chains::chain.eq(chain), audit_chains::seq.eq(n), audit_chains::head_hash.eq(""));
    let next = audit_chains::seq.eq(audit_chains::seq + n);
    let returned = (audit_chains::seq, audit_chains::head_hash);
    // The same statement on each engine's own connection (an upsert that returns).
    macro_rules! take_next {
        ($c:expr) => {
            diesel::insert_into(audit_chains::table)
                .values(head)
                .on_conflict(audit_chains::chain)
                .do_update()
                .set(next)
                .returning(returned)
                .get_result($c)?
        };
    }
    let (last, mut prev): (i64, String) = match conn {
        DbConn::Pg(c) => take_next!(c),
        DbConn::Sqlite(c) => take_next!(c),
    };
    for (seq, row) in (last - n + 1..).zip(rows.iter_mut()) {
        debug_assert_eq!(row.chain.as_deref(), Some(chain));
        row.seq = Some(seq);
        row.prev_hash = Some(std::mem::take(&mut prev));
        let hash = row.compute_hash();
        row.hash = Some(hash.clone());
        prev = hash;
    }
    diesel::update(audit_chains::table.find(chain)).set(audit_chains::head_hash.eq(&prev)).execute(conn)?;
    insert_records(conn, &rows)
}

/// Takes the chain's head row until the transaction ends (PostgreSQL; on SQLite the writer lock
/// covers it), creating it if new. Writers that also hold other rows (an entry's) take the chain
/// first, so that they all lock in one order.
pub fn hold_chain(conn: &mut DbConn, chain: &str) -> QueryResult<()> {
    if let DbConn::Pg(c) = conn {
        let head = (audit_chains::chain.eq(chain), audit_chains::seq.eq(0i64), audit_chains::head_hash.eq(""));
        diesel::insert_into(audit_chains::table).values(head).on_conflict_do_nothing().execute(c)?;
        audit_chains::table.find(chain).select(audit_chains::seq).for_update().load::<i64>(c)?;
    }
    Ok(())
}

/// The first broken link of a chain, if any: a record whose hash does not match its contents,
/// or whose predecessor is missing or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub seq: i64,
    pub record_id: Option<AuditId>,
    pub reason: String,
}

/// Walks `chain` from its first record and reports the first broken link (None: intact) and how
/// many records were checked.
pub fn verify_chain(conn: &mut DbConn, chain: &str) -> QueryResult<(usize, Option<BrokenLink>)> {
    let rows: Vec<AuditRow> = audit_log::table
        .filter(audit_log::chain.eq(chain))
        .order(audit_log::seq.asc())
        .select(AuditRow::as_select())
        .load(conn)?;
    let head: Option<(i64, String)> = audit_chains::table
        .find(chain)
        .select((audit_chains::seq, audit_chains::head_hash))
        .get_result(conn)
        .optional()?;
    let mut prev = String::new();
    for (i, r) in rows.iter().enumerate() {
        let expected_seq = i as i64 + 1;
        let broken = |reason: String| {
            Some(BrokenLink { seq: r.seq.unwrap_or(expected_seq), record_id: Some(r.id.clone()), reason })
        };
        if r.seq != Some(expected_seq) {
            return Ok((i, broken(format!("record {expected_seq} is missing"))));
        }
        if r.prev_hash.as_deref() != Some(prev.as_str()) {
            return Ok((i, broken("it does not follow the record before it".into())));
        }
        if r.hash.as_deref() != Some(r.compute_hash().as_str()) {
            return Ok((i, broken("its contents were changed".into())));
        }
        prev = r.hash.clone().unwrap_or_default();
    }
    match head {
        Some((seq, hash)) if seq != rows.len() as i64 || hash != prev => Ok((
            rows.len(),
            Some(BrokenLink {
                seq: rows.len() as i64 + 1,
                record_id: None,
                reason: format!("the chain should end at record {seq}; later records were removed"),
            }),
        )),
        _ => Ok((rows.len(), None)),
    }
}

/// The chains of an event: its own and those of its skills' marking.
pub fn chains_like(conn: &mut DbConn, prefixes: &[String]) -> QueryResult<Vec<String>> {
    let all: Vec<String> =
        audit_chains::table.select(audit_chains::chain).order(audit_chains::chain.asc()).load(conn)?;
    Ok(all.into_iter().filter(|c| prefixes.iter().any(|p| c == p || c.starts_with(p.as_str()))).collect())
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub action: Option<AuditAction>,
    pub actor_id: Option<UserId>,
    pub target_type: Option<AuditTarget>,
    pub target_id: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    /// `None`: every event (admins). `Some(ids)`: only entries of these events.
    pub event_ids: Option<Vec<EventId>>,
}

pub fn list(conn: &mut DbConn, filter: &AuditFilter, page: PageRequest) -> QueryResult<Page<AuditRow>> {
    let build = || {
        let mut q = audit_log::table.into_boxed();
        if let Some(v) = &filter.action {
            q = q.filter(audit_log::action.eq(*v));
        }
        if let Some(v) = &filter.actor_id {
            q = q.filter(audit_log::actor_id.eq(v.clone()));
        }
        if let Some(v) = &filter.target_type {
            q = q.filter(audit_log::target_type.eq(*v));
        }
        if let Some(v) = &filter.target_id {
            q = q.filter(audit_log::target_id.eq(v.clone()));
        }
        if let Some(v) = filter.from {
            q = q.filter(audit_log::at.ge(v));
        }
        if let Some(v) = filter.to {
            q = q.filter(audit_log::at.lt(v));
        }
        if let Some(ids) = &filter.event_ids {
            q = q.filter(audit_log::event_id.eq_any(ids.clone()));
        }
        q
    };
    let total = build().count().get_result(conn)?;
    let items = build()
        .order((audit_log::at.desc(), audit_log::id.desc()))
        .limit(page.per_page)
        .offset(page.offset())
        .select(AuditRow::as_select())
        .load(conn)?;
    Ok(Page { items, total })
}

/// The names the audit records point at (their actors and objects), read with one query per
/// kind of object, so a page of the log is worded without a query per record.
#[derive(Debug, Default)]
pub struct Names {
    /// Account id → display name.
    pub users: HashMap<String, String>,
    /// Skill id → (number, Chinese name, English name).
    pub skills: HashMap<String, (String, String, String)>,
    /// Delegation id → (code, Chinese name, English name).
    pub delegations: HashMap<String, (String, String, String)>,
    /// Event id → name.
    pub events: HashMap<String, String>,
    /// Entry id → (skill number, delegation code, its competitors' names).
    pub entries: HashMap<String, (String, String, Vec<String>)>,
    /// Competitor id → name.
    pub competitors: HashMap<String, String>,
    /// Expert id → (the account's display name, skill number, delegation code).
    pub experts: HashMap<String, (String, String, String)>,
}

pub fn names(conn: &mut DbConn, rows: &[AuditRow]) -> QueryResult<Names> {
    use crate::db::schema::{competitors, delegations, entries, events, experts, skills, users};
    let ids = |kind: AuditTarget| -> Vec<String> {
        let mut v: Vec<String> = rows
            .iter()
            .filter(|r| r.target_type == kind)
            .filter_map(|r| r.target_id.as_ref().map(TargetId::to_string))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    // `$table`'s rows with one of `$ids`: id → the column, or the columns as a tuple (no query
    // without ids).
    macro_rules! by_id {
        ($ids:expr, $table:ident: $($column:ident),+) => {{
            let ids = $ids;
            if ids.is_empty() {
                HashMap::new()
            } else {
                $table::table
                    .filter($table::id.eq_any(&ids))
                    .select(($table::id, ($($table::$column),+)))
                    .load(conn)?
                    .into_iter()
                    .collect()
            }
        }};
    }
    let mut out = Names::default();
    let mut user_ids = ids(AuditTarget::User);
    user_ids.extend(rows.iter().filter_map(|r| r.actor_id.as_ref().map(UserId::to_string)));
    user_ids.sort();
    user_ids.dedup();
    out.users = by_id!(user_ids, users: display_name);
    out.skills = by_id!(ids(AuditTarget::Skill), skills: number, name_zh, name_en);
    out.delegations = by_id!(ids(AuditTarget::Delegation), delegations: code, name_zh, name_en);
    out.events = by_id!(ids(AuditTarget::Event), events: name);
    let entry_ids = ids(AuditTarget::Entry);
    if !entry_ids.is_empty() {
        out.entries = entries::table
            .inner_join(skills::table)
            .inner_join(delegations::table)
            .filter(entries::id.eq_any(&entry_ids))
            .select((entries::id, skills::number, delegations::code))
            .load::<(String, String, String)>(conn)?
            .into_iter()
            .map(|(id, n, c)| (id, (n, c, Vec::new())))
            .collect();
        let names: Vec<(String, String)> = competitors::table
            .filter(competitors::entry_id.eq_any(&entry_ids))
            .order((competitors::entry_id.asc(), competitors::name.asc()))
            .select((competitors::entry_id, competitors::name))
            .load(conn)?;
        for (entry, name) in names {
            if let Some(e) = out.entries.get_mut(&entry) {
                e.2.push(name);
            }
        }
    }
    out.competitors = by_id!(ids(AuditTarget::Competitor), competitors: name);
    let expert_ids = ids(AuditTarget::Expert);
    if !expert_ids.is_empty() {
        out.experts = experts::table
            .inner_join(users::table)
            .inner_join(skills::table)
            .inner_join(delegations::table.on(delegations::id.eq(experts::delegation_id)))
            .filter(experts::id.eq_any(&expert_ids))
            .select((experts::id, users::display_name, skills::number, delegations::code))
            .load::<(String, String, String, String)>(conn)?
            .into_iter()
            .map(|(id, name, n, c)| (id, (name, n, c)))
            .collect();
    }
    Ok(out)
}
