/**
 * RFC 9457 problem details, as the Skillmark server sends them
 * (`application/problem+json`), and the turning of a fetch `Response` (or a
 * fetch exception) into either data or a `Problem`.
 *
 * Problems that happen before the server answers, or when something other
 * than the server answers, get client-side codes (see `CLIENT_PROBLEM_CODES`)
 * so the user interface can handle every failure the same way.
 */

import type { components } from '@/api/schema';

/** A code the server sends (`ErrorCode` in its OpenAPI document). */
export type ServerProblemCode = components['schemas']['ErrorCode'];

/** A code of a problem the client detects itself. */
export type ClientProblemCode = (typeof CLIENT_PROBLEM_CODES)[keyof typeof CLIENT_PROBLEM_CODES];

/** Every code a `Problem` can carry. */
export type ProblemCode = ServerProblemCode | ClientProblemCode;

/** One problem in an uploaded file: spreadsheet row (header = 1; 0 = the whole file) and column header. */
export interface RowProblem {
  row: number;
  column: string;
  message: string;
}

/** One invalid field of a request. `field` is the JSON key, e.g. `password`. */
export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  /** HTTP status; 0 when no response arrived. */
  status: number;
  detail: string;
  /**
   * Stable machine-readable code, e.g. `invalid_credentials`. A server newer than this client may
   * send a code the union does not name yet; `problemMessage` then shows the server's `detail`.
   */
  code: ProblemCode;
  /** For validation errors: every invalid field (may be empty). */
  errors: FieldError[];
  /** Seconds to wait, from a `Retry-After` header, when the server sent one. */
  retryAfterSeconds: number | null;
  /** For rejected files: every problem by row and column (present only when the server sent some). */
  rows?: RowProblem[];
  /** For version conflicts: the resource's current state, as the server sent it. */
  current?: unknown;
}

/** Codes for problems the client detects itself (never sent by the server). */
export const CLIENT_PROBLEM_CODES = {
  /** No response: offline, DNS failure, connection refused, CORS… */
  network: 'network_error',
  /** No response within the time limit. */
  timeout: 'timeout',
  /** The request was cancelled by the page. */
  aborted: 'aborted',
  /** An error status without a problem body (e.g. an HTML page from a proxy). */
  http: 'http_error',
  /** A success status whose body is not the JSON we expected. */
  unexpected: 'unexpected_response',
} as const;

