import { describe, expect, it } from 'vitest';

import { checkPhoto, MAX_PHOTO_BYTES, sniffPhoto } from './photo';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const GIF = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0, 0]);

describe('checkPhoto', () => {
  it('accepts JPEG and PNG up to 2 MiB, whatever the file is called', () => {
    expect(checkPhoto(1000, JPEG)).toEqual({ ok: true, type: 'image/jpeg' });
    expect(checkPhoto(MAX_PHOTO_BYTES, PNG)).toEqual({ ok: true, type: 'image/png' });
  });
  it('refuses larger files, other kinds and empty files', () => {
    expect(checkPhoto(MAX_PHOTO_BYTES + 1, PNG)).toEqual({ ok: false, reason: 'too_large' });
    expect(checkPhoto(10, GIF)).toEqual({ ok: false, reason: 'wrong_type' });
    expect(checkPhoto(0, new Uint8Array())).toEqual({ ok: false, reason: 'empty' });
  });
});

describe('sniffPhoto', () => {
  it('reads the magic bytes', () => {
    expect(sniffPhoto(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffPhoto(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffPhoto(new Uint8Array([0x47, 0x49, 0x46]))).toBeNull();
  });
});
