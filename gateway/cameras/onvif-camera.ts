// One ONVIF camera behind our own interface. Owns: the connection loop (clock sync, auth
// negotiation, capabilities, profiles, PTZ node and presets), a health probe, reconnects with
// backoff, the event pull point, and the camera's HTTP agent. GotoPreset goes out in one round
// trip from cached profile and preset data: it is on the alarm's hot path.
import { EventEmitter } from 'node:events';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CameraConfig } from '../../config/schema.ts';
import { Backoff } from '../../common/backoff.ts';
import { errorCode } from '../../common/coded-error.ts';
import type { Logger } from '../../common/logger.ts';
import { CamClient } from './cam-client.ts';
import { cameraError, isCameraError } from './errors.ts';
import { CappedAgent } from './capped-agent.ts';
import { HealthMachine, type CameraHealth, type HealthInput } from './health.ts';
import { PullPoint, type PullPointTiming } from './pull-point.ts';
import { SoapTransport, type Credentials } from './soap-transport.ts';
import { clockOffset, GET_DEVICE_INFORMATION, GET_SYSTEM_DATE_AND_TIME, parseDeviceInformation, parseSystemDateAndTime, type DeviceInformation } from './soap/device.ts';
import { GET_RELAY_OUTPUTS, GET_RELAY_OUTPUTS_DEVICE, parseRelayOutputs, setRelayBody, type RelayOutput } from './soap/deviceio.ts';
import { NS } from './soap/envelope.ts';
import type { CameraEvent } from './soap/events.ts';
import { parseMediaUri, parseProfiles, type MediaProfile } from './soap/media.ts';
import { getPresetToursBody, gotoPresetBody, operatePresetTourBody, parsePresets, parsePresetTours, parsePtzNodes, parsePtzStatus, type Preset, type PresetTour, type PtzSpeed, type PtzStatus, type PtzNodeInfo } from './soap/ptz.ts';
import { at, escapeXml, text } from './soap/xml.ts';

export type { CameraHealth, CameraHealthState } from './health.ts';
export type { CameraEvent } from './soap/events.ts';
export type { MediaProfile } from './soap/media.ts';
export type { Preset, PresetTour, PtzStatus, PtzSpeed } from './soap/ptz.ts';
export type { RelayOutput } from './soap/deviceio.ts';
export type { DeviceInformation } from './soap/device.ts';

export interface CameraTiming {
  /** Lightweight GetSystemDateAndTime probe while online (and while waiting to reconnect). */
  probeIntervalMs: number;
  probeTimeoutMs: number;
  /** Probes failed in a row before an online camera is offline. */
  failuresToOffline: number;
  opTimeoutMs: number;
  connectTimeoutMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** false: no event subscription. */
  events: Partial<PullPointTiming> | false;
}

export const DEFAULT_CAMERA_TIMING: CameraTiming = {
  probeIntervalMs: 3000,
  probeTimeoutMs: 1500,
  failuresToOffline: 2,
  opTimeoutMs: 5000,
  connectTimeoutMs: 5000,
  backoffInitialMs: 1000,
  backoffMaxMs: 30000,
  events: {},
};

export interface CameraCapabilities {
  device: DeviceInformation;
  media2: boolean;
  ptz: boolean;
  events: boolean;
  relays: boolean;
  maxPresets: number;
  /** 0 = the camera has no preset tours: callers loop through presets themselves. */
  maxPresetTours: number;
  homeSupported: boolean;
  authMode: 'wsse' | 'digest';
  /** Camera clock minus gateway clock, ms. */
  clockOffsetMs: number;
}

export interface OnvifCameraOptions {
  config: CameraConfig;
  credentials: Credentials;
  logger: Logger;
  now?: () => number;
  timing?: Partial<CameraTiming>;
}

interface Connected {
  caps: CameraCapabilities;
  profiles: MediaProfile[];
  /** The profile PTZ calls go to (first with a PTZ configuration). */
  ptzProfile: string | null;
  ptzUrl: string | null;
  deviceIoUrl: string | null;
  presets: Preset[];
  uris: Map<string, string>;
}

export const SNAPSHOT_MAX_BYTES = 5 * 1024 * 1024;

