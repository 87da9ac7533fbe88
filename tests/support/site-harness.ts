// A whole site on loopback for integration tests and benchmarks: the demo school's site file
// with a temporary data directory, pty paths and free ports; real simulators; the three site
// processes under the real supervisor.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { pino } from 'pino';
import { parseSiteConfig } from '../../config/load.ts';
import type { SiteConfig } from '../../config/schema.ts';
import { ensureSecrets, type Secrets } from '../../config/secrets.ts';
import { SiteSupervisor } from '../../gateway/site-supervisor.ts';
import { SiteSimulators } from '../../simulators/site-simulators.ts';
import { freePorts, freeUdpPort } from './free-port.ts';
import { until } from './until.ts';
import { FeedClient } from './feed-client.ts';

const ADMIN_BANNER = /administrator "admin" password: (\S+)/;

export interface SiteHarnessOptions {
  heartbeatMs?: number;
  /** Simulated cameras with live ffmpeg media (default true). */
  cameraMedia?: boolean;
  /**
   * Video load: tests that are not about video keep no warm streams and record no clips (each
   * costs an ffmpeg in the gateway and an encoder in the simulated camera).
   */
  video?: { warm: 'linked' | 'none'; clips: boolean; preSeconds?: number; postSeconds?: number };
  /** Edit the parsed YAML before it is written (add boxes, change timings). */
  edit?: (doc: Record<string, any>) => void;
}

export class SiteHarness {
  readonly dir: string;
  readonly configFile: string;
  site!: SiteConfig;
  secrets!: Secrets;
  sims!: SiteSimulators;
  supervisor!: SiteSupervisor;
  adminPassword: string | null = null;
  token = '';
  baseUrl = '';
  private readonly feeds: FeedClient[] = [];
  readonly stderr: string[] = [];

  constructor(private readonly opts: SiteHarnessOptions = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'site-'));
    this.configFile = join(this.dir, 'site.yaml');
  }

  async start(): Promise<void> {
    const doc = parseDocument(readFileSync(resolve('config/demo-school.yaml'), 'utf8')).toJS() as Record<string, any>;
    const v = this.opts.video ?? { warm: 'none', clips: false };
    doc.video = { warm: v.warm, warmProfile: 'sub', evidence: { clips: v.clips, preSeconds: v.preSeconds ?? 30, postSeconds: v.postSeconds ?? 30 } };
    this.opts.edit?.(doc);
    const cams: Array<{ onvif: { port: number } }> = doc.cameras ?? [];
    // Every TCP port in one batch, so none is handed out twice.
    const [httpPort, mqttPort, ...camPorts] = await freePorts(2 + cams.length);
    cams.forEach((cam, i) => (cam.onvif.port = camPorts[i]!));
    doc.gateway.port = httpPort;
    doc.gateway.dataDir = join(this.dir, 'data');
    doc.gateway.allowedOrigins = [`http://127.0.0.1:${httpPort}`];
    doc.broker.port = mqttPort;
    const hb = this.opts.heartbeatMs ?? 500;
    doc.broker.heartbeatIntervalMs = hb;
    for (const line of doc.serialLines) {
      line.path = join(this.dir, 'tty', line.id);
      line.heartbeatIntervalMs = hb;
    }
    for (const bus of doc.modbusBuses) bus.path = join(this.dir, 'tty', bus.id);
    if (doc.discovery) doc.discovery.probeTargets = [`127.0.0.1:${await freeUdpPort()}`];
    writeFileSync(this.configFile, JSON.stringify(doc));
    this.site = parseSiteConfig(readFileSync(this.configFile, 'utf8'), this.configFile);
    this.secrets = ensureSecrets(this.site.gateway.dataDir, this.site, { generateCameraCredentials: true });
    this.baseUrl = `http://127.0.0.1:${httpPort}`;

    this.sims = new SiteSimulators(this.site, this.secrets, { cameraMedia: this.opts.cameraMedia ?? true });
    await this.sims.startWired();
    await this.sims.startCameras();
    mkdirSync(join(this.dir, 'logs'), { recursive: true });
    this.supervisor = new SiteSupervisor({
      configFile: this.configFile,
      logDir: join(this.dir, 'logs'),
      logger: pino({ level: 'silent' }),
      env: { LOG_LEVEL: process.env.SITE_LOG_LEVEL ?? 'info' },
      onStderr: (_name, line) => {
        this.stderr.push(line);
        const m = ADMIN_BANNER.exec(line);
        if (m) this.adminPassword = m[1]!;
      },
    });
    this.supervisor.start();
    await this.sims.startMqtt();
    await until(() => this.adminPassword !== null, 30000, 'first-start admin password');
    await until(async () => (await fetch(`${this.baseUrl}/api/me`).catch(() => null))?.status === 401, 30000, 'gateway HTTP');
    this.token = await this.login('admin', this.adminPassword!);
  }

  async login(username: string, password: string): Promise<string> {
    const res = await fetch(`${this.baseUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { token: string }).token;
  }

  async api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    return this.apiAs<T>(this.token, method, path, body);
  }

  /** The same call as another signed-in user (a token from login()). */
  async apiAs<T = unknown>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async feed(token = this.token): Promise<FeedClient> {
    const f = new FeedClient(`${this.baseUrl.replace('http', 'ws')}/api/feed`, token);
    await f.open();
    this.feeds.push(f);
    return f;
  }

  /** Waits until every box has reported in (boxes start offline until their first heartbeat). */
  async allOnline(ms = 20000): Promise<void> {
    await until(async () => {
      const r = await this.api<Array<{ boxId: string; online: boolean }>>('GET', '/api/devices').catch(() => null);
      return !!r && r.status === 200 && r.body.length === this.site.alarmBoxes.length && r.body.every((d) => d.online);
    }, ms, 'all boxes online');
  }

  pid(name: 'broker' | 'bridge' | 'gateway'): number {
    const pid = this.supervisor.pid(name);
    if (!pid) throw new Error(`${name} is not running`);
    return pid;
  }

  async stop(): Promise<void> {
    for (const f of this.feeds) f.close();
    // A frozen (SIGSTOPped) child must be woken to hear SIGTERM.
    for (const n of ['broker', 'bridge', 'gateway'] as const) {
      const pid = this.supervisor?.pid(n);
      if (pid) try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ }
    }
    await this.supervisor?.stop();
    await this.sims?.stop();
    if (!process.env.KEEP_SITE) rmSync(this.dir, { recursive: true, force: true });
  }
}
