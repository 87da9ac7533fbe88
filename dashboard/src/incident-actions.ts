// Which steps an incident can take next (contract #5's state machine), and which of them the
// signed-in user may take. Pure; the server still refuses a wrong state with 409.
import type { Incident, IncidentState } from './api-types.ts';
import type { Can, Permission } from './permissions.ts';

export type IncidentAction = 'acknowledge' | 'dispatch' | 'accept' | 'en-route' | 'on-scene' | 'resolve' | 'close' | 'cancel';

const NEXT: Readonly<Record<IncidentState, readonly IncidentAction[]>> = {
  new: ['acknowledge', 'cancel'],
  acknowledged: ['dispatch', 'cancel'],
  dispatched: ['accept', 'en-route', 'on-scene', 'cancel'],
  accepted: ['en-route', 'on-scene', 'cancel'],
  en_route: ['on-scene', 'cancel'],
  on_scene: ['resolve', 'cancel'],
  resolved: ['close'],
  closed: [],
  cancelled: [],
};

export const ACTION_PERMISSION: Readonly<Record<IncidentAction, Permission>> = {
  acknowledge: 'incidents.acknowledge',
  dispatch: 'incidents.dispatch',
  accept: 'incidents.accept',
  'en-route': 'incidents.en-route',
  'on-scene': 'incidents.on-scene',
  resolve: 'incidents.resolve',
  close: 'incidents.close',
  cancel: 'incidents.cancel',
};

export function nextActions(state: IncidentState): readonly IncidentAction[] {
  return NEXT[state];
}

/** The actions to offer for this incident to this user, in workflow order. */
export function availableActions(incident: Pick<Incident, 'state'>, can: Can): IncidentAction[] {
  return NEXT[incident.state].filter((a) => can(ACTION_PERMISSION[a]));
}

/** The team of the latest dispatch, or null when never dispatched. */
export function dispatchedTeam(incident: Pick<Incident, 'steps'>): string | null {
  for (let i = incident.steps.length - 1; i >= 0; i--) {
    const s = incident.steps[i]!;
    if (s.action === 'dispatch' && s.team) return s.team;
  }
  return null;
}
