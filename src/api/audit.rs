//! `/api/v1/audit`: the audit log, for administrators (everything) and organisers (their events).

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Pagination;
use crate::auth::Authenticated;
use crate::db::models::AuditRow;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::ids::{AuditId, EventId, TargetId, UserId};
use crate::domain::role::Role;
use crate::error::{problems, ApiError, ApiResult};
use crate::repo;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_audit).service(verify_audit);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VerifyQuery {
    /// The event whose chains to check (its own and its skills' marking); administrators may
    /// leave it out to check every chain.
    pub event_id: Option<uuid::Uuid>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChainCheck {
    /// `event:<id>`, `skill:<id>` or `system`.
    pub chain: String,
    /// Records checked before the first broken link (or all of them).
    pub records: usize,
    pub intact: bool,
    /// The first broken link: its position in the chain, the record, and what is wrong.
    pub broken_at: Option<i64>,
    pub broken_record: Option<String>,
    pub reason: Option<String>,
}

/// Check the audit log's hash chains for tampering: each record carries the hash of the one
/// before it, so an edited, removed or inserted record is found at the first broken link.
#[utoipa::path(tag = "audit", security(("bearer" = [])), params(VerifyQuery), responses(
    (status = 200, body = Vec<ChainCheck>),
    problems::Forbidden,
    problems::Unprocessable,
))]
#[get("/audit/verify")]
pub async fn verify_audit(
    state: web::Data<AppState>,
    caller: Authenticated,
    query: web::Query<VerifyQuery>,
) -> ApiResult<HttpResponse> {
    let event = query.into_inner().event_id.map(EventId::from);
    let admin = caller.is_admin();
    if !admin && !caller.has(Role::Organiser) {
        return Err(ApiError::forbidden());
    }
    match &event {
        None if !admin => {
            return Err(ApiError::validation("event_id", "is required (organisers check their own events)"))
        }
        Some(e) if !admin && !caller.grants.organises(e) => return Err(ApiError::forbidden()),
        _ => {}
    }
    let checks = state
        .db(move |conn| {
            let prefixes = match &event {
                None => vec![String::new()],
                Some(e) => {
                    let mut p = vec![format!("event:{e}")];
                    p.extend(repo::events::skills_of(conn, e)?.into_iter().map(|s| format!("skill:{}", s.id)));
                    p
                }
            };
            let mut out = Vec::new();
            for chain in repo::audit::chains_like(conn, &prefixes)? {
                let (records, broken) = repo::audit::verify_chain(conn, &chain)?;
                out.push(ChainCheck {
                    chain,
                    records,
                    intact: broken.is_none(),
                    broken_at: broken.as_ref().map(|b| b.seq),
                    broken_record: broken.as_ref().and_then(|b| b.record_id.as_ref().map(AuditId::to_string)),
                    reason: broken.map(|b| b.reason),
                });
            }
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(checks))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    pub id: uuid::Uuid,
    pub at: DateTime<Utc>,
    /// Who acted; absent for the system or an anonymous request.
    pub actor_id: Option<uuid::Uuid>,
    /// The actor's display name, when the actor is an account.
    pub actor_name: Option<String>,
    pub action: AuditAction,
    pub target_type: AuditTarget,
    pub target_id: Option<TargetId>,
    /// What the object is called (a person's name, a skill's number and name, an entry's
    /// skill, delegation and competitors), in both languages; absent when it no longer exists.
    pub target_label: Option<AuditLabel>,
    pub event_id: Option<uuid::Uuid>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
    /// The hash chain the record belongs to, its position and hash (see `/audit/verify`).
    pub chain: Option<String>,
    pub seq: Option<i64>,
    pub hash: Option<String>,
}

/// A name in both languages (most names are the same in both).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditLabel {
    pub zh: String,
    pub en: String,
}

impl AuditLabel {
    fn same(text: String) -> Self {
        Self { zh: text.clone(), en: text }
    }
}

