// The incident detail panel on the console: what happened where, how long acknowledging and
// arriving took against the site's targets, the next steps this user may take (acknowledge,
// dispatch to a patrol team, follow accept / on the way / on scene, resolve, close, cancel with a
// reason), and the timeline of every step with who and when.
import type { ApiErrorBody, CancelReason, Incident, Site } from '../api-types.ts';
import { toApiError, type IncidentActionBody } from '../api.ts';
import { availableActions, dispatchedTeam, type IncidentAction } from '../incident-actions.ts';
import { durationText, incidentTiming, type Timing } from '../incident-timing.ts';
import { errorText, kindLabel, local, priorityLabel, reasonLabel, stateLabel, stepLabel, t, timeText } from '../i18n.ts';
import type { Can } from '../permissions.ts';
import { isOpen, type ViewModel } from '../state.ts';
import { h, reconcileChildren, setAttr, setClass, setText } from './dom.ts';

const REASONS: readonly CancelReason[] = ['false_alarm', 'drill', 'test', 'other'];
const NOTE_MAX = 1000;

export interface IncidentDetailView {
  el: HTMLElement;
  update: (view: ViewModel, nowMs: number) => void;
}

export interface IncidentDetailOptions {
  site: Site;
  can: Can;
  /** The selected incident id, or null. */
  selectedIncident: () => string | null;
  /** A box picked on the plan that has no open incident. */
  selectedBox: () => string | null;
  act: (incidentId: string, body: IncidentActionBody) => Promise<unknown>;
  /** Brings the incident's live video and intercom up in the alarm panel. */
  showVideo: (incidentId: string) => void;
  changed: () => void;
}

interface Pending {
  incidentId: string;
  action: IncidentAction;
}

