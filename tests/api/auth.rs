use reqwest::Method;
use serde_json::{json, Value};

use skillmark::domain::audit::AuditAction;

use crate::both_engines;
use crate::helpers::{assert_problem, eventually, refresh_cookie, TestApp, PASSWORD};

both_engines!(
    first_start_setup_creates_the_first_admin_once,
    login_refresh_rotates_and_reuse_revokes_the_chain,
    logout_ends_the_session,
    wrong_credentials_are_refused_alike_and_audited,
    password_change_ends_other_sessions,
    tokens_that_are_forged_expired_or_outdated_are_refused,
    the_sign_in_page_form_signs_in_without_the_script,
    the_sign_in_page_form_is_refused_to_other_sites,
    password_reset_requests_never_lock_the_owner_out,
    common_passwords_and_control_characters_are_refused_wherever_a_password_is_chosen,
);

async fn first_start_setup_creates_the_first_admin_once(app: TestApp) {
    let token = app.setup_token.clone().expect("an empty database gets a setup token");
    let body =
        |t: &str| json!({"token": t, "email": "Chief@Skills.cn", "display_name": "组委会管理员", "password": PASSWORD});

    let res = app.call(Method::POST, "/api/v1/auth/setup", None, Some(body("not-the-token"))).await;
    assert_problem(res, 400, "link_invalid_or_expired").await;
    let res = app
        .call(
            Method::POST,
            "/api/v1/auth/setup",
            None,
            Some(json!({"token": token, "email": "x", "display_name": "", "password": "short"})),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["email", "display_name", "password"]);

    let res = app.call(Method::POST, "/api/v1/auth/setup", None, Some(body(&token))).await;
    assert_eq!(res.status(), 201);
    let access = res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string();
    let me: Value = app.get("/api/v1/me", &access).await.json().await.unwrap();
    assert_eq!(me["email"], "chief@skills.cn");
    assert_eq!(me["display_name"], "组委会管理员");
    assert_eq!(me["roles"][0]["role"], "admin");
    assert_eq!(me["status"], "active");

    let res = app.call(Method::POST, "/api/v1/auth/setup", None, Some(body(&token))).await;
    assert_problem(res, 409, "already_set_up").await;
    assert!(app.audit_actions().await.contains(&AuditAction::UserFirstAdminCreated));
}

async fn login_refresh_rotates_and_reuse_revokes_the_chain(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let res = app
        .call(Method::POST, "/api/v1/auth/login", None, Some(json!({"email": "ADMIN@skills.cn", "password": PASSWORD})))
        .await;
    assert_eq!(res.status(), 200);
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("skillmark_refresh="))
        .unwrap();
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(cookie.contains(attr), "refresh cookie lacks {attr}: {cookie}");
    }
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    let expires_in = body["expires_in"].as_i64().unwrap();
    assert!(expires_in > 0 && expires_in <= 900, "access tokens live at most 15 minutes");

    let (_, first) = app.login_raw("admin@skills.cn", PASSWORD).await;
    let res = app.refresh_with(&first).await;
    assert_eq!(res.status(), 200);
    let second = refresh_cookie(&res).expect("refresh rotates the cookie");
    assert_ne!(first, second);
    let access: Value = res.json().await.unwrap();
    let access = access["access_token"].as_str().unwrap();
    assert_eq!(app.get("/api/v1/me", access).await.status(), 200);

    // The rotated token comes back (stolen copy): the whole chain ends.
    let res = app.refresh_with(&first).await;
    assert_problem(res, 401, "refresh_token_reused").await;
    let res = app.refresh_with(&second).await;
    assert_problem(res, 401, "invalid_refresh_token").await;
    assert!(app.audit_actions().await.contains(&AuditAction::AuthRefreshTokenReused));

    // The cookie-keeping client refreshes on its own cookie, and the other sign-in is unaffected.
    let res = app.call(Method::POST, "/api/v1/auth/refresh", None, None).await;
    assert_eq!(res.status(), 200, "the first sign-in's chain is separate");
    let res = app.refresh_with("made-up").await;
    assert_problem(res, 401, "invalid_refresh_token").await;
    let res = reqwest::Client::new().post(app.url("/api/v1/auth/refresh")).send().await.unwrap();
    assert_problem(res, 401, "invalid_refresh_token").await;
}

