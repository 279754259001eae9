import type { Plugin } from 'vite';

/** Writes dist/sw.js from sw/sw.js with the built files to keep on the device (see service-worker.mjs). */
export function serviceWorker(): Plugin;
