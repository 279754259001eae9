//! HTTP handlers, one module per resource: extract → authorise → `AppState::db` (service/repo)
//! → JSON. Handlers hold no SQL and no rules of their own.

pub mod audit;
pub mod auth;
pub mod events;
pub mod health;
pub mod imports;
pub mod marks;
pub mod registration;
pub mod results;
pub mod schemes;
pub mod selection;
pub mod users;

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{web, HttpRequest};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Authenticated;
use crate::db::DbConn;
use crate::domain::ids::UserId;
use crate::domain::role::Grants;
use crate::error::{ApiError, ErrorCode, FieldError};
use crate::repo::PageRequest;
use crate::state::AppState;

// A request body that is a file's bytes, as it is documented: `type: string, format: binary`
// (a `Vec<u8>` would read as an array of integers, which no client sends). A plain comment: a doc
// comment would land in the OpenAPI document as the schema's description.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(pub Vec<u8>);

/// Largest JSON body accepted (imports, which need more, take files on their own routes).
pub const JSON_LIMIT: usize = 64 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(json_config())
        .app_data(web::QueryConfig::default().error_handler(query_error))
        .app_data(web::PathConfig::default().error_handler(path_error))
        .service(health::healthz)
        .service(health::readyz)
        // The sign-in page's own form (the page itself is the SPA's, `spa.rs`).
        .service(web::resource("/login").guard(actix_web::guard::Post()).to(auth::login_form))
        .service(
            web::scope("/api/v1")
                // Authentication decides before any extractor looks at the path, query or body.
                .wrap(actix_web::middleware::from_fn(crate::auth::extract::resolve_caller))
                // The router tries routes in this order, matching each pattern with a regex: the
                // busiest (public results, marks from the tablets) come first, which made the
                // cached public results 1.2–1.5× faster under wrk (docs/performance.md). No two modules'
                // patterns overlap, so the order decides nothing else.
                .configure(results::configure)
                .configure(marks::configure)
                .configure(auth::configure)
                .configure(users::configure)
                .configure(audit::configure)
                .configure(events::configure)
                .configure(registration::configure)
                .configure(imports::configure)
                .configure(schemes::configure)
                .configure(selection::configure)
                .default_service(web::to(not_found)),
        );
}

/// Any unknown `/api/…` path or method: a problem+json 404, never the SPA's page.
pub async fn not_found() -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::NotFound { what: "API route" })
}

pub fn json_config() -> web::JsonConfig {
    json_config_with_limit(JSON_LIMIT)
}

/// For the few routes whose documents are larger (a marking scheme with its descriptors).
pub fn json_config_with_limit(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default().limit(limit).error_handler(move |err, req| match err {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ApiError::PayloadTooLarge { detail: format!("the request body is larger than {} KiB", limit / 1024) }.into()
        }
        other => json_error(other, req),
    })
}

fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api = match &err {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ApiError::PayloadTooLarge { detail: format!("the request body is larger than {} KiB", JSON_LIMIT / 1024) }
        }
        JsonPayloadError::ContentType => {
            ApiError::UnsupportedMediaType { detail: "send the body as application/json".into() }
        }
        JsonPayloadError::Deserialize(e) if e.is_data() => {
            ApiError::Validation(vec![field_error_from_serde(&e.to_string())])
        }
        JsonPayloadError::Deserialize(e) => {
            ApiError::BadRequest { code: ErrorCode::MalformedJson, detail: format!("the body is not valid JSON: {e}") }
        }
        other => ApiError::BadRequest { code: ErrorCode::UnreadableBody, detail: other.to_string() },
    };
    api.into()
}

/// Names the field in a serde message such as "unknown field `x`, expected …" or
/// "missing field `email`"; otherwise `body`.
fn field_error_from_serde(message: &str) -> FieldError {
    let field = message
        .split('`')
        .nth(1)
        .filter(|_| message.starts_with("unknown field") || message.starts_with("missing field"))
        .unwrap_or("body");
    let message = message.split(" at line ").next().unwrap_or(message);
    FieldError::new(field, message)
}

fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let detail = match &err {
        QueryPayloadError::Deserialize(e) => e.to_string(),
        other => other.to_string(),
    };
    ApiError::BadRequest { code: ErrorCode::InvalidQuery, detail: format!("the query string is invalid: {detail}") }
        .into()
}

/// A malformed id in a path names nothing: 404, as an unknown one (`domain::ids`).
fn path_error(err: PathError, _req: &HttpRequest) -> actix_web::Error {
    match crate::domain::ids::what_of_invalid(&err.to_string()) {
        Some(what) => ApiError::NotFound { what }.into(),
        None => ApiError::BadRequest { code: ErrorCode::InvalidPath, detail: err.to_string() }.into(),
    }
}

