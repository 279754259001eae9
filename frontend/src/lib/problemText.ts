/**
 * The message to show for a `Problem`: a translated text for the codes the
 * user interface knows, otherwise the server's own `detail`.
 */

import { format, type Messages } from '@/lib/i18n';
import { CLIENT_PROBLEM_CODES, type Problem } from '@/lib/problem';

/** Codes that mean "your sign-in is gone; sign in again". */
const SESSION_CODES = new Set(['unauthenticated', 'invalid_token', 'invalid_refresh_token', 'refresh_token_reused']);

function rateLimitedMessage(seconds: number | null, t: Messages): string {
  if (seconds === null) return t.problemRateLimitedNoTime;
  if (seconds >= 120) return format(t.problemRateLimitedMinutes, { minutes: Math.ceil(seconds / 60) });
  return format(t.problemRateLimited, { seconds: Math.max(1, seconds) });
}

export function problemMessage(problem: Problem, t: Messages): string {
  switch (problem.code) {
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
    case 'validation_failed':
      return t.problemValidation;
    case 'skill_marked':
      return t.problemSkillMarked;
    case 'results_ratified':
      return t.problemResultsRatified;
    case 'results_not_public':
      return t.problemResultsNotPublic;
    case 'internal_error':
    case 'service_unavailable':
      return format(t.problemServer, { status: problem.status });
    case CLIENT_PROBLEM_CODES.network:
      return t.problemNetwork;
    case CLIENT_PROBLEM_CODES.timeout:
      return t.problemTimeout;
    case CLIENT_PROBLEM_CODES.unexpected:
      return t.problemUnexpected;
    case CLIENT_PROBLEM_CODES.http:
      return problem.status >= 500 ? format(t.problemServer, { status: problem.status }) : t.problemUnexpected;
  }
  if (SESSION_CODES.has(problem.code)) return t.problemSessionExpired;
  return problem.detail;
}
