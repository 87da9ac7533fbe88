import { describe, expect, it } from 'vitest';
import type { CameraView, Device, Incident, Site } from '../../../dashboard/src/api-types.ts';
import {
  boxMarkers,
  boxMarkerStatus,
  buildingAreas,
  cameraMarkers,
  cameraMarkerStatus,
  matchesFilter,
  NO_FILTER,
} from '../../../dashboard/src/plan-model.ts';
import { emptyView, type ViewModel } from '../../../dashboard/src/state.ts';

const text = (s: string) => ({ zh: s, en: s });
const site: Site = {
  site: { id: 's', name: text('School'), plan: { width: 1000, height: 600 } },
  buildings: [
    { id: 'gate', name: text('Gate'), floors: [1] },
    { id: 'teaching', name: text('Teaching'), floors: [1, 2, 3] },
    { id: 'empty', name: text('Empty'), floors: [1] },
  ],
  boxes: [
    { id: 'box-gate', name: text('Gate box'), location: { building: 'gate', floor: 1, point: { x: 100, y: 500 }, text: text('g') }, priority: 'red', silent: false, transport: 'serial', cameras: [] },
    { id: 'box-t2', name: text('T2 box'), location: { building: 'teaching', floor: 2, point: { x: 400, y: 200 }, text: text('t2') }, priority: 'red', silent: false, transport: 'serial', cameras: [] },
  ],
  cameras: [
    { id: 'cam-gate', name: text('Gate cam'), kind: 'fixed', location: { building: 'gate', floor: 1, point: { x: 120, y: 480 }, text: text('g') } },
    { id: 'cam-t3', name: text('T3 cam'), kind: 'fixed', location: { building: 'teaching', floor: 3, point: { x: 450, y: 150 }, text: text('t3') } },
    { id: 'cam-nowhere', name: text('Unplaced'), kind: 'ptz' },
  ],
  patrolTeams: [],
  response: { acknowledgeS: 60, arriveS: 300 },
};

const device = (boxId: string, over: Partial<Device> = {}): Device => ({
  boxId, online: true, latched: false, pressed: false, tamper: false, faults: [], outputs: { strobe: false, siren: false }, lastSeen: '2026-11-23T08:00:00.000Z', ...over,
});
const incident = (id: string, over: Partial<Incident> = {}): Incident => ({
  id, boxId: 'box-gate', kind: 'panic', priority: 'red', state: 'new', openedAt: '2026-11-23T08:00:00.000Z', steps: [], ...over,
});
const camera = (cameraId: string, over: Partial<CameraView> = {}): CameraView => ({ cameraId, kind: 'fixed', state: 'online', since: '2026-11-23T08:00:00.000Z', ...over });

function model(parts: { devices?: Device[]; incidents?: Incident[]; cameras?: CameraView[] }): ViewModel {
  return {
    ...emptyView(),
    ready: true,
    devices: new Map((parts.devices ?? []).map((d) => [d.boxId, d])),
    incidents: new Map((parts.incidents ?? []).map((i) => [i.id, i])),
    cameras: new Map((parts.cameras ?? []).map((c) => [c.cameraId, c])),
  };
}

