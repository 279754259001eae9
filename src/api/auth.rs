//! `/api/v1/auth`: sign in, refresh, sign out, passwords, invitations, first-start setup.
//!
//! The access token travels in the JSON body and then in `Authorization: Bearer`; the refresh
//! token only in an HttpOnly, SameSite=Strict cookie scoped to `/api/v1/auth`, so page scripts
//! never see it and other sites cannot send it.

use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Validator;
use crate::auth::{Authenticated, RequestMeta};
use crate::domain::account::{DisplayName, Email, Locale, NewPassword};
use crate::error::{ApiError, ApiResult, Problem};
use crate::service::accounts::{self, FirstAdmin, Issuer, Session};
use crate::state::AppState;

pub const REFRESH_COOKIE: &str = "skillmark_refresh";
const COOKIE_PATH: &str = "/api/v1/auth";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(login)
        .service(refresh)
        .service(logout)
        .service(change_password)
        .service(request_password_reset)
        .service(confirm_password_reset)
        .service(accept_invitation)
        .service(setup);
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires (at most 900).
    pub expires_in: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirm {
    /// The token from the emailed link.
    pub token: String,
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitationRequest {
    pub token: String,
    pub password: String,
    /// Optionally correct the name the inviter typed.
    pub display_name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupRequest {
    /// The one-time setup token printed by the server on its first start.
    pub token: String,
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub locale: Option<Locale>,
}

fn issuer(state: &AppState) -> Issuer<'_> {
    Issuer { jwt: &state.jwt, refresh_ttl_days: state.settings.refresh_token_ttl_days }
}

fn refresh_cookie(state: &AppState, value: String, max_age: time::Duration) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, value)
        .path(COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.settings.secure_cookies())
        .max_age(max_age)
        .finish()
}

fn session_response(state: &AppState, mut res: actix_web::HttpResponseBuilder, session: Session) -> HttpResponse {
    let max_age = time::Duration::days(state.settings.refresh_token_ttl_days);
    res.cookie(refresh_cookie(state, session.refresh_token, max_age)).json(TokenResponse {
        access_token: session.access_token,
        token_type: "Bearer".into(),
        expires_in: session.expires_in,
    })
}

fn cleared_cookie(state: &AppState) -> Cookie<'static> {
    refresh_cookie(state, String::new(), time::Duration::ZERO)
}

fn throttle(state: &AppState, account: &str, meta: &RequestMeta) -> ApiResult<()> {
    state
        .login_limiter
        .check(&account.trim().to_lowercase(), meta.ip)
        .map_err(|wait| ApiError::RateLimited { retry_after_secs: wait.as_secs().max(1) })
}

fn new_password(field: &str, raw: &str) -> ApiResult<NewPassword> {
    NewPassword::parse(raw).map_err(|m| ApiError::validation(field, m))
}

/// Sign in with email and password. Sets the refresh-token cookie.
#[utoipa::path(tag = "auth", request_body = LoginRequest, responses(
    (status = 200, body = TokenResponse, headers(("set-cookie" = String, description = "The refresh token (HttpOnly)"))),
    (status = 401, description = "Wrong email or password (`invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "Too many attempts for this account or address", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let LoginRequest { email, password } = body.into_inner();
    let mut v = Validator::default();
    if email.trim().is_empty() {
        v.check::<(), _>("email", Err("is required"));
    }
    if password.is_empty() {
        v.check::<(), _>("password", Err("is required"));
    }
    if password.chars().count() > NewPassword::MAX_CHARS {
        v.check::<(), _>("password", Err("is too long"));
    }
    v.finish()?;
    throttle(&state, &email, &meta)?;
    let ctx = meta.audit();
    let st = state.clone();
    let session = state.db(move |conn| accounts::login(conn, &issuer(&st), &email, &password, &ctx)).await?;
    Ok(session_response(&state, HttpResponse::Ok(), session))
}

/// Exchange the refresh-token cookie for a new access token and a new refresh token. A refresh
/// token works once: presenting a used one ends the whole sign-in (`refresh_token_reused`).
#[utoipa::path(tag = "auth", responses(
    (status = 200, body = TokenResponse),
    (status = 401, description = "No, expired or reused refresh token", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/refresh")]
pub async fn refresh(state: web::Data<AppState>, req: HttpRequest, meta: RequestMeta) -> ApiResult<HttpResponse> {
    let Some(token) = req.cookie(REFRESH_COOKIE).map(|c| c.value().to_string()).filter(|t| !t.is_empty()) else {
        return Err(ApiError::Unauthorized {
            code: "invalid_refresh_token",
            detail: "no session cookie; sign in".into(),
        });
    };
    let ctx = meta.audit();
    let st = state.clone();
    match state.db(move |conn| accounts::refresh(conn, &issuer(&st), &token, &ctx)).await {
        Ok(session) => Ok(session_response(&state, HttpResponse::Ok(), session)),
        Err(err @ ApiError::Unauthorized { .. }) => {
            let mut res = actix_web::ResponseError::error_response(&err);
            let _ = res.add_cookie(&cleared_cookie(&state));
            Ok(res)
        }
        Err(err) => Err(err),
    }
}

/// Sign out: ends the sign-in the refresh cookie belongs to and clears the cookie.
#[utoipa::path(tag = "auth", responses((status = 204)))]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, req: HttpRequest, meta: RequestMeta) -> ApiResult<HttpResponse> {
    if let Some(token) = req.cookie(REFRESH_COOKIE).map(|c| c.value().to_string()).filter(|t| !t.is_empty()) {
        let ctx = meta.audit();
        state.db(move |conn| accounts::logout(conn, &token, &ctx)).await?;
    }
    Ok(HttpResponse::NoContent().cookie(cleared_cookie(&state)).finish())
}

