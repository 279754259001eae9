use crate::both_engines;
use crate::helpers::TestApp;

both_engines!(health_and_readiness_answer_with_request_ids);

async fn health_and_readiness_answer_with_request_ids(app: TestApp) {
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["status"], "ok");

    let res = app.client.get(app.url("/readyz")).header("x-request-id", "tablet-42_retry-1").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["x-request-id"], "tablet-42_retry-1", "a sane client request id is kept");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["status"], "ready");

    let res = app.client.get(app.url("/healthz")).header("x-request-id", "bad id with spaces").send().await.unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "an unusable client id is replaced by a generated one");
}

both_engines!(api_docs_and_spa_placeholder_are_served);

async fn api_docs_and_spa_placeholder_are_served(app: TestApp) {
    let doc: serde_json::Value =
        app.client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/auth/login"]["post"].is_object());

    let res = app.client.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("swagger"), "the docs page is Swagger UI served from the binary");
    let res = app.client.get(app.url("/api/docs/swagger-ui.css")).send().await.unwrap();
    assert_eq!(res.status(), 200, "docs assets are vendored, not fetched from a CDN");

    // Without a built SPA, any page explains how to build it.
    let res = app.client.get(app.url("/events/123")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("npm --prefix frontend"));
}
