// What a service handler may see of the camera: state and capabilities, no sockets.
import type { EventBroker } from '../event-broker.ts';
import type { PtzModel, PtzAxes } from '../ptz-model.ts';
import type { PresetTourRunner } from '../preset-tour.ts';
import type { SoapRequest } from '../soap-envelope.ts';
import { SoapFault } from '../soap-fault.ts';

export interface SimPresetState { token: string; name: string; position: PtzAxes }
export interface SimProfile { token: string; name: string; width: number; height: number; encoding: 'H264' | 'H265' }
export interface RelayState { token: string; state: 'active' | 'inactive' }

export interface CameraContext {
  id: string;
  name: string;
  model: 'ptz-tour' | 'ptz' | 'fixed';
  uuid: string;
  /** http://127.0.0.1:PORT (no trailing slash). */
  baseUrl(): string;
  /** The camera's own clock: real time plus the configured skew. */
  cameraNowMs(): number;
  /** Real time (monotonic enough for motion). */
  realNowMs(): number;
  profiles: SimProfile[];
  presets: Map<string, SimPresetState>;
  home: PtzAxes;
  refusedPresets: Set<string>;
  ptz: PtzModel;
  tour: PresetTourRunner | null;
  relays: Map<string, RelayState>;
  broker: EventBroker;
  /** Current state of the event properties, for Initialized messages. */
  motionActive: boolean;
  tamperActive: boolean;
  rtspUrl(profileToken: string): string;
  emit(event: string, ...args: unknown[]): boolean;
}

export interface ServiceCall { cam: CameraContext; req: SoapRequest; atNs: bigint; path: string }
export type Handler = (call: ServiceCall) => string | Promise<string>;
export type Service = Readonly<Record<string, Handler>>;

export const SERVICE_PATHS = {
  device: '/onvif/device_service',
  media: '/onvif/media_service',
  ptz: '/onvif/ptz_service',
  events: '/onvif/events_service',
  deviceio: '/onvif/deviceio_service',
} as const;
export const SUBSCRIPTION_PATH = '/onvif/events/subscription/';
export const SNAPSHOT_PATH = '/onvif/snapshot/';

export function profileOrFault(cam: CameraContext, token: string | undefined): SimProfile {
  const p = cam.profiles.find((x) => x.token === token);
  if (!p) throw new SoapFault('NO_PROFILE', token ?? '(none)');
  return p;
}