/// Change one's password. Every other sign-in ends; a new one starts for this client.
#[utoipa::path(tag = "auth", security(("bearer" = [])), request_body = ChangePasswordRequest, responses(
    (status = 200, body = TokenResponse),
    (status = 401, body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Wrong current password or weak new one", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: Authenticated,
    body: web::Json<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let new = new_password("new_password", &body.new_password)?;
    let ctx = caller.audit();
    let st = state.clone();
    let user = caller.user.clone();
    let session = state
        .db(move |conn| accounts::change_password(conn, &issuer(&st), &user, &body.current_password, &new, &ctx))
        .await?;
    Ok(session_response(&state, HttpResponse::Ok(), session))
}

/// Ask for a password-reset link by mail. Always answers 202, whether or not the address has an
/// account, so addresses cannot be probed.
#[utoipa::path(tag = "auth", request_body = PasswordResetRequest, responses(
    (status = 202),
    (status = 429, body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/password-reset")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<PasswordResetRequest>,
) -> ApiResult<HttpResponse> {
    let email = body.into_inner().email;
    throttle(&state, &email, &meta)?;
    let ctx = meta.audit();
    let public_url = state.settings.public_url.clone();
    let mail = state.db(move |conn| accounts::request_password_reset(conn, &public_url, &email, &ctx)).await?;
    if let Some(mail) = mail {
        // Sent in the background: the answer takes as long whether the account exists or not.
        let mailer = state.mailer.clone();
        actix_web::rt::spawn(async move {
            if let Err(e) = mailer.send(&mail).await {
                tracing::error!(error = ?e, "sending password-reset mail failed");
            }
        });
    }
    Ok(HttpResponse::Accepted().finish())
}

/// Set a new password with the token from a reset link. Ends every sign-in of the account.
#[utoipa::path(tag = "auth", request_body = PasswordResetConfirm, responses(
    (status = 204),
    (status = 400, description = "Link invalid, expired or used (`link_invalid_or_expired`)", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/password-reset/confirm")]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<PasswordResetConfirm>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let new = new_password("new_password", &body.new_password)?;
    let ctx = meta.audit();
    state.db(move |conn| accounts::confirm_password_reset(conn, &body.token, &new, &ctx)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Accept an invitation: choose a password and sign in.
#[utoipa::path(tag = "auth", request_body = AcceptInvitationRequest, responses(
    (status = 200, body = TokenResponse),
    (status = 400, description = "Link invalid, expired or used", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/invitation/accept")]
pub async fn accept_invitation(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<AcceptInvitationRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let mut v = Validator::default();
    let new = v.check("password", NewPassword::parse(&body.password));
    let name = body.display_name.as_deref().and_then(|n| v.check("display_name", DisplayName::parse(n)));
    v.finish()?;
    let new = new.ok_or_else(|| ApiError::validation("password", "is required"))?;
    let ctx = meta.audit();
    let st = state.clone();
    let session = state
        .db(move |conn| accounts::accept_invitation(conn, &issuer(&st), &body.token, &new, name.as_ref(), &ctx))
        .await?;
    Ok(session_response(&state, HttpResponse::Ok(), session))
}

/// Create the first administrator with the one-time setup token the server printed when it
/// started with no users.
#[utoipa::path(tag = "auth", request_body = SetupRequest, responses(
    (status = 201, body = TokenResponse),
    (status = 400, description = "Token invalid or used", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Already set up", body = Problem, content_type = "application/problem+json"),
    (status = 422, body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/setup")]
pub async fn setup(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<SetupRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let mut v = Validator::default();
    let email = v.check("email", Email::parse(&body.email));
    let display_name = v.check("display_name", DisplayName::parse(&body.display_name));
    let password = v.check("password", NewPassword::parse(&body.password));
    v.finish()?;
    let (Some(email), Some(display_name), Some(password)) = (email, display_name, password) else {
        return Err(ApiError::internal(anyhow::anyhow!("validated fields missing")));
    };
    let admin = FirstAdmin { email, display_name, password, locale: body.locale.unwrap_or(Locale::ZhCn) };
    throttle(&state, "setup", &meta)?;
    let ctx = meta.audit();
    let st = state.clone();
    let session =
        state.db(move |conn| accounts::setup_first_admin(conn, &issuer(&st), &body.token, &admin, &ctx)).await?;
    Ok(session_response(&state, HttpResponse::Created(), session))
}
