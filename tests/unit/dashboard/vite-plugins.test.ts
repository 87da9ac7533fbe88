import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JSMPEG_FILE, serverModules, stripJsmpegStyleInject } from '../../../dashboard/vite-plugins.ts';

const ROOT = '/repo';

describe('dashboard build guards', () => {
  it('finds modules from the server folders and nothing else', () => {
    const ids = [
      join(ROOT, 'dashboard/src/main.ts'),
      join(ROOT, 'common/coded-error.ts'),
      join(ROOT, 'gateway/api/server.ts?used'),
      join(ROOT, 'firmware-bridge/link/types.ts'),
      join(ROOT, 'config/schema.ts'),
      join(ROOT, 'node_modules/some-lib/config/index.js'),
      join(ROOT, 'dashboard/src/config-view.ts'),
      '\0vite/preload-helper.js',
      '/elsewhere/gateway/x.ts',
    ];
    expect(serverModules(ids, ROOT)).toEqual(['common/coded-error.ts', 'gateway/api/server.ts', 'firmware-bridge/link/types.ts', 'config/schema.ts']);
    expect(serverModules([join(ROOT, 'dashboard/src/state.ts')], ROOT)).toEqual([]);
  });

  it('drops the JSMpeg package style injection line and leaves the rest', () => {
    const source = 'function styleInject(css) { /* ... */ }\nvar css_248z = ".jsmpeg{}";\nstyleInject(css_248z);\nexport default 1;\n';
    const out = stripJsmpegStyleInject(source);
    expect(out).not.toMatch(/^styleInject\(css_248z\);$/m);
    expect(out).toContain('function styleInject(css)');
    expect(out).toContain('export default 1;');
    expect(JSMPEG_FILE.test('/x/node_modules/@cycjimmy/jsmpeg-player/dist/jsmpeg-player.esm.js')).toBe(true);
    expect(JSMPEG_FILE.test('/x/node_modules/@cycjimmy/jsmpeg-player/dist/jsmpeg-player.umd.js')).toBe(false);
  });
});
