import { describe, expect, it } from 'vitest';

import { createApiClient, createPublicClient, problemOf, ProblemError, settle, unwrap, withRefresh } from './client';

interface Seen {
  method: string;
  path: string;
  auth: string | null;
  accept: string | null;
  contentType: string | null;
  credentials: RequestCredentials;
  body: string;
  signal: AbortSignal | undefined;
}

/** A `fetch` that records each request and answers with the given statuses in turn. */
function recorder(statuses: number[]) {
  const seen: Seen[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input as Request;
    seen.push({
      method: request.method,
      path: new URL(request.url).pathname,
      auth: request.headers.get('Authorization'),
      accept: request.headers.get('Accept'),
      contentType: request.headers.get('Content-Type'),
      credentials: request.credentials,
      body: await request.text(),
      signal: init?.signal ?? undefined,
    });
    const status = statuses.shift() ?? 200;
    if (status === 204) return new Response(null, { status });
    const body =
      status < 300
        ? JSON.stringify({ ok: true })
        : JSON.stringify({ code: status === 401 ? 'invalid_token' : 'validation_failed', detail: 'x', errors: [{ field: 'name', message: 'is required' }] });
    return new Response(body, { status, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
  return { seen, fetchFn };
}

const tokens = (token: string | null, refresh: () => Promise<string | null> = () => Promise.resolve(null)) => ({
  token: () => token,
  refresh,
});

describe('the session client', () => {
  it('sends the token, and on a 401 refreshes once and repeats the request with its body', async () => {
    const { seen, fetchFn } = recorder([401, 200]);
    let refreshed = 0;
    const client = createApiClient(tokens('old', () => Promise.resolve((refreshed += 1) > 0 ? 'new' : null)), fetchFn, 'http://x');
    const result = await settle(client.POST('/api/v1/auth/login', { body: { email: 'a@example.com', password: 'p' } }));
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(refreshed).toBe(1);
    expect(seen.map(({ auth, body }) => ({ auth, body: JSON.parse(body) as unknown }))).toEqual([
      { auth: 'Bearer old', body: { email: 'a@example.com', password: 'p' } },
      { auth: 'Bearer new', body: { email: 'a@example.com', password: 'p' } },
    ]);
  });

  it('gives up with the first answer when the refresh fails', async () => {
    const { seen, fetchFn } = recorder([401]);
    const client = createApiClient(tokens('old'), fetchFn, 'http://x');
    const result = await settle(client.GET('/api/v1/me'));
    expect(result).toMatchObject({ ok: false, problem: { status: 401, code: 'invalid_token' } });
    expect(seen).toHaveLength(1);
  });

  it('does not try to refresh without a token', async () => {
    const { seen, fetchFn } = recorder([401]);
    let refreshed = false;
    const client = createApiClient(tokens(null, () => ((refreshed = true), Promise.resolve('t'))), fetchFn, 'http://x');
    await settle(client.GET('/api/v1/me'));
    expect(refreshed).toBe(false);
    expect(seen[0]?.auth).toBeNull();
  });
});

describe('the public client', () => {
  it('sends JSON, same-origin credentials and a time limit, never a bearer token', async () => {
    const { seen, fetchFn } = recorder([200, 200]);
    const client = createPublicClient(fetchFn, 'http://x');
    await settle(client.POST('/api/v1/auth/login', { body: { email: 'a@example.com', password: 'p' } }));
    await settle(client.GET('/api/v1/public/events'));
    expect(seen[0]).toMatchObject({
      method: 'POST',
      path: '/api/v1/auth/login',
      auth: null,
      contentType: 'application/json',
      credentials: 'same-origin',
      body: '{"email":"a@example.com","password":"p"}',
    });
    expect(seen[0]?.accept).toContain('application/problem+json');
    expect(seen[0]?.signal).toBeInstanceOf(AbortSignal);
    expect(seen[1]).toMatchObject({ method: 'GET', contentType: null, body: '' });
  });
});

describe('settle and unwrap', () => {
  it('return the data of a success and the problem of a failure, field errors included', async () => {
    const { fetchFn } = recorder([200, 422, 204]);
    const client = createApiClient(tokens('t'), fetchFn, 'http://x');
    await expect(unwrap(client.GET('/api/v1/me'))).resolves.toEqual({ ok: true });
    const failure = await unwrap(client.GET('/api/v1/me')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProblemError);
    expect(problemOf(failure)).toMatchObject({ status: 422, code: 'validation_failed', errors: [{ field: 'name', message: 'is required' }] });
    await expect(settle(client.POST('/api/v1/auth/logout'))).resolves.toEqual({ ok: true, status: 204, data: undefined });
  });

  it('turn a network failure into a network_error problem', async () => {
    const fetchFn = (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch;
    const client = createApiClient(tokens('t'), fetchFn, 'http://x');
    const failure = await unwrap(client.GET('/api/v1/me')).catch((e: unknown) => e);
    expect(problemOf(failure).code).toBe('network_error');
    await expect(settle(client.GET('/api/v1/me'))).resolves.toMatchObject({ ok: false, problem: { status: 0, code: 'network_error' } });
  });
});

describe('withRefresh', () => {
  const answer = (status: number) => ({ status });

  it('sends once more with a fresh token after a 401', async () => {
    const sent: (string | null)[] = [];
    const result = await withRefresh(tokens('old', () => Promise.resolve('new')), (token) => {
      sent.push(token);
      return Promise.resolve(answer(token === 'new' ? 200 : 401));
    });
    expect(sent).toEqual(['old', 'new']);
    expect(result.status).toBe(200);
  });

  it('gives up when the refresh fails, and never retries other answers', async () => {
    let calls = 0;
    const send = (status: number) => () => {
      calls += 1;
      return Promise.resolve(answer(status));
    };
    expect((await withRefresh(tokens('old'), send(401))).status).toBe(401);
    expect(calls).toBe(1);
    expect((await withRefresh(tokens('old', () => Promise.resolve('new')), send(422))).status).toBe(422);
    expect(calls).toBe(2);
  });
});
