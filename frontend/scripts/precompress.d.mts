import type { Plugin } from 'vite';

/** Writes `.br` and `.gz` beside every built asset (see precompress.mjs). */
export function precompress(): Plugin;
