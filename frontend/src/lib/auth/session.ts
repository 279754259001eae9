/**
 * The sign-in's refresh cookie: exchanging it for an access token, and ending the sign-in it
 * belongs to. Both go through the public client (no bearer token; the cookie is the credential).
 */

import { publicClient, settle, type ApiClient } from '@/lib/api/client';
import type { Schemas } from '@/lib/api/queries';
import type { Result } from '@/lib/problem';

export type TokenResponse = Schemas['TokenResponse'];

let refreshInFlight: Promise<Result<TokenResponse>> | null = null;

/**
 * Exchanges the HttpOnly refresh cookie for a new access token.
 *
 * A refresh token works only once, and presenting a used one ends the whole sign-in, so
 * concurrent callers (e.g. React StrictMode running an effect twice) share one request instead
 * of racing. `client` is only passed by tests.
 */
export function refreshSession(client: ApiClient = publicClient): Promise<Result<TokenResponse>> {
  if (refreshInFlight === null) {
    refreshInFlight = settle(client.POST('/api/v1/auth/refresh')).finally(() => {
      refreshInFlight = null;
    });
  }
  return refreshInFlight;
}

/** Ends the sign-in the refresh cookie belongs to (the server clears the cookie). */
export function logout(client: ApiClient = publicClient): Promise<Result<undefined>> {
  return settle(client.POST('/api/v1/auth/logout'));
}
