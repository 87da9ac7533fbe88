// A real API server on 127.0.0.1:0 over a real journal in a temp dir, with a fake bridge.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import WebSocket from 'ws';
import type { BridgeCommand } from '../../../firmware-bridge/link/messages.ts';
import { Journal } from '../../../gateway/journal/journal.ts';
import { AuthService } from '../../../gateway/auth/auth-service.ts';
import { GatewayApp, type BridgeCommander } from '../../../gateway/app/gateway-app.ts';
import { startApiServer } from '../../../gateway/api/server.ts';
import { site } from '../../unit/domain/fixtures.ts';

export class FakeCommander implements BridgeCommander {
  connected = true;
  readonly sent: BridgeCommand[] = [];
  reply: { ok: boolean; code?: string; message?: string } = { ok: true };
  async send(command: BridgeCommand) {
    this.sent.push(command);
    return this.reply;
  }
}

export const PASSWORDS = { operator: 'operator-pass-1', security: 'security-pass-1', patrol: 'patrol-pass-1' } as const;
/** The harness's patrol user belongs to the demo school's east team. */
export const PATROL_TEAM = 'team-east';

export interface Harness {
  base: string;
  ws: string;
  app: GatewayApp;
  auth: AuthService;
  commander: FakeCommander;
  adminPassword: string;
  login(username: string, password: string): Promise<string>;
  api<T = any>(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: T; headers: Headers }>;
  close(): Promise<void>;
}

export async function startHarness(opts: { pingIntervalMs?: number; dashboardDir?: string } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'api-'));
  const logger = pino({ level: 'silent' });
  const journal = new Journal({ file: join(dir, 'gateway.db'), site });
  const auth = new AuthService({ users: journal.users, sessions: journal.sessions, teams: site.patrolTeams.map((t) => t.id) });
  const commander = new FakeCommander();
  const app = new GatewayApp({ site, journal, commander, logger });
  const adminPassword = (await auth.ensureInitialAdmin())!;
  for (const [role, password] of Object.entries(PASSWORDS)) await auth.createUser(role, role, password, role === 'patrol' ? PATROL_TEAM : null);
  const server = await startApiServer({
    app,
    auth,
    host: '127.0.0.1',
    port: 0,
    allowedOrigins: ['http://dashboard.example'],
    dashboardDir: opts.dashboardDir ?? null,
    dataDir: dir,
    journalFile: join(dir, 'gateway.db'),
    configSource: { source: 'config/demo-school.yaml', loadedAt: new Date().toISOString() },
    logger,
    ...(opts.pingIntervalMs ? { pingIntervalMs: opts.pingIntervalMs } : {}),
  });
  const base = `http://127.0.0.1:${server.port}`;

  const api: Harness['api'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, { method, headers, body: o.body === undefined ? null : typeof o.body === 'string' ? o.body : JSON.stringify(o.body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  };

  return {
    base,
    ws: `ws://127.0.0.1:${server.port}/api/feed`,
    app,
    auth,
    commander,
    adminPassword,
    api,
    async login(username, password) {
      const r = await api('POST', '/api/session', { body: { username, password } });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.token as string;
    },
    async close() {
      await server.close();
      journal.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A feed socket that records every message; resolves once open (or rejects with the HTTP status). */
export function openFeed(url: string, headers: Record<string, string>): Promise<{ socket: WebSocket; messages: any[]; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    const messages: any[] = [];
    const closed = new Promise<number>((r) => socket.once('close', (code) => r(code)));
    socket.on('message', (d) => messages.push(JSON.parse(d.toString())));
    socket.once('open', () => resolve({ socket, messages, closed }));
    socket.once('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode }));
      socket.terminate();
    });
    socket.once('error', (err) => reject(err));
  });
}