describe('plan marker status', () => {
  it('colours a box by its hardware state: alarm, tamper, offline, fault, normal', () => {
    expect(boxMarkerStatus('box-gate', model({ devices: [device('box-gate')] }))).toBe('normal');
    expect(boxMarkerStatus('box-gate', model({ devices: [device('box-gate', { latched: true })] }))).toBe('alarm');
    expect(boxMarkerStatus('box-gate', model({ devices: [device('box-gate', { tamper: true })] }))).toBe('tamper');
    expect(boxMarkerStatus('box-gate', model({ devices: [device('box-gate', { online: false })] }))).toBe('offline');
    expect(boxMarkerStatus('box-gate', model({ devices: [device('box-gate', { faults: ['battery'] })] }))).toBe('fault');
    expect(boxMarkerStatus('box-gate', model({}))).toBe('offline');
  });

  it('keeps a box red while its alarm is open, even after the strobe was reset', () => {
    const reset = device('box-gate');
    expect(boxMarkerStatus('box-gate', model({ devices: [reset], incidents: [incident('i1', { state: 'dispatched' })] }))).toBe('alarm');
    expect(boxMarkerStatus('box-gate', model({ devices: [reset], incidents: [incident('i1', { state: 'closed' })] }))).toBe('normal');
    expect(boxMarkerStatus('box-gate', model({ devices: [reset], incidents: [incident('i1', { kind: 'tamper' })] }))).toBe('tamper');
  });

  it('colours a camera: online normal, offline or connecting offline, refused login a fault, a dome on an alarm red', () => {
    expect(cameraMarkerStatus(undefined)).toBe('offline');
    expect(cameraMarkerStatus(camera('c'))).toBe('normal');
    expect(cameraMarkerStatus(camera('c', { state: 'connecting' }))).toBe('offline');
    expect(cameraMarkerStatus(camera('c', { state: 'offline' }))).toBe('offline');
    expect(cameraMarkerStatus(camera('c', { state: 'auth-failed' }))).toBe('fault');
    expect(cameraMarkerStatus(camera('c', { kind: 'ptz', ptz: { serving: 'box-gate', phase: 'dwell', manual: null } }))).toBe('alarm');
  });
});

describe('plan markers and filter', () => {
  it('puts a box marker at its point and links the most urgent open incident for a click', () => {
    const view = model({
      devices: [device('box-gate', { latched: true }), device('box-t2')],
      incidents: [
        incident('old-closed', { state: 'closed' }),
        incident('later', { openedAt: '2026-11-23T08:05:00.000Z' }),
        incident('first', { openedAt: '2026-11-23T08:01:00.000Z' }),
      ],
    });
    const markers = boxMarkers(site, view, NO_FILTER);
    expect(markers.map((m) => [m.box.id, m.point, m.status, m.incidentId])).toEqual([
      ['box-gate', { x: 100, y: 500 }, 'alarm', 'first'],
      ['box-t2', { x: 400, y: 200 }, 'normal', null],
    ]);
  });

  it('draws only cameras with a location', () => {
    expect(cameraMarkers(site, model({}), NO_FILTER).map((m) => m.camera.id)).toEqual(['cam-gate', 'cam-t3']);
  });

  it('dims what is outside the chosen building and floor', () => {
    const filter = { building: 'teaching', floor: 2 };
    expect(boxMarkers(site, model({}), filter).map((m) => [m.box.id, m.dimmed])).toEqual([
      ['box-gate', true],
      ['box-t2', false],
    ]);
    expect(cameraMarkers(site, model({}), filter).map((m) => [m.camera.id, m.dimmed])).toEqual([
      ['cam-gate', true],
      ['cam-t3', true],
    ]);
    expect(matchesFilter({ building: 'teaching', floor: 3 }, { building: 'teaching', floor: null })).toBe(true);
    expect(matchesFilter(undefined, { building: 'teaching', floor: null })).toBe(false);
    expect(matchesFilter(undefined, NO_FILTER)).toBe(true);
  });

  it('outlines each building around what is placed in it, inside the plan', () => {
    const areas = buildingAreas(site, 40);
    expect(areas.map((a) => a.id)).toEqual(['gate', 'teaching']);
    expect(areas[0]).toEqual({ id: 'gate', x: 60, y: 440, width: 100, height: 100 });
    expect(areas[1]).toEqual({ id: 'teaching', x: 360, y: 110, width: 130, height: 130 });
    const clipped = buildingAreas(site, 600);
    for (const a of clipped) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.x + a.width).toBeLessThanOrEqual(1000);
      expect(a.y + a.height).toBeLessThanOrEqual(600);
    }
  });
});
