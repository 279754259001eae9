/** Files the API sends (exports, PDFs, import templates), fetched as blobs and saved as downloads. */

import { unwrap } from '@/lib/api/client';

export type ExportFormat = 'csv' | 'xlsx';

export interface SavedFile {
  name: string;
  blob: Blob;
}

/** The file name of a `Content-Disposition` header, or `fallback`. */
export function filenameFrom(header: string | null, fallback: string): string {
  if (header === null) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star?.[1] !== undefined) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // Fall through to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain?.[1]?.trim() || fallback;
}

/**
 * GETs a file with the bearer token (a plain link would not carry it). Failures become
 * `ProblemError`s like any other call, so the screen shows the server's problem.
 */
export async function fetchFile(
  call: Promise<{ data?: unknown; error?: unknown; response: Response }>,
  fallbackName: string,
): Promise<SavedFile> {
  let response: Response | undefined;
  const blob = await unwrap(
    call.then((outcome) => {
      response = outcome.response;
      return outcome as { data?: Blob; error?: unknown; response: Response };
    }),
  );
  const name = filenameFrom(response?.headers.get('Content-Disposition') ?? null, fallbackName);
  return { name, blob };
}

/** Hands a fetched file to the browser as a download. */
export function saveFile({ name, blob }: SavedFile): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser time to start the download before the address goes away.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
