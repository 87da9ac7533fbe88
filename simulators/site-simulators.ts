// Every simulated device a site file describes: alarm boxes on pty serial lines, Modbus IO
// modules on pty buses, MQTT boxes against the site's broker. Used by the demo, the CLI and tests.
import type { SiteConfig } from '../config/schema.ts';
import type { Secrets } from '../config/secrets.ts';
import { PtyPair } from './pty-pair.ts';
import { SimulatedSerialLine } from './serial-box-line.ts';
import { SimulatedIoModule } from './modbus-io-module.ts';
import { SimulatedMqttBoxes } from './mqtt-box.ts';
import type { SimulatedBoxes } from './simulated-boxes.ts';
import { SimulatedCamera } from './camera/simulated-camera.ts';
import { DiscoveryResponder } from './camera/discovery-responder.ts';
import { CameraMedia, type MediaProfile } from './camera/camera-media.ts';

/** Modest sizes: a simulated site's encoders share two cores with everything else. 25 fps, as PAL-region
 * (Chinese) surveillance cameras ship; keyframe every 1 s. Every frame of delay in a pipeline of
 * ffmpeg stages costs 1/fps, so the rate matters to glass-to-glass figures. */
const SIM_PROFILES: Array<MediaProfile & { name: string }> = [
  { token: 'main', name: 'MainStream', width: 960, height: 540, fps: 25, keyframeIntervalS: 1 },
  { token: 'sub', name: 'SubStream', width: 640, height: 360, fps: 25, keyframeIntervalS: 1 },
];

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export interface SiteSimulatorOptions {
  /** Heartbeat interval of simulated serial boxes; defaults to the line's configured interval. */
  serialHeartbeatMs?: number;
  mqttHeartbeatMs?: number;
  /** Live RTSP and real JPEG snapshots from ffmpeg (default); false for ONVIF only. */
  cameraMedia?: boolean;
}

export class SiteSimulators {
  readonly families: Array<{ name: string; sim: SimulatedBoxes }> = [];
  private readonly byBox = new Map<string, SimulatedBoxes>();
  readonly ptys: PtyPair[] = [];
  private mqtt: SimulatedMqttBoxes | null = null;
  readonly cameras = new Map<string, SimulatedCamera>();
  readonly media = new Map<string, CameraMedia>();
  private discovery: DiscoveryResponder | null = null;
  /** The responder answers for exactly these (shared array: cameras added later are announced too). */
  private readonly discoverable: SimulatedCamera[] = [];

  constructor(
    private readonly site: SiteConfig,
    private readonly secrets: Secrets,
    private readonly opts: SiteSimulatorOptions = {},
  ) {
    for (const line of site.serialLines) {
      const boxes = site.alarmBoxes.flatMap((b) => (b.transport.kind === 'serial' && b.transport.line === line.id ? [{ boxId: b.id, address: b.transport.address }] : []));
      if (boxes.length === 0) continue;
      const pty = new PtyPair(line.path);
      this.ptys.push(pty);
      this.add(line.id, new SimulatedSerialLine({ pty, boxes, heartbeatIntervalMs: opts.serialHeartbeatMs ?? line.heartbeatIntervalMs }));
    }
    for (const bus of site.modbusBuses) {
      // One simulated module per bus: a pty has a single device end.
      const mod = bus.modules[0]!;
      const boxes = site.alarmBoxes.flatMap((b) =>
        b.transport.kind === 'modbus' && b.transport.module === mod.id
          ? [{ boxId: b.id, buttonInput: b.transport.buttonInput, tamperInput: b.transport.tamperInput, strobeCoil: b.transport.strobeCoil, sirenCoil: b.transport.sirenCoil }]
          : [],
      );
      if (boxes.length === 0) continue;
      const pty = new PtyPair(bus.path);
      this.ptys.push(pty);
      this.add(mod.id, new SimulatedIoModule({ pty, unit: mod.unit, inputs: mod.inputs, boxes }));
    }
    const mqttBoxes = site.alarmBoxes.filter((b) => b.transport.kind === 'mqtt');
    if (mqttBoxes.length > 0) {
      const host = site.broker.host.includes(':') ? `[${site.broker.host}]` : site.broker.host;
      this.mqtt = new SimulatedMqttBoxes({
        url: `mqtt://${host}:${site.broker.port}`,
        siteId: site.site.id,
        boxes: mqttBoxes.map((b) => ({ boxId: b.id, password: this.secrets.mqtt.boxes[b.id] ?? '' })),
        heartbeatIntervalMs: opts.mqttHeartbeatMs ?? site.broker.heartbeatIntervalMs,
      });
      this.add('mqtt', this.mqtt);
    }
  }

