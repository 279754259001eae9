import { describe, expect, it } from 'vitest';

import { messages } from './i18n';
import type { Problem } from './problem';
import { problemMessage } from './problemText';

function problem(code: string, extra: Partial<Problem> = {}): Problem {
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
    for (const code of ['skill_marked', 'results_ratified', 'results_not_public']) {
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

  it('falls back to the server detail for unknown codes', () => {
    expect(problemMessage(problem('last_admin'), en)).toBe('server detail for last_admin');
  });
});
