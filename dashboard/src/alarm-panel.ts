// Which alarm the pop-up panel shows. Pure, like state.ts: the alarm view feeds it the view
// model and draws what it returns.
//
// Rules: an open panic or tamper incident that was not there when the page loaded pops the
// panel up, and so does one that was there but nobody has acknowledged yet (those already
// acknowledged at load are in the incident list and do not ambush the operator). Of the alarms raised, the panel shows the most urgent priority, newest first
// within it, unless the operator picked another from the list. Closing the panel hides it
// and acknowledges nothing; the next new alarm opens it again.
import type { AlarmBox, Incident, IncidentKind, Site, SiteCamera } from './api-types.ts';
import { isOpen, PRIORITY_RANK, type ViewModel } from './state.ts';

export interface AlarmPanelState {
  /** Incident ids in the first snapshot; null until it arrives. */
  baseline: ReadonlySet<string> | null;
  /** Incidents that popped the panel up, in arrival order. */
  raised: readonly string[];
  /** The operator's choice from the list; null follows the most urgent. */
  picked: string | null;
  closed: boolean;
}

export const initialAlarmPanel: AlarmPanelState = { baseline: null, raised: [], picked: null, closed: false };

const ALARM_KINDS: ReadonlySet<IncidentKind> = new Set(['panic', 'tamper']);

export function isAlarm(incident: Incident): boolean {
  return ALARM_KINDS.has(incident.kind) && isOpen(incident);
}

/**
 * Takes in the view model after a change. `fresh` lists the alarms raised by this change
 * (the caller beeps for them); a new alarm reopens a closed panel and drops the operator's
 * pick, so the most urgent one is in front.
 */
export function observeAlarms(state: AlarmPanelState, view: ViewModel): { state: AlarmPanelState; fresh: Incident[] } {
  if (!view.ready) return { state, fresh: [] };
  if (state.baseline === null) {
    // At load, alarms somebody already took are in the list; one nobody has acknowledged yet
    // still demands attention (an alarm stays shown until handled), so it pops up and sounds.
    const waiting = [...view.incidents.values()].filter((i) => isAlarm(i) && i.state === 'new').sort((a, b) => Date.parse(a.openedAt) - Date.parse(b.openedAt));
    const waitingIds = new Set(waiting.map((i) => i.id));
    const baseline = new Set([...view.incidents.keys()].filter((id) => !waitingIds.has(id)));
    if (waiting.length === 0) return { state: { ...state, baseline }, fresh: [] };
    return { state: { ...state, baseline, raised: waiting.map((i) => i.id), picked: null, closed: false }, fresh: waiting };
  }
  const baseline = state.baseline;
  const known = new Set(state.raised);
  const fresh = [...view.incidents.values()]
    .filter((i) => isAlarm(i) && !baseline.has(i.id) && !known.has(i.id))
    .sort((a, b) => Date.parse(a.openedAt) - Date.parse(b.openedAt));
  if (fresh.length === 0) return { state, fresh };
  return { state: { ...state, raised: [...state.raised, ...fresh.map((i) => i.id)], picked: null, closed: false }, fresh };
}

/** Most urgent priority first; within a priority the newest first. */
export function compareAlarms(a: Incident, b: Incident): number {
  const byPriority = PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority];
  if (byPriority !== 0) return byPriority;
  const byTime = Date.parse(b.openedAt) - Date.parse(a.openedAt);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The raised alarms still open, in panel order. */
export function panelAlarms(state: AlarmPanelState, view: ViewModel): Incident[] {
  const out: Incident[] = [];
  for (const id of state.raised) {
    const i = view.incidents.get(id);
    if (i && isAlarm(i)) out.push(i);
  }
  return out.sort(compareAlarms);
}

/** The alarm in front, or null when the panel is closed or nothing is left open. */
export function shownAlarm(state: AlarmPanelState, view: ViewModel): Incident | null {
  if (state.closed) return null;
  const list = panelAlarms(state, view);
  return list.find((i) => i.id === state.picked) ?? list[0] ?? null;
}

export function pickAlarm(state: AlarmPanelState, incidentId: string): AlarmPanelState {
  return { ...state, picked: incidentId, closed: false };
}

/**
 * Brings an open alarm to the front because the operator chose it elsewhere (queue, plan), even
 * one that was already open when the page loaded.
 */
export function focusAlarm(state: AlarmPanelState, incidentId: string): AlarmPanelState {
  const raised = state.raised.includes(incidentId) ? state.raised : [...state.raised, incidentId];
  return { ...state, raised, picked: incidentId, closed: false };
}

export function closePanel(state: AlarmPanelState): AlarmPanelState {
  return { ...state, closed: true };
}

export function reopenPanel(state: AlarmPanelState): AlarmPanelState {
  return { ...state, closed: false };
}

/** A new red alarm sounds; orange and yellow only show. */
export function shouldBeep(fresh: readonly Incident[]): boolean {
  return fresh.some((i) => i.priority === 'red');
}

export interface AlarmCameras {
  box: AlarmBox | null;
  /** The box's own (fixed) camera. */
  own: SiteCamera | null;
  /** The PTZ dome linked to the box. */
  dome: SiteCamera | null;
}

/** The cameras to show for a box: its first linked fixed camera and its first linked dome. */
export function alarmCameras(site: Site, boxId: string): AlarmCameras {
  const box = site.boxes.find((b) => b.id === boxId) ?? null;
  const byId = new Map(site.cameras.map((c) => [c.id, c]));
  const linked = (box?.cameras ?? []).map((l) => byId.get(l.camera)).filter((c): c is SiteCamera => c !== undefined);
  return {
    box,
    own: linked.find((c) => c.kind === 'fixed') ?? null,
    dome: linked.find((c) => c.kind === 'ptz') ?? null,
  };
}
