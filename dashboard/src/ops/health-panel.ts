// The gateway's own health, read from GET /api/health every five seconds while the page is open.
import type { GatewayHealth } from '../api-types.ts';
import { toApiError, type ApiError } from '../api.ts';
import { ageText, timeText } from '../i18n.ts';
import { h, setClass, setText } from '../views/dom.ts';
import { describeError, gatewayHealth } from './ops-api.ts';
import { bytesText, uptimeText } from './ops-logic.ts';
import { ot } from './ops-strings.ts';

export const HEALTH_POLL_MS = 5000;

export interface HealthPanel {
  el: HTMLElement;
  update: (nowMs: number) => void;
  dispose: () => void;
}

export function createHealthPanel(opts: { changed: () => void; sessionEnded: (e: ApiError) => void }): HealthPanel {
  let health: GatewayHealth | null = null;
  let receivedAtMs = 0;
  let error: ApiError | null = null;
  let inFlight = false;
  let stopped = false;

  const heading = h('h2');
  const overall = h('span', { className: 'ops-health-overall' });
  const updated = h('span', { className: 'ops-muted' });
  const status = h('p', { className: 'ops-muted' });
  const errorEl = h('p', { className: 'ops-error', attrs: { role: 'alert' } });
  const grid = h('dl', { className: 'ops-health-grid' });
  const el = h(
    'section',
    { className: 'panel ops-health', attrs: { 'data-testid': 'gateway-health' } },
    h('div', { className: 'panel-head' }, heading, h('div', { className: 'ops-head-side' }, overall, updated)),
    status,
    errorEl,
    grid,
  );

  const items = new Map<string, { dt: HTMLElement; dd: HTMLElement }>();
  const item = (key: string, label: string, value: string, bad = false): HTMLElement[] => {
    let it = items.get(key);
    if (!it) {
      it = { dt: h('dt'), dd: h('dd', { attrs: { 'data-item': key } }) };
      items.set(key, it);
    }
    setText(it.dt, label);
    setText(it.dd, value);
    setClass(it.dd, bad ? 'ops-bad' : '');
    return [it.dt, it.dd];
  };

  const poll = (): void => {
    if (inFlight || stopped) return;
    inFlight = true;
    gatewayHealth().then(
      (reply) => {
        health = reply;
        receivedAtMs = Date.now();
        error = null;
      },
      (err: unknown) => {
        const e = toApiError(err);
        error = e;
        if (e.status === 401) {
          stopped = true;
          clearInterval(timer);
          opts.sessionEnded(e);
        }
      },
    ).finally(() => {
      inFlight = false;
      if (!stopped) opts.changed();
    });
  };
  const timer = setInterval(poll, HEALTH_POLL_MS);
  poll();

  const update = (nowMs: number): void => {
    setText(heading, ot('health.heading'));
    setText(errorEl, error ? ot('health.error', { message: describeError(error) }) : '');
    errorEl.hidden = error === null;
    status.hidden = health !== null;
    setText(status, ot('health.loading'));
    if (!health) {
      overall.hidden = true;
      updated.hidden = true;
      grid.replaceChildren();
      return;
    }
    const hl = health;
    overall.hidden = false;
    updated.hidden = false;
    setText(overall, hl.ok ? ot('health.ok') : ot('health.notOk'));
    setClass(overall, `ops-health-overall ${hl.ok ? 'ops-good' : 'ops-bad'}`);
    setText(updated, ot('health.updated', { age: ageText(Math.max(0, Math.floor((nowMs - receivedAtMs) / 1000))) }));
    const nodes = [
      ...item('uptime', ot('health.uptime'), `${uptimeText(hl.uptimeS)} · ${ot('health.startedAt', { time: timeText(hl.startedAt) })}`),
      ...item('bridge', ot('health.bridge'), hl.bridge.connected ? ot('health.bridgeUp') : ot('health.bridgeDown'), !hl.bridge.connected),
      ...item(
        'devices',
        ot('health.devices'),
        `${hl.devices.online} / ${hl.devices.total}${hl.devices.inAlarm > 0 ? ` · ${ot('health.inAlarm', { n: hl.devices.inAlarm })}` : ''}`,
        hl.devices.online < hl.devices.total || hl.devices.inAlarm > 0,
      ),
      ...item('cameras', ot('health.cameras'), `${hl.cameras.online} / ${hl.cameras.total}`, hl.cameras.online < hl.cameras.total),
      ...item('incidents', ot('health.openIncidents'), String(hl.openIncidents), hl.openIncidents > 0),
      ...item('memory', ot('health.memory'), `${hl.process.rssMiB.toFixed(0)} MiB / ${hl.process.heapUsedMiB.toFixed(0)} MiB`),
      ...item('journal', ot('health.journal'), bytesText(hl.journal.bytes)),
      ...item('disk', ot('health.disk'), bytesText(hl.disk.freeBytes)),
    ];
    if (grid.childNodes.length !== nodes.length || nodes.some((n, i) => grid.childNodes[i] !== n)) grid.replaceChildren(...nodes);
  };

  return {
    el,
    update,
    dispose: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
