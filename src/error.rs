//! One error type for the whole API. Every variant has a stable machine-readable `code` the SPA
//! switches on, and renders as RFC 9457 `application/problem+json`. Causes are logged, never
//! shown to the client.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name in the request (dotted for nested fields), or `body`.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// One problem in an uploaded file, where a spreadsheet user finds it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct RowProblem {
    /// The row number as the spreadsheet shows it (the header is row 1); 0 for the whole file.
    pub row: usize,
    /// The column's header, or empty for the whole row.
    pub column: String,
    /// The problem in English (for logs and clients that do not know the code).
    pub message: String,
    /// What is wrong, for the interface to word in its language (registration imports).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<ImportProblemCode>,
    /// The code's parameters (e.g. `code`, `number`, `first_row`, `max`, `skill`).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub params: std::collections::BTreeMap<String, String>,
}

crate::domain::text_enum! {
    /// The problems a registration import reports, each worded by the interface; `params` of the row
    /// problem carry the values named.
    pub enum ImportProblemCode {
        /// A required column is not in the header.
        MissingColumn,
        /// The file has a header but no data rows.
        NoDataRows,
        /// The cell is empty but required.
        Required,
        /// Longer than `max` characters.
        TooLong,
        /// Not a valid value for its column (a delegation code, name, gender, date, ID number, email).
        Invalid,
        /// The delegation kind is none of region, industry, country, other.
        InvalidKind,
        /// The expert's position is none of expert, chief expert, deputy chief expert.
        InvalidPosition,
        /// Delegation `code` is in the event already.
        DelegationExists,
        /// The value appears twice in the file (`first_row`).
        Duplicate,
        /// No delegation with `code` in the event.
        UnknownDelegation,
        /// No skill numbered `number` in the event.
        UnknownSkill,
        /// Skill `skill` takes no more entries or experts (its results are ratified).
        SkillClosed,
        /// The competitor is outside skill `skill`'s age limit `limit`.
        AgeLimit,
        /// The ID number belongs to a competitor of the event already.
        IdNumberExists,
        /// Skill `skill` has teams of `size`; this team is full.
        TeamFull,
        /// A delegation may enter skill `skill` at most `max` times.
        TooManyEntries,
        /// `email` is an expert in the event already.
        ExpertExists,
    }
}

impl RowProblem {
    /// A problem without a code (scheme sheets, which only the organiser's English detail words).
    pub fn plain(row: usize, column: &str, message: impl Into<String>) -> Self {
        Self { row, column: column.into(), message: message.into(), code: None, params: Default::default() }
    }
    /// A coded problem with its parameters.
    pub fn coded(
        row: usize,
        column: &str,
        code: ImportProblemCode,
        params: &[(&str, String)],
        message: impl Into<String>,
    ) -> Self {
        let params = params.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect();
        Self { row, column: column.into(), message: message.into(), code: Some(code), params }
    }
}

