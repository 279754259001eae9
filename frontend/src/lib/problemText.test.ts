import { describe, expect, it } from 'vitest';

import openapi from '../../openapi.json?raw';

import { messages } from './i18n';
import { CLIENT_PROBLEM_CODES, type Problem, type ProblemCode } from './problem';
import { problemMessage } from './problemText';

/** Every code the server's OpenAPI document names, read at run time (the types vanish). */
const SERVER_CODES = (JSON.parse(openapi) as { components: { schemas: { ErrorCode: { enum: ProblemCode[] } } } })
  .components.schemas.ErrorCode.enum;

function problem(code: ProblemCode, extra: Partial<Problem> = {}): Problem {
  return {
    type: `/problems/${code}`,
    title: 'Title',
    status: 400,
    detail: `server detail for ${code}`,
    code,
    errors: [],
    retryAfterSeconds: null,
    ...extra,
  };
}

const en = messages.en;
const zh = messages['zh-CN'];

describe('problemMessage', () => {
  it('says the lifecycle refusals in the reader\'s language, not the server\'s English', () => {
    for (const code of ['skill_marked', 'results_ratified', 'results_not_public'] as const) {
      const said = problemMessage(problem(code, { status: 409 }), zh);
      expect(said).not.toBe(`server detail for ${code}`);
      expect(said).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(problemMessage(problem('results_ratified', { status: 409 }), en)).toBe(en.problemResultsRatified);
  });

  it('translates the codes the forms expect', () => {
    expect(problemMessage(problem('link_invalid_or_expired'), en)).toBe(en.problemInvalidLink);
    expect(problemMessage(problem('link_invalid_or_expired'), zh)).toBe(zh.problemInvalidLink);
    expect(problemMessage(problem('invalid_credentials'), zh)).toBe(zh.problemInvalidCredentials);
    expect(problemMessage(problem('already_set_up'), en)).toBe(en.problemAlreadySetUp);
    expect(problemMessage(problem('email_taken'), en)).toBe(en.problemEmailTaken);
    expect(problemMessage(problem('validation_failed'), en)).toBe(en.problemValidation);
    expect(problemMessage(problem('network_error', { status: 0 }), en)).toBe(en.problemNetwork);
    expect(problemMessage(problem('invalid_refresh_token', { status: 401 }), en)).toBe(en.problemSessionExpired);
  });

  it('says how long to wait when rate limited', () => {
    expect(problemMessage(problem('rate_limited', { retryAfterSeconds: 42 }), en)).toBe(
      'Too many attempts. Please try again in 42 seconds.',
    );
    expect(problemMessage(problem('rate_limited', { retryAfterSeconds: 600 }), en)).toBe(
      'Too many attempts. Please try again in 10 minutes.',
    );
    expect(problemMessage(problem('rate_limited', { retryAfterSeconds: 42 }), zh)).toBe('尝试次数过多，请在 42 秒后重试。');
    expect(problemMessage(problem('rate_limited'), en)).toBe(en.problemRateLimitedNoTime);
  });

  it('mentions the status of server failures', () => {
    expect(problemMessage(problem('internal_error', { status: 500 }), en)).toContain('HTTP 500');
    expect(problemMessage(problem('http_error', { status: 502 }), en)).toContain('HTTP 502');
    expect(problemMessage(problem('http_error', { status: 404 }), en)).toBe(en.problemUnexpected);
  });

  it('words every code the server sends, in Chinese for zh-CN, never with the server\'s English', () => {
    expect(SERVER_CODES.length).toBeGreaterThan(60);
    for (const code of [...SERVER_CODES, ...Object.values(CLIENT_PROBLEM_CODES)]) {
      const refusal = problem(code, { status: 409 });
      const said = { zh: problemMessage(refusal, zh), en: problemMessage(refusal, en) };
      expect(said.zh, code).not.toBe(`server detail for ${code}`);
      expect(said.en, code).not.toBe(`server detail for ${code}`);
      expect(said.zh, code).toMatch(/[\u4e00-\u9fff]/);
      expect(said.en, code).not.toMatch(/[\u4e00-\u9fff]/);
      expect(said.zh, code).not.toMatch(/\{\w+\}/);
    }
  });

  it('tells different refusals apart', () => {
    const texts = new Set(SERVER_CODES.map((code) => problemMessage(problem(code, { status: 409 }), en)));
    // Grouped on purpose: the four unreadable requests, the four ended sessions, the two server failures.
    expect(texts.size).toBe(SERVER_CODES.length - 3 - 3 - 1);
  });

  it('falls back to the server detail for a code newer than this build', () => {
    const newer = 'added_next_year' as ProblemCode;
    expect(problemMessage(problem(newer), en)).toBe('server detail for added_next_year');
  });
});
