import type { Plugin } from 'vite';

/** Writes `<file>.br` and `<file>.gz` beside `file` (see precompress.mjs). */
export function writeCompressed(file: string, content: string | Uint8Array): void;

/** Writes `.br` and `.gz` beside every built asset (see precompress.mjs). */
export function precompress(): Plugin;
