// The ops page's pure parts: one health row per box and camera with problems first, the
// results of a box test window matched from the feed's device events, and number formatting.
import type { CameraState, CameraView, Device, DeviceEvent, Site } from '../api-types.ts';
import { deviceStatus, type DeviceStatus } from '../state.ts';

export type CameraHealth = CameraState | 'unknown';

export type HealthRow =
  | { kind: 'box'; id: string; status: DeviceStatus; device: Device | undefined; lastSeen: string | null }
  | { kind: 'camera'; id: string; status: CameraHealth; camera: CameraView | undefined; lastSeen: string | null };

/** Lower is worse. Alarms and tamper first, then anything not heard from, then faults. */
const RANK: Record<DeviceStatus | CameraHealth, number> = {
  alarm: 0,
  tamper: 1,
  'auth-failed': 2,
  offline: 2,
  fault: 3,
  unknown: 4,
  connecting: 4,
  normal: 9,
  online: 9,
};

export function healthRank(row: HealthRow): number {
  return RANK[row.status];
}

export function isProblem(row: HealthRow): boolean {
  return healthRank(row) < 9;
}

/** Every configured box and camera, plus any the gateway reports that the site file lacks. */
export function healthRows(site: Site, devices: ReadonlyMap<string, Device>, cameras: ReadonlyMap<string, CameraView>): HealthRow[] {
  const rows: HealthRow[] = [];
  const boxIds = site.boxes.map((b) => b.id);
  for (const id of devices.keys()) if (!boxIds.includes(id)) boxIds.push(id);
  for (const id of boxIds) {
    const device = devices.get(id);
    rows.push({ kind: 'box', id, status: deviceStatus(device), device, lastSeen: device?.lastSeen ?? null });
  }
  const cameraIds = site.cameras.map((c) => c.id);
  for (const id of cameras.keys()) if (!cameraIds.includes(id)) cameraIds.push(id);
  for (const id of cameraIds) {
    const camera = cameras.get(id);
    rows.push({ kind: 'camera', id, status: camera?.state ?? 'unknown', camera, lastSeen: camera?.since ?? null });
  }
  return rows;
}

export type SortKey = 'status' | 'name';

/**
 * By status: worst first; within a status boxes before cameras, then by name. By name: kind,
 * then name. `nameOf` gives the name in the page's language.
 */
export function sortRows(rows: readonly HealthRow[], by: SortKey, nameOf: (row: HealthRow) => string): HealthRow[] {
  const byName = (a: HealthRow, b: HealthRow): number => {
    if (a.kind !== b.kind) return a.kind === 'box' ? -1 : 1;
    const na = nameOf(a);
    const nb = nameOf(b);
    if (na !== nb) return na < nb ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  return [...rows].sort((a, b) => (by === 'status' ? healthRank(a) - healthRank(b) || byName(a, b) : byName(a, b)));
}

// ---- box test windows ----

export const TEST_DEFAULT_S = 30;
export const TEST_MIN_S = 1;
export const TEST_MAX_S = 300;

/** The duration field, in whole seconds within the gateway's limits; null when unusable. */
export function testDurationS(input: string): number | null {
  const text = input.trim();
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= TEST_MIN_S && n <= TEST_MAX_S ? n : null;
}

export interface TestWindow {
  boxId: string;
  durationMs: number;
  /** Page clock when the gateway accepted the test; only for the countdown. */
  startedAtMs: number;
  /** Keys of the device events the page already had when the test was asked for. */
  baseline: ReadonlySet<string>;
}

/** seq and time together: a restarted gateway may count seq from 1 again. */
export function eventKey(e: Pick<DeviceEvent, 'seq' | 'at'>): string {
  return `${e.seq}@${e.at}`;
}

export interface TestResults {
  started: DeviceEvent | null;
  ended: DeviceEvent | null;
  /** Button presses the gateway marked as made during the test: the button path works. */
  presses: DeviceEvent[];
}

const detailOf = (e: DeviceEvent): Record<string, unknown> =>
  typeof e.detail === 'object' && e.detail !== null && !Array.isArray(e.detail) ? (e.detail as Record<string, unknown>) : {};

/**
 * What the feed has told us about this test so far. Only events that arrived after the test was
 * asked for count (not in the baseline), so an earlier test of the same box does not answer for
 * this one; no clock comparison between the page and the gateway is needed.
 */
export function testResults(events: readonly DeviceEvent[], window: TestWindow): TestResults {
  const result: TestResults = { started: null, ended: null, presses: [] };
  for (const e of events) {
    if (e.boxId !== window.boxId || window.baseline.has(eventKey(e))) continue;
    const detail = detailOf(e);
    if (e.kind === 'test') {
      const phase = detail.phase;
      if (phase === 'end' || (phase === undefined && result.started !== null)) result.ended ??= e;
      else result.started ??= e;
    } else if (e.kind === 'button-pressed' && detail.test === true) {
      result.presses.push(e);
    }
  }
  return result;
}

/** Whole seconds left in the window, for the countdown. */
export function remainingS(window: TestWindow, nowMs: number): number {
  return Math.max(0, Math.ceil((window.startedAtMs + window.durationMs - nowMs) / 1000));
}

// ---- formatting ----

export function bytesText(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

/** d h m s, largest two units: "3d 4h", "2h 5m", "42s". */
export function uptimeText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const parts: Array<[number, string]> = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first === -1) return '0s';
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n}${u}`)
    .join(' ');
}
