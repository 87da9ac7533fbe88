import { describe, expect, it } from 'vitest';
import type { CameraView, Device, DeviceEvent, Site } from '../../../dashboard/src/api-types.ts';
import {
  bytesText,
  eventKey,
  healthRows,
  isProblem,
  remainingS,
  sortRows,
  testDurationS,
  testResults,
  uptimeText,
  type HealthRow,
  type TestWindow,
} from '../../../dashboard/src/ops/ops-logic.ts';
import { parseHealth, parseRunningConfig } from '../../../dashboard/src/ops/ops-parse.ts';

const AT = '2026-11-23T08:00:00.000Z';

function box(id: string) {
  return {
    id,
    name: { zh: id, en: id },
    location: { building: 'gate', floor: 1, point: { x: 1, y: 1 }, text: { zh: '', en: '' } },
    priority: 'red' as const,
    silent: false,
    transport: 'serial' as const,
    cameras: [],
  };
}

function site(boxIds: string[], cameraIds: string[]): Site {
  return {
    site: { id: 's', name: { zh: 's', en: 's' }, plan: { width: 100, height: 100 } },
    buildings: [],
    boxes: boxIds.map(box),
    cameras: cameraIds.map((id) => ({ id, name: { zh: id, en: id }, kind: 'fixed' as const })),
    patrolTeams: [],
    response: { acknowledgeS: 60, arriveS: 300 },
  };
}

function device(boxId: string, over: Partial<Device> = {}): Device {
  return { boxId, online: true, latched: false, pressed: false, tamper: false, faults: [], outputs: { strobe: false, siren: false }, lastSeen: AT, ...over };
}

function camera(cameraId: string, state: CameraView['state']): CameraView {
  return { cameraId, kind: 'fixed', state, since: AT };
}

describe('device health rows', () => {
  it('lists every configured box and camera plus unknown ones, problems first', () => {
    const devices = new Map([
      ['box-ok', device('box-ok')],
      ['box-alarm', device('box-alarm', { latched: true })],
      ['box-fault', device('box-fault', { faults: ['battery'] })],
      ['box-extra', device('box-extra', { online: false })],
    ]);
    const cameras = new Map([
      ['cam-ok', camera('cam-ok', 'online')],
      ['cam-auth', camera('cam-auth', 'auth-failed')],
    ]);
    const rows = healthRows(site(['box-ok', 'box-alarm', 'box-fault', 'box-silent'], ['cam-ok', 'cam-auth', 'cam-none']), devices, cameras);
    expect(rows.map((r) => `${r.kind}:${r.id}:${r.status}`)).toEqual([
      'box:box-ok:normal',
      'box:box-alarm:alarm',
      'box:box-fault:fault',
      'box:box-silent:offline',
      'box:box-extra:offline',
      'camera:cam-ok:online',
      'camera:cam-auth:auth-failed',
      'camera:cam-none:unknown',
    ]);
    const byStatus = sortRows(rows, 'status', (r) => r.id);
    expect(byStatus.map((r) => r.id)).toEqual(['box-alarm', 'box-extra', 'box-silent', 'cam-auth', 'box-fault', 'cam-none', 'box-ok', 'cam-ok']);
    expect(byStatus.filter(isProblem).map((r) => r.id)).toEqual(['box-alarm', 'box-extra', 'box-silent', 'cam-auth', 'box-fault', 'cam-none']);
    const byName = sortRows(rows, 'name', (r) => r.id);
    expect(byName.map((r) => r.id)).toEqual(['box-alarm', 'box-extra', 'box-fault', 'box-ok', 'box-silent', 'cam-auth', 'cam-none', 'cam-ok']);
  });

  it('ranks tamper above offline and offline above a fault', () => {
    const rows: HealthRow[] = [
      { kind: 'box', id: 'a', status: 'fault', device: undefined, lastSeen: null },
      { kind: 'box', id: 'b', status: 'offline', device: undefined, lastSeen: null },
      { kind: 'box', id: 'c', status: 'tamper', device: undefined, lastSeen: null },
    ];
    expect(sortRows(rows, 'status', (r) => r.id).map((r) => r.status)).toEqual(['tamper', 'offline', 'fault']);
  });
});

function ev(seq: number, kind: string, boxId: string, detail: unknown, at = `2026-11-23T08:00:${String(seq).padStart(2, '0')}.000Z`): DeviceEvent {
  return { seq, at, kind, boxId, source: 'line-a', detail };
}