/// `?page=&per_page=` of every list.
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Pagination {
    /// 1-based page number (default 1).
    pub page: Option<i64>,
    /// Items per page, 1–500 (default 50).
    pub per_page: Option<i64>,
}

impl Pagination {
    pub fn parse(self) -> Result<PageRequest, ApiError> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(50);
        let mut errors = Vec::new();
        if !(1..=1_000_000).contains(&page) {
            errors.push(FieldError::new("page", "must be between 1 and 1000000"));
        }
        if !(1..=500).contains(&per_page) {
            errors.push(FieldError::new("per_page", "must be between 1 and 500"));
        }
        if errors.is_empty() {
            Ok(PageRequest { page, per_page })
        } else {
            Err(ApiError::Validation(errors))
        }
    }
}

/// Collects field errors from parsing steps and fails with all of them at once.
#[derive(Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn check<T, E: ToString>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push(FieldError::new(field, e.to_string()));
                None
            }
        }
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.errors))
        }
    }
}

/// The file format a download asks for (`format=csv|xlsx`), `default` when it names none.
pub fn download_format(
    asked: Option<&str>,
    default: crate::formats::tabular::Format,
) -> Result<crate::formats::tabular::Format, ApiError> {
    use crate::formats::tabular::Format;
    match asked {
        None => Ok(default),
        Some("csv") => Ok(Format::Csv),
        Some("xlsx") => Ok(Format::Xlsx),
        Some(_) => Err(ApiError::validation("format", "must be csv or xlsx")),
    }
}

/// Runs `read(conn, the caller's grants, the path's id)` on a pooled connection: how a handler
/// reads what the id in its path names.
pub async fn read_by_id<I: Send + 'static, T: Send + 'static>(
    state: &AppState,
    caller: &Authenticated,
    id: web::Path<I>,
    read: impl FnOnce(&mut DbConn, &Grants, &I) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let (id, roles) = (id.into_inner(), caller.grants.clone());
    state.db(move |conn| read(conn, &roles, &id)).await
}

/// `read_by_id` for reads that also depend on who asks: `read` gets the caller's user id first.
pub async fn read_own_by_id<I: Send + 'static, T: Send + 'static>(
    state: &AppState,
    caller: &Authenticated,
    id: web::Path<I>,
    read: impl FnOnce(&mut DbConn, &UserId, &Grants, &I) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let user = caller.user.id.clone();
    read_by_id(state, caller, id, move |conn, roles, id| read(conn, &user, roles, id)).await
}

/// A table written as CSV or XLSX (the XLSX's one sheet named `sheet`).
pub fn write_table(
    format: crate::formats::tabular::Format,
    sheet: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, ApiError> {
    use crate::formats::tabular::{write_csv, write_xlsx, Format};
    match format {
        Format::Csv => Ok(write_csv(headers, rows)),
        Format::Xlsx => {
            write_xlsx(sheet, headers, rows).map_err(|e| ApiError::internal(anyhow::anyhow!(e.to_string())))
        }
    }
}

/// A CSV or XLSX download named `stem.csv` / `stem.xlsx`.
pub fn download(format: crate::formats::tabular::Format, stem: &str, bytes: Vec<u8>) -> actix_web::HttpResponse {
    use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
    actix_web::HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!("{stem}.{}", format.extension()))],
        })
        .body(bytes)
}

/// A printable PDF, shown in the browser (`inline`) under `name`.
pub fn pdf_download(name: &str, pdf: Vec<u8>) -> actix_web::HttpResponse {
    use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
    actix_web::HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Inline,
            parameters: vec![DispositionParam::Filename(name.into())],
        })
        .body(pdf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_name_the_field() {
        let f = field_error_from_serde("unknown field `admin`, expected `email` or `password` at line 1 column 9");
        assert_eq!(f.field, "admin");
        assert_eq!(f.message, "unknown field `admin`, expected `email` or `password`");
        assert_eq!(field_error_from_serde("missing field `email` at line 1 column 2").field, "email");
        assert_eq!(
            field_error_from_serde("invalid type: integer `5`, expected a string at line 1 column 12").field,
            "body"
        );
    }

    #[test]
    fn pagination_bounds() {
        let p = Pagination { page: None, per_page: None }.parse().unwrap();
        assert_eq!((p.page, p.per_page, p.offset()), (1, 50, 0));
        assert!(Pagination { page: Some(0), per_page: None }.parse().is_err());
        assert!(Pagination { page: Some(1), per_page: Some(501) }.parse().is_err());
        assert_eq!(Pagination { page: Some(3), per_page: Some(20) }.parse().unwrap().offset(), 40);
    }
}
