//! Serves the built SPA from `frontend/dist` with history-API fallback to `index.html`, long
//! caching for hashed assets, and a page explaining how to build it when it is missing. Unknown
//! `/api/…` paths get a problem+json 404, never the SPA.

use std::path::PathBuf;

use actix_files::{Files, NamedFile};
use actix_web::dev::{fn_service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{web, HttpResponse};

const NOT_BUILT: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Skillmark</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<h1>Skillmark is running</h1>
<p>The API is up (<a href="/api/docs/">API documentation</a>, <a href="/readyz">readiness</a>).
The web app has not been built yet. Build it once with:</p>
<pre>npm --prefix frontend ci &amp;&amp; npm --prefix frontend run build</pre>
<p>and reload this page.</p>
<p lang="zh-CN">服务已启动。网页应用尚未构建：请运行上述命令后刷新本页。</p>
</body></html>"#;

pub fn configure(dir: PathBuf) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.service(web::scope("/api").default_service(web::to(crate::api::not_found)));
        if dir.join("index.html").is_file() {
            let index = dir.join("index.html");
            cfg.service(Files::new("/", &dir).index_file("index.html").use_etag(true).default_handler(fn_service(
                move |req: ServiceRequest| {
                    let index = index.clone();
                    async move {
                        let (req, _) = req.into_parts();
                        let file = NamedFile::open_async(&index).await?;
                        let res = file.into_response(&req);
                        Ok(ServiceResponse::new(req, res))
                    }
                },
            )));
        } else {
            cfg.default_service(web::to(not_built));
        }
    }
}

async fn not_built() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(header::ContentType::html())
        .insert_header(CacheControl(vec![CacheDirective::NoStore]))
        .body(NOT_BUILT)
}

/// Cache policy: Vite's hashed files under `/assets/` never change; everything else revalidates.
pub fn cache_policy(path: &str) -> Option<CacheControl> {
    if path.starts_with("/api/") || path == "/healthz" || path == "/readyz" {
        None
    } else if path.starts_with("/assets/") {
        Some(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(31_536_000),
            CacheDirective::Extension("immutable".into(), None),
        ]))
    } else {
        Some(CacheControl(vec![CacheDirective::NoCache]))
    }
}
