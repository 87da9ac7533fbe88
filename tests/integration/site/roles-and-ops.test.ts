// Roles on a whole site over real HTTP: every role is refused (403 FORBIDDEN) what it may not do,
// a patrol works only its own team's dispatches, a disabled user is out at once (next request 401,
// feed socket closed 4401), and the ops views report the running site without a single secret.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteHarness } from '../../support/site-harness.ts';
import { until } from '../../support/until.ts';
import { openFeed } from '../api/api-harness.ts';
import { secretsFile } from '../../../config/secrets.ts';

interface Incident {
  id: string;
  boxId: string;
  kind: string;
  state: string;
}

const USERS = [
  { username: 'op1', role: 'operator', password: 'operator-password-1' },
  { username: 'sec1', role: 'security', password: 'security-password-1' },
  { username: 'east1', role: 'patrol', team: 'team-east', password: 'east-password-1' },
  { username: 'west1', role: 'patrol', team: 'team-west', password: 'west-password-1' },
  { username: 'east2', role: 'patrol', team: 'team-east', password: 'east-password-2' },
] as const;

/** Every string value in a JSON document (the secrets file's passwords, for instance). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('roles and ops on a site', () => {
  const site = new SiteHarness({ cameraMedia: false });
  const tokens: Record<string, string> = {};
  let incident: Incident;

  beforeAll(async () => {
    await site.start();
    await site.allOnline();
    for (const u of USERS) {
      const r = await site.api('POST', '/api/users', u);
      expect(r.status).toBe(201);
      tokens[u.username] = await site.login(u.username, u.password);
    }
    // A real alarm from a real (MQTT) box, acknowledged by security.
    site.sims.box('box-playground').press('box-playground');
    await until(async () => {
      const open = await site.api<Incident[]>('GET', '/api/incidents?open=true');
      incident = open.body.find((i) => i.boxId === 'box-playground' && i.kind === 'panic')!;
      return incident !== undefined;
    }, 10000, 'incident from the press');
    expect((await site.apiAs(tokens.sec1!, 'POST', `/api/incidents/${incident.id}/acknowledge`, {})).status).toBe(200);
  }, 90000);
  afterAll(() => site.stop(), 30000);

  const refused = async (who: string, method: string, path: string, body?: unknown) => {
    const r = await site.apiAs<{ code: string }>(tokens[who]!, method, path, body);
    expect({ who, path, status: r.status, code: r.body?.code }).toEqual({ who, path, status: 403, code: 'FORBIDDEN' });
  };
  const newUser = { username: 'intruder', role: 'admin' };

  it('patrol may not reset or test a box, create a user, read the config or dispatch', async () => {
    await refused('east1', 'POST', '/api/boxes/box-playground/reset', {});
    await refused('east1', 'POST', '/api/boxes/box-gate/test', { durationMs: 5000 });
    await refused('east1', 'POST', '/api/users', newUser);
    await refused('east1', 'GET', '/api/config');
    await refused('east1', 'POST', `/api/incidents/${incident.id}/dispatch`, { team: 'team-east' });
    await refused('east1', 'POST', '/api/cameras/dome-gate/ptz/take', {});
  });

  it('security may not dispatch or create a user', async () => {
    await refused('sec1', 'POST', `/api/incidents/${incident.id}/dispatch`, { team: 'team-east' });
    await refused('sec1', 'POST', '/api/users', newUser);
    await refused('sec1', 'POST', '/api/boxes/box-gate/test', { durationMs: 5000 });
  });

  it('operator may not create a user or read the config', async () => {
    await refused('op1', 'POST', '/api/users', newUser);
    await refused('op1', 'GET', '/api/config');
    await refused('op1', 'POST', '/api/users/east1/disable', {});
    // None of the refusals above changed anything.
    const users = await site.api<Array<{ username: string }>>('GET', '/api/users');
    expect(users.body.map((u) => u.username)).not.toContain('intruder');
    expect((await site.api<Incident>('GET', `/api/incidents/${incident.id}`)).body.state).toBe('acknowledged');
  });

  it('the dispatched team accepts; a patrol of another team is refused', async () => {
    const dispatched = await site.apiAs<Incident>(tokens.op1!, 'POST', `/api/incidents/${incident.id}/dispatch`, { team: 'team-east' });
    expect(dispatched.body.state).toBe('dispatched');
    await refused('west1', 'POST', `/api/incidents/${incident.id}/accept`, {});
    await refused('west1', 'POST', `/api/incidents/${incident.id}/on-scene`, {});
    const accepted = await site.apiAs<Incident>(tokens.east1!, 'POST', `/api/incidents/${incident.id}/accept`, {});
    expect(accepted).toMatchObject({ status: 200, body: { state: 'accepted' } });
    expect((await site.apiAs<Incident>(tokens.east2!, 'POST', `/api/incidents/${incident.id}/en-route`, {})).body.state).toBe('en_route');
  });

  it('a disabled user is refused at the next request and their feed socket closes at once with 4401', async () => {
    const ws = `${site.baseUrl.replace('http', 'ws')}/api/feed`;
    const feed = await openFeed(ws, { authorization: `Bearer ${tokens.east2}` });
    const bystander = await openFeed(ws, { authorization: `Bearer ${tokens.east1}` });
    expect((await site.apiAs(tokens.east2!, 'GET', '/api/me')).status).toBe(200);
    expect((await site.api('POST', '/api/users/east2/disable', {})).status).toBe(200);
    expect(await feed.closed).toBe(4401);
    expect((await site.apiAs(tokens.east2!, 'GET', '/api/me')).status).toBe(401);
    expect((await site.apiAs(tokens.east2!, 'POST', `/api/incidents/${incident.id}/on-scene`, {})).status).toBe(401);
    expect(bystander.socket.readyState).toBe(1);
    bystander.socket.close();
  });

  it('GET /api/config shows the running site file with its source, and no secret from the secrets file', async () => {
    const r = await site.api<{ source: string; loadedAt: string; config: Record<string, any> }>('GET', '/api/config');
    expect(r.status).toBe(200);
    expect(r.body.source).toBe(resolve(site.configFile));
    expect(Date.parse(r.body.loadedAt)).not.toBeNaN();
    expect(r.body.config.site.id).toBe('demo-school');
    expect(r.body.config.gateway.port).toBe(site.site.gateway.port);
    expect(r.body.config.patrolTeams.map((t: { id: string }) => t.id)).toEqual(['team-east', 'team-west']);
    const text = JSON.stringify(r.body);
    const secrets = strings(JSON.parse(readFileSync(secretsFile(site.site.gateway.dataDir), 'utf8'))).filter((s) => s.length >= 8);
    expect(secrets.length).toBeGreaterThan(3);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/"[^"]*(pass|secret|token|credential|key)[^"]*":(?!"\[redacted\]")/i);
  });

  it('health reports the bridge, devices, cameras, the process, the journal and free disk', async () => {
    const r = await site.apiAs<Record<string, any>>(tokens.west1!, 'GET', '/api/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, bridge: { connected: true }, devices: { total: 5, online: 5 }, cameras: { total: 11 } });
    expect(r.body.openIncidents).toBeGreaterThanOrEqual(1);
    expect(r.body.uptimeS).toBeGreaterThanOrEqual(0);
    expect(r.body.process.rssMiB).toBeGreaterThan(1);
    expect(r.body.journal.bytes).toBeGreaterThan(0);
    expect(r.body.disk.freeBytes).toBeGreaterThan(0);
  });
});
