//! The one hand-kept schema shared by both engines. Keep it in step with
//! `migrations/sqlite` and `migrations/postgres`: the drift test (`tests/api/schema.rs`) migrates
//! a fresh database on each engine and compares every table's columns with these.

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        display_name -> Text,
        password_hash -> Nullable<Text>,
        locale -> Text,
        is_active -> Bool,
        token_version -> Integer,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    role_assignments (id) {
        id -> Text,
        user_id -> Text,
        role -> Text,
        scope_id -> Nullable<Text>,
        delegation_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        rotated_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    one_time_tokens (id) {
        id -> Text,
        user_id -> Nullable<Text>,
        purpose -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        action -> Text,
        target_type -> Text,
        target_id -> Nullable<Text>,
        event_id -> Nullable<Text>,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        request_id -> Nullable<Text>,
        ip -> Nullable<Text>,
        chain -> Nullable<Text>,
        seq -> Nullable<BigInt>,
        prev_hash -> Nullable<Text>,
        hash -> Nullable<Text>,
    }
}

diesel::table! {
    audit_chains (chain) {
        chain -> Text,
        seq -> BigInt,
        head_hash -> Text,
    }
}

diesel::table! {
    server_secrets (name) {
        name -> Text,
        value -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    events (id) {
        id -> Text,
        name -> Text,
        venue -> Text,
        time_zone -> Text,
        c1_date -> Date,
        competition_days -> Integer,
        registration_deadline -> Timestamp,
        status -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    skills (id) {
        id -> Text,
        event_id -> Text,
        number -> Text,
        name_zh -> Text,
        name_en -> Text,
        sector -> Text,
        age_limit -> Integer,
        team_size -> Integer,
        max_entries_per_delegation -> Integer,
        judgement_mode -> Text,
        max_spread -> Integer,
        anonymous -> Bool,
        workstation_count -> Integer,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    competitor_photos (competitor_id) {
        competitor_id -> Text,
        content_type -> Text,
        data -> Binary,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    skill_reveals (skill_id) {
        skill_id -> Text,
        revealed_at -> Timestamp,
        revealed_by -> Nullable<Text>,
    }
}

diesel::table! {
    delegations (id) {
        id -> Text,
        event_id -> Text,
        code -> Text,
        name_zh -> Text,
        name_en -> Text,
        kind -> Text,
        contact_name -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    entries (id) {
        id -> Text,
        event_id -> Text,
        skill_id -> Text,
        delegation_id -> Text,
        status -> Text,
        workstation -> Nullable<Integer>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        anon_code -> Nullable<Text>,
    }
}

diesel::table! {
    competitors (id) {
        id -> Text,
        event_id -> Text,
        entry_id -> Text,
        name -> Text,
        gender -> Text,
        birth_date -> Date,
        id_number -> Text,
        user_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    experts (id) {
        id -> Text,
        event_id -> Text,
        skill_id -> Text,
        delegation_id -> Text,
        user_id -> Text,
        position -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    workstation_draws (id) {
        id -> Text,
        skill_id -> Text,
        seed -> Text,
        algorithm -> Text,
        workstation_count -> Integer,
        reason -> Nullable<Text>,
        drawn_by -> Nullable<Text>,
        drawn_at -> Timestamp,
    }
}

diesel::table! {
    marking_schemes (skill_id) {
        skill_id -> Text,
        document -> Text,
        status -> Text,
        version -> Integer,
        updated_at -> Timestamp,
        updated_by -> Nullable<Text>,
        frozen_at -> Nullable<Timestamp>,
        frozen_by -> Nullable<Text>,
    }
}

diesel::table! {
    marking_groups (id) {
        id -> Text,
        skill_id -> Text,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    marking_group_members (group_id, position) {
        group_id -> Text,
        position -> Integer,
        user_id -> Text,
    }
}

diesel::table! {
    marking_group_sub_criteria (group_id, position) {
        group_id -> Text,
        position -> Integer,
        sub_criterion_id -> Text,
    }
}

diesel::table! {
    workstation_draw_assignments (draw_id, position) {
        draw_id -> Text,
        position -> Integer,
        entry_id -> Text,
        workstation -> Integer,
    }
}

diesel::table! {
    marks (id) {
        id -> Text,
        skill_id -> Text,
        entry_id -> Text,
        aspect_key -> Text,
        sub_criterion_id -> Text,
        judge_id -> Nullable<Text>,
        input -> Text,
        value -> Integer,
        note -> Nullable<Text>,
        unsure -> Bool,
        version -> Integer,
        client_id -> Text,
        entered_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    withdrawn_scores (client_id) {
        client_id -> Text,
        skill_id -> Text,
        entry_id -> Text,
        aspect_key -> Text,
        judge_id -> Text,
        value -> Integer,
        reason -> Text,
        withdrawn_by -> Text,
        withdrawn_at -> Timestamp,
    }
}

diesel::table! {
    mark_locks (entry_id, sub_criterion_id) {
        entry_id -> Text,
        sub_criterion_id -> Text,
        skill_id -> Text,
        locked_by -> Text,
        locked_at -> Timestamp,
    }
}

diesel::table! {
    result_rules (event_id) {
        event_id -> Text,
        document -> Text,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    skill_results (skill_id) {
        skill_id -> Text,
        event_id -> Text,
        state -> Text,
        ratified_snapshot -> Nullable<Text>,
        ratified_at -> Nullable<Timestamp>,
        ratified_by -> Nullable<Text>,
        published_snapshot -> Nullable<Text>,
        audience -> Text,
        public_at -> Nullable<Timestamp>,
        scheduled_audience -> Nullable<Text>,
        scheduled_at -> Nullable<Timestamp>,
        ceremony_step -> Integer,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    disputes (id) {
        id -> Text,
        event_id -> Text,
        skill_id -> Text,
        entry_id -> Text,
        aspect_key -> Nullable<Text>,
        reason -> Text,
        status -> Text,
        filed_by -> Text,
        filed_at -> Timestamp,
        resolution -> Nullable<Text>,
        resolved_by -> Nullable<Text>,
        resolved_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> Text,
        event_id -> Nullable<Text>,
        kind -> Text,
        recipient -> Text,
        subject -> Text,
        body -> Text,
        status -> Text,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        next_attempt_at -> Timestamp,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    selection_programmes (id) {
        id -> Text,
        name -> Text,
        target_competition -> Text,
        target_year -> Integer,
        status -> Text,
        team_audience -> Text,
        created_by -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        notice_days -> Integer,
        team_public_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    selection_stages (id) {
        id -> Text,
        programme_id -> Text,
        position -> Integer,
        event_id -> Text,
        audience -> Text,
        is_final -> Bool,
        created_at -> Timestamp,
        public_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    selection_stage_skills (stage_id, skill_id) {
        stage_id -> Text,
        skill_id -> Text,
        skill_number -> Text,
        cut -> Integer,
        weights -> Text,
        basis -> Text,
        tie_rule -> Text,
        training_base -> Nullable<Text>,
        confirmed_at -> Nullable<Timestamp>,
        confirmed_by -> Nullable<Text>,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    selection_advancements (stage_id, entry_id) {
        stage_id -> Text,
        entry_id -> Text,
        skill_id -> Text,
        standing -> BigInt,
        tie_break -> Nullable<BigInt>,
        breakdown -> Text,
        rank -> Integer,
        advanced -> Bool,
        tied_at_cut -> Bool,
        decided_by_tie_break -> Bool,
        moved_up -> Bool,
        ineligible -> Nullable<Text>,
        next_entry_id -> Nullable<Text>,
        withdrawn_reason -> Nullable<Text>,
        withdrawn_by -> Nullable<Text>,
        withdrawn_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    selection_team (programme_id, entry_id) {
        programme_id -> Text,
        entry_id -> Text,
        skill_number -> Text,
        place -> Text,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(entries -> skills (skill_id));
diesel::joinable!(entries -> delegations (delegation_id));
diesel::joinable!(competitors -> entries (entry_id));
diesel::joinable!(experts -> users (user_id));
diesel::joinable!(experts -> skills (skill_id));
diesel::joinable!(skills -> events (event_id));
diesel::joinable!(delegations -> events (event_id));
diesel::joinable!(role_assignments -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));

/// Calls the macro `$m` with the name of every table above: the one list behind
/// `allow_tables_to_appear_in_same_query!` and the migration drift test (`tests/api/schema.rs`),
/// which checks each table's columns against what the migrations create on both engines.
#[macro_export]
macro_rules! for_each_table {
    ($m:ident) => {
        $m!(
            users,
            role_assignments,
            refresh_tokens,
            one_time_tokens,
            audit_log,
            audit_chains,
            server_secrets,
            events,
            skills,
            delegations,
            entries,
            competitors,
            experts,
            workstation_draws,
            marking_schemes,
            skill_reveals,
            competitor_photos,
            marking_groups,
            marks,
            mark_locks,
            withdrawn_scores,
            result_rules,
            skill_results,
            disputes,
            mail_outbox,
            marking_group_members,
            marking_group_sub_criteria,
            workstation_draw_assignments,
            selection_programmes,
            selection_stages,
            selection_stage_skills,
            selection_advancements,
            selection_team,
        );
    };
}

use diesel::allow_tables_to_appear_in_same_query;
for_each_table!(allow_tables_to_appear_in_same_query);