async fn logout_ends_the_session(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let (_, refresh) = app.login_raw("admin@skills.cn", PASSWORD).await;
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/auth/logout"))
        .header("cookie", format!("skillmark_refresh={refresh}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let cleared = res.headers()["set-cookie"].to_str().unwrap();
    assert!(cleared.starts_with("skillmark_refresh=;") && cleared.contains("Max-Age=0"), "{cleared}");
    assert_problem(app.refresh_with(&refresh).await, 401, "invalid_refresh_token").await;
    // Logging out without a session is harmless.
    let res = reqwest::Client::new().post(app.url("/api/v1/auth/logout")).send().await.unwrap();
    assert_eq!(res.status(), 204);
    assert!(app.audit_actions().await.contains(&AuditAction::AuthLogout));
}

async fn wrong_credentials_are_refused_alike_and_audited(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let wrong = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "admin@skills.cn", "password": "wrong password!"})),
        )
        .await;
    let wrong = assert_problem(wrong, 401, "invalid_credentials").await;
    let unknown = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "nobody@skills.cn", "password": "wrong password!"})),
        )
        .await;
    let unknown = assert_problem(unknown, 401, "invalid_credentials").await;
    assert_eq!(wrong["detail"], unknown["detail"], "an unknown account looks like a wrong password");
    assert!(app.audit_actions().await.contains(&AuditAction::AuthLoginFailed));
    let res = app.call(Method::POST, "/api/v1/auth/login", None, Some(json!({"email": "", "password": ""}))).await;
    assert_problem(res, 422, "validation_failed").await;
}

both_engines!(login_is_rate_limited_per_account_and_per_address(
    "SKILLMARK_LOGIN_PER_ACCOUNT_PER_MINUTE" = "3",
    "SKILLMARK_LOGIN_PER_ADDRESS_PER_MINUTE" = "6",
));

async fn login_is_rate_limited_per_account_and_per_address(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let attempt = |email: &'static str| {
        app.call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": email, "password": "guess guess guess"})),
        )
    };
    for _ in 0..3 {
        assert_eq!(attempt("admin@skills.cn").await.status(), 401);
    }
    let res = attempt("admin@skills.cn").await;
    let retry: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    assert_problem(res, 429, "rate_limited").await;
    // The right password does not get through either while the account is throttled.
    let res = app
        .call(Method::POST, "/api/v1/auth/login", None, Some(json!({"email": "admin@skills.cn", "password": PASSWORD})))
        .await;
    assert_eq!(res.status(), 429);
    // Other accounts from the same address have the address budget left (6 - 5 used)…
    assert_eq!(attempt("other@skills.cn").await.status(), 401);
    // …and then the address itself is throttled.
    assert_problem(attempt("third@skills.cn").await, 429, "rate_limited").await;
}

async fn password_change_ends_other_sessions(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let (other_access, other_refresh) = app.login_raw("admin@skills.cn", PASSWORD).await;
    let access = app.login("admin@skills.cn", PASSWORD).await;

    let change = |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let res = app
        .call(
            Method::POST,
            "/api/v1/auth/password",
            Some(&access),
            Some(change("not mine at all", "a much better secret")),
        )
        .await;
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "current_password");
    let res = app.call(Method::POST, "/api/v1/auth/password", Some(&access), Some(change(PASSWORD, "short"))).await;
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "new_password");

    let res = app
        .call(Method::POST, "/api/v1/auth/password", Some(&access), Some(change(PASSWORD, "a much better secret")))
        .await;
    assert_eq!(res.status(), 200);
    let fresh = res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string();
    assert_eq!(app.get("/api/v1/me", &fresh).await.status(), 200);
    assert_problem(app.get("/api/v1/me", &other_access).await, 401, "invalid_token").await;
    assert_problem(app.refresh_with(&other_refresh).await, 401, "invalid_refresh_token").await;
    let res = app
        .call(Method::POST, "/api/v1/auth/login", None, Some(json!({"email": "admin@skills.cn", "password": PASSWORD})))
        .await;
    assert_eq!(res.status(), 401);
    app.login("admin@skills.cn", "a much better secret").await;
}

