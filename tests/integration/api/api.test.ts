import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, PASSWORDS, type Harness } from './api-harness.ts';
import { deviceEvent } from '../../unit/domain/fixtures.ts';

let h: Harness;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness();
  tokens.admin = await h.login('admin', h.adminPassword);
  for (const [role, pw] of Object.entries(PASSWORDS)) tokens[role] = await h.login(role, pw);
});
afterAll(() => h.close());

describe('sessions', () => {
  it('signs in with {token, user} and an HttpOnly SameSite=Strict cookie that works by itself', async () => {
    const res = await fetch(`${h.base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'operator', password: PASSWORDS.operator }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; user: unknown };
    expect(body.user).toMatchObject({ username: 'operator', role: 'operator', team: null });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const me = await h.api('GET', '/api/me', { headers: { cookie: cookie.split(';')[0]! } });
    expect(me).toMatchObject({ status: 200, body: { username: 'operator', role: 'operator' } });
  });

  it('answers a wrong password with 401 AUTH_INVALID', async () => {
    const r = await h.api('POST', '/api/session', { body: { username: 'operator', password: 'nope' } });
    expect(r).toMatchObject({ status: 401, body: { code: 'AUTH_INVALID' } });
  });

  it('logging out ends the session', async () => {
    const t = await h.login('patrol', PASSWORDS.patrol);
    expect((await h.api('DELETE', '/api/session', { token: t })).status).toBe(200);
    expect((await h.api('GET', '/api/me', { token: t })).status).toBe(401);
  });
});

describe('every route needs a session', () => {
  const routes: Array<[string, string, unknown?]> = [
    ['GET', '/api/me'],
    ['DELETE', '/api/session'],
    ['GET', '/api/site'],
    ['GET', '/api/incidents'],
    ['GET', '/api/incidents/INC-20261123-0001'],
    ...['acknowledge', 'dispatch', 'on-scene', 'resolve', 'close', 'cancel'].map((a): [string, string, unknown] => ['POST', `/api/incidents/INC-20261123-0001/${a}`, {}]),
    ['GET', '/api/devices'],
    ['POST', '/api/boxes/box-gate/reset', {}],
    ['POST', '/api/boxes/box-gate/test', { durationMs: 1000 }],
    ['GET', '/api/users'],
    ['POST', '/api/users', { username: 'x', role: 'patrol' }],
    ['POST', '/api/users/operator/disable', {}],
    ['GET', '/api/health'],
    ['GET', '/api/feed'],
    ['GET', '/api/no-such-route'],
  ];
  for (const [method, path, body] of routes) {
    it(`${method} ${path} without a session → 401`, async () => {
      expect((await h.api(method, path, { body })).status).toBe(401);
      expect((await h.api(method, path, { body, token: 'not-a-real-token' })).status).toBe(401);
    });
  }
});

describe('path tricks do not get past the session check', () => {
  for (const path of ['/%61pi/site', '/api/site/', '/api//site', '/API/site', '/api/%69ncidents']) {
    it(`GET ${path} without a session is not served`, async () => {
      expect([401, 404]).toContain((await h.api('GET', path)).status);
    });
  }
});

describe('site and devices', () => {
  it('serves the site without transport details or secrets', async () => {
    const r = await h.api('GET', '/api/site', { token: tokens.patrol });
    expect(r.status).toBe(200);
    expect(r.body.boxes).toHaveLength(5);
    expect(r.body.boxes[0]).toMatchObject({ id: 'box-gate', priority: 'red', silent: false, transport: 'serial' });
    expect(JSON.stringify(r.body)).not.toMatch(/line-a|address|path/);
  });

  it('lists devices for every role', async () => {
    const r = await h.api('GET', '/api/devices', { token: tokens.patrol });
    expect(r.status).toBe(200);
    expect(r.body.map((d: { boxId: string }) => d.boxId)).toContain('box-gate');
  });
});

describe('incidents over REST', () => {
  it('walks an incident through the closed loop with each role doing its part', async () => {
    h.app.ingestDeviceEvent('bridge-1', deviceEvent('button-pressed', 'box-dorm', new Date().toISOString()));
    const open = await h.api('GET', '/api/incidents?open=true', { token: tokens.patrol });
    const inc = open.body.find((i: { boxId: string }) => i.boxId === 'box-dorm');
    expect(inc).toMatchObject({ kind: 'panic', priority: 'orange', state: 'new' });
    const go = (role: string, action: string, body: unknown = {}) => h.api('POST', `/api/incidents/${inc.id}/${action}`, { token: tokens[role], body });
    expect((await go('security', 'acknowledge')).status).toBe(200);
    expect((await go('security', 'dispatch', { team: 'A' })).status).toBe(403);
    expect((await go('operator', 'dispatch', { team: 'team-east' })).body.state).toBe('dispatched');
    expect((await go('patrol', 'on-scene')).body.state).toBe('on_scene');
    expect((await go('patrol', 'resolve', { note: 'all fine' })).body.state).toBe('resolved');
    expect((await go('patrol', 'close', { note: 'x' })).status).toBe(403);
    const closed = await go('operator', 'close', { note: 'report filed' });
    expect(closed.body.state).toBe('closed');
    expect((await go('operator', 'acknowledge')).body).toMatchObject({ code: 'INCIDENT_BAD_TRANSITION' });
    const one = await h.api('GET', `/api/incidents/${inc.id}`, { token: tokens.patrol });
    expect(one.body.steps.map((s: { action: string; by: string }) => `${s.action}/${s.by}`)).toEqual([
      'opened/system', 'acknowledge/security', 'dispatch/operator', 'on-scene/patrol', 'resolve/patrol', 'close/operator',
    ]);
  });

  it('answers 404 for an unknown incident', async () => {
    expect((await h.api('GET', '/api/incidents/INC-20990101-0001', { token: tokens.admin })).body.code).toBe('INCIDENT_NOT_FOUND');
  });
});

describe('validation', () => {
  it('names the field that failed', async () => {
    h.app.ingestDeviceEvent('bridge-1', deviceEvent('button-pressed', 'box-gate', new Date().toISOString()));
    const id = (await h.api('GET', '/api/incidents?open=true', { token: tokens.admin })).body.find((i: { boxId: string }) => i.boxId === 'box-gate').id;
    await h.api('POST', `/api/incidents/${id}/acknowledge`, { token: tokens.admin, body: {} });
    const r = await h.api('POST', `/api/incidents/${id}/dispatch`, { token: tokens.admin, body: { team: 42 } });
    expect(r).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', field: 'team' } });
    expect(r.body.message).toContain('team');
    const unknownTeam = await h.api('POST', `/api/incidents/${id}/dispatch`, { token: tokens.admin, body: { team: 'Patrol A' } });
    expect(unknownTeam).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', field: 'team' } });
    expect((await h.api('GET', `/api/incidents/${id}`, { token: tokens.admin })).body.state).toBe('acknowledged');
    const c = await h.api('POST', `/api/incidents/${id}/cancel`, { token: tokens.admin, body: { reason: 'bored', note: 'x' } });
    expect(c.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason' });
    const long = await h.api('POST', `/api/incidents/${id}/cancel`, { token: tokens.admin, body: { reason: 'other', note: 'x'.repeat(2001) } });
    expect(long.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'note' });
    const extra = await h.api('POST', `/api/boxes/box-gate/test`, { token: tokens.admin, body: { durationMs: 1000, evil: 1 } });
    expect(extra.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'evil' });
    const q = await h.api('GET', '/api/incidents?limit=abc', { token: tokens.admin });
    expect(q.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'limit' });
    const bad = await h.api('GET', '/api/incidents/not-an-id', { token: tokens.admin });
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'id' });
  });

  it('refuses malformed JSON with 400 and bodies over 64 KiB with 413', async () => {
    expect((await h.api('POST', '/api/session', { body: '{"username":' })).body).toMatchObject({ code: 'BAD_REQUEST' });
    const big = await h.api('POST', '/api/session', { body: { username: 'a', password: 'x'.repeat(70 * 1024) } });
    expect(big).toMatchObject({ status: 413, body: { code: 'BODY_TOO_LARGE' } });
  });
});

describe('box commands', () => {
  it('patrol cannot reset relays (403); security can, and the bridge gets who did it', async () => {
    expect((await h.api('POST', '/api/boxes/box-gate/reset', { token: tokens.patrol, body: {} })).body).toMatchObject({ code: 'FORBIDDEN' });
    expect((await h.api('POST', '/api/boxes/box-gate/reset', { token: tokens.security, body: {} })).status).toBe(200);
    expect(h.commander.sent.at(-1)).toEqual({ kind: 'reset', boxId: 'box-gate', by: 'security' });
  });

  it('maps bridge refusals and absence to HTTP: 409, 503, 404', async () => {
    h.commander.reply = { ok: false, code: 'BOX_STILL_PRESSED', message: 'still pressed' };
    expect((await h.api('POST', '/api/boxes/box-gate/reset', { token: tokens.operator, body: {} }))).toMatchObject({ status: 409, body: { code: 'BOX_STILL_PRESSED' } });
    h.commander.reply = { ok: true };
    h.commander.connected = false;
    expect((await h.api('POST', '/api/boxes/box-gate/reset', { token: tokens.operator, body: {} }))).toMatchObject({ status: 503, body: { code: 'BRIDGE_UNAVAILABLE' } });
    h.commander.connected = true;
    expect((await h.api('POST', '/api/boxes/box-nowhere/reset', { token: tokens.operator, body: {} }))).toMatchObject({ status: 404, body: { code: 'BOX_NOT_FOUND' } });
  });

  it('sends an ops test with its duration; security may not test', async () => {
    expect((await h.api('POST', '/api/boxes/box-dorm/test', { token: tokens.operator, body: { durationMs: 2000 } })).status).toBe(200);
    expect(h.commander.sent.at(-1)).toEqual({ kind: 'test', boxId: 'box-dorm', by: 'operator', durationMs: 2000 });
    expect((await h.api('POST', '/api/boxes/box-dorm/test', { token: tokens.security, body: { durationMs: 2000 } })).status).toBe(403);
  });
});

describe('users', () => {
  it('only admins manage users; hashes and tokens never come back', async () => {
    expect((await h.api('GET', '/api/users', { token: tokens.operator })).status).toBe(403);
    const created = await h.api('POST', '/api/users', { token: tokens.admin, body: { username: 'guard7', role: 'security' } });
    expect(created.status).toBe(201);
    expect(created.body.password.length).toBeGreaterThanOrEqual(16);
    const list = await h.api('GET', '/api/users', { token: tokens.admin });
    expect(list.body.map((u: { username: string }) => u.username)).toContain('guard7');
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt|hash|token/i);
    expect((await h.api('POST', '/api/users', { token: tokens.admin, body: { username: 'guard7', role: 'security' } })).status).toBe(409);
  });

  it('health needs a session and reports the bridge', async () => {
    const r = await h.api('GET', '/api/health', { token: tokens.patrol });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ bridge: { connected: false } });
  });
});
