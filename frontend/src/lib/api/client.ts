/**
 * The typed API client: openapi-fetch over the types generated from the
 * server's OpenAPI document (`src/api/schema.d.ts`, `npm run generate:api`).
 *
 * Every request carries the current access token; a 401 refreshes the token
 * once (through the refresh cookie) and repeats the request. Failures become
 * `ProblemError`s holding a `Problem`, so TanStack Query and the forms handle
 * every failure the same way (field errors next to fields).
 */

import createClient from 'openapi-fetch';
import { createContext, useContext } from 'react';

import type { paths } from '@/api/schema';
import { API_TIMEOUT_MS } from '@/lib/api';
import { problemFromBody, problemFromError, type Problem } from '@/lib/problem';

export type ApiClient = ReturnType<typeof createClient<paths>>;

export interface TokenSource {
  /** The access token as of now, or `null` when signed out. */
  token: () => string | null;
  /** A fresh access token from the refresh cookie, or `null` (then the user is signed out). */
  refresh: () => Promise<string | null>;
}

/** A failed API call, carrying the problem the server (or the network) reported. */
export class ProblemError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail);
    this.name = 'ProblemError';
    this.problem = problem;
  }
}

/** The problem behind any error thrown by an API call (or a client-side one). */
export function problemOf(error: unknown): Problem {
  return error instanceof ProblemError ? error.problem : problemFromError(error);
}

function withToken(request: Request, token: string | null): Request {
  const next = new Request(request);
  if (token !== null && token !== '') next.headers.set('Authorization', `Bearer ${token}`);
  return next;
}

/**
 * `fetch` with the bearer token and one refresh-and-retry on 401. The request
 * is cloned before the first attempt so that its body can be sent again.
 */
export function authenticatedFetch(source: TokenSource, fetchFn: typeof fetch = fetch) {
  return async (request: Request): Promise<Response> => {
    const spare = request.clone();
    const token = source.token();
    const signal = AbortSignal.any([request.signal, AbortSignal.timeout(API_TIMEOUT_MS)]);
    const first = await fetchFn(withToken(request, token), { signal });
    if (first.status !== 401 || token === null) return first;
    const fresh = await source.refresh();
    if (fresh === null) return first;
    return fetchFn(withToken(spare, fresh), { signal });
  };
}

/** `baseUrl` stays empty in the browser (same origin); tests, outside a page, pass one. */
export function createApiClient(source: TokenSource, fetchFn: typeof fetch = fetch, baseUrl = ''): ApiClient {
  return createClient<paths>({
    baseUrl,
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { Accept: 'application/json, application/problem+json' },
    fetch: authenticatedFetch(source, fetchFn),
  });
}

interface FetchOutcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The data of a successful call, or throws a `ProblemError`. Network failures
 * (openapi-fetch rethrows them) become problems with client-side codes.
 */
export async function unwrap<T>(call: Promise<FetchOutcome<T>>): Promise<T> {
  let outcome: FetchOutcome<T>;
  try {
    outcome = await call;
  } catch (error) {
    throw new ProblemError(problemFromError(error));
  }
  if (!outcome.response.ok) {
    const body = typeof outcome.error === 'string' ? safeJson(outcome.error) : outcome.error;
    throw new ProblemError(problemFromBody(outcome.response, body));
  }
  return outcome.data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The signed-in session's client, provided by the auth feature's provider. */
export const ApiClientContext = createContext<ApiClient | null>(null);

export function useApi(): ApiClient {
  const client = useContext(ApiClientContext);
  if (client === null) throw new Error('useApi needs an ApiClientContext provider (AuthProvider)');
  return client;
}
