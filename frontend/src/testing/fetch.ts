/** For tests of code that calls the API: a `fetch` that records each request and answers as told. */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Headers;
  credentials: RequestCredentials;
  /** The body as sent ('' without one). */
  text: string;
  /** The signal the request was sent with. */
  signal: AbortSignal | undefined;
}

export function recordingFetch(respond: (request: RecordedRequest) => Response) {
  const calls: RecordedRequest[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input as Request;
    const recorded: RecordedRequest = {
      method: request.method,
      path: new URL(request.url).pathname,
      headers: request.headers,
      credentials: request.credentials,
      text: await request.text(),
      signal: init?.signal ?? undefined,
    };
    calls.push(recorded);
    return respond(recorded);
  }) as typeof fetch;
  return { calls, fetchFn };
}

/** A JSON answer. */
export function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}
