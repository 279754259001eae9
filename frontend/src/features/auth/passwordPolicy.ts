/**
 * The server's password policy, mirrored for instant feedback (the server
 * checks again): 10 to 128 characters, no control characters, and not one
 * character repeated. The server also refuses common and easily guessed
 * passwords (its estimate needs word lists too large to ship here); the form
 * shows that refusal as the server's field message.
 *
 * Characters are Unicode code points, as the server counts them, so
 * "选手密码非常安全的口令" is 11 characters and an emoji is one.
 */

export const PASSWORD_MIN_CHARS = 10;
export const PASSWORD_MAX_CHARS = 128;

export type PasswordIssue = 'required' | 'too_short' | 'too_long' | 'control_characters' | 'one_character_repeated';

// Unicode "Cc" (control) characters, as Rust's `char::is_control`.
const CONTROL = /\p{Cc}/u;

export type ConfirmationIssue = 'required' | 'mismatch';

/** Number of characters (code points) in `text`. */
export function characterCount(text: string): number {
  return Array.from(text).length;
}

/** The first rule a new password breaks, or `null` if it is acceptable. */
export function passwordIssue(password: string): PasswordIssue | null {
  if (password === '') return 'required';
  const chars = Array.from(password);
  if (chars.length < PASSWORD_MIN_CHARS) return 'too_short';
  if (chars.length > PASSWORD_MAX_CHARS) return 'too_long';
  if (CONTROL.test(password)) return 'control_characters';
  if (chars.every((c) => c === chars[0])) return 'one_character_repeated';
  return null;
}

/** Whether the repeated password matches; compared exactly, without trimming. */
export function confirmationIssue(password: string, confirmation: string): ConfirmationIssue | null {
  if (confirmation === '') return 'required';
  if (confirmation !== password) return 'mismatch';
  return null;
}
