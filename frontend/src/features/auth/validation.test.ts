import { describe, expect, it } from 'vitest';

import {
  displayNameIssue,
  emailIssue,
  hasIssues,
  validateAccept,
  validateForgot,
  validateLogin,
  validateReset,
  validateSetup,
} from './validation';

describe('emailIssue', () => {
  it('accepts plausible addresses, trimmed and case-insensitively', () => {
    expect(emailIssue('li.na@example.cn')).toBeNull();
    expect(emailIssue('  Li.Na@Example.CN ')).toBeNull();
  });

  it('refuses what the server refuses', () => {
    expect(emailIssue('')).toBe('required');
    expect(emailIssue('   ')).toBe('required');
    for (const bad of ['no-at-sign', '@example.com', 'a@b', 'a@.com', 'a b@example.com', 'a@b.com.', 'a@b@c.com']) {
      expect(emailIssue(bad), bad).toBe('invalid');
    }
    expect(emailIssue(`${'a'.repeat(65)}@example.com`)).toBe('invalid');
    expect(emailIssue(`a@${'b'.repeat(250)}.com`)).toBe('too_long');
  });
});

describe('displayNameIssue', () => {
  it('accepts any script, up to 100 characters once trimmed', () => {
    expect(displayNameIssue(' 王小明 ')).toBeNull();
    expect(displayNameIssue('名'.repeat(100))).toBeNull();
    expect(displayNameIssue('名'.repeat(101))).toBe('too_long');
  });

  it('refuses empty names and control characters', () => {
    expect(displayNameIssue('   ')).toBe('required');
    expect(displayNameIssue('a\u0000b')).toBe('control_characters');
    expect(displayNameIssue('a\u0085b')).toBe('control_characters');
  });
});

describe('form validators', () => {
  const strong = 'correct horse';

  it('login needs both fields but applies no password policy', () => {
    expect(validateLogin({ email: '', password: '' })).toEqual({
      email: 'errorRequired',
      password: 'errorRequired',
    });
    expect(validateLogin({ email: 'a@example.com', password: 'short' })).toEqual({});
    expect(validateLogin({ email: 'a@example.com', password: 'x'.repeat(129) })).toEqual({
      password: 'errorPasswordTooLong',
    });
  });

  it('setup checks every field and the confirmation', () => {
    expect(validateSetup({ email: 'x', display_name: '', password: 'aaaaaaaaaaaa', confirm: 'b' })).toEqual({
      email: 'errorEmailInvalid',
      display_name: 'errorRequired',
      password: 'errorPasswordOneCharacter',
      confirm: 'errorConfirmMismatch',
    });
    const ok = validateSetup({ email: 'admin@example.com', display_name: '管理员', password: strong, confirm: strong });
    expect(ok).toEqual({});
    expect(hasIssues(ok)).toBe(false);
  });

  it('accepting an invitation allows an empty display name', () => {
    expect(validateAccept({ display_name: '', password: strong, confirm: strong })).toEqual({});
    expect(validateAccept({ display_name: '名'.repeat(101), password: 'short', confirm: '' })).toEqual({
      display_name: 'errorNameTooLong',
      password: 'errorPasswordTooShort',
      confirm: 'errorConfirmRequired',
    });
  });

  it('reset checks the new password and its confirmation', () => {
    expect(validateReset({ new_password: strong, confirm: strong })).toEqual({});
    const issues = validateReset({ new_password: 'x'.repeat(129), confirm: 'x'.repeat(129) });
    expect(issues).toEqual({ new_password: 'errorPasswordTooLong' });
    expect(hasIssues(issues)).toBe(true);
  });

  it('forgot-password checks the address', () => {
    expect(validateForgot({ email: '' })).toEqual({ email: 'errorRequired' });
    expect(validateForgot({ email: 'someone@example.com' })).toEqual({});
  });
});
