import { describe, expect, it } from 'vitest';
import { decideIncidentChanges, type IncidentChange } from '../../../gateway/domain/incident-rules.ts';
import { applyAction, sortIncidents, type Incident } from '../../../gateway/domain/incident.ts';
import { deviceEvent, incident, site } from './fixtures.ts';

/** Applies the rules' output the way the journal does, with ids in order. */
function run(events: ReturnType<typeof deviceEvent>[], start: Incident[] = []): Incident[] {
  const all = [...start];
  for (const e of events) {
    for (const c of decideIncidentChanges(e, site, all)) {
      if (c.type === 'open') {
        all.push({ id: `i${all.length + 1}`, seq: all.length + 1, boxId: c.boxId, kind: c.kind, priority: c.priority, state: 'new', openedAt: c.openedAt, steps: [c.step] });
      } else {
        const target = all.find((i) => i.id === c.incidentId)!;
        target.steps.push(c.step);
      }
    }
  }
  return all;
}

const only = (changes: IncidentChange[]) => {
  expect(changes).toHaveLength(1);
  return changes[0]!;
};

describe('incident rules', () => {
  it('opens a panic incident with the box priority colour on a button press', () => {
    for (const [boxId, colour] of [['box-gate', 'red'], ['box-dorm', 'orange'], ['box-playground', 'yellow']] as const) {
      const c = only(decideIncidentChanges(deviceEvent('button-pressed', boxId), site, []));
      expect(c).toMatchObject({ type: 'open', boxId, kind: 'panic', priority: colour });
    }
  });

  it('a second press on a box with an open panic incident appends a re-triggered step instead of a new incident', () => {
    const list = run([deviceEvent('button-pressed', 'box-gate'), deviceEvent('button-pressed', 'box-gate', '2026-11-23T02:00:05.000Z')]);
    expect(list).toHaveLength(1);
    expect(list[0]!.steps.map((s) => s.action)).toEqual(['opened', 're-triggered']);
    expect(list[0]!.steps[1]!.at).toBe('2026-11-23T02:00:05.000Z');
  });

  it('a press inside an ops test window (detail.test) opens nothing and re-triggers nothing; the next real press does', () => {
    const testPress = deviceEvent('button-pressed', 'box-gate', '2026-11-23T02:00:00.000Z', { silent: false, test: true, testBy: 'op1' });
    expect(decideIncidentChanges(testPress, site, [])).toEqual([]);
    expect(decideIncidentChanges(testPress, site, [incident({ boxId: 'box-gate' })])).toEqual([]);
    // Only `true` marks a test: anything else from the bridge is a real alarm.
    const odd = deviceEvent('button-pressed', 'box-gate', '2026-11-23T02:00:00.000Z', { test: 'yes' });
    expect(only(decideIncidentChanges(odd, site, []))).toMatchObject({ type: 'open', kind: 'panic' });
    expect(only(decideIncidentChanges(deviceEvent('button-pressed', 'box-gate'), site, []))).toMatchObject({ type: 'open', kind: 'panic' });
  });

  it('a press after the previous incident was closed or cancelled opens a new one', () => {
    const closed = incident({ state: 'closed' });
    const cancelled = applyAction(incident({ id: 'x' }), { action: 'cancel', reason: 'test', note: 't' }, '2026-11-23T02:01:00.000Z', 'op');
    const c = only(decideIncidentChanges(deviceEvent('button-pressed', 'box-gate'), site, [closed, cancelled]));
    expect(c.type).toBe('open');
  });

  it('tamper always raises an alarm: orange, or red when the box is red', () => {
    expect(only(decideIncidentChanges(deviceEvent('tamper-open', 'box-dorm'), site, []))).toMatchObject({ type: 'open', kind: 'tamper', priority: 'orange' });
    expect(only(decideIncidentChanges(deviceEvent('tamper-open', 'box-playground'), site, []))).toMatchObject({ kind: 'tamper', priority: 'orange' });
    expect(only(decideIncidentChanges(deviceEvent('tamper-open', 'box-gate'), site, []))).toMatchObject({ kind: 'tamper', priority: 'red' });
  });

  it('a tamper alarm stays separate from a panic on the same box and re-triggers itself', () => {
    const list = run([deviceEvent('button-pressed', 'box-dorm'), deviceEvent('tamper-open', 'box-dorm'), deviceEvent('tamper-open', 'box-dorm')]);
    expect(list.map((i) => i.kind)).toEqual(['panic', 'tamper']);
    expect(list[1]!.steps.map((s) => s.action)).toEqual(['opened', 're-triggered']);
  });

  it('offline, fault and output-failed open one yellow fault incident per box', () => {
    const list = run([
      deviceEvent('offline', 'box-gate', undefined, { reason: 'HEARTBEAT_LOST' }),
      deviceEvent('fault', 'box-gate', undefined, { code: 'LOW_BATTERY' }),
      deviceEvent('output-failed', 'box-gate', undefined, { code: 'RELAY_FAILED' }),
      deviceEvent('fault', 'box-dorm', undefined, { code: 'LOW_BATTERY' }),
    ]);
    expect(list.map((i) => [i.boxId, i.kind, i.priority])).toEqual([
      ['box-gate', 'fault', 'yellow'],
      ['box-dorm', 'fault', 'yellow'],
    ]);
    expect(list[0]!.steps.map((s) => s.note)).toEqual(['offline: HEARTBEAT_LOST', 'fault: LOW_BATTERY', 'output-failed: RELAY_FAILED']);
  });

  it('other events raise nothing', () => {
    for (const kind of ['button-released', 'tamper-closed', 'fault-cleared', 'online', 'latched', 'reset', 'outputs', 'test'] as const) {
      expect(decideIncidentChanges(deviceEvent(kind, 'box-gate'), site, [])).toEqual([]);
    }
    expect(decideIncidentChanges(deviceEvent('transport-down', null), site, [])).toEqual([]);
  });

  it('a press from a box the site file does not know still raises a red alarm', () => {
    expect(only(decideIncidentChanges(deviceEvent('button-pressed', 'box-unknown'), site, []))).toMatchObject({ type: 'open', priority: 'red' });
  });

  it('several alarms at once are all kept and listed in order of opening', () => {
    const list = run([
      deviceEvent('button-pressed', 'box-playground', '2026-11-23T02:00:00.300Z'),
      deviceEvent('button-pressed', 'box-gate', '2026-11-23T02:00:00.100Z'),
      deviceEvent('button-pressed', 'box-dorm', '2026-11-23T02:00:00.100Z'),
      deviceEvent('button-pressed', 'box-office', '2026-11-23T02:00:00.200Z'),
    ]);
    expect(list).toHaveLength(4);
    expect(sortIncidents(list).map((i) => i.boxId)).toEqual(['box-gate', 'box-dorm', 'box-office', 'box-playground']);
  });
});
