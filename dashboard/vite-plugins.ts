// Rolldown/Vite plugins for the dashboard build (dashboard/vite.config.ts).
import { relative, sep } from 'node:path';
import type { Plugin } from 'vite';

/** The repository's server-side folders; none of their code may end up in the browser bundle. */
export const SERVER_DIRS = ['gateway', 'firmware-bridge', 'config', 'common'] as const;

/**
 * The module ids (absolute paths, possibly with a query or a \0 prefix for virtual modules)
 * that live in a server folder of the repository at `repoRoot`. Pure, for the tests.
 */
export function serverModules(moduleIds: Iterable<string>, repoRoot: string): string[] {
  const leaked: string[] = [];
  for (const id of moduleIds) {
    if (id.startsWith('\0')) continue;
    const path = id.split('?')[0]!;
    const rel = relative(repoRoot, path).split(sep).join('/');
    if (rel.startsWith('..') || rel.startsWith('/')) continue;
    if (SERVER_DIRS.some((d) => rel === d || rel.startsWith(`${d}/`))) leaked.push(rel);
  }
  return leaked;
}

/**
 * The dashboard talks to the gateway over HTTP and WebSocket only: fail the build when a
 * module from gateway/, firmware-bridge/, config/ or common/ is bundled.
 */
export function noServerCode(repoRoot: string): Plugin {
  return {
    name: 'dashboard-no-server-code',
    apply: 'build',
    generateBundle(_options, bundle) {
      const ids = new Set<string>();
      for (const out of Object.values(bundle)) if (out.type === 'chunk') for (const id of out.moduleIds) ids.add(id);
      const leaked = serverModules(ids, repoRoot);
      if (leaked.length > 0) this.error(`dashboard bundle imports server code: ${leaked.join(', ')}`);
    },
  };
}

/** The file of @cycjimmy/jsmpeg-player that the dashboard imports. */
export const JSMPEG_FILE = /@cycjimmy[\\/]jsmpeg-player[\\/]dist[\\/]jsmpeg-player\.esm\.js$/;

/**
 * @cycjimmy/jsmpeg-player injects a <style> for its own VideoElement wrapper when the module
 * loads. We use only JSMpeg's Player on our own canvas, and the page's CSP (style-src 'self')
 * would block the injected style and log a violation, so the call is removed at build time.
 * If a later version changes the line, nothing breaks: the CSP just blocks the style again.
 */
export function stripJsmpegStyleInject(source: string): string {
  return source.replace(/^styleInject\(css_\w+\);$/m, '');
}

export function jsmpegNoStyleInject(): Plugin {
  return {
    name: 'jsmpeg-no-style-inject',
    transform: {
      filter: { id: JSMPEG_FILE },
      handler(code) {
        return { code: stripJsmpegStyleInject(code), map: null };
      },
    },
  };
}
