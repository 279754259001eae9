use reqwest::Method;
use serde_json::{json, Value};

use skillmark::domain::audit::AuditAction;

use crate::both_engines;
use crate::builders::EventBuilder;
use crate::helpers::{assert_problem, TestApp, PASSWORD};

pub(crate) struct Setup {
    pub event: String,
    pub sh_delegation: String,
    pub tj_delegation: String,
    pub admin: String,
    pub chief: String,
    pub judges: Vec<String>,
    pub sh_expert: String,
    pub skill: String,
    pub entry_sh: String,
    pub entry_tj: String,
}

pub(crate) async fn ok(res: reqwest::Response, status: u16) -> Value {
    let url = res.url().to_string();
    let got = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{url}: {body}");
    body
}

/// An event with skill 01 (three judges, max spread 1), delegations SH, TJ, BJ, GD, CQ; confirmed
/// entries of SH and TJ; experts from BJ, GD, CQ (judges) and SH, a chief expert from BJ; the
/// scheme of tests/api/schemes.rs saved, not yet frozen; one marking group for A1 and B1.
pub(crate) async fn set_up(app: &TestApp, anonymous: bool) -> Setup {
    app.admin("admin@skills.cn").await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let e = EventBuilder::new(app, &admin)
        .skill_settings(json!({"anonymous": anonymous, "workstation_count": 10}))
        .delegations(&["SH", "TJ", "BJ", "GD", "CQ"])
        .entries(&["SH", "TJ"])
        .expert("judge.bj@skills.cn", "BJ", "expert")
        .expert("judge.gd@skills.cn", "GD", "expert")
        .expert("judge.cq@skills.cn", "CQ", "expert")
        .expert("expert.sh@skills.cn", "SH", "expert")
        .expert("chief@skills.cn", "BJ", "chief_expert")
        .scheme(crate::schemes::scheme(6000), false)
        .build()
        .await;
    let members: Vec<&str> = e.experts[..4].iter().map(|(_, id)| id.as_str()).collect();
    let group = json!({"name": "Group A", "members": members, "sub_criteria": ["A1", "b1"]});
    let chief = app.login("chief@skills.cn", PASSWORD).await;
    let res = app.call(Method::POST, &format!("/api/v1/skills/{}/groups", e.skill), Some(&chief), Some(group)).await;
    let g = ok(res, 201).await;
    assert_eq!(g["sub_criteria"], json!(["A1", "B1"]));
    let mut judges = Vec::new();
    for email in ["judge.bj@skills.cn", "judge.gd@skills.cn", "judge.cq@skills.cn"] {
        judges.push(app.login(email, PASSWORD).await);
    }
    Setup {
        sh_delegation: e.delegation("SH").into(),
        tj_delegation: e.delegation("TJ").into(),
        sh_expert: app.login("expert.sh@skills.cn", PASSWORD).await,
        admin,
        chief,
        judges,
        entry_sh: e.entry("SH").into(),
        entry_tj: e.entry("TJ").into(),
        event: e.id,
        skill: e.skill,
    }
}

fn outcomes(body: &Value) -> Vec<String> {
    body["results"].as_array().unwrap().iter().map(|r| r["outcome"].as_str().unwrap().to_string()).collect()
}

both_engines!(experts_mark_blind_idempotently_with_recusal_and_chief_experts_lock);

