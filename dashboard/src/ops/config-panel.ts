// The running configuration (GET /api/config, secrets already removed by the gateway) as a
// collapsible tree, plus the raw JSON. Shown only to users with config.view.
import type { RunningConfig } from '../api-types.ts';
import { toApiError, type ApiError } from '../api.ts';
import { getLang, timeText } from '../i18n.ts';
import { h, setText } from '../views/dom.ts';
import { describeError, runningConfig } from './ops-api.ts';
import { ot } from './ops-strings.ts';

export interface ConfigPanel {
  el: HTMLElement;
  update: () => void;
}

const REDACTED = '[redacted]';

function leafText(v: unknown): { text: string; cls: string } {
  if (v === null) return { text: 'null', cls: 'ops-tree-null' };
  if (typeof v === 'string') return { text: v === REDACTED ? v : JSON.stringify(v), cls: v === REDACTED ? 'ops-tree-redacted' : 'ops-tree-string' };
  if (typeof v === 'number' || typeof v === 'boolean') return { text: String(v), cls: `ops-tree-${typeof v}` };
  return { text: String(v), cls: '' };
}

/** One node of the tree; objects and arrays fold, the top levels start open. */
export function renderTree(key: string | null, value: unknown, depth: number): HTMLElement {
  if (typeof value === 'object' && value !== null) {
    const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    const summary = h(
      'summary',
      {},
      h('span', { className: 'ops-tree-key', text: key ?? 'config' }),
      h('span', { className: 'ops-tree-count', text: ` ${Array.isArray(value) ? '[ ]' : '{ }'} ${ot('config.items', { n: entries.length })}` }),
    );
    const list = h('ul', { className: 'ops-tree-children' }, ...entries.map(([k, v]) => h('li', {}, renderTree(k, v, depth + 1))));
    const details = h('details', { className: 'ops-tree-node' }, summary, list);
    details.open = depth < 1;
    return details;
  }
  const leaf = leafText(value);
  return h(
    'div',
    { className: 'ops-tree-leaf' },
    h('span', { className: 'ops-tree-key', text: `${key ?? ''}: ` }),
    h('span', { className: `ops-tree-value ${leaf.cls}`, text: leaf.text }),
  );
}

export function createConfigPanel(opts: { changed: () => void; sessionEnded: (e: ApiError) => void }): ConfigPanel {
  let config: RunningConfig | null = null;
  let error: ApiError | null = null;
  let loading = false;
  let paintedFor: { config: RunningConfig; lang: string } | null = null;

  const heading = h('h2');
  const reload = h('button', { className: 'secondary', attrs: { type: 'button' } });
  const source = h('p', { className: 'ops-config-source' });
  const loadedAt = h('p', { className: 'ops-muted' });
  const status = h('p', { className: 'ops-muted' });
  const errorEl = h('p', { className: 'ops-error', attrs: { role: 'alert' } });
  const tree = h('div', { className: 'ops-tree' });
  const rawSummary = h('summary');
  const raw = h('pre', { className: 'ops-config-json' });
  const rawBox = h('details', { className: 'ops-config-raw' }, rawSummary, raw);
  const el = h(
    'section',
    { className: 'panel ops-config', attrs: { 'data-testid': 'running-config' } },
    h('div', { className: 'panel-head' }, heading, reload),
    source,
    loadedAt,
    status,
    errorEl,
    tree,
    rawBox,
  );

  const load = (): void => {
    if (loading) return;
    loading = true;
    opts.changed();
    runningConfig().then(
      (c) => {
        config = c;
        error = null;
      },
      (err: unknown) => {
        const e = toApiError(err);
        error = e;
        if (e.status === 401) opts.sessionEnded(e);
      },
    ).finally(() => {
      loading = false;
      opts.changed();
    });
  };
  reload.addEventListener('click', load);
  load();

  const update = (): void => {
    setText(heading, ot('config.heading'));
    setText(reload, ot('config.reload'));
    reload.disabled = loading;
    status.hidden = !loading;
    setText(status, ot('config.loading'));
    errorEl.hidden = error === null;
    setText(errorEl, error ? ot('config.error', { message: describeError(error) }) : '');
    setText(rawSummary, ot('config.json'));
    source.hidden = loadedAt.hidden = tree.hidden = rawBox.hidden = config === null;
    if (!config) return;
    setText(source, ot('config.source', { path: config.source }));
    setText(loadedAt, ot('config.loadedAt', { time: timeText(config.loadedAt) }));
    const lang = getLang();
    if (paintedFor?.config !== config || paintedFor.lang !== lang) {
      paintedFor = { config, lang };
      tree.replaceChildren(renderTree(null, config.config, 0));
      raw.textContent = JSON.stringify(config.config, null, 2);
    }
  };

  return { el, update };
}
