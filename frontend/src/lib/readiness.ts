/**
 * Interpreting the server's readiness probe (`GET /readyz`).
 *
 * The server answers `200 {"status":"ready"}` when it and its database are
 * ready, and `503` with an RFC 9457 `application/problem+json` body otherwise.
 * Everything here is pure apart from `checkReadiness`, which takes the fetch
 * function as a parameter so it can be tested without a network.
 */

export const READYZ_PATH = '/readyz';

/** How long to wait for `/readyz` before calling the server unreachable. */
export const READYZ_TIMEOUT_MS = 5000;

export type ReadinessState = 'ready' | 'not_ready' | 'unreachable';

export interface Readiness {
  state: ReadinessState;
  /** Short technical detail (not localised), e.g. the problem's `detail`. */
  detail: string;
}

/** The subset of RFC 9457 problem details that we display. */
interface ProblemDetails {
  title?: unknown;
  detail?: unknown;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function isProblemJson(response: Response): boolean {
  const type = response.headers.get('content-type') ?? '';
  return type.toLowerCase().startsWith('application/problem+json');
}

function problemDetail(body: unknown, status: number): string {
  if (isObject(body)) {
    const problem: ProblemDetails = body;
    const text = nonEmptyString(problem.detail) ?? nonEmptyString(problem.title);
    if (text !== undefined) return `${text} (HTTP ${status})`;
  }
  return `HTTP ${status}`;
}

/**
 * Turns a `/readyz` response into a readiness result.
 *
 * - 2xx with `{"status":"ready"}` → `ready`
 * - 2xx with another JSON `status` → `not_ready`
 * - 503, or any error carrying problem+json → `not_ready` (the server itself
 *   answered and says it cannot serve yet)
 * - anything else (e.g. an HTML page or a 502 from a proxy) → `unreachable`,
 *   since it did not come from a working Skillmark server
 */
export async function readinessFromResponse(response: Response): Promise<Readiness> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    return readinessFromError(error);
  }
  const body = parseJson(text);

  if (response.ok) {
    const status = isObject(body) ? nonEmptyString(body['status']) : undefined;
    if (status === 'ready') return { state: 'ready', detail: 'ready' };
    if (status !== undefined) return { state: 'not_ready', detail: status };
    return {
      state: 'unreachable',
      detail: `Unexpected response from ${READYZ_PATH} (HTTP ${response.status})`,
    };
  }

  if (response.status === 503 || isProblemJson(response)) {
    return { state: 'not_ready', detail: problemDetail(body, response.status) };
  }

  return {
    state: 'unreachable',
    detail: `Unexpected response from ${READYZ_PATH} (HTTP ${response.status})`,
  };
}

/** Turns an exception thrown by `fetch` (network error, timeout) into a result. */
export function readinessFromError(error: unknown): Readiness {
  if (error instanceof Error || error instanceof DOMException) {
    if (error.name === 'TimeoutError') {
      return { state: 'unreachable', detail: 'Request timed out' };
    }
    return { state: 'unreachable', detail: nonEmptyString(error.message) ?? error.name };
  }
  return { state: 'unreachable', detail: nonEmptyString(String(error)) ?? 'Unknown error' };
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Asks the server whether it is ready. Never throws. */
export async function checkReadiness(
  fetchFn: FetchLike = (input, init) => fetch(input, init),
  timeoutMs: number = READYZ_TIMEOUT_MS,
): Promise<Readiness> {
  try {
    const response = await fetchFn(READYZ_PATH, {
      headers: { Accept: 'application/json, application/problem+json' },
      cache: 'no-store',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return await readinessFromResponse(response);
  } catch (error) {
    return readinessFromError(error);
  }
}
