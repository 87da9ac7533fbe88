// Every alarm box and camera with its health, problems first (or by name), and per box a
// test button that opens a test window and shows its results as the feed reports them.
import type { AlarmBox, SiteCamera, Site } from '../api-types.ts';
import { toApiError, type ApiError } from '../api.ts';
import { ageText, cameraStateLabel, getLang, local, statusLabel } from '../i18n.ts';
import { secondsSince, type ViewModel } from '../state.ts';
import { h, reconcileChildren, setAttr, setClass, setText } from '../views/dom.ts';
import { describeError, startBoxTest } from './ops-api.ts';
import {
  eventKey,
  healthRows,
  isProblem,
  remainingS,
  sortRows,
  TEST_DEFAULT_S,
  TEST_MAX_S,
  TEST_MIN_S,
  testDurationS,
  testResults,
  type HealthRow,
  type SortKey,
  type TestWindow,
} from './ops-logic.ts';
import { ot } from './ops-strings.ts';

export interface DeviceHealthList {
  el: HTMLElement;
  update: (model: ViewModel, nowMs: number) => void;
}

interface Row {
  el: HTMLElement;
  kind: HTMLElement;
  badge: HTMLElement;
  name: HTMLElement;
  location: HTMLElement;
  details: HTMLElement;
  lastSeen: HTMLTimeElement;
  test: { duration: HTMLInputElement; label: HTMLElement; button: HTMLButtonElement; results: HTMLElement } | null;
}

interface TestState {
  busy: boolean;
  error: string | null;
  window: TestWindow | null;
}

function clockText(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleTimeString(getLang() === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false });
}

