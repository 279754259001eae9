import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

import { apiFetch, type ApiRequest } from '@/lib/api';
import type { Result } from '@/lib/problem';

import { logout, refreshSession, type TokenResponse } from './authApi';
import { AuthContext, type AuthContextValue, type AuthState } from './authContext';

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

  const request = useCallback(
    async <T,>(path: string, options: Omit<ApiRequest, 'token'> = {}): Promise<Result<T>> => {
      const token = tokenRef.current;
      const first = await apiFetch<T>(path, { ...options, token });
      if (first.ok || first.problem.status !== 401 || token === null) return first;
      const fresh = await refresh();
      if (fresh === null) return first;
      return apiFetch<T>(path, { ...options, token: fresh });
    },
    [refresh],
  );

  // The typed client (made where the screens after sign-in load it, `ScreenScope`) reads the
  // token at request time, so one instance serves the whole session.
  const tokens = useMemo(() => ({ token: () => tokenRef.current, refresh }), [refresh]);

  const value = useMemo<AuthContextValue>(
    () => ({ state, signIn, signOut, request, restore, tokens }),
    [state, signIn, signOut, request, restore, tokens],
  );

  return <AuthContext value={value}>{children}</AuthContext>;
}
