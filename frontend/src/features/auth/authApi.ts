/**
 * The sign-in pages' endpoints (signing in, the first administrator, invitations, password
 * resets), through the public client. Each function resolves to a `Result` and never throws;
 * `client` is only passed by tests. The refresh cookie's endpoints are `lib/auth/session.ts`.
 */

import { publicClient, settle, type ApiClient } from '@/lib/api/client';
import type { Schemas } from '@/lib/api/queries';
import type { TokenResponse } from '@/lib/auth/session';
import type { Result } from '@/lib/problem';

export type LoginBody = Schemas['LoginRequest'];
export type SetupBody = Schemas['SetupRequest'];
export type AcceptInvitationBody = Schemas['AcceptInvitationRequest'];
export type PasswordResetConfirmBody = Schemas['PasswordResetConfirm'];

/** The invitation body: the display name only when one was typed (trimmed). */
export function acceptInvitationBody(token: string, password: string, displayName: string): AcceptInvitationBody {
  const name = displayName.trim();
  return name === '' ? { token, password } : { token, password, display_name: name };
}

export function login(body: LoginBody, client: ApiClient = publicClient): Promise<Result<TokenResponse>> {
  return settle(client.POST('/api/v1/auth/login', { body: { email: body.email.trim(), password: body.password } }));
}

export function setup(body: SetupBody, client: ApiClient = publicClient): Promise<Result<TokenResponse>> {
  return settle(
    client.POST('/api/v1/auth/setup', {
      body: { ...body, email: body.email.trim(), display_name: body.display_name.trim() },
    }),
  );
}

export function acceptInvitation(body: AcceptInvitationBody, client: ApiClient = publicClient): Promise<Result<TokenResponse>> {
  return settle(client.POST('/api/v1/auth/invitation/accept', { body }));
}

export function requestPasswordReset(email: string, client: ApiClient = publicClient): Promise<Result<undefined>> {
  return settle(client.POST('/api/v1/auth/password-reset', { body: { email: email.trim() } }));
}

export function confirmPasswordReset(
  body: PasswordResetConfirmBody,
  client: ApiClient = publicClient,
): Promise<Result<undefined>> {
  return settle(client.POST('/api/v1/auth/password-reset/confirm', { body }));
}
