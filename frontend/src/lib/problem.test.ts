import { describe, expect, it } from 'vitest';

import {
  CLIENT_PROBLEM_CODES,
  parseResponse,
  problemFromBody,
  problemFromError,
  retryAfterSeconds,
  splitFieldErrors,
  type Problem,
} from './problem';

function problemResponse(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
}

const validationProblem = {
  type: '/problems/validation_failed',
  title: 'The request has invalid fields',
  status: 422,
  detail: 'password: must be at least 10 characters; email: is not an email address',
  code: 'validation_failed',
  errors: [
    { field: 'password', message: 'must be at least 10 characters' },
    { field: 'email', message: 'is not an email address' },
  ],
};

describe('parseResponse: success', () => {
  it('returns the parsed JSON body', async () => {
    const response = new Response(JSON.stringify({ access_token: 'abc', token_type: 'Bearer', expires_in: 900 }), {
      status: 201,
      headers: { 'Content-Type': 'application/json' },
    });
    await expect(parseResponse(response)).resolves.toEqual({
      ok: true,
      status: 201,
      data: { access_token: 'abc', token_type: 'Bearer', expires_in: 900 },
    });
  });

  it('returns undefined data for empty bodies (202, 204)', async () => {
    await expect(parseResponse(new Response(null, { status: 204 }))).resolves.toEqual({
      ok: true,
      status: 204,
      data: undefined,
    });
    await expect(parseResponse(new Response('', { status: 202 }))).resolves.toEqual({
      ok: true,
      status: 202,
      data: undefined,
    });
  });

  it('reports a 2xx body that is not JSON as an unexpected response', async () => {
    const html = new Response('<!doctype html><title>Skillmark</title>', {
      status: 200,
      headers: { 'Content-Type': 'text/html' },
    });
    const result = await parseResponse(html);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.code).toBe(CLIENT_PROBLEM_CODES.unexpected);
      expect(result.problem.status).toBe(200);
    }
  });
});

describe('parseResponse: problems', () => {
  it('reads every member of a problem+json body, including field errors', async () => {
    const result = await parseResponse(problemResponse(validationProblem, 422));
    expect(result).toEqual({
      ok: false,
      problem: { ...validationProblem, retryAfterSeconds: null },
    });
  });

  it('takes the status from the response, not from the body', async () => {
    const result = await parseResponse(problemResponse({ ...validationProblem, status: 200 }, 422));
    expect(!result.ok && result.problem.status).toBe(422);
  });

  it('reads Retry-After for rate limiting', async () => {
    const body = {
      type: '/problems/rate_limited',
      title: 'Too many requests',
      status: 429,
      detail: 'too many attempts; try again in 30 s',
      code: 'rate_limited',
    };
    const result = await parseResponse(problemResponse(body, 429, { 'Retry-After': '30' }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.code).toBe('rate_limited');
      expect(result.problem.retryAfterSeconds).toBe(30);
      expect(result.problem.errors).toEqual([]);
    }
  });

  it('skips malformed field errors and fills in missing members', async () => {
    const body = { code: 'validation_failed', errors: [{ field: 'email' }, 'nonsense', { field: 'password', message: 'too weak' }] };
    const result = await parseResponse(
      new Response(JSON.stringify(body), { status: 422, statusText: 'Unprocessable Entity' }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.errors).toEqual([{ field: 'password', message: 'too weak' }]);
      expect(result.problem.title).toBe('HTTP 422 Unprocessable Entity');
      expect(result.problem.detail).toBe('HTTP 422 Unprocessable Entity');
      expect(result.problem.type).toBe('about:blank');
    }
  });

  it('turns a non-JSON error body (e.g. from a proxy) into an http_error problem', async () => {
    const result = await parseResponse(
      new Response('<html><body>Bad Gateway</body></html>', {
        status: 502,
        statusText: 'Bad Gateway',
        headers: { 'Content-Type': 'text/html' },
      }),
    );
    expect(result).toEqual({
      ok: false,
      problem: {
        type: 'about:blank',
        title: 'HTTP 502 Bad Gateway',
        status: 502,
        detail: 'HTTP 502 Bad Gateway',
        code: CLIENT_PROBLEM_CODES.http,
        errors: [],
        retryAfterSeconds: null,
      },
    });
  });

  it('treats a JSON error body that is not an object as an http_error', async () => {
    const result = await parseResponse(new Response('["oops"]', { status: 500 }));
    expect(!result.ok && result.problem.code).toBe(CLIENT_PROBLEM_CODES.http);
    expect(!result.ok && result.problem.detail).toBe('HTTP 500');
  });

  it('turns a failure to read the body into a problem instead of throwing', async () => {
    const broken = new Response(
      new ReadableStream({
        start(controller) {
          controller.error(new TypeError('connection reset'));
        },
      }),
      { status: 200 },
    );
    const result = await parseResponse(broken);
    expect(!result.ok && result.problem.code).toBe(CLIENT_PROBLEM_CODES.network);
  });
});

describe('problemFromError', () => {
  it('classifies network failures, timeouts and aborts', () => {
    const network = problemFromError(new TypeError('Failed to fetch'));
    expect(network).toMatchObject({ code: 'network_error', status: 0, detail: 'Failed to fetch' });
    expect(problemFromError(new DOMException('signal timed out', 'TimeoutError')).code).toBe('timeout');
    expect(problemFromError(new DOMException('aborted', 'AbortError')).code).toBe('aborted');
    expect(problemFromError('weird').detail).toBe('weird');
  });
});

describe('retryAfterSeconds', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterSeconds(null)).toBeNull();
    expect(retryAfterSeconds(' 120 ')).toBe(120);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterSeconds('Wed, 01 Jan 2025 00:01:30 GMT', now)).toBe(90);
    expect(retryAfterSeconds('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds('soon')).toBeNull();
  });
});

describe('splitFieldErrors', () => {
  const problem: Problem = {
    type: '/problems/validation_failed',
    title: 'The request has invalid fields',
    status: 422,
    detail: '…',
    code: 'validation_failed',
    errors: [
      { field: 'password', message: 'must be at least 10 characters' },
      { field: 'password', message: 'must not be one character repeated' },
      { field: 'body', message: 'unknown field `extra`' },
      { field: 'email', message: 'is not an email address' },
    ],
    retryAfterSeconds: null,
  };

  it('assigns errors to the form fields and keeps the rest apart', () => {
    const { byField, other } = splitFieldErrors(problem, ['email', 'password', 'display_name'] as const);
    expect(byField).toEqual({
      password: 'must be at least 10 characters; must not be one character repeated',
      email: 'is not an email address',
    });
    expect(other).toEqual([{ field: 'body', message: 'unknown field `extra`' }]);
  });
});

describe('problemFromBody: rows and current', () => {
  it('keeps a rejected file\'s row problems and a conflict\'s current state', () => {
    const response = new Response(null, { status: 422 });
    const problem = problemFromBody(response, {
      code: 'file_rejected',
      detail: 'the file has problems',
      rows: [
        { row: 3, column: 'birth_date', message: 'is not a date' },
        { row: 'x', column: 'name', message: 'bad row number' },
        { row: 0, message: 'no header' },
      ],
      current: { version: 4 },
    });
    expect(problem.rows).toEqual([
      { row: 3, column: 'birth_date', message: 'is not a date' },
      { row: 0, column: '', message: 'no header' },
    ]);
    expect(problem.current).toEqual({ version: 4 });
  });

  it('leaves rows out when there are none', () => {
    const problem = problemFromBody(new Response(null, { status: 422 }), { code: 'validation_failed', rows: [] });
    expect('rows' in problem).toBe(false);
  });
});
