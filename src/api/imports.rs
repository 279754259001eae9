//! Bulk import and export of registration lists (CSV or XLSX).

use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Authenticated;
use crate::domain::account::Locale;
use crate::domain::ids::EventId;
use crate::error::{problems, ApiError, ApiResult, ErrorCode, Problem};
use crate::formats::tabular::{self, Format};
use crate::service::imports::{self as svc, ImportKind, ImportReport};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/events/{id}/imports/{kind}").route(web::post().to(import_list)))
        .service(export_list)
        .service(import_template);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `false` (default): check only and report every problem. `true`: write everything, or
    /// nothing when there is any problem.
    #[serde(default)]
    pub commit: bool,
    /// The file's name, used to tell CSV from XLSX when the content does not.
    pub filename: Option<String>,
}

fn kind_of(raw: &str) -> ApiResult<ImportKind> {
    ImportKind::parse(raw).ok_or(ApiError::NotFound { what: "list (use delegations, competitors or experts)" })
}

/// Import delegations, competitors (with their entries: rows with the same delegation, skill and
/// `team` form one entry) or experts from a CSV (UTF-8 or GBK) or XLSX file sent as the body.
/// Organisers only. Problems are reported per row and column; a commit with problems writes
/// nothing (422).
#[utoipa::path(
    post,
    path = "/events/{id}/imports/{kind}",
    tag = "registration",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path), ("kind" = String, Path, description = "delegations, competitors or experts"), ImportQuery),
    request_body(content = inline(super::FileBytes), content_type = "application/octet-stream", description = "The CSV or XLSX file"),
    responses(
        (status = 200, description = "Dry run: the report", body = ImportReport),
        (status = 201, description = "Committed", body = ImportReport),
        problems::Scoped,
        problems::Conflict,
        problems::PayloadTooLarge,
        (status = 400, description = "Not a readable CSV or XLSX file (`unreadable_file`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Commit refused (`file_rejected`): `rows` lists every problem; nothing was written", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn import_list(
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<(EventId, String)>,
    query: web::Query<ImportQuery>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let body = read_limited(payload, tabular::MAX_BYTES).await?;
    let (id, kind) = path.into_inner();
    let kind = kind_of(&kind)?;
    let query = query.into_inner();
    let format = Format::detect(&body, query.filename.as_deref());
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let public_url = state.settings.public_url.clone();
    let (report, mails) = state
        .db(move |conn| {
            // Who may import is settled before the file is even read.
            crate::service::access::event_for(conn, &roles, &id, crate::service::access::Access::Manage)?;
            let table = tabular::read_table(&body, format)
                .map_err(|e| ApiError::BadRequest { code: ErrorCode::UnreadableFile, detail: e.to_string() })?;
            svc::import(conn, &roles, &id, svc::Upload { kind, table: &table, commit: query.commit }, &public_url, &ctx)
        })
        .await?;
    for mail in &mails {
        if let Err(e) = state.mailer.send(mail).await {
            tracing::error!(error = ?e, to = %mail.to, "invitation mail of an imported expert failed");
        }
    }
    Ok(if report.committed { HttpResponse::Created().json(report) } else { HttpResponse::Ok().json(report) })
}

/// Reads a request body of at most `limit` bytes (spreadsheets are larger than JSON bodies).
pub(crate) async fn read_limited(mut payload: web::Payload, limit: usize) -> ApiResult<Vec<u8>> {
    use futures_util::StreamExt;
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::BadRequest { code: ErrorCode::UnreadableBody, detail: e.to_string() })?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge {
                detail: format!("files may be at most {} MiB", limit / (1024 * 1024)),
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `csv` (default, UTF-8 with BOM for Excel) or `xlsx`.
    pub format: Option<String>,
    /// Include full ID numbers (competitors only; audited). Default masked.
    #[serde(default)]
    pub include_id_numbers: bool,
}

/// Export a registration list in the import layout (organisers). Cells that a spreadsheet would
/// run as formulas are neutralised.
#[utoipa::path(
    tag = "registration",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path), ("kind" = String, Path, description = "delegations, competitors or experts"), ExportQuery),
    responses(
        (status = 200, description = "The file", content_type = "text/csv"),
        problems::Scoped,
        problems::Unprocessable,
    )
)]
#[get("/events/{id}/exports/{kind}")]
pub async fn export_list(
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<(EventId, String)>,
    query: web::Query<ExportQuery>,
) -> ApiResult<HttpResponse> {
    let (id, kind) = path.into_inner();
    let kind = kind_of(&kind)?;
    let query = query.into_inner();
    let format = super::download_format(query.format.as_deref(), Format::Csv)?;
    let (roles, ctx) = (caller.grants.clone(), caller.audit());
    let full = query.include_id_numbers;
    let bytes = state
        .db(move |conn| {
            let (headers, rows) = svc::export(conn, &roles, &id, kind, full, &ctx)?;
            super::write_table(format, kind.as_str(), &headers, &rows)
        })
        .await?;
    Ok(super::download(format, kind.as_str(), bytes))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateQuery {
    /// `csv` (default, UTF-8 with BOM for Excel) or `xlsx`.
    pub format: Option<String>,
    /// The headers' language (default Chinese); the import takes either.
    pub lang: Option<Locale>,
}

/// An empty list to fill in and import (organisers): the header row in the caller's language,
/// required columns marked `*`.
#[utoipa::path(
    tag = "registration",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path), ("kind" = String, Path, description = "delegations, competitors or experts"), TemplateQuery),
    responses(
        (status = 200, description = "The file", content_type = "text/csv"),
        problems::Scoped,
        problems::Unprocessable,
    )
)]
#[get("/events/{id}/imports/{kind}/template")]
pub async fn import_template(
    state: web::Data<AppState>,
    caller: Authenticated,
    path: web::Path<(EventId, String)>,
    query: web::Query<TemplateQuery>,
) -> ApiResult<HttpResponse> {
    let (id, kind) = path.into_inner();
    let kind = kind_of(&kind)?;
    let query = query.into_inner();
    let format = super::download_format(query.format.as_deref(), Format::Csv)?;
    let locale = query.lang.unwrap_or(Locale::ZhCn);
    let roles = caller.grants.clone();
    let bytes = state
        .db(move |conn| {
            let headers = svc::template(conn, &roles, &id, kind, locale)?;
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            super::write_table(format, kind.as_str(), &headers, &[])
        })
        .await?;
    Ok(super::download(format, &format!("{}-template", kind.as_str()), bytes))
}
