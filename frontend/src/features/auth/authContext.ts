/**
 * Who is signed in. The access token lives only in memory (this context); the
 * refresh token is an HttpOnly cookie the page never sees, which is used to
 * get a new access token after a reload or when the old one has expired.
 */

import { createContext, useContext } from 'react';

import type { ApiRequest } from '@/lib/api';
import type { TokenSource } from '@/lib/api/client';
import type { Result } from '@/lib/problem';

import type { TokenResponse } from './authApi';

export type AuthState =
  /** Finding out whether the refresh cookie still holds a sign-in. */
  | { status: 'restoring' }
  | { status: 'signed_in'; accessToken: string }
  /** `offline`: the sign-in could not be checked (no network); the tablet app carries on with its copy. */
  | { status: 'signed_out'; reason: 'initial' | 'signed_out' | 'expired' | 'offline' };

export interface AuthContextValue {
  state: AuthState;
  /** Starts a session from a token response (login, setup, invitation). */
  signIn: (token: TokenResponse) => void;
  /** Ends the session on the server (best effort) and forgets the token. */
  signOut: () => Promise<void>;
  /**
   * Calls the API with the current access token; on a 401 it refreshes the
   * token once and tries again. If the refresh fails, the user is signed out.
   */
  request: <T>(path: string, options?: Omit<ApiRequest, 'token'>) => Promise<Result<T>>;
  /** Tries the refresh cookie again (e.g. when the network is back); resolves to whether signed in. */
  restore: () => Promise<boolean>;
  /** The access token as of now and its refresh, for the typed client (`ScreenScope`). */
  tokens: TokenSource;
}

const signedOut: AuthContextValue = {
  state: { status: 'signed_out', reason: 'initial' },
  signIn: () => {},
  signOut: () => Promise.resolve(),
  request: () => Promise.reject(new Error('AuthProvider is missing')),
  restore: () => Promise.resolve(false),
  tokens: { token: () => null, refresh: () => Promise.resolve(null) },
};

export const AuthContext = createContext<AuthContextValue>(signedOut);

export function useAuth(): AuthContextValue {
  return useContext(AuthContext);
}
