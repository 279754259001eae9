//! `/api/v1/auth`: sign in, refresh, sign out, passwords, invitations, first-start setup.
//!
//! The access token travels in the JSON body and then in `Authorization: Bearer`; the refresh
//! token only in an HttpOnly, SameSite=Strict cookie scoped to `/api/v1/auth`, so page scripts
//! never see it and other sites cannot send it.

use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Validator;
use crate::auth::{Authenticated, RequestMeta};
use crate::domain::account::{DisplayName, Email, Locale, NewPassword};
use crate::error::{problems, ApiError, ApiResult, ErrorCode, Problem};
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

/// The cookie that carries a new sign-in's refresh token.
fn session_cookie(state: &AppState, refresh_token: String) -> Cookie<'static> {
    refresh_cookie(state, refresh_token, time::Duration::days(state.settings.refresh_token_ttl_days))
}

fn session_response(state: &AppState, mut res: actix_web::HttpResponseBuilder, session: Session) -> HttpResponse {
    res.cookie(session_cookie(state, session.refresh_token)).json(TokenResponse {
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
        .check(account, meta.ip)
        .map_err(|wait| ApiError::RateLimited { retry_after_secs: wait.as_secs().max(1) })
}

fn new_password(field: &str, raw: &str) -> ApiResult<NewPassword> {
    NewPassword::parse(raw).map_err(|m| ApiError::validation(field, m))
}

/// Sign in with email and password. Sets the refresh-token cookie.
#[utoipa::path(tag = "auth", request_body = LoginRequest, responses(
    (status = 200, body = TokenResponse, headers(("set-cookie" = String, description = "The refresh token (HttpOnly)"))),
    (status = 401, description = "Wrong email or password (`invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
    problems::Unprocessable,
    (status = 429, description = "Too many attempts for this account or address", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let LoginRequest { email, password } = body.into_inner();
    let session = sign_in(&state, &meta, email, password).await?;
    Ok(session_response(&state, HttpResponse::Ok(), session))
}

/// The checks, the rate limit and the password verification of a sign-in, whichever way it came.
async fn sign_in(
    state: &web::Data<AppState>,
    meta: &RequestMeta,
    email: String,
    password: String,
) -> ApiResult<Session> {
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
    throttle(state, &email, meta)?;
    let ctx = meta.audit();
    let st = state.clone();
    state.db(move |conn| accounts::login(conn, &issuer(&st), &email, &password, &ctx)).await
}

/// Where a form sign-in goes once it succeeded when the address names no page: the console, which
/// picks the person's workspace.
const SIGNED_IN_PAGE: &str = "/console";

/// The page a sign-in was asked to go on to (`/login?next=/my-results`) if it is a path of this
/// site, as a `Location` may carry it (normalised and percent-encoded by the URL parser): never
/// another site's address (`//host`, `/\host`, a scheme). The check is made on the normalised
/// path, because that is what the browser follows: `/..//host` and `/.//host` resolve to `//host`,
/// which a browser reads as another site.
fn requested_page(query: &str) -> Option<String> {
    let next = url::form_urlencoded::parse(query.as_bytes()).find(|(name, _)| name == "next")?.1;
    if !next.starts_with('/') {
        return None;
    }
    let site = url::Url::parse("http://this-site.invalid/").ok()?;
    // Resolves dot segments, turns `\` into `/` and drops tabs and newlines, as browsers do.
    let page = site.join(&next).ok()?;
    if page.origin() != site.origin() || page.path().starts_with("//") || page.path().starts_with("/\\") {
        return None;
    }
    Some(match page.query() {
        Some(query) => format!("{}?{query}", page.path()),
        None => page.path().to_string(),
    })
}

/// `POST /login`: the sign-in page's own HTML form, which the browser posts when the person signs
/// in before the page's script has arrived (the page is sent already rendered, see `spa.rs`).
/// Fields `email` and `password`, `application/x-www-form-urlencoded`. Success sets the refresh
/// cookie and sends the browser on (303) to the page the address asked for (`?next=`, a path of
/// this site) or else the console, which signs in from that cookie; a refusal sends it back to
/// `/login?failed=<code>` (and `retry_after=<seconds>` when rate limited, and the same `next`),
/// where the page says why. The form has no `action`, so the browser posts it to the page's own
/// address, query included. Only the site's own pages may post it
/// (`Sec-Fetch-Site: same-origin`, or an `Origin` of this host): another site must not be able
/// to sign a visitor into an account of its choosing. Not part of the JSON API (`/api/v1/auth/login`).
pub async fn login_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    meta: RequestMeta,
    body: web::Bytes,
) -> HttpResponse {
    if !posted_by_own_page(&req) {
        return actix_web::ResponseError::error_response(&ApiError::Forbidden {
            code: ErrorCode::CrossSiteForm,
            detail: "the sign-in form is only accepted from this site's own sign-in page".into(),
        });
    }
    let (mut email, mut password) = (String::new(), String::new());
    for (name, value) in url::form_urlencoded::parse(&body) {
        match name.as_ref() {
            "email" => email = value.into_owned(),
            "password" => password = value.into_owned(),
            _ => {}
        }
    }
    let next = requested_page(req.query_string());
    match sign_in(&state, &meta, email, password).await {
        Ok(session) => HttpResponse::SeeOther()
            .insert_header((header::LOCATION, next.as_deref().unwrap_or(SIGNED_IN_PAGE)))
            .cookie(session_cookie(&state, session.refresh_token))
            .finish(),
        Err(err) => {
            err.log();
            let mut back = url::form_urlencoded::Serializer::new(String::new());
            back.append_pair("failed", err.code().as_str());
            if let ApiError::RateLimited { retry_after_secs } = err {
                back.append_pair("retry_after", &retry_after_secs.to_string());
            }
            if let Some(next) = &next {
                back.append_pair("next", next);
            }
            let location = format!("/login?{}", back.finish());
            HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
        }
    }
}

/// Whether a form post comes from a page of this site (browsers say so in `Sec-Fetch-Site`; older
/// ones only in `Origin`, which the site's `Referrer-Policy: no-referrer` turns into `null`).
fn posted_by_own_page(req: &HttpRequest) -> bool {
    let header_value = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header_value("sec-fetch-site") {
        return site == "same-origin";
    }
    let Some(origin) = header_value("origin").and_then(|o| url::Url::parse(o).ok()) else {
        return false;
    };
    let info = req.connection_info();
    let origin_host = match (origin.host_str(), origin.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        (None, _) => return false,
    };
    origin_host.eq_ignore_ascii_case(info.host())
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
            code: ErrorCode::InvalidRefreshToken,
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
    problems::Unauthorized,
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
/// account, so addresses cannot be probed. Reset requests have a budget of their own per address
/// typed and per client address (`SKILLMARK_RESET_PER_…_PER_HOUR`), apart from the sign-in one:
/// beyond it the answer is the same 202, but no mail is sent.
#[utoipa::path(tag = "auth", request_body = PasswordResetRequest, responses(
    (status = 202, description = "Accepted; a mail goes out if the address has an active account and its reset budget is not spent"),
))]
#[post("/auth/password-reset")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<PasswordResetRequest>,
) -> ApiResult<HttpResponse> {
    let email = body.into_inner().email;
    // Never the sign-in budget: requests anyone can make must not lock the owner out.
    if let Err(wait) = state.reset_limiter.check(&email, meta.ip) {
        tracing::warn!(ip = ?meta.ip, retry_after_secs = wait.as_secs(), "password-reset budget spent: no mail sent");
        return Ok(HttpResponse::Accepted().finish());
    }
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
    problems::Unprocessable,
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
    problems::Unprocessable,
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
    problems::Unprocessable,
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

#[cfg(test)]
mod tests {
    use super::requested_page;

    #[test]
    fn a_sign_in_goes_on_only_to_a_page_of_this_site() {
        assert_eq!(requested_page("next=%2Fmy-results").as_deref(), Some("/my-results"));
        assert_eq!(requested_page("failed=x&next=/results/e?q=a%26b").as_deref(), Some("/results/e?q=a&b"));
        assert_eq!(requested_page("next=%2Fresults%2Fe%3Fq%3D%E7%8E%8B").as_deref(), Some("/results/e?q=%E7%8E%8B"));
        // Dot segments are resolved before the page is named.
        assert_eq!(requested_page("next=/x/../my-results").as_deref(), Some("/my-results"));
        assert_eq!(requested_page("next=/../my-results").as_deref(), Some("/my-results"));
        for elsewhere in [
            "",
            "failed=invalid_credentials",
            "next=",
            "next=https%3A%2F%2Fevil.example%2F",
            "next=%2F%2Fevil.example",
            "next=%2F%5Cevil.example",
            "next=%2F%09%2Fevil.example",
            // Dot segments that resolve to `//host`.
            "next=%2F..%2F%2Fevil.example",
            "next=/..//evil.example",
            "next=/x/../..//evil.example/p",
            "next=/.//evil.example",
            "next=/%2e%2e//evil.example",
            "next=/x/%2E%2E/%2E%2E/%5C/evil.example",
            "next=/./\\evil.example",
            "next=javascript%3Aalert(1)",
            "next=my-results",
        ] {
            assert_eq!(requested_page(elsewhere), None, "{elsewhere}");
        }
    }
}