export function createIncidentDetail(opts: IncidentDetailOptions): IncidentDetailView {
  const { site } = opts;
  const teamName = (id: string): string => {
    const team = site.patrolTeams.find((x) => x.id === id);
    return team ? local(team.name) : id;
  };

  const heading = h('h2');
  const empty = h('p', { className: 'empty' });
  const prio = h('span', { className: 'prio-tag' });
  const boxName = h('span', { className: 'detail-box' });
  const kind = h('span', { className: 'kind' });
  const stateBadge = h('span', { className: 'state-badge', attrs: { 'data-testid': 'detail-state' } });
  const where = h('p', { className: 'location' });
  const meta = h('p', { className: 'detail-meta' });
  const team = h('p', { className: 'detail-team', attrs: { 'data-testid': 'detail-team' } });

  const timingRow = (testid: string) => {
    const label = h('span', { className: 'timing-label' });
    const value = h('span', { className: 'timing-value' });
    const target = h('span', { className: 'timing-target' });
    const el = h('div', { className: 'timing', attrs: { 'data-testid': testid } }, label, value, target);
    return { el, label, value, target };
  };
  const ackTiming = timingRow('time-to-acknowledge');
  const arriveTiming = timingRow('time-to-arrive');

  const videoBtn = h('button', { className: 'secondary', attrs: { type: 'button', 'data-action': 'video' } });

  // Actions. Each button carries data-action; the inputs carry data-testid.
  const button = (action: IncidentAction, cls = 'secondary'): HTMLButtonElement =>
    h('button', { className: `${cls} detail-action`, attrs: { type: 'button', 'data-action': action } });
  const ackBtn = button('acknowledge', 'primary');
  const teamSelect = h('select', { attrs: { 'data-testid': 'dispatch-team', name: 'team' } });
  const dispatchBtn = button('dispatch', 'primary');
  const dispatchBox = h('div', { className: 'action-group', attrs: { 'data-group': 'dispatch' } }, teamSelect, dispatchBtn);
  const acceptBtn = button('accept');
  const enRouteBtn = button('en-route');
  const onSceneBtn = button('on-scene');
  const followBox = h('div', { className: 'action-group', attrs: { 'data-group': 'follow' } }, acceptBtn, enRouteBtn, onSceneBtn);
  const noteInput = (testid: string): HTMLInputElement =>
    h('input', { className: 'note-input', attrs: { type: 'text', maxlength: String(NOTE_MAX), 'data-testid': testid } });
  const resolveNote = noteInput('resolve-note');
  const resolveBtn = button('resolve', 'primary');
  const resolveBox = h('div', { className: 'action-group', attrs: { 'data-group': 'resolve' } }, resolveNote, resolveBtn);
  const closeNote = noteInput('close-note');
  const closeBtn = button('close', 'primary');
  const closeBox = h('div', { className: 'action-group', attrs: { 'data-group': 'close' } }, closeNote, closeBtn);
  const cancelReason = h('select', { attrs: { 'data-testid': 'cancel-reason', name: 'reason' } });
  const cancelNote = noteInput('cancel-note');
  const cancelBtn = button('cancel', 'danger');
  const cancelBox = h('div', { className: 'action-group', attrs: { 'data-group': 'cancel' } }, cancelReason, cancelNote, cancelBtn);
  const actionError = h('p', { className: 'row-error', attrs: { role: 'alert', 'data-testid': 'detail-error' } });
  const actionsEl = h('div', { className: 'detail-actions' }, ackBtn, dispatchBox, followBox, resolveBox, closeBox, cancelBox, actionError);

  const timelineHeading = h('h3');
  const timeline = h('ol', { className: 'timeline', attrs: { 'data-testid': 'timeline' } });

  const body = h(
    'div',
    { className: 'detail-body' },
    h('div', { className: 'incident-title' }, prio, boxName, kind, stateBadge),
    where,
    meta,
    team,
    h('div', { className: 'timings' }, ackTiming.el, arriveTiming.el),
    videoBtn,
    actionsEl,
    timelineHeading,
    timeline,
  );
  const el = h(
    'section',
    { className: 'panel incident-detail', attrs: { 'data-testid': 'incident-detail', 'aria-live': 'polite' } },
    h('div', { className: 'panel-head' }, heading),
    empty,
    body,
  );

  let current: Incident | null = null;
  let pending: Pending | null = null;
  let error: { incidentId: string; err: ApiErrorBody } | null = null;
  let paintedLang = '';

  const fillSelects = (): void => {
    const keepTeam = teamSelect.value;
    teamSelect.replaceChildren(
      h('option', { text: t('detail.chooseTeam'), attrs: { value: '' } }),
      ...site.patrolTeams.map((x) => h('option', { text: local(x.name), attrs: { value: x.id } })),
    );
    teamSelect.value = keepTeam;
    const keepReason = cancelReason.value || 'false_alarm';
    cancelReason.replaceChildren(...REASONS.map((r) => h('option', { text: reasonLabel(r), attrs: { value: r } })));
    cancelReason.value = keepReason;
  };

  const run = (action: IncidentAction, make: () => IncidentActionBody | ApiErrorBody): void => {
    const inc = current;
    if (!inc || pending) return;
    const made = make();
    if ('code' in made) {
      error = { incidentId: inc.id, err: made };
      opts.changed();
      return;
    }
    pending = { incidentId: inc.id, action };
    error = null;
    opts.changed();
    opts.act(inc.id, made).then(
      () => {
        // The feed brings the new state; clear what was typed for this step.
        if (action === 'resolve') resolveNote.value = '';
        if (action === 'close') closeNote.value = '';
        if (action === 'cancel') cancelNote.value = '';
      },
      (err: unknown) => {
        error = { incidentId: inc.id, err: toApiError(err) };
      },
    ).finally(() => {
      pending = null;
      opts.changed();
    });
  };
  const needNote = (input: HTMLInputElement): string | ApiErrorBody => {
    const note = input.value.trim();
    return note ? note : { code: 'NOTE_REQUIRED', message: t('detail.noteRequired') };
  };

  ackBtn.addEventListener('click', () => run('acknowledge', () => ({ action: 'acknowledge' })));
  dispatchBtn.addEventListener('click', () =>
    run('dispatch', () => (teamSelect.value ? { action: 'dispatch', team: teamSelect.value } : { code: 'TEAM_REQUIRED', message: t('detail.teamRequired') })),
  );
  acceptBtn.addEventListener('click', () => run('accept', () => ({ action: 'accept' })));
  enRouteBtn.addEventListener('click', () => run('en-route', () => ({ action: 'en-route' })));
  onSceneBtn.addEventListener('click', () => run('on-scene', () => ({ action: 'on-scene' })));
  resolveBtn.addEventListener('click', () =>
    run('resolve', () => {
      const n = needNote(resolveNote);
      return typeof n === 'string' ? { action: 'resolve', note: n } : n;
    }),
  );
  closeBtn.addEventListener('click', () =>
    run('close', () => {
      const n = needNote(closeNote);
      return typeof n === 'string' ? { action: 'close', note: n } : n;
    }),
  );
  cancelBtn.addEventListener('click', () =>
    run('cancel', () => {
      const n = needNote(cancelNote);
      return typeof n === 'string' ? { action: 'cancel', reason: cancelReason.value as CancelReason, note: n } : n;
    }),
  );
  videoBtn.addEventListener('click', () => {
    if (current) opts.showVideo(current.id);
  });

  const paintTiming = (row: ReturnType<typeof timingRow>, label: string, timing: Timing): void => {
    setText(row.label, label);
    const value = timing.phase === 'none' ? t('detail.notReached') : durationText(timing.seconds);
    setText(row.value, timing.phase === 'running' ? `${value} · ${t('detail.running')}` : value);
    setText(row.target, `${t('detail.target', { t: durationText(timing.targetS) })}${timing.over ? ` · ${t('detail.over')}` : ''}`);
    setClass(row.el, `timing phase-${timing.phase}${timing.over ? ' over' : ''}`);
    setAttr(row.el, 'data-phase', timing.phase);
    setAttr(row.el, 'data-over', String(timing.over));
    setAttr(row.el, 'data-seconds', timing.seconds === null ? '' : String(timing.seconds));
  };

  const paintTimeline = (inc: Incident): void => {
    // Steps only ever grow; rebuild when the count or the language changes, not every second.
    const key = `${inc.id}:${inc.steps.length}:${paintedLang}`;
    if (timeline.dataset.key === key) return;
    timeline.dataset.key = key;
    const items = inc.steps.map((step) => {
      const when = h('time', { className: 'step-at', text: timeText(step.at), attrs: { datetime: step.at } });
      const what = h('span', { className: 'step-action', text: stepLabel(step.action) });
      const who = h('span', { className: 'step-by', text: step.by });
      const extra: HTMLElement[] = [];
      if (step.team) extra.push(h('span', { className: 'step-team', text: t('detail.stepTeam', { team: teamName(step.team) }) }));
      if (step.reason) {
        const known = (REASONS as readonly string[]).includes(step.reason);
        extra.push(h('span', { className: 'step-reason', text: t('detail.stepReason', { reason: known ? reasonLabel(step.reason as CancelReason) : step.reason }) }));
      }
      if (step.note) extra.push(h('span', { className: 'step-note', text: step.note }));
      return h(
        'li',
        { className: `step step-${step.action}`, attrs: { 'data-testid': 'timeline-entry', 'data-step-action': step.action } },
        when,
        what,
        who,
        ...extra,
      );
    });
    reconcileChildren(timeline, items);
  };

  /** What was typed for one incident does not carry over to the next. */
  let shownId: string | null = null;
  const switchTo = (id: string | null): void => {
    if (id === shownId) return;
    shownId = id;
    for (const input of [resolveNote, closeNote, cancelNote]) input.value = '';
    teamSelect.value = '';
    cancelReason.value = 'false_alarm';
  };

  return {
    el,
    update: (view, nowMs) => {
      const lang = t('detail.heading');
      if (lang !== paintedLang) {
        paintedLang = lang;
        fillSelects();
        resolveNote.placeholder = t('detail.notePlaceholder');
        closeNote.placeholder = t('detail.notePlaceholder');
        cancelNote.placeholder = t('detail.notePlaceholder');
        resolveNote.setAttribute('aria-label', t('detail.note'));
        closeNote.setAttribute('aria-label', t('detail.note'));
        cancelNote.setAttribute('aria-label', t('detail.note'));
        teamSelect.setAttribute('aria-label', t('detail.team'));
        cancelReason.setAttribute('aria-label', t('detail.reason'));
      }
      setText(heading, t('detail.heading'));
      const id = opts.selectedIncident();
      const inc = id ? (view.incidents.get(id) ?? null) : null;
      current = inc;
      switchTo(inc?.id ?? null);
      if (!inc) {
        const boxId = opts.selectedBox();
        const box = boxId ? site.boxes.find((b) => b.id === boxId) : undefined;
        setText(empty, box ? t('detail.boxOnly', { box: local(box.name) }) : t('detail.none'));
        empty.hidden = false;
        body.hidden = true;
        setAttr(el, 'data-incident-id', '');
        return;
      }
      empty.hidden = true;
      body.hidden = false;
      setAttr(el, 'data-incident-id', inc.id);
      setClass(el, `panel incident-detail prio-${inc.priority}`);
      const box = site.boxes.find((b) => b.id === inc.boxId);
      setText(prio, priorityLabel(inc.priority));
      setText(boxName, box ? local(box.name) : t('incidents.unknownBox', { id: inc.boxId }));
      setText(kind, kindLabel(inc.kind));
      setText(stateBadge, stateLabel(inc.state));
      setClass(stateBadge, `state-badge state-${inc.state}`);
      setAttr(stateBadge, 'data-state', inc.state);
      setText(where, box ? local(box.location.text) : '');
      setText(meta, `${timeText(inc.openedAt)} · ${inc.id}`);
      const dispatched = dispatchedTeam(inc);
      setText(team, dispatched ? t('detail.dispatchedTo', { team: teamName(dispatched) }) : '');
      team.hidden = dispatched === null;

      const timing = incidentTiming(inc, site.response, nowMs);
      paintTiming(ackTiming, t('detail.timeToAck'), timing.acknowledge);
      paintTiming(arriveTiming, t('detail.timeToArrive'), timing.arrive);

      setText(videoBtn, t('detail.video'));
      videoBtn.hidden = !isOpen(inc) || (inc.kind !== 'panic' && inc.kind !== 'tamper');

      const allowed = new Set(availableActions(inc, opts.can));
      const busy = pending !== null;
      const label = (b: HTMLButtonElement, action: IncidentAction): void => {
        setText(b, pending?.action === action && pending.incidentId === inc.id ? t('detail.busy') : t(`action.${action}`));
        b.disabled = busy;
        b.hidden = !allowed.has(action);
      };
      label(ackBtn, 'acknowledge');
      label(dispatchBtn, 'dispatch');
      dispatchBox.hidden = !allowed.has('dispatch');
      teamSelect.disabled = busy;
      label(acceptBtn, 'accept');
      label(enRouteBtn, 'en-route');
      label(onSceneBtn, 'on-scene');
      followBox.hidden = !(allowed.has('accept') || allowed.has('en-route') || allowed.has('on-scene'));
      label(resolveBtn, 'resolve');
      resolveBox.hidden = !allowed.has('resolve');
      label(closeBtn, 'close');
      closeBox.hidden = !allowed.has('close');
      label(cancelBtn, 'cancel');
      cancelBox.hidden = !allowed.has('cancel');
      actionsEl.hidden = allowed.size === 0;
      const err = error && error.incidentId === inc.id ? error.err : null;
      setText(actionError, err ? errorText(err) : '');
      actionError.hidden = err === null;

      setText(timelineHeading, t('detail.timeline'));
      paintTimeline(inc);
    },
  };
}
