import { describe, expect, it } from 'vitest';
import { CodedError } from '../../../common/coded-error.ts';
import {
  applyAction,
  canApply,
  compareIncidents,
  dispatchedTeam,
  INCIDENT_STATES,
  isOpen,
  sortIncidents,
  type IncidentAction,
  type IncidentState,
} from '../../../gateway/domain/incident.ts';
import { incident } from './fixtures.ts';

const AT = '2026-11-23T02:05:00.000Z';
const ACTIONS: Record<IncidentAction['action'], IncidentAction> = {
  acknowledge: { action: 'acknowledge' },
  dispatch: { action: 'dispatch', team: 'team-east' },
  accept: { action: 'accept' },
  'en-route': { action: 'en-route' },
  'on-scene': { action: 'on-scene' },
  resolve: { action: 'resolve', note: 'student fainted, nurse called' },
  close: { action: 'close', note: 'report filed' },
  cancel: { action: 'cancel', reason: 'false_alarm', note: 'pressed by mistake' },
};
const STATES: IncidentState[] = ['new', 'acknowledged', 'dispatched', 'accepted', 'en_route', 'on_scene', 'resolved', 'closed', 'cancelled'];
const LEGAL: Record<IncidentState, string[]> = {
  new: ['acknowledge', 'cancel'],
  acknowledged: ['dispatch', 'cancel'],
  dispatched: ['accept', 'en-route', 'on-scene', 'cancel'],
  accepted: ['en-route', 'on-scene', 'cancel'],
  en_route: ['on-scene', 'cancel'],
  on_scene: ['resolve', 'cancel'],
  resolved: ['close', 'cancel'],
  closed: [],
  cancelled: [],
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof CodedError ? err.code : 'not-coded';
  }
  return undefined;
}

describe('incident state machine', () => {
  it('walks the closed loop new → acknowledged → dispatched → accepted → en_route → on_scene → resolved → closed, one step per action', () => {
    let inc = incident();
    const states: string[] = [];
    for (const [name, by] of [['acknowledge', 'op1'], ['dispatch', 'op1'], ['accept', 'pat1'], ['en-route', 'pat1'], ['on-scene', 'pat1'], ['resolve', 'pat1'], ['close', 'op1']] as const) {
      inc = applyAction(inc, ACTIONS[name], AT, by);
      states.push(inc.state);
    }
    expect(states).toEqual(['acknowledged', 'dispatched', 'accepted', 'en_route', 'on_scene', 'resolved', 'closed']);
    expect(inc.steps.map((s) => s.action)).toEqual(['opened', 'acknowledge', 'dispatch', 'accept', 'en-route', 'on-scene', 'resolve', 'close']);
    expect(inc.steps[2]).toEqual({ action: 'dispatch', at: AT, by: 'op1', team: 'team-east' });
    expect(inc.steps[3]).toEqual({ action: 'accept', at: AT, by: 'pat1' });
    expect(inc.steps[6]?.note).toBe('student fainted, nurse called');
    expect(isOpen(inc.state)).toBe(false);
  });

  it('lets a patrol skip accept and en route: on scene straight from dispatched', () => {
    const inc = applyAction(incident({ state: 'dispatched' }), ACTIONS['on-scene'], AT, 'pat1');
    expect(inc.state).toBe('on_scene');
  });

  it('knows every state, and the open ones are all but closed and cancelled', () => {
    expect([...INCIDENT_STATES].sort()).toEqual([...STATES].sort());
    expect(INCIDENT_STATES.filter(isOpen)).toEqual(['new', 'acknowledged', 'dispatched', 'accepted', 'en_route', 'on_scene', 'resolved']);
  });

  it('reads the team of the latest dispatch step, or null when never dispatched', () => {
    expect(dispatchedTeam(incident())).toBeNull();
    const steps = [
      { action: 'opened', at: AT, by: 'system' },
      { action: 'dispatch', at: AT, by: 'op1', team: 'team-west' },
      { action: 'dispatch', at: AT, by: 'op1', team: 'team-east' },
      { action: 'accept', at: AT, by: 'pat1' },
    ];
    expect(dispatchedTeam(incident({ steps }))).toBe('team-east');
  });

  for (const state of STATES) {
    for (const [name, act] of Object.entries(ACTIONS)) {
      const legal = LEGAL[state].includes(name);
      it(`${legal ? 'allows' : 'refuses with INCIDENT_BAD_TRANSITION'} ${name} from ${state}`, () => {
        expect(canApply({ state }, act.action)).toBe(legal);
        const run = () => applyAction(incident({ state }), act, AT, 'op1');
        if (legal) expect(codeOf(run)).toBeUndefined();
        else expect(codeOf(run)).toBe('INCIDENT_BAD_TRANSITION');
      });
    }
  }

  it('cancels from any open state with a reason and a note on the step', () => {
    const inc = applyAction(incident({ state: 'dispatched' }), { action: 'cancel', reason: 'drill', note: 'fire drill' }, AT, 'sec1');
    expect(inc.state).toBe('cancelled');
    expect(inc.steps.at(-1)).toEqual({ action: 'cancel', at: AT, by: 'sec1', reason: 'drill', note: 'fire drill' });
  });

  it('needs a team name to dispatch', () => {
    expect(codeOf(() => applyAction(incident({ state: 'acknowledged' }), { action: 'dispatch', team: '  ' }, AT, 'op1'))).toBe('INCIDENT_BAD_INPUT');
  });

  it('needs a note to resolve or close, and caps it at 2000 characters', () => {
    expect(codeOf(() => applyAction(incident({ state: 'on_scene' }), { action: 'resolve', note: '' }, AT, 'p'))).toBe('INCIDENT_BAD_INPUT');
    expect(codeOf(() => applyAction(incident({ state: 'resolved' }), { action: 'close', note: 'x'.repeat(2001) }, AT, 'p'))).toBe('INCIDENT_BAD_INPUT');
    expect(codeOf(() => applyAction(incident({ state: 'resolved' }), { action: 'close', note: 'x'.repeat(2000) }, AT, 'p'))).toBeUndefined();
  });

  it('refuses an unknown cancel reason', () => {
    const bad = { action: 'cancel', reason: 'bored', note: 'x' } as unknown as IncidentAction;
    expect(codeOf(() => applyAction(incident(), bad, AT, 'op1'))).toBe('INCIDENT_BAD_INPUT');
  });

  it('leaves the incident it was given untouched', () => {
    const before = incident();
    applyAction(before, ACTIONS.acknowledge, AT, 'op1');
    expect(before.state).toBe('new');
    expect(before.steps).toHaveLength(1);
  });

  it('orders several incidents by openedAt, then by journal order', () => {
    const a = incident({ id: 'a', seq: 3, openedAt: '2026-11-23T02:00:01.000Z' });
    const b = incident({ id: 'b', seq: 2, openedAt: '2026-11-23T02:00:00.000Z' });
    const c = incident({ id: 'c', seq: 1, openedAt: '2026-11-23T02:00:00.000Z' });
    expect(sortIncidents([a, b, c]).map((i) => i.id)).toEqual(['c', 'b', 'a']);
    expect(compareIncidents(c, b)).toBeLessThan(0);
  });
});
