/**
 * What the server accepts as a competitor's photo (`PUT /competitors/{id}/photo`): a JPEG or
 * PNG of at most 2 MiB, sent as the raw body. Checked before uploading so that a wrong file is
 * refused at once, not after sending megabytes over a venue's Wi-Fi.
 */

/** The server's limit (`service::registration::MAX_PHOTO_BYTES`). */
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;

export type PhotoCheck =
  | { ok: true; type: 'image/jpeg' | 'image/png' }
  | { ok: false; reason: 'too_large' | 'wrong_type' | 'empty' };

/** `size` of the file in bytes, `head` its first (at least 8) bytes. */
export function checkPhoto(size: number, head: Uint8Array): PhotoCheck {
  if (size === 0) return { ok: false, reason: 'empty' };
  const type = sniffPhoto(head);
  if (type === null) return { ok: false, reason: 'wrong_type' };
  if (size > MAX_PHOTO_BYTES) return { ok: false, reason: 'too_large' };
  return { ok: true, type };
}

/** The photo's kind from its first bytes, as the server decides it (the file name may lie). */
export function sniffPhoto(head: Uint8Array): 'image/jpeg' | 'image/png' | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (head.length >= png.length && png.every((b, i) => head[i] === b)) return 'image/png';
  return null;
}
