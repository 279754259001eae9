/**
 * The message to show for a `Problem`, in the interface language: one text for every code the
 * server's OpenAPI document names (`ErrorCode`) and every client-side code. The `switch` is
 * exhaustive, so a code the server adds fails `tsc` until it has its words here. Only a code this
 * build does not know yet (a newer server) shows the server's own `detail`.
 */

import { format, type Messages } from '@/lib/i18n';
import { CLIENT_PROBLEM_CODES, type Problem } from '@/lib/problem';

function rateLimitedMessage(seconds: number | null, t: Messages): string {
  if (seconds === null) return t.problemRateLimitedNoTime;
  if (seconds >= 120) return format(t.problemRateLimitedMinutes, { minutes: Math.ceil(seconds / 60) });
  return format(t.problemRateLimited, { seconds: Math.max(1, seconds) });
}

/**
 * The server's own words, for a code newer than this build. Typed `never`: with a code that has
 * no case above (one the server added), `tsc` fails.
 */
function unknownCodeDetail(_code: never, problem: Problem): string {
  return problem.detail;
}

export function problemMessage(problem: Problem, t: Messages): string {
  const code = problem.code;
  switch (code) {
    case 'malformed_json':
    case 'unreadable_body':
    case 'invalid_query':
    case 'invalid_path':
      return t.problemBadRequest;
    case 'validation_failed':
      return t.problemValidation;
    case 'link_invalid_or_expired':
      return t.problemInvalidLink;
    case 'invalid_credentials':
      return t.problemInvalidCredentials;
    case 'rate_limited':
      return rateLimitedMessage(problem.retryAfterSeconds, t);
    case 'already_set_up':
      return t.problemAlreadySetUp;
    case 'email_taken':
      return t.problemEmailTaken;
    case 'unauthenticated':
    case 'invalid_token':
    case 'invalid_refresh_token':
    case 'refresh_token_reused':
      return t.problemSessionExpired;
    case 'cross_site_form':
      return t.problemCrossSiteForm;
    case 'forbidden':
      return t.problemForbidden;
    case 'not_found':
      return t.problemNotFound;
    case 'version_conflict':
      return t.problemVersionConflict;
    case 'already_exists':
      return t.problemAlreadyExists;
    case 'referenced_record_missing':
      return t.problemReferencedRecordMissing;
    case 'payload_too_large':
      return t.problemPayloadTooLarge;
    case 'unsupported_media_type':
      return t.problemUnsupportedMediaType;
    case 'unreadable_file':
      return t.problemUnreadableFile;
    case 'file_rejected':
      return t.problemFileRejected;
    case 'not_configured':
      return t.problemNotConfigured;

    case 'invitation_already_accepted':
      return t.problemInvitationAccepted;
    case 'last_admin':
      return t.problemLastAdmin;
    case 'role_already_granted':
      return t.problemRoleAlreadyGranted;
    case 'demo_already_loaded':
      return t.problemDemoAlreadyLoaded;
    case 'invalid_transition':
      return t.problemInvalidTransition;
    case 'event_not_configurable':
      return t.problemEventNotConfigurable;
    case 'skill_number_taken':
      return t.problemSkillNumberTaken;
    case 'delegation_code_taken':
      return t.problemDelegationCodeTaken;

    case 'registration_closed':
      return t.problemRegistrationClosed;
    case 'max_entries_reached':
      return t.problemMaxEntriesReached;
    case 'competitor_already_registered':
      return t.problemCompetitorAlreadyRegistered;
    case 'entry_not_open':
      return t.problemEntryNotOpen;
    case 'team_full':
      return t.problemTeamFull;
    case 'entry_confirmed':
      return t.problemEntryConfirmed;
    case 'account_exists':
      return t.problemAccountExists;
    case 'expert_already_registered':
      return t.problemExpertAlreadyRegistered;
    case 'draw_impossible':
      return t.problemDrawImpossible;

    case 'scheme_frozen':
      return t.problemSchemeFrozen;
    case 'scheme_not_frozen':
      return t.problemSchemeNotFrozen;
    case 'group_name_taken':
      return t.problemGroupNameTaken;
    case 'not_an_expert':
      return t.problemNotAnExpert;
    case 'recusal':
      return t.problemRecusal;
    case 'entry_not_competing':
      return t.problemEntryNotCompeting;
    case 'not_ready_to_lock':
      return t.problemNotReadyToLock;
    case 'already_locked':
      return t.problemAlreadyLocked;
    case 'sub_criterion_locked':
      return t.problemSubCriterionLocked;
    case 'not_anonymous':
      return t.problemNotAnonymous;
    case 'already_revealed':
      return t.problemAlreadyRevealed;
    case 'marks_not_locked':
      return t.problemMarksNotLocked;

    case 'skill_marked':
      return t.problemSkillMarked;
    case 'not_all_locked':
      return t.problemNotAllLocked;
    case 'results_ratified':
      return t.problemResultsRatified;
    case 'already_ratified':
      return t.problemAlreadyRatified;
    case 'not_ratified':
      return t.problemNotRatified;
    case 'results_not_public':
      return t.problemResultsNotPublic;
    case 'results_not_published':
      return t.problemResultsNotPublished;
    case 'results_embargoed':
      return t.problemResultsEmbargoed;
    case 'audience_narrowing':
      return t.problemAudienceNarrowing;
    case 'not_revealed':
      return t.problemNotRevealed;
    case 'nothing_scheduled':
      return t.problemNothingScheduled;
    case 'ceremony_out_of_order':
      return t.problemCeremonyOutOfOrder;
    case 'entry_without_results':
      return t.problemEntryWithoutResults;
    case 'notice_period_over':
      return t.problemNoticePeriodOver;
    case 'already_resolved':
      return t.problemAlreadyResolved;
    case 'no_awards':
      return t.problemNoAwards;
    case 'final_stage_exists':
      return t.problemFinalStageExists;
    case 'advancement_confirmed':
      return t.problemAdvancementConfirmed;
    case 'advancement_not_confirmed':
      return t.problemAdvancementNotConfirmed;
    case 'already_withdrawn':
      return t.problemAlreadyWithdrawn;

    case 'internal_error':
    case 'service_unavailable':
      return format(t.problemServer, { status: problem.status });
    case CLIENT_PROBLEM_CODES.network:
      return t.problemNetwork;
    case CLIENT_PROBLEM_CODES.timeout:
      return t.problemTimeout;
    case CLIENT_PROBLEM_CODES.aborted:
      return t.problemAborted;
    case CLIENT_PROBLEM_CODES.unexpected:
      return t.problemUnexpected;
    case CLIENT_PROBLEM_CODES.http:
      return problem.status >= 500 ? format(t.problemServer, { status: problem.status }) : t.problemUnexpected;
    default:
      return unknownCodeDetail(code, problem);
  }
}