describe('test window results', () => {
  const before = [
    ev(1, 'test', 'box-gate', { by: 'ops', durationMs: 30000, phase: 'start' }),
    ev(2, 'button-pressed', 'box-gate', { test: true }),
    ev(3, 'test', 'box-gate', { by: 'ops', phase: 'end' }),
  ];
  const window: TestWindow = { boxId: 'box-gate', durationMs: 30000, startedAtMs: 1_000_000, baseline: new Set(before.map(eventKey)) };

  it('ignores an earlier test of the same box', () => {
    expect(testResults(before, window)).toEqual({ started: null, ended: null, presses: [] });
  });

  it('matches the start, the test-marked presses of this box and the end', () => {
    const events = [
      ...before,
      ev(4, 'test', 'box-gate', { by: 'admin', durationMs: 30000, phase: 'start' }),
      ev(5, 'button-pressed', 'box-dorm', { test: true }),
      ev(6, 'button-pressed', 'box-gate', { silent: false }),
      ev(7, 'button-pressed', 'box-gate', { test: true, silent: false }),
      ev(8, 'button-released', 'box-gate', { test: true }),
      ev(9, 'test', 'box-gate', { by: 'admin', phase: 'end' }),
    ];
    const res = testResults(events, window);
    expect(res.started?.seq).toBe(4);
    expect(res.presses.map((e) => e.seq)).toEqual([7]);
    expect(res.ended?.seq).toBe(9);
  });

  it('tells a restarted gateway counting from 1 again apart by time', () => {
    const restarted = ev(1, 'test', 'box-gate', { by: 'admin', phase: 'start' }, '2026-11-23T09:00:00.000Z');
    expect(testResults([...before, restarted], window).started).toBe(restarted);
  });

  it('without phase details, the first test event starts and the second ends', () => {
    const events = [ev(10, 'test', 'box-gate', { by: 'x' }), ev(11, 'test', 'box-gate', { by: 'x' })];
    const res = testResults(events, { ...window, baseline: new Set() });
    expect([res.started?.seq, res.ended?.seq]).toEqual([10, 11]);
  });

  it('counts down in whole seconds, never below zero', () => {
    expect(remainingS(window, 1_000_000)).toBe(30);
    expect(remainingS(window, 1_000_000 + 29_001)).toBe(1);
    expect(remainingS(window, 1_000_000 + 31_000)).toBe(0);
  });

  it('accepts whole seconds from 1 to 300 only', () => {
    expect(testDurationS('30')).toBe(30);
    expect(testDurationS(' 300 ')).toBe(300);
    for (const bad of ['0', '301', '2.5', '', 'abc', '-5']) expect(testDurationS(bad)).toBeNull();
  });
});

describe('formatting and parsing', () => {
  it('formats bytes and uptime', () => {
    expect(bytesText(512)).toBe('512 B');
    expect(bytesText(1536)).toBe('1.5 KiB');
    expect(bytesText(5 * 1024 ** 3)).toBe('5.0 GiB');
    expect(bytesText(null)).toBe('—');
    expect(uptimeText(42)).toBe('42s');
    expect(uptimeText(3 * 86400 + 4 * 3600 + 5)).toBe('3d 4h');
    expect(uptimeText(2 * 3600 + 5 * 60 + 7)).toBe('2h 5m');
    expect(uptimeText(0)).toBe('0s');
  });

  it('checks the health and config replies', () => {
    const health = {
      ok: true,
      now: AT,
      startedAt: AT,
      uptimeS: 10,
      bridge: { connected: true },
      openIncidents: 0,
      devices: { total: 5, online: 5, inAlarm: 0 },
      cameras: { total: 3, online: 2 },
      process: { rssMiB: 80.5, heapUsedMiB: 30 },
      journal: { bytes: 4096 },
      disk: { freeBytes: null },
    };
    expect(parseHealth(health)).toEqual(health);
    expect(parseHealth({ ...health, disk: {} })).toBeNull();
    expect(parseHealth({ ...health, bridge: { connected: 'yes' } })).toBeNull();
    expect(parseRunningConfig({ source: '/etc/site.yaml', loadedAt: AT, config: { site: { id: 's' } } })?.source).toBe('/etc/site.yaml');
    expect(parseRunningConfig({ source: '/etc/site.yaml', loadedAt: AT, config: [] })).toBeNull();
  });
});
