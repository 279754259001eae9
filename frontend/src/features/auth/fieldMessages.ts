/**
 * Field error texts. Client-side checks produce message keys; the server's
 * field errors are short English phrases (e.g. "must be at least 10
 * characters"), translated here when they are known and shown as sent
 * otherwise.
 */

import { format, type MessageKey, type Messages } from '@/lib/i18n';

import { PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS } from './passwordPolicy';
import { DISPLAY_NAME_MAX_CHARS } from './validation';

/** Values for the placeholders of field messages and hints. */
export const MESSAGE_VALUES = {
  min: PASSWORD_MIN_CHARS,
  max: PASSWORD_MAX_CHARS,
  nameMax: DISPLAY_NAME_MAX_CHARS,
} as const;

export function fieldMessage(key: MessageKey, t: Messages): string {
  return format(t[key], MESSAGE_VALUES);
}

const SERVER_MESSAGES: Readonly<Record<string, MessageKey>> = {
  'is required': 'errorRequired',
  'is not an email address': 'errorEmailInvalid',
  'is longer than 254 characters': 'errorEmailTooLong',
  'is longer than 100 characters': 'errorNameTooLong',
  'contains control characters': 'errorNameControlCharacters',
  [`must be at least ${PASSWORD_MIN_CHARS} characters`]: 'errorPasswordTooShort',
  [`must be at most ${PASSWORD_MAX_CHARS} characters`]: 'errorPasswordTooLong',
  'must not be one character repeated': 'errorPasswordOneCharacter',
  'must not contain control characters': 'errorPasswordControlCharacters',
  'is too common or too easy to guess; use a longer phrase of unrelated words': 'errorPasswordTooCommon',
};

/** Translates a server field message when it is a known one. */
export function serverFieldMessage(message: string, t: Messages): string {
  const key = SERVER_MESSAGES[message.trim()];
  return key === undefined ? message : fieldMessage(key, t);
}
