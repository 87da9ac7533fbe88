// Builds the dashboard into dashboard/dist: `npm run build:dashboard` (vite build).
// The gateway serves dist/ as static files; nothing here runs on the server.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { jsmpegNoStyleInject, noServerCode } from './vite-plugins.ts';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  // Relative URLs: the page works wherever the gateway (or a proxy in front of it) mounts it.
  base: './',
  // Copied as is: the patrol phone's notification service worker (notify-sw.js).
  publicDir: join(here, 'public'),
  clearScreen: false,
  logLevel: 'warn',
  plugins: [jsmpegNoStyleInject(), noServerCode(join(here, '..'))],
  build: {
    outDir: join(here, 'dist'),
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: true,
    // Nothing inlined as data: URLs; the CSP allows data: for images only, and we have none.
    assetsInlineLimit: 0,
    // The JSMpeg fallback player (about 125 kB) stays a chunk of its own, loaded only when a
    // stream needs it (H.265 cameras, browsers without MediaSource): video-tile.ts imports it
    // with import().
    chunkSizeWarningLimit: 200,
    modulePreload: { polyfill: false },
  },
  // For `npx vite --config dashboard/vite.config.ts` against a running gateway.
  server: {
    proxy: {
      '/api': { target: process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080', ws: true, changeOrigin: false },
    },
  },
});