export class OnvifCamera extends EventEmitter {
  readonly id: string;
  private readonly timing: CameraTiming;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly agent: http.Agent;
  private readonly transport: SoapTransport;
  private readonly client: CamClient;
  private readonly deviceUrl: string;
  private readonly machine: HealthMachine;
  private state: Connected | null = null;
  private pullPoint: PullPoint | null = null;
  private abort: AbortController | null = null;
  private loop: Promise<void> | null = null;

  constructor(options: OnvifCameraOptions) {
    super();
    const { config } = options;
    this.id = config.id;
    this.timing = { ...DEFAULT_CAMERA_TIMING, ...options.timing };
    this.now = options.now ?? Date.now;
    this.log = options.logger.child({ camera: config.id });
    // Our own agent: this camera's sockets are never shared with, or queued behind, another's,
    // and no answer of it may be larger than MAX_ANSWER_BYTES.
    this.agent = new CappedAgent({ keepAlive: true, maxSockets: 8, maxFreeSockets: 4, timeout: 60000 });
    this.transport = new SoapTransport(options.credentials, this.agent, this.now);
    const host = config.onvif.host.includes(':') ? `[${config.onvif.host}]` : config.onvif.host;
    this.deviceUrl = `http://${host}:${config.onvif.port}${config.onvif.path}`;
    this.client = new CamClient(config.onvif.host, config.onvif.port, config.onvif.path, options.credentials, this.agent, this.transport);
    this.machine = new HealthMachine(this.now(), this.timing.failuresToOffline);
  }

  health(): CameraHealth {
    return this.machine.value;
  }

  start(): void {
    if (this.loop) return;
    const abort = new AbortController();
    this.abort = abort;
    this.loop = this.run(abort.signal).finally(() => {
      this.loop = null;
    });
  }

  /** Ends the connection loop, the event subscription (Unsubscribe) and every socket. */
  async close(): Promise<void> {
    this.abort?.abort();
    this.abort = null;
    await this.loop;
    await this.stopEvents();
    this.agent.destroy();
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  private async run(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff({ initialMs: this.timing.backoffInitialMs, maxMs: this.timing.backoffMaxMs, jitter: 0.5 });
    let authFailure = false;
    while (!signal.aborted) {
      try {
        await this.connect(signal);
        this.feed({ kind: 'connected' });
        backoff.reset();
        this.startEvents();
        await this.supervise(signal);
      } catch (err) {
        if (signal.aborted) break;
        authFailure = isCameraError(err, 'CAMERA_AUTH_FAILED');
        this.log.warn({ code: errorCode(err), err: (err as Error).message }, 'camera connect failed');
        this.feed({ kind: 'connect-failed', reason: (err as Error).message, auth: authFailure });
      }
      await this.stopEvents();
      if (signal.aborted) break;
      await this.waitToReconnect(backoff.next(), authFailure, signal);
    }
  }

  private feed(input: HealthInput): void {
    const changed = this.machine.apply(input, this.now());
    if (changed) {
      this.log.info({ health: changed.state, reason: changed.reason }, 'camera health changed');
      this.emit('health', { ...changed });
    }
  }

  /** Probes until the camera stops answering; returns then (the caller reconnects). */
  private async supervise(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await sleep(this.timing.probeIntervalMs, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) return;
      try {
        await this.syncClock(this.timing.probeTimeoutMs, signal);
        this.feed({ kind: 'probe-ok' });
      } catch (err) {
        if (signal.aborted) return;
        this.feed({ kind: 'probe-failed', reason: (err as Error).message });
        if (this.machine.value.state === 'offline') return;
      }
    }
  }

  /**
   * Waits the backoff delay, but reconnects at once when an unreachable camera starts answering
   * probes again: coming back is noticed within one probe interval, not one backoff step.
   */
  private async waitToReconnect(delayMs: number, authFailure: boolean, signal: AbortSignal): Promise<void> {
    const end = this.now() + delayMs;
    let sawFailure = false;
    while (!signal.aborted && this.now() < end) {
      await sleep(Math.min(this.timing.probeIntervalMs, Math.max(1, end - this.now())), undefined, { signal }).catch(() => undefined);
      if (signal.aborted || authFailure) continue;
      try {
        await this.syncClock(this.timing.probeTimeoutMs, signal);
        if (sawFailure) return;
      } catch {
        sawFailure = true;
      }
    }
  }

