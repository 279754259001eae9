/**
 * The API client: openapi-fetch over the types generated from the server's OpenAPI document
 * (`src/api/schema.d.ts`, `npm run generate:api`). It is the only way the app talks to the API.
 *
 * Two instances of one client: `publicClient` for what needs no sign-in (signing in, the refresh
 * cookie, the public results), and a session's client (`createApiClient`, made by `AuthProvider`,
 * read with `useApi`) that adds the auth middleware: every request carries the current access
 * token, and a 401 refreshes the token once (through the refresh cookie) and repeats the request.
 * Failures become `ProblemError`s holding a `Problem` (`unwrap`), or `{ ok: false, problem }`
 * (`settle`), so TanStack Query and the forms handle every failure the same way.
 */

import { useQuery, type QueryKey, type UseQueryOptions } from '@tanstack/react-query';
import createClient, { type Middleware } from 'openapi-fetch';
import { createContext, useContext } from 'react';

import type { paths } from '@/api/schema';
import { problemFromBody, problemFromError, type Problem, type Result } from '@/lib/problem';

export type ApiClient = ReturnType<typeof createClient<paths>>;

/** How long to wait for an answer before giving up with a `timeout` problem. */
export const API_TIMEOUT_MS = 20_000;

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

/** `fetch` that gives up after `API_TIMEOUT_MS` (or when the caller's own signal aborts). */
function withTimeout(fetchFn: typeof fetch): typeof fetch {
  return (input, init) => {
    const own = input instanceof Request ? input.signal : init?.signal;
    const timeout = AbortSignal.timeout(API_TIMEOUT_MS);
    return fetchFn(input, { ...init, signal: own == null ? timeout : AbortSignal.any([own, timeout]) });
  };
}

/**
 * Sends with the current access token; a 401 (the token expired during a long session) refreshes
 * it once and sends again. The one place that does: the session's client (`authMiddleware`) and
 * the upload with progress (`XMLHttpRequest`, outside the client) both send through it.
 */
export async function withRefresh<A extends { status: number }>(
  source: TokenSource,
  send: (token: string | null) => Promise<A>,
): Promise<A> {
  const token = source.token();
  const answer = await send(token);
  if (answer.status !== 401 || token === null) return answer;
  const fresh = await source.refresh();
  return fresh === null ? answer : send(fresh);
}

/**
 * The bearer token on every request and one refresh-and-retry on a 401. The middleware sends the
 * request itself (openapi-fetch takes the answer as it is), each time a copy, so that the body
 * can be sent again.
 */
export function authMiddleware(source: TokenSource): Middleware {
  return {
    onRequest({ request, options }) {
      return withRefresh(source, (token) => {
        const copy = request.clone();
        if (token !== null && token !== '') copy.headers.set('Authorization', `Bearer ${token}`);
        return options.fetch(copy);
      });
    },
  };
}

/**
 * A client without the auth middleware. `baseUrl` stays empty in the browser (same origin);
 * tests, outside a page, pass one.
 */
export function createPublicClient(fetchFn: typeof fetch = (input, init) => fetch(input, init), baseUrl = ''): ApiClient {
  return createClient<paths>({
    baseUrl,
    // The refresh-token cookie is same-origin; send it, never to other origins.
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { Accept: 'application/json, application/problem+json' },
    fetch: withTimeout(fetchFn),
  });
}

/** The client for what needs no sign-in. */
export const publicClient: ApiClient = createPublicClient();

/** A session's client: the public one plus the auth middleware over `source`'s tokens. */
export function createApiClient(source: TokenSource, fetchFn?: typeof fetch, baseUrl?: string): ApiClient {
  const client = createPublicClient(fetchFn, baseUrl);
  client.use(authMiddleware(source));
  return client;
}

interface FetchOutcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * `{ ok: true, data }` for a successful call, else `{ ok: false, problem }`; never throws.
 * Network failures (openapi-fetch rethrows them) become problems with client-side codes.
 */
export async function settle<T>(call: Promise<FetchOutcome<T>>): Promise<Result<T>> {
  let outcome: FetchOutcome<T>;
  try {
    outcome = await call;
  } catch (error) {
    return { ok: false, problem: problemFromError(error) };
  }
  if (!outcome.response.ok) {
    const body = typeof outcome.error === 'string' ? safeJson(outcome.error) : outcome.error;
    return { ok: false, problem: problemFromBody(outcome.response, body) };
  }
  return { ok: true, status: outcome.response.status, data: outcome.data as T };
}

/** The data of a successful call, or throws a `ProblemError`. */
export async function unwrap<T>(call: Promise<FetchOutcome<T>>): Promise<T> {
  const result = await settle(call);
  if (!result.ok) throw new ProblemError(result.problem);
  return result.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The signed-in session's client, provided by `AuthProvider`. */
export const ApiClientContext = createContext<ApiClient | null>(null);

export function useApi(): ApiClient {
  const client = useContext(ApiClientContext);
  if (client === null) throw new Error('useApi needs an ApiClientContext provider (AuthProvider)');
  return client;
}

/**
 * A query of one API read with the session's client: `read` makes the call, whose data is the
 * query's and whose problem its error (`unwrap`); `options` as for `useQuery` (retry, staleTime…).
 */
export function useApiQuery<T, K extends QueryKey>(
  queryKey: K,
  read: (client: ApiClient) => Promise<FetchOutcome<T>>,
  options: Omit<UseQueryOptions<T, Error, T, K>, 'queryKey' | 'queryFn'> = {},
) {
  const client = useApi();
  return useQuery({ ...options, queryKey, queryFn: () => unwrap(read(client)) });
}
