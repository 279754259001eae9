//! The audit log: append-only, written in the same transaction as the change it records.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{Page, PageRequest};
use crate::db::models::{new_id, now, AuditRow};
use crate::db::schema::audit_log;
use crate::db::DbConn;

/// Who acts and through which request; handlers build it, services pass it on.
#[derive(Debug, Clone, Default)]
pub struct AuditContext {
    pub actor_id: Option<String>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<&'a str>,
    pub event_id: Option<&'a str>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub fn record(conn: &mut DbConn, ctx: &AuditContext, change: Change<'_>) -> QueryResult<()> {
    let row = AuditRow {
        id: new_id(),
        at: now(),
        actor_id: ctx.actor_id.clone(),
        action: change.action.to_string(),
        target_type: change.target_type.to_string(),
        target_id: change.target_id.map(str::to_string),
        event_id: change.event_id.map(str::to_string),
        before_json: change.before.map(|v| v.to_string()),
        after_json: change.after.map(|v| v.to_string()),
        request_id: ctx.request_id.clone(),
        ip: ctx.ip.clone(),
    };
    diesel::insert_into(audit_log::table).values(&row).execute(conn).map(|_| ())
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub actor_id: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    /// `None`: every event (admins). `Some(ids)`: only entries of these events.
    pub event_ids: Option<Vec<String>>,
}

pub fn list(conn: &mut DbConn, filter: &AuditFilter, page: PageRequest) -> QueryResult<Page<AuditRow>> {
    let build = || {
        let mut q = audit_log::table.into_boxed();
        if let Some(v) = &filter.action {
            q = q.filter(audit_log::action.eq(v.clone()));
        }
        if let Some(v) = &filter.actor_id {
            q = q.filter(audit_log::actor_id.eq(v.clone()));
        }
        if let Some(v) = &filter.target_type {
            q = q.filter(audit_log::target_type.eq(v.clone()));
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