  /** GetSystemDateAndTime without credentials; updates the clock offset every time it runs. */
  private async syncClock(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const sent = this.now();
    let doc;
    try {
      doc = await this.transport.call(this.deviceUrl, GET_SYSTEM_DATE_AND_TIME, { timeoutMs, signal, auth: false });
    } catch (err) {
      // Some cameras want credentials even for the clock (see the onvif package's notes).
      if (!isCameraError(err, 'CAMERA_AUTH_FAILED')) throw err;
      doc = await this.transport.call(this.deviceUrl, GET_SYSTEM_DATE_AND_TIME, { timeoutMs, signal });
    }
    const cameraMs = parseSystemDateAndTime(doc);
    if (cameraMs !== null) this.transport.clockOffsetMs = clockOffset(cameraMs, sent, this.now());
  }

  private async connect(signal: AbortSignal): Promise<void> {
    const t = this.timing.connectTimeoutMs;
    this.feed({ kind: 'connecting' });
    await this.syncClock(t, signal);
    // Our own authenticated call first: it settles WS-UsernameToken vs HTTP Digest for everything after.
    const device = parseDeviceInformation(await this.transport.call(this.deviceUrl, GET_DEVICE_INFORMATION, { timeoutMs: t, signal }));
    try {
      await this.client.run(t, (cam, cb) => cam.getServices(true, cb));
    } catch (err) {
      if (isCameraError(err, 'CAMERA_AUTH_FAILED') || isCameraError(err, 'CAMERA_OFFLINE')) throw err;
      // GetServices came with ONVIF 2.0; older cameras only answer GetCapabilities.
      await this.client.run(t, (cam, cb) => cam.getCapabilities(cb));
    }
    const profiles = parseProfiles(await this.client.run(t, (cam, cb) => cam.getProfiles(cb)));
    const ptzUrl = this.client.serviceUrl('ptz') ?? null;
    const ptzProfile = profiles.find((p) => p.ptz)?.token ?? (ptzUrl ? profiles[0]?.token ?? null : null);
    let node: PtzNodeInfo | undefined;
    let presets: Preset[] = [];
    if (ptzUrl && ptzProfile) {
      node = parsePtzNodes(await this.client.run(t, (cam, cb) => cam.getNodes(cb)))[0];
      presets = parsePresets(await this.client.run(t, (cam, cb) => cam.getPresets({ profileToken: ptzProfile }, cb)));
    }
    const deviceIoUrl = this.client.serviceUrl('deviceIO') ?? this.client.serviceUrl('deviceio') ?? null;
    this.state = {
      caps: {
        device,
        media2: this.client.media2,
        ptz: ptzUrl !== null && ptzProfile !== null,
        events: this.client.serviceUrl('events') !== undefined,
        relays: deviceIoUrl !== null,
        maxPresets: node?.maxPresets ?? 0,
        maxPresetTours: node?.maxPresetTours ?? 0,
        homeSupported: node?.homeSupported ?? false,
        authMode: this.transport.authMode,
        clockOffsetMs: this.transport.clockOffsetMs,
      },
      profiles,
      ptzProfile,
      ptzUrl,
      deviceIoUrl,
      presets,
      uris: new Map(),
    };
    this.log.info({ model: device.model, profiles: profiles.length, presets: presets.length, auth: this.transport.authMode, clockOffsetMs: this.transport.clockOffsetMs }, 'camera connected');
  }

  private startEvents(): void {
    const eventsUrl = this.client.serviceUrl('events');
    if (this.timing.events === false || !eventsUrl) return;
    this.pullPoint = new PullPoint({
      eventsUrl,
      transport: this.transport,
      logger: this.log,
      timing: this.timing.events,
      now: this.now,
      onEvent: (e: CameraEvent) => this.emit('event', e),
    });
    this.pullPoint.start();
  }

  private async stopEvents(): Promise<void> {
    const pp = this.pullPoint;
    this.pullPoint = null;
    await pp?.stop();
  }

  /** Subscriptions the pull point created so far (1 = never re-created). */
  get eventSubscriptions(): number {
    return this.pullPoint?.created ?? 0;
  }

