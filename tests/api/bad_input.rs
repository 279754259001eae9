use reqwest::Method;
use serde_json::json;

use crate::both_engines;
use crate::helpers::{assert_problem, TestApp, PASSWORD};

both_engines!(bad_input_gets_a_clear_4xx_problem_never_a_500);

async fn bad_input_gets_a_clear_4xx_problem_never_a_500(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let login = app.url("/api/v1/auth/login");
    let raw = |body: &'static str, ctype: &'static str| {
        app.client.post(&login).header("content-type", ctype).body(body).send()
    };

    assert_problem(raw("{\"email\": \"a@b.cn\", ", "application/json").await.unwrap(), 400, "malformed_json").await;
    assert_problem(raw("", "application/json").await.unwrap(), 400, "malformed_json").await;
    let deep: &'static str = Box::leak(format!("{}{}", "[".repeat(5000), "]".repeat(5000)).into_boxed_str());
    assert_problem(raw(deep, "application/json").await.unwrap(), 422, "validation_failed").await;
    assert_problem(
        raw("email=a@b.cn", "application/x-www-form-urlencoded").await.unwrap(),
        415,
        "unsupported_media_type",
    )
    .await;

    let res = app.call(Method::POST, "/api/v1/auth/login", None, Some(json!({"email": 5, "password": "x"}))).await;
    let p = assert_problem(res, 422, "validation_failed").await;
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("invalid type"));
    let res = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "a@b.cn", "password": "x", "role": "admin"})),
        )
        .await;
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "role", "unknown fields are refused by name");
    let res = app.call(Method::POST, "/api/v1/auth/login", None, Some(json!({"password": "x"}))).await;
    let p = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "email");

    let huge = json!({"email": "a@b.cn", "password": "x".repeat(200_000)});
    let res = app.call(Method::POST, "/api/v1/auth/login", None, Some(huge)).await;
    assert_problem(res, 413, "payload_too_large").await;
    let res = app
        .call(Method::POST, "/api/v1/auth/login", None, Some(json!({"email": "a@b.cn", "password": "p".repeat(500)})))
        .await;
    assert_problem(res, 422, "validation_failed").await;

    assert_problem(app.get("/api/v1/users?page=abc", &admin).await, 400, "invalid_query").await;
    assert_problem(app.get("/api/v1/users?per_page=0", &admin).await, 422, "validation_failed").await;
    assert_problem(app.get("/api/v1/users?role=wizard", &admin).await, 400, "invalid_query").await;
    assert_problem(app.get("/api/v1/users/not-a-uuid", &admin).await, 404, "not_found").await;
    assert_problem(app.get(&format!("/api/v1/users/{}", uuid::Uuid::now_v7()), &admin).await, 404, "not_found").await;
    assert_problem(app.get("/api/v1/no-such-thing", &admin).await, 404, "not_found").await;
    assert_problem(app.get("/api/elsewhere", &admin).await, 404, "not_found").await;
    assert_problem(app.call(Method::DELETE, "/api/v1/me", Some(&admin), None).await, 404, "not_found").await;
    let res = app.call(Method::PATCH, "/api/v1/me", Some(&admin), Some(json!({"version": "one"}))).await;
    assert_problem(res, 422, "validation_failed").await;
    let res = app.call(Method::PATCH, "/api/v1/me", Some(&admin), Some(json!({"version": 1, "locale": "fr"}))).await;
    assert_problem(res, 422, "validation_failed").await;
    let res =
        app.call(Method::PATCH, "/api/v1/me", Some(&admin), Some(json!({"version": 1, "display_name": "  "}))).await;
    assert_problem(res, 422, "validation_failed").await;
}
