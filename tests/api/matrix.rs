//! The authorisation matrix: every operation of the OpenAPI document × every role × scope → the
//! status the role must get, both for the role held in the scope the path names (`expect`) and
//! for the same role held elsewhere (`other`: another event, skill, delegation or entry). An
//! operation missing from `CASES` fails the test, so a new route cannot ship without deciding who
//! may call it. `MATRIX_DUMP=1` prints what each route answered the roles held elsewhere.

use reqwest::Method;
use serde_json::{json, Value};
use skillmark::domain::role::Role;

use crate::both_engines;
use crate::helpers::{grant, TestApp, PASSWORD};

/// The competitor of the matrix's entry (`registration::set_up_entry`).
const PERSON: &str = "张三";
const ID_NUMBER: &str = "310101200603011234";

/// Who calls: anonymous (`None`) or signed in with one role (held in the path's scope or
/// elsewhere). The matches on it name every role, so a new role must be placed in the matrix.
type Who = Option<Role>;

/// How a caller is named in the failures and the dump.
fn name(who: Who) -> &'static str {
    who.map_or("anonymous", Role::as_str)
}

struct Case {
    method: &'static str,
    /// As in the OpenAPI document; `{id}` is another user, or the event, skill or delegation set
    /// up for the test; `{role_id}` an unknown assignment.
    path: &'static str,
    body: fn(&Ids) -> Option<Value>,
    /// The status for each role held in the scope the path names (the event, its skill, its
    /// delegation, the entry).
    expect: fn(Who) -> u16,
    /// The status for each scoped role held elsewhere: organiser of another event, chief expert
    /// and expert of another skill, team leader of another delegation, competitor of another entry.
    other: fn(Who) -> u16,
}

/// For routes outside any event (sign-in, one's own account, the user list, the event list):
/// the role gets what it gets in its own scope.
const SAME: fn(Who) -> u16 = |_| 0;

/// A role held outside the path's scope: the organiser of another event and the competitor of
/// another entry find nothing (404); a chief expert or expert of another skill gets `skill`, the
/// team leader of another delegation `leader`.
fn outside(who: Who, skill: u16, leader: u16) -> u16 {
    match who {
        Some(Role::Organiser | Role::Competitor) => 404,
        Some(Role::ChiefExpert | Role::Expert) => skill,
        Some(Role::TeamLeader) => leader,
        None | Some(Role::Admin) => unreachable!("anonymous and admin callers have no scope"),
    }
}

/// The records set up for the matrix run, for request bodies that must name them.
struct Ids {
    skill: String,
    delegation: String,
}

/// A row whose roles held elsewhere fare as those in scope (`SAME`).
const fn case(
    method: &'static str,
    path: &'static str,
    body: fn(&Ids) -> Option<Value>,
    expect: fn(Who) -> u16,
) -> Case {
    Case { method, path, body, expect, other: SAME }
}

/// A row for a path that finds nothing in the matrix's set-up (no selection programme): 404 to
/// every signed-in caller.
const fn missing(method: &'static str, path: &'static str, body: fn(&Ids) -> Option<Value>) -> Case {
    case(method, path, body, |w| signed_in(w, 404))
}

/// A row whose roles held elsewhere get `other`.
const fn scoped(
    method: &'static str,
    path: &'static str,
    body: fn(&Ids) -> Option<Value>,
    expect: fn(Who) -> u16,
    other: fn(Who) -> u16,
) -> Case {
    Case { method, path, body, expect, other }
}

fn none(_: &Ids) -> Option<Value> {
    None
}
/// Signed-in users reach the handler (which answers `ok`); anonymous callers get 401.
fn signed_in(who: Who, ok: u16) -> u16 {
    if who.is_none() {
        401
    } else {
        ok
    }
}
fn admin_only(who: Who, ok: u16) -> u16 {
    match who {
        None => 401,
        Some(Role::Admin) => ok,
        _ => 403,
    }
}

/// Event routes: managers (admin, the event's organiser) get `manage`, other roles in the event
/// `view`; a competitor (of the event's own entry) reaches their result through the entry only,
/// the console's event routes do not exist for them.
fn in_event(who: Who, manage: u16, view: u16) -> u16 {
    match who {
        None => 401,
        Some(Role::Admin | Role::Organiser) => manage,
        Some(Role::ChiefExpert | Role::Expert | Role::TeamLeader) => view,
        Some(Role::Competitor) => 404,
    }
}