async fn tokens_that_are_forged_expired_or_outdated_are_refused(app: TestApp) {
    let id = app.admin("admin@skills.cn").await;
    let access = app.login("admin@skills.cn", PASSWORD).await;

    // Signed with another key.
    let forged =
        skillmark::auth::tokens::JwtKeys::new(b"someone else's key, 32 bytes long!", 900).issue(&id, 1).unwrap();
    assert_problem(app.get("/api/v1/me", &forged).await, 401, "invalid_token").await;
    // Expired (signed with the server's own key).
    let secret = app
        .state
        .db(|conn| Ok(skillmark::repo::secrets::get_or_create(conn, "jwt_secret", String::new)?))
        .await
        .unwrap();
    let expired = skillmark::auth::tokens::JwtKeys::new(secret.as_bytes(), -120).issue(&id, 1).unwrap();
    assert_problem(app.get("/api/v1/me", &expired).await, 401, "invalid_token").await;
    // Malformed header and no header.
    let res =
        app.client.get(app.url("/api/v1/me")).header("authorization", "Basic YWRtaW46YWRtaW4=").send().await.unwrap();
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    assert_problem(res, 401, "unauthenticated").await;
    assert_eq!(app.get("/api/v1/me", &access).await.status(), 200);
}

/// A browser's form post of the sign-in page (`POST /login`), redirects not followed.
async fn post_sign_in_form(app: &TestApp, body: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    post_sign_in_form_at(app, "/login", body, headers).await
}

/// The same from the sign-in page at `address` (the form has no `action`: the browser posts it to
/// the page's own address, query included).
async fn post_sign_in_form_at(app: &TestApp, address: &str, body: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut req = client
        .post(app.url(address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_string());
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req.send().await.unwrap()
}

const SAME_ORIGIN: &[(&str, &str)] = &[("sec-fetch-site", "same-origin")];

fn location(res: &reqwest::Response) -> &str {
    res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default()
}

async fn the_sign_in_page_form_signs_in_without_the_script(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let form = format!("email=ADMIN%40skills.cn&password={}", url_encoded(PASSWORD));

    // The right password: on to the console with the refresh cookie, which signs the app in.
    let res = post_sign_in_form(&app, &form, SAME_ORIGIN).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/console");
    let refresh = refresh_cookie(&res).expect("the form sign-in sets the refresh cookie");
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("skillmark_refresh="))
        .unwrap()
        .to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let res = app.refresh_with(&refresh).await;
    assert_eq!(res.status(), 200, "the console signs in from the cookie");
    assert!(res.json::<Value>().await.unwrap()["access_token"].is_string());

    // Refused: back to the sign-in page, which says why; no cookie.
    let res = post_sign_in_form(&app, "email=admin%40skills.cn&password=not+the+password", SAME_ORIGIN).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/login?failed=invalid_credentials");
    assert!(refresh_cookie(&res).is_none());
    for body in ["", "email=&password=", "email=admin%40skills.cn", "%%%&&==;password", "password=x&email=%20"] {
        let res = post_sign_in_form(&app, body, SAME_ORIGIN).await;
        assert_eq!(res.status(), 303, "body {body:?}");
        assert_eq!(location(&res), "/login?failed=validation_failed", "body {body:?}");
    }
    // Both ways of signing in are audited alike.
    let actions = app.audit_actions().await;
    assert_eq!(actions.iter().filter(|a| **a == AuditAction::AuthLogin).count(), 1);
    assert_eq!(actions.iter().filter(|a| **a == AuditAction::AuthLoginFailed).count(), 1);
}

