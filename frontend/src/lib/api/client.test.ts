import { describe, expect, it } from 'vitest';

import { authenticatedFetch, createApiClient, problemOf, ProblemError, unwrap } from './client';

function recorder(statuses: number[]) {
  const seen: { auth: string | null; body: string }[] = [];
  const fetchFn = (async (input: RequestInfo | URL) => {
    const request = input as Request;
    seen.push({ auth: request.headers.get('Authorization'), body: await request.text() });
    const status = statuses.shift() ?? 200;
    const body =
      status === 200
        ? JSON.stringify({ ok: true })
        : JSON.stringify({ code: status === 401 ? 'invalid_token' : 'validation_failed', detail: 'x', errors: [{ field: 'name', message: 'is required' }] });
    return new Response(body, { status, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
  return { seen, fetchFn };
}

describe('authenticatedFetch', () => {
  it('sends the token, and on a 401 refreshes once and repeats the request with its body', async () => {
    const { seen, fetchFn } = recorder([401, 200]);
    let refreshed = 0;
    const send = authenticatedFetch(
      { token: () => 'old', refresh: () => Promise.resolve((refreshed += 1) > 0 ? 'new' : null) },
      fetchFn,
    );
    const response = await send(new Request('http://x/api', { method: 'POST', body: '{"a":1}' }));
    expect(response.status).toBe(200);
    expect(refreshed).toBe(1);
    expect(seen).toEqual([
      { auth: 'Bearer old', body: '{"a":1}' },
      { auth: 'Bearer new', body: '{"a":1}' },
    ]);
  });

  it('gives up with the first answer when the refresh fails', async () => {
    const { seen, fetchFn } = recorder([401]);
    const send = authenticatedFetch({ token: () => 'old', refresh: () => Promise.resolve(null) }, fetchFn);
    expect((await send(new Request('http://x/api'))).status).toBe(401);
    expect(seen).toHaveLength(1);
  });

  it('does not try to refresh without a token', async () => {
    const { seen, fetchFn } = recorder([401]);
    let refreshed = false;
    const send = authenticatedFetch({ token: () => null, refresh: () => ((refreshed = true), Promise.resolve('t')) }, fetchFn);
    await send(new Request('http://x/api'));
    expect(refreshed).toBe(false);
    expect(seen[0]?.auth).toBeNull();
  });
});

describe('unwrap', () => {
  it('returns the data of a success and throws the problem of a failure, field errors included', async () => {
    const { fetchFn } = recorder([200, 422]);
    const client = createApiClient({ token: () => 't', refresh: () => Promise.resolve(null) }, fetchFn, 'http://x');
    await expect(unwrap(client.GET('/api/v1/me'))).resolves.toEqual({ ok: true });
    const failure = await unwrap(client.GET('/api/v1/me')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProblemError);
    expect(problemOf(failure)).toMatchObject({ status: 422, code: 'validation_failed', errors: [{ field: 'name', message: 'is required' }] });
  });

  it('turns a network failure into a network_error problem', async () => {
    const fetchFn = (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch;
    const client = createApiClient({ token: () => 't', refresh: () => Promise.resolve(null) }, fetchFn, 'http://x');
    const failure = await unwrap(client.GET('/api/v1/me')).catch((e: unknown) => e);
    expect(problemOf(failure).code).toBe('network_error');
  });
});
