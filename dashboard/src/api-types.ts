// The gateway's HTTP and WebSocket shapes as the dashboard sees them.
// Declared here on purpose: the dashboard never imports server code, so this file is the
// whole contract on the browser side. Keep it in step with the gateway's API, not its internals.

export type Lang = 'zh' | 'en';
export type LocalText = { zh: string; en: string };

export type Priority = 'red' | 'orange' | 'yellow';
export type Transport = 'serial' | 'modbus' | 'mqtt';

export type Role = 'admin' | 'operator' | 'security' | 'patrol';

export interface User {
  username: string;
  role: string;
  /** A patrol officer's team (a patrolTeams id from /api/site); null for everyone else. */
  team?: string | null;
  /** What the server lets this user do (GET /api/me); the server still checks every request. */
  permissions?: string[];
}

/** An account as the administrator sees it (GET /api/users). */
export interface UserRecord {
  username: string;
  role: Role;
  team: string | null;
  disabled: boolean;
  createdAt: string;
}

export interface PatrolTeam {
  id: string;
  name: LocalText;
}

/** Targets the centre is measured against (seconds from the alarm). */
export interface ResponseTargets {
  acknowledgeS: number;
  arriveS: number;
}

export interface SessionResponse {
  token: string;
  user: User;
}

/** Every error the gateway sends, and every error api.ts raises, has this shape. */
export interface ApiErrorBody {
  code: string;
  message: string;
}

export interface Point {
  x: number;
  y: number;
}

export interface Building {
  id: string;
  name: LocalText;
  floors: number[];
}

export interface AlarmBox {
  id: string;
  name: LocalText;
  location: { building: string; floor: number; point: Point; text: LocalText };
  priority: Priority;
  silent: boolean;
  transport: Transport;
  /** Linked cameras: the box's own, the dome above it (with its preset), others nearby. */
  cameras: BoxCameraLink[];
}

export interface BoxCameraLink {
  camera: string;
  preset?: string;
}

export type CameraKind = 'ptz' | 'fixed';

/** A camera as /api/site describes it: no address, no credentials. */
export interface SiteCamera {
  id: string;
  name: LocalText;
  kind: CameraKind;
  /** Where it hangs, when the site file says (drawn on the plan). */
  location?: AlarmBox['location'];
}

export interface Site {
  site: { id: string; name: LocalText; plan: { width: number; height: number } };
  buildings: Building[];
  boxes: AlarmBox[];
  cameras: SiteCamera[];
  patrolTeams: PatrolTeam[];
  response: ResponseTargets;
}

export type CameraState = 'connecting' | 'online' | 'offline' | 'auth-failed';
export type PtzPhase = 'idle' | 'dwell' | 'scan';

/** A camera's health and what linkage is doing with it, from the feed. */
export interface CameraView {
  cameraId: string;
  kind: CameraKind;
  state: CameraState;
  /** ISO 8601. */
  since: string;
  reason?: string;
  ptz?: { serving: string | null; phase: PtzPhase; manual: { by: string; until: string } | null };
}

/** A picture the gateway saved for an incident (GET /api/incidents/:id/attachments). */
export interface Attachment {
  id: number;
  incidentId: string;
  cameraId: string;
  kind: 'snapshot';
  bytes: number;
  /** ISO 8601. */
  at: string;
}

export type IncidentKind = 'panic' | 'tamper' | 'fault';
export type IncidentState =
  | 'new'
  | 'acknowledged'
  | 'dispatched'
  | 'accepted'
  | 'en_route'
  | 'on_scene'
  | 'resolved'
  | 'closed'
  | 'cancelled';

/** What a step of an incident records (contract #5). */
export type StepAction =
  | 'opened'
  | 're-triggered'
  | 'acknowledge'
  | 'dispatch'
  | 'accept'
  | 'en-route'
  | 'on-scene'
  | 'resolve'
  | 'close'
  | 'cancel';

export type CancelReason = 'false_alarm' | 'drill' | 'test' | 'other';

export interface IncidentStep {
  /** One of StepAction; kept a string so a newer gateway's step still shows. */
  action: string;
  at: string;
  by: string;
  note?: string;
  team?: string;
  reason?: string;
}

export interface Incident {
  id: string;
  boxId: string;
  kind: IncidentKind;
  priority: Priority;
  state: IncidentState;
  /** ISO 8601. */
  openedAt: string;
  steps: IncidentStep[];
}

export interface Device {
  boxId: string;
  online: boolean;
  latched: boolean;
  pressed: boolean;
  tamper: boolean;
  faults: string[];
  outputs: { strobe: boolean; siren: boolean };
  /** ISO 8601, or null when the box has never been heard. */
  lastSeen: string | null;
}

export interface DeviceEvent {
  seq: number;
  at: string;
  kind: string;
  boxId: string;
  source: string;
  detail: unknown;
}

export type FeedMessage =
  | { type: 'snapshot'; incidents: Incident[]; devices: Device[]; bridge: { connected: boolean }; cameras?: CameraView[] }
  | { type: 'incident'; incident: Incident }
  | { type: 'device'; device: Device }
  | { type: 'device-event'; event: DeviceEvent }
  | { type: 'bridge'; connected: boolean }
  | { type: 'camera'; camera: CameraView }
  | { type: 'attachment'; attachment: Attachment };

/** GET /api/health: the gateway's own health, for the ops view. */
export interface GatewayHealth {
  ok: boolean;
  now: string;
  startedAt: string;
  uptimeS: number;
  bridge: { connected: boolean };
  openIncidents: number;
  devices: { total: number; online: number; inAlarm: number };
  cameras: { total: number; online: number };
  process: { rssMiB: number; heapUsedMiB: number };
  journal: { bytes: number };
  disk: { freeBytes: number | null };
}

/** GET /api/config: the running site configuration with every secret removed. */
export interface RunningConfig {
  source: string;
  loadedAt: string;
  config: Record<string, unknown>;
}