async fn the_sign_in_page_form_is_refused_to_other_sites(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let form = format!("email=admin%40skills.cn&password={}", url_encoded(PASSWORD));
    let own_origin = app.base.clone();
    // Another site's page must not sign its visitors into an account of its choosing.
    for headers in [
        &[("sec-fetch-site", "cross-site")][..],
        &[("sec-fetch-site", "same-site")][..],
        &[("origin", "http://evil.test")][..],
        &[("origin", "null")][..],
        &[][..],
    ] {
        let res = post_sign_in_form(&app, &form, headers).await;
        assert!(refresh_cookie(&res).is_none(), "{headers:?}");
        assert_problem(res, 403, "cross_site_form").await;
    }
    // A browser that only sends `Origin` is accepted from the site itself.
    let res = post_sign_in_form(&app, &form, &[("origin", own_origin.as_str())]).await;
    assert_eq!(res.status(), 303);
    assert!(refresh_cookie(&res).is_some());
}

// More sign-ins than the default budget of one account allows in a minute.
both_engines!(the_sign_in_page_form_goes_on_to_the_page_asked_for("SKILLMARK_LOGIN_PER_ACCOUNT_PER_MINUTE" = "100"));

async fn the_sign_in_page_form_goes_on_to_the_page_asked_for(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let form = format!("email=admin%40skills.cn&password={}", url_encoded(PASSWORD));
    // `/login?next=/my-results`: a competitor who followed a link to their results gets there.
    let res = post_sign_in_form_at(&app, "/login?next=%2Fmy-results", &form, SAME_ORIGIN).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/my-results");
    assert!(refresh_cookie(&res).is_some());
    // A search with non-ASCII text survives, percent-encoded as a `Location` must be.
    let res = post_sign_in_form_at(&app, "/login?next=%2Fresults%2Fe%3Fq%3D%E7%8E%8B", &form, SAME_ORIGIN).await;
    assert_eq!(location(&res), "/results/e?q=%E7%8E%8B");
    // A refusal keeps where to go next for the second try (the page posts to its own address).
    let res =
        post_sign_in_form_at(&app, "/login?next=%2Fmy-results", "email=admin%40skills.cn&password=nope", SAME_ORIGIN)
            .await;
    assert_eq!(location(&res), "/login?failed=invalid_credentials&next=%2Fmy-results");
    let res =
        post_sign_in_form_at(&app, "/login?failed=invalid_credentials&next=%2Fmy-results", &form, SAME_ORIGIN).await;
    assert_eq!(location(&res), "/my-results");
    // Dot segments resolve first: `/x/../my-results` is `/my-results`.
    let res = post_sign_in_form_at(&app, "/login?next=%2Fx%2F..%2Fmy-results", &form, SAME_ORIGIN).await;
    assert_eq!(location(&res), "/my-results");
    // Never on to another site: the console instead. `/..//evil.test`, `/x/../..//evil.test/p` and
    // `/.//evil.test` resolve to `//evil.test`, which a browser follows to that host.
    for elsewhere in [
        "https%3A%2F%2Fevil.test%2F",
        "%2F%2Fevil.test",
        "%2F%5Cevil.test",
        "%2F..%2F%2Fevil.test",
        "/..//evil.test",
        "%2Fx%2F..%2F..%2F%2Fevil.test%2Fp",
        "%2F.%2F%2Fevil.test",
        "%2F.%2F%5Cevil.test",
    ] {
        let res = post_sign_in_form_at(&app, &format!("/login?next={elsewhere}"), &form, SAME_ORIGIN).await;
        assert_eq!(res.status(), 303);
        assert_eq!(location(&res), "/console", "next={elsewhere}");
    }
}

both_engines!(the_sign_in_page_form_says_when_to_try_again("SKILLMARK_LOGIN_PER_ACCOUNT_PER_MINUTE" = "2"));

