/**
 * Uploading an import file with a progress bar. `fetch` reports no upload progress, so the file
 * goes through `XMLHttpRequest` (`upload.onprogress`): first the bytes sent, then — once the
 * whole file is out — an indeterminate "checking rows" phase until the server answers with its
 * report. The answer becomes the same data or `Problem` the typed client would give.
 */

import { problemFromBody, problemFromError, type Problem } from '@/lib/problem';

export type UploadProgress =
  | { phase: 'sending'; loaded: number; total: number; percent: number }
  /** All bytes are out: the server is reading and checking the rows. */
  | { phase: 'checking' };

/** Where the upload stands after `loaded` of `total` bytes (`total` 0 when unknown). */
export function progressOf(loaded: number, total: number): UploadProgress {
  if (total > 0 && loaded >= total) return { phase: 'checking' };
  const percent = total > 0 ? Math.min(100, Math.floor((loaded / total) * 100)) : 0;
  return { phase: 'sending', loaded, total, percent };
}

/** The import endpoint for a file (`POST /api/v1/events/{id}/imports/{kind}`). */
export function importUrl(eventId: string, kind: string, filename: string, commit: boolean): string {
  const query = new URLSearchParams({ commit: String(commit), filename });
  return `/api/v1/events/${encodeURIComponent(eventId)}/imports/${encodeURIComponent(kind)}?${query.toString()}`;
}

export interface RawAnswer {
  status: number;
  statusText: string;
  /** The response headers as `XMLHttpRequest.getAllResponseHeaders()` gives them. */
  headers: string;
  body: string;
}

export type Outcome<T> = { ok: true; data: T } | { ok: false; problem: Problem };

function parseHeaders(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const at = line.indexOf(':');
    if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return headers;
}

/** The server's answer as data (2xx with JSON) or as the problem it reported. */
export function outcomeOf<T>(answer: RawAnswer): Outcome<T> {
  let body: unknown;
  try {
    body = answer.body === '' ? undefined : (JSON.parse(answer.body) as unknown);
  } catch {
    body = undefined;
  }
  if (answer.status >= 200 && answer.status < 300) {
    if (body === undefined) return { ok: false, problem: problemFromError(new SyntaxError('the answer is not JSON')) };
    return { ok: true, data: body as T };
  }
  const response = new Response(null, {
    status: answer.status,
    statusText: answer.statusText,
    headers: parseHeaders(answer.headers),
  });
  return { ok: false, problem: problemFromBody(response, body) };
}

export interface SendOptions {
  url: string;
  body: Blob;
  headers: Record<string, string>;
  onProgress: (progress: UploadProgress) => void;
  signal?: AbortSignal;
  /** For tests; the browser's `XMLHttpRequest` otherwise. */
  createRequest?: () => XMLHttpRequest;
}

/**
 * POSTs `body` and resolves with the server's answer, whatever its status. Rejects (like
 * `fetch`) only when no answer came: network failure or abort.
 */
export function sendWithProgress({ url, body, headers, onProgress, signal, createRequest }: SendOptions): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = createRequest?.() ?? new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    onProgress(progressOf(0, body.size));
    xhr.upload.onprogress = (event) => onProgress(progressOf(event.loaded, event.lengthComputable ? event.total : body.size));
    // Some browsers skip the last progress event: the upload's end is the start of the check.
    xhr.upload.onload = () => onProgress({ phase: 'checking' });
    xhr.onload = () =>
      resolve({ status: xhr.status, statusText: xhr.statusText, headers: xhr.getAllResponseHeaders(), body: xhr.responseText });
    xhr.onerror = () => reject(new TypeError('Failed to fetch'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    if (signal !== undefined) {
      if (signal.aborted) {
        reject(new DOMException('The upload was cancelled.', 'AbortError'));
        return;
      }
      signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(body);
  });
}

/** A byte count for people: "512 B", "340 kB", "1.2 MB" (decimal units, in the locale's digits). */
export function formatBytes(bytes: number, locale: string): string {
  // Intl's short "byte" unit reads "byte" in English and Chinese alike; "B" is what people write.
  if (bytes < 1_000) return `${new Intl.NumberFormat(locale).format(bytes)} B`;
  const [value, unit] = bytes >= 1_000_000 ? [bytes / 1_000_000, 'megabyte'] : [bytes / 1_000, 'kilobyte'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}
