//! What the audit log records: the action and the kind of object it was done to, each a closed
//! set stored and sent as its text (`user.role_granted`, `skill`). The SPA words each by code.

text_enum! {
    /// What happened, e.g. `auth.login`, `user.role_granted`.
    #[derive(PartialOrd, Ord)]
    pub enum AuditAction {
        AuthLogin = "auth.login",
        AuthLoginFailed = "auth.login_failed",
        AuthLogout = "auth.logout",
        AuthPasswordReset = "auth.password_reset",
        AuthPasswordResetRequested = "auth.password_reset_requested",
        AuthRefreshTokenReused = "auth.refresh_token_reused",
        CompetitorAccountLinked = "competitor.account_linked",
        CompetitorPhotoSet = "competitor.photo_set",
        CompetitorRegistered = "competitor.registered",
        CompetitorRemoved = "competitor.removed",
        CompetitorUpdated = "competitor.updated",
        DelegationCreated = "delegation.created",
        DelegationTeamLeaderAppointed = "delegation.team_leader_appointed",
        DelegationUpdated = "delegation.updated",
        DemoLoaded = "demo.loaded",
        DisputeFiled = "dispute.filed",
        DisputeResolved = "dispute.resolved",
        EntryCreated = "entry.created",
        EntryStatusChanged = "entry.status_changed",
        EventCreated = "event.created",
        EventStatusChanged = "event.status_changed",
        EventUpdated = "event.updated",
        ExpertRegistered = "expert.registered",
        MarkingGroupCreated = "marking_group.created",
        MarksEntered = "marks.entered",
        MarksLocked = "marks.locked",
        MarksScoreWithdrawn = "marks.score_withdrawn",
        MarksUnlocked = "marks.unlocked",
        RegistrationExportedWithIdNumbers = "registration.exported_with_id_numbers",
        RegistrationImported = "registration.imported",
        ResultsCeremony = "results.ceremony",
        ResultsRatified = "results.ratified",
        ResultsReleaseScheduled = "results.release_scheduled",
        ResultsReleaseUnscheduled = "results.release_unscheduled",
        ResultsReleased = "results.released",
        ResultsRulesChanged = "results.rules_changed",
        SchemeFrozen = "scheme.frozen",
        SchemeSaved = "scheme.saved",
        SelectionAdvancementConfirmed = "selection.advancement_confirmed",
        SelectionCarriedOver = "selection.carried_over",
        SelectionProgrammeCreated = "selection.programme_created",
        SelectionRulesChanged = "selection.rules_changed",
        SelectionSquadReleased = "selection.squad_released",
        SelectionStageAdded = "selection.stage_added",
        SelectionTeamReleased = "selection.team_released",
        SelectionTeamSet = "selection.team_set",
        SelectionWithdrawn = "selection.withdrawn",
        SkillCreated = "skill.created",
        SkillIdentitiesRevealed = "skill.identities_revealed",
        SkillUpdated = "skill.updated",
        SkillWorkstationsDrawn = "skill.workstations_drawn",
        SkillWorkstationsRedrawn = "skill.workstations_redrawn",
        UserAdminCreatedByCli = "user.admin_created_by_cli",
        UserFirstAdminCreated = "user.first_admin_created",
        UserInvitationAccepted = "user.invitation_accepted",
        UserInvited = "user.invited",
        UserPasswordChanged = "user.password_changed",
        UserReinvited = "user.reinvited",
        UserRoleGranted = "user.role_granted",
        UserRoleRevoked = "user.role_revoked",
        UserUpdated = "user.updated",
    }
}

text_enum! {
    /// The kind of object an audit record is about (its `target_id` names one).
    #[derive(PartialOrd, Ord)]
    pub enum AuditTarget {
        User,
        Event,
        Skill,
        Delegation,
        Entry,
        Competitor,
        Expert,
        SelectionProgramme,
        SelectionStage,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_stored_as_their_dotted_text() {
        assert_eq!(AuditAction::UserRoleGranted.as_str(), "user.role_granted");
        assert_eq!("marks.entered".parse::<AuditAction>().unwrap(), AuditAction::MarksEntered);
        assert!("marks_entered".parse::<AuditAction>().is_err());
        assert_eq!(AuditTarget::SelectionProgramme.as_str(), "selection_programme");
    }
}
