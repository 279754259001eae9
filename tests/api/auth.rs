use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, refresh_cookie, TestApp, PASSWORD};

both_engines!(
    first_start_setup_creates_the_first_admin_once,
    login_refresh_rotates_and_reuse_revokes_the_chain,
    logout_ends_the_session,
    wrong_credentials_are_refused_alike_and_audited,
    password_change_ends_other_sessions,
    tokens_that_are_forged_expired_or_outdated_are_refused,
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
    assert!(app.audit_actions().await.contains(&"user.first_admin_created".to_string()));
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
    assert!(app.audit_actions().await.contains(&"auth.refresh_token_reused".to_string()));

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
    assert!(app.audit_actions().await.contains(&"auth.logout".to_string()));
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
    assert!(app.audit_actions().await.contains(&"auth.login_failed".to_string()));
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
