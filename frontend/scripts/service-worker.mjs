// A Vite plugin that writes dist/sw.js from sw/sw.js with the list of built files to keep on the
// device (every JavaScript and CSS file under assets/) and a version derived from them, so each
// release installs a new service worker that drops the old files. (Plain JavaScript, like
// precompress.mjs.)
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const template = fileURLToPath(new URL('../sw/sw.js', import.meta.url));

export function serviceWorker() {
  let listed = [];
  return {
    name: 'skillmark-service-worker',
    apply: 'build',
    // After Vite's own plugins: a chunk that only imports CSS (a screen's stylesheet) is dropped
    // from the bundle by Vite's CSS plugin, and a list taken before that names a file that is
    // never written, which fails the worker's install.
    enforce: 'post',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((name) => name.startsWith('assets/') && /\.(js|css)$/.test(name))
        .sort()
        .map((name) => `/${name}`);
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
      const source = readFileSync(template, 'utf8')
        .replace('__VERSION__', version)
        .replace('__PRECACHE__', JSON.stringify(files));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
      listed = files;
    },
    // The build fails rather than ship a worker whose install fails on a file that is not there.
    writeBundle(options) {
      const missing = listed.filter((file) => !existsSync(join(options.dir, file)));
      if (missing.length > 0) throw new Error(`sw.js lists files the build did not write: ${missing.join(', ')}`);
    },
  };
}
