use serde_json::{json, Value};
use skillmark::formats::tabular::{self, Format};

use skillmark::domain::audit::AuditAction;

use crate::both_engines;
use crate::helpers::{assert_problem, TestApp, PASSWORD};
use crate::registration::open_event;

async fn upload(app: &TestApp, token: &str, path: &str, bytes: Vec<u8>) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, had_errors) = encoding_rs::GBK.encode(text);
    assert!(!had_errors);
    bytes.into_owned()
}

fn problems_of(report: &Value, key: &str) -> Vec<(u64, String)> {
    report[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["row"].as_u64().unwrap(), p["column"].as_str().unwrap().to_string()))
        .collect()
}

both_engines!(
    templates_in_either_language_import_as_downloaded,
    competitors_import_from_an_excel_gbk_csv_all_or_nothing,
    delegations_and_experts_import_from_xlsx_and_export_round_trips,
    unreadable_and_oversized_files_are_refused_cleanly,
);

async fn competitors_import_from_an_excel_gbk_csv_all_or_nothing(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let (event, _, _, _, _) = open_event(&app, &admin, "2027-05-01T00:00:00Z").await;
    let path = format!("/api/v1/events/{event}/imports/competitors");

    // As Excel in China saves it: GBK, Chinese headers, a blank line, and four bad rows.
    let bad = gbk("代表队,项目,队伍,姓名,性别,出生日期,证件号码\r\n\
         SH,D2,1,张三,男,2005-01-01,310101200501011111\r\n\
         SH,D2,1,李四,女,2005-02-02,310101200502022222\r\n\
         \r\n\
         SH,D2,1,多余,女,2005-02-02,310101200502023333\r\n\
         BJ,99,1,王五,男,2005-03-03,110101200503034444\r\n\
         BJ,17,,赵六,男,2003-03-03,110101200303035555\r\n\
         BJ,17,,钱七,男,2006-03-03,310101200501011111\r\n\
         BJ,D2,A,孙八,女,2006-04-04,110101200604046666\r\n");
    let res = upload(&app, &admin, &path, bad.clone()).await;
    assert_eq!(res.status(), 200);
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["committed"], false);
    assert_eq!(report["rows"], 7);
    assert_eq!(
        problems_of(&report, "problems"),
        [(5, "team".to_string()), (6, "skill".into()), (7, "birth_date".into()), (8, "id_number".into())],
        "{report}"
    );
    // Each problem is a code with its parameters, for the interface to word in its language.
    let coded: Vec<(String, Value)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["code"].as_str().unwrap().into(), p["params"].clone()))
        .collect();
    assert_eq!(
        coded,
        [
            ("team_full".to_string(), json!({"skill": "D2", "size": "2"})),
            ("unknown_skill".into(), json!({"number": "99"})),
            ("age_limit".into(), json!({"skill": "17", "limit": "22"})),
            ("duplicate".into(), json!({"first_row": "2"})),
        ],
        "{report}"
    );
    let commit = format!("{path}?commit=true");
    let p = assert_problem(upload(&app, &admin, &commit, bad).await, 422, "file_rejected").await;
    assert_eq!(p["rows"].as_array().unwrap().len(), 4);
    let entries: Value = app.get(&format!("/api/v1/events/{event}/entries"), &admin).await.json().await.unwrap();
    assert_eq!(entries["total"], 0, "nothing half-imported");

    let good = gbk("代表队,项目,队伍,姓名,性别,出生日期,证件号码\r\n\
         SH,D2,1,张三,男,2005-01-01,310101200501011111\r\n\
         SH,D2,1,李四,女,2005-02-02,310101200502022222\r\n\
         BJ,17,,钱七,男,2006-03-03,310101200603037777\r\n\
         BJ,D2,A,孙八,女,2006-04-04,110101200604046666\r\n");
    let res = upload(&app, &admin, &commit, good.clone()).await;
    assert_eq!(res.status(), 201);
    let report: Value = res.json().await.unwrap();
    assert_eq!((report["committed"].as_bool(), report["created"].as_u64()), (Some(true), Some(4)));
    let entries: Value =
        app.get(&format!("/api/v1/events/{event}/entries?per_page=10"), &admin).await.json().await.unwrap();
    assert_eq!(entries["total"], 3, "rows with the same delegation, skill and team form one entry");
    let sizes: Vec<usize> =
        entries["items"].as_array().unwrap().iter().map(|e| e["competitors"].as_array().unwrap().len()).collect();
    assert_eq!(sizes.iter().sum::<usize>(), 4);

    // The same file again: everyone is registered already, and SH has its one D2 entry.
    let report: Value = upload(&app, &admin, &path, good).await.json().await.unwrap();
    let columns: Vec<String> = problems_of(&report, "problems").into_iter().map(|(_, c)| c).collect();
    assert!(columns.iter().filter(|c| *c == "id_number").count() == 4, "{report}");

    // Export: masked by default, full (and audited) on request; formula-looking cells neutralised.
    let csv = app
        .client
        .get(app.url(&format!("/api/v1/events/{event}/exports/competitors")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(csv.headers()["content-disposition"].to_str().unwrap().contains("competitors.csv"));
    let table = tabular::read_table(&csv.bytes().await.unwrap(), Format::Csv).unwrap();
    let id_col = table.column(&["id_number"]).unwrap();
    assert!(table.rows.iter().all(|r| r.get(id_col).contains('*')), "masked by default");
    let full = app
        .client
        .get(app.url(&format!("/api/v1/events/{event}/exports/competitors?include_id_numbers=true")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let table = tabular::read_table(&full.bytes().await.unwrap(), Format::Csv).unwrap();
    assert!(table.rows.iter().any(|r| r.get(id_col) == "310101200501011111"));
    assert!(app.audit_actions().await.contains(&AuditAction::RegistrationExportedWithIdNumbers));
}

async fn delegations_and_experts_import_from_xlsx_and_export_round_trips(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let (event, _, _, _, _) = open_event(&app, &admin, "2027-05-01T00:00:00Z").await;

    let rows = vec![
        vec![
            "GD".to_string(),
            "广东".into(),
            "Guangdong".into(),
            "region".into(),
            "=HYPERLINK(\"http://evil\")".into(),
            "gd@skills.cn".into(),
            "".into(),
        ],
        vec![
            "CRRC".into(),
            "中国中车".into(),
            "CRRC".into(),
            "industry".into(),
            "".into(),
            "".into(),
            "+86 20 1234".into(),
        ],
    ];
    let headers = ["code", "name_zh", "name_en", "kind", "contact_name", "contact_email", "contact_phone"];
    let xlsx = tabular::write_xlsx("delegations", &headers, &rows).unwrap();
    let path = format!("/api/v1/events/{event}/imports/delegations?commit=true&filename=list.xlsx");
    let res = upload(&app, &admin, &path, xlsx.clone()).await;
    assert_eq!(res.status(), 201);
    let p = assert_problem(upload(&app, &admin, &path, xlsx).await, 422, "file_rejected").await;
    assert!(p["rows"][0]["message"].as_str().unwrap().contains("exists already"));
    assert_eq!(
        (p["rows"][0]["code"].as_str(), p["rows"][0]["params"]["code"].as_str()),
        (Some("delegation_exists"), Some("GD"))
    );

    let export = app
        .client
        .get(app.url(&format!("/api/v1/events/{event}/exports/delegations?format=xlsx")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 200);
    let table = tabular::read_table(&export.bytes().await.unwrap(), Format::Xlsx).unwrap();
    let codes: Vec<&str> = table.rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(codes, ["BJ", "CRRC", "GD", "SH"]);
    let gd = table.rows.iter().find(|r| r.get(0) == "GD").unwrap();
    assert_eq!(gd.get(4), "'=HYPERLINK(\"http://evil\")", "a formula is exported as text, never run");
    let csv = app
        .client
        .get(app.url(&format!("/api/v1/events/{event}/exports/delegations")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "a BOM so Excel reads UTF-8");

    let experts = "代表队,项目,姓名,邮箱,职务\n\
                   GD,17,陈裁判长,chief.chen@skills.cn,裁判长\n\
                   CRRC,17,刘裁判,liu@skills.cn,裁判员\n\
                   CRRC,D2,刘裁判,liu@skills.cn,裁判员\n\
                   XX,17,无名,nobody@skills.cn,主席\n";
    let res =
        upload(&app, &admin, &format!("/api/v1/events/{event}/imports/experts"), experts.as_bytes().to_vec()).await;
    let report: Value = res.json().await.unwrap();
    assert_eq!(
        problems_of(&report, "problems"),
        [(4, "email".to_string()), (5, "delegation".into()), (5, "position".into())]
    );
    let fixed =
        "代表队,项目,姓名,邮箱,职务\nGD,17,陈裁判长,chief.chen@skills.cn,裁判长\nCRRC,17,刘裁判,liu@skills.cn,裁判员\n";
    let res =
        upload(&app, &admin, &format!("/api/v1/events/{event}/imports/experts?commit=true"), fixed.as_bytes().to_vec())
            .await;
    assert_eq!(res.status(), 201);
    assert_eq!(app.mails().len(), 2, "both new experts are invited");
    let listed: Value = app.get(&format!("/api/v1/events/{event}/experts"), &admin).await.json().await.unwrap();
    let positions: Vec<&str> = listed.as_array().unwrap().iter().map(|e| e["position"].as_str().unwrap()).collect();
    assert_eq!(positions, ["chief_expert", "expert"]);
}

async fn unreadable_and_oversized_files_are_refused_cleanly(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let (event, _, _, _, _) = open_event(&app, &admin, "2027-05-01T00:00:00Z").await;
    let path = format!("/api/v1/events/{event}/imports/competitors");
    let mut fake_zip = b"PK\x03\x04".to_vec();
    fake_zip.extend(std::iter::repeat_n(7u8, 2000));
    assert_problem(upload(&app, &admin, &format!("{path}?filename=list.xlsx"), fake_zip).await, 400, "unreadable_file")
        .await;
    assert_problem(upload(&app, &admin, &path, Vec::new()).await, 400, "unreadable_file").await;
    let huge = vec![b'a'; tabular::MAX_BYTES + 10];
    assert_problem(upload(&app, &admin, &path, huge).await, 413, "payload_too_large").await;
    let res = upload(&app, &admin, &format!("/api/v1/events/{event}/imports/medals"), b"a,b\n1,2\n".to_vec()).await;
    assert_problem(res, 404, "not_found").await;
    let report: Value = upload(&app, &admin, &path, b"name;gender\nx;y\n".to_vec()).await.json().await.unwrap();
    let missing: Vec<String> =
        report["problems"].as_array().unwrap().iter().map(|p| p["column"].as_str().unwrap().to_string()).collect();
    assert!(missing.contains(&"delegation".to_string()) && missing.contains(&"id_number".to_string()), "{report}");
}

/// A template as downloaded, in Chinese or English, CSV or XLSX, filled in and sent back imports
/// cleanly: its headers are the importer's own.
async fn templates_in_either_language_import_as_downloaded(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let (event, _, _, _, _) = open_event(&app, &admin, "2027-05-01T00:00:00Z").await;
    let download = |kind: &str, lang: &str, format: &str| {
        let url = app.url(&format!("/api/v1/events/{event}/imports/{kind}/template?lang={lang}&format={format}"));
        let request = app.client.get(url).bearer_auth(&admin);
        async move {
            let res = request.send().await.unwrap();
            assert_eq!(res.status(), 200);
            res.bytes().await.unwrap().to_vec()
        }
    };
    let zh = String::from_utf8(download("competitors", "zh-CN", "csv").await).unwrap();
    assert!(zh.contains("代表队*,项目编号*,队伍,姓名*,性别*,出生日期*,证件号码*"), "{zh}");
    let en = String::from_utf8(download("competitors", "en", "csv").await).unwrap();
    assert!(en.contains("Delegation*,Skill number*,Team,Name*,Gender*,Date of birth*,ID number*"), "{en}");
    // Filled in (CSV: rows appended; the same rows in both languages), each imports without a problem.
    let rows = [
        ("SH,D2,1,张三,男,2005-01-01,310101200501011111\r\n", &zh),
        ("BJ,17,,钱七,男,2006-03-03,310101200603037777\r\n", &en),
    ];
    for (row, template) in rows {
        let filled = format!("{}\r\n{row}", template.trim_end());
        let report: Value =
            upload(&app, &admin, &format!("/api/v1/events/{event}/imports/competitors"), filled.into_bytes())
                .await
                .json()
                .await
                .unwrap();
        assert_eq!((report["rows"].as_u64(), report["problems"].clone()), (Some(1), json!([])), "{report}");
    }
    // XLSX templates of every list read back with every column found, in both languages.
    for kind in ["delegations", "competitors", "experts"] {
        for lang in ["zh-CN", "en"] {
            let table = tabular::read_table(&download(kind, lang, "xlsx").await, Format::Xlsx).unwrap();
            let report: Value = upload(
                &app,
                &admin,
                &format!("/api/v1/events/{event}/imports/{kind}?filename=t.xlsx"),
                download(kind, lang, "xlsx").await,
            )
            .await
            .json()
            .await
            .unwrap();
            let missing: Vec<&Value> =
                report["problems"].as_array().unwrap().iter().filter(|p| p["code"] == "missing_column").collect();
            assert!(missing.is_empty() && !table.headers.is_empty(), "{kind} {lang}: {report}");
        }
    }
}
