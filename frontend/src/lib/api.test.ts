import { describe, expect, it, vi } from 'vitest';

import { apiFetch, buildRequestInit, type FetchLike } from './api';

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function recordingFetch(response: Response | Error) {
  const calls: { input: string; init: RequestInit | undefined }[] = [];
  const fetchFn: FetchLike = vi.fn((input: string, init?: RequestInit) => {
    calls.push({ input, init });
    return response instanceof Error ? Promise.reject(response) : Promise.resolve(response);
  });
  return { fetchFn, calls };
}

describe('buildRequestInit', () => {
  it('sends a JSON body with POST and the JSON content type', () => {
    const init = buildRequestInit({ body: { email: 'a@example.com' } });
    const headers = new Headers(init.headers);
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"email":"a@example.com"}');
    expect(headers.get('Content-Type')).toBe('application/json');
    expect(headers.get('Accept')).toContain('application/problem+json');
    expect(headers.has('Authorization')).toBe(false);
    expect(init.credentials).toBe('same-origin');
  });

  it('defaults to GET without a body and adds the bearer token', () => {
    const init = buildRequestInit({ token: 'tok-123' });
    const headers = new Headers(init.headers);
    expect(init.method).toBe('GET');
    expect(init.body).toBeUndefined();
    expect(headers.has('Content-Type')).toBe(false);
    expect(headers.get('Authorization')).toBe('Bearer tok-123');
  });

  it('keeps an explicit method and ignores an empty token', () => {
    const init = buildRequestInit({ method: 'POST', token: '' });
    expect(init.method).toBe('POST');
    expect(new Headers(init.headers).has('Authorization')).toBe(false);
  });

  it('uses the caller’s abort signal, or a timeout', () => {
    const controller = new AbortController();
    expect(buildRequestInit({ signal: controller.signal }).signal).toBe(controller.signal);
    expect(buildRequestInit({}).signal).toBeInstanceOf(AbortSignal);
  });
});

describe('apiFetch', () => {
  it('calls the path and returns the parsed data', async () => {
    const { fetchFn, calls } = recordingFetch(jsonResponse({ display_name: 'Li Na' }));
    const result = await apiFetch('/api/v1/me', { token: 't', fetchFn });
    expect(result).toEqual({ ok: true, status: 200, data: { display_name: 'Li Na' } });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.input).toBe('/api/v1/me');
    expect(new Headers(calls[0]?.init?.headers).get('Authorization')).toBe('Bearer t');
  });

  it('returns the server problem on an error status', async () => {
    const problem = {
      type: '/problems/invalid_credentials',
      title: 'Authentication required',
      status: 401,
      detail: 'the email or password is wrong',
      code: 'invalid_credentials',
    };
    const { fetchFn } = recordingFetch(
      new Response(JSON.stringify(problem), { status: 401, headers: { 'Content-Type': 'application/problem+json' } }),
    );
    const result = await apiFetch('/api/v1/auth/login', { body: {}, fetchFn });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem.code).toBe('invalid_credentials');
  });

  it('turns a network error into a problem instead of throwing', async () => {
    const { fetchFn } = recordingFetch(new TypeError('Failed to fetch'));
    const result = await apiFetch('/api/v1/me', { fetchFn });
    expect(result).toMatchObject({ ok: false, problem: { code: 'network_error', status: 0 } });
  });
});
