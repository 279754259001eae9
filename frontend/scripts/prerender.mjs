// A Vite plugin that renders the sign-in page into HTML once the app is built: dist/login.<locale>.html
// for each language, from the built index.html with the page's markup in #root, its title and
// language set, and the stylesheet inlined. The server sends it for `/login` (src/spa.rs), so the
// form shows, and works (it posts to `/login`), on the page's first round trip; the app's script
// takes the markup over when it arrives (src/main.tsx). The markup comes from the app's own
// components (src/app/prerender.tsx), loaded through Vite's SSR module loader. (Plain
// JavaScript, like precompress.mjs.)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { writeCompressed } from './precompress.mjs';

function replaceOnce(text, search, replacement, what) {
  if (!text.includes(search)) throw new Error(`prerender: ${what} not found in index.html`);
  return text.replace(search, () => replacement);
}

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

export function prerender() {
  let config;
  return {
    name: 'skillmark-prerender',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    async closeBundle() {
      const outDir = join(config.root, config.build.outDir);
      const { createServer } = await import('vite');
      const server = await createServer({
        configFile: config.configFile,
        root: config.root,
        logLevel: 'warn',
        appType: 'custom',
        server: { middlewareMode: true, hmr: false, watch: null },
      });
      try {
        const { renderSignInPage, LOCALES } = await server.ssrLoadModule('/src/app/prerender.tsx');
        let template = readFileSync(join(outDir, 'index.html'), 'utf8');
        // The stylesheet inline: a separate file would hold the first paint for another round trip.
        template = template.replace(/<link rel="stylesheet"[^>]*href="(\/assets\/[^"]+\.css)"[^>]*>/g, (_tag, href) => {
          const css = readFileSync(join(outDir, href), 'utf8');
          return `<style>${css.replace(/<\/style/gi, '<\\/style')}</style>`;
        });
        for (const locale of LOCALES) {
          const { html, title } = renderSignInPage(locale);
          let page = replaceOnce(template, '<html lang="en">', `<html lang="${locale}">`, '<html lang>');
          page = replaceOnce(page, '<title>Skillmark</title>', `<title>${escapeHtml(title)}</title>`, '<title>');
          page = replaceOnce(page, '<div id="root"></div>', `<div id="root">${html}</div>`, 'the #root element');
          const file = join(outDir, `login.${locale}.html`);
          writeFileSync(file, page);
          writeCompressed(file, page);
        }
      } finally {
        await server.close();
      }
    },
  };
}
