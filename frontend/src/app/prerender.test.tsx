import { describe, expect, it } from 'vitest';

import { postedSignInProblem } from '@/features/auth/LoginPage';
import { messages } from '@/lib/i18n';
import { problemMessage } from '@/lib/problemText';

import { renderSignInPage } from './prerender';

describe('the sign-in page rendered at build time', () => {
  it.each(['zh-CN', 'en'] as const)('is a form the browser can post itself (%s)', (locale) => {
    const t = messages[locale];
    const { html, title } = renderSignInPage(locale);
    expect(title).toBe(`${t.loginTitle} · ${t.pageTitleSuffix}`);
    const form = /<form [^>]*>/.exec(html)?.[0] ?? '';
    expect(form).toContain('method="post"');
    // No action: the browser posts to the page's own address, so `?next=` reaches the server.
    expect(form).not.toContain('action=');
    // The fields the server reads, each with its label in the page's language.
    for (const [name, label] of [
      ['email', t.fieldEmail],
      ['password', t.fieldPassword],
    ] as const) {
      const input = new RegExp(`<input [^>]*name="${name}"[^>]*>`).exec(html)?.[0] ?? '';
      const id = /id="([^"]+)"/.exec(input)?.[1];
      expect(id).toBeDefined();
      expect(html).toContain(`for="${id}">${label}</label>`);
    }
    expect(html).toMatch(new RegExp(`<button type="submit"[^>]*>${t.loginSubmit}</button>`));
    expect(html).toContain(`<h1 tabindex="-1">${t.loginTitle}</h1>`);
  });
});

describe('a form sign-in the server refused', () => {
  const t = messages.en;

  it('says what the server said', () => {
    expect(problemMessage(postedSignInProblem('invalid_credentials'), t)).toBe(t.problemInvalidCredentials);
    expect(problemMessage(postedSignInProblem('rate_limited', '30'), t)).toBe(t.problemRateLimited.replace('{seconds}', '30'));
    expect(problemMessage(postedSignInProblem('rate_limited', null), t)).toBe(t.problemRateLimitedNoTime);
    expect(problemMessage(postedSignInProblem('service_unavailable'), t)).toBe(t.problemServer.replace('{status}', '503'));
  });

  it('does not repeat whatever a hand-edited address says', () => {
    for (const code of ['constructor', '__proto__', '<b>hi</b>', '']) {
      expect(problemMessage(postedSignInProblem(code), t)).toBe(t.problemUnexpected);
    }
    expect(postedSignInProblem('rate_limited', '1e9').retryAfterSeconds).toBeNull();
    expect(postedSignInProblem('rate_limited', '-5').retryAfterSeconds).toBeNull();
  });
});
