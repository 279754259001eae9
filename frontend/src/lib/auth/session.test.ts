import { describe, expect, it } from 'vitest';

import { createPublicClient } from '@/lib/api/client';
import { json, recordingFetch } from '@/testing/fetch';

import { logout, refreshSession } from './session';

const tokenBody = { access_token: 'access-1', token_type: 'Bearer', expires_in: 900 };

function fakeClient(respond: () => Response) {
  const { calls, fetchFn } = recordingFetch(respond);
  return { client: createPublicClient(fetchFn, 'http://x'), calls };
}

describe('refreshSession', () => {
  it('shares one request between concurrent callers (refresh tokens work once)', async () => {
    const { client, calls } = fakeClient(() => json(tokenBody, 200));
    const [a, b] = await Promise.all([refreshSession(client), refreshSession(client)]);
    expect(calls).toHaveLength(1);
    expect(a).toEqual(b);
    expect(a.ok && a.data.access_token).toBe('access-1');

    // Once settled, the next call asks again.
    await refreshSession(client);
    expect(calls).toHaveLength(2);
  });

  it('reports a missing or expired cookie as a 401 problem', async () => {
    const { client } = fakeClient(
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
    const result = await refreshSession(client);
    expect(result).toMatchObject({ ok: false, problem: { status: 401, code: 'invalid_refresh_token' } });
  });
});

describe('logout', () => {
  it('posts without a body and accepts the empty 204', async () => {
    const { client, calls } = fakeClient(() => new Response(null, { status: 204 }));
    await expect(logout(client)).resolves.toEqual({ ok: true, status: 204, data: undefined });
    expect(calls[0]).toMatchObject({ path: '/api/v1/auth/logout', method: 'POST', text: '' });
  });
});
