import { describe, expect, it, vi } from 'vitest';

import { createPublicClient } from '@/lib/api/client';

import { acceptInvitation, acceptInvitationBody, confirmPasswordReset, login, requestPasswordReset, setup } from './authApi';

const tokenBody = { access_token: 'access-1', token_type: 'Bearer', expires_in: 900 };

/** A public client over a `fetch` that records each request and gives `respond()`'s answer. */
function fakeClient(respond: () => Response) {
  const calls: { path: string; method: string; body: unknown; headers: Headers }[] = [];
  const fetchFn = vi.fn(async (input: RequestInfo | URL) => {
    const request = input as Request;
    const text = await request.text();
    calls.push({
      path: new URL(request.url).pathname,
      method: request.method,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
      headers: request.headers,
    });
    return respond();
  }) as unknown as typeof fetch;
  return { client: createPublicClient(fetchFn, 'http://x'), calls };
}

const json = (body: unknown, status: number) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('request bodies', () => {
  it('login posts the trimmed email and the password as typed', async () => {
    const { client, calls } = fakeClient(() => json(tokenBody, 200));
    const result = await login({ email: ' a@example.com ', password: ' secret pass ' }, client);
    expect(result).toEqual({ ok: true, status: 200, data: tokenBody });
    expect(calls[0]).toMatchObject({
      path: '/api/v1/auth/login',
      method: 'POST',
      body: { email: 'a@example.com', password: ' secret pass ' },
    });
    expect(calls[0]?.headers.has('Authorization')).toBe(false);
  });

  it('setup sends token, email, display name, password and locale', async () => {
    const { client, calls } = fakeClient(() => json(tokenBody, 201));
    const result = await setup(
      { token: 'T', email: 'admin@example.com', display_name: ' 管理员 ', password: 'correct horse', locale: 'en' },
      client,
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
    const { client, calls } = fakeClient(() => json(tokenBody, 200));
    await acceptInvitation(acceptInvitationBody('T', 'correct horse', ''), client);
    expect(calls[0]?.path).toBe('/api/v1/auth/invitation/accept');
    expect(calls[0]?.body).toEqual({ token: 'T', password: 'correct horse' });
  });

  it('password reset endpoints accept empty 202/204 answers', async () => {
    const accepted = fakeClient(() => new Response(null, { status: 202 }));
    await expect(requestPasswordReset(' who@example.com', accepted.client)).resolves.toEqual({
      ok: true,
      status: 202,
      data: undefined,
    });
    expect(accepted.calls[0]).toMatchObject({ path: '/api/v1/auth/password-reset', body: { email: 'who@example.com' } });

    const done = fakeClient(() => new Response(null, { status: 204 }));
    const result = await confirmPasswordReset({ token: 'T', new_password: 'correct horse' }, done.client);
    expect(result.ok).toBe(true);
    expect(done.calls[0]).toMatchObject({
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
