/**
 * A small fetch wrapper for the Skillmark JSON API: sends a JSON body and an
 * optional bearer token, and returns either the parsed data or a `Problem`
 * (see `problem.ts`). It never throws.
 */

import { parseResponse, problemFromError, type Result } from '@/lib/problem';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** How long to wait for an answer unless the caller passes its own signal. */
export const API_TIMEOUT_MS = 20_000;

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | undefined;
  /** Sent as JSON when given. */
  body?: unknown;
  /** Access token for `Authorization: Bearer …`. */
  token?: string | null | undefined;
  signal?: AbortSignal | undefined;
  /** For tests; defaults to the global `fetch`. */
  fetchFn?: FetchLike | undefined;
  timeoutMs?: number | undefined;
}

const defaultFetch: FetchLike = (input, init) => fetch(input, init);

/** The `fetch` arguments for an API request (exported for tests). */
export function buildRequestInit(request: ApiRequest): RequestInit {
  const headers = new Headers({ Accept: 'application/json, application/problem+json' });
  const init: RequestInit = {
    method: request.method ?? (request.body === undefined ? 'GET' : 'POST'),
    headers,
    // The refresh-token cookie is same-origin; send it, never to other origins.
    credentials: 'same-origin',
    cache: 'no-store',
    signal: request.signal ?? AbortSignal.timeout(request.timeoutMs ?? API_TIMEOUT_MS),
  };
  if (request.body !== undefined) {
    headers.set('Content-Type', 'application/json');
    init.body = JSON.stringify(request.body);
  }
  if (request.token !== undefined && request.token !== null && request.token !== '') {
    headers.set('Authorization', `Bearer ${request.token}`);
  }
  return init;
}

/** Calls the API. Resolves to `{ ok: true, data }` or `{ ok: false, problem }`. */
export async function apiFetch<T = unknown>(path: string, request: ApiRequest = {}): Promise<Result<T>> {
  const fetchFn = request.fetchFn ?? defaultFetch;
  let response: Response;
  try {
    response = await fetchFn(path, buildRequestInit(request));
  } catch (error) {
    return { ok: false, problem: problemFromError(error) };
  }
  return parseResponse<T>(response);
}
