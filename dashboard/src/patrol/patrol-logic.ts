// Which incidents are this patrol team's dispatches, which of them this phone has not rung
// for yet, and what the officer's next step is. Pure: no DOM, no storage, no clock.
import type { Incident, IncidentState, IncidentStep } from '../api-types.ts';
import { isOpen } from '../state.ts';

export interface Dispatch {
  incident: Incident;
  /** The latest 'dispatch' step: the one that counts when an incident is sent again. */
  step: IncidentStep;
  /** incidentId + dispatch time: a second dispatch of the same incident is a new dispatch. */
  key: string;
}

export function latestDispatchStep(incident: Incident): IncidentStep | null {
  for (let i = incident.steps.length - 1; i >= 0; i--) {
    const step = incident.steps[i];
    if (step && step.action === 'dispatch') return step;
  }
  return null;
}

export function dispatchKey(incidentId: string, dispatchedAt: string): string {
  return `${incidentId}@${dispatchedAt}`;
}

/**
 * The open incidents whose latest dispatch went to `team`, newest dispatch on top.
 * A patrol user without a team has no dispatches.
 */
export function myDispatches(incidents: Iterable<Incident>, team: string | null | undefined): Dispatch[] {
  if (!team) return [];
  const out: Dispatch[] = [];
  for (const incident of incidents) {
    if (!isOpen(incident)) continue;
    const step = latestDispatchStep(incident);
    if (!step || step.team !== team) continue;
    out.push({ incident, step, key: dispatchKey(incident.id, step.at) });
  }
  return out.sort((a, b) => {
    const ta = Date.parse(a.step.at);
    const tb = Date.parse(b.step.at);
    if (ta !== tb) return (Number.isNaN(tb) ? 0 : tb) - (Number.isNaN(ta) ? 0 : ta);
    return a.incident.id < b.incident.id ? 1 : a.incident.id > b.incident.id ? -1 : 0;
  });
}

/**
 * The dispatches this device has not seen yet. The feed's snapshot after a reconnect carries
 * every open incident, so a dispatch made while the phone was offline is simply one whose key
 * is not in `seen`: it rings then. Nothing is new before the first snapshot (`ready` false).
 */
export function newDispatches(dispatches: readonly Dispatch[], seen: ReadonlySet<string>, ready: boolean): Dispatch[] {
  if (!ready) return [];
  return dispatches.filter((d) => !seen.has(d.key));
}

/** Seen keys, oldest first, with the new ones added and only the last `cap` kept. */
export function rememberSeen(seen: readonly string[], keys: readonly string[], cap: number): string[] {
  const fresh = keys.filter((k, i) => !seen.includes(k) && keys.indexOf(k) === i);
  if (fresh.length === 0) return [...seen].slice(-cap);
  return [...seen, ...fresh].slice(-Math.max(0, cap));
}

export type PatrolAction = 'accept' | 'en-route' | 'on-scene' | 'resolve';

/** The one big button for each state; null when the patrol has nothing to do. */
export function nextAction(state: IncidentState): PatrolAction | null {
  switch (state) {
    case 'dispatched':
      return 'accept';
    case 'accepted':
      return 'en-route';
    case 'en_route':
      return 'on-scene';
    case 'on_scene':
      return 'resolve';
    default:
      return null;
  }
}

export const NOTE_MAX_CHARS = 1000;

/** The resolve note: required, trimmed, capped. Null when it cannot be sent. */
export function cleanNote(note: string): string | null {
  const trimmed = note.trim();
  if (trimmed.length === 0 || trimmed.length > NOTE_MAX_CHARS) return null;
  return trimmed;
}

/** The first time each milestone happened (after the latest dispatch for the patrol ones). */
export interface StepTimes {
  opened: string;
  dispatched: string | null;
  accepted: string | null;
  enRoute: string | null;
  onScene: string | null;
}

export function stepTimes(incident: Incident): StepTimes {
  const dispatch = latestDispatchStep(incident);
  const dispatchIndex = dispatch ? incident.steps.lastIndexOf(dispatch) : -1;
  const after = (action: string): string | null => {
    for (let i = dispatchIndex + 1; i < incident.steps.length; i++) {
      const s = incident.steps[i];
      if (s && s.action === action) return s.at;
    }
    return null;
  };
  return {
    opened: incident.openedAt,
    dispatched: dispatch?.at ?? null,
    accepted: after('accept'),
    enRoute: after('en-route'),
    onScene: after('on-scene'),
  };
}

/**
 * The incident to show: the feed's copy, unless an action's reply brought a later one
 * (more steps) that the feed has not delivered yet.
 */
export function laterIncident(fromFeed: Incident, fromReply: Incident | undefined): Incident {
  if (!fromReply || fromReply.id !== fromFeed.id) return fromFeed;
  return fromReply.steps.length > fromFeed.steps.length ? fromReply : fromFeed;
}
