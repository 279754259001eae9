/**
 * Client-side checks for the authentication forms. They mirror the server's
 * rules so people get instant feedback; the server re-checks everything.
 * Each validator returns, per field, the key of the message to show.
 */

import type { MessageKey } from '@/lib/i18n';

import { confirmationIssue, passwordIssue, PASSWORD_MAX_CHARS, characterCount } from './passwordPolicy';

export type FieldIssues<F extends string> = Partial<Record<F, MessageKey>>;

export type EmailIssue = 'required' | 'too_long' | 'invalid';
export type DisplayNameIssue = 'required' | 'too_long' | 'control_characters';

export const EMAIL_MAX_BYTES = 254;
export const EMAIL_LOCAL_MAX_BYTES = 64;
export const DISPLAY_NAME_MAX_CHARS = 100;

const utf8 = new TextEncoder();

// Unicode "Cc" (control) characters, as Rust's `char::is_control`.
const CONTROL = /\p{Cc}/u;
const WHITESPACE_OR_CONTROL = /[\s\p{Cc}]/u;

/** Same rules as the server: a plausible address, at most 254 bytes once trimmed. */
export function emailIssue(raw: string): EmailIssue | null {
  const email = raw.trim().toLowerCase();
  if (email === '') return 'required';
  if (utf8.encode(email).length > EMAIL_MAX_BYTES) return 'too_long';
  const at = email.indexOf('@');
  if (at < 0) return 'invalid';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const ok =
    local !== '' &&
    utf8.encode(local).length <= EMAIL_LOCAL_MAX_BYTES &&
    domain.includes('.') &&
    !domain.startsWith('.') &&
    !domain.endsWith('.') &&
    !domain.includes('@') &&
    !WHITESPACE_OR_CONTROL.test(email);
  return ok ? null : 'invalid';
}

/** A person's name in any script: 1–100 characters once trimmed, no control characters. */
export function displayNameIssue(raw: string): DisplayNameIssue | null {
  const name = raw.trim();
  if (name === '') return 'required';
  if (characterCount(name) > DISPLAY_NAME_MAX_CHARS) return 'too_long';
  if (CONTROL.test(name)) return 'control_characters';
  return null;
}

const EMAIL_MESSAGES: Record<EmailIssue, MessageKey> = {
  required: 'errorRequired',
  too_long: 'errorEmailTooLong',
  invalid: 'errorEmailInvalid',
};

const NAME_MESSAGES: Record<DisplayNameIssue, MessageKey> = {
  required: 'errorRequired',
  too_long: 'errorNameTooLong',
  control_characters: 'errorNameControlCharacters',
};

function checkEmail(value: string): MessageKey | undefined {
  const issue = emailIssue(value);
  return issue === null ? undefined : EMAIL_MESSAGES[issue];
}

function checkName(value: string): MessageKey | undefined {
  const issue = displayNameIssue(value);
  return issue === null ? undefined : NAME_MESSAGES[issue];
}

function checkNewPassword(value: string): MessageKey | undefined {
  switch (passwordIssue(value)) {
    case null:
      return undefined;
    case 'required':
      return 'errorRequired';
    case 'too_short':
      return 'errorPasswordTooShort';
    case 'too_long':
      return 'errorPasswordTooLong';
    case 'control_characters':
      return 'errorPasswordControlCharacters';
    case 'one_character_repeated':
      return 'errorPasswordOneCharacter';
  }
}

function checkConfirmation(password: string, confirmation: string): MessageKey | undefined {
  switch (confirmationIssue(password, confirmation)) {
    case null:
      return undefined;
    case 'required':
      return 'errorConfirmRequired';
    case 'mismatch':
      return 'errorConfirmMismatch';
  }
}

/** Drops fields without an issue, so "no keys" means "valid". */
function compact<F extends string>(issues: Record<F, MessageKey | undefined>): FieldIssues<F> {
  const result: FieldIssues<F> = {};
  for (const field of Object.keys(issues) as F[]) {
    const issue = issues[field];
    if (issue !== undefined) result[field] = issue;
  }
  return result;
}

export function hasIssues<F extends string>(issues: FieldIssues<F>): boolean {
  return Object.values(issues).some((issue) => issue !== undefined);
}

export type LoginField = 'email' | 'password';
export type SetupField = 'email' | 'display_name' | 'password' | 'confirm';
export type AcceptField = 'display_name' | 'password' | 'confirm';
export type ResetField = 'new_password' | 'confirm';
export type ForgotField = 'email';

/** Sign-in only needs something in both fields (old accounts may predate rules). */
export function validateLogin(v: Readonly<Record<LoginField, string>>): FieldIssues<LoginField> {
  return compact({
    email: v.email.trim() === '' ? 'errorRequired' : undefined,
    password:
      v.password === ''
        ? 'errorRequired'
        : characterCount(v.password) > PASSWORD_MAX_CHARS
          ? 'errorPasswordTooLong'
          : undefined,
  });
}

export function validateSetup(v: Readonly<Record<SetupField, string>>): FieldIssues<SetupField> {
  return compact({
    email: checkEmail(v.email),
    display_name: checkName(v.display_name),
    password: checkNewPassword(v.password),
    confirm: checkConfirmation(v.password, v.confirm),
  });
}

/** The display name is optional here: empty means "keep the invited name". */
export function validateAccept(v: Readonly<Record<AcceptField, string>>): FieldIssues<AcceptField> {
  return compact({
    display_name: v.display_name.trim() === '' ? undefined : checkName(v.display_name),
    password: checkNewPassword(v.password),
    confirm: checkConfirmation(v.password, v.confirm),
  });
}

export function validateReset(v: Readonly<Record<ResetField, string>>): FieldIssues<ResetField> {
  return compact({
    new_password: checkNewPassword(v.new_password),
    confirm: checkConfirmation(v.new_password, v.confirm),
  });
}

export function validateForgot(v: Readonly<Record<ForgotField, string>>): FieldIssues<ForgotField> {
  return compact({ email: checkEmail(v.email) });
}
