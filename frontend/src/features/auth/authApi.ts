/**
 * The authentication endpoints of the Skillmark API. Each function resolves
 * to a `Result` and never throws. `fetchFn` is only passed by tests.
 */

import { apiFetch, type FetchLike } from '@/lib/api';
import type { Locale } from '@/lib/i18n';
import type { Result } from '@/lib/problem';

export interface TokenResponse {
  access_token: string;
  token_type: string;
  /** Seconds until the access token expires. */
  expires_in: number;
}

export type Role = 'admin' | 'organiser' | 'chief_expert' | 'expert' | 'team_leader' | 'competitor';

export interface RoleAssignment {
  id: string;
  role: Role | (string & {});
  scope_id?: string | null;
  delegation_id?: string | null;
}

/** `GET /api/v1/me` (the fields this client uses). */
export interface Me {
  id: string;
  email: string;
  display_name: string;
  locale: Locale;
  roles: RoleAssignment[];
}

export interface LoginBody {
  email: string;
  password: string;
}

export interface SetupBody {
  token: string;
  email: string;
  display_name: string;
  password: string;
  locale: Locale;
}

export interface AcceptInvitationBody {
  token: string;
  password: string;
  display_name?: string;
}

export interface PasswordResetConfirmBody {
  token: string;
  new_password: string;
}

export const AUTH_PATHS = {
  login: '/api/v1/auth/login',
  logout: '/api/v1/auth/logout',
  refresh: '/api/v1/auth/refresh',
  setup: '/api/v1/auth/setup',
  acceptInvitation: '/api/v1/auth/invitation/accept',
  passwordReset: '/api/v1/auth/password-reset',
  passwordResetConfirm: '/api/v1/auth/password-reset/confirm',
  me: '/api/v1/me',
} as const;

/** The invitation body: the display name only when one was typed (trimmed). */
export function acceptInvitationBody(token: string, password: string, displayName: string): AcceptInvitationBody {
  const name = displayName.trim();
  return name === '' ? { token, password } : { token, password, display_name: name };
}

export function login(body: LoginBody, fetchFn?: FetchLike): Promise<Result<TokenResponse>> {
  return apiFetch<TokenResponse>(AUTH_PATHS.login, {
    method: 'POST',
    body: { email: body.email.trim(), password: body.password },
    fetchFn,
  });
}

export function setup(body: SetupBody, fetchFn?: FetchLike): Promise<Result<TokenResponse>> {
  return apiFetch<TokenResponse>(AUTH_PATHS.setup, {
    method: 'POST',
    body: { ...body, email: body.email.trim(), display_name: body.display_name.trim() },
    fetchFn,
  });
}

export function acceptInvitation(body: AcceptInvitationBody, fetchFn?: FetchLike): Promise<Result<TokenResponse>> {
  return apiFetch<TokenResponse>(AUTH_PATHS.acceptInvitation, { method: 'POST', body, fetchFn });
}

export function requestPasswordReset(email: string, fetchFn?: FetchLike): Promise<Result<undefined>> {
  return apiFetch<undefined>(AUTH_PATHS.passwordReset, { method: 'POST', body: { email: email.trim() }, fetchFn });
}

export function confirmPasswordReset(
  body: PasswordResetConfirmBody,
  fetchFn?: FetchLike,
): Promise<Result<undefined>> {
  return apiFetch<undefined>(AUTH_PATHS.passwordResetConfirm, { method: 'POST', body, fetchFn });
}

/** Ends the sign-in the refresh cookie belongs to (the server clears the cookie). */
export function logout(fetchFn?: FetchLike): Promise<Result<undefined>> {
  return apiFetch<undefined>(AUTH_PATHS.logout, { method: 'POST', fetchFn });
}

export function fetchMe(token: string, fetchFn?: FetchLike): Promise<Result<Me>> {
  return apiFetch<Me>(AUTH_PATHS.me, { token, fetchFn });
}

let refreshInFlight: Promise<Result<TokenResponse>> | null = null;

/**
 * Exchanges the HttpOnly refresh cookie for a new access token.
 *
 * A refresh token works only once, and presenting a used one ends the whole
 * sign-in, so concurrent callers (e.g. React StrictMode running an effect
 * twice) share one request instead of racing.
 */
export function refreshSession(fetchFn?: FetchLike): Promise<Result<TokenResponse>> {
  if (refreshInFlight === null) {
    refreshInFlight = apiFetch<TokenResponse>(AUTH_PATHS.refresh, { method: 'POST', fetchFn }).finally(() => {
      refreshInFlight = null;
    });
  }
  return refreshInFlight;
}
