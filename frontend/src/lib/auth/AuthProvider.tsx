/**
 * The sign-in of this page: restores it from the refresh cookie after a reload, keeps the access
 * token in memory, and provides the session's API client (`useApi`) over that token.
 */

import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

import { ApiClientContext, createApiClient } from '@/lib/api/client';

import { AuthContext, type AuthContextValue, type AuthState } from './context';
import { logout, refreshSession, type TokenResponse } from './session';

interface AuthProviderProps {
  children: ReactNode;
  /** Starting state; by default the session is restored from the refresh cookie. */
  initialState?: AuthState;
}

export function AuthProvider({ children, initialState }: AuthProviderProps) {
  const [state, setState] = useState<AuthState>(initialState ?? { status: 'restoring' });
  // The token as of now, for callbacks that outlive a render.
  const tokenRef = useRef<string | null>(initialState?.status === 'signed_in' ? initialState.accessToken : null);

  const signIn = useCallback((token: TokenResponse) => {
    tokenRef.current = token.access_token;
    setState({ status: 'signed_in', accessToken: token.access_token });
  }, []);

  /** A new access token from the refresh cookie, or `null`. */
  const refresh = useCallback(async (): Promise<string | null> => {
    const result = await refreshSession();
    if (result.ok) {
      signIn(result.data);
      return result.data.access_token;
    }
    if (result.problem.status === 401) {
      tokenRef.current = null;
      setState({ status: 'signed_out', reason: 'expired' });
    }
    return null;
  }, [signIn]);

  // After a reload the token is gone from memory; the cookie may still hold a sign-in.
  useEffect(() => {
    if (initialState !== undefined) return;
    let active = true;
    void refreshSession().then((result) => {
      // A sign-in that happened meanwhile (e.g. on the login page) wins.
      if (!active || tokenRef.current !== null) return;
      if (result.ok) {
        signIn(result.data);
      } else {
        const reason = result.problem.status === 0 ? 'offline' : 'initial';
        setState((current) => (current.status === 'restoring' ? { status: 'signed_out', reason } : current));
      }
    });
    return () => {
      active = false;
    };
  }, [initialState, signIn]);

  const restore = useCallback(async (): Promise<boolean> => {
    if (tokenRef.current !== null) return true;
    const result = await refreshSession();
    if (result.ok) {
      signIn(result.data);
      return true;
    }
    if (result.problem.status !== 0) {
      setState((current) => (current.status === 'signed_in' ? current : { status: 'signed_out', reason: 'initial' }));
    }
    return false;
  }, [signIn]);

  const signOut = useCallback(async () => {
    await logout();
    tokenRef.current = null;
    setState({ status: 'signed_out', reason: 'signed_out' });
  }, []);

  // The session's client reads the token at request time (and refreshes it once on a 401, the
  // only place that does), so one instance serves the whole session.
  const tokens = useMemo(() => ({ token: () => tokenRef.current, refresh }), [refresh]);
  const client = useMemo(() => createApiClient(tokens), [tokens]);

  const value = useMemo<AuthContextValue>(
    () => ({ state, signIn, signOut, restore, tokens }),
    [state, signIn, signOut, restore, tokens],
  );

  return (
    <AuthContext value={value}>
      <ApiClientContext value={client}>{children}</ApiClientContext>
    </AuthContext>
  );
}
