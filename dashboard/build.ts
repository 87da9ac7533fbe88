// Builds the dashboard into dashboard/dist: `npx tsx dashboard/build.ts`.
// The gateway serves dist/ as static files; nothing here runs on the server.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsmpegNoStyleInject } from './esbuild-plugins.ts';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const result = await build({
  entryPoints: [join(here, 'src', 'main.ts')],
  outdir: dist,
  entryNames: 'app',
  // The JSMpeg fallback player (about 120 kB) is a chunk of its own, loaded only when a
  // stream needs it (H.265 cameras, browsers without MediaSource).
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  plugins: [jsmpegNoStyleInject],
});

// The dashboard talks to the gateway over HTTP and WebSocket only; fail the build if
// server code slipped into the bundle.
const serverDirs = ['gateway/', 'firmware-bridge/', 'config/', 'common/'];
const leaked = Object.keys(result.metafile.inputs).filter((p) => serverDirs.some((d) => p.includes(d)));
if (leaked.length > 0) {
  console.error(`dashboard bundle imports server code: ${leaked.join(', ')}`);
  process.exit(1);
}

await Promise.all(['index.html', 'styles.css'].map((f) => copyFile(join(here, f), join(dist, f))));
const sizes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith('.js'))
  .map(([file, out]) => `${file.slice(file.lastIndexOf('dist/') + 5)} ${(out.bytes / 1024).toFixed(0)} kB`);
console.log(`dashboard built into ${dist} (${sizes.join(', ')})`);
