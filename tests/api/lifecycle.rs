//! The lifecycle matrix: every mutating API operation against a skill in every phase of its life
//! (`domain::lifecycle::Phase`), compared with the lifecycle table (`domain::lifecycle::TABLE`).
//! A refused cell must answer 409 with the table's code; an allowed cell must get past the
//! lifecycle (any answer but a lifecycle refusal or a 500: the probes' bodies then fail a later,
//! harmless check such as a stale version). After every refused mutation `skillmark verify` still
//! finds every ratified result intact. A mutating route that is neither probed here nor listed as
//! free of the lifecycle (with the reason) fails the test, so a new route cannot walk around it.
//!
//! Below the matrix, each symptom of issue 14 that the lifecycle answers, as its own scenario.

use reqwest::Method;
use serde_json::{json, Value};
use skillmark::domain::lifecycle::{self, Operation, Phase, Verdict};
use skillmark::domain::role::Role;

use skillmark::domain::audit::AuditAction;

use crate::both_engines;
use crate::builders::EventBuilder;
use crate::helpers::{assert_problem, grant, TestApp, PASSWORD};
use crate::marking::ok;
use crate::results::mark_entry;

/// Mutating routes that no lifecycle state decides, and why. Every other mutating route of the
/// OpenAPI document must be probed in `PROBES`.
const FREE: &[(&str, &str, &str)] = &[
    ("post", "/api/v1/auth/login", "signing in records no competition data"),
    ("post", "/api/v1/auth/refresh", "signing in records no competition data"),
    ("post", "/api/v1/auth/logout", "signing in records no competition data"),
    ("post", "/api/v1/auth/password", "one's own account"),
    ("post", "/api/v1/auth/password-reset", "one's own account"),
    ("post", "/api/v1/auth/password-reset/confirm", "one's own account"),
    ("post", "/api/v1/auth/invitation/accept", "one's own account"),
    ("post", "/api/v1/auth/setup", "the first administrator"),
    ("patch", "/api/v1/me", "one's own account"),
    ("post", "/api/v1/users", "accounts: who may sign in, not what is recorded"),
    ("patch", "/api/v1/users/{id}", "accounts: who may sign in, not what is recorded"),
    ("post", "/api/v1/users/{id}/invitation", "accounts: who may sign in, not what is recorded"),
    ("post", "/api/v1/users/{id}/roles", "roles: admin only; marks and locks check the lifecycle themselves"),
    ("delete", "/api/v1/users/{id}/roles/{role_id}", "roles: admin only; removing one changes no record"),
    ("post", "/api/v1/events", "a new event has no skill yet"),
    ("put", "/api/v1/events/{id}", "event-wide: the event's status decides (setup, registration)"),
    ("post", "/api/v1/events/{id}/status", "event-wide: the status moves one step at a time"),
    ("post", "/api/v1/events/{id}/skills", "a new skill starts unmarked"),
    ("post", "/api/v1/events/{id}/delegations", "event-wide: the event's status decides"),
    ("put", "/api/v1/delegations/{id}", "event-wide: the event's status decides"),
    ("post", "/api/v1/delegations/{id}/team-leaders", "a role: changes no record of a skill"),
    ("post", "/api/v1/competitors/{id}/account", "a portal account to read one's result: changes no record"),
    ("post", "/api/v1/skills/{id}/reveal", "its own rule: only once every mark is locked; changes no mark"),
    ("post", "/api/v1/skills/{id}/groups/proposal", "a proposal: nothing is saved"),
    ("delete", "/api/v1/skills/{id}/results/schedule", "calls off a release that has not happened"),
    ("post", "/api/v1/disputes/{id}/resolve", "the lifecycle's own path: an upheld dispute reopens the skill"),
    ("post", "/api/v1/selection/programmes", "a programme names an event; it changes no record of a skill"),
    ("post", "/api/v1/selection/programmes/{id}/stages", "a new stage is a new event whose skills start unmarked"),
    (
        "put",
        "/api/v1/selection/stages/{id}/skills/{skill}",
        "the rules of a cut: fixed by its confirmation, not by marks",
    ),
    ("post", "/api/v1/selection/stages/{id}/release", "announces confirmed lists: changes no record of a skill"),
    ("post", "/api/v1/selection/programmes/{id}/team/release", "announces the team: changes no record of a skill"),
];

