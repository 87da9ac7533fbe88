// Which service answers which action: by the namespace of the Body's element first, then by the path posted to.
import { NS } from '../soap-envelope.ts';
import { SERVICE_PATHS, SUBSCRIPTION_PATH, type Handler } from './context.ts';
import { deviceService } from './device.ts';
import { deviceIoService } from './deviceio.ts';
import { eventsService } from './events.ts';
import { mediaService } from './media.ts';
import { ptzService } from './ptz.ts';

export type ServiceName = keyof typeof SERVICE_PATHS;

const SERVICES = { device: deviceService, media: mediaService, ptz: ptzService, events: eventsService, deviceio: deviceIoService } as const;

const BY_NAMESPACE: Record<string, ServiceName> = {
  [NS.tds]: 'device',
  [NS.trt]: 'media',
  [NS.tptz]: 'ptz',
  [NS.tev]: 'events',
  [NS.wsnt]: 'events',
  [NS.tmd]: 'deviceio',
};

function serviceForPath(path: string): ServiceName | undefined {
  if (path.startsWith(SUBSCRIPTION_PATH)) return 'events';
  for (const [name, p] of Object.entries(SERVICE_PATHS)) if (p === path) return name as ServiceName;
  return undefined;
}

export function isServicePath(path: string): boolean {
  return serviceForPath(path) !== undefined;
}

export function resolveHandler(path: string, actionNs: string, action: string): { service: ServiceName; handler: Handler | undefined } {
  const byNs = BY_NAMESPACE[actionNs];
  const byPath = serviceForPath(path) ?? 'device';
  for (const name of [byNs, byPath]) {
    if (!name) continue;
    const handler = SERVICES[name][action];
    if (handler) return { service: name, handler };
  }
  return { service: byNs ?? byPath, handler: undefined };
}
