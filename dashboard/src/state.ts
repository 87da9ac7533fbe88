// The page's view model, and how feed messages change it.
// Pure: no DOM, no timers, no sockets; "now" comes in as a value. Every function returns a
// new model and leaves the old one alone, so views can compare and tests need no fakes.
import type { Attachment, CameraView, Device, DeviceEvent, FeedMessage, Incident, IncidentState, Priority } from './api-types.ts';

export type FeedStatus = 'connecting' | 'open' | 'reconnecting';

export interface ViewModel {
  /** False until the first snapshot arrives; the page then shows "waiting for data". */
  ready: boolean;
  incidents: ReadonlyMap<string, Incident>;
  devices: ReadonlyMap<string, Device>;
  bridgeConnected: boolean;
  /** Newest last, at most RECENT_EVENTS long. */
  recentEvents: readonly DeviceEvent[];
  cameras: ReadonlyMap<string, CameraView>;
  /** Attachments announced on the feed since the page opened, by incident, oldest first. */
  attachments: ReadonlyMap<string, readonly Attachment[]>;
}

export const RECENT_EVENTS = 50;

export function emptyView(): ViewModel {
  return {
    ready: false,
    incidents: new Map(),
    devices: new Map(),
    bridgeConnected: false,
    recentEvents: [],
    cameras: new Map(),
    attachments: new Map(),
  };
}

export function applyFeedMessage(view: ViewModel, msg: FeedMessage): ViewModel {
  switch (msg.type) {
    case 'snapshot':
      // A snapshot replaces everything: after a reconnect, whatever we missed is in it.
      return {
        ready: true,
        incidents: new Map(msg.incidents.map((i) => [i.id, i])),
        devices: new Map(msg.devices.map((d) => [d.boxId, d])),
        bridgeConnected: msg.bridge.connected,
        recentEvents: view.recentEvents,
        cameras: new Map((msg.cameras ?? []).map((c) => [c.cameraId, c])),
        attachments: view.attachments,
      };
    case 'incident': {
      const incidents = new Map(view.incidents);
      incidents.set(msg.incident.id, msg.incident);
      return { ...view, incidents };
    }
    case 'device': {
      const devices = new Map(view.devices);
      devices.set(msg.device.boxId, msg.device);
      return { ...view, devices };
    }
    case 'device-event': {
      // Replayed after a reconnect. Match on seq and time both: a restarted gateway may count from 1 again.
      const e = msg.event;
      if (view.recentEvents.some((r) => r.seq === e.seq && r.at === e.at)) return view;
      return { ...view, recentEvents: [...view.recentEvents, e].slice(-RECENT_EVENTS) };
    }
    case 'bridge':
      return { ...view, bridgeConnected: msg.connected };
    case 'camera': {
      const cameras = new Map(view.cameras);
      cameras.set(msg.camera.cameraId, msg.camera);
      return { ...view, cameras };
    }
    case 'attachment': {
      const a = msg.attachment;
      const list = view.attachments.get(a.incidentId) ?? [];
      if (list.some((x) => x.id === a.id)) return view;
      const attachments = new Map(view.attachments);
      attachments.set(a.incidentId, [...list, a]);
      return { ...view, attachments };
    }
  }
}

const FINISHED: ReadonlySet<IncidentState> = new Set(['resolved', 'closed', 'cancelled']);

export function isOpen(incident: Incident): boolean {
  return !FINISHED.has(incident.state);
}

export const PRIORITY_RANK: Readonly<Record<Priority, number>> = { red: 0, orange: 1, yellow: 2 };

/**
 * Open incidents first, most urgent priority first, and within a priority the one waiting
 * longest first. Finished ones follow, newest first, as a short history.
 */
export function compareIncidents(a: Incident, b: Incident): number {
  const openA = isOpen(a);
  const openB = isOpen(b);
  if (openA !== openB) return openA ? -1 : 1;
  const ta = Date.parse(a.openedAt);
  const tb = Date.parse(b.openedAt);
  if (openA) {
    const byPriority = PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority];
    if (byPriority !== 0) return byPriority;
    if (ta !== tb) return ta - tb;
  } else if (ta !== tb) {
    return tb - ta;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function sortedIncidents(view: ViewModel): Incident[] {
  return [...view.incidents.values()].sort(compareIncidents);
}

export function openIncidentCount(view: ViewModel): number {
  let n = 0;
  for (const i of view.incidents.values()) if (isOpen(i)) n++;
  return n;
}

/** A red incident nobody has acknowledged yet: the page flashes it. */
export function needsAttention(incident: Incident): boolean {
  return incident.state === 'new' && incident.priority === 'red';
}

export type DeviceStatus = 'alarm' | 'tamper' | 'offline' | 'fault' | 'normal';

/**
 * One badge per box. An alarm outranks everything (the box may have gone quiet because it
 * was attacked); tamper next, then offline, since an unheard box's other flags are stale.
 */
export function deviceStatus(device: Device | undefined): DeviceStatus {
  if (!device) return 'offline';
  if (device.latched || device.pressed) return 'alarm';
  if (device.tamper) return 'tamper';
  if (!device.online) return 'offline';
  if (device.faults.length > 0) return 'fault';
  return 'normal';
}

/** Whole seconds from an ISO time to now, never negative (clocks on site drift). */
export function secondsSince(iso: string, nowMs: number): number | null {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  return Math.max(0, Math.floor((nowMs - t) / 1000));
}
