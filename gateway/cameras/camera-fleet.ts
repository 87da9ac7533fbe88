// All of a site's cameras: one OnvifCamera per configured camera, started and stopped together,
// their health and events re-emitted with the camera id. Discovery reports cameras that are not in
// the site file, and adopts them only with the site-wide account the installer gave ("*" in the
// secrets file), never with a guess.
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
  discovery: { enabled: boolean; probeTargets: string[]; timeoutMs: number; intervalMs?: number };
  /** Credentials for cameras found by discovery; null = report them, do not adopt. */
  adoptWith?: Credentials | null;
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
  private discoveryTimer: NodeJS.Timeout | null = null;
  private readonly adopted: CameraConfig[] = [];

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
      this.add(config, credentials);
    }
  }

  private add(config: CameraConfig, credentials: Credentials): OnvifCamera {
    const cam = new OnvifCamera({ config, credentials, logger: this.options.logger, timing: this.options.timing });
    cam.on('health', (h: CameraHealth) => this.emit('health', { cameraId: config.id, ...h } satisfies FleetHealth));
    cam.on('event', (e: CameraEvent) => this.emit('event', { cameraId: config.id, ...e } satisfies FleetEvent));
    this.cameras.set(config.id, cam);
    return cam;
  }

  /** A discovered camera becomes a (fixed, unlinked) camera of the site, with the site-wide account. */
  private adopt(d: DiscoveredDevice): void {
    const creds = this.options.adoptWith;
    const xaddr = d.xaddrs.map((x) => { try { return new URL(x); } catch { return null; } }).find((u) => u && u.protocol === 'http:');
    if (!creds || !xaddr) return;
    const id = `found-${d.endpoint.replace(/^urn:uuid:/, '').replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 12)}`;
    if (this.cameras.has(id)) return;
    const label = d.name ?? d.hardware ?? id;
    const config: CameraConfig = {
      id,
      name: { zh: `自动发现：${label}`, en: `Discovered: ${label}` },
      kind: 'fixed',
      onvif: { host: xaddr.hostname.replace(/^\[|\]$/g, ''), port: Number(xaddr.port || 80), path: xaddr.pathname || '/onvif/device_service' },
      scan: { dwellMs: 10000, presets: [], stepMs: 5000, useCameraTour: true },
    };
    this.adopted.push(config);
    const cam = this.add(config, creds);
    this.log.info({ camera: id, endpoint: d.endpoint, xaddr: xaddr.origin }, 'camera found by discovery adopted');
    this.emit('adopted', config);
    if (this.started) cam.start();
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const cam of this.cameras.values()) cam.start();
    if (this.options.discovery.enabled) {
      const round = () => {
        this.discovering = this.discover().then(() => undefined, (err: unknown) => this.log.warn({ err: (err as Error).message }, 'discovery failed'));
      };
      round();
      this.discoveryTimer = setInterval(round, this.options.discovery.intervalMs ?? 300000);
      this.discoveryTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.discoveryTimer) clearInterval(this.discoveryTimer);
    await this.discovering;
    await Promise.all([...this.cameras.values()].map((c) => c.close()));
  }

  get(id: string): OnvifCamera | undefined {
    return this.cameras.get(id);
  }

  list(): Array<{ id: string; health: CameraHealth }> {
    return [...this.configs, ...this.adopted].map((c) => ({ id: c.id, health: this.cameras.get(c.id)?.health() ?? { state: 'auth-failed', since: new Date(0).toISOString(), reason: 'no credentials' } }));
  }

  /** Devices discovery found that no configured camera accounts for. */
  discovered(): DiscoveredDevice[] {
    return [...this.discoveredDevices.values()];
  }

  /** One probe round; emits 'discovered' for each device not in the site file (once per device). */
  async discover(): Promise<DiscoveredDevice[]> {
    const { probeTargets, timeoutMs } = this.options.discovery;
    const devices = await probe({ targets: probeTargets, timeoutMs, logger: this.log });
    const known = new Set([...this.configs, ...this.adopted].map((c) => `${c.onvif.host}:${c.onvif.port}`));
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
        if (this.started) this.adopt(d);
      }
    }
    return unknown;
  }
}
