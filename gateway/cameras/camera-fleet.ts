// All of a site's cameras: one OnvifCamera per configured camera, started and stopped together,
// their health and events re-emitted with the camera id. Discovery only reports cameras that are
// not in the site file: adopting one needs credentials from the installer, never a guess.
import { EventEmitter } from 'node:events';
import type { CameraConfig } from '../../config/schema.ts';
import type { Logger } from '../../common/logger.ts';
import { probe, type DiscoveredDevice } from './discovery.ts';
import { OnvifCamera, type CameraEvent, type CameraHealth, type CameraTiming } from './onvif-camera.ts';
import type { Credentials } from './soap-transport.ts';

export interface FleetHealth extends CameraHealth {
  cameraId: string;
}

export interface FleetEvent extends CameraEvent {
  cameraId: string;
}

export interface CameraFleetOptions {
  cameras: CameraConfig[];
  credentials: (cameraId: string) => Credentials | null;
  discovery: { enabled: boolean; probeTargets: string[]; timeoutMs: number };
  logger: Logger;
  timing?: Partial<CameraTiming>;
}

export class CameraFleet extends EventEmitter {
  private readonly cameras = new Map<string, OnvifCamera>();
  private readonly configs: CameraConfig[];
  private readonly discoveredDevices = new Map<string, DiscoveredDevice>();
  private readonly log: Logger;
  private discovering: Promise<void> | null = null;
  private started = false;

  constructor(private readonly options: CameraFleetOptions) {
    super();
    this.configs = options.cameras;
    this.log = options.logger.child({ component: 'camera-fleet' });
    for (const config of options.cameras) {
      const credentials = options.credentials(config.id);
      if (!credentials) {
        this.log.warn({ camera: config.id }, 'no credentials in the secrets file for this camera; not connecting');
        continue;
      }
      const cam = new OnvifCamera({ config, credentials, logger: options.logger, timing: options.timing });
      cam.on('health', (h: CameraHealth) => this.emit('health', { cameraId: config.id, ...h } satisfies FleetHealth));
      cam.on('event', (e: CameraEvent) => this.emit('event', { cameraId: config.id, ...e } satisfies FleetEvent));
      this.cameras.set(config.id, cam);
    }
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const cam of this.cameras.values()) cam.start();
    if (this.options.discovery.enabled) this.discovering = this.discover().then(() => undefined, (err: unknown) => this.log.warn({ err: (err as Error).message }, 'discovery failed'));
  }

  async stop(): Promise<void> {
    this.started = false;
    await this.discovering;
    await Promise.all([...this.cameras.values()].map((c) => c.close()));
  }

  get(id: string): OnvifCamera | undefined {
    return this.cameras.get(id);
  }

  list(): Array<{ id: string; health: CameraHealth }> {
    return this.configs.map((c) => ({ id: c.id, health: this.cameras.get(c.id)?.health() ?? { state: 'auth-failed', since: new Date(0).toISOString(), reason: 'no credentials' } }));
  }

  /** Devices discovery found that no configured camera accounts for. */
  discovered(): DiscoveredDevice[] {
    return [...this.discoveredDevices.values()];
  }

  /** One probe round; emits 'discovered' for each device not in the site file (once per device). */
  async discover(): Promise<DiscoveredDevice[]> {
    const { probeTargets, timeoutMs } = this.options.discovery;
    const devices = await probe({ targets: probeTargets, timeoutMs, logger: this.log });
    const known = new Set(this.configs.map((c) => `${c.onvif.host}:${c.onvif.port}`));
    const unknown: DiscoveredDevice[] = [];
    for (const d of devices) {
      const configured = d.xaddrs.some((x) => {
        try {
          const u = new URL(x);
          return known.has(`${u.hostname.replace(/^\[|\]$/g, '')}:${u.port || '80'}`);
        } catch {
          return false;
        }
      });
      if (configured) continue;
      unknown.push(d);
      if (!this.discoveredDevices.has(d.endpoint)) {
        this.discoveredDevices.set(d.endpoint, d);
        this.emit('discovered', d);
      }
    }
    return unknown;
  }
}
