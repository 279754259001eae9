import { describe, expect, it, vi } from 'vitest';

import type { FetchLike } from '@/lib/api';

import {
  AUTH_PATHS,
  acceptInvitation,
  acceptInvitationBody,
  confirmPasswordReset,
  fetchMe,
  login,
  logout,
  refreshSession,
  requestPasswordReset,
  setup,
} from './authApi';

const tokenBody = { access_token: 'access-1', token_type: 'Bearer', expires_in: 900 };

function fakeFetch(respond: () => Response) {
  const calls: { path: string; method: string | undefined; body: unknown; headers: Headers }[] = [];
  const fetchFn: FetchLike = vi.fn((path: string, init?: RequestInit) => {
    calls.push({
      path,
      method: init?.method,
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
      headers: new Headers(init?.headers),
    });
    return Promise.resolve(respond());
  });
  return { fetchFn, calls };
}

const json = (body: unknown, status: number) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('request bodies', () => {
  it('login posts the trimmed email and the password as typed', async () => {
    const { fetchFn, calls } = fakeFetch(() => json(tokenBody, 200));
    const result = await login({ email: ' a@example.com ', password: ' secret pass ' }, fetchFn);
    expect(result).toEqual({ ok: true, status: 200, data: tokenBody });
    expect(calls[0]).toMatchObject({
      path: '/api/v1/auth/login',
      method: 'POST',
      body: { email: 'a@example.com', password: ' secret pass ' },
    });
  });

  it('setup sends token, email, display name, password and locale', async () => {
    const { fetchFn, calls } = fakeFetch(() => json(tokenBody, 201));
    const result = await setup(
      { token: 'T', email: 'admin@example.com', display_name: ' 管理员 ', password: 'correct horse', locale: 'en' },
      fetchFn,
    );
    expect(result.ok && result.status).toBe(201);
    expect(calls[0]).toMatchObject({
      path: '/api/v1/auth/setup',
      body: { token: 'T', email: 'admin@example.com', display_name: '管理员', password: 'correct horse', locale: 'en' },
    });
  });

  it('accepting an invitation sends the display name only when one was typed', async () => {
    expect(acceptInvitationBody('T', 'correct horse', '   ')).toEqual({ token: 'T', password: 'correct horse' });
    expect(acceptInvitationBody('T', 'correct horse', ' Li Na ')).toEqual({
      token: 'T',
      password: 'correct horse',
      display_name: 'Li Na',
    });
    const { fetchFn, calls } = fakeFetch(() => json(tokenBody, 200));
    await acceptInvitation(acceptInvitationBody('T', 'correct horse', ''), fetchFn);
    expect(calls[0]?.path).toBe('/api/v1/auth/invitation/accept');
    expect(calls[0]?.body).toEqual({ token: 'T', password: 'correct horse' });
  });

  it('password reset endpoints accept empty 202/204 answers', async () => {
    const accepted = fakeFetch(() => new Response(null, { status: 202 }));
    await expect(requestPasswordReset(' who@example.com', accepted.fetchFn)).resolves.toEqual({
      ok: true,
      status: 202,
      data: undefined,
    });
    expect(accepted.calls[0]).toMatchObject({ path: AUTH_PATHS.passwordReset, body: { email: 'who@example.com' } });

    const done = fakeFetch(() => new Response(null, { status: 204 }));
    const result = await confirmPasswordReset({ token: 'T', new_password: 'correct horse' }, done.fetchFn);
    expect(result.ok).toBe(true);
    expect(done.calls[0]).toMatchObject({
      path: AUTH_PATHS.passwordResetConfirm,
      body: { token: 'T', new_password: 'correct horse' },
    });
  });

  it('fetchMe sends the bearer token; logout posts without a body', async () => {
    const me = fakeFetch(() => json({ display_name: 'Li Na', email: 'a@example.com', roles: [] }, 200));
    await fetchMe('access-1', me.fetchFn);
    expect(me.calls[0]?.method).toBe('GET');
    expect(me.calls[0]?.headers.get('Authorization')).toBe('Bearer access-1');

    const out = fakeFetch(() => new Response(null, { status: 204 }));
    await expect(logout(out.fetchFn)).resolves.toMatchObject({ ok: true, status: 204 });
    expect(out.calls[0]).toMatchObject({ path: AUTH_PATHS.logout, method: 'POST', body: undefined });
  });
});

describe('refreshSession', () => {
  it('shares one request between concurrent callers (refresh tokens work once)', async () => {
    const { fetchFn, calls } = fakeFetch(() => json(tokenBody, 200));
    const [a, b] = await Promise.all([refreshSession(fetchFn), refreshSession(fetchFn)]);
    expect(calls).toHaveLength(1);
    expect(a).toEqual(b);
    expect(a.ok && a.data.access_token).toBe('access-1');

    // Once settled, the next call asks again.
    await refreshSession(fetchFn);
    expect(calls).toHaveLength(2);
  });

  it('reports a missing or expired cookie as a 401 problem', async () => {
    const { fetchFn } = fakeFetch(
      () =>
        new Response(
          JSON.stringify({
            type: '/problems/invalid_refresh_token',
            title: 'Authentication required',
            status: 401,
            detail: 'no session cookie; sign in',
            code: 'invalid_refresh_token',
          }),
          { status: 401, headers: { 'Content-Type': 'application/problem+json' } },
        ),
    );
    const result = await refreshSession(fetchFn);
    expect(result).toMatchObject({ ok: false, problem: { status: 401, code: 'invalid_refresh_token' } });
  });
});
