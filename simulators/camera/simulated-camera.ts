// A simulated ONVIF camera (Profile S + PTZ + events + DeviceIO) on 127.0.0.1, with faults on demand.
// Owns: one HTTP server and its sockets, the event broker's pull timers, the preset tour timer, slow-answer timers.
import { EventEmitter } from 'node:events';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createRootLogger, componentLogger, type Logger } from '../../common/logger.ts';
import { EventBroker } from './event-broker.ts';
import { DigestAuthority } from './http-digest.ts';
import { PresetTourRunner } from './preset-tour.ts';
import { PtzModel } from './ptz-model.ts';
import { handleRequest } from './soap-endpoint.ts';
import { NonceCache } from './ws-security.ts';
import { SERVICE_PATHS, type CameraContext, type RelayState, type SimPresetState, type SimProfile } from './services/context.ts';
import { motionMessage, tamperMessage } from './services/events.ts';
import { gotoPresetNow } from './services/ptz.ts';
import { TINY_JPEG } from './tiny-jpeg.ts';

export interface SimPreset { token: string; name: string; pan: number; tilt: number; zoom: number }
export interface CameraMediaLike { rtspUrl(profileToken: string): string; snapshot(profileToken?: string): Promise<Buffer> }
export interface SimulatedCameraOptions {
  id: string;
  name: string;
  model: 'ptz-tour' | 'ptz' | 'fixed';
  username: string;
  password: string;
  httpPort?: number;
  presets?: SimPreset[];
  panSpeedDegPerS?: number;
  /** Not in the brief's list but implied by it: tilt speed (default 60 deg/s). */
  tiltSpeedDegPerS?: number;
  media?: CameraMediaLike | null;
  profiles?: Array<{ token: string; name: string; width: number; height: number; encoding: 'H264' | 'H265' }>;
  /** Stay time at each spot of the built-in preset tour (default 5000 ms). */
  tourStayMs?: number;
  logger?: Logger;
}

const DEFAULT_PRESETS: SimPreset[] = [
  { token: '1', name: 'Gate', pan: 0, tilt: 0, zoom: 0 },
  { token: '2', name: 'Playground', pan: 0.5, tilt: -0.2, zoom: 0.3 },
  { token: '3', name: 'Car park', pan: -0.5, tilt: -0.1, zoom: 0.2 },
  { token: '4', name: 'Fence', pan: 0.9, tilt: -0.3, zoom: 0.6 },
];
const DEFAULT_PROFILES: SimProfile[] = [
  { token: 'main', name: 'MainStream', width: 1920, height: 1080, encoding: 'H264' },
  { token: 'sub', name: 'SubStream', width: 640, height: 360, encoding: 'H264' },
];
export const RELAY_TOKENS = ['AlarmOut_0', 'AlarmOut_1'] as const;
const MAX_SLOW_MS = 120_000;

