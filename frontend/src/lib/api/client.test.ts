import { describe, expect, it } from 'vitest';

import { json, recordingFetch } from '@/testing/fetch';

import { createApiClient, createPublicClient, problemOf, ProblemError, settle, unwrap, withRefresh } from './client';

/** A recording `fetch` that answers with the given statuses in turn (problem bodies for errors). */
function recorder(statuses: number[]) {
  const { calls: seen, fetchFn } = recordingFetch(() => {
    const status = statuses.shift() ?? 200;
    if (status === 204) return new Response(null, { status });
    if (status < 300) return json({ ok: true }, status);
    return json({ code: status === 401 ? 'invalid_token' : 'validation_failed', detail: 'x', errors: [{ field: 'name', message: 'is required' }] }, status);
  });
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
    expect(seen.map(({ headers, text }) => ({ auth: headers.get('Authorization'), body: JSON.parse(text) as unknown }))).toEqual([
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
    expect(seen[0]?.headers.has('Authorization')).toBe(false);
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
      credentials: 'same-origin',
      text: '{"email":"a@example.com","password":"p"}',
    });
    expect(seen[0]?.headers.has('Authorization')).toBe(false);
    expect(seen[0]?.headers.get('Content-Type')).toBe('application/json');
    expect(seen[0]?.headers.get('Accept')).toContain('application/problem+json');
    expect(seen[0]?.signal).toBeInstanceOf(AbortSignal);
    expect(seen[1]).toMatchObject({ method: 'GET', text: '' });
    expect(seen[1]?.headers.has('Content-Type')).toBe(false);
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