  // ---- operations -----------------------------------------------------------------------------

  private ready(): Connected {
    if (this.state) return this.state;
    const h = this.machine.value;
    throw h.state === 'auth-failed' ? cameraError('CAMERA_AUTH_FAILED', h.reason) : cameraError('CAMERA_OFFLINE', 'not connected yet');
  }

  private ptz(): Connected & { ptzUrl: string; ptzProfile: string } {
    const s = this.ready();
    if (!s.ptzUrl || !s.ptzProfile) throw cameraError('PTZ_UNSUPPORTED', 'no PTZ service or PTZ profile');
    return s as Connected & { ptzUrl: string; ptzProfile: string };
  }

  private profileToken(token?: string): string {
    const s = this.ready();
    const t = token ?? s.ptzProfile ?? s.profiles[0]?.token;
    if (!t) throw cameraError('CAMERA_FAULT', 'the camera has no media profile');
    return t;
  }

  async capabilities(): Promise<CameraCapabilities> {
    const s = this.ready();
    return { ...s.caps, authMode: this.transport.authMode, clockOffsetMs: this.transport.clockOffsetMs };
  }

  async profiles(): Promise<MediaProfile[]> {
    return this.ready().profiles.map((p) => ({ ...p }));
  }

  async streamUri(profileToken?: string): Promise<string> {
    const token = this.profileToken(profileToken);
    const s = this.ready();
    const cached = s.uris.get(`rtsp:${token}`);
    if (cached) return cached;
    const uri = parseMediaUri(await this.client.run(this.timing.opTimeoutMs, (cam, cb) => cam.getStreamUri({ protocol: 'RTSP', profileToken: token }, cb)));
    if (!uri) throw cameraError('CAMERA_FAULT', 'GetStreamUri answer has no URI');
    s.uris.set(`rtsp:${token}`, uri);
    return uri;
  }

  async snapshotUri(profileToken?: string): Promise<string> {
    const token = this.profileToken(profileToken);
    const s = this.ready();
    const cached = s.uris.get(`snap:${token}`);
    if (cached) return cached;
    const uri = parseMediaUri(await this.client.run(this.timing.opTimeoutMs, (cam, cb) => cam.getSnapshotUri({ profileToken: token }, cb)));
    if (!uri) throw cameraError('CAMERA_FAULT', 'GetSnapshotUri answer has no URI');
    s.uris.set(`snap:${token}`, uri);
    return uri;
  }

  /** The current JPEG, fetched with the camera's credentials; at most 5 MiB. */
  async snapshot(profileToken?: string): Promise<Buffer> {
    const uri = await this.snapshotUri(profileToken);
    const ans = await this.transport.fetchBinary(uri, { timeoutMs: this.timing.opTimeoutMs, maxBytes: SNAPSHOT_MAX_BYTES });
    if (ans.status !== 200) throw cameraError('CAMERA_FAULT', `snapshot HTTP ${ans.status}`);
    if (ans.body.length < 4 || ans.body[0] !== 0xff || ans.body[1] !== 0xd8) throw cameraError('CAMERA_FAULT', 'snapshot is not a JPEG');
    return ans.body;
  }

  async presets(): Promise<Preset[]> {
    const s = this.ptz();
    s.presets = parsePresets(await this.client.run(this.timing.opTimeoutMs, (cam, cb) => cam.getPresets({ profileToken: s.ptzProfile }, cb)));
    return s.presets.map((p) => ({ ...p }));
  }

  /**
   * Hot path: one SOAP request, built from cached data. `preset` is a preset token; a preset
   * name known from the last GetPresets is accepted too (site files may name presets).
   */
  async gotoPreset(preset: string, speed?: PtzSpeed): Promise<void> {
    const s = this.ptz();
    const token = s.presets.some((p) => p.token === preset) ? preset : (s.presets.find((p) => p.name === preset)?.token ?? preset);
    await this.transport.call(s.ptzUrl, gotoPresetBody(s.ptzProfile, token, speed), { timeoutMs: this.timing.opTimeoutMs });
  }

  async gotoHome(): Promise<void> {
    const s = this.ptz();
    await this.client.run(this.timing.opTimeoutMs, (cam, cb) => cam.gotoHomePosition({ profileToken: s.ptzProfile }, cb));
  }