export function cameraUuid(id: string): string {
  const h = createHash('sha1').update(`campus-alarm-gateway/camera/${id}`).digest('hex');
  const v = `5${h.slice(13, 16)}`;
  const variant = ((Number.parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${v}-${variant}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

const realNowMs = (): number => performance.timeOrigin + performance.now();

export class SimulatedCamera extends EventEmitter {
  readonly uuid: string;
  private readonly opts: SimulatedCameraOptions;
  private readonly log: Logger;
  private readonly ctx: CameraContext;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly slowTimers = new Set<{ timer: NodeJS.Timeout; done: (ok: boolean) => void }>();
  private readonly digest: DigestAuthority;
  private readonly nonces = new NonceCache();
  private port = 0;
  private skewMs = 0;
  private slowMs = 0;
  private offline = false;
  private state: 'new' | 'running' | 'stopped' = 'new';
  /** Listener transitions (offline/online/stop) run one after another. */
  private transition: Promise<void> = Promise.resolve();

  constructor(opts: SimulatedCameraOptions) {
    super();
    this.opts = opts;
    this.uuid = cameraUuid(opts.id);
    this.log = componentLogger(opts.logger ?? createRootLogger('camera-sim', process.env.LOG_LEVEL ?? 'warn'), 'simulated-camera', { cameraId: opts.id });
    this.digest = new DigestAuthority(`ONVIF-${opts.id}`, { username: opts.username, password: opts.password });
    const presets = new Map<string, SimPresetState>();
    for (const p of opts.presets ?? DEFAULT_PRESETS) presets.set(p.token, { token: p.token, name: p.name, position: { pan: p.pan, tilt: p.tilt, zoom: p.zoom } });
    const relays = new Map<string, RelayState>(RELAY_TOKENS.map((t) => [t, { token: t, state: 'inactive' as const }]));
    const ptz = new PtzModel({ panDegPerS: opts.panSpeedDegPerS ?? 100, tiltDegPerS: opts.tiltSpeedDegPerS ?? 60, zoomPerS: 1 / 3 }, { pan: 0, tilt: 0, zoom: 0 }, realNowMs());
    const emit = this.emit.bind(this);
    const ctx: CameraContext = {
      id: opts.id,
      name: opts.name,
      model: opts.model,
      uuid: this.uuid,
      baseUrl: () => `http://127.0.0.1:${this.port}`,
      cameraNowMs: () => Date.now() + this.skewMs,
      realNowMs,
      profiles: (opts.profiles ?? DEFAULT_PROFILES).map((p) => ({ ...p })),
      presets,
      home: { pan: 0, tilt: 0, zoom: 0 },
      refusedPresets: new Set(),
      ptz,
      tour: null,
      relays,
      broker: new EventBroker({}, realNowMs),
      motionActive: false,
      tamperActive: false,
      rtspUrl: (token) => opts.media?.rtspUrl(token) ?? `rtsp://127.0.0.1:554/${encodeURIComponent(opts.id)}/${encodeURIComponent(token)}`,
      emit,
    };
    if (opts.model === 'ptz-tour') {
      const runner = new PresetTourRunner((token) => {
        try {
          return gotoPresetNow(ctx, token);
        } catch {
          return undefined;
        }
      });
      const stayMs = opts.tourStayMs ?? 5000;
      runner.tours.set('tour-1', { token: 'tour-1', name: 'Patrol', state: 'Idle', spots: [...presets.keys()].map((presetToken) => ({ presetToken, stayMs })) });
      ctx.tour = runner;
    }
    this.ctx = ctx;
    this.server = createServer((req, res) => {
      handleRequest(
        {
          cam: ctx,
          creds: { username: opts.username, password: opts.password },
          digest: this.digest,
          nonces: this.nonces,
          log: this.log,
          snapshot: (token) => (opts.media ? opts.media.snapshot(token) : Promise.resolve(TINY_JPEG)),
          delay: () => this.delay(),
        },
        req,
        res,
      ).catch((err: unknown) => {
        this.log.warn({ err }, 'request failed');
        res.destroy();
      });
    });
    this.server.keepAliveTimeout = 5_000;
    this.server.headersTimeout = 10_000;
    this.server.on('connection', (s: Socket) => {
      if (this.offline) {
        s.destroy();
        return;
      }
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  get xaddr(): string {
    return `http://127.0.0.1:${this.port}${SERVICE_PATHS.device}`;
  }

  /** The service root, for building other addresses. */
  get baseUrl(): string {
    return this.ctx.baseUrl();
  }

  get name(): string {
    return this.opts.name;
  }

  get model(): SimulatedCameraOptions['model'] {
    return this.opts.model;
  }

  /** Answering on the network (started, not stopped, not offline): discovery uses this. */
  get reachable(): boolean {
    return this.state === 'running' && !this.offline;
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`camera ${this.opts.id} already ${this.state}`);
    this.state = 'running';
    this.port = await this.listen(this.opts.httpPort ?? 0);
    this.log.info({ xaddr: this.xaddr }, 'camera listening');
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    const wasRunning = this.state === 'running';
    this.state = 'stopped';
    this.ctx.tour?.stopAll();
    this.ctx.broker.stop();
    for (const s of this.slowTimers) {
      clearTimeout(s.timer);
      s.done(false);
    }
    this.slowTimers.clear();
    this.transition = this.transition.then(() => (wasRunning && !this.offline ? this.close() : undefined));
    await this.transition;
  }

  ptzPosition(): { pan: number; tilt: number; zoom: number; moving: boolean } {
    return this.ctx.ptz.statusAt(realNowMs());
  }

  relayStates(): Record<string, 'active' | 'inactive'> {
    const out: Record<string, 'active' | 'inactive'> = {};
    for (const r of this.ctx.relays.values()) out[r.token] = r.state;
    return out;
  }

  setOffline(on: boolean): void {
    if (on === this.offline) return;
    this.offline = on;
    if (this.state !== 'running') return;
    this.transition = this.transition
      .then(async () => {
        if (on) await this.close();
        else if (this.state === 'running' && !this.offline) await this.listen(this.port);
      })
      .catch((err: unknown) => this.log.warn({ err, on }, 'offline transition failed'));
  }

  /** Resolves once any offline/online change asked for has taken effect. */
  settled(): Promise<void> {
    return this.transition;
  }

  setSlow(delayMs: number): void {
    this.slowMs = Math.max(0, Math.min(MAX_SLOW_MS, delayMs));
  }

  setClockSkew(ms: number): void {
    this.skewMs = ms;
  }

  dropSubscriptions(): void {
    this.ctx.broker.dropAll();
  }

  refusePreset(token: string, on: boolean): void {
    if (on) this.ctx.refusedPresets.add(token);
    else this.ctx.refusedPresets.delete(token);
  }

  triggerMotion(active: boolean): void {
    this.ctx.motionActive = active;
    this.ctx.broker.publish(motionMessage(active, this.ctx.cameraNowMs()));
  }

  triggerTamper(active: boolean): void {
    this.ctx.tamperActive = active;
    this.ctx.broker.publish(tamperMessage(active, this.ctx.cameraNowMs()));
  }

  private delay(): Promise<boolean> {
    if (this.state !== 'running') return Promise.resolve(false);
    if (this.slowMs <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const entry = {
        done: resolve,
        timer: setTimeout(() => {
          this.slowTimers.delete(entry);
          resolve(this.state === 'running');
        }, this.slowMs),
      };
      this.slowTimers.add(entry);
    });
  }

  private listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', onError);
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  private close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
      this.sockets.clear();
    });
  }
}
