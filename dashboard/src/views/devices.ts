// The alarm-box list: every configured box, its state badge, strobe and siren, and a Reset.
import type { AlarmBox, ApiErrorBody, Device, Site } from '../api-types.ts';
import { toApiError } from '../api.ts';
import { ageText, errorText, local, statusLabel, t, timeText } from '../i18n.ts';
import { deviceStatus, secondsSince, type ViewModel } from '../state.ts';
import { h, reconcileChildren, setAttr, setClass, setText } from './dom.ts';

export interface DevicesView {
  el: HTMLElement;
  update: (view: ViewModel, nowMs: number) => void;
}

interface Row {
  el: HTMLElement;
  name: HTMLElement;
  location: HTMLElement;
  badge: HTMLElement;
  strobe: HTMLElement;
  siren: HTMLElement;
  lastSeen: HTMLTimeElement;
  faults: HTMLElement;
  reset: HTMLButtonElement;
  feedback: HTMLElement;
}

const DONE_SHOWN_MS = 5000;

interface Action {
  busy: boolean;
  error: ApiErrorBody | null;
  /** When a reset was accepted (ms), to show "done" for a few seconds. */
  doneAt: number | null;
}

export function createDevicesView(opts: {
  site: Site;
  reset: (boxId: string) => Promise<void>;
  changed: () => void;
  /** Reset of latched strobes and sirens needs boxes.reset; without it the button is not shown. */
  canReset?: boolean;
  /** The box picked on the plan, highlighted in the list. */
  selected?: () => string | null;
}): DevicesView {
  const heading = h('h2');
  const empty = h('p', { className: 'empty' });
  const list = h('ul', { className: 'device-list' });
  const el = h('section', { className: 'panel devices' }, h('div', { className: 'panel-head' }, heading), empty, list);

  const rows = new Map<string, Row>();
  const actions = new Map<string, Action>();

  const reset = (boxId: string): void => {
    if (actions.get(boxId)?.busy) return;
    actions.set(boxId, { busy: true, error: null, doneAt: null });
    opts.changed();
    opts.reset(boxId).then(
      () => actions.set(boxId, { busy: false, error: null, doneAt: Date.now() }),
      (err: unknown) => actions.set(boxId, { busy: false, error: toApiError(err), doneAt: null }),
    ).finally(opts.changed);
  };

  const indicator = (): HTMLElement => h('span', { className: 'indicator' });

  const createRow = (boxId: string): Row => {
    const name = h('span', { className: 'box-name' });
    const location = h('div', { className: 'location' });
    const badge = h('span', { className: 'status-badge' });
    const strobe = indicator();
    const siren = indicator();
    const lastSeen = h('time', { className: 'last-seen' });
    const faults = h('div', { className: 'faults' });
    const resetBtn = h('button', { className: 'secondary', attrs: { type: 'button', 'data-action': 'reset' } });
    resetBtn.hidden = opts.canReset === false;
    const feedback = h('p', { className: 'row-feedback', attrs: { role: 'status' } });
    resetBtn.addEventListener('click', () => reset(boxId));
    const el = h(
      'li',
      { attrs: { 'data-testid': 'device-row', 'data-box-id': boxId } },
      h('div', { className: 'device-main' }, h('div', { className: 'device-title' }, badge, name), location, faults),
      h('div', { className: 'device-outputs' }, strobe, siren),
      h('div', { className: 'device-side' }, lastSeen, resetBtn),
      feedback,
    );
    return { el, name, location, badge, strobe, siren, lastSeen, faults, reset: resetBtn, feedback };
  };

  const paintIndicator = (el: HTMLElement, label: string, on: boolean, known: boolean): void => {
    setText(el, `${label} ${known ? (on ? t('devices.on') : t('devices.off')) : '—'}`);
    setClass(el, `indicator${on ? ' on' : ''}`);
  };

  const paintRow = (row: Row, box: AlarmBox | undefined, boxId: string, dev: Device | undefined, nowMs: number): void => {
    const status = deviceStatus(dev);
    setClass(row.el, `device status-${status}${opts.selected?.() === boxId ? ' selected' : ''}`);
    setText(row.name, box ? local(box.name) : t('incidents.unknownBox', { id: boxId }));
    setText(row.location, box ? local(box.location.text) + (box.silent ? ` · ${t('devices.silent')}` : '') : '');
    setText(row.badge, statusLabel(status));
    setClass(row.badge, `status-badge status-${status}`);
    paintIndicator(row.strobe, t('devices.strobe'), dev?.outputs.strobe === true, dev !== undefined);
    paintIndicator(row.siren, t('devices.siren'), dev?.outputs.siren === true, dev !== undefined);
    if (dev?.lastSeen) {
      setText(row.lastSeen, t('devices.lastSeen', { age: ageText(secondsSince(dev.lastSeen, nowMs)) }));
      setAttr(row.lastSeen, 'datetime', dev.lastSeen);
      setAttr(row.lastSeen, 'title', timeText(dev.lastSeen));
    } else {
      setText(row.lastSeen, t('devices.never'));
    }
    const faults = dev?.faults ?? [];
    setText(row.faults, faults.length ? t('devices.faults', { list: faults.join(', ') }) : '');
    row.faults.hidden = faults.length === 0;

    const action = actions.get(boxId);
    row.reset.disabled = action?.busy === true;
    setText(row.reset, action?.busy ? t('devices.resetting') : t('devices.reset'));
    const feedback = action?.error ? errorText(action.error) : action?.doneAt != null && nowMs - action.doneAt < DONE_SHOWN_MS ? t('devices.resetDone') : '';
    setText(row.feedback, feedback);
    setClass(row.feedback, action?.error ? 'row-feedback row-error' : 'row-feedback row-ok');
    row.feedback.hidden = feedback === '';
  };

  const update = (view: ViewModel, nowMs: number): void => {
    setText(heading, t('devices.heading'));
    // Configured boxes in site order (operators learn positions), then any the gateway
    // reports that the site file does not know, so nothing is hidden.
    const ids = opts.site.boxes.map((b) => b.id);
    for (const id of view.devices.keys()) if (!ids.includes(id)) ids.push(id);
    empty.hidden = ids.length > 0;
    setText(empty, t('devices.empty'));

    const boxes = new Map(opts.site.boxes.map((b) => [b.id, b]));
    const ordered: HTMLElement[] = [];
    for (const id of ids) {
      let row = rows.get(id);
      if (!row) {
        row = createRow(id);
        rows.set(id, row);
      }
      paintRow(row, boxes.get(id), id, view.devices.get(id), nowMs);
      ordered.push(row.el);
    }
    reconcileChildren(list, ordered);
  };

  return { el, update };
}