  /** Returns the preset's token (the camera's when none was given). */
  async setPreset(name: string, token?: string): Promise<string> {
    const s = this.ptz();
    // The onvif package puts these into XML as they are.
    const esc = escapeXml;
    const doc = await this.client.run(this.timing.opTimeoutMs, (cam, cb) =>
      cam.setPreset({ profileToken: s.ptzProfile, presetName: esc(name), ...(token ? { presetToken: esc(token) } : {}) }, cb),
    );
    const got = text(at(doc, 'Envelope', 'Body', 'SetPresetResponse', 'PresetToken')) || token;
    if (!got) throw cameraError('CAMERA_FAULT', 'SetPreset answer has no token');
    s.presets = [...s.presets.filter((p) => p.token !== got), { token: got, name }];
    return got;
  }

  async removePreset(token: string): Promise<void> {
    const s = this.ptz();
    await this.client.run(this.timing.opTimeoutMs, (cam, cb) => cam.removePreset({ profileToken: s.ptzProfile, presetToken: escapeXml(token) }, cb));
    s.presets = s.presets.filter((p) => p.token !== token);
  }

  /** Velocities in -1..1; the camera stops by itself after timeoutMs when given. */
  async continuousMove(v: { x?: number; y?: number; zoom?: number }, timeoutMs?: number): Promise<void> {
    const s = this.ptz();
    const clamp = (n: number | undefined) => Math.max(-1, Math.min(1, n ?? 0));
    await this.client.run(this.timing.opTimeoutMs, (cam, cb) =>
      cam.continuousMove({ profileToken: s.ptzProfile, x: clamp(v.x), y: clamp(v.y), zoom: clamp(v.zoom), ...(timeoutMs ? { timeout: timeoutMs } : {}) }, cb),
    );
  }

  /** PTZ Stop (pan, tilt and zoom). The adapter itself ends with close(). */
  async stop(): Promise<void> {
    const s = this.ptz();
    await this.client.run(this.timing.opTimeoutMs, (cam, cb) => cam.stop({ profileToken: s.ptzProfile, panTilt: true, zoom: true }, cb));
  }

  async status(): Promise<PtzStatus> {
    const s = this.ptz();
    return parsePtzStatus(await this.client.run(this.timing.opTimeoutMs, (cam, cb) => cam.getStatus({ profileToken: s.ptzProfile }, cb)));
  }

  private tours(): Connected & { ptzUrl: string; ptzProfile: string } {
    const s = this.ptz();
    if (s.caps.maxPresetTours <= 0) throw cameraError('PTZ_UNSUPPORTED', 'the camera reports no preset tours');
    return s;
  }

  async presetTours(): Promise<PresetTour[]> {
    const s = this.tours();
    return parsePresetTours(await this.transport.call(s.ptzUrl, getPresetToursBody(s.ptzProfile), { timeoutMs: this.timing.opTimeoutMs }));
  }

  async startPresetTour(token: string): Promise<void> {
    const s = this.tours();
    await this.transport.call(s.ptzUrl, operatePresetTourBody(s.ptzProfile, token, 'Start'), { timeoutMs: this.timing.opTimeoutMs });
  }

  async stopPresetTour(token: string): Promise<void> {
    const s = this.tours();
    await this.transport.call(s.ptzUrl, operatePresetTourBody(s.ptzProfile, token, 'Stop'), { timeoutMs: this.timing.opTimeoutMs });
  }

  async relayOutputs(): Promise<RelayOutput[]> {
    const s = this.ready();
    const req = s.deviceIoUrl ? GET_RELAY_OUTPUTS : GET_RELAY_OUTPUTS_DEVICE;
    return parseRelayOutputs(await this.transport.call(s.deviceIoUrl ?? this.deviceUrl, req, { timeoutMs: this.timing.opTimeoutMs }));
  }

  async setRelay(token: string, active: boolean): Promise<void> {
    const s = this.ready();
    await this.transport.call(s.deviceIoUrl ?? this.deviceUrl, setRelayBody(token, active, s.deviceIoUrl ? NS.deviceIO : NS.device), { timeoutMs: this.timing.opTimeoutMs });
  }
}

