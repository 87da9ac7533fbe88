import { describe, expect, it } from 'vitest';
import type { Device, FeedMessage, Incident } from '../../../dashboard/src/api-types.ts';
import {
  applyFeedMessage,
  deviceStatus,
  emptyView,
  openIncidentCount,
  RECENT_EVENTS,
  secondsSince,
  sortedIncidents,
  type ViewModel,
} from '../../../dashboard/src/state.ts';

function incident(id: string, over: Partial<Incident> = {}): Incident {
  return {
    id,
    boxId: 'box-gate',
    kind: 'panic',
    priority: 'red',
    state: 'new',
    openedAt: '2026-11-23T08:00:00.000Z',
    steps: [{ action: 'opened', at: '2026-11-23T08:00:00.000Z', by: 'box-gate' }],
    ...over,
  };
}

function device(boxId: string, over: Partial<Device> = {}): Device {
  return {
    boxId,
    online: true,
    latched: false,
    pressed: false,
    tamper: false,
    faults: [],
    outputs: { strobe: false, siren: false },
    lastSeen: '2026-11-23T08:00:00.000Z',
    ...over,
  };
}

function snapshot(incidents: Incident[], devices: Device[] = [], connected = true): FeedMessage {
  return { type: 'snapshot', incidents, devices, bridge: { connected } };
}

const applyAll = (msgs: FeedMessage[], start: ViewModel = emptyView()): ViewModel =>
  msgs.reduce(applyFeedMessage, start);

const ids = (view: ViewModel): string[] => sortedIncidents(view).map((i) => i.id);