async fn experts_mark_blind_idempotently_with_recusal_and_chief_experts_lock(app: TestApp) {
    let s = set_up(&app, false).await;
    let marks = |entry: &str| format!("/api/v1/entries/{entry}/marks");
    let batch = json!({"marks": [
        {"client_id": "bj-1", "aspect": "A1.1", "amount": 5000},
        {"client_id": "bj-2", "aspect": "A1.2", "score": 2, "note": "clean edges", "unsure": true},
        {"client_id": "bj-3", "aspect": "B1.1", "deductions": 2},
        {"client_id": "bj-4", "aspect": "B1.2", "amount": 1000},
    ]});

    let res = app.call(Method::POST, &marks(&s.entry_tj), Some(&s.judges[0]), Some(batch.clone())).await;
    assert_problem(res, 409, "scheme_not_frozen").await;

    // The proposal helper: each sub-criterion's group can mark both entries without anyone
    // marking their own delegation.
    let proposal = ok(
        app.call(Method::POST, &format!("/api/v1/skills/{}/groups/proposal", s.skill), Some(&s.chief), None).await,
        200,
    )
    .await;
    assert_eq!(proposal["uncovered"], json!([]));
    assert_eq!(proposal["groups"].as_array().unwrap().len(), 2);
    assert!(proposal["groups"][0]["members"].as_array().unwrap().len() >= 3, "A1 has a judgement aspect: three judges");
    ok(
        app.call(
            Method::POST,
            &format!("/api/v1/skills/{}/scheme/freeze", s.skill),
            Some(&s.admin),
            Some(json!({"version": 1})),
        )
        .await,
        200,
    )
    .await;

    // An expert of another skill cannot mark (or even find) this skill's entries.
    let other_skill = ok(
        app.call(
            Method::POST,
            &format!("/api/v1/events/{}/skills", s.event),
            Some(&s.admin),
            Some(json!({"number": "02", "name_zh": "二", "name_en": "Two"})),
        )
        .await,
        201,
    )
    .await;
    app.user(
        "other@skills.cn",
        &[crate::helpers::grant(
            skillmark::domain::role::Role::Expert,
            other_skill["id"].as_str(),
            Some(&s.tj_delegation),
        )],
    )
    .await;
    let other = app.login("other@skills.cn", PASSWORD).await;
    assert_problem(
        app.call(Method::POST, &marks(&s.entry_sh), Some(&other), Some(batch.clone())).await,
        404,
        "not_found",
    )
    .await;

    // Recusal, on every path: the SH expert cannot mark or even read the SH entry's marks.
    assert_problem(
        app.call(Method::POST, &marks(&s.entry_sh), Some(&s.sh_expert), Some(batch.clone())).await,
        403,
        "recusal",
    )
    .await;
    assert_problem(app.get(&marks(&s.entry_sh), &s.sh_expert).await, 403, "recusal").await;

    let first =
        ok(app.call(Method::POST, &marks(&s.entry_tj), Some(&s.judges[0]), Some(batch.clone())).await, 200).await;
    assert_eq!(outcomes(&first), ["saved"; 4]);
    assert_eq!(first["results"][2]["current"]["value"], 2);
    // The response was lost; the tablet replays the batch: nothing changes.
    let replay = ok(app.call(Method::POST, &marks(&s.entry_tj), Some(&s.judges[0]), Some(batch)).await, 200).await;
    assert_eq!(outcomes(&replay), ["unchanged"; 4]);
    let all = ok(app.get(&marks(&s.entry_tj), &s.chief).await, 200).await;
    let count: usize = all.as_array().unwrap().iter().map(|a| a["marks"].as_array().unwrap().len()).sum();
    assert_eq!(count, 4, "each mark exists once");

    // Bad values are rejected one by one, with reasons.
    let bad = json!({"marks": [
        {"client_id": "x1", "aspect": "A1.1", "amount": 2500},
        {"client_id": "x2", "aspect": "A1.2", "score": 4},
        {"client_id": "x3", "aspect": "Z9.1", "score": 1},
        {"client_id": "x4", "aspect": "A1.2", "amount": 100},
        {"client_id": "bj-1", "aspect": "B1.2", "amount": 0},
        {"client_id": "x6", "aspect": "B1.2", "amount": 0, "entered_at": "2020-01-01T08:00:00Z"},
        {"client_id": "x7", "aspect": "B1.2", "amount": 0,
         "entered_at": app.time_from_now(chrono::TimeDelta::hours(14))},
    ]});
    let res = ok(app.call(Method::POST, &marks(&s.entry_tj), Some(&s.judges[1]), Some(bad)).await, 200).await;
    assert_eq!(outcomes(&res), ["rejected"; 7]);
    let reasons: Vec<&str> = res["results"].as_array().unwrap().iter().map(|r| r["reason"].as_str().unwrap()).collect();
    assert!(
        reasons[0].contains("pass/fail") && reasons[1].contains("0 to 3") && reasons[2].contains("not an aspect"),
        "{reasons:?}"
    );
    assert!(reasons[5].contains("days ago") && reasons[6].contains("hours ahead"), "wrong tablet clocks: {reasons:?}");

    // Blind judgement: the second judge sees no other score until all three have scored.
    let seen = ok(app.get(&marks(&s.entry_tj), &s.judges[1]).await, 200).await;
    let a12 = seen.as_array().unwrap().iter().find(|a| a["aspect"] == "A1.2").unwrap();
    assert_eq!((a12["judges_scored"].as_u64(), a12["hidden"].as_bool()), (Some(1), Some(true)));
    assert_eq!(a12["marks"], json!([]));
    // The skill-wide view is just as blind.
    let all = ok(app.get(&format!("/api/v1/skills/{}/marks", s.skill), &s.judges[1]).await, 200).await;
    let tj = all.as_array().unwrap().iter().find(|e| e["entry_id"] == json!(s.entry_tj)).unwrap();
    assert_eq!(tj["aspects"], seen);
    for (i, score) in [(1, 3), (2, 3)] {
        let body = json!({"marks": [{"client_id": format!("j{i}-a12"), "aspect": "A1.2", "score": score}]});
        ok(app.call(Method::POST, &marks(&s.entry_tj), Some(&s.judges[i]), Some(body)).await, 200).await;
    }
    let seen = ok(app.get(&marks(&s.entry_tj), &s.judges[1]).await, 200).await;
    let a12 = seen.as_array().unwrap().iter().find(|a| a["aspect"] == "A1.2").unwrap();
    assert_eq!((a12["marks"].as_array().unwrap().len(), a12["spread"].as_u64()), (3, Some(1)));

    // Two experts on one measurement mark: the second sees the first's value instead of
    // overwriting it, then changes it on purpose.
    let res = ok(
        app.call(
            Method::POST,
            &marks(&s.entry_tj),
            Some(&s.judges[1]),
            Some(json!({"marks": [{"client_id": "gd-a11", "aspect": "A1.1", "amount": 0}]})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(outcomes(&res), ["conflict"]);
    assert_eq!(
        (res["results"][0]["current"]["value"].as_i64(), res["results"][0]["current"]["version"].as_i64()),
        (Some(5000), Some(1))
    );
    let res = ok(
        app.call(
            Method::POST,
            &marks(&s.entry_tj),
            Some(&s.judges[1]),
            Some(json!({"marks": [{"client_id": "gd-a11b", "aspect": "A1.1", "amount": 0, "version": 1}]})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(outcomes(&res), ["saved"]);
    let res = ok(
        app.call(
            Method::POST,
            &marks(&s.entry_tj),
            Some(&s.judges[0]),
            Some(json!({"marks": [{"client_id": "bj-a11c", "aspect": "A1.1", "amount": 5000, "version": 1}]})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(outcomes(&res), ["conflict"]);
    assert_eq!(res["results"][0]["current"]["version"], 2);

    // Locking: only when complete and within spread; then read-only until unlocked with a reason.
    let locks = format!("/api/v1/entries/{}/locks", s.entry_tj);
    assert_problem(
        app.call(Method::POST, &locks, Some(&s.judges[0]), Some(json!({"sub_criterion": "A1"}))).await,
        403,
        "forbidden",
    )
    .await;
    ok(app.call(Method::POST, &locks, Some(&s.chief), Some(json!({"sub_criterion": "A1"}))).await, 201).await;
    assert_problem(
        app.call(Method::POST, &locks, Some(&s.chief), Some(json!({"sub_criterion": "A1"}))).await,
        409,
        "already_locked",
    )
    .await;
    let res = ok(
        app.call(
            Method::POST,
            &marks(&s.entry_tj),
            Some(&s.judges[0]),
            Some(json!({"marks": [{"client_id": "late", "aspect": "A1.1", "amount": 5000, "version": 2}]})),
        )
        .await,
        200,
    )
    .await;
    assert!(res["results"][0]["reason"].as_str().unwrap().contains("locked"));
    let unlock = format!("{locks}/A1/unlock");
    assert_problem(
        app.call(Method::POST, &unlock, Some(&s.chief), Some(json!({"reason": " "}))).await,
        422,
        "validation_failed",
    )
    .await;
    ok(
        app.call(Method::POST, &unlock, Some(&s.chief), Some(json!({"reason": "score sheet mix-up at workstation 4"})))
            .await,
        204,
    )
    .await;
    let actions = app.audit_actions().await;
    // The history keeps who changed what from which value: the GD judge's change of A1.1.
    let log = ok(
        app.get(&format!("/api/v1/audit?action=marks.entered&target_id={}&per_page=100", s.entry_tj), &s.admin).await,
        200,
    )
    .await;
    let change = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["after"]["changes"].as_array().unwrap().clone())
        .find(|c| !c["before"].is_null())
        .expect("an update is recorded with its old value");
    assert_eq!((change["before"]["value"].as_i64(), change["after"]["value"].as_i64()), (Some(5000), Some(0)));
    assert_eq!(change["after"]["version"], 2);
    for a in [AuditAction::MarksEntered, AuditAction::MarksLocked, AuditAction::MarksUnlocked] {
        assert!(actions.contains(&a), "{a} is audited");
    }

    // Out of spread blocks the lock: scores 0, 3, 3 on the SH entry's judgement aspect.
    for (i, score) in [(0, 0), (1, 3), (2, 3)] {
        let body = json!({"marks": [
            {"client_id": format!("sh-{i}-a12"), "aspect": "A1.2", "score": score},
            {"client_id": format!("sh-{i}-a11"), "aspect": "A1.1", "amount": 5000, "version": if i == 0 { Value::Null } else { json!(1) }}
        ]});
        ok(app.call(Method::POST, &marks(&s.entry_sh), Some(&s.judges[i]), Some(body)).await, 200).await;
    }
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/entries/{}/locks", s.entry_sh),
            Some(&s.chief),
            Some(json!({"sub_criterion": "A1"})),
        )
        .await;
    let p = assert_problem(res, 409, "not_ready_to_lock").await;
    assert_eq!(p["current"]["out_of_spread"], json!(["A1.2"]));
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/entries/{}/locks", s.entry_sh),
            Some(&s.chief),
            Some(json!({"sub_criterion": "B1"})),
        )
        .await;
    let p = assert_problem(res, 409, "not_ready_to_lock").await;
    assert_eq!(p["current"]["missing"], json!(["B1.1", "B1.2"]));

    // Judge analytics: on the SH entry the BJ judge scored 0 where the others gave 3.
    let stats = ok(app.get(&format!("/api/v1/skills/{}/analytics", s.skill), &s.chief).await, 200).await;
    let first = &stats[0];
    assert!(first["mean_deviation"].as_f64().unwrap() < 0.0, "{stats}");
    assert_eq!(first["out_of_spread"], 1);
    assert_eq!(first["scores"], 2);
    assert_eq!(first["display_name"], "Test User", "judges are named, not only numbered");

    // The printable form for A1 lists each entry's marks and the group's signature lines.
    let form = app
        .client
        .get(app.url(&format!("/api/v1/skills/{}/marking-form?sub_criterion=a1", s.skill)))
        .header("accept-language", "en-GB,en;q=0.9")
        .bearer_auth(&s.chief)
        .send()
        .await
        .unwrap();
    assert_eq!(form.headers()["content-type"], "text/html; charset=utf-8");
    let html = form.text().await.unwrap();
    assert!(
        html.contains("A1.2 Finish") && html.contains("0 / 3 / 3") && html.matches("class=\"sig\"").count() == 5,
        "{html}"
    );
    assert!(html.contains("Total A1") && html.contains("8.89"), "exact: 0.00 + (2+3+3)/9 × 10.00");
    assert!(html.contains("Marking form") && html.contains("Chief Expert") && !html.contains("裁判长"), "{html}");
    // In Chinese, every heading is Chinese; asked for by `lang` (the SPA's language).
    let form = |query: &'static str| {
        let url = app.url(&format!("/api/v1/skills/{}/marking-form?sub_criterion=A1&{query}", s.skill));
        let request = app.client.get(url).header("accept-language", "en").bearer_auth(&s.chief);
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let zh = form("lang=zh-CN").await;
    for word in ["评分表", "工位", "评分项", "A1 合计", "签名", "裁判长", "8.89"] {
        assert!(zh.contains(word), "{word}: {zh}");
    }
    for word in ["Marking form", "Workstation", "Aspect", "Total", "Chief Expert"] {
        assert!(!zh.contains(word), "{word}: {zh}");
    }
    // The paper fallback: the same form blank, entries in workstation order.
    let draw = format!("/api/v1/skills/{}/draw", s.skill);
    ok(app.call(Method::POST, &draw, Some(&s.chief), Some(json!({"reason": "paper forms"}))).await, 201).await;
    let blank = form("lang=zh-CN&blank=true").await;
    assert!(blank.contains("A1.2 Finish") && blank.matches("class=\"sig\"").count() == 5, "{blank}");
    assert!(!blank.contains("0 / 3 / 3") && !blank.contains("8.89") && !blank.contains("已锁定"), "{blank}");
    let stations: Vec<i64> = blank
        .split("<h2>工位 ")
        .skip(1)
        .filter_map(|part| part.split(' ').next().and_then(|n| n.parse().ok()))
        .collect();
    assert!(stations.len() >= 2 && stations.windows(2).all(|w| w[0] < w[1]), "workstation order: {stations:?}");
    assert_problem(
        app.get(&format!("/api/v1/skills/{}/marking-form?sub_criterion=A1", s.skill), &s.judges[0]).await,
        403,
        "forbidden",
    )
    .await;

    // The chief expert's dashboard shows the same, per entry and sub-criterion.
    let progress = format!("/api/v1/skills/{}/progress", s.skill);
    assert_problem(app.get(&progress, &s.judges[0]).await, 403, "forbidden").await;
    let board = ok(app.get(&progress, &s.chief).await, 200).await;
    let sh = board.as_array().unwrap().iter().find(|e| e["entry_id"] == s.entry_sh.as_str()).unwrap();
    assert_eq!(sh["sub_criteria"][0]["out_of_spread"], json!(["A1.2"]));
    assert_eq!(
        (sh["sub_criteria"][1]["marked"].as_u64(), sh["sub_criteria"][1]["aspects"].as_u64()),
        (Some(0), Some(2))
    );
    let tj = board.as_array().unwrap().iter().find(|e| e["entry_id"] == s.entry_tj.as_str()).unwrap();
    assert_eq!(
        (tj["sub_criteria"][0]["locked"].as_bool(), tj["sub_criteria"][1]["marked"].as_u64()),
        (Some(false), Some(2))
    );
}

both_engines!(anonymous_entries_are_revealed_only_after_every_mark_is_locked);

async fn anonymous_entries_are_revealed_only_after_every_mark_is_locked(app: TestApp) {
    let s = set_up(&app, true).await;
    ok(
        app.call(
            Method::POST,
            &format!("/api/v1/skills/{}/scheme/freeze", s.skill),
            Some(&s.admin),
            Some(json!({"version": 1})),
        )
        .await,
        200,
    )
    .await;
    let event = ok(app.get(&format!("/api/v1/entries/{}", s.entry_tj), &s.admin).await, 200).await["event_id"]
        .as_str()
        .unwrap()
        .to_string();
    let listed = ok(app.get(&format!("/api/v1/events/{event}/entries"), &s.judges[0]).await, 200).await;
    let codes: Vec<&str> = listed["items"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 2);
    assert_ne!(codes[0], codes[1]);
    assert!(listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["delegation_id"].is_null() && e["competitors"] == json!([]) && e["recused"] == json!(false)));
    // The SH expert is told which code they may not mark, without the delegation being shown.
    let listed = ok(app.get(&format!("/api/v1/events/{event}/entries"), &s.sh_expert).await, 200).await;
    let recused: Vec<(&str, bool)> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].as_str().unwrap(), e["recused"].as_bool().unwrap()))
        .collect();
    assert_eq!(recused.len(), 2);
    for (id, flag) in recused {
        assert_eq!(flag, id == s.entry_sh, "{id}");
    }
    assert!(listed["items"].as_array().unwrap().iter().all(|e| e["delegation_id"].is_null()));

    let reveal = format!("/api/v1/skills/{}/reveal", s.skill);
    assert_problem(app.call(Method::POST, &reveal, Some(&s.chief), None).await, 403, "forbidden").await;
    assert_problem(app.call(Method::POST, &reveal, Some(&s.admin), None).await, 409, "marks_not_locked").await;

    for entry in [&s.entry_sh, &s.entry_tj] {
        for (i, judge) in s.judges.iter().enumerate() {
            let mut marks = vec![json!({"client_id": format!("{entry}-{i}-a12"), "aspect": "A1.2", "score": 2})];
            if i == 0 {
                marks.push(json!({"client_id": format!("{entry}-a11"), "aspect": "A1.1", "amount": 5000}));
                marks.push(json!({"client_id": format!("{entry}-b11"), "aspect": "B1.1", "deductions": 0}));
                marks.push(json!({"client_id": format!("{entry}-b12"), "aspect": "B1.2", "amount": 2000}));
            }
            let res = ok(
                app.call(
                    Method::POST,
                    &format!("/api/v1/entries/{entry}/marks"),
                    Some(judge),
                    Some(json!({"marks": marks})),
                )
                .await,
                200,
            )
            .await;
            assert!(outcomes(&res).iter().all(|o| o == "saved"), "{res}");
        }
        for sub in ["A1", "B1"] {
            ok(
                app.call(
                    Method::POST,
                    &format!("/api/v1/entries/{entry}/locks"),
                    Some(&s.chief),
                    Some(json!({"sub_criterion": sub})),
                )
                .await,
                201,
            )
            .await;
        }
    }
    // A tablet's start of day: every entry's marks of the skill in one request, as entry by entry.
    let all = ok(app.get(&format!("/api/v1/skills/{}/marks", s.skill), &s.judges[1]).await, 200).await;
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 2);
    for one in all {
        let entry = one["entry_id"].as_str().unwrap();
        let single = ok(app.get(&format!("/api/v1/entries/{entry}/marks"), &s.judges[1]).await, 200).await;
        assert_eq!(one["aspects"], single, "{entry}");
        let a12 = one["aspects"].as_array().unwrap().iter().find(|a| a["aspect"] == "A1.2").unwrap();
        assert_eq!(a12["marks"].as_array().unwrap().len(), 3);
        assert_eq!(a12["locked"], json!(true));
    }
    // The SH expert gets only the entry they may mark; a team leader none.
    let mine = ok(app.get(&format!("/api/v1/skills/{}/marks", s.skill), &s.sh_expert).await, 200).await;
    let ids: Vec<&str> = mine.as_array().unwrap().iter().map(|e| e["entry_id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![s.entry_tj.as_str()]);

    // Results from the locked marks: both entries scored the same, so both get gold at 700.
    let live = ok(app.get(&format!("/api/v1/skills/{}/results", s.skill), &s.chief).await, 200).await;
    assert_eq!(live["state"], "draft");
    let results = &live["entries"];
    let first = &results[0];
    // A1.1 50.00 + A1.2 (2+2+2)/9 × 10.00 = 6.67 + B1.1 20.00 + B1.2 20.00 = 96.67
    assert_eq!(
        (first["raw"].as_str(), first["score"].as_i64(), first["complete"].as_bool()),
        (Some("96.67"), Some(700), Some(true))
    );
    assert_eq!((results[1]["rank"].as_u64(), results[1]["award"].as_str()), (Some(1), Some("gold")));
    assert_problem(
        app.get(&format!("/api/v1/skills/{}/results", s.skill), &s.judges[0]).await,
        403,
        "results_embargoed",
    )
    .await;
    ok(app.call(Method::POST, &reveal, Some(&s.admin), None).await, 204).await;
    assert_problem(app.call(Method::POST, &reveal, Some(&s.admin), None).await, 409, "already_revealed").await;
    let listed = ok(app.get(&format!("/api/v1/events/{event}/entries"), &s.judges[0]).await, 200).await;
    assert!(
        listed["items"].as_array().unwrap().iter().all(|e| e["delegation_id"].is_string()),
        "identities are shown now"
    );
    assert!(app.audit_actions().await.contains(&AuditAction::SkillIdentitiesRevealed));
}

both_engines!(experts_of_one_skill_marking_at_once_each_get_their_own_answer);

/// Requests marking one skill at once are entered together (one transaction for those that
/// wait): each request still gets its own answers, sees those entered before it, and its
/// acknowledged marks are stored once with one audit record in the skill's intact chain.
async fn experts_of_one_skill_marking_at_once_each_get_their_own_answer(app: TestApp) {
    let s = set_up(&app, false).await;
    let freeze = format!("/api/v1/skills/{}/scheme/freeze", s.skill);
    ok(app.call(Method::POST, &freeze, Some(&s.admin), Some(json!({"version": 1}))).await, 200).await;
    let marks = |entry: &str| format!("/api/v1/entries/{entry}/marks");
    const ROUNDS: i64 = 8;

    // Each judge rewrites their A1.2 score of each entry, each answer's version sent with the
    // next; every third request is sent twice (the second a replay); each carries a mark of no
    // aspect, refused on its own.
    let rewrite = |judge: usize, entry: String| {
        let (app, token) = (&app, s.judges[judge].clone());
        async move {
            let (mut version, mut saved, mut records, mut last) = (None::<i64>, 0, 0, 0);
            for round in 0..ROUNDS {
                let score = (round + judge as i64) % 4;
                let body = json!({"marks": [
                    {"client_id": format!("j{judge}-{entry}-{round}"), "aspect": "A1.2", "score": score, "version": version},
                    {"client_id": format!("j{judge}-{entry}-{round}-x"), "aspect": "Z9.9", "score": 1},
                ]});
                let sends = if round % 3 == 2 { 2 } else { 1 };
                for send in 0..sends {
                    let answer =
                        ok(app.call(Method::POST, &marks(&entry), Some(&token), Some(body.clone())).await, 200).await;
                    let expected = if send == 0 { "saved" } else { "unchanged" };
                    assert_eq!(outcomes(&answer), [expected, "rejected"], "judge {judge}, round {round}: {answer}");
                    version = answer["results"][0]["current"]["version"].as_i64();
                    if send == 0 {
                        saved += 1;
                        records += 1;
                        last = score;
                    }
                }
                assert_eq!(version, Some(round + 1));
            }
            (judge, entry, saved, records, last)
        }
    };
    // Meanwhile two judges enter the first A1.1 measurement of the TJ entry with their own
    // client ids: one is saved, the other learns of it as a conflict; and the SH expert, who may
    // not mark the SH entry, is refused without holding anyone up.
    let first = |judge: usize, amount: i64| {
        let (app, token, entry) = (&app, s.judges[judge].clone(), s.entry_tj.clone());
        async move {
            let body = json!({"marks": [{"client_id": format!("first-{judge}"), "aspect": "A1.1", "amount": amount}]});
            let answer = ok(app.call(Method::POST, &marks(&entry), Some(&token), Some(body)).await, 200).await;
            outcomes(&answer).remove(0)
        }
    };
    let recused = async {
        let body = json!({"marks": [{"client_id": "sh-own", "aspect": "A1.2", "score": 3}]});
        app.call(Method::POST, &marks(&s.entry_sh), Some(&s.sh_expert), Some(body)).await.status().as_u16()
    };
    let loops = (0..3).flat_map(|j| [rewrite(j, s.entry_sh.clone()), rewrite(j, s.entry_tj.clone())]);
    let (rewritten, firsts, refused) = futures_util::future::join3(
        futures_util::future::join_all(loops),
        futures_util::future::join(first(0, 5000), first(1, 5000)),
        recused,
    )
    .await;
    assert_eq!(refused, 403);
    let mut firsts = [firsts.0, firsts.1];
    firsts.sort();
    assert_eq!(firsts, ["conflict".to_string(), "saved".to_string()]);

    // Every acknowledged score is stored once, at its last value and version.
    let mut records_expected = 1; // the measurement saved above
    for (judge, entry, saved, records, last) in rewritten {
        records_expected += records;
        let judge_id = crate::faults::judge_user_id(&app, &s, judge).await;
        let stored = ok(app.get(&marks(&entry), &s.admin).await, 200).await;
        let mine: Vec<&Value> = stored
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|a| a["marks"].as_array().unwrap())
            .filter(|m| m["aspect"] == "A1.2" && m["judge_id"] == judge_id.as_str())
            .collect();
        assert_eq!(mine.len(), 1, "one A1.2 score of judge {judge} for {entry}");
        assert_eq!((mine[0]["version"].as_i64(), mine[0]["value"].as_i64()), (Some(saved), Some(last)));
    }
    let log = ok(
        app.get(&format!("/api/v1/audit?event_id={}&action=marks.entered&per_page=1", s.event), &s.admin).await,
        200,
    )
    .await;
    assert_eq!(log["total"].as_i64(), Some(records_expected), "one record per request that saved a mark");
    let verify: Value =
        app.get(&format!("/api/v1/audit/verify?event_id={}", s.event), &s.admin).await.json().await.unwrap();
    assert!(verify.as_array().unwrap().iter().all(|c| c["intact"] == true), "audit chains intact: {verify}");
}
