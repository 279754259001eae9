import { describe, expect, it } from 'vitest';

import {
  PASSWORD_MAX_CHARS,
  PASSWORD_MIN_CHARS,
  characterCount,
  confirmationIssue,
  passwordIssue,
} from './passwordPolicy';

describe('passwordIssue', () => {
  it('mirrors the server limits of 10 to 128 characters', () => {
    expect(PASSWORD_MIN_CHARS).toBe(10);
    expect(PASSWORD_MAX_CHARS).toBe(128);
    expect(passwordIssue('')).toBe('required');
    expect(passwordIssue('short')).toBe('too_short');
    expect(passwordIssue('123456789')).toBe('too_short');
    expect(passwordIssue('a1b2c3d4e5')).toBeNull();
    expect(passwordIssue('ab'.repeat(64))).toBeNull();
    expect(passwordIssue(`${'ab'.repeat(64)}c`)).toBe('too_long');
    // The same case as the server's own test: 130 characters.
    expect(passwordIssue('x1'.repeat(65))).toBe('too_long');
  });

  it('refuses one character repeated, however long', () => {
    expect(passwordIssue('aaaaaaaaaaaa')).toBe('one_character_repeated');
    expect(passwordIssue('密'.repeat(20))).toBe('one_character_repeated');
    expect(passwordIssue('aaaaaaaaaaab')).toBeNull();
  });

  it('counts characters (code points), not UTF-16 units', () => {
    expect(characterCount('选手密码非常安全的口令')).toBe(11);
    expect(passwordIssue('选手密码非常安全的口令')).toBeNull();
    // Five emoji are ten UTF-16 units but only five characters.
    expect('🔑🔑🔑🔑🔒'.length).toBe(10);
    expect(passwordIssue('🔑🔑🔑🔑🔒')).toBe('too_short');
    expect(passwordIssue('🔑'.repeat(12))).toBe('one_character_repeated');
  });

  it('counts spaces like any other character', () => {
    expect(passwordIssue('correct horse')).toBeNull();
    expect(passwordIssue(' '.repeat(10))).toBe('one_character_repeated');
  });

  it('refuses control characters, as the server does', () => {
    expect(passwordIssue(`${'\0'.repeat(9)}\u0001`)).toBe('control_characters');
    expect(passwordIssue('correct\thorse battery')).toBe('control_characters');
    expect(passwordIssue('correct horse\nbattery')).toBe('control_characters');
    expect(passwordIssue('correct horse\u007fbattery')).toBe('control_characters');
    expect(passwordIssue('correct horse\u0085battery')).toBe('control_characters');
    // Spaces, and letters of any script, are not control characters.
    expect(passwordIssue('correct horse battery')).toBeNull();
    expect(passwordIssue('选手密码非常安全的口令')).toBeNull();
  });

  it('leaves common passwords to the server', () => {
    // Judged by the server's estimate (src/domain/account.rs), shown as its field message.
    expect(passwordIssue('password12')).toBeNull();
  });
});

describe('confirmationIssue', () => {
  it('requires an exact match', () => {
    expect(confirmationIssue('correct horse', '')).toBe('required');
    expect(confirmationIssue('correct horse', 'correct horse ')).toBe('mismatch');
    expect(confirmationIssue('correct horse', 'Correct horse')).toBe('mismatch');
    expect(confirmationIssue('correct horse', 'correct horse')).toBeNull();
  });
});