crate::domain::text_enum! {
    /// The stable machine-readable code of every problem the API answers with; the wire name is the
    /// variant in snake_case (`VersionConflict` → `version_conflict`). Clients switch on it, so a
    /// code never changes its meaning; a new situation gets a new code.
    #[derive(strum::VariantArray)]
    pub enum ErrorCode {
        // 400: the request cannot be read.
        /// The JSON body does not parse.
        MalformedJson,
        /// The body could not be read (wrong type, cut off).
        UnreadableBody,
        /// The query string does not fit the operation's parameters.
        InvalidQuery,
        /// A path segment is not what the route expects.
        InvalidPath,
        /// An uploaded spreadsheet could not be read as CSV or XLSX.
        UnreadableFile,
        /// A sign-in, invitation or password-reset link is unknown, expired or used.
        LinkInvalidOrExpired,

        // 401: who is calling is not known.
        /// No valid access token.
        Unauthenticated,
        /// The access token is malformed, expired or revoked.
        InvalidToken,
        /// The session cookie is missing, expired or ended.
        InvalidRefreshToken,
        /// A refresh token was used twice; the whole sign-in is ended.
        RefreshTokenReused,
        /// Wrong email or password.
        InvalidCredentials,

        // 403: known, but not allowed.
        /// The caller's roles do not allow the action.
        Forbidden,
        /// The sign-in form was posted from another site.
        CrossSiteForm,
        /// Only the skill's experts enter marks.
        NotAnExpert,
        /// Experts never mark entries of their own delegation.
        Recusal,
        /// Results are for organisers and the skill's chief experts until they are published.
        ResultsEmbargoed,

        // 404
        /// The resource does not exist, or the caller may not know that it does.
        NotFound,

        // 409: the state of things refuses the request.
        /// The request named an older version; `current` holds the resource as it is now.
        VersionConflict,
        /// A record with these values exists already.
        AlreadyExists,
        /// The request refers to a record that does not exist.
        ReferencedRecordMissing,
        /// The first administrator exists already.
        AlreadySetUp,
        /// Another account uses the email address.
        EmailTaken,
        /// The invited user has accepted the invitation already.
        InvitationAlreadyAccepted,
        /// The last active administrator cannot be deactivated or lose the role.
        LastAdmin,
        /// The user holds the role in this scope already.
        RoleAlreadyGranted,
        /// The database holds the demo event already.
        DemoAlreadyLoaded,
        /// The status change is not one the lifecycle allows.
        InvalidTransition,
        /// Skills and delegations can no longer change in the event's status.
        EventNotConfigurable,
        /// Another skill of the event has the number.
        SkillNumberTaken,
        /// Another delegation of the event has the code.
        DelegationCodeTaken,
        /// Registration is closed.
        RegistrationClosed,
        /// The delegation has its maximum of entries in the skill.
        MaxEntriesReached,
        /// A competitor with the ID number is in the event already (one skill per competitor).
        CompetitorAlreadyRegistered,
        /// Competitors are added to a registered entry only.
        EntryNotOpen,
        /// The team has as many members as the skill allows.
        TeamFull,
        /// A confirmed entry's team does not change.
        EntryConfirmed,
        /// The competitor has an account already.
        AccountExists,
        /// The user is an expert in the event already.
        ExpertAlreadyRegistered,
        /// The workstation draw has no solution (too few workstations).
        DrawImpossible,
        /// The marking scheme is frozen.
        SchemeFrozen,
        /// Marking starts once the marking scheme is frozen.
        SchemeNotFrozen,
        /// Another marking group of the skill has the name.
        GroupNameTaken,
        /// The entry is not confirmed, so it is not marked.
        EntryNotCompeting,
        /// Marks are missing or out of spread, so the sub-criterion cannot be locked.
        NotReadyToLock,
        /// The sub-criterion is locked already.
        AlreadyLocked,
        /// The sub-criterion is locked for the entry; unlock it first.
        SubCriterionLocked,
        /// The skill is not marked anonymously.
        NotAnonymous,
        /// The skill's entries are revealed already.
        AlreadyRevealed,
        /// Entries are revealed only when every mark is locked.
        MarksNotLocked,
        /// Once the skill has marks, how it is marked is fixed.
        SkillMarked,
        /// Not every mark of every entry is locked, so the results cannot be ratified.
        NotAllLocked,
        /// Ratified (or released, or final): only an upheld dispute reopens the results.
        ResultsRatified,
        /// The results are ratified already.
        AlreadyRatified,
        /// The results are not ratified.
        NotRatified,
        /// The results are not released to the public.
        ResultsNotPublic,
        /// The results are not published to the delegations yet.
        ResultsNotPublished,
        /// A release never narrows the audience of results shown already.
        AudienceNarrowing,
        /// An anonymously marked skill reveals its entries before release.
        NotRevealed,
        /// No release of the skill is scheduled.
        NothingScheduled,
        /// Medals are revealed in turn: bronze, silver, gold.
        CeremonyOutOfOrder,
        /// The entry has no results yet.
        EntryWithoutResults,
        /// The notice period is over: the result is final.
        NoticePeriodOver,
        /// The dispute was resolved already.
        AlreadyResolved,
        /// The ratified results hold no award to print a certificate for.
        NoAwards,

        // Statuses of their own.
        /// 413: the body is larger than the operation accepts.
        PayloadTooLarge,
        /// 415: the body is not of a type the operation accepts.
        UnsupportedMediaType,
        /// 422: the request has invalid fields (`errors` lists them).
        ValidationFailed,
        /// 422: the uploaded file has problems (`rows` lists them); nothing was written.
        FileRejected,
        /// 429: too many attempts; `Retry-After` says when to try again.
        RateLimited,
        /// 500: an unexpected error, logged on the server.
        InternalError,
        /// 503: the database is not reachable; `Retry-After` says when to try again.
        ServiceUnavailable,
        /// 503: something the server needs is not installed or configured (e.g. the PDF fonts).
        NotConfigured,
    }
}

