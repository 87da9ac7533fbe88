// What the school plan on the console shows: one marker per box and per located camera,
// coloured by state, and the filter by building and floor. Pure.
import type { AlarmBox, CameraView, Incident, Point, Site, SiteCamera } from './api-types.ts';
import { compareIncidents, deviceStatus, isOpen, type DeviceStatus, type ViewModel } from './state.ts';

export type MarkerStatus = DeviceStatus;

/** Worst first: an alarm outranks a tamper, which outranks offline, fault, normal. */
const RANK: Readonly<Record<MarkerStatus, number>> = { alarm: 0, tamper: 1, offline: 2, fault: 3, normal: 4 };

export function worstStatus(...statuses: MarkerStatus[]): MarkerStatus {
  return statuses.reduce<MarkerStatus>((a, b) => (RANK[b] < RANK[a] ? b : a), 'normal');
}

/** An open incident on the box counts as much as the hardware flag (a reset box may still have an open alarm). */
export function boxMarkerStatus(boxId: string, view: ViewModel): MarkerStatus {
  const fromDevice = deviceStatus(view.devices.get(boxId));
  let fromIncidents: MarkerStatus = 'normal';
  for (const i of view.incidents.values()) {
    if (i.boxId !== boxId || !isOpen(i)) continue;
    fromIncidents = worstStatus(fromIncidents, i.kind === 'panic' ? 'alarm' : i.kind === 'tamper' ? 'tamper' : 'fault');
  }
  return worstStatus(fromDevice, fromIncidents);
}

/** A camera: offline until the gateway says online; a refused login is a fault; a dome serving an alarm shows it. */
export function cameraMarkerStatus(view: CameraView | undefined): MarkerStatus {
  if (!view) return 'offline';
  switch (view.state) {
    case 'online':
      return view.ptz?.serving ? 'alarm' : 'normal';
    case 'auth-failed':
      return 'fault';
    case 'connecting':
    case 'offline':
      return 'offline';
  }
}

export interface PlanFilter {
  /** null: every building. */
  building: string | null;
  /** null: every floor. Only meaningful with a building. */
  floor: number | null;
}

export const NO_FILTER: PlanFilter = { building: null, floor: null };

export function matchesFilter(location: { building: string; floor: number } | undefined, filter: PlanFilter): boolean {
  if (filter.building === null) return true;
  if (!location || location.building !== filter.building) return false;
  return filter.floor === null || location.floor === filter.floor;
}

export interface BoxMarker {
  kind: 'box';
  box: AlarmBox;
  point: Point;
  status: MarkerStatus;
  /** The most urgent open incident on the box, if any: a click selects it. */
  incidentId: string | null;
  dimmed: boolean;
}

export interface CameraMarker {
  kind: 'camera';
  camera: SiteCamera;
  point: Point;
  status: MarkerStatus;
  dimmed: boolean;
}

export function boxMarkers(site: Site, view: ViewModel, filter: PlanFilter): BoxMarker[] {
  const openByBox = new Map<string, Incident>();
  for (const i of [...view.incidents.values()].filter(isOpen).sort(compareIncidents)) {
    if (!openByBox.has(i.boxId)) openByBox.set(i.boxId, i);
  }
  return site.boxes.map((box) => ({
    kind: 'box',
    box,
    point: box.location.point,
    status: boxMarkerStatus(box.id, view),
    incidentId: openByBox.get(box.id)?.id ?? null,
    dimmed: !matchesFilter(box.location, filter),
  }));
}

export function cameraMarkers(site: Site, view: ViewModel, filter: PlanFilter): CameraMarker[] {
  const out: CameraMarker[] = [];
  for (const camera of site.cameras) {
    if (!camera.location) continue;
    out.push({
      kind: 'camera',
      camera,
      point: camera.location.point,
      status: cameraMarkerStatus(view.cameras.get(camera.id)),
      dimmed: !matchesFilter(camera.location, filter),
    });
  }
  return out;
}

export interface BuildingArea {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The site file gives buildings no outline, so each is drawn as the rectangle around its boxes
 * and cameras, padded by `pad` and kept inside the plan. Buildings with nothing placed are left out.
 */
export function buildingAreas(site: Site, pad: number): BuildingArea[] {
  const { width, height } = site.site.plan;
  const out: BuildingArea[] = [];
  for (const b of site.buildings) {
    const points: Point[] = [
      ...site.boxes.filter((x) => x.location.building === b.id).map((x) => x.location.point),
      ...site.cameras.filter((c) => c.location?.building === b.id).map((c) => c.location!.point),
    ];
    if (points.length === 0) continue;
    const x0 = Math.max(0, Math.min(...points.map((p) => p.x)) - pad);
    const y0 = Math.max(0, Math.min(...points.map((p) => p.y)) - pad);
    const x1 = Math.min(width, Math.max(...points.map((p) => p.x)) + pad);
    const y1 = Math.min(height, Math.max(...points.map((p) => p.y)) + pad);
    out.push({ id: b.id, x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
  }
  return out;
}
