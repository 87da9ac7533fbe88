// Checks what arrives from the gateway before the rest of the page trusts its type.
// Hand-written guards rather than a schema library keep the bundle small; they check what
// the page reads, and drop a message that does not fit instead of half-applying it.
import type {
  AlarmBox,
  ApiErrorBody,
  Attachment,
  BoxCameraLink,
  CameraView,
  Device,
  DeviceEvent,
  FeedMessage,
  Incident,
  LocalText,
  Site,
  SiteCamera,
  User,
} from './api-types.ts';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const oneOf =
  <T extends string>(...values: T[]) =>
  (v: unknown): v is T =>
    isStr(v) && (values as string[]).includes(v);

const isPriority = oneOf('red', 'orange', 'yellow');
const isKind = oneOf('panic', 'tamper', 'fault');
const isState = oneOf('new', 'acknowledged', 'dispatched', 'accepted', 'en_route', 'on_scene', 'resolved', 'closed', 'cancelled');
const isTransport = oneOf('serial', 'modbus', 'mqtt');
const isCameraKind = oneOf('ptz', 'fixed');
const isCameraState = oneOf('connecting', 'online', 'offline', 'auth-failed');
const isPtzPhase = oneOf('idle', 'dwell', 'scan');

const isLocalText = (v: unknown): v is LocalText => isObj(v) && isStr(v.zh) && isStr(v.en);

export function isApiErrorBody(v: unknown): v is ApiErrorBody {
  return isObj(v) && isStr(v.code) && isStr(v.message);
}

export function isUser(v: unknown): v is User {
  return isObj(v) && isStr(v.username) && isStr(v.role);
}

function isStep(v: unknown): boolean {
  return isObj(v) && isStr(v.action) && isStr(v.at) && isStr(v.by);
}

export function isIncident(v: unknown): v is Incident {
  return (
    isObj(v) &&
    isStr(v.id) &&
    isStr(v.boxId) &&
    isKind(v.kind) &&
    isPriority(v.priority) &&
    isState(v.state) &&
    isStr(v.openedAt) &&
    Array.isArray(v.steps) &&
    v.steps.every(isStep)
  );
}

export function isDevice(v: unknown): v is Device {
  return (
    isObj(v) &&
    isStr(v.boxId) &&
    isBool(v.online) &&
    isBool(v.latched) &&
    isBool(v.pressed) &&
    isBool(v.tamper) &&
    Array.isArray(v.faults) &&
    v.faults.every(isStr) &&
    isObj(v.outputs) &&
    isBool(v.outputs.strobe) &&
    isBool(v.outputs.siren) &&
    (v.lastSeen === null || isStr(v.lastSeen))
  );
}

function isDeviceEvent(v: unknown): v is DeviceEvent {
  return isObj(v) && isNum(v.seq) && isStr(v.at) && isStr(v.kind) && isStr(v.boxId) && isStr(v.source);
}

function isBoxCameraLink(v: unknown): v is BoxCameraLink {
  return isObj(v) && isStr(v.camera) && (v.preset === undefined || isStr(v.preset));
}

function isSiteCamera(v: unknown): v is SiteCamera {
  return isObj(v) && isStr(v.id) && isLocalText(v.name) && isCameraKind(v.kind);
}

function isLocation(loc: unknown): loc is AlarmBox['location'] {
  return (
    isObj(loc) &&
    isStr(loc.building) &&
    isNum(loc.floor) &&
    isObj(loc.point) &&
    isNum(loc.point.x) &&
    isNum(loc.point.y) &&
    isLocalText(loc.text)
  );
}

export function isCameraView(v: unknown): v is CameraView {
  if (!isObj(v) || !isStr(v.cameraId) || !isCameraKind(v.kind) || !isCameraState(v.state) || !isStr(v.since)) return false;
  if (v.reason !== undefined && !isStr(v.reason)) return false;
  if (v.ptz === undefined) return true;
  const p = v.ptz;
  if (!isObj(p) || !(p.serving === null || isStr(p.serving)) || !isPtzPhase(p.phase)) return false;
  return p.manual === null || (isObj(p.manual) && isStr(p.manual.by) && isStr(p.manual.until));
}