impl From<crate::domain::lifecycle::Refusal> for ErrorCode {
    fn from(why: crate::domain::lifecycle::Refusal) -> Self {
        use crate::domain::lifecycle::Refusal;
        match why {
            Refusal::SkillMarked => ErrorCode::SkillMarked,
            Refusal::ResultsRatified => ErrorCode::ResultsRatified,
            Refusal::AlreadyRatified => ErrorCode::AlreadyRatified,
            Refusal::NotRatified => ErrorCode::NotRatified,
            Refusal::NotPublic => ErrorCode::ResultsNotPublic,
            Refusal::NotPublished => ErrorCode::ResultsNotPublished,
            Refusal::NoticeOver => ErrorCode::NoticePeriodOver,
        }
    }
}

/// RFC 9457 problem details as this API sends them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the problem type: `/problems/<code>`.
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code, e.g. `validation_failed`, `invalid_credentials`.
    pub code: ErrorCode,
    /// For validation errors: every invalid field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For rejected files: every problem, by row and column.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowProblem>,
    /// For version conflicts: the current state of the resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<serde_json::Value>,
}

/// The problem responses that many operations share, to name in `#[utoipa::path(responses(..))]`:
/// `responses((status = 200, body = User), problems::Scoped, problems::Conflict)`. Each single
/// one is one status answered with a [`Problem`] as `application/problem+json`; a set is the
/// statuses of its parts, each answered exactly as when named one by one. A status whose cause
/// the operation words itself keeps its own `(status = .., description = .., body = Problem, ..)`.
///
/// The single types have no doc comments: the derive would make them the responses' descriptions.
pub mod problems {
    use std::collections::BTreeMap;

    use super::Problem;
    use utoipa::openapi::{RefOr, Response};
    use utoipa::IntoResponses;

    macro_rules! problem_responses {
        ($($name:ident = $status:tt),* $(,)?) => {$(
            #[derive(IntoResponses)]
            #[response(status = $status, content_type = "application/problem+json")]
            pub struct $name(pub Problem);
        )*};
    }

    problem_responses!(
        Unauthorized = 401,
        Forbidden = 403,
        NotFound = 404,
        Conflict = 409,
        PayloadTooLarge = 413,
        Unprocessable = 422,
        Unavailable = 503,
    );

