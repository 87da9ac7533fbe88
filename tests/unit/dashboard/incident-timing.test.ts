import { describe, expect, it } from 'vitest';
import type { Incident, IncidentStep } from '../../../dashboard/src/api-types.ts';
import { durationText, incidentTiming } from '../../../dashboard/src/incident-timing.ts';

const OPENED = '2026-11-23T08:00:00.000Z';
const T0 = Date.parse(OPENED);
const targets = { acknowledgeS: 60, arriveS: 300 };
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();
const step = (action: string, s: number, extra: Partial<IncidentStep> = {}): IncidentStep => ({ action, at: at(s), by: 'op', ...extra });

function incident(state: Incident['state'], steps: IncidentStep[]): Incident {
  return { id: 'inc-1', boxId: 'box-gate', kind: 'panic', priority: 'red', state, openedAt: OPENED, steps: [step('opened', 0), ...steps] };
}

describe('incident timing against the centre targets', () => {
  it('runs the acknowledge clock while new, and turns red once past the target', () => {
    const inc = incident('new', []);
    expect(incidentTiming(inc, targets, T0 + 30_500).acknowledge).toEqual({ phase: 'running', seconds: 30, targetS: 60, over: false });
    expect(incidentTiming(inc, targets, T0 + 60_000).acknowledge.over).toBe(false);
    expect(incidentTiming(inc, targets, T0 + 61_000).acknowledge).toEqual({ phase: 'running', seconds: 61, targetS: 60, over: true });
    // Nobody on scene yet: the arrive clock runs too.
    expect(incidentTiming(inc, targets, T0 + 61_000).arrive).toEqual({ phase: 'running', seconds: 61, targetS: 300, over: false });
  });

  it('freezes at the first acknowledge step, whatever the clock says later', () => {
    const inc = incident('acknowledged', [step('acknowledge', 42)]);
    const later = incidentTiming(inc, targets, T0 + 3_600_000);
    expect(later.acknowledge).toEqual({ phase: 'done', seconds: 42, targetS: 60, over: false });
    expect(later.arrive).toEqual({ phase: 'running', seconds: 3600, targetS: 300, over: true });
  });

  it('measures arrival from the first on-scene step, through dispatch, accept and on the way', () => {
    const steps = [step('acknowledge', 75), step('dispatch', 80, { team: 'team-east' }), step('accept', 90), step('en-route', 95), step('on-scene', 250)];
    const timing = incidentTiming(incident('on_scene', steps), targets, T0 + 10_000_000);
    expect(timing.acknowledge).toEqual({ phase: 'done', seconds: 75, targetS: 60, over: true });
    expect(timing.arrive).toEqual({ phase: 'done', seconds: 250, targetS: 300, over: false });
    // Resolved and closed keep the measured values.
    expect(incidentTiming(incident('closed', [...steps, step('resolve', 400), step('close', 500)]), targets, T0 + 1e7).arrive.seconds).toBe(250);
  });

  it.each(['dispatched', 'accepted', 'en_route'] as const)('keeps the arrive clock running in state %s', (state) => {
    const inc = incident(state, [step('acknowledge', 10), step('dispatch', 20, { team: 'team-west' })]);
    expect(incidentTiming(inc, targets, T0 + 301_000).arrive).toEqual({ phase: 'running', seconds: 301, targetS: 300, over: true });
  });

  it('stops both clocks when an incident is cancelled before the step happened', () => {
    const inc = incident('cancelled', [step('cancel', 20, { reason: 'false_alarm', note: 'kid' })]);
    const timing = incidentTiming(inc, targets, T0 + 999_000);
    expect(timing.acknowledge).toEqual({ phase: 'none', seconds: null, targetS: 60, over: false });
    expect(timing.arrive).toEqual({ phase: 'none', seconds: null, targetS: 300, over: false });
  });

  it('uses the first acknowledge when there are several, and never goes negative on a drifting clock', () => {
    const inc = incident('acknowledged', [step('acknowledge', 5), step('acknowledge', 50)]);
    expect(incidentTiming(inc, targets, T0).acknowledge.seconds).toBe(5);
    expect(incidentTiming(incident('new', []), targets, T0 - 5000).acknowledge.seconds).toBe(0);
  });

  it('follows the site targets it is given', () => {
    const inc = incident('new', []);
    expect(incidentTiming(inc, { acknowledgeS: 10, arriveS: 20 }, T0 + 15_000).acknowledge.over).toBe(true);
    expect(incidentTiming(inc, { acknowledgeS: 10, arriveS: 20 }, T0 + 15_000).arrive.over).toBe(false);
  });

  it('measures nothing for an unreadable opening time', () => {
    const inc = { ...incident('new', []), openedAt: 'not a time' };
    expect(incidentTiming(inc, targets, T0).acknowledge.phase).toBe('none');
  });
});

describe('durationText', () => {
  it('writes minutes:seconds, hours when needed, and a dash for nothing', () => {
    expect(durationText(0)).toBe('0:00');
    expect(durationText(75)).toBe('1:15');
    expect(durationText(600)).toBe('10:00');
    expect(durationText(3725)).toBe('1:02:05');
    expect(durationText(null)).toBe('—');
  });
});
