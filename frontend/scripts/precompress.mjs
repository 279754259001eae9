// A Vite plugin that writes `.br` and `.gz` beside every built asset, compressed once at the
// highest levels, so the server sends them as they are (src/spa.rs) instead of compressing each
// response quickly and less well: brotli 11 makes the console's first load about a third smaller
// than the server's on-the-fly gzip. (Plain JavaScript: the project's type check covers the
// browser code only, without Node's types.)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Writes `<file>.br` and `<file>.gz` beside `file`, at the highest levels. */
export function writeCompressed(file, content) {
  writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
}

export function precompress() {
  let outDir = 'dist';
  return {
    name: 'skillmark-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const dir = join(outDir, 'assets');
      for (const file of readdirSync(dir)) {
        if (!/\.(js|css|svg|json)$/.test(file)) continue;
        writeCompressed(join(dir, file), readFileSync(join(dir, file)));
      }
    },
  };
}
