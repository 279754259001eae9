import { describe, expect, it } from 'vitest';

import { importUrl, outcomeOf, progressOf, sendWithProgress, type UploadProgress } from './upload';

describe('progressOf', () => {
  it('counts bytes sent, then switches to checking once all are out', () => {
    expect(progressOf(0, 1000)).toEqual({ phase: 'sending', loaded: 0, total: 1000, percent: 0 });
    expect(progressOf(333, 1000)).toEqual({ phase: 'sending', loaded: 333, total: 1000, percent: 33 });
    expect(progressOf(1000, 1000)).toEqual({ phase: 'checking' });
  });
  it('stays at 0 % while the size is unknown', () => {
    expect(progressOf(500, 0)).toEqual({ phase: 'sending', loaded: 500, total: 0, percent: 0 });
  });
});

it('importUrl encodes the file name', () => {
  expect(importUrl('e1', 'competitors', 'Liste 2026 & co.csv', false)).toBe(
    '/api/v1/events/e1/imports/competitors?commit=false&filename=Liste+2026+%26+co.csv',
  );
});

describe('outcomeOf', () => {
  it('gives the report of a 200', () => {
    expect(outcomeOf({ status: 200, statusText: 'OK', headers: '', body: '{"rows":3}' })).toEqual({ ok: true, data: { rows: 3 } });
  });
  it('gives the problem of a refusal, with its rows', () => {
    const body = JSON.stringify({
      type: 'about:blank',
      title: 'Unprocessable',
      status: 422,
      detail: 'bad file',
      code: 'import_rejected',
      rows: [{ row: 4, column: 'birth_date', message: 'not a date' }],
    });
    const outcome = outcomeOf({ status: 422, statusText: 'Unprocessable Entity', headers: 'content-type: application/problem+json\r\n', body });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problem.code).toBe('import_rejected');
    expect(outcome.problem.status).toBe(422);
    expect(outcome.problem.rows).toEqual([{ row: 4, column: 'birth_date', message: 'not a date' }]);
  });
  it('reads Retry-After from the headers', () => {
    const outcome = outcomeOf({ status: 429, statusText: 'Too Many Requests', headers: 'retry-after: 30\r\n', body: '' });
    expect(outcome.ok ? null : outcome.problem.retryAfterSeconds).toBe(30);
  });
});

/** Just enough of XMLHttpRequest to drive the upload by hand. */
class FakeXhr {
  upload: { onprogress: ((e: ProgressEvent) => void) | null; onload: (() => void) | null } = { onprogress: null, onload: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  statusText = '';
  responseText = '';
  sent: unknown = null;
  headers: Record<string, string> = {};
  url = '';
  open(_method: string, url: string) {
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getAllResponseHeaders() {
    return 'content-type: application/json\r\n';
  }
  send(body: unknown) {
    this.sent = body;
  }
  abort() {
    this.onabort?.();
  }
}

describe('sendWithProgress', () => {
  it('reports progress, then checking, then resolves with the answer', async () => {
    const xhr = new FakeXhr();
    const seen: UploadProgress[] = [];
    const file = new Blob(['x'.repeat(100)]);
    const done = sendWithProgress({
      url: '/u',
      body: file,
      headers: { Authorization: 'Bearer t' },
      onProgress: (p) => seen.push(p),
      createRequest: () => xhr as unknown as XMLHttpRequest,
    });
    expect(xhr.headers).toEqual({ Authorization: 'Bearer t' });
    expect(xhr.sent).toBe(file);
    xhr.upload.onprogress?.({ loaded: 50, total: 100, lengthComputable: true } as ProgressEvent);
    xhr.upload.onload?.();
    xhr.status = 200;
    xhr.responseText = '{}';
    xhr.onload?.();
    await expect(done).resolves.toMatchObject({ status: 200, body: '{}' });
    expect(seen.map((p) => (p.phase === 'sending' ? p.percent : p.phase))).toEqual([0, 50, 'checking']);
  });
  it('rejects like fetch on a network failure and on abort', async () => {
    const xhr = new FakeXhr();
    const failed = sendWithProgress({ url: '/u', body: new Blob(['a']), headers: {}, onProgress: () => {}, createRequest: () => xhr as unknown as XMLHttpRequest });
    xhr.onerror?.();
    await expect(failed).rejects.toBeInstanceOf(TypeError);

    const other = new FakeXhr();
    const controller = new AbortController();
    const aborted = sendWithProgress({
      url: '/u',
      body: new Blob(['a']),
      headers: {},
      onProgress: () => {},
      signal: controller.signal,
      createRequest: () => other as unknown as XMLHttpRequest,
    });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
  });
});

it('formatBytes picks a readable unit', async () => {
  const { formatBytes } = await import('./upload');
  expect(formatBytes(512, 'en')).toBe('512 B');
  expect(formatBytes(0, 'zh-CN')).toBe('0 B');
  expect(formatBytes(340_000, 'en')).toBe('340 kB');
  expect(formatBytes(1_234_567, 'en')).toBe('1.2 MB');
});