/// The object's name from the names read for the page.
fn label_of(names: &repo::audit::Names, kind: AuditTarget, id: &str) -> Option<AuditLabel> {
    let numbered =
        |(n, zh, en): &(String, String, String)| AuditLabel { zh: format!("{n} {zh}"), en: format!("{n} {en}") };
    match kind {
        AuditTarget::User => names.users.get(id).cloned().map(AuditLabel::same),
        AuditTarget::Skill => names.skills.get(id).map(numbered),
        AuditTarget::Delegation => names.delegations.get(id).map(numbered),
        AuditTarget::Event => names.events.get(id).cloned().map(AuditLabel::same),
        AuditTarget::Competitor => names.competitors.get(id).cloned().map(AuditLabel::same),
        AuditTarget::Entry => names.entries.get(id).map(|(skill, delegation, people)| {
            let base = format!("{skill} {delegation}");
            if people.is_empty() {
                AuditLabel::same(base)
            } else {
                AuditLabel {
                    zh: format!("{base}（{}）", people.join("、")),
                    en: format!("{base} ({})", people.join(", ")),
                }
            }
        }),
        AuditTarget::Expert => names
            .experts
            .get(id)
            .map(|(name, skill, delegation)| AuditLabel::same(format!("{name} · {skill} {delegation}"))),
        AuditTarget::SelectionProgramme | AuditTarget::SelectionStage => None,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries about this event.
    pub event_id: Option<uuid::Uuid>,
    pub action: Option<AuditAction>,
    pub actor_id: Option<uuid::Uuid>,
    pub target_type: Option<AuditTarget>,
    pub target_id: Option<String>,
    /// Entries at or after this time (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Entries before this time (RFC 3339).
    pub to: Option<DateTime<Utc>>,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        Self {
            id: r.id.uuid(),
            at: r.at.and_utc(),
            actor_id: r.actor_id.as_ref().map(UserId::uuid),
            actor_name: None,
            action: r.action,
            target_type: r.target_type,
            target_id: r.target_id,
            target_label: None,
            event_id: r.event_id.as_ref().map(EventId::uuid),
            before: json(r.before_json),
            after: json(r.after_json),
            request_id: r.request_id,
            ip: r.ip,
            chain: r.chain,
            seq: r.seq,
            hash: r.hash,
        }
    }
}

/// Read the audit log, newest first. Organisers see the entries of their events only.
#[utoipa::path(tag = "audit", security(("bearer" = [])), params(AuditQuery, Pagination), responses(
    (status = 200, body = AuditPage),
    problems::Unauthorized,
    problems::Forbidden,
))]
#[get("/audit")]
pub async fn list_audit(
    state: web::Data<AppState>,
    caller: Authenticated,
    query: web::Query<AuditQuery>,
    page: web::Query<Pagination>,
) -> ApiResult<HttpResponse> {
    let event_ids = if caller.is_admin() {
        None
    } else if caller.has(Role::Organiser) {
        Some(caller.grants.organised())
    } else {
        return Err(ApiError::forbidden());
    };
    let page = page.into_inner().parse()?;
    let q = query.into_inner();
    let event_ids = match (q.event_id.map(EventId::from), event_ids) {
        (Some(one), None) => Some(vec![one]),
        (Some(one), Some(mine)) => Some(mine.into_iter().filter(|e| *e == one).collect()),
        (None, mine) => mine,
    };
    let filter = repo::audit::AuditFilter {
        action: q.action,
        actor_id: q.actor_id.map(UserId::from),
        target_type: q.target_type,
        target_id: q.target_id,
        from: q.from.map(|t| t.naive_utc()),
        to: q.to.map(|t| t.naive_utc()),
        event_ids,
    };
    let (result, names) = state
        .db(move |conn| {
            let result = repo::audit::list(conn, &filter, page)?;
            let names = repo::audit::names(conn, &result.items)?;
            Ok((result, names))
        })
        .await?;
    let items = result
        .items
        .into_iter()
        .map(|row| {
            let actor_name = row.actor_id.as_ref().and_then(|a| names.users.get(&a.to_string()).cloned());
            let target_label = row.target_id.as_ref().and_then(|t| label_of(&names, row.target_type, &t.to_string()));
            AuditEntry { actor_name, target_label, ..AuditEntry::from(row) }
        })
        .collect();
    Ok(HttpResponse::Ok().json(AuditPage { items, total: result.total, page: page.page, per_page: page.per_page }))
}