/// Registration writes: managers reach the rules (409), the team leader is told registration is
/// closed (409), experts get `expert` (403 or 404), the competitor 404.
fn registering(who: Who, expert: u16) -> u16 {
    match who {
        None => 401,
        Some(Role::Admin | Role::Organiser | Role::TeamLeader) => 409,
        Some(Role::ChiefExpert | Role::Expert) => expert,
        Some(Role::Competitor) => 404,
    }
}

/// Review actions of a skill: organisers and the skill's chief expert get `ok`, experts and team
/// leaders 403, the competitor 404.
fn reviewing(who: Who, ok: u16) -> u16 {
    match who {
        None => 401,
        Some(Role::Admin | Role::Organiser | Role::ChiefExpert) => ok,
        Some(Role::Expert | Role::TeamLeader) => 403,
        Some(Role::Competitor) => 404,
    }
}

const CASES: &[Case] = &[
    Case { method: "get", path: "/healthz", body: none, expect: |_| 200, other: SAME },
    Case { method: "get", path: "/readyz", body: none, expect: |_| 200, other: SAME },
    // Public auth routes, with bodies that fail the same way for everyone.
    case("post", "/api/v1/auth/login", |_| Some(json!({"email": "nobody@x.cn", "password": "wrong wrong"})), |_| 401),
    Case { method: "post", path: "/api/v1/auth/refresh", body: none, expect: |_| 401, other: SAME },
    Case { method: "post", path: "/api/v1/auth/logout", body: none, expect: |_| 204, other: SAME },
    case("post", "/api/v1/auth/password-reset", |_| Some(json!({"email": "nobody@x.cn"})), |_| 202),
    case(
        "post",
        "/api/v1/auth/password-reset/confirm",
        |_| Some(json!({"token": "bad", "new_password": "long enough pw"})),
        |_| 400,
    ),
    case(
        "post",
        "/api/v1/auth/invitation/accept",
        |_| Some(json!({"token": "bad", "password": "long enough pw"})),
        |_| 400,
    ),
    case(
        "post",
        "/api/v1/auth/setup",
        |_| Some(json!({"token": "bad", "email": "a@b.cn", "display_name": "A", "password": "long enough pw"})),
        |_| 409,
    ),
    case(
        "post",
        "/api/v1/auth/password",
        |_| Some(json!({"current_password": "wrong wrong", "new_password": "long enough pw"})),
        |w| signed_in(w, 422),
    ),
    Case { method: "get", path: "/api/v1/me", body: none, expect: |w| signed_in(w, 200), other: SAME },
    case("patch", "/api/v1/me", |_| Some(json!({"version": 999})), |w| signed_in(w, 409)),
    Case { method: "get", path: "/api/v1/users", body: none, expect: |w| admin_only(w, 200), other: SAME },
    case("post", "/api/v1/users", |_| Some(json!({"email": "", "display_name": ""})), |w| admin_only(w, 422)),
    Case { method: "get", path: "/api/v1/users/{id}", body: none, expect: |w| admin_only(w, 200), other: SAME },
    case("patch", "/api/v1/users/{id}", |_| Some(json!({"version": 999})), |w| admin_only(w, 409)),
    case("post", "/api/v1/users/{id}/invitation", none, |w| admin_only(w, 409)),
    case("post", "/api/v1/users/{id}/roles", |_| Some(json!({"role": "organiser"})), |w| admin_only(w, 422)),
    case("delete", "/api/v1/users/{id}/roles/{role_id}", none, |w| admin_only(w, 404)),
    Case { method: "get", path: "/api/v1/events", body: none, expect: |w| signed_in(w, 200), other: SAME },
    Case {
        method: "post",
        path: "/api/v1/events",
        body: |_| Some(json!({"name": "", "c1_date": "x", "registration_deadline": "2027-01-01T00:00:00Z"})),
        // Organisers of an event may create another (and organise it).
        expect: |w| match w {
            None => 401,
            Some(Role::Admin | Role::Organiser) => 422,
            _ => 403,
        },
        other: SAME,
    },
    scoped("get", "/api/v1/events/{id}", none, |w| in_event(w, 200, 200), |w| outside(w, 200, 200)),
    Case {
        method: "put",
        path: "/api/v1/events/{id}",
        body: |_| {
            Some(
                json!({"name": "E", "c1_date": "2027-06-13", "registration_deadline": "2027-05-01T00:00:00Z", "version": 999}),
            )
        },
        expect: |w| in_event(w, 409, 403),
        other: |w| outside(w, 403, 403),
    },
    Case {
        method: "post",
        path: "/api/v1/events/{id}/status",
        body: |_| Some(json!({"status": "registration", "version": 999})),
        expect: |w| in_event(w, 409, 403),
        other: |w| outside(w, 403, 403),
    },
    scoped("get", "/api/v1/events/{id}/skills", none, |w| in_event(w, 200, 200), |w| outside(w, 200, 200)),
    Case {
        method: "post",
        path: "/api/v1/events/{id}/skills",
        body: |_| Some(json!({"number": "01", "name_zh": "技能", "name_en": "Skill"})),
        expect: |w| in_event(w, 409, 403),
        other: |w| outside(w, 403, 403),
    },
    Case {
        method: "put",
        path: "/api/v1/skills/{id}",
        body: |_| Some(json!({"number": "01", "name_zh": "技能", "name_en": "Skill", "version": 999})),
        expect: |w| in_event(w, 409, 403),
        other: |w| outside(w, 403, 403),
    },
    scoped("get", "/api/v1/skills/{id}/lifecycle", none, |w| in_event(w, 200, 200), |w| outside(w, 200, 200)),
    scoped("get", "/api/v1/events/{id}/delegations", none, |w| in_event(w, 200, 200), |w| outside(w, 200, 200)),
    Case {
        method: "post",
        path: "/api/v1/events/{id}/delegations",
        body: |_| Some(json!({"code": "SH", "name_zh": "上海", "name_en": "Shanghai"})),
        expect: |w| in_event(w, 409, 403),
        other: |w| outside(w, 403, 403),
    },
    Case {
        method: "put",
        path: "/api/v1/delegations/{id}",
        body: |_| Some(json!({"code": "SH", "name_zh": "上海", "name_en": "Shanghai", "version": 999})),
        expect: |w| in_event(w, 409, 403),
        other: |w| outside(w, 403, 403),
    },
    // Registration. The matrix's event is in `setup`: team leaders may not change anything yet
    // (409 registration_closed), organisers get as far as the rules (the entry is full and
    // confirmed, the expert registered already).
    scoped("get", "/api/v1/events/{id}/entries", none, |w| in_event(w, 200, 200), |w| outside(w, 200, 200)),
    Case {
        method: "post",
        path: "/api/v1/events/{id}/entries",
        body: |ids| Some(json!({"skill_id": ids.skill, "delegation_id": ids.delegation})),
        expect: |w| registering(w, 404),
        other: |w| outside(w, 404, 403),
    },
    Case { method: "get", path: "/api/v1/entries/{id}", body: none, expect: |w| in_event(w, 200, 200), other: |_| 404 },
    Case {
        method: "post",
        path: "/api/v1/entries/{id}/status",
        body: |_| Some(json!({"status": "withdrawn", "version": 999})),
        expect: |w| registering(w, 403),
        other: |_| 404,
    },
    Case {
        method: "post",
        path: "/api/v1/entries/{id}/competitors",
        body: |_| {
            Some(
                json!({"name": "李四", "gender": "male", "birth_date": "2004-03-01", "id_number": "310101200403012345"}),
            )
        },
        expect: |w| registering(w, 403),
        other: |_| 404,
    },
    Case {
        method: "put",
        path: "/api/v1/competitors/{id}",
        body: |_| {
            Some(
                json!({"name": "李四", "gender": "male", "birth_date": "2004-03-01", "id_number": "310101200403012345", "version": 999}),
            )
        },
        expect: |w| registering(w, 403),
        other: |_| 404,
    },
    scoped("delete", "/api/v1/competitors/{id}", none, |w| registering(w, 403), |_| 404),
    Case {
        method: "post",
        path: "/api/v1/competitors/{id}/account",
        body: |_| Some(json!({"email": "another@skills.cn"})),
        expect: |w| registering(w, 403),
        other: |_| 404,
    },
    Case {
        method: "put",
        path: "/api/v1/competitors/{id}/photo",
        body: |_| Some(json!({"not": "an image"})),
        expect: |w| match w {
            None => 401,
            Some(Role::Admin | Role::Organiser) => 415,
            Some(Role::TeamLeader) => 409,
            Some(Role::ChiefExpert | Role::Expert) => 403,
            Some(Role::Competitor) => 404,
        },
        other: |_| 404,
    },
    scoped("get", "/api/v1/competitors/{id}/photo", none, |w| if w.is_none() { 401 } else { 404 }, |_| 404),
    scoped("get", "/api/v1/events/{id}/experts", none, |w| in_event(w, 200, 200), |w| outside(w, 200, 200)),
    Case {
        method: "post",
        path: "/api/v1/events/{id}/experts",
        body: |ids| {
            Some(
                json!({"email": "matrix.expert@skills.cn", "display_name": "Expert", "skill_id": ids.skill, "delegation_id": ids.delegation}),
            )
        },
        expect: |w| registering(w, 404),
        other: |w| outside(w, 404, 403),
    },
    Case {
        method: "post",
        path: "/api/v1/skills/{id}/draw",
        body: |_| Some(json!({"reason": "matrix run"})),
        expect: |w| match w {
            None => 401,
            Some(Role::Admin | Role::Organiser | Role::ChiefExpert) => 201,
            Some(Role::Expert | Role::TeamLeader) => 403,
            Some(Role::Competitor) => 404,
        },
        other: |w| outside(w, 404, 403),
    },
    // The matrix's skill is not anonymous: organisers reach that rule.
    scoped("post", "/api/v1/skills/{id}/reveal", none, |w| in_event(w, 409, 403), |w| outside(w, 404, 403)),
    scoped("get", "/api/v1/skills/{id}/draws", none, |w| in_event(w, 200, 200), |w| outside(w, 200, 200)),
    Case {
        method: "post",
        path: "/api/v1/events/{id}/imports/{kind}",
        body: |_| Some(json!({"not": "a list"})),
        expect: |w| in_event(w, 200, 403),
        other: |w| outside(w, 403, 403),
    },
    scoped("get", "/api/v1/events/{id}/exports/{kind}", none, |w| in_event(w, 200, 403), |w| outside(w, 403, 403)),
    Case {
        method: "get",
        path: "/api/v1/events/{id}/imports/{kind}/template",
        body: none,
        expect: |w| in_event(w, 200, 403),
        other: |w| outside(w, 403, 403),
    },
    scoped("get", "/api/v1/skills/{id}/scheme", none, |w| in_event(w, 200, 200), |w| outside(w, 200, 200)),
    Case {
        method: "put",
        path: "/api/v1/skills/{id}/scheme",
        body: |_| Some(json!({"version": 999, "scheme": {"criteria": []}})),
        expect: |w| match w {
            None => 401,
            Some(Role::Admin | Role::Organiser | Role::ChiefExpert) => 409,
            Some(Role::Expert | Role::TeamLeader) => 403,
            Some(Role::Competitor) => 404,
        },
        other: |w| outside(w, 403, 403),
    },
    Case {
        method: "post",
        path: "/api/v1/skills/{id}/scheme/import",
        body: |_| Some(json!({"not": "a scheme"})),
        expect: |w| reviewing(w, 422),
        other: |w| outside(w, 403, 403),
    },
    scoped("get", "/api/v1/skills/{id}/scheme/export", none, |w| in_event(w, 200, 200), |w| outside(w, 200, 200)),
    Case {
        method: "post",
        path: "/api/v1/skills/{id}/scheme/freeze",
        body: |_| Some(json!({"version": 999})),
        expect: |w| in_event(w, 409, 403),
        other: |w| outside(w, 403, 403),
    },
    scoped("get", "/api/v1/skills/{id}/groups", none, |w| in_event(w, 200, 200), |w| outside(w, 200, 200)),
    scoped("get", "/api/v1/skills/{id}/progress", none, |w| reviewing(w, 200), |w| outside(w, 403, 403)),
    scoped("get", "/api/v1/skills/{id}/analytics", none, |w| reviewing(w, 200), |w| outside(w, 403, 403)),
    scoped("get", "/api/v1/skills/{id}/results", none, |w| reviewing(w, 200), |w| outside(w, 403, 403)),
    // The matrix's skill has no scheme: there is no A1 to print.
    scoped("get", "/api/v1/skills/{id}/marking-form", none, |w| reviewing(w, 422), |w| outside(w, 403, 403)),
    scoped("post", "/api/v1/skills/{id}/groups/proposal", none, |w| reviewing(w, 200), |w| outside(w, 403, 403)),
    Case {
        method: "post",
        path: "/api/v1/skills/{id}/groups",
        body: |_| Some(json!({"name": "G", "members": [], "sub_criteria": ["Z9"]})),
        expect: |w| reviewing(w, 422),
        other: |w| outside(w, 404, 403),
    },
    // The matrix's chief expert and expert belong to the entry's own delegation: recusal.
    Case {
        method: "post",
        path: "/api/v1/entries/{id}/marks",
        body: |_| Some(json!({"marks": [{"client_id": "m1", "aspect": "A1.1", "amount": 0}]})),
        expect: |w| in_event(w, 403, 403),
        other: |_| 404,
    },
    scoped("get", "/api/v1/entries/{id}/marks", none, |w| reviewing(w, 200), |_| 404),
    // The matrix's expert is of the entry's delegation: the entry is left out for them, not refused.
    Case {
        method: "get",
        path: "/api/v1/skills/{id}/marks",
        body: none,
        expect: |w| match w {
            Some(Role::Expert) => 200,
            other => reviewing(other, 200),
        },
        other: |w| outside(w, 403, 403),
    },
    // The matrix's entry has no scores: reviewers get past the lifecycle to "no such score".
    Case {
        method: "post",
        path: "/api/v1/entries/{id}/marks/withdraw",
        body: |_| {
            Some(json!({"aspect": "A1.2", "judge_id": "01936f0e-8b7a-7cc2-9a4e-3b0b6a2f4d11", "reason": "matrix"}))
        },
        expect: |w| reviewing(w, 404),
        other: |_| 404,
    },
    Case {
        method: "post",
        path: "/api/v1/entries/{id}/locks",
        body: |_| Some(json!({"sub_criterion": "A1"})),
        expect: |w| reviewing(w, 409),
        other: |_| 404,
    },
    Case {
        method: "post",
        path: "/api/v1/entries/{id}/locks/{sub}/unlock",
        body: |_| Some(json!({"reason": "matrix"})),
        expect: |w| reviewing(w, 404),
        other: |_| 404,
    },
    // Results: the matrix's skill has nothing ratified, so organisers meet the workflow's refusals
    // (409) and everyone else learns nothing (the same 404 with or without results).
    Case {
        method: "post",
        path: "/api/v1/delegations/{id}/team-leaders",
        body: |_| Some(json!({"email": "leader.appointed@skills.cn", "display_name": "TL"})),
        // The admin appoints (201); the organiser, asking next, is told they already lead it.
        expect: |w| match w {
            None => 401,
            Some(Role::Admin) => 201,
            Some(Role::Organiser) => 409,
            Some(Role::ChiefExpert | Role::Expert | Role::TeamLeader) => 403,
            Some(Role::Competitor) => 404,
        },
        other: |w| outside(w, 403, 403),
    },
    scoped("get", "/api/v1/events/{id}/result-rules", none, |w| in_event(w, 200, 200), |w| outside(w, 200, 200)),
    Case {
        method: "put",
        path: "/api/v1/events/{id}/result-rules",
        body: |_| {
            Some(json!({"version": 999, "rules": {
                "scale": {"centre": 700.0, "points": 30.0, "mad_factor": 1.4826}, "tie_tolerance": 0,
                "awards": {"medallion_threshold": 700, "excellence_award": true},
                "squad_individuals": 0, "squad_teams": 0, "notice_days": 7}}))
        },
        expect: |w| in_event(w, 409, 403),
        other: |w| outside(w, 403, 403),
    },
    scoped("post", "/api/v1/skills/{id}/results/ratify", none, |w| reviewing(w, 409), |w| outside(w, 403, 403)),
    Case {
        method: "get",
        path: "/api/v1/events/{id}/results",
        body: none,
        expect: |w| reviewing(w, 200),
        other: |w| match w {
            // Another skill's chief expert sees the statuses of their own skill only.
            Some(Role::ChiefExpert) => 200,
            w => outside(w, 403, 403),
        },
    },
    Case {
        method: "post",
        path: "/api/v1/events/{id}/results/publish",
        body: |_| Some(json!({"audience": "public"})),
        expect: |w| in_event(w, 409, 403),
        other: |w| outside(w, 403, 403),
    },
    Case {
        method: "post",
        path: "/api/v1/skills/{id}/results/ceremony",
        body: |_| Some(json!({"step": 1})),
        expect: |w| match w {
            None => 401,
            Some(Role::Admin | Role::Organiser) => 409,
            Some(Role::Competitor) => 404,
            _ => 403,
        },
        other: |w| outside(w, 403, 403),
    },
    scoped("get", "/api/v1/skills/{id}/results/published", none, |w| signed_in(w, 404), |_| 404),
    Case {
        method: "delete",
        path: "/api/v1/skills/{id}/results/schedule",
        body: none,
        expect: |w| match w {
            None => 401,
            Some(Role::Admin | Role::Organiser) => 409,
            Some(Role::Competitor) => 404,
            _ => 403,
        },
        other: |w| outside(w, 403, 403),
    },
    Case {
        method: "get",
        path: "/api/v1/entries/{id}/result",
        body: none,
        expect: |w| match w {
            None => 401,
            Some(Role::Admin | Role::Organiser | Role::ChiefExpert | Role::TeamLeader) => 409,
            Some(Role::Expert | Role::Competitor) => 404,
        },
        other: |_| 404,
    },
    Case {
        method: "get",
        path: "/api/v1/entries/{id}/outline",
        body: none,
        // Names, not results: the same callers as the result, before publication too.
        expect: |w| match w {
            None => 401,
            Some(Role::Admin | Role::Organiser | Role::ChiefExpert | Role::TeamLeader) => 200,
            Some(Role::Expert | Role::Competitor) => 404,
        },
        other: |_| 404,
    },
    Case {
        method: "post",
        path: "/api/v1/entries/{id}/disputes",
        body: |_| Some(json!({"reason": "matrix"})),
        expect: |w| match w {
            None => 401,
            Some(Role::TeamLeader) => 409,
            Some(Role::Competitor) => 404,
            _ => 403,
        },
        other: |_| 404,
    },
    scoped("get", "/api/v1/events/{id}/disputes", none, |w| in_event(w, 200, 200), |w| outside(w, 200, 200)),
    Case {
        method: "post",
        path: "/api/v1/disputes/{id}/resolve",
        body: |_| Some(json!({"outcome": "rejected", "note": "matrix"})),
        expect: |w| signed_in(w, 404),
        other: |_| 404,
    },
    scoped("get", "/api/v1/events/{id}/dashboard", none, |w| in_event(w, 200, 403), |w| outside(w, 403, 403)),
    scoped("get", "/api/v1/events/{id}/notifications", none, |w| in_event(w, 200, 403), |w| outside(w, 403, 403)),
    scoped("get", "/api/v1/events/{id}/results/export", none, |w| in_event(w, 200, 403), |w| outside(w, 403, 403)),
    scoped("get", "/api/v1/events/{id}/results/pdf", none, |w| in_event(w, 409, 403), |w| outside(w, 403, 403)),
    Case { method: "get", path: "/api/v1/public/events", body: none, expect: |_| 200, other: SAME },
    Case { method: "get", path: "/api/v1/public/events/{id}/results", body: none, expect: |_| 404, other: |_| 404 },
    Case { method: "get", path: "/api/v1/public/events/{id}/tables", body: none, expect: |_| 404, other: |_| 404 },
    scoped("get", "/api/v1/public/events/{id}/skills/{skill}/results", none, |_| 404, |_| 404),
    scoped("get", "/api/v1/public/events/{id}/skills/{skill}/ceremony", none, |_| 404, |_| 404),
    Case { method: "get", path: "/api/v1/public/events/{id}/stream", body: none, expect: |_| 200, other: SAME },
    Case {
        method: "get",
        path: "/api/v1/audit/verify",
        body: none,
        expect: |w| match w {
            None => 401,
            Some(Role::Admin) => 200,
            Some(Role::Organiser) => 422,
            _ => 403,
        },
        other: SAME,
    },
    // The selection programme: the matrix's `{id}` names no programme or stage (404 to everyone
    // signed in); creating one is for administrators and organisers; the public lists need no login.
    case("get", "/api/v1/selection/programmes", none, |w| signed_in(w, 200)),
    Case {
        method: "post",
        path: "/api/v1/selection/programmes",
        body: |_| {
            Some(json!({"name": "", "target_competition": "", "target_year": 1990,
            "event_id": "01900000-0000-7000-8000-000000000000"}))
        },
        expect: |w| match w {
            None => 401,
            Some(Role::Admin | Role::Organiser) => 422,
            _ => 403,
        },
        other: SAME,
    },
    missing("get", "/api/v1/selection/programmes/{id}", none),
    missing("post", "/api/v1/selection/programmes/{id}/stages", |_| {
        Some(json!({"event": {"name": "S", "c1_date": "2027-08-01", "registration_deadline": "2027-07-01T00:00:00Z"}}))
    }),
    missing("put", "/api/v1/selection/stages/{id}/skills/{skill}", |_| Some(json!({"cut": 1, "version": 1}))),
    missing("get", "/api/v1/selection/stages/{id}/skills/{skill}/proposal", none),
    missing("post", "/api/v1/selection/stages/{id}/skills/{skill}/confirm", |_| Some(json!({"version": 1}))),
    missing("post", "/api/v1/selection/stages/{id}/skills/{skill}/withdraw", |_| {
        Some(json!({"entry_id": "01900000-0000-7000-8000-000000000000", "reason": "probe"}))
    }),
    missing("get", "/api/v1/selection/stages/{id}/squad", none),
    missing("post", "/api/v1/selection/stages/{id}/release", |_| Some(json!({"audience": "public"}))),
    missing("get", "/api/v1/selection/programmes/{id}/team", none),
    missing("post", "/api/v1/selection/programmes/{id}/team/release", |_| Some(json!({"audience": "public"}))),
    missing("get", "/api/v1/selection/programmes/{id}/team/export", none),
    // The matrix's entry is in no programme: no path, for anyone.
    missing("get", "/api/v1/entries/{id}/selection-path", none),
    case("get", "/api/v1/public/selection/stages/{id}/squad", none, |_| 404),
    case("get", "/api/v1/public/selection/programmes/{id}/team", none, |_| 404),
    // The lists released to the caller (none in the matrix run): every signed-in role, and the
    // public's index of publicly released lists.
    case("get", "/api/v1/selection/released", none, |w| signed_in(w, 200)),
    case("get", "/api/v1/public/selection/programmes", none, |_| 200),
    Case {
        method: "get",
        path: "/api/v1/audit",
        body: none,
        expect: |w| match w {
            None => 401,
            Some(Role::Admin | Role::Organiser) => 200,
            _ => 403,
        },
        other: SAME,
    },
];

