// The live incident list: open incidents first, most urgent on top, coloured by priority.
import type { AlarmBox, ApiErrorBody, Incident, Site } from '../api-types.ts';
import { toApiError } from '../api.ts';
import { ageText, errorText, kindLabel, local, priorityLabel, stateLabel, t, timeText } from '../i18n.ts';
import { isOpen, needsAttention, openIncidentCount, secondsSince, sortedIncidents, type ViewModel } from '../state.ts';
import { h, reconcileChildren, setAttr, setClass, setText } from './dom.ts';

/** Matches the alarm-flash animation in styles.css. */
const FLASH_PERIOD_MS = 1000;

export interface IncidentsView {
  el: HTMLElement;
  update: (view: ViewModel, nowMs: number) => void;
}

interface Row {
  el: HTMLElement;
  priority: HTMLElement;
  name: HTMLElement;
  kind: HTMLElement;
  location: HTMLElement;
  state: HTMLElement;
  age: HTMLTimeElement;
  id: HTMLElement;
  ack: HTMLButtonElement;
  error: HTMLElement;
}

interface Action {
  busy: boolean;
  error: ApiErrorBody | null;
}

export function createIncidentsView(opts: {
  site: Site;
  acknowledge: (incidentId: string) => Promise<void>;
  /** Called when an action finishes so the page repaints. */
  changed: () => void;
  /** Whether this user may acknowledge (the server checks anyway). */
  canAcknowledge?: boolean;
  /** A row was clicked: the console shows that incident in its detail panel. */
  select?: (incidentId: string) => void;
  /** The incident shown in the detail panel, highlighted in the list. */
  selected?: () => string | null;
}): IncidentsView {
  const boxes = new Map<string, AlarmBox>(opts.site.boxes.map((b) => [b.id, b]));
  const heading = h('h2');
  const count = h('span', { className: 'count' });
  const list = h('ol', { className: 'incident-list', attrs: { 'aria-live': 'polite' } });
  const empty = h('p', { className: 'empty' });
  const el = h('section', { className: 'panel incidents' }, h('div', { className: 'panel-head' }, heading, count), empty, list);

  const rows = new Map<string, Row>();
  const actions = new Map<string, Action>();

  const acknowledge = (id: string): void => {
    const current = actions.get(id);
    if (current?.busy) return;
    actions.set(id, { busy: true, error: null });
    opts.changed();
    opts.acknowledge(id).then(
      // The button goes away when the feed brings the acknowledged state.
      () => actions.set(id, { busy: false, error: null }),
      (err: unknown) => actions.set(id, { busy: false, error: toApiError(err) }),
    ).finally(opts.changed);
  };

  const createRow = (incidentId: string): Row => {
    const priority = h('span', { className: 'prio-tag' });
    const name = h('span', { className: 'box-name' });
    const kind = h('span', { className: 'kind' });
    const location = h('div', { className: 'location' });
    const state = h('span', { className: 'state-badge' });
    const age = h('time', { className: 'age' });
    const id = h('span', { className: 'incident-id' });
    const ack = h('button', { className: 'primary ack', attrs: { type: 'button', 'data-action': 'acknowledge' } });
    const error = h('p', { className: 'row-error', attrs: { role: 'alert' } });
    ack.addEventListener('click', (ev) => {
      ev.stopPropagation();
      acknowledge(incidentId);
    });
    const el = h(
      'li',
      { attrs: { 'data-testid': 'incident-row', 'data-incident-id': incidentId } },
      h(
        'div',
        { className: 'incident-main' },
        h('div', { className: 'incident-title' }, priority, name, kind),
        location,
        h('div', { className: 'incident-meta' }, state, age, id),
      ),
      h('div', { className: 'incident-actions' }, ack),
      error,
    );
    if (opts.select) {
      const select = opts.select;
      el.tabIndex = 0;
      el.addEventListener('click', () => select(incidentId));
      el.addEventListener('keydown', (ev) => {
        if (ev.target === el && (ev.key === 'Enter' || ev.key === ' ')) {
          ev.preventDefault();
          select(incidentId);
        }
      });
    }
    return { el, priority, name, kind, location, state, age, id, ack, error };
  };

  const paintRow = (row: Row, inc: Incident, nowMs: number): void => {
    const box = boxes.get(inc.boxId);
    const open = isOpen(inc);
    if (needsAttention(inc) && !row.el.classList.contains('attention')) {
      // Several alarms flash in step, not each from the moment it arrived.
      row.el.style.animationDelay = `-${Math.round(performance.now() % FLASH_PERIOD_MS)}ms`;
    }
    setClass(
      row.el,
      `incident prio-${inc.priority} state-${inc.state}${open ? '' : ' finished'}${needsAttention(inc) ? ' attention' : ''}${opts.selected?.() === inc.id ? ' selected' : ''}`,
    );
    setText(row.priority, priorityLabel(inc.priority));
    setText(row.name, box ? local(box.name) : t('incidents.unknownBox', { id: inc.boxId }));
    setText(row.kind, kindLabel(inc.kind));
    setText(row.location, box ? local(box.location.text) : '');
    setText(row.state, stateLabel(inc.state));
    setClass(row.state, `state-badge state-${inc.state}`);
    setText(row.age, ageText(secondsSince(inc.openedAt, nowMs)));
    setAttr(row.age, 'datetime', inc.openedAt);
    setAttr(row.age, 'title', timeText(inc.openedAt));
    setText(row.id, inc.id);

    const action = actions.get(inc.id);
    setAttr(row.el, 'data-state', inc.state);
    setAttr(row.el, 'aria-selected', opts.selected?.() === inc.id ? 'true' : 'false');
    const canAck = inc.state === 'new' && opts.canAcknowledge !== false;
    row.ack.hidden = !canAck;
    row.ack.disabled = !canAck || action?.busy === true;
    setText(row.ack, action?.busy ? t('incidents.acknowledging') : t('incidents.acknowledge'));
    setText(row.error, action?.error ? errorText(action.error) : '');
    row.error.hidden = !action?.error;
  };

  const update = (view: ViewModel, nowMs: number): void => {
    setText(heading, t('incidents.heading'));
    const open = openIncidentCount(view);
    setText(count, open > 0 ? t('incidents.openCount', { n: open }) : '');
    setClass(count, open > 0 ? 'count has-open' : 'count');

    const incidents = sortedIncidents(view);
    empty.hidden = incidents.length > 0;
    setText(empty, view.ready ? t('incidents.empty') : t('incidents.waiting'));

    const ordered: HTMLElement[] = [];
    const seen = new Set<string>();
    for (const inc of incidents) {
      let row = rows.get(inc.id);
      if (!row) {
        row = createRow(inc.id);
        rows.set(inc.id, row);
      }
      paintRow(row, inc, nowMs);
      ordered.push(row.el);
      seen.add(inc.id);
    }
    for (const id of rows.keys()) {
      if (!seen.has(id)) {
        rows.delete(id);
        actions.delete(id);
      }
    }
    reconcileChildren(list, ordered);
  };

  return { el, update };
}