describe('dashboard view model', () => {
  it('is not ready and empty before the first snapshot', () => {
    const view = emptyView();
    expect(view.ready).toBe(false);
    expect(sortedIncidents(view)).toEqual([]);
    expect(view.bridgeConnected).toBe(false);
  });

  it('takes incidents, devices and the bridge flag from the snapshot', () => {
    const view = applyAll([snapshot([incident('INC-1')], [device('box-gate')], true)]);
    expect(view.ready).toBe(true);
    expect(ids(view)).toEqual(['INC-1']);
    expect(view.devices.get('box-gate')?.online).toBe(true);
    expect(view.bridgeConnected).toBe(true);
  });

  it('applies live messages after the snapshot', () => {
    const view = applyAll([
      snapshot([incident('INC-1')], [device('box-gate')], true),
      { type: 'incident', incident: incident('INC-2', { boxId: 'box-dorm', priority: 'orange' }) },
      { type: 'device', device: device('box-dorm', { latched: true }) },
      { type: 'bridge', connected: false },
    ]);
    expect(ids(view)).toEqual(['INC-1', 'INC-2']);
    expect(view.devices.get('box-dorm')?.latched).toBe(true);
    expect(view.bridgeConnected).toBe(false);
  });

  it('replaces an incident when an update for the same id arrives', () => {
    const view = applyAll([
      snapshot([incident('INC-1')]),
      { type: 'incident', incident: incident('INC-1', { state: 'acknowledged' }) },
    ]);
    expect(view.incidents.size).toBe(1);
    expect(view.incidents.get('INC-1')?.state).toBe('acknowledged');
  });

  it('replaces a device when an update for the same box arrives', () => {
    const view = applyAll([
      snapshot([], [device('box-gate')]),
      { type: 'device', device: device('box-gate', { online: false, lastSeen: '2026-11-23T08:05:00.000Z' }) },
    ]);
    expect(view.devices.size).toBe(1);
    expect(view.devices.get('box-gate')).toMatchObject({ online: false, lastSeen: '2026-11-23T08:05:00.000Z' });
  });

  it('leaves the previous model untouched (views may compare old and new)', () => {
    const before = applyAll([snapshot([incident('INC-1')])]);
    const after = applyFeedMessage(before, { type: 'incident', incident: incident('INC-2') });
    expect(before.incidents.size).toBe(1);
    expect(after.incidents.size).toBe(2);
  });

  it('forgets what a new snapshot no longer holds (re-read on every reconnect)', () => {
    const view = applyAll([
      snapshot([incident('INC-1')], [device('box-gate')], true),
      { type: 'incident', incident: incident('INC-2') },
      snapshot([incident('INC-2', { state: 'acknowledged' })], [device('box-dorm')], false),
    ]);
    expect(ids(view)).toEqual(['INC-2']);
    expect(view.incidents.get('INC-2')?.state).toBe('acknowledged');
    expect([...view.devices.keys()]).toEqual(['box-dorm']);
    expect(view.bridgeConnected).toBe(false);
  });

  it('orders open incidents red, orange, yellow, and oldest first within a priority', () => {
    const view = applyAll([
      snapshot([
        incident('Y-old', { priority: 'yellow', openedAt: '2026-11-23T07:00:00Z' }),
        incident('R-late', { priority: 'red', openedAt: '2026-11-23T08:10:00Z' }),
        incident('O', { priority: 'orange', openedAt: '2026-11-23T08:00:00Z' }),
        incident('R-early', { priority: 'red', openedAt: '2026-11-23T08:01:00Z' }),
      ]),
    ]);
    expect(ids(view)).toEqual(['R-early', 'R-late', 'O', 'Y-old']);
  });

  it('puts finished incidents after every open one, newest first', () => {
    const view = applyAll([
      snapshot([
        incident('R-closed', { priority: 'red', state: 'closed', openedAt: '2026-11-23T06:00:00Z' }),
        incident('R-resolved', { priority: 'red', state: 'resolved', openedAt: '2026-11-23T07:00:00Z' }),
        incident('Y-open', { priority: 'yellow', state: 'on_scene', openedAt: '2026-11-23T08:00:00Z' }),
        incident('O-cancelled', { priority: 'orange', state: 'cancelled', openedAt: '2026-11-23T09:00:00Z' }),
      ]),
    ]);
    expect(ids(view)).toEqual(['Y-open', 'O-cancelled', 'R-resolved', 'R-closed']);
    expect(openIncidentCount(view)).toBe(1);
  });

  it('shows several simultaneous alarms, each from its own box', () => {
    const view = applyAll([
      snapshot([]),
      { type: 'incident', incident: incident('INC-1', { boxId: 'box-gate', openedAt: '2026-11-23T08:00:00Z' }) },
      { type: 'incident', incident: incident('INC-2', { boxId: 'box-teaching-2f', openedAt: '2026-11-23T08:00:01Z' }) },
      { type: 'incident', incident: incident('INC-3', { boxId: 'box-dorm', priority: 'orange' }) },
    ]);
    expect(ids(view)).toEqual(['INC-1', 'INC-2', 'INC-3']);
    expect(openIncidentCount(view)).toBe(3);
  });

  it('moves an incident down the list once it is resolved', () => {
    const view = applyAll([
      snapshot([incident('A', { openedAt: '2026-11-23T08:00:00Z' }), incident('B', { openedAt: '2026-11-23T08:05:00Z' })]),
      { type: 'incident', incident: incident('A', { state: 'resolved', openedAt: '2026-11-23T08:00:00Z' }) },
    ]);
    expect(ids(view)).toEqual(['B', 'A']);
  });

  it('keeps a bounded list of recent device events and ignores one replayed after a reconnect', () => {
    const ev = (seq: number) => ({
      type: 'device-event' as const,
      event: { seq, at: `2026-11-23T08:00:${String(seq % 60).padStart(2, '0')}Z`, kind: 'pressed', boxId: 'box-gate', source: 'serial', detail: null },
    });
    let view = applyAll([snapshot([]), ev(1), ev(1)]);
    expect(view.recentEvents.map((e) => e.seq)).toEqual([1]);
    for (let s = 2; s <= RECENT_EVENTS + 10; s++) view = applyFeedMessage(view, ev(s));
    expect(view.recentEvents).toHaveLength(RECENT_EVENTS);
    expect(view.recentEvents.at(-1)?.seq).toBe(RECENT_EVENTS + 10);
  });
});

describe('device status badge', () => {
  it('is normal for a quiet online box', () => {
    expect(deviceStatus(device('b'))).toBe('normal');
  });
  it('is alarm while latched or pressed, even when the box has gone offline', () => {
    expect(deviceStatus(device('b', { latched: true }))).toBe('alarm');
    expect(deviceStatus(device('b', { pressed: true, online: false, tamper: true }))).toBe('alarm');
  });
  it('is tamper before offline and fault', () => {
    expect(deviceStatus(device('b', { tamper: true, online: false, faults: ['x'] }))).toBe('tamper');
  });
  it('is offline for an unheard box or one with no device record yet', () => {
    expect(deviceStatus(device('b', { online: false, faults: ['x'] }))).toBe('offline');
    expect(deviceStatus(undefined)).toBe('offline');
  });
  it('is fault when an online box reports faults', () => {
    expect(deviceStatus(device('b', { faults: ['strobe-open-circuit'] }))).toBe('fault');
  });
});

describe('secondsSince', () => {
  it('counts whole seconds and never goes negative when the box clock runs ahead', () => {
    const now = Date.parse('2026-11-23T08:01:30.900Z');
    expect(secondsSince('2026-11-23T08:00:00.000Z', now)).toBe(90);
    expect(secondsSince('2026-11-23T08:05:00.000Z', now)).toBe(0);
    expect(secondsSince('not a date', now)).toBeNull();
  });
});
