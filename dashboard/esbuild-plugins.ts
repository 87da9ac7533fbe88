// esbuild plugins for the dashboard bundle (used by build.ts and by the video e2e test).
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/**
 * @cycjimmy/jsmpeg-player injects a <style> for its own VideoElement wrapper when the module
 * loads. We use only JSMpeg's Player on our own canvas, and the page's CSP (style-src 'self')
 * would block the injected style and log a violation, so the call is removed at build time.
 * If a later version changes the line, nothing breaks: the CSP just blocks the style again.
 */
export const jsmpegNoStyleInject: Plugin = {
  name: 'jsmpeg-no-style-inject',
  setup(build) {
    build.onLoad({ filter: /@cycjimmy[\\/]jsmpeg-player[\\/]dist[\\/]jsmpeg-player\.esm\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replace(/^styleInject\(css_\w+\);$/m, ''), loader: 'js' };
    });
  },
};