async fn the_sign_in_page_form_says_when_to_try_again(app: TestApp) {
    app.admin("admin@skills.cn").await;
    for _ in 0..2 {
        let res = post_sign_in_form(&app, "email=admin%40skills.cn&password=guess", SAME_ORIGIN).await;
        assert_eq!(location(&res), "/login?failed=invalid_credentials");
    }
    let res = post_sign_in_form(&app, "email=admin%40skills.cn&password=guess", SAME_ORIGIN).await;
    assert_eq!(res.status(), 303);
    let to = location(&res);
    let seconds: u64 = to.strip_prefix("/login?failed=rate_limited&retry_after=").expect(to).parse().unwrap();
    assert!((1..=60).contains(&seconds), "{to}");
}

/// Anyone may ask for reset mails for any address; that must neither lock the owner out of
/// signing in (the sign-in budget) nor flood their mailbox.
async fn password_reset_requests_never_lock_the_owner_out(app: TestApp) {
    app.user("owner@skills.cn", &[]).await;
    for _ in 0..10 {
        let res = reset_request(&app, "Owner@skills.cn").await;
        assert_eq!(res.status(), 202, "always accepted: nobody learns whether the address has an account");
    }
    app.login("owner@skills.cn", PASSWORD).await;
    // The reset budget (3 an hour by default) caps the mails; the rest were answered alike. A
    // mail goes out for each reset link made (audited before the answer), and for nothing else.
    assert_eq!(reset_links(&app).await, 3, "requests beyond the budget make no reset link");
    let to_owner = || app.mails().into_iter().filter(|m| m.contains("owner@skills.cn")).count();
    eventually(|| (to_owner() == 3).then_some(())).await;
    // The sign-in budget is untouched: the owner can still make every attempt it allows.
    for _ in 0..9 {
        app.login("owner@skills.cn", PASSWORD).await;
    }
    // An hour later the reset budget is back.
    app.advance(std::time::Duration::from_secs(3600));
    assert_eq!(reset_request(&app, "owner@skills.cn").await.status(), 202);
    assert_eq!(reset_links(&app).await, 4, "a new link once the budget refilled");
    eventually(|| (to_owner() == 4).then_some(())).await;
}

async fn reset_links(app: &TestApp) -> usize {
    app.audit_actions().await.iter().filter(|a| **a == AuditAction::AuthPasswordResetRequested).count()
}

both_engines!(reset_requests_from_one_client_address_are_capped("SKILLMARK_RESET_PER_ADDRESS_PER_HOUR" = "4"));

async fn reset_requests_from_one_client_address_are_capped(app: TestApp) {
    let people: Vec<String> = (1..=6).map(|i| format!("person{i}@skills.cn")).collect();
    for email in &people {
        app.user(email, &[]).await;
    }
    for email in &people {
        assert_eq!(reset_request(&app, email).await.status(), 202);
    }
    assert_eq!(reset_links(&app).await, 4, "one client address gets at most its budget of reset mails");
    eventually(|| (app.mails().len() == 4).then_some(())).await;
    // Signing in from that address is a budget of its own.
    app.login("person6@skills.cn", PASSWORD).await;
}

async fn reset_request(app: &TestApp, email: &str) -> reqwest::Response {
    app.call(Method::POST, "/api/v1/auth/password-reset", None, Some(json!({"email": email}))).await
}

