// What the live feed carries. Shapes match dashboard/src/api-types.ts (the browser's contract).
import type { DeviceEvent } from '../../firmware-bridge/link/messages.ts';
import type { LocalTextValue } from '../../config/schema.ts';
import type { Incident } from '../domain/incident.ts';
import type { DeviceView } from '../domain/device-state.ts';
import type { IncidentAttachment } from '../journal/journal.ts';

/** A camera as the centre sees it: health from the ONVIF adapter, what linkage is doing with it. */
export interface CameraView {
  cameraId: string;
  kind: 'ptz' | 'fixed';
  state: 'connecting' | 'online' | 'offline' | 'auth-failed';
  since: string;
  reason?: string;
  ptz?: { serving: string | null; phase: 'idle' | 'dwell' | 'scan'; manual: { by: string; until: string } | null };
}

export interface Snapshot {
  site: { id: string; name: LocalTextValue; boxes: number };
  /** Open incidents in alarm order, then up to 50 most recently closed or cancelled. */
  incidents: Incident[];
  devices: DeviceView[];
  bridge: { connected: boolean };
  cameras: CameraView[];
}

export type FeedMessage =
  | ({ type: 'snapshot' } & Snapshot)
  | { type: 'incident'; incident: Incident }
  | { type: 'device-event'; event: DeviceEvent }
  | { type: 'device'; device: DeviceView }
  | { type: 'bridge'; connected: boolean }
  | { type: 'camera'; camera: CameraView }
  | { type: 'attachment'; attachment: Omit<IncidentAttachment, 'file'> };

/** Live messages: everything but the snapshot, which each socket gets on connect. */
export type LiveFeedMessage = Exclude<FeedMessage, { type: 'snapshot' }>;
