import type { Plugin } from 'vite';

/** Writes dist/login.<locale>.html, the sign-in page rendered at build time (see prerender.mjs). */
export function prerender(): Plugin;
