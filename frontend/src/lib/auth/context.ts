/**
 * Who is signed in. The access token lives only in memory (this context); the
 * refresh token is an HttpOnly cookie the page never sees, which is used to
 * get a new access token after a reload or when the old one has expired.
 */

import { createContext, useContext } from 'react';

import type { TokenSource } from '@/lib/api/client';

import type { TokenResponse } from './session';

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
  /** Tries the refresh cookie again (e.g. when the network is back); resolves to whether signed in. */
  restore: () => Promise<boolean>;
  /**
   * The access token as of now and its refresh: what the session's client (`useApi`) sends, and
   * what a request outside it (an upload with progress) reads.
   */
  tokens: TokenSource;
}

const signedOut: AuthContextValue = {
  state: { status: 'signed_out', reason: 'initial' },
  signIn: () => {},
  signOut: () => Promise.resolve(),
  restore: () => Promise.resolve(false),
  tokens: { token: () => null, refresh: () => Promise.resolve(null) },
};

export const AuthContext = createContext<AuthContextValue>(signedOut);

export function useAuth(): AuthContextValue {
  return useContext(AuthContext);
}