/// The records of one event whose one skill (01) is in the phase under test.
struct Target {
    event: String,
    /// The event as stage 1 of a selection programme.
    stage: String,
    skill: String,
    entry_sh: String,
    entry_tj: String,
    competitor_tj: String,
    delegation_sh: String,
    rules: Value,
    admin: String,
    judge: String,
    leader: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Caller {
    Admin,
    /// A judge of the skill from BJ (may mark the TJ entry).
    Judge,
    /// SH's team leader (files disputes).
    Leader,
}

enum Body {
    None,
    Json(Value),
    /// A file, as imports and photos take it.
    Bytes(&'static [u8]),
}

/// How an answer is compared with the table.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Check {
    /// A refusal is a 409 with the table's code.
    Status,
    /// A dry-run import: a refusal is a row problem in the skill's column with the table's words.
    ImportRow,
}

struct Probe {
    method: &'static str,
    path: &'static str,
    op: Operation,
    caller: Caller,
    body: fn(&Target) -> Body,
    check: Check,
}

const COMPETITORS_CSV: &[u8] =
    "delegation,skill,team,name,gender,birth_date,id_number\nGD,01,,王五,男,2005-05-05,110101200505050099\n".as_bytes();

fn skill_body(change: &str) -> Body {
    let mut b = json!({"number": "01", "name_zh": "技能", "name_en": "Skill", "sector": "", "age_limit": 22,
        "team_size": 1, "max_entries_per_delegation": 1, "judgement_mode": "three_judges", "max_spread": 1,
        "anonymous": false, "workstation_count": 10, "version": 999});
    match change {
        "names" => b["name_zh"] = json!("技能（改）"),
        "registration" => b["age_limit"] = json!(25),
        "marking" => b["max_spread"] = json!(2),
        _ => unreachable!(),
    }
    Body::Json(b)
}

const PROBES: &[Probe] = &[
    Probe {
        method: "put",
        path: "/api/v1/skills/{skill}",
        op: Operation::EditSkillNames,
        caller: Caller::Admin,
        body: |_| skill_body("names"),
        check: Check::Status,
    },
    Probe {
        method: "put",
        path: "/api/v1/skills/{skill}",
        op: Operation::EditSkillRegistration,
        caller: Caller::Admin,
        body: |_| skill_body("registration"),
        check: Check::Status,
    },
    Probe {
        method: "put",
        path: "/api/v1/skills/{skill}",
        op: Operation::EditSkillMarking,
        caller: Caller::Admin,
        body: |_| skill_body("marking"),
        check: Check::Status,
    },
    // SH has its entry already: past the lifecycle, the delegation's maximum refuses it.
    Probe {
        method: "post",
        path: "/api/v1/events/{event}/entries",
        op: Operation::CreateEntry,
        caller: Caller::Admin,
        body: |t| Body::Json(json!({"skill_id": t.skill, "delegation_id": t.delegation_sh})),
        check: Check::Status,
    },
    Probe {
        method: "post",
        path: "/api/v1/events/{event}/imports/{kind}",
        op: Operation::CreateEntry,
        caller: Caller::Admin,
        body: |_| Body::Bytes(COMPETITORS_CSV),
        check: Check::ImportRow,
    },
    Probe {
        method: "post",
        path: "/api/v1/entries/{entry}/status",
        op: Operation::ChangeEntryStatus,
        caller: Caller::Admin,
        body: |_| Body::Json(json!({"status": "withdrawn", "version": 999})),
        check: Check::Status,
    },
    Probe {
        method: "post",
        path: "/api/v1/entries/{entry}/competitors",
        op: Operation::ChangeCompetitors,
        caller: Caller::Admin,
        body: |_| {
            Body::Json(
                json!({"name": "李四", "gender": "男", "birth_date": "2005-04-01", "id_number": "330101200504011238"}),
            )
        },
        check: Check::Status,
    },
    Probe {
        method: "put",
        path: "/api/v1/competitors/{competitor}",
        op: Operation::ChangeCompetitors,
        caller: Caller::Admin,
        body: |_| {
            Body::Json(
                json!({"name": "选手", "gender": "男", "birth_date": "2005-05-05", "id_number": "110101200505050001", "version": 999}),
            )
        },
        check: Check::Status,
    },
    Probe {
        method: "delete",
        path: "/api/v1/competitors/{competitor}",
        op: Operation::ChangeCompetitors,
        caller: Caller::Admin,
        body: |_| Body::None,
        check: Check::Status,
    },
    Probe {
        method: "put",
        path: "/api/v1/competitors/{competitor}/photo",
        op: Operation::ChangeCompetitors,
        caller: Caller::Admin,
        body: |_| Body::Bytes(b"not an image"),
        check: Check::Status,
    },
    // The BJ judge is an expert of the skill already: past the lifecycle, one skill per expert.
    Probe {
        method: "post",
        path: "/api/v1/events/{event}/experts",
        op: Operation::RegisterExpert,
        caller: Caller::Admin,
        body: |t| {
            Body::Json(json!({"email": "judge.bj@skills.cn", "display_name": "BJ", "skill_id": t.skill,
            "delegation_id": t.delegation_sh, "position": "expert"}))
        },
        check: Check::Status,
    },
    // Drawn before: past the lifecycle, a redraw needs a reason.
    Probe {
        method: "post",
        path: "/api/v1/skills/{skill}/draw",
        op: Operation::DrawWorkstations,
        caller: Caller::Admin,
        body: |_| Body::Json(json!({})),
        check: Check::Status,
    },
    Probe {
        method: "put",
        path: "/api/v1/skills/{skill}/scheme",
        op: Operation::EditScheme,
        caller: Caller::Admin,
        body: |_| Body::Json(json!({"version": 999, "scheme": crate::schemes::scheme(6000)})),
        check: Check::Status,
    },
    Probe {
        method: "post",
        path: "/api/v1/skills/{skill}/scheme/import?commit=true&version=999",
        op: Operation::EditScheme,
        caller: Caller::Admin,
        body: |_| Body::Bytes(b"not a sheet"),
        check: Check::Status,
    },
    Probe {
        method: "post",
        path: "/api/v1/skills/{skill}/scheme/freeze",
        op: Operation::EditScheme,
        caller: Caller::Admin,
        body: |_| Body::Json(json!({"version": 999})),
        check: Check::Status,
    },
    Probe {
        method: "post",
        path: "/api/v1/skills/{skill}/groups",
        op: Operation::FormGroups,
        caller: Caller::Admin,
        body: |_| Body::Json(json!({"name": "Probe", "members": [], "sub_criteria": ["Z9"]})),
        check: Check::Status,
    },
    Probe {
        method: "post",
        path: "/api/v1/entries/{entry}/marks",
        op: Operation::EnterMarks,
        caller: Caller::Judge,
        body: |_| Body::Json(json!({"marks": [{"client_id": "probe", "aspect": "Z9.9", "score": 1}]})),
        check: Check::Status,
    },
    Probe {
        method: "post",
        path: "/api/v1/entries/{entry}/marks/withdraw",
        op: Operation::WithdrawScore,
        caller: Caller::Admin,
        body: |_| Body::Json(json!({"aspect": "A1.2", "judge_id": uuid::Uuid::now_v7(), "reason": "probe"})),
        check: Check::Status,
    },
    Probe {
        method: "post",
        path: "/api/v1/entries/{entry}/locks",
        op: Operation::Lock,
        caller: Caller::Admin,
        body: |_| Body::Json(json!({"sub_criterion": "Z9"})),
        check: Check::Status,
    },
    Probe {
        method: "post",
        path: "/api/v1/entries/{entry}/locks/{sub}/unlock",
        op: Operation::Unlock,
        caller: Caller::Admin,
        body: |_| Body::Json(json!({"reason": "probe"})),
        check: Check::Status,
    },
    Probe {
        method: "post",
        path: "/api/v1/skills/{skill}/results/ratify",
        op: Operation::Ratify,
        caller: Caller::Admin,
        body: |_| Body::None,
        check: Check::Status,
    },
    // Allowed: a release scheduled nine months ahead of the test clock (nothing is released now).
    Probe {
        method: "post",
        path: "/api/v1/events/{event}/results/publish",
        op: Operation::Release,
        caller: Caller::Admin,
        body: |t| {
            Body::Json(json!({"skills": [t.skill], "audience": "experts",
            "at": "2027-03-01T00:00:00Z"}))
        },
        check: Check::Status,
    },
    // Allowed: step 2 before step 1 is out of order.
    Probe {
        method: "post",
        path: "/api/v1/skills/{skill}/results/ceremony",
        op: Operation::Ceremony,
        caller: Caller::Admin,
        body: |_| Body::Json(json!({"step": 2})),
        check: Check::Status,
    },
    Probe {
        method: "post",
        path: "/api/v1/entries/{entry_sh}/disputes",
        op: Operation::FileDispute,
        caller: Caller::Leader,
        body: |_| Body::Json(json!({"aspect": "Z9.9", "reason": "probe"})),
        check: Check::Status,
    },
    Probe {
        method: "put",
        path: "/api/v1/events/{event}/result-rules",
        op: Operation::ChangeResultRules,
        caller: Caller::Admin,
        body: |t| Body::Json(json!({"version": 999, "rules": t.rules["rules"]})),
        check: Check::Status,
    },
    // Allowed: a stale version.
    Probe {
        method: "post",
        path: "/api/v1/selection/stages/{stage}/skills/{stage_skill}/confirm",
        op: Operation::ConfirmAdvancement,
        caller: Caller::Admin,
        body: |_| Body::Json(json!({"version": 999})),
        check: Check::Status,
    },
    // Allowed: nothing is confirmed yet to withdraw from.
    Probe {
        method: "post",
        path: "/api/v1/selection/stages/{stage}/skills/{stage_skill}/withdraw",
        op: Operation::WithdrawFromSquad,
        caller: Caller::Admin,
        body: |t| Body::Json(json!({"entry_id": t.entry_sh, "reason": "probe"})),
        check: Check::Status,
    },
];

/// The probe's path in the OpenAPI document's spelling.
fn documented(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    path.replace("{skill}", "{id}")
        .replace("{event}", "{id}")
        .replace("{entry_sh}", "{id}")
        .replace("{entry}", "{id}")
        .replace("{competitor}", "{id}")
        .replace("{stage}", "{id}")
        .replace("{stage_skill}", "{skill}")
}

#[test]
fn every_mutating_operation_is_probed_or_free_of_the_lifecycle() {
    let doc: Value = serde_json::from_str(&skillmark::openapi::document()).unwrap();
    let mut missing = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys().filter(|m| *m != "get") {
            let probed = PROBES.iter().any(|p| p.method == method && documented(p.path) == *path);
            let free = FREE.iter().any(|(m, p, _)| m == method && p == path);
            if probed == free {
                missing.push(format!("{method} {path}: {}", if probed { "both probed and free" } else { "no row" }));
            }
        }
    }
    assert!(missing.is_empty(), "the lifecycle matrix (tests/api/lifecycle.rs) lacks:\n{}", missing.join("\n"));
    for op in Operation::ALL {
        assert!(PROBES.iter().any(|p| p.op == op), "{op:?} of the lifecycle table is never probed");
    }
}

