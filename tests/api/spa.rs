//! The built web app as the server sends it: the sign-in page arrives already rendered in the
//! language the app will show, so its form works before the app's script has arrived.

use std::fs;
use std::path::Path;

use crate::helpers::{Engine, TestApp};

/// A built `dist` as the front end's build writes it: index.html and, unless left out, the
/// rendered sign-in page in both languages with a precompressed copy (stand-in bytes: the
/// server sends the file as it is, so they show which file was chosen).
fn built_site(dir: &Path, with_sign_in_pages: bool) {
    fs::write(dir.join("index.html"), "<!doctype html><div id=\"root\"></div>").unwrap();
    if with_sign_in_pages {
        for locale in ["zh-CN", "en"] {
            let page = format!("<!doctype html><html lang=\"{locale}\"><form method=\"post\" action=\"/login\">");
            fs::write(dir.join(format!("login.{locale}.html")), &page).unwrap();
            fs::write(dir.join(format!("login.{locale}.html.br")), format!("brotli of {locale}")).unwrap();
        }
    }
}

async fn site(with_sign_in_pages: bool) -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    built_site(dir.path(), with_sign_in_pages);
    let app = TestApp::spawn(Engine::Sqlite, &[("SKILLMARK_FRONTEND_DIR", dir.path().to_str().unwrap())]).await;
    (app, dir)
}

async fn sign_in_page(app: &TestApp, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = app.client.get(app.url("/login?next=%2Fconsole"));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 200);
    res
}

#[actix_web::test]
async fn the_sign_in_page_arrives_rendered_in_the_language_the_app_will_show() {
    let (app, _dir) = site(true).await;
    let lang_of = |html: String| html.split("lang=\"").nth(1).and_then(|r| r.split('"').next()).map(str::to_string);

    let res = sign_in_page(&app, &[("accept-language", "en-GB,en;q=0.9,zh-CN;q=0.8")]).await;
    let vary = res.headers()["vary"].to_str().unwrap().to_string();
    for header in ["accept-encoding", "accept-language", "cookie"] {
        assert!(vary.contains(header), "a cache must keep the languages apart: vary {vary}");
    }
    assert_eq!(res.headers()["cache-control"], "no-cache");
    assert_eq!(lang_of(res.text().await.unwrap()).as_deref(), Some("en"));
    let res = sign_in_page(&app, &[("accept-language", "zh-TW,zh;q=0.9,en;q=0.8")]).await;
    assert_eq!(lang_of(res.text().await.unwrap()).as_deref(), Some("zh-CN"));
    // The language last chosen in the app (its cookie) wins over the browser's.
    let res = sign_in_page(&app, &[("accept-language", "en-US"), ("cookie", "skillmark_locale=zh-CN")]).await;
    assert_eq!(lang_of(res.text().await.unwrap()).as_deref(), Some("zh-CN"));
    // The precompressed copy when the browser takes it.
    let res = sign_in_page(&app, &[("accept-language", "en"), ("accept-encoding", "gzip, br")]).await;
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"brotli of en");
    // Any other page is the app's plain shell.
    let res = app.client.get(app.url("/console")).header("accept-language", "en").send().await.unwrap();
    assert_eq!(res.text().await.unwrap(), "<!doctype html><div id=\"root\"></div>");
}

#[actix_web::test]
async fn without_a_rendered_sign_in_page_the_app_shell_is_sent() {
    let (app, _dir) = site(false).await;
    let res = sign_in_page(&app, &[("accept-language", "en")]).await;
    assert_eq!(res.text().await.unwrap(), "<!doctype html><div id=\"root\"></div>");
}
