import { describe, expect, it } from 'vitest';

import { messages } from '@/lib/i18n';
import type { Problem, ProblemCode } from '@/lib/problem';

import { formAlertText } from './formAlert';

const en = messages.en;

function problem(code: ProblemCode, status = 400): Problem {
  return { type: 'about:blank', title: 't', status, detail: `detail ${code}`, code, errors: [], retryAfterSeconds: null };
}

const quiet = { problem: null, otherErrors: [], submitted: false, anyFieldError: false };

describe('formAlertText', () => {
  it('is empty before anything was submitted', () => {
    expect(formAlertText(quiet, en)).toBeNull();
    // Errors shown while typing (after leaving a field) do not raise the alert.
    expect(formAlertText({ ...quiet, anyFieldError: true }, en)).toBeNull();
  });

  it('shows the translated message of a non-field problem', () => {
    expect(formAlertText({ ...quiet, submitted: true, problem: problem('invalid_credentials', 401) }, en)).toEqual({
      message: en.problemInvalidCredentials,
      details: [],
    });
    expect(formAlertText({ ...quiet, submitted: true, problem: problem('something_new' as ProblemCode) }, en)?.message).toBe(
      'detail something_new',
    );
  });

  it('summarises field errors only while some field is still marked', () => {
    const failed = { ...quiet, submitted: true, problem: problem('validation_failed', 422) };
    expect(formAlertText({ ...failed, anyFieldError: true }, en)).toEqual({ message: en.problemValidation, details: [] });
    expect(formAlertText({ ...failed, anyFieldError: false }, en)).toBeNull();
    expect(formAlertText({ ...quiet, submitted: true, anyFieldError: true }, en)?.message).toBe(en.problemValidation);
  });

  it('lists field errors that belong to no field of the form', () => {
    const state = {
      ...quiet,
      submitted: true,
      problem: problem('validation_failed', 422),
      otherErrors: [{ field: 'token', message: 'is required' }],
    };
    expect(formAlertText(state, en)).toEqual({ message: en.problemValidation, details: ['token: is required'] });
  });
});