    macro_rules! problem_sets {
        ($($(#[$doc:meta])* $name:ident = $($part:ident)|+;)*) => {$(
            $(#[$doc])*
            pub struct $name;

            impl IntoResponses for $name {
                fn responses() -> BTreeMap<String, RefOr<Response>> {
                    let mut all = BTreeMap::new();
                    $(all.extend($part::responses());)+
                    all
                }
            }
        )*};
    }

    problem_sets!(
        /// An operation on something in a scope (an event, a skill, an entry…): 403 for a caller
        /// who may see it but not do this, 404 for one who may not see it, or when it is not there.
        Scoped = Forbidden | NotFound;
        /// A change to something in a scope: [`Scoped`], and 409 when its state refuses the change,
        /// 422 when the request's fields are invalid.
        ScopedChange = Scoped | Conflict | Unprocessable;
    );
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("{detail}")]
    BadRequest { code: ErrorCode, detail: String },
    #[error("{detail}")]
    Unauthorized { code: ErrorCode, detail: String },
    #[error("{detail}")]
    Forbidden { code: ErrorCode, detail: String },
    #[error("{what} not found")]
    NotFound { what: &'static str },
    #[error("{detail}")]
    Conflict { code: ErrorCode, detail: String, current: Option<serde_json::Value> },
    #[error("too many requests")]
    RateLimited { retry_after_secs: u64 },
    #[error("{detail}")]
    PayloadTooLarge { detail: String },
    #[error("the file has {} problem(s); nothing was written", .0.len())]
    FileRejected(Vec<RowProblem>),
    #[error("{detail}")]
    UnsupportedMediaType { detail: String },
    #[error("database unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// Something the server needs is not installed or configured (e.g. the PDF fonts).
    #[error("{detail}")]
    NotConfigured { detail: String },
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, message)])
    }
    pub fn forbidden() -> Self {
        ApiError::Forbidden { code: ErrorCode::Forbidden, detail: "your roles do not allow this action".into() }
    }
    pub fn unauthenticated(detail: impl Into<String>) -> Self {
        ApiError::Unauthorized { code: ErrorCode::Unauthenticated, detail: detail.into() }
    }
    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(err.into())
    }

    /// Server-side failures go to the log (the client's own mistakes do not).
    pub fn log(&self) {
        match self {
            ApiError::Internal(cause) => tracing::error!(error = ?cause, "internal error"),
            ApiError::Unavailable(cause) => tracing::warn!(error = %cause, "database unavailable"),
            _ => {}
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Validation(_) => ErrorCode::ValidationFailed,
            ApiError::BadRequest { code, .. }
            | ApiError::Unauthorized { code, .. }
            | ApiError::Forbidden { code, .. }
            | ApiError::Conflict { code, .. } => *code,
            ApiError::NotFound { .. } => ErrorCode::NotFound,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
            ApiError::FileRejected(_) => ErrorCode::FileRejected,
            ApiError::UnsupportedMediaType { .. } => ErrorCode::UnsupportedMediaType,
            ApiError::Unavailable(_) => ErrorCode::ServiceUnavailable,
            ApiError::NotConfigured { .. } => ErrorCode::NotConfigured,
            ApiError::Internal(_) => ErrorCode::InternalError,
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "The request has invalid fields",
            ApiError::BadRequest { .. } => "Bad request",
            ApiError::Unauthorized { .. } => "Authentication required",
            ApiError::Forbidden { .. } => "Forbidden",
            ApiError::NotFound { .. } => "Not found",
            ApiError::Conflict { .. } => "Conflict",
            ApiError::RateLimited { .. } => "Too many requests",
            ApiError::PayloadTooLarge { .. } => "Request body too large",
            ApiError::FileRejected(_) => "The file has problems",
            ApiError::UnsupportedMediaType { .. } => "Unsupported media type",
            ApiError::Unavailable(_) => "Service temporarily unavailable",
            ApiError::NotConfigured { .. } => "Not available on this server",
            ApiError::Internal(_) => "Internal server error",
        }
    }

    pub fn to_problem(&self) -> Problem {
        let detail = match self {
            ApiError::Validation(errors) => {
                errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ")
            }
            ApiError::RateLimited { retry_after_secs } => {
                format!("too many attempts; try again in {retry_after_secs} s")
            }
            ApiError::Unavailable(_) => "the database is not reachable; try again shortly".into(),
            ApiError::Internal(_) => "an unexpected error occurred; it has been logged".into(),
            other => other.to_string(),
        };
        Problem {
            type_: format!("/problems/{}", self.code()),
            title: self.title().into(),
            status: self.status_code().as_u16(),
            detail,
            code: self.code(),
            errors: match self {
                ApiError::Validation(errors) => errors.clone(),
                _ => Vec::new(),
            },
            rows: match self {
                ApiError::FileRejected(rows) => rows.clone(),
                _ => Vec::new(),
            },
            current: match self {
                ApiError::Conflict { current, .. } => current.clone(),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::FileRejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unavailable(_) | ApiError::NotConfigured { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        self.log();
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        match self {
            ApiError::RateLimited { retry_after_secs } => {
                res.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            ApiError::Unavailable(_) => {
                res.insert_header((header::RETRY_AFTER, "5"));
            }
            ApiError::Unauthorized { .. } => {
                res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            _ => {}
        }
        res.body(serde_json::to_string(&self.to_problem()).unwrap_or_default())
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(err: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match err {
            Error::NotFound => ApiError::NotFound { what: "resource" },
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                // The driver's message names tables and values; the client learns only the kind.
                tracing::info!(
                    table = info.table_name(),
                    constraint = info.constraint_name(),
                    cause = info.message(),
                    "unique violation answered as a conflict"
                );
                ApiError::Conflict {
                    code: ErrorCode::AlreadyExists,
                    detail: "a record with these values already exists".into(),
                    current: None,
                }
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => ApiError::Conflict {
                code: ErrorCode::ReferencedRecordMissing,
                detail: "the request refers to a record that does not exist".into(),
                current: None,
            },
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, _)
            | Error::BrokenTransactionManager => ApiError::Unavailable(err.into()),
            Error::DatabaseError(DatabaseErrorKind::Unknown, ref info) if is_connection_problem(info.message()) => {
                ApiError::Unavailable(err.into())
            }
            other => ApiError::Internal(other.into()),
        }
    }
}

/// Messages by which libpq and SQLite report a lost or busy database rather than a bad query.
fn is_connection_problem(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "database is locked",
        "server closed the connection",
        "connection refused",
        "terminating connection",
        "no connection to the server",
        "could not connect",
        "the database system is",
        "broken pipe",
        "connection reset",
        "eof detected",
        "lost synchronization",
        "connection not open",
        "could not receive data",
        "could not send data",
    ]
    .iter()
    .any(|needle| m.contains(needle))
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(err: diesel::r2d2::PoolError) -> Self {
        ApiError::Unavailable(err.into())
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(anyhow::anyhow!("blocking task failed: {err}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_problem_lists_fields() {
        let err = ApiError::Validation(vec![FieldError::new("email", "is not an email address")]);
        let p = err.to_problem();
        assert_eq!(p.status, 422);
        assert_eq!(p.code, ErrorCode::ValidationFailed);
        assert_eq!(p.type_, "/problems/validation_failed");
        assert_eq!(p.errors, vec![FieldError::new("email", "is not an email address")]);
        assert!(p.detail.contains("email"));
    }

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let err = ApiError::internal(anyhow::anyhow!("secret table users_x is broken"));
        let p = err.to_problem();
        assert_eq!(p.status, 500);
        assert!(!p.detail.contains("secret"));
    }

    #[test]
    fn unique_violation_is_a_conflict() {
        use diesel::result::{DatabaseErrorKind, Error};
        let driver = "duplicate key value violates unique constraint \"users_email_key\"".to_string();
        let err: ApiError = Error::DatabaseError(DatabaseErrorKind::UniqueViolation, Box::new(driver)).into();
        let p = err.to_problem();
        assert_eq!((p.status, p.code), (409, ErrorCode::AlreadyExists));
        assert!(!p.detail.contains("users_email_key"), "the driver's message leaked: {}", p.detail);
        assert!(!p.detail.contains("duplicate key"), "the driver's message leaked: {}", p.detail);
    }

    #[test]
    fn a_missing_row_is_not_found() {
        let err: ApiError = diesel::result::Error::NotFound.into();
        assert_eq!(err.code(), ErrorCode::NotFound);
    }

    #[test]
    fn every_code_has_one_wire_name_in_json_and_in_text() {
        use strum::VariantArray;
        for code in ErrorCode::VARIANTS {
            assert_eq!(serde_json::to_value(code).unwrap(), serde_json::json!(code.as_str()));
            assert_eq!(code.to_string(), code.as_str());
        }
        use crate::domain::lifecycle::Refusal::*;
        for why in [SkillMarked, ResultsRatified, AlreadyRatified, NotRatified, NotPublic, NotPublished, NoticeOver] {
            assert_eq!(ErrorCode::from(why).as_str(), why.code(), "a refusal answers with its own code");
        }
        let p =
            ApiError::Conflict { code: ErrorCode::VersionConflict, detail: String::new(), current: None }.to_problem();
        assert_eq!(serde_json::to_value(&p).unwrap()["code"], "version_conflict");
        assert_eq!(p.type_, "/problems/version_conflict");
    }
}
