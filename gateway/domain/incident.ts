// The incident: one alarm from discovery to close, with every step on record (closed-loop
// handling). Pure: no clock, no storage. Time and the acting person come in as values.
import { CodedError } from '../../common/coded-error.ts';
import type { PriorityColour } from '../../config/schema.ts';

export type IncidentKind = 'panic' | 'tamper' | 'fault';
export type IncidentState = 'new' | 'acknowledged' | 'dispatched' | 'accepted' | 'en_route' | 'on_scene' | 'resolved' | 'closed' | 'cancelled';
export const INCIDENT_STATES: readonly IncidentState[] = ['new', 'acknowledged', 'dispatched', 'accepted', 'en_route', 'on_scene', 'resolved', 'closed', 'cancelled'];
export type CancelReason = 'false_alarm' | 'drill' | 'test' | 'other';
export const CANCEL_REASONS: readonly CancelReason[] = ['false_alarm', 'drill', 'test', 'other'];

/** Caps on free text: a note is a few sentences, not a document. */
export const MAX_NOTE_CHARS = 2000;
export const MAX_TEAM_CHARS = 100;

/** What a step records: the rules' own steps, then one per person's action. */
export type IncidentStepAction =
  | 'opened'
  | 're-triggered'
  | 'acknowledge'
  | 'dispatch'
  | 'accept'
  | 'en-route'
  | 'on-scene'
  | 'resolve'
  | 'close'
  | 'cancel';

export interface IncidentStep {
  /** One of IncidentStepAction; a string so journals written by older versions still load. */
  action: string;
  /** ISO 8601. */
  at: string;
  /** A username, or 'system' for steps the rules wrote. */
  by: string;
  note?: string;
  team?: string;
  /** Only on a cancel step. */
  reason?: CancelReason;
}

export interface Incident {
  id: string;
  /** Journal order: breaks ties between incidents opened in the same millisecond. */
  seq: number;
  boxId: string;
  kind: IncidentKind;
  priority: PriorityColour;
  state: IncidentState;
  /** ISO 8601: when the box raised it (the event's own time). */
  openedAt: string;
  steps: IncidentStep[];
}

export type IncidentAction =
  | { action: 'acknowledge' }
  | { action: 'dispatch'; team: string }
  | { action: 'accept' }
  | { action: 'en-route' }
  | { action: 'on-scene' }
  | { action: 'resolve'; note: string }
  | { action: 'close'; note: string }
  | { action: 'cancel'; reason: CancelReason; note: string };

export type IncidentActionName = IncidentAction['action'];

const TERMINAL: ReadonlySet<IncidentState> = new Set(['closed', 'cancelled']);

/** Open means someone still has to do something about it: everything short of closed or cancelled. */
export function isOpen(state: IncidentState): boolean {
  return !TERMINAL.has(state);
}

/** The states each forward action may start from; cancel is allowed from any open state. A patrol
 * that skips a report (accept, en route) can still say it is on scene: arriving is what counts. */
const FORWARD: Record<Exclude<IncidentActionName, 'cancel'>, { from: readonly IncidentState[]; to: IncidentState }> = {
  acknowledge: { from: ['new'], to: 'acknowledged' },
  dispatch: { from: ['acknowledged'], to: 'dispatched' },
  accept: { from: ['dispatched'], to: 'accepted' },
  'en-route': { from: ['dispatched', 'accepted'], to: 'en_route' },
  'on-scene': { from: ['dispatched', 'accepted', 'en_route'], to: 'on_scene' },
  resolve: { from: ['on_scene'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
};

function checkText(field: string, value: string, max: number, required: boolean): string {
  const text = value.trim();
  if (required && text.length === 0) throw new CodedError('INCIDENT_BAD_INPUT', `${field} must not be empty`, { field });
  if (text.length > max) throw new CodedError('INCIDENT_BAD_INPUT', `${field} is longer than ${max} characters`, { field });
  return text;
}

export function canApply(incident: Pick<Incident, 'state'>, action: IncidentActionName): boolean {
  if (action === 'cancel') return isOpen(incident.state);
  return FORWARD[action].from.includes(incident.state);
}

/** Applies one action; returns a new incident (the input is untouched). */
export function applyAction(incident: Incident, act: IncidentAction, at: string, by: string): Incident {
  if (!canApply(incident, act.action)) {
    throw new CodedError('INCIDENT_BAD_TRANSITION', `cannot ${act.action} an incident that is ${incident.state}`, {
      id: incident.id,
      state: incident.state,
      action: act.action,
    });
  }
  const step: IncidentStep = { action: act.action, at, by };
  let to: IncidentState;
  switch (act.action) {
    case 'dispatch':
      step.team = checkText('team', act.team, MAX_TEAM_CHARS, true);
      to = FORWARD.dispatch.to;
      break;
    case 'resolve':
    case 'close':
      step.note = checkText('note', act.note, MAX_NOTE_CHARS, true);
      to = FORWARD[act.action].to;
      break;
    case 'cancel':
      if (!CANCEL_REASONS.includes(act.reason)) throw new CodedError('INCIDENT_BAD_INPUT', 'unknown cancel reason', { field: 'reason' });
      step.reason = act.reason;
      step.note = checkText('note', act.note, MAX_NOTE_CHARS, true);
      to = 'cancelled';
      break;
    default:
      to = FORWARD[act.action].to;
  }
  return { ...incident, state: to, steps: [...incident.steps, step] };
}

/** The team of the latest dispatch step, or null if the incident was never dispatched. */
export function dispatchedTeam(incident: Pick<Incident, 'steps'>): string | null {
  for (let i = incident.steps.length - 1; i >= 0; i--) {
    const step = incident.steps[i]!;
    if (step.action === 'dispatch') return step.team ?? null;
  }
  return null;
}

/** Several alarms at once are all shown, in order: by when they were raised, then by journal order. */
export function compareIncidents(a: Pick<Incident, 'openedAt' | 'seq'>, b: Pick<Incident, 'openedAt' | 'seq'>): number {
  const ta = Date.parse(a.openedAt);
  const tb = Date.parse(b.openedAt);
  return ta !== tb ? ta - tb : a.seq - b.seq;
}

export function sortIncidents<T extends Pick<Incident, 'openedAt' | 'seq'>>(list: readonly T[]): T[] {
  return [...list].sort(compareIncidents);
}
