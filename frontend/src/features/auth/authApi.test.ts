import { describe, expect, it } from 'vitest';

import { createPublicClient } from '@/lib/api/client';
import { json, recordingFetch } from '@/testing/fetch';

import { acceptInvitation, acceptInvitationBody, confirmPasswordReset, login, requestPasswordReset, setup } from './authApi';

const tokenBody = { access_token: 'access-1', token_type: 'Bearer', expires_in: 900 };

/** A public client over a recording `fetch`; `sent(i)` is the `i`-th request with its body parsed. */
function fakeClient(respond: () => Response) {
  const { calls, fetchFn } = recordingFetch(respond);
  const sent = (i: number) => {
    const call = calls[i];
    return call === undefined ? undefined : { ...call, body: call.text === '' ? undefined : (JSON.parse(call.text) as unknown) };
  };
  return { client: createPublicClient(fetchFn, 'http://x'), sent };
}

describe('request bodies', () => {
  it('login posts the trimmed email and the password as typed', async () => {
    const { client, sent } = fakeClient(() => json(tokenBody, 200));
    const result = await login({ email: ' a@example.com ', password: ' secret pass ' }, client);
    expect(result).toEqual({ ok: true, status: 200, data: tokenBody });
    expect(sent(0)).toMatchObject({
      path: '/api/v1/auth/login',
      method: 'POST',
      body: { email: 'a@example.com', password: ' secret pass ' },
    });
    expect(sent(0)?.headers.has('Authorization')).toBe(false);
  });

  it('setup sends token, email, display name, password and locale', async () => {
    const { client, sent } = fakeClient(() => json(tokenBody, 201));
    const result = await setup(
      { token: 'T', email: 'admin@example.com', display_name: ' 管理员 ', password: 'correct horse', locale: 'en' },
      client,
    );
    expect(result.ok && result.status).toBe(201);
    expect(sent(0)).toMatchObject({
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
    const { client, sent } = fakeClient(() => json(tokenBody, 200));
    await acceptInvitation(acceptInvitationBody('T', 'correct horse', ''), client);
    expect(sent(0)?.path).toBe('/api/v1/auth/invitation/accept');
    expect(sent(0)?.body).toEqual({ token: 'T', password: 'correct horse' });
  });

  it('password reset endpoints accept empty 202/204 answers', async () => {
    const accepted = fakeClient(() => new Response(null, { status: 202 }));
    await expect(requestPasswordReset(' who@example.com', accepted.client)).resolves.toEqual({
      ok: true,
      status: 202,
      data: undefined,
    });
    expect(accepted.sent(0)).toMatchObject({ path: '/api/v1/auth/password-reset', body: { email: 'who@example.com' } });

    const done = fakeClient(() => new Response(null, { status: 204 }));
    const result = await confirmPasswordReset({ token: 'T', new_password: 'correct horse' }, done.client);
    expect(result.ok).toBe(true);
    expect(done.sent(0)).toMatchObject({
      path: '/api/v1/auth/password-reset/confirm',
      body: { token: 'T', new_password: 'correct horse' },
    });
  });

  it('reports a problem body as a problem', async () => {
    const { client } = fakeClient(() =>
      json({ type: '/problems/invalid_credentials', title: 'x', status: 401, detail: 'wrong', code: 'invalid_credentials' }, 401),
    );
    await expect(login({ email: 'a@example.com', password: 'p' }, client)).resolves.toMatchObject({
      ok: false,
      problem: { status: 401, code: 'invalid_credentials' },
    });
  });
});