/// Every way of choosing a password (first start, invitation, reset link, change) refuses common
/// or easily guessed passwords and control characters, naming the field.
async fn common_passwords_and_control_characters_are_refused_wherever_a_password_is_chosen(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let access = app.login("admin@skills.cn", PASSWORD).await;
    let nuls = format!("{}\u{1}", "\0".repeat(9));
    let cases = [
        ("password12", "is too common or too easy to guess; use a longer phrase of unrelated words"),
        ("1234567890", "is too common or too easy to guess; use a longer phrase of unrelated words"),
        ("qwertyuiop", "is too common or too easy to guess; use a longer phrase of unrelated words"),
        (nuls.as_str(), "must not contain control characters"),
        ("correct\thorse battery", "must not contain control characters"),
    ];
    for (weak, message) in cases {
        let attempts = [
            (
                "/api/v1/auth/setup",
                None,
                json!({"token": "t", "email": "a@b.cn", "display_name": "A", "password": weak}),
                "password",
            ),
            ("/api/v1/auth/invitation/accept", None, json!({"token": "t", "password": weak}), "password"),
            ("/api/v1/auth/password-reset/confirm", None, json!({"token": "t", "new_password": weak}), "new_password"),
            (
                "/api/v1/auth/password",
                Some(access.as_str()),
                json!({"current_password": PASSWORD, "new_password": weak}),
                "new_password",
            ),
        ];
        for (path, token, body, field) in attempts {
            let res = app.call(Method::POST, path, token, Some(body)).await;
            let problem = assert_problem(res, 422, "validation_failed").await;
            assert_eq!(problem["errors"], json!([{"field": field, "message": message}]), "{path} {weak:?}");
        }
    }
    // The password did not change.
    app.login("admin@skills.cn", PASSWORD).await;
}

both_engines!(every_signed_in_route_refuses_an_unknown_caller_before_reading_the_request);

/// Authentication decides first: on every operation the OpenAPI document marks as needing a
/// bearer token, a caller without one, with a made-up one, or with the token of a sign-in that
/// has since ended gets 401, whatever is wrong with the path, the query and the body.
async fn every_signed_in_route_refuses_an_unknown_caller_before_reading_the_request(app: TestApp) {
    app.admin("admin@skills.cn").await;
    // Signed in twice; changing the password through the second sign-in ends the first.
    let ended = app.login("admin@skills.cn", PASSWORD).await;
    let current = app.login("admin@skills.cn", PASSWORD).await;
    let res = app
        .call(
            Method::POST,
            "/api/v1/auth/password",
            Some(&current),
            Some(json!({"current_password": PASSWORD, "new_password": "a much better secret"})),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_problem(app.get("/api/v1/me", &ended).await, 401, "invalid_token").await;

    let callers =
        [(None, "unauthenticated"), (Some("made.up.token"), "invalid_token"), (Some(ended.as_str()), "invalid_token")];
    let doc: Value = serde_json::from_str(&skillmark::openapi::document()).unwrap();
    let client = reqwest::Client::new();
    let (mut walked, mut failures) = (0, Vec::new());
    for (template, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let signed_in = operation["security"]
                .as_array()
                .is_some_and(|requirements| requirements.iter().any(|r| r.get("bearer").is_some()));
            if !signed_in {
                continue;
            }
            walked += 1;
            // Every path parameter an id of nothing, and a query no handler would accept.
            let path: String = template
                .split('/')
                .map(
                    |segment| {
                        if segment.starts_with('{') {
                            uuid::Uuid::now_v7().to_string()
                        } else {
                            segment.to_string()
                        }
                    },
                )
                .collect::<Vec<_>>()
                .join("/");
            let url = app.url(&format!("{path}?page=first&per_page=-1&format=%FF"));
            for (token, code) in callers {
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                let mut req = client
                    .request(method.clone(), &url)
                    .header("content-type", "application/json")
                    .body(r#"{"not json"#);
                if let Some(token) = token {
                    req = req.bearer_auth(token);
                }
                let res = req.send().await.unwrap();
                let status = res.status().as_u16();
                let body: Value = res.json().await.unwrap_or_default();
                if status != 401 || body["code"] != code {
                    let who = if token.is_none() { "no token" } else { code };
                    failures.push(format!("{method} {template} ({who}): {status} {}", body["code"]));
                }
            }
        }
    }
    assert!(walked >= 70, "only {walked} signed-in operations documented");
    assert!(failures.is_empty(), "read the request before authenticating:\n{}", failures.join("\n"));
}

fn url_encoded(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