/// Query parameters a route cannot do without.
fn required_query(path: &str) -> &'static str {
    if path.ends_with("/marking-form") {
        "?sub_criterion=A1"
    } else {
        ""
    }
}

#[test]
fn every_documented_operation_has_a_row_in_the_matrix() {
    let doc: Value = serde_json::from_str(&skillmark::openapi::document()).unwrap();
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.clone(), path.clone()));
        }
    }
    for (method, path) in &documented {
        assert!(
            CASES.iter().any(|c| c.method == method && c.path == path),
            "{method} {path} has no row in the authorisation matrix (tests/api/matrix.rs)"
        );
    }
    for c in CASES {
        assert!(
            documented.iter().any(|(m, p)| m == c.method && p == c.path),
            "{} {} is not documented",
            c.method,
            c.path
        );
    }
}

// Throttling is tested on its own; here it would only count the matrix's many sign-ins.
both_engines!(every_route_answers_every_role_as_the_matrix_says(
    "SKILLMARK_LOGIN_PER_ACCOUNT_PER_MINUTE" = "1000",
    "SKILLMARK_LOGIN_PER_ADDRESS_PER_MINUTE" = "1000",
));

async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> String {
    let res = app.call(Method::POST, path, Some(token), Some(body)).await;
    assert_eq!(res.status(), 201, "{path}");
    res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

async fn every_route_answers_every_role_as_the_matrix_says(app: TestApp) {
    app.admin("admin@skills.cn").await;
    let target = app.user("target@skills.cn", &[]).await;
    let admin = app.login("admin@skills.cn", PASSWORD).await;
    let (event, skill, delegation) = crate::events::set_up_event(&app, &admin, "SH").await;
    let (entry, competitor) = crate::registration::set_up_entry(&app, &admin, &event, &skill, &delegation).await;
    let ids = Ids { skill: skill.clone(), delegation: delegation.clone() };
    let users = [
        (Some(Role::Organiser), "organiser@skills.cn", grant(Role::Organiser, Some(&event), None)),
        (Some(Role::ChiefExpert), "chief@skills.cn", grant(Role::ChiefExpert, Some(&skill), Some(&delegation))),
        (Some(Role::Expert), "expert@skills.cn", grant(Role::Expert, Some(&skill), Some(&delegation))),
        (Some(Role::TeamLeader), "leader@skills.cn", grant(Role::TeamLeader, Some(&delegation), None)),
        (Some(Role::Competitor), "competitor@skills.cn", grant(Role::Competitor, Some(&entry), None)),
    ];
    let mut tokens = vec![(None, None), (Some(Role::Admin), Some(admin.clone()))];
    for (who, email, g) in users {
        app.user(email, &[g]).await;
        tokens.push((who, Some(app.login(email, PASSWORD).await)));
    }
    assert_eq!(tokens.len(), 1 + Role::ALL.len(), "anonymous and every role");
    // The same roles held elsewhere: another event, another skill and delegation of this event.
    let (other_event, _, _) = crate::events::set_up_event(&app, &admin, "BJ").await;
    let other_skill = created(
        &app,
        &admin,
        &format!("/api/v1/events/{event}/skills"),
        json!({"number": "02", "name_zh": "技能二", "name_en": "Skill 2"}),
    )
    .await;
    let other_delegation = created(
        &app,
        &admin,
        &format!("/api/v1/events/{event}/delegations"),
        json!({"code": "ZJ", "name_zh": "浙江", "name_en": "Zhejiang"}),
    )
    .await;
    let other_entry = created(
        &app,
        &admin,
        &format!("/api/v1/events/{event}/entries"),
        json!({"skill_id": other_skill, "delegation_id": other_delegation}),
    )
    .await;
    let person = json!({"name": "李四", "gender": "男", "birth_date": "2006-04-01", "id_number": "330101200604011238"});
    created(&app, &admin, &format!("/api/v1/entries/{other_entry}/competitors"), person).await;
    let res = app
        .call(
            Method::POST,
            &format!("/api/v1/entries/{other_entry}/status"),
            Some(&admin),
            Some(json!({"status": "confirmed", "version": 1})),
        )
        .await;
    assert_eq!(res.status(), 200);
    let outsiders = [
        (Some(Role::Organiser), "organiser.other@skills.cn", grant(Role::Organiser, Some(&other_event), None)),
        (
            Some(Role::ChiefExpert),
            "chief.other@skills.cn",
            grant(Role::ChiefExpert, Some(&other_skill), Some(&other_delegation)),
        ),
        (
            Some(Role::Expert),
            "expert.other@skills.cn",
            grant(Role::Expert, Some(&other_skill), Some(&other_delegation)),
        ),
        (Some(Role::TeamLeader), "leader.other@skills.cn", grant(Role::TeamLeader, Some(&other_delegation), None)),
        (Some(Role::Competitor), "competitor.other@skills.cn", grant(Role::Competitor, Some(&other_entry), None)),
    ];
    let mut others = Vec::new();
    for (who, email, g) in outsiders {
        app.user(email, &[g]).await;
        others.push((who, app.login(email, PASSWORD).await));
    }
    let dump = std::env::var("MATRIX_DUMP").is_ok();

    let mut failures = Vec::new();
    for case in CASES {
        let id = match case.path {
            p if p.starts_with("/api/v1/entries") => &entry,
            p if p.starts_with("/api/v1/competitors") => &competitor,
            p if p.starts_with("/api/v1/events") || p.starts_with("/api/v1/public/events") => &event,
            p if p.starts_with("/api/v1/skills") => &skill,
            p if p.starts_with("/api/v1/delegations") => &delegation,
            _ => &target,
        };
        let path = case
            .path
            .replace("{id}", id)
            .replace("{kind}", "delegations")
            .replace("{sub}", "A1")
            .replace("{skill}", &skill)
            .replace("{role_id}", &uuid::Uuid::now_v7().to_string())
            + required_query(case.path);
        for (who, token) in &tokens {
            let method = Method::from_bytes(case.method.to_uppercase().as_bytes()).unwrap();
            // A fresh client each time: no cookies carried between roles.
            let res = crate::helpers::send(
                &reqwest::Client::new(),
                method,
                &app.url(&path),
                token.as_deref(),
                (case.body)(&ids),
            )
            .await;
            let expected = (case.expect)(*who);
            if res.status().as_u16() != expected {
                failures.push(format!(
                    "{} {} as {}: expected {expected}, got {}",
                    case.method,
                    case.path,
                    name(*who),
                    res.status()
                ));
            }
        }
        let mut seen = Vec::new();
        for (who, token) in &others {
            let method = Method::from_bytes(case.method.to_uppercase().as_bytes()).unwrap();
            let res =
                crate::helpers::send(&reqwest::Client::new(), method, &app.url(&path), Some(token), (case.body)(&ids))
                    .await;
            let expected = match (case.other)(*who) {
                0 => (case.expect)(*who),
                status => status,
            };
            let status = res.status().as_u16();
            seen.push(format!("{}={status}", name(*who)));
            // What another scope may read must not carry the competitor of this scope's entry.
            let json = res.headers().get("content-type").is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
            let text = if json { res.text().await.unwrap_or_default() } else { String::new() };
            if status == 200 && (text.contains(PERSON) || text.contains(ID_NUMBER)) {
                let who = name(*who);
                failures.push(format!("{} {} as {who} of another scope shows the competitor", case.method, case.path));
            }
            if status != expected && !dump {
                failures.push(format!(
                    "{} {} as {} of another scope: expected {expected}, got {status}",
                    case.method,
                    case.path,
                    name(*who)
                ));
            }
        }
        if dump {
            println!("DUMP {} {} {}", case.method, case.path, seen.join(" "));
        }
    }
    assert!(failures.is_empty(), "authorisation matrix mismatches:\n{}", failures.join("\n"));

    // Everyone may read themselves, and only themselves.
    for (who, token) in &tokens[2..] {
        let token = token.as_deref().unwrap();
        let me: Value = app.get("/api/v1/me", token).await.json().await.unwrap();
        let own = app.get(&format!("/api/v1/users/{}", me["id"].as_str().unwrap()), token).await;
        assert_eq!(own.status(), 200, "{} reads their own account", name(*who));
    }
}
