//! Serves the built SPA from `frontend/dist` with history-API fallback to `index.html`, long
//! caching for hashed assets, and a page explaining how to build it when it is missing. Unknown
//! `/api/…` paths get a problem+json 404, never the SPA.
//!
//! Run from a source checkout (`cargo run`), it first builds the SPA when `frontend/dist` is
//! missing or older than the front end's sources and npm is available, so a fresh clone gets the
//! whole system from one command. `SKILLMARK_SPA_BUILD=never` turns that off (deployments ship a
//! built `dist`; the Docker image does).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Once;
use std::time::SystemTime;

use actix_files::{Files, NamedFile};
use actix_web::dev::{fn_service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{
    self, AcceptLanguage, CacheControl, CacheDirective, ContentEncoding, Header, Preference, Quality,
};
use actix_web::{guard, web, HttpRequest, HttpResponse};

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
        // Every worker configures its app; the first one builds, the others wait for it.
        static BUILD: Once = Once::new();
        BUILD.call_once(|| build_if_stale(&dir));
        cfg.service(web::scope("/api").default_service(web::to(crate::api::not_found)));
        if dir.join("index.html").is_file() {
            let assets = dir.join("assets");
            cfg.route("/assets/{file}", web::get().to(move |req: HttpRequest| asset(assets.clone(), req)));
            let dist = dir.clone();
            cfg.service(
                web::resource("/login")
                    .guard(guard::Any(guard::Get()).or(guard::Head()))
                    .to(move |req: HttpRequest| sign_in_page(dist.clone(), req)),
            );
            let index = dir.join("index.html");
            cfg.service(Files::new("/", &dir).index_file("index.html").use_etag(true).default_handler(fn_service(
                move |req: ServiceRequest| {
                    let index = index.clone();
                    async move {
                        let (req, _) = req.into_parts();
                        let file = NamedFile::open(&index)?;
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

/// Which precompressed variants (`.br`, `.gz`, written by the build beside each asset) the client
/// accepts, best first.
fn accepted_variants(accept_encoding: &str) -> Vec<(&'static str, ContentEncoding)> {
    let accepts = |name: &str| {
        accept_encoding.split(',').any(|part| {
            let mut pieces = part.split(';').map(str::trim);
            let coding = pieces.next().unwrap_or_default();
            let refused = pieces
                .any(|p| p.replace(' ', "").starts_with("q=0") && !p.contains(|c: char| ('1'..='9').contains(&c)));
            coding.eq_ignore_ascii_case(name) && !refused
        })
    };
    let mut variants = Vec::new();
    if accepts("br") {
        variants.push(("br", ContentEncoding::Brotli));
    }
    if accepts("gzip") {
        variants.push(("gz", ContentEncoding::Gzip));
    }
    variants
}

/// A hashed asset (see `send_precompressed`).
async fn asset(assets: PathBuf, req: HttpRequest) -> actix_web::Result<HttpResponse> {
    let name = req.match_info().query("file");
    if name.is_empty() || name.starts_with('.') || name.contains(['/', '\\']) {
        return Ok(HttpResponse::NotFound().finish());
    }
    let path = assets.join(name);
    if !path.is_file() {
        return Ok(HttpResponse::NotFound().finish());
    }
    send_precompressed(&path, &req).await
}

/// A built file: its precompressed variant when there is one the client accepts (the
/// compression middleware leaves an encoded response alone), else the file itself.
async fn send_precompressed(path: &Path, req: &HttpRequest) -> actix_web::Result<HttpResponse> {
    let accept = req.headers().get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let mime = actix_files::file_extension_to_mime(path.extension().and_then(|e| e.to_str()).unwrap_or_default());
    for (suffix, encoding) in accepted_variants(accept) {
        let mut variant = path.as_os_str().to_owned();
        variant.push(format!(".{suffix}"));
        let variant = PathBuf::from(variant);
        if variant.is_file() {
            let file = NamedFile::open(&variant)?
                .set_content_type(mime)
                .set_content_encoding(encoding)
                .disable_content_disposition();
            let mut res = file.into_response(req);
            res.headers_mut().insert(header::VARY, header::HeaderValue::from_static("accept-encoding"));
            return Ok(res);
        }
    }
    let mut res = NamedFile::open(path)?.disable_content_disposition().into_response(req);
    res.headers_mut().insert(header::VARY, header::HeaderValue::from_static("accept-encoding"));
    Ok(res)
}

/// The cookie in which the web app keeps its language (`LocaleProvider.tsx`).
const LOCALE_COOKIE: &str = "skillmark_locale";

/// `/login`: the sign-in page as the build rendered it (`login.<locale>.html`, see
/// `frontend/scripts/prerender.mjs`) in the language the app will choose, so its form shows and
/// works on the first round trip; `index.html` when the build has no such page.
async fn sign_in_page(dist: PathBuf, req: HttpRequest) -> actix_web::Result<HttpResponse> {
    let cookie = req.cookie(LOCALE_COOKIE);
    // A header that does not parse counts as none: the page is still sent, in the default language.
    let languages = AcceptLanguage::parse(&req).unwrap_or(AcceptLanguage(Vec::new()));
    let page = dist.join(format!("login.{}.html", sign_in_locale(cookie.as_ref().map(|c| c.value()), &languages)));
    let mut res = if page.is_file() {
        send_precompressed(&page, &req).await?
    } else {
        NamedFile::open(dist.join("index.html"))?.into_response(&req)
    };
    res.headers_mut()
        .insert(header::VARY, header::HeaderValue::from_static("accept-encoding, accept-language, cookie"));
    Ok(res)
}

/// The language the web app will show: the one it last used (its cookie), else the browser's
/// most preferred of Chinese and English, else Chinese; the app decides the same way
/// (`detectLocale` in `frontend/src/lib/i18n.ts`).
pub fn sign_in_locale(cookie: Option<&str>, accept_language: &AcceptLanguage) -> &'static str {
    match cookie {
        Some("zh-CN") => return "zh-CN",
        Some("en") => return "en",
        _ => {}
    }
    let mut preferred: Vec<_> = accept_language.0.iter().filter(|l| l.quality > Quality::ZERO).collect();
    // Stable: equal weights keep the browser's order.
    preferred.sort_by_key(|l| std::cmp::Reverse(l.quality));
    for language in preferred {
        let Preference::Specific(tag) = &language.item else {
            continue;
        };
        if tag.primary_language().eq_ignore_ascii_case("zh") {
            return "zh-CN";
        }
        if tag.primary_language().eq_ignore_ascii_case("en") {
            return "en";
        }
    }
    "zh-CN"
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

/// The front end's source directory when `dist` is `<frontend>/dist` of a source checkout.
fn source_dir(dist: &Path) -> Option<PathBuf> {
    if dist.file_name()? != "dist" {
        return None;
    }
    let frontend = dist.parent()?;
    let frontend = if frontend.as_os_str().is_empty() { Path::new(".") } else { frontend };
    (frontend.join("package.json").is_file() && frontend.join("src").is_dir()).then(|| frontend.to_path_buf())
}

fn modified(path: &Path) -> Option<SystemTime> {
    path.metadata().and_then(|m| m.modified()).ok()
}

/// The newest modification time of a file or, recursively, of the files in a directory (a
/// directory's own time changes with every file created in it, also by the build's tools).
fn newest(path: &Path) -> Option<SystemTime> {
    if !path.is_dir() {
        return modified(path);
    }
    std::fs::read_dir(path).ok()?.filter_map(Result::ok).filter_map(|entry| newest(&entry.path())).max()
}

/// Whether `dist` is missing or older than anything the build reads.
fn is_stale(frontend: &Path, dist: &Path) -> bool {
    let Some(built) = modified(&dist.join("index.html")) else {
        return true;
    };
    [
        "src",
        "public",
        "scripts",
        "sw",
        "index.html",
        "package.json",
        "package-lock.json",
        "vite.config.ts",
        "openapi.json",
    ]
    .iter()
    .filter_map(|input| newest(&frontend.join(input)))
    .any(|changed| changed > built)
}

fn build_enabled() -> bool {
    let setting = std::env::var("SKILLMARK_SPA_BUILD").unwrap_or_default().to_ascii_lowercase();
    !matches!(setting.as_str(), "never" | "off" | "false" | "0" | "no")
}

fn npm(frontend: &Path, args: &[&str]) -> bool {
    tracing::info!(dir = %frontend.display(), "running npm {}", args.join(" "));
    match Command::new("npm").args(args).current_dir(frontend).status() {
        Ok(status) if status.success() => true,
        Ok(status) => {
            tracing::warn!(%status, "npm {} failed", args.join(" "));
            false
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot run npm");
            false
        }
    }
}

/// Builds the SPA (installing its packages first when needed) if this is a source checkout whose
/// `dist` is missing or stale. Failures are logged; the server then serves what there is.
fn build_if_stale(dist: &Path) {
    let Some(frontend) = source_dir(dist) else { return };
    if !build_enabled() || !is_stale(&frontend, dist) {
        return;
    }
    if Command::new("npm").arg("--version").output().is_err() {
        tracing::warn!("the web app is missing or out of date, and npm is not installed to build it");
        return;
    }
    tracing::info!("building the web app (missing or older than its sources); SKILLMARK_SPA_BUILD=never skips this");
    let installed = modified(&frontend.join("node_modules/.package-lock.json"));
    let locked = modified(&frontend.join("package-lock.json"));
    if (installed.is_none() || locked > installed) && !npm(&frontend, &["ci", "--no-audit", "--no-fund"]) {
        return;
    }
    if npm(&frontend, &["run", "build"]) {
        tracing::info!(dir = %dist.display(), "web app built");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::time::Duration;

    fn touch(path: &Path, at: SystemTime) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, "x").unwrap();
        fs::File::options().write(true).open(path).unwrap().set_modified(at).unwrap();
    }

    /// The browser's `Accept-Language`, as the server reads it.
    fn languages(value: &str) -> AcceptLanguage {
        let req =
            actix_web::test::TestRequest::default().insert_header((header::ACCEPT_LANGUAGE, value)).to_http_request();
        AcceptLanguage::parse(&req).unwrap_or(AcceptLanguage(Vec::new()))
    }

    #[test]
    fn the_sign_in_page_speaks_the_language_the_app_will_choose() {
        // The app's remembered choice wins over the browser's languages.
        assert_eq!(sign_in_locale(Some("en"), &languages("zh-CN,zh;q=0.9")), "en");
        assert_eq!(sign_in_locale(Some("zh-CN"), &languages("en-US,en;q=0.9")), "zh-CN");
        // A cookie the app did not write is ignored.
        assert_eq!(sign_in_locale(Some("fr"), &languages("en-GB")), "en");
        // Otherwise the browser's most preferred of the two, by weight, then by order.
        assert_eq!(sign_in_locale(None, &languages("en-US,en;q=0.9,zh-CN;q=0.8")), "en");
        assert_eq!(sign_in_locale(None, &languages("fr-FR,fr;q=0.9,zh-TW;q=0.8,en;q=0.7")), "zh-CN");
        assert_eq!(sign_in_locale(None, &languages("en;q=0.5,zh-HK")), "zh-CN");
        assert_eq!(sign_in_locale(None, &languages("zh;q=0,en;q=0.1")), "en");
        // Neither, or nothing: Chinese, the app's default.
        assert_eq!(sign_in_locale(None, &languages("de-DE,fr;q=0.8")), "zh-CN");
        assert_eq!(sign_in_locale(None, &languages("")), "zh-CN");
        assert_eq!(sign_in_locale(None, &languages(";;,q=,,")), "zh-CN");
    }

    #[test]
    fn precompressed_variants_follow_accept_encoding() {
        let names = |header: &str| accepted_variants(header).into_iter().map(|(s, _)| s).collect::<Vec<_>>();
        assert_eq!(names("gzip, deflate, br, zstd"), ["br", "gz"]);
        assert_eq!(names("gzip"), ["gz"]);
        assert_eq!(names("br;q=0, gzip;q=0.5"), ["gz"]);
        assert_eq!(names("identity"), Vec::<&str>::new());
        assert_eq!(names(""), Vec::<&str>::new());
    }

    #[test]
    fn a_checkout_is_recognised_by_its_package_json_and_sources() {
        let dir = tempfile::tempdir().unwrap();
        let frontend = dir.path().join("frontend");
        assert_eq!(source_dir(&frontend.join("dist")), None);
        touch(&frontend.join("package.json"), SystemTime::now());
        touch(&frontend.join("src/main.tsx"), SystemTime::now());
        assert_eq!(source_dir(&frontend.join("dist")), Some(frontend.clone()));
        // A deployment's directory of built files is never rebuilt.
        assert_eq!(source_dir(&frontend.join("public")), None);
        assert_eq!(source_dir(Path::new("dist")), None);
    }

    #[test]
    fn dist_is_stale_when_missing_or_older_than_any_source() {
        let dir = tempfile::tempdir().unwrap();
        let frontend = dir.path().join("frontend");
        let dist = frontend.join("dist");
        let t0 = SystemTime::now() - Duration::from_secs(3600);
        touch(&frontend.join("package.json"), t0);
        touch(&frontend.join("src/features/x/Page.tsx"), t0);
        assert!(is_stale(&frontend, &dist), "no dist yet");

        touch(&dist.join("index.html"), t0 + Duration::from_secs(60));
        assert!(!is_stale(&frontend, &dist), "built after the last change");

        touch(&frontend.join("src/features/x/Page.tsx"), t0 + Duration::from_secs(120));
        assert!(is_stale(&frontend, &dist), "a source deep in src changed after the build");
    }
}
