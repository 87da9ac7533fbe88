// The gateway's HTTP and WebSocket shapes as the dashboard sees them.
// Declared here on purpose: the dashboard never imports server code, so this file is the
// whole contract on the browser side. Keep it in step with the gateway's API, not its internals.

export type Lang = 'zh' | 'en';
export type LocalText = { zh: string; en: string };

export type Priority = 'red' | 'orange' | 'yellow';
export type Transport = 'serial' | 'modbus' | 'mqtt';

export interface User {
  username: string;
  role: string;
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
}

export interface Site {
  site: { id: string; name: LocalText; plan: { width: number; height: number } };
  buildings: Building[];
  boxes: AlarmBox[];
}

export type IncidentKind = 'panic' | 'tamper' | 'fault';
export type IncidentState =
  | 'new'
  | 'acknowledged'
  | 'dispatched'
  | 'on_scene'
  | 'resolved'
  | 'closed'
  | 'cancelled';

export interface IncidentStep {
  action: string;
  at: string;
  by: string;
  note?: string;
  team?: string;
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
  | { type: 'snapshot'; incidents: Incident[]; devices: Device[]; bridge: { connected: boolean } }
  | { type: 'incident'; incident: Incident }
  | { type: 'device'; device: Device }
  | { type: 'device-event'; event: DeviceEvent }
  | { type: 'bridge'; connected: boolean };
