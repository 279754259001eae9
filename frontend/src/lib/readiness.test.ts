import { describe, expect, it, vi } from 'vitest';

import {
  READYZ_PATH,
  checkReadiness,
  readinessFromError,
  readinessFromResponse,
  type FetchLike,
} from './readiness';

function json(body: unknown, status: number, contentType = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
}

const problem503 = {
  type: 'about:blank',
  title: 'Service Unavailable',
  status: 503,
  detail: 'database is not reachable',
};

describe('readinessFromResponse', () => {
  it('is ready on 200 {"status":"ready"}', async () => {
    await expect(readinessFromResponse(json({ status: 'ready' }, 200))).resolves.toEqual({
      state: 'ready',
      detail: 'ready',
    });
  });

  it('is not_ready on 503 problem+json and reports the problem detail', async () => {
    const result = await readinessFromResponse(json(problem503, 503, 'application/problem+json'));
    expect(result.state).toBe('not_ready');
    expect(result.detail).toBe('database is not reachable (HTTP 503)');
  });

  it('falls back to the problem title when there is no detail', async () => {
    const { detail: _omitted, ...withoutDetail } = problem503;
    const result = await readinessFromResponse(json(withoutDetail, 503, 'application/problem+json'));
    expect(result).toEqual({ state: 'not_ready', detail: 'Service Unavailable (HTTP 503)' });
  });

  it('is not_ready on a 503 without a readable body', async () => {
    const result = await readinessFromResponse(new Response('', { status: 503 }));
    expect(result).toEqual({ state: 'not_ready', detail: 'HTTP 503' });
  });

  it('is not_ready when 200 reports another status', async () => {
    const result = await readinessFromResponse(json({ status: 'starting' }, 200));
    expect(result).toEqual({ state: 'not_ready', detail: 'starting' });
  });

  it('is unreachable when something other than the server answered', async () => {
    const html = new Response('<!doctype html><title>x</title>', {
      status: 200,
      headers: { 'Content-Type': 'text/html' },
    });
    expect((await readinessFromResponse(html)).state).toBe('unreachable');

    const badGateway = new Response('Bad Gateway', { status: 502 });
    const result = await readinessFromResponse(badGateway);
    expect(result.state).toBe('unreachable');
    expect(result.detail).toContain('HTTP 502');
  });
});

describe('readinessFromError', () => {
  it('is unreachable with the error message', () => {
    expect(readinessFromError(new TypeError('Failed to fetch'))).toEqual({
      state: 'unreachable',
      detail: 'Failed to fetch',
    });
  });

  it('reports timeouts', () => {
    const timeout = new DOMException('The operation timed out.', 'TimeoutError');
    expect(readinessFromError(timeout)).toEqual({ state: 'unreachable', detail: 'Request timed out' });
  });

  it('copes with non-Error values', () => {
    expect(readinessFromError('boom')).toEqual({ state: 'unreachable', detail: 'boom' });
    expect(readinessFromError(undefined).state).toBe('unreachable');
  });
});

describe('checkReadiness', () => {
  it('requests /readyz and interprets the answer', async () => {
    const fetchFn = vi.fn<FetchLike>().mockResolvedValue(json({ status: 'ready' }, 200));
    await expect(checkReadiness(fetchFn)).resolves.toEqual({ state: 'ready', detail: 'ready' });
    expect(fetchFn).toHaveBeenCalledTimes(1);
    const [url, init] = fetchFn.mock.calls[0] ?? [];
    expect(url).toBe(READYZ_PATH);
    expect(init?.signal).toBeInstanceOf(AbortSignal);
  });

  it('is not_ready when the server answers 503', async () => {
    const fetchFn: FetchLike = () => Promise.resolve(json(problem503, 503, 'application/problem+json'));
    expect((await checkReadiness(fetchFn)).state).toBe('not_ready');
  });

  it('is unreachable, and does not throw, when fetch throws', async () => {
    const fetchFn: FetchLike = () => Promise.reject(new TypeError('NetworkError when attempting to fetch resource.'));
    await expect(checkReadiness(fetchFn)).resolves.toEqual({
      state: 'unreachable',
      detail: 'NetworkError when attempting to fetch resource.',
    });
  });

  it('gives up after the timeout', async () => {
    // A fetch that only settles when its signal aborts, like the real one.
    const hanging: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    await expect(checkReadiness(hanging, 10)).resolves.toEqual({
      state: 'unreachable',
      detail: 'Request timed out',
    });
  });
});