export function isAttachment(v: unknown): v is Attachment {
  return (
    isObj(v) &&
    isNum(v.id) &&
    isStr(v.incidentId) &&
    isStr(v.cameraId) &&
    v.kind === 'snapshot' &&
    isNum(v.bytes) &&
    isStr(v.at)
  );
}

/** The attachment list of one incident; bad records are dropped, a non-list is null. */
export function parseAttachments(v: unknown): Attachment[] | null {
  return Array.isArray(v) ? v.filter(isAttachment) : null;
}

function isAlarmBox(v: unknown): v is AlarmBox {
  if (!isObj(v) || !isStr(v.id) || !isLocalText(v.name) || !isPriority(v.priority)) return false;
  if (!isBool(v.silent) || !isTransport(v.transport)) return false;
  return isLocation(v.location);
}

export function parseSite(v: unknown): Site | null {
  if (!isObj(v) || !isObj(v.site) || !Array.isArray(v.buildings) || !Array.isArray(v.boxes)) return null;
  const s = v.site;
  if (!isStr(s.id) || !isLocalText(s.name) || !isObj(s.plan) || !isNum(s.plan.width) || !isNum(s.plan.height)) {
    return null;
  }
  const buildingsOk = v.buildings.every(
    (b) => isObj(b) && isStr(b.id) && isLocalText(b.name) && Array.isArray(b.floors) && b.floors.every(isNum),
  );
  if (!buildingsOk || !v.boxes.every(isAlarmBox)) return null;
  // Cameras came later than boxes: a gateway without them still gives a usable site.
  // A camera's place is optional (it is only drawn on the plan): one that does not fit is dropped, not the camera.
  const cameras = (Array.isArray(v.cameras) ? v.cameras.filter(isSiteCamera) : []).map((c) => {
    const { location, ...rest } = c;
    return location !== undefined && isLocation(location) ? { ...rest, location } : rest;
  });
  const boxes = (v.boxes as AlarmBox[]).map((b) => {
    const links: unknown = (b as { cameras?: unknown }).cameras;
    return { ...b, cameras: Array.isArray(links) ? links.filter(isBoxCameraLink) : [] };
  });
  const patrolTeams = Array.isArray(v.patrolTeams) ? v.patrolTeams.filter((t) => isObj(t) && isStr(t.id) && isLocalText(t.name)) : [];
  const r = v.response;
  const response = isObj(r) && isNum(r.acknowledgeS) && isNum(r.arriveS) ? { acknowledgeS: r.acknowledgeS, arriveS: r.arriveS } : { acknowledgeS: 60, arriveS: 300 };
  return { ...(v as unknown as Site), boxes, cameras, patrolTeams: patrolTeams as Site['patrolTeams'], response };
}

/** Parses one WebSocket text frame; null for anything that is not a known, well-formed message. */
export function parseFeedMessage(text: string): FeedMessage | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObj(v)) return null;
  switch (v.type) {
    case 'snapshot': {
      const { incidents, devices, bridge, cameras } = v;
      if (!Array.isArray(incidents) || !Array.isArray(devices) || !isObj(bridge) || !isBool(bridge.connected)) {
        return null;
      }
      // One bad record should not cost the operator the whole snapshot.
      return {
        type: 'snapshot',
        incidents: incidents.filter(isIncident),
        devices: devices.filter(isDevice),
        bridge: { connected: bridge.connected },
        ...(Array.isArray(cameras) ? { cameras: cameras.filter(isCameraView) } : {}),
      };
    }
    case 'incident':
      return isIncident(v.incident) ? { type: 'incident', incident: v.incident } : null;
    case 'device':
      return isDevice(v.device) ? { type: 'device', device: v.device } : null;
    case 'device-event':
      return isDeviceEvent(v.event) ? { type: 'device-event', event: v.event } : null;
    case 'bridge':
      return isBool(v.connected) ? { type: 'bridge', connected: v.connected } : null;
    case 'camera':
      return isCameraView(v.camera) ? { type: 'camera', camera: v.camera } : null;
    case 'attachment':
      return isAttachment(v.attachment) ? { type: 'attachment', attachment: v.attachment } : null;
    default:
      return null;
  }
}
