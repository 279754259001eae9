/** What a form's alert area says, given the state of the last submission. */

import type { Messages } from '@/lib/i18n';
import type { FieldError, Problem } from '@/lib/problem';
import { problemMessage } from '@/lib/problemText';

export interface FormAlertState {
  /** The server's (or the network's) answer to the last submission, if it failed. */
  problem: Problem | null;
  /** Field errors for fields the form does not have (shown in the alert instead). */
  otherErrors: readonly FieldError[];
  /** Whether the form has been submitted at least once. */
  submitted: boolean;
  /** Whether some field currently shows an error. */
  anyFieldError: boolean;
}

export interface FormAlertText {
  message: string;
  details: string[];
}

/**
 * - a problem other than a validation failure → its (translated) message
 * - field errors the form cannot place → the summary plus those errors
 * - otherwise, after a submit, the summary while any field is still marked
 */
export function formAlertText(state: FormAlertState, t: Messages): FormAlertText | null {
  const { problem, otherErrors, submitted, anyFieldError } = state;
  if (problem !== null && problem.code !== 'validation_failed') {
    return { message: problemMessage(problem, t), details: [] };
  }
  if (otherErrors.length > 0) {
    return { message: t.problemValidation, details: otherErrors.map((e) => `${e.field}: ${e.message}`) };
  }
  if ((problem !== null || submitted) && anyFieldError) {
    return { message: t.problemValidation, details: [] };
  }
  return null;
}