export function createDeviceHealthList(opts: {
  site: Site;
  canTest: boolean;
  changed: () => void;
  sessionEnded: (e: ApiError) => void;
}): DeviceHealthList {
  const boxes = new Map<string, AlarmBox>(opts.site.boxes.map((b) => [b.id, b]));
  const cameras = new Map<string, SiteCamera>(opts.site.cameras.map((c) => [c.id, c]));
  let sortBy: SortKey = 'status';
  /** The feed's recent device events at the latest repaint, for a test's baseline. */
  let lastEvents: ViewModel['recentEvents'] = [];

  const heading = h('h2');
  const summary = h('span', { className: 'count' });
  const sortLabel = h('span', { className: 'ops-muted' });
  const sortStatus = h('button', { className: 'secondary', attrs: { type: 'button', 'data-sort': 'status' } });
  const sortName = h('button', { className: 'secondary', attrs: { type: 'button', 'data-sort': 'name' } });
  const empty = h('p', { className: 'empty' });
  const list = h('ul', { className: 'ops-device-list' });
  const el = h(
    'section',
    { className: 'panel ops-devices' },
    h('div', { className: 'panel-head' }, heading, summary),
    h('div', { className: 'ops-sort', attrs: { role: 'group' } }, sortLabel, sortStatus, sortName),
    empty,
    list,
  );
  for (const [btn, key] of [[sortStatus, 'status'], [sortName, 'name']] as const) {
    btn.addEventListener('click', () => {
      sortBy = key;
      opts.changed();
    });
  }

  const rows = new Map<string, Row>();
  const tests = new Map<string, TestState>();

  const nameOf = (row: HealthRow): string => {
    if (row.kind === 'box') {
      const b = boxes.get(row.id);
      return b ? local(b.name) : ot('unknown', { id: row.id });
    }
    const c = cameras.get(row.id);
    return c ? local(c.name) : ot('unknown', { id: row.id });
  };

  const runTest = (boxId: string, row: Row): void => {
    if (!row.test || tests.get(boxId)?.busy) return;
    const seconds = testDurationS(row.test.duration.value);
    if (seconds === null) {
      tests.set(boxId, { busy: false, error: ot('test.badDuration', { min: TEST_MIN_S, max: TEST_MAX_S }), window: tests.get(boxId)?.window ?? null });
      opts.changed();
      return;
    }
    const baseline = new Set(lastEvents.map(eventKey));
    tests.set(boxId, { busy: true, error: null, window: null });
    opts.changed();
    startBoxTest(boxId, seconds * 1000).then(
      () => tests.set(boxId, { busy: false, error: null, window: { boxId, durationMs: seconds * 1000, startedAtMs: Date.now(), baseline } }),
      (err: unknown) => {
        const e = toApiError(err);
        if (e.status === 401) opts.sessionEnded(e);
        tests.set(boxId, { busy: false, error: ot('test.error', { message: describeError(e) }), window: null });
      },
    ).finally(opts.changed);
  };

  const createRow = (row: HealthRow): Row => {
    const kind = h('span', { className: 'ops-kind' });
    const badge = h('span', { className: 'status-badge' });
    const name = h('span', { className: 'ops-name' });
    const location = h('span', { className: 'location' });
    const details = h('div', { className: 'ops-details' });
    const lastSeen = h('time', { className: 'last-seen' });
    const el = h(
      'li',
      { attrs: { 'data-device-id': row.id, 'data-device-kind': row.kind } },
      h('div', { className: 'ops-row-main' }, h('div', { className: 'ops-row-title' }, badge, name, kind), location, details),
      lastSeen,
    );
    const r: Row = { el, kind, badge, name, location, details, lastSeen, test: null };
    if (row.kind === 'box' && opts.canTest) {
      const inputId = `ops-test-${row.id}`;
      const label = h('label', { attrs: { for: inputId } });
      const duration = h('input', {
        className: 'ops-test-duration',
        attrs: { id: inputId, type: 'number', min: String(TEST_MIN_S), max: String(TEST_MAX_S), step: '1', inputmode: 'numeric', 'data-field': 'duration' },
      });
      duration.value = String(TEST_DEFAULT_S);
      const button = h('button', { className: 'secondary', attrs: { type: 'button', 'data-action': 'test' } });
      const results = h('div', { className: 'ops-test-results', attrs: { role: 'status', 'aria-live': 'polite' } });
      button.addEventListener('click', () => runTest(row.id, r));
      el.append(h('div', { className: 'ops-test' }, label, duration, button), results);
      r.test = { duration, label, button, results };
    }
    return r;
  };

  const paintTest = (row: Row, boxId: string, model: ViewModel, nowMs: number): void => {
    if (!row.test) return;
    const state = tests.get(boxId);
    setText(row.test.label, ot('test.duration'));
    row.test.button.disabled = state?.busy === true;
    setText(row.test.button, state?.busy ? ot('test.busy') : ot('test.button'));
    const lines: Array<{ text: string; cls: string }> = [];
    if (state?.error) lines.push({ text: state.error, cls: 'ops-error' });
    if (state?.window) {
      const left = remainingS(state.window, nowMs);
      const res = testResults(model.recentEvents, state.window);
      lines.push({ text: left > 0 ? ot('test.running', { n: left }) : ot('test.over'), cls: left > 0 ? 'ops-test-open' : 'ops-muted' });
      if (res.started) {
        const by = typeof (res.started.detail as { by?: unknown } | null)?.by === 'string' ? String((res.started.detail as { by: string }).by) : '—';
        lines.push({ text: ot('test.started', { time: clockText(res.started.at), by }), cls: 'ops-muted' });
      }
      for (const p of res.presses) lines.push({ text: ot('test.press', { time: clockText(p.at) }), cls: 'ops-good' });
      if (res.presses.length === 0) lines.push({ text: ot('test.noPress'), cls: 'ops-muted' });
      if (res.ended) lines.push({ text: ot('test.ended', { time: clockText(res.ended.at) }), cls: 'ops-muted' });
    }
    const sig = lines.map((l) => `${l.cls}|${l.text}`).join('\n');
    if (row.test.results.getAttribute('data-painted') !== sig) {
      row.test.results.setAttribute('data-painted', sig);
      row.test.results.replaceChildren(...lines.map((l) => h('p', { className: l.cls, text: l.text })));
    }
    row.test.results.hidden = lines.length === 0;
  };

  const paintRow = (row: Row, hr: HealthRow, model: ViewModel, nowMs: number): void => {
    setClass(row.el, `ops-device ops-kind-${hr.kind} ops-status-${hr.status}${isProblem(hr) ? ' ops-problem' : ''}`);
    setAttr(row.el, 'data-status', hr.status);
    setText(row.kind, hr.kind === 'box' ? ot('kind.box') : ot('kind.camera'));
    setText(row.name, nameOf(hr));
    const details: string[] = [];
    if (hr.kind === 'box') {
      setText(row.badge, statusLabel(hr.status));
      setClass(row.badge, `status-badge status-${hr.status}`);
      const box = boxes.get(hr.id);
      setText(row.location, box ? local(box.location.text) : '');
      const d = hr.device;
      if (d) {
        if (d.latched) details.push(ot('box.latched'));
        if (d.pressed) details.push(ot('box.pressed'));
        if (d.tamper) details.push(ot('box.tamper'));
        if (d.faults.length > 0) details.push(ot('box.faults', { list: d.faults.join(', ') }));
        details.push(ot('box.strobe', { state: d.outputs.strobe ? ot('on') : ot('off') }));
        details.push(ot('box.siren', { state: d.outputs.siren ? ot('on') : ot('off') }));
      }
      if (hr.lastSeen) {
        setText(row.lastSeen, ot('lastSeen', { age: ageText(secondsSince(hr.lastSeen, nowMs)) }));
        setAttr(row.lastSeen, 'datetime', hr.lastSeen);
      } else {
        setText(row.lastSeen, ot('never'));
      }
      paintTest(row, hr.id, model, nowMs);
    } else {
      setText(row.badge, cameraStateLabel(hr.status));
      setClass(row.badge, `badge camera-state-${hr.status}`);
      setText(row.location, '');
      if (hr.camera?.reason && hr.status !== 'online') details.push(ot('camera.reason', { reason: hr.camera.reason }));
      if (hr.lastSeen) {
        setText(row.lastSeen, ot('camera.since', { age: ageText(secondsSince(hr.lastSeen, nowMs)) }));
        setAttr(row.lastSeen, 'datetime', hr.lastSeen);
      } else {
        setText(row.lastSeen, '—');
      }
    }
    row.location.hidden = row.location.textContent === '';
    setText(row.details, details.join(' · '));
    row.details.hidden = details.length === 0;
  };

  const update = (model: ViewModel, nowMs: number): void => {
    lastEvents = model.recentEvents;
    setText(heading, ot('devices.heading'));
    setText(sortLabel, ot('devices.sort'));
    setText(sortStatus, ot('devices.sortStatus'));
    setText(sortName, ot('devices.sortName'));
    setAttr(sortStatus, 'aria-pressed', String(sortBy === 'status'));
    setAttr(sortName, 'aria-pressed', String(sortBy === 'name'));

    const all = sortRows(healthRows(opts.site, model.devices, model.cameras), sortBy, nameOf);
    const problems = all.filter(isProblem).length;
    setText(summary, !model.ready ? ot('devices.waiting') : problems > 0 ? ot('devices.problems', { n: problems }) : ot('devices.allGood'));
    setClass(summary, model.ready && problems > 0 ? 'count has-open' : 'count');
    empty.hidden = all.length > 0;
    setText(empty, ot('devices.waiting'));

    const ordered: HTMLElement[] = [];
    for (const hr of all) {
      const key = `${hr.kind}:${hr.id}`;
      let row = rows.get(key);
      if (!row) {
        row = createRow(hr);
        rows.set(key, row);
      }
      paintRow(row, hr, model, nowMs);
      ordered.push(row.el);
    }
    reconcileChildren(list, ordered);
  };

  return { el, update };
}
