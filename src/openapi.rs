//! The OpenAPI 3.1 document, generated from the handlers and DTOs. Committed as
//! `frontend/openapi.json` (the SPA's types are generated from it); a test fails when it is stale.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Skillmark API",
        description = "Competition management for WorldSkills-style skill competitions. Errors are RFC 9457 \
            `application/problem+json` with a stable `code`; ids are UUIDs; times are RFC 3339 UTC.",
        license(name = "MIT")
    ),
    paths(
        api::health::healthz,
        api::health::readyz,
        api::auth::login,
        api::auth::refresh,
        api::auth::logout,
        api::auth::change_password,
        api::auth::request_password_reset,
        api::auth::confirm_password_reset,
        api::auth::accept_invitation,
        api::auth::setup,
        api::users::me,
        api::users::update_me,
        api::users::list_users,
        api::users::create_user,
        api::users::get_user,
        api::users::update_user,
        api::users::resend_invitation,
        api::users::grant_role,
        api::users::revoke_role,
        api::audit::list_audit,
        api::audit::verify_audit,
        api::events::list_events,
        api::events::create_event,
        api::events::get_event,
        api::events::update_event,
        api::events::change_status,
        api::events::list_skills,
        api::events::create_skill,
        api::events::update_skill,
        api::events::skill_lifecycle,
        api::events::list_delegations,
        api::events::create_delegation,
        api::events::update_delegation,
        api::registration::list_entries,
        api::registration::create_entry,
        api::registration::get_entry,
        api::registration::change_entry_status,
        api::registration::add_competitor,
        api::registration::update_competitor,
        api::registration::remove_competitor,
        api::registration::invite_competitor,
        api::registration::upload_photo,
        api::registration::get_photo,
        api::registration::list_experts,
        api::registration::register_expert,
        api::registration::appoint_team_leader,
        api::registration::draw_workstations,
        api::registration::list_draws,
        api::registration::reveal_identities,
        api::imports::import_list,
        api::imports::export_list,
        api::imports::import_template,
        api::schemes::get_scheme,
        api::schemes::save_scheme,
        api::schemes::freeze_scheme,
        api::schemes::import_scheme,
        api::schemes::export_scheme,
        api::marks::list_groups,
        api::marks::create_group,
        api::marks::submit_marks,
        api::marks::entry_marks,
        api::marks::skill_marks,
        api::marks::lock,
        api::marks::withdraw_score,
        api::marks::unlock,
        api::marks::progress,
        api::marks::propose_groups,
        api::marks::analytics,
        api::marks::marking_form,
        api::results::get_rules,
        api::results::put_rules,
        api::results::skill_results,
        api::results::ratify,
        api::results::statuses,
        api::results::dashboard,
        api::results::publish,
        api::results::ceremony,
        api::results::unschedule,
        api::results::published,
        api::results::entry_result,
        api::results::entry_outline,
        api::results::file_dispute,
        api::results::list_disputes,
        api::results::resolve_dispute,
        api::results::mail_report,
        api::results::export_results,
        api::results::printable,
        api::results::public_events,
        api::results::public_results,
        api::results::public_tables,
        api::results::public_skill,
        api::results::public_ceremony,
        api::results::public_stream,
        api::selection::list_programmes,
        api::selection::create_programme,
        api::selection::get_programme,
        api::selection::add_stage,
        api::selection::set_stage_skill,
        api::selection::proposal,
        api::selection::confirm,
        api::selection::withdraw,
        api::selection::squad,
        api::selection::release_squad,
        api::selection::team,
        api::selection::release_team,
        api::selection::export_team,
        api::selection::entry_path,
        api::selection::public_squad,
        api::selection::released_lists,
        api::selection::public_team,
        api::selection::public_programmes,
    ),
    components(schemas(crate::error::Problem, crate::error::FieldError, crate::error::RowProblem, crate::error::ImportProblemCode)),
    modifiers(&BearerAuth, &ApiPrefix, &Lifecycle, &ResponseDescriptions),
    tags(
        (name = "auth", description = "Signing in, sessions, passwords, invitations"),
        (name = "users", description = "Accounts and scoped roles"),
        (name = "audit", description = "Who changed what, when"),
        (name = "events", description = "Events, their skills and delegations"),
        (name = "registration", description = "Entries, competitors, experts, workstation draws"),
        (name = "schemes", description = "Marking schemes: criteria, sub-criteria, aspects"),
        (name = "marking", description = "Marking groups, marks from tablets, locks"),
        (name = "results", description = "Results: rules, ratification, release, ceremony, disputes, exports"),
        (name = "selection", description = "The selection programme: stages, advancement, withdrawals, squad and national team"),
        (name = "public", description = "Published results for everyone, without login; live stream"),
        (name = "health", description = "Liveness and readiness"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

/// The lifecycle table (`domain::lifecycle::TABLE`) and what experts see before release, in the
/// document's description: what the docs page says is what the server decides.
struct Lifecycle;

impl Modify for Lifecycle {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let text = format!(
            "{}\n\n## What may change when\n\nA skill moves unmarked → marking → ratified → released (experts → \
             delegations → public) → final; an upheld dispute reopens it. A change the skill's phase refuses gets \
             409 with the `code` below; the problem's `current` names the `phase` and the `open_path` (`dispute`, \
             `ratify`, `release`). `GET /api/v1/skills/{{id}}/lifecycle` tells the phase and what it refuses \
             now.\n\n{}\n## What experts see before release\n\nNo result (scale score, rank, award) reaches \
             anyone but organisers and the skill's chief experts before its release. The skill's experts see its \
             marks, as they do on the marking forms they sign: every mark of every entry but their own \
             delegation's, another judge's score once every judge of that aspect has scored.",
            openapi.info.description.clone().unwrap_or_default(),
            crate::domain::lifecycle::markdown()
        );
        openapi.info.description = Some(text);
    }
}

/// Handlers are mounted under `/api/v1`; utoipa sees only their own paths.
struct ApiPrefix;

impl Modify for ApiPrefix {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let paths = std::mem::take(&mut openapi.paths.paths);
        openapi.paths.paths = paths
            .into_iter()
            .map(|(path, item)| {
                let full = if path.starts_with("/healthz") || path.starts_with("/readyz") {
                    path
                } else {
                    format!("/api/v1{path}")
                };
                (full, item)
            })
            .collect();
    }
}

/// OpenAPI 3.1 requires a description on every response, and utoipa 6 leaves out an empty one:
/// a response without its own says its status's reason phrase ("OK", "No Content", …).
struct ResponseDescriptions;

impl Modify for ResponseDescriptions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.options,
                &mut item.head,
                &mut item.patch,
                &mut item.trace,
            ];
            for operation in operations.into_iter().flatten() {
                for (status, response) in operation.responses.responses.iter_mut() {
                    if let utoipa::openapi::RefOr::T(response) = response {
                        if response.description.is_empty() {
                            let reason = status
                                .parse::<u16>()
                                .ok()
                                .and_then(|code| actix_web::http::StatusCode::from_u16(code).ok()?.canonical_reason());
                            response.description = reason.unwrap_or("Response").to_string();
                        }
                    }
                }
            }
        }
    }
}

/// The document as committed: pretty JSON with a trailing newline.
pub fn document() -> String {
    let mut json = ApiDoc::openapi().to_pretty_json().expect("the OpenAPI document serialises");
    json.push('\n');
    json
}
