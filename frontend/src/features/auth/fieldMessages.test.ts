import { describe, expect, it } from 'vitest';

import { messages } from '@/lib/i18n';

import { fieldMessage, serverFieldMessage } from './fieldMessages';

const en = messages.en;
const zh = messages['zh-CN'];

describe('fieldMessage', () => {
  it('fills in the policy limits', () => {
    expect(fieldMessage('errorPasswordTooShort', en)).toBe('The password needs at least 10 characters.');
    expect(fieldMessage('errorPasswordTooLong', zh)).toBe('密码最多 128 个字符。');
    expect(fieldMessage('errorNameTooLong', en)).toContain('100');
    expect(fieldMessage('passwordHint', en)).toBe('10 to 128 characters, not a common password or an easy pattern.');
  });
});

describe('serverFieldMessage', () => {
  it("translates the server's known field messages", () => {
    expect(serverFieldMessage('must be at least 10 characters', zh)).toBe('密码至少需要 10 个字符。');
    expect(serverFieldMessage('must not be one character repeated', en)).toBe(en.errorPasswordOneCharacter);
    expect(serverFieldMessage('is not an email address', zh)).toBe(zh.errorEmailInvalid);
    expect(serverFieldMessage('is required', en)).toBe(en.errorRequired);
    // The common-password check is the server's alone; its message is shown in the page's language.
    expect(
      serverFieldMessage('is too common or too easy to guess; use a longer phrase of unrelated words', zh),
    ).toBe(zh.errorPasswordTooCommon);
    expect(serverFieldMessage('must not contain control characters', en)).toBe(en.errorPasswordControlCharacters);
  });

  it('shows unknown messages as sent', () => {
    expect(serverFieldMessage('must be zh-CN or en', zh)).toBe('must be zh-CN or en');
  });
});
