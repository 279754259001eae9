//! Result mails: queued for competitors and team leaders on release; the organiser's report.

use std::collections::HashMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::snapshot::{ResultLine, SkillSnapshot};
use crate::db::models::{new_id, now, OutboxRow, SkillRow};
use crate::db::DbConn;
use crate::domain::account::Locale;
use crate::domain::ids::{DelegationId, EntryId, EventId, UserId};
use crate::domain::mail::{MailKind, MailStatus};
use crate::domain::role::Grants;
use crate::error::ApiResult;
use crate::mail::templates;
use crate::repo;
use crate::service::access::{self as gate, Access};

pub(super) fn enqueue_result_mails(
    conn: &mut DbConn,
    skill: &SkillRow,
    snap: &SkillSnapshot,
    public_url: &str,
) -> ApiResult<()> {
    // Each reader's own view of the result (a release to delegations is not on the public pages):
    // the competitor's results, the team leader's results of their delegation.
    let public_url = public_url.trim_end_matches('/');
    let link = format!("{public_url}/my-results");
    let entry_ids: Vec<EntryId> = snap.entries.iter().map(|l| l.entry_id.clone()).collect();
    let competitors = repo::registration::competitors_of(conn, &entry_ids)?;
    let user_ids: Vec<UserId> = competitors.iter().filter_map(|c| c.user_id.clone()).collect();
    let users: HashMap<UserId, crate::db::models::UserRow> =
        repo::users::find_many(conn, &user_ids)?.into_iter().map(|u| (u.id.clone(), u)).collect();
    let by_entry: HashMap<&EntryId, &ResultLine> = snap.entries.iter().map(|l| (&l.entry_id, l)).collect();
    let skill_name = |locale: Locale| match locale {
        Locale::ZhCn => format!("{} {}", skill.number, skill.name_zh),
        _ => format!("{} {}", skill.number, skill.name_en),
    };
    let mut mails = Vec::new();
    for c in &competitors {
        let (Some(user), Some(line)) = (c.user_id.as_ref().and_then(|u| users.get(u)), by_entry.get(&c.entry_id))
        else {
            continue;
        };
        if !user.is_active {
            continue;
        }
        let locale = user.locale;
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
    let delegations: Vec<DelegationId> = {
        // The delegations of the snapshot's entries (as stored: identities are never hidden here).
        let mut d: Vec<DelegationId> = repo::registration::entries_of_skill(conn, &skill.id)?
            .into_iter()
            .filter(|e| snap.entries.iter().any(|l| l.entry_id == e.id))
            .map(|e| e.delegation_id)
            .collect();
        d.sort();
        d.dedup();
        d
    };
    for (delegation, user) in repo::users::team_leaders_of(conn, &delegations)? {
        let locale = user.locale;
        let lines: Vec<templates::ResultLineText> = snap
            .entries
            .iter()
            .filter(|l| l.delegation_id == delegation.to_string())
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
            kind: MailKind::Result,
            recipient: m.to,
            subject: m.subject,
            body: m.body,
            status: MailStatus::Pending,
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

pub fn mail_report(conn: &mut DbConn, roles: &Grants, event_id: &EventId) -> ApiResult<MailReport> {
    gate::event_for(conn, roles, event_id, Access::Manage)?;
    let rows = repo::results::mail_of_event(conn, event_id)?;
    let count = |s: MailStatus| rows.iter().filter(|r| r.status == s).count();
    Ok(MailReport {
        pending: count(MailStatus::Pending),
        sent: count(MailStatus::Sent),
        failed: count(MailStatus::Failed),
        failures: rows
            .iter()
            .filter(|r| r.status == MailStatus::Failed || (r.status == MailStatus::Pending && r.attempts > 0))
            .map(|r| MailFailure {
                recipient: r.recipient.clone(),
                subject: r.subject.clone(),
                attempts: r.attempts,
                last_error: r.last_error.clone(),
            })
            .collect(),
    })
}