both_engines!(every_mutation_answers_every_phase_as_the_lifecycle_table_says);

async fn every_mutation_answers_every_phase_as_the_lifecycle_table_says(app: TestApp) {
    let people = People::new(&app).await;
    let codes: Vec<&str> = lifecycle::TABLE
        .iter()
        .flat_map(|(_, row)| row.iter())
        .filter_map(|v| match v {
            Verdict::Refused(why) => Some(why.code()),
            Verdict::Allowed => None,
        })
        .collect();
    let mut failures = Vec::new();
    for (i, phase) in Phase::ALL.into_iter().enumerate() {
        let t = skill_in(&app, &people, phase, i).await;
        let state = app.get(&format!("/api/v1/skills/{}/lifecycle", t.skill), &t.admin).await;
        let state: Value = ok(state, 200).await;
        assert_eq!(state["phase"], json!(phase.as_str()), "the set-up reached {phase:?}");
        for probe in PROBES {
            let path = probe
                .path
                .replace("{skill}", &t.skill)
                .replace("{event}", &t.event)
                .replace("{entry_sh}", &t.entry_sh)
                .replace("{entry}", &t.entry_tj)
                .replace("{competitor}", &t.competitor_tj)
                .replace("{stage}", &t.stage)
                .replace("{stage_skill}", &t.skill)
                .replace("{kind}", "competitors")
                .replace("{sub}", "Z9");
            let token = match probe.caller {
                Caller::Admin => &t.admin,
                Caller::Judge => &t.judge,
                Caller::Leader => &t.leader,
            };
            let method = Method::from_bytes(probe.method.to_uppercase().as_bytes()).unwrap();
            let mut req = reqwest::Client::new().request(method, app.url(&path)).bearer_auth(token);
            req = match (probe.body)(&t) {
                Body::None => req,
                Body::Json(v) => req.json(&v),
                Body::Bytes(b) => req.body(b.to_vec()),
            };
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let body: Value = res.json().await.unwrap_or(Value::Null);
            let code = body["code"].as_str().unwrap_or("");
            let what = format!("{} {} ({:?}) in {phase:?}", probe.method, probe.path, probe.op);
            let verdict = lifecycle::verdict(probe.op, phase);
            match (probe.check, verdict) {
                (_, _) if status >= 500 => failures.push(format!("{what}: {status} {body}")),
                (Check::Status, Verdict::Refused(why)) if status != 409 || code != why.code() => {
                    failures.push(format!("{what}: expected 409 {}, got {status} {body}", why.code()))
                }
                (Check::Status, Verdict::Allowed) if status == 409 && codes.contains(&code) => {
                    failures.push(format!("{what}: allowed by the table, refused with {code}"))
                }
                (Check::ImportRow, verdict) => {
                    let refused =
                        body["problems"].as_array().is_some_and(|ps| ps.iter().any(|p| p["column"] == "skill"));
                    match verdict {
                        Verdict::Refused(why) => {
                            let words = body["problems"].to_string();
                            if !(status == 200 && refused && words.contains(why.detail())) {
                                failures.push(format!(
                                    "{what}: expected a row problem ({}), got {status} {body}",
                                    why.code()
                                ));
                            }
                        }
                        Verdict::Allowed if refused || status != 200 => {
                            failures.push(format!("{what}: allowed by the table, got {status} {body}"))
                        }
                        Verdict::Allowed => {}
                    }
                }
                _ => {}
            }
            if matches!(verdict, Verdict::Refused(_)) {
                let report = app.state.db(skillmark::service::verify::verify).await.unwrap();
                if !report.problems.is_empty() {
                    failures.push(format!("{what}: verify reports {:?}", report.problems));
                }
            }
        }
    }
    assert!(failures.is_empty(), "lifecycle matrix mismatches:\n{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Set-up: one event per phase, its skill 01 brought there through the API as the roles would.

/// The accounts every event's skill uses: three judges (BJ, GD, CQ) and the admin.
struct People {
    admin: String,
    judges: Vec<String>,
}

impl People {
    async fn new(app: &TestApp) -> Self {
        app.admin("admin@skills.cn").await;
        let admin = app.login("admin@skills.cn", PASSWORD).await;
        let mut judges = Vec::new();
        for email in JUDGES {
            app.user(email, &[]).await;
            judges.push(app.login(email, PASSWORD).await);
        }
        Self { admin, judges }
    }
}

const JUDGES: [&str; 3] = ["judge.bj@skills.cn", "judge.gd@skills.cn", "judge.cq@skills.cn"];

async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> String {
    ok(app.call(Method::POST, path, Some(token), Some(body)).await, 201).await["id"].as_str().unwrap().to_string()
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value, status: u16) -> Value {
    ok(app.call(Method::POST, path, Some(token), Some(body)).await, status).await
}

/// An event (notice period 7 days; 0 for `Final`) with delegations SH, TJ, BJ, GD, CQ, skill 01
/// with confirmed entries of SH and TJ, the three judges and a frozen scheme, a group for A1 and
/// B1, drawn workstations; then marked, locked, ratified, released or disputed as far as `phase`.
async fn skill_in(app: &TestApp, people: &People, phase: Phase, n: usize) -> Target {
    let admin = people.admin.clone();
    let mut built = EventBuilder::new(app, &admin)
        .name(&format!("E{n}"))
        .skill_settings(json!({"workstation_count": 10}))
        .delegations(&["SH", "TJ", "BJ", "GD", "CQ"])
        .entries(&["SH", "TJ"])
        .scheme(crate::schemes::scheme(6000), true);
    for (email, code) in JUDGES.iter().zip(["BJ", "GD", "CQ"]) {
        built = built.registered_expert(email, code, "expert");
    }
    let e = built.build().await;
    let (event, skill) = (e.id.clone(), e.skill.clone());
    if phase == Phase::Final {
        let mut rules: Value = ok(app.get(&format!("/api/v1/events/{event}/result-rules"), &admin).await, 200).await;
        rules["rules"]["notice_days"] = json!(0);
        let path = format!("/api/v1/events/{event}/result-rules");
        ok(app.call(Method::PUT, &path, Some(&admin), Some(rules)).await, 200).await;
    }
    let rules: Value = ok(app.get(&format!("/api/v1/events/{event}/result-rules"), &admin).await, 200).await;
    let entries = [e.entry("SH").to_string(), e.entry("TJ").to_string()];
    let judge_ids: Vec<&str> = e.experts.iter().map(|(_, id)| id.as_str()).collect();
    let group = json!({"name": "Group A", "members": judge_ids, "sub_criteria": ["A1", "B1"]});
    post(app, &admin, &format!("/api/v1/skills/{skill}/groups"), group, 201).await;
    post(app, &admin, &format!("/api/v1/skills/{skill}/draw"), json!({}), 201).await;
    let leader_email = format!("leader{n}@skills.cn");
    app.user(&leader_email, &[grant(Role::TeamLeader, Some(e.delegation("SH")), None)]).await;
    let leader = app.login(&leader_email, PASSWORD).await;
    let programme = json!({"name": format!("P{n}"), "target_competition": "WorldSkills", "target_year": 2027,
        "event_id": event});
    let programme =
        ok(app.call(Method::POST, "/api/v1/selection/programmes", Some(&admin), Some(programme)).await, 201).await;
    let target = Target {
        event: event.clone(),
        stage: programme["stages"][0]["id"].as_str().unwrap().to_string(),
        skill: skill.clone(),
        entry_sh: entries[0].clone(),
        entry_tj: entries[1].clone(),
        competitor_tj: e.competitors["TJ"].clone(),
        delegation_sh: e.delegation("SH").to_string(),
        rules,
        admin: admin.clone(),
        judge: people.judges[0].clone(),
        leader: leader.clone(),
    };
    if phase == Phase::Unmarked {
        return target;
    }
    for entry in &entries {
        mark_entry(app, &people.judges, entry, 2, "first").await;
    }
    if phase == Phase::Marking {
        return target;
    }
    for entry in &entries {
        for sub in ["A1", "B1"] {
            post(app, &admin, &format!("/api/v1/entries/{entry}/locks"), json!({"sub_criterion": sub}), 201).await;
        }
    }
    post(app, &admin, &format!("/api/v1/skills/{skill}/results/ratify"), Value::Null, 200).await;
    let publish = format!("/api/v1/events/{event}/results/publish");
    let audience = match phase {
        Phase::Ratified => return target,
        Phase::ReleasedToExperts => "experts",
        Phase::ReleasedToDelegations | Phase::Reopened => "delegations",
        Phase::Public | Phase::Final => "public",
        Phase::Unmarked | Phase::Marking => unreachable!(),
    };
    post(app, &admin, &publish, json!({"skills": [skill], "audience": audience}), 200).await;
    if phase == Phase::Reopened {
        let dispute = json!({"aspect": "A1.2", "reason": "the finish was scored before it dried"});
        let d = post(app, &leader, &format!("/api/v1/entries/{}/disputes", entries[0]), dispute, 201).await;
        let resolve = json!({"outcome": "upheld", "note": "re-score A1.2"});
        post(app, &admin, &format!("/api/v1/disputes/{}/resolve", d["id"].as_str().unwrap()), resolve, 200).await;
        let unlock = format!("/api/v1/entries/{}/locks/A1/unlock", entries[0]);
        let res = app.call(Method::POST, &unlock, Some(&admin), Some(json!({"reason": "dispute upheld"}))).await;
        ok(res, 204).await;
    }
    target
}

// ---------------------------------------------------------------------------------------------
// The symptoms, each as it was seen.

both_engines!(
    a_ratified_skill_keeps_its_settings_entries_and_competitors,
    a_judgement_aspect_takes_the_judge_count_and_a_chief_expert_withdraws_a_score,
    groups_that_make_a_lock_unreachable_are_refused,
    the_ceremony_and_the_public_stream_are_about_public_results_only,
    a_negative_deduction_count_is_refused_for_that_mark_only,
);

/// Symptom 1: as organiser, switching the judgement mode and anonymity of a ratified skill; as
/// its team leader, withdrawing the entry and deleting its competitor. All refused; the results
/// still verify and the skill can still be released.
async fn a_ratified_skill_keeps_its_settings_entries_and_competitors(app: TestApp) {
    let people = People::new(&app).await;
    let t = skill_in(&app, &people, Phase::Ratified, 0).await;
    // The event is open for registration: team leaders may change their entries until the deadline.
    let event = ok(app.get(&format!("/api/v1/events/{}", t.event), &t.admin).await, 200).await;
    let open = json!({"status": "registration", "version": event["version"]});
    post(&app, &t.admin, &format!("/api/v1/events/{}/status", t.event), open, 200).await;
    let mut switched = match skill_body("marking") {
        Body::Json(v) => v,
        _ => unreachable!(),
    };
    switched["judgement_mode"] = json!("five_judges_drop_extremes");
    switched["anonymous"] = json!(true);
    switched["max_spread"] = json!(1);
    switched["version"] = json!(1);
    let res = app.call(Method::PUT, &format!("/api/v1/skills/{}", t.skill), Some(&t.admin), Some(switched)).await;
    let problem = assert_problem(res, 409, "results_ratified").await;
    assert_eq!(problem["current"]["open_path"], "dispute", "the refusal says which path is open");
    // Only the names still change (a typo on the certificate).
    let mut renamed = match skill_body("names") {
        Body::Json(v) => v,
        _ => unreachable!(),
    };
    renamed["version"] = json!(1);
    let res = app.call(Method::PUT, &format!("/api/v1/skills/{}", t.skill), Some(&t.admin), Some(renamed)).await;
    assert_eq!(ok(res, 200).await["name_zh"], "技能（改）");
    let withdraw = json!({"status": "withdrawn", "version": 2});
    let res = app
        .call(Method::POST, &format!("/api/v1/entries/{}/status", t.entry_sh), Some(&t.leader), Some(withdraw))
        .await;
    assert_problem(res, 409, "results_ratified").await;
    let sh_competitor = ok(app.get(&format!("/api/v1/entries/{}", t.entry_sh), &t.admin).await, 200).await
        ["competitors"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app.call(Method::DELETE, &format!("/api/v1/competitors/{sh_competitor}"), Some(&t.leader), None).await;
    assert_problem(res, 409, "results_ratified").await;
    let report = app.state.db(skillmark::service::verify::verify).await.unwrap();
    assert!(report.problems.is_empty() && report.skills_checked == 1, "{:?}", report.problems);
    let publish = format!("/api/v1/events/{}/results/publish", t.event);
    post(&app, &t.admin, &publish, json!({"skills": [t.skill], "audience": "public"}), 200).await;
}

/// Symptom 2: in a group with more members than judges, a fourth judge's score of an aspect that
/// has its three is refused for that mark (the batch's other marks are saved); progress shows the
/// aspect complete and within spread, the lock works. A chief expert withdraws a score with a
/// reason (audited in the skill's chain); the fourth judge may then score, and a replay of the
/// withdrawn score is refused.
async fn a_judgement_aspect_takes_the_judge_count_and_a_chief_expert_withdraws_a_score(app: TestApp) {
    let people = People::new(&app).await;
    let t = skill_in(&app, &people, Phase::Unmarked, 0).await;
    // A fourth expert, from SH, joins a second group for A1 (TJ's entry has four possible judges).
    app.user("judge.sh@skills.cn", &[]).await;
    let delegations: Value = ok(app.get(&format!("/api/v1/events/{}/delegations", t.event), &t.admin).await, 200).await;
    let sh = delegations.as_array().unwrap().iter().find(|d| d["code"] == "SH").unwrap()["id"].clone();
    let body = json!({"email": "judge.sh@skills.cn", "display_name": "SH", "skill_id": t.skill, "delegation_id": sh});
    let made = post(&app, &t.admin, &format!("/api/v1/events/{}/experts", t.event), body, 201).await;
    let fourth_id = made["expert"]["user_id"].as_str().unwrap().to_string();
    let group = json!({"name": "Group B", "members": [fourth_id], "sub_criteria": ["A1"]});
    post(&app, &t.admin, &format!("/api/v1/skills/{}/groups", t.skill), group, 201).await;
    let fourth = app.login("judge.sh@skills.cn", PASSWORD).await;
    mark_entry(&app, &people.judges, &t.entry_tj, 2, "first").await;
    let marks = json!({"marks": [
        {"client_id": "fourth-a12", "aspect": "A1.2", "score": 2},
        {"client_id": "fourth-a11", "aspect": "A1.1", "amount": 5000, "version": 1},
    ]});
    let path = format!("/api/v1/entries/{}/marks", t.entry_tj);
    let body = post(&app, &fourth, &path, marks, 200).await;
    let results = body["results"].as_array().unwrap();
    assert_eq!(results[0]["outcome"], "rejected", "{body}");
    assert!(results[0]["reason"].as_str().unwrap().contains("3 judges"), "{body}");
    assert_eq!(results[1]["outcome"], "saved", "the batch's other mark stands: {body}");
    let progress = ok(app.get(&format!("/api/v1/skills/{}/progress", t.skill), &t.admin).await, 200).await;
    let tj = progress.as_array().unwrap().iter().find(|p| p["entry_id"] == json!(t.entry_tj)).unwrap();
    let a1 = tj["sub_criteria"].as_array().unwrap().iter().find(|s| s["sub_criterion"] == "A1").unwrap();
    assert_eq!((a1["missing"].clone(), a1["out_of_spread"].clone()), (json!([]), json!([])), "{a1}");
    // The chief expert takes the CQ judge's score out (a reason is required) …
    let withdraw = format!("/api/v1/entries/{}/marks/withdraw", t.entry_tj);
    let cq: Value = ok(app.get("/api/v1/me", &people.judges[2]).await, 200).await;
    let res = app
        .call(
            Method::POST,
            &withdraw,
            Some(&t.admin),
            Some(json!({"aspect": "A1.2", "judge_id": cq["id"], "reason": " "})),
        )
        .await;
    assert_problem(res, 422, "validation_failed").await;
    let body = json!({"aspect": "a1.2", "judge_id": cq["id"], "reason": "scored by a judge outside the rota"});
    ok(app.call(Method::POST, &withdraw, Some(&t.admin), Some(body)).await, 204).await;
    assert!(app.audit_actions().await.contains(&AuditAction::MarksScoreWithdrawn));
    // … a replay of it from the judge's queue stays out, and the fourth judge scores instead.
    let replay = json!({"marks": [{"client_id": format!("{}-2-first", t.entry_tj), "aspect": "A1.2", "score": 2}]});
    let body = post(&app, &people.judges[2], &path, replay, 200).await;
    assert_eq!(body["results"][0]["outcome"], "rejected", "{body}");
    let marks = json!({"marks": [{"client_id": "fourth-a12-again", "aspect": "A1.2", "score": 3}]});
    let body = post(&app, &fourth, &path, marks, 200).await;
    assert_eq!(body["results"][0]["outcome"], "saved", "{body}");
    post(&app, &t.admin, &format!("/api/v1/entries/{}/locks", t.entry_tj), json!({"sub_criterion": "A1"}), 201).await;
    // Locked: a withdrawal waits for an unlock with a reason.
    let body = json!({"aspect": "A1.2", "judge_id": fourth_id, "reason": "again"});
    let res = app.call(Method::POST, &withdraw, Some(&t.admin), Some(body)).await;
    assert_problem(res, 409, "sub_criterion_locked").await;
    let chains = ok(app.get("/api/v1/audit/verify", &t.admin).await, 200).await;
    let chains = chains.as_array().unwrap();
    assert!(chains.iter().any(|c| c["chain"] == json!(format!("skill:{}", t.skill))), "{chains:?}");
    assert!(chains.iter().all(|c| c["intact"] == true), "the hash chains hold after the withdrawal: {chains:?}");
}

/// A group for a judgement sub-criterion with fewer non-recused members than the skill's judges
/// could never complete it: refused by field, naming what is short.
async fn groups_that_make_a_lock_unreachable_are_refused(app: TestApp) {
    let people = People::new(&app).await;
    let t = skill_in(&app, &people, Phase::Unmarked, 0).await;
    let delegations: Value = ok(app.get(&format!("/api/v1/events/{}/delegations", t.event), &t.admin).await, 200).await;
    let id_of = |code: &str| delegations.as_array().unwrap().iter().find(|d| d["code"] == code).unwrap()["id"].clone();
    let body = json!({"number": "02", "name_zh": "技能二", "name_en": "Skill 2", "workstation_count": 10});
    let skill = created(&app, &t.admin, &format!("/api/v1/events/{}/skills", t.event), body).await;
    let scheme = json!({"version": 0, "scheme": crate::schemes::scheme(6000)});
    ok(app.call(Method::PUT, &format!("/api/v1/skills/{skill}/scheme"), Some(&t.admin), Some(scheme)).await, 200).await;
    let groups = format!("/api/v1/skills/{skill}/groups");
    // No entries yet: A1 (judged by three) needs three markers at least.
    let group = json!({"name": "Empty", "members": [], "sub_criteria": ["B1", "A1"]});
    let problem =
        assert_problem(app.call(Method::POST, &groups, Some(&t.admin), Some(group)).await, 422, "validation_failed")
            .await;
    assert_eq!(
        problem["errors"][0]["field"], "sub_criteria[1]",
        "B1 is measured only: one marker is enough; {problem}"
    );
    // SH and TJ enter; experts from SH, BJ and GD: SH's entry has only two who may judge it.
    for (i, code) in ["SH", "TJ"].into_iter().enumerate() {
        let body = json!({"skill_id": skill, "delegation_id": id_of(code)});
        let entry = created(&app, &t.admin, &format!("/api/v1/events/{}/entries", t.event), body).await;
        let c = json!({"name": "选手", "gender": "男", "birth_date": "2005-05-05", "id_number": format!("11010120050505001{i}")});
        created(&app, &t.admin, &format!("/api/v1/entries/{entry}/competitors"), c).await;
        post(
            &app,
            &t.admin,
            &format!("/api/v1/entries/{entry}/status"),
            json!({"status": "confirmed", "version": 1}),
            200,
        )
        .await;
    }
    let mut members = Vec::new();
    for code in ["SH", "BJ", "GD"] {
        let email = format!("second.{}@skills.cn", code.to_lowercase());
        app.user(&email, &[]).await;
        let body = json!({"email": email, "display_name": code, "skill_id": skill, "delegation_id": id_of(code)});
        let made = post(&app, &t.admin, &format!("/api/v1/events/{}/experts", t.event), body, 201).await;
        members.push(made["expert"]["user_id"].clone());
    }
    let group = json!({"name": "Three", "members": members, "sub_criteria": ["A1"]});
    let problem =
        assert_problem(app.call(Method::POST, &groups, Some(&t.admin), Some(group)).await, 422, "validation_failed")
            .await;
    let message = problem["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("A1") && message.contains("2 of its markers"), "{message}");
    // A fourth expert from CQ makes it reachable.
    app.user("second.cq@skills.cn", &[]).await;
    let body =
        json!({"email": "second.cq@skills.cn", "display_name": "CQ", "skill_id": skill, "delegation_id": id_of("CQ")});
    let made = post(&app, &t.admin, &format!("/api/v1/events/{}/experts", t.event), body, 201).await;
    members.push(made["expert"]["user_id"].clone());
    post(&app, &t.admin, &groups, json!({"name": "Four", "members": members, "sub_criteria": ["A1"]}), 201).await;
}

/// Symptoms 3 and 4: the ceremony reveals only results released to the public (before that the
/// step is refused and the public ceremony page shows nothing), and the public stream carries
/// only public releases.
async fn the_ceremony_and_the_public_stream_are_about_public_results_only(app: TestApp) {
    use futures_util::StreamExt;
    let people = People::new(&app).await;
    let t = skill_in(&app, &people, Phase::Ratified, 0).await;
    let ceremony = format!("/api/v1/skills/{}/results/ceremony", t.skill);
    let res = app.call(Method::POST, &ceremony, Some(&t.admin), Some(json!({"step": 1}))).await;
    assert_problem(res, 409, "results_not_public").await;
    let public = app.url(&format!("/api/v1/public/events/{}/skills/{}/ceremony", t.event, t.skill));
    assert_eq!(reqwest::get(&public).await.unwrap().status(), 404);
    let stream_url = app.url(&format!("/api/v1/public/events/{}/stream", t.event));
    let res = reqwest::get(&stream_url).await.unwrap();
    let mut stream = res.bytes_stream();
    let publish = format!("/api/v1/events/{}/results/publish", t.event);
    for audience in ["experts", "delegations"] {
        post(&app, &t.admin, &publish, json!({"skills": [t.skill], "audience": audience}), 200).await;
        let res = app.call(Method::POST, &ceremony, Some(&t.admin), Some(json!({"step": 1}))).await;
        assert_problem(res, 409, "results_not_public").await;
    }
    post(&app, &t.admin, &publish, json!({"skills": [t.skill], "audience": "public"}), 200).await;
    // The first results event the public hears of is the public release.
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while !seen.contains("event: results") {
        let chunk = tokio::time::timeout_at(deadline, stream.next()).await.expect("a results event").unwrap().unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    let data = seen.split("event: results\ndata: ").nth(1).unwrap().lines().next().unwrap();
    let change: Value = serde_json::from_str(data).unwrap();
    assert_eq!((change["kind"].as_str(), change["public"].as_bool()), (Some("published"), Some(true)), "{seen}");
    assert_eq!(seen.matches("event: results").count(), 1, "no word of the releases to experts and delegations");
    ok(app.call(Method::POST, &ceremony, Some(&t.admin), Some(json!({"step": 1}))).await, 200).await;
    assert_eq!(reqwest::get(&public).await.unwrap().status(), 200);
}

/// Symptom 7: a negative deduction count is a per-mark rejection in words, not a 422 for the batch.
async fn a_negative_deduction_count_is_refused_for_that_mark_only(app: TestApp) {
    let people = People::new(&app).await;
    let t = skill_in(&app, &people, Phase::Unmarked, 0).await;
    let marks = json!({"marks": [
        {"client_id": "neg", "aspect": "B1.1", "deductions": -2},
        {"client_id": "big", "aspect": "A1.2", "score": 300},
        {"client_id": "fine", "aspect": "B1.2", "amount": 1000},
    ]});
    let body = post(&app, &t.judge, &format!("/api/v1/entries/{}/marks", t.entry_tj), marks, 200).await;
    let results = body["results"].as_array().unwrap();
    assert_eq!(results[0]["outcome"], "rejected");
    assert!(results[0]["reason"].as_str().unwrap().contains("-2"), "{body}");
    assert_eq!(results[1]["outcome"], "rejected");
    assert_eq!(results[2]["outcome"], "saved");
}
