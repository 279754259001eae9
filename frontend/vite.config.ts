import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

import { precompress } from './scripts/precompress.mjs';
import { prerender } from './scripts/prerender.mjs';
import { serviceWorker } from './scripts/service-worker.mjs';

// The Rust server (default listen address). In development the Vite dev
// server serves the SPA and forwards server routes to it.
const backend = 'http://127.0.0.1:8080';

const proxy = {
  '/api': backend,
  '/healthz': backend,
  '/readyz': backend,
};

export default defineConfig({
  plugins: [react(), precompress(), serviceWorker(), prerender()],
  // `@/…` imports resolve to `src/…`, as declared in tsconfig.json `paths`.
  resolve: { tsconfigPaths: true },
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'node',
  },
});