export type Result<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; problem: Problem };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** `Retry-After` as a number of seconds (delta-seconds or an HTTP date), if present. */
export function retryAfterSeconds(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function fieldErrorsFrom(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  const errors: FieldError[] = [];
  for (const item of value) {
    if (!isObject(item)) continue;
    const field = nonEmptyString(item['field']);
    const message = nonEmptyString(item['message']);
    if (field !== undefined && message !== undefined) errors.push({ field, message });
  }
  return errors;
}

function rowProblemsFrom(value: unknown): RowProblem[] {
  if (!Array.isArray(value)) return [];
  const rows: RowProblem[] = [];
  for (const item of value) {
    if (!isObject(item)) continue;
    const message = nonEmptyString(item['message']);
    const row = item['row'];
    if (message === undefined || typeof row !== 'number') continue;
    rows.push({ row, column: typeof item['column'] === 'string' ? item['column'] : '', message });
  }
  return rows;
}

function statusLine(response: Response): string {
  const text = response.statusText.trim();
  return text === '' ? `HTTP ${response.status}` : `HTTP ${response.status} ${text}`;
}

/**
 * Builds a `Problem` from an error response and its (possibly unparseable)
 * body. Missing members get sensible defaults; a body that is not a JSON
 * object becomes an `http_error`.
 */
export function problemFromBody(response: Response, body: unknown): Problem {
  const retry = retryAfterSeconds(response.headers.get('retry-after'));
  if (!isObject(body)) {
    return {
      type: 'about:blank',
      title: statusLine(response),
      status: response.status,
      detail: statusLine(response),
      code: CLIENT_PROBLEM_CODES.http,
      errors: [],
      retryAfterSeconds: retry,
    };
  }
  const title = nonEmptyString(body['title']) ?? statusLine(response);
  const problem: Problem = {
    type: nonEmptyString(body['type']) ?? 'about:blank',
    title,
    status: response.status,
    detail: nonEmptyString(body['detail']) ?? title,
    // The server's document types `code` as `ErrorCode`; it is trusted as any response body is.
    code: (nonEmptyString(body['code']) as ServerProblemCode | undefined) ?? CLIENT_PROBLEM_CODES.http,
    errors: fieldErrorsFrom(body['errors']),
    retryAfterSeconds: retry,
  };
  const rows = rowProblemsFrom(body['rows']);
  if (rows.length > 0) problem.rows = rows;
  if (body['current'] !== undefined && body['current'] !== null) problem.current = body['current'];
  return problem;
}

/** Turns an exception thrown by `fetch` (or by reading a body) into a `Problem`. */
export function problemFromError(error: unknown): Problem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  const message =
    error instanceof Error || error instanceof DOMException
      ? nonEmptyString(error.message)
      : nonEmptyString(String(error));
  let code: ClientProblemCode = CLIENT_PROBLEM_CODES.network;
  if (name === 'TimeoutError') code = CLIENT_PROBLEM_CODES.timeout;
  else if (name === 'AbortError') code = CLIENT_PROBLEM_CODES.aborted;
  return {
    type: 'about:blank',
    title: code === CLIENT_PROBLEM_CODES.network ? 'Network error' : name,
    status: 0,
    detail: message ?? (name !== '' ? name : 'Unknown error'),
    code,
    errors: [],
    retryAfterSeconds: null,
  };
}

/**
 * Reads a fetch `Response`.
 *
 * - 2xx with an empty body (e.g. 202, 204) → `data` is `undefined`
 * - 2xx with a JSON body → `data` is the parsed body
 * - 2xx with a body that is not JSON → `unexpected_response` problem
 * - any other status → a `Problem` from the problem+json body, or an
 *   `http_error` problem when the body is not a JSON object
 *
 * Never throws: a failure while reading the body becomes a problem too.
 */
export async function parseResponse<T = unknown>(response: Response): Promise<Result<T>> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    return { ok: false, problem: problemFromError(error) };
  }
  const parsed = text.trim() === '' ? undefined : parseJson(text);

  if (response.ok) {
    if (parsed === undefined) return { ok: true, status: response.status, data: undefined as T };
    if (parsed.ok) return { ok: true, status: response.status, data: parsed.value as T };
    return {
      ok: false,
      problem: {
        type: 'about:blank',
        title: 'Unexpected response',
        status: response.status,
        detail: `The server's answer is not valid JSON (${statusLine(response)})`,
        code: CLIENT_PROBLEM_CODES.unexpected,
        errors: [],
        retryAfterSeconds: null,
      },
    };
  }

  return { ok: false, problem: problemFromBody(response, parsed?.ok === true ? parsed.value : undefined) };
}

/**
 * Splits a problem's field errors into those for the given form fields
 * (several messages for one field are joined with "; ") and the rest, which
 * the form cannot show next to a field.
 */
export function splitFieldErrors<F extends string>(
  problem: Problem,
  fields: readonly F[],
): { byField: Partial<Record<F, string>>; other: FieldError[] } {
  const byField: Partial<Record<F, string>> = {};
  const other: FieldError[] = [];
  for (const error of problem.errors) {
    const field = fields.find((f) => f === error.field);
    if (field === undefined) {
      other.push(error);
      continue;
    }
    const previous = byField[field];
    byField[field] = previous === undefined ? error.message : `${previous}; ${error.message}`;
  }
  return { byField, other };
}