  /** Simulated ONVIF cameras for every camera of the site file on loopback, and their discovery responder. */
  async startCameras(): Promise<void> {
    for (const cam of this.site.cameras) {
      if (!LOOPBACK.has(cam.onvif.host)) continue;
      const creds = this.secrets.cameras[cam.id];
      if (!creds) throw new Error(`no credentials for simulated camera "${cam.id}" in the secrets file`);
      const media = this.opts.cameraMedia === false ? null : new CameraMedia({ cameraName: cam.id, username: creds.username, password: creds.password, rtspPort: 0, profiles: SIM_PROFILES, backchannel: true });
      if (media) this.media.set(cam.id, media);
      const sim = new SimulatedCamera({
        id: cam.id,
        name: cam.name.en,
        model: cam.kind === 'fixed' ? 'fixed' : cam.scan.useCameraTour ? 'ptz-tour' : 'ptz',
        username: creds.username,
        password: creds.password,
        httpPort: cam.onvif.port,
        media,
        profiles: SIM_PROFILES.map((p) => ({ token: p.token, name: p.name, width: p.width, height: p.height, encoding: 'H264' as const })),
      });
      this.cameras.set(cam.id, sim);
    }
    await Promise.all([...this.media.values()].map((m) => m.start()));
    await Promise.all([...this.cameras.values()].map((c) => c.start()));
    const target = this.site.discovery.enabled ? this.site.discovery.probeTargets[0] : undefined;
    if (target && target.startsWith('127.0.0.1:')) {
      this.discoverable.push(...this.cameras.values());
      this.discovery = new DiscoveryResponder({ cameras: this.discoverable, port: Number(target.split(':')[1]) });
      await this.discovery.start();
    }
  }

  /** A camera installed later, not in the site file: discovery will find it. The caller stops it. */
  announce(camera: SimulatedCamera): void {
    this.discoverable.push(camera);
  }

  camera(cameraId: string): SimulatedCamera {
    const c = this.cameras.get(cameraId);
    if (!c) throw new Error(`no simulated camera "${cameraId}"`);
    return c;
  }

  private add(name: string, sim: SimulatedBoxes): void {
    this.families.push({ name, sim });
    for (const id of sim.boxIds) this.byBox.set(id, sim);
  }

  /** Serial and Modbus simulators: they create the ptys the gateway opens. */
  async startWired(): Promise<void> {
    await Promise.all(this.families.filter((f) => f.sim !== this.mqtt).map((f) => f.sim.start()));
  }

  /** MQTT boxes need the broker up. */
  async startMqtt(): Promise<void> {
    await this.mqtt?.start();
  }

  box(boxId: string): SimulatedBoxes {
    const sim = this.byBox.get(boxId);
    if (!sim) throw new Error(`no simulated box "${boxId}"`);
    return sim;
  }

  family(name: string): SimulatedBoxes {
    const f = this.families.find((x) => x.name === name);
    if (!f) throw new Error(`no simulated line, module or broker "${name}"`);
    return f.sim;
  }

  get boxIds(): string[] {
    return [...this.byBox.keys()];
  }

  async stop(): Promise<void> {
    await this.discovery?.stop();
    await Promise.all([...this.cameras.values()].map((c) => c.stop().catch(() => undefined)));
    await Promise.all([...this.media.values()].map((m) => m.stop().catch(() => undefined)));
    await Promise.all(this.families.map((f) => f.sim.stop().catch(() => undefined)));
    await Promise.all(this.ptys.map((p) => p.stop()));
  }
}
