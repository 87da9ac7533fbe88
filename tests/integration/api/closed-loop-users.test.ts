// Issue #5 on a real API server over a real journal (fake bridge): who am I, the patrol's part of
// the closed loop scoped to its team, user management that ends sessions and closes sockets,
// the ops views (health, running config) and the test command's bounds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, openFeed, PASSWORDS, PATROL_TEAM, type Harness } from './api-harness.ts';
import { deviceEvent } from '../../unit/domain/fixtures.ts';
import { PERMISSIONS } from '../../../gateway/domain/roles.ts';
import { until } from '../../support/until.ts';

let h: Harness;
const tokens: Record<string, string> = {};
const WEST_PASSWORD = 'west-patrol-pass-1';

beforeAll(async () => {
  h = await startHarness();
  tokens.admin = await h.login('admin', h.adminPassword);
  for (const [role, pw] of Object.entries(PASSWORDS)) tokens[role] = await h.login(role, pw);
  await h.auth.createUser('west', 'patrol', WEST_PASSWORD, 'team-west');
  tokens.west = await h.login('west', WEST_PASSWORD);
});
afterAll(() => h.close());

/** A fresh incident on a box with none open: press, then the admin acknowledges it. */
async function acknowledgedIncident(boxId: string): Promise<string> {
  h.app.ingestDeviceEvent('bridge-1', deviceEvent('button-pressed', boxId, new Date().toISOString()));
  const open = await h.api('GET', '/api/incidents?open=true', { token: tokens.admin });
  const inc = open.body.find((i: { boxId: string; kind: string }) => i.boxId === boxId && i.kind === 'panic');
  expect((await h.api('POST', `/api/incidents/${inc.id}/acknowledge`, { token: tokens.admin, body: {} })).status).toBe(200);
  return inc.id as string;
}

const act = (who: string, id: string, action: string, body: unknown = {}) => h.api('POST', `/api/incidents/${id}/${action}`, { token: tokens[who], body });

describe('who am I', () => {
  it('GET /api/me tells username, role, team and every permission of the role', async () => {
    const patrol = await h.api('GET', '/api/me', { token: tokens.patrol });
    expect(patrol.body).toEqual({
      username: 'patrol',
      role: 'patrol',
      team: PATROL_TEAM,
      permissions: ['incidents.view', 'incidents.accept', 'incidents.en-route', 'incidents.on-scene', 'incidents.resolve', 'devices.view', 'cameras.view'],
    });
    const admin = await h.api('GET', '/api/me', { token: tokens.admin });
    expect(admin.body).toEqual({ username: 'admin', role: 'admin', team: null, permissions: [...PERMISSIONS] });
    const security = await h.api('GET', '/api/me', { token: tokens.security });
    expect(security.body.permissions).toEqual(['incidents.view', 'incidents.acknowledge', 'incidents.cancel', 'devices.view', 'boxes.reset', 'cameras.view']);
  });

  it('the site carries the patrol teams and the response targets', async () => {
    const site = await h.api('GET', '/api/site', { token: tokens.patrol });
    expect(site.body.patrolTeams).toEqual([
      { id: 'team-east', name: { zh: '东区巡逻组', en: 'East patrol' } },
      { id: 'team-west', name: { zh: '西区巡逻组', en: 'West patrol' } },
    ]);
    expect(site.body.response).toEqual({ acknowledgeS: 60, arriveS: 300 });
  });
});

describe('the patrol\'s part of the closed loop', () => {
  it('the dispatched team accepts, goes en route, arrives and resolves; the other team is refused', async () => {
    const id = await acknowledgedIncident('box-gate');
    expect((await act('patrol', id, 'accept')).body).toMatchObject({ code: 'FORBIDDEN' });
    expect((await act('operator', id, 'dispatch', { team: PATROL_TEAM })).body.state).toBe('dispatched');
    const refused = await act('west', id, 'accept');
    expect(refused).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect((await act('west', id, 'on-scene')).status).toBe(403);
    expect((await act('patrol', id, 'accept')).body.state).toBe('accepted');
    expect((await act('patrol', id, 'accept')).body).toMatchObject({ code: 'INCIDENT_BAD_TRANSITION' });
    expect((await act('patrol', id, 'en-route')).body.state).toBe('en_route');
    expect((await act('patrol', id, 'on-scene')).body.state).toBe('on_scene');
    const resolved = await act('patrol', id, 'resolve', { note: 'door alarm, no one hurt' });
    expect(resolved.body.state).toBe('resolved');
    expect(resolved.body.steps.map((s: { action: string; by: string; team?: string }) => `${s.action}/${s.by}${s.team ? `/${s.team}` : ''}`)).toEqual([
      'opened/system', 'acknowledge/admin', `dispatch/operator/${PATROL_TEAM}`, 'accept/patrol', 'en-route/patrol', 'on-scene/patrol', 'resolve/patrol',
    ]);
    expect((await act('west', id, 'resolve', { note: 'x' })).status).toBe(403);
    expect((await act('operator', id, 'close', { note: 'report filed' })).body.state).toBe('closed');
  });

  it('an operator may do the patrol\'s steps for it (radio report), whatever the team', async () => {
    const id = await acknowledgedIncident('box-dorm');
    await act('admin', id, 'dispatch', { team: 'team-west' });
    expect((await act('operator', id, 'en-route')).body.state).toBe('en_route');
    expect((await act('patrol', id, 'on-scene')).status).toBe(403);
    expect((await act('west', id, 'on-scene')).body.state).toBe('on_scene');
    expect((await act('west', id, 'accept')).body).toMatchObject({ code: 'INCIDENT_BAD_TRANSITION' });
  });

  it('security may not accept; the feed tells every step with the whole incident', async () => {
    const f = await openFeed(h.ws, { authorization: `Bearer ${tokens.west}` });
    const id = await acknowledgedIncident('box-playground');
    expect((await act('security', id, 'accept')).status).toBe(403);
    await act('operator', id, 'dispatch', { team: 'team-west' });
    await act('west', id, 'accept');
    const told = () => f.messages.filter((m) => m.type === 'incident' && m.incident.id === id).map((m) => m.incident.state);
    await until(() => told().length >= 4, 5000, 'four incident messages');
    expect(told()).toEqual(['new', 'acknowledged', 'dispatched', 'accepted']);
    f.socket.close();
  });
});

describe('user management', () => {
  it('a patrol user needs a team of the site, nobody else has one: 400 naming the field', async () => {
    const none = await h.api('POST', '/api/users', { token: tokens.admin, body: { username: 'p2', role: 'patrol' } });
    expect(none).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', field: 'team' } });
    const unknown = await h.api('POST', '/api/users', { token: tokens.admin, body: { username: 'p2', role: 'patrol', team: 'team-north' } });
    expect(unknown).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', field: 'team' } });
    const op = await h.api('POST', '/api/users', { token: tokens.admin, body: { username: 'op2', role: 'operator', team: 'team-east' } });
    expect(op).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', field: 'team' } });
    const created = await h.api('POST', '/api/users', { token: tokens.admin, body: { username: 'p2', role: 'patrol', team: 'team-west' } });
    expect(created.status).toBe(201);
    expect(created.body.user).toEqual({ username: 'p2', role: 'patrol', team: 'team-west', disabled: false, createdAt: expect.any(String) });
    expect(created.body.password.length).toBeGreaterThanOrEqual(16);
    const chosen = await h.api('POST', '/api/users', { token: tokens.admin, body: { username: 'op2', role: 'operator', team: null, password: 'chosen-password-1' } });
    expect(chosen).toMatchObject({ status: 201, body: { user: { username: 'op2', role: 'operator', team: null } } });
    expect(chosen.body).not.toHaveProperty('password');
    const list = await h.api('GET', '/api/users', { token: tokens.admin });
    expect(list.body.find((u: { username: string }) => u.username === 'p2')).toEqual({ username: 'p2', role: 'patrol', team: 'team-west', disabled: false, createdAt: expect.any(String) });
    expect(list.body.find((u: { username: string }) => u.username === 'operator')).toMatchObject({ role: 'operator', team: null });
  });

  it('a role change ends the user\'s sessions and closes their feed with 4401; the new role applies at the next sign-in', async () => {
    await h.auth.createUser('mover', 'security', 'mover-password-1');
    const token = await h.login('mover', 'mover-password-1');
    const f = await openFeed(h.ws, { authorization: `Bearer ${token}` });
    const bad = await h.api('POST', '/api/users/mover/role', { token: tokens.admin, body: { role: 'patrol' } });
    expect(bad).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', field: 'team' } });
    expect(f.socket.readyState).toBe(1);
    const r = await h.api('POST', '/api/users/mover/role', { token: tokens.admin, body: { role: 'patrol', team: 'team-east' } });
    expect(r).toMatchObject({ status: 200, body: { ok: true, user: { username: 'mover', role: 'patrol', team: 'team-east', disabled: false } } });
    expect(await f.closed).toBe(4401);
    expect((await h.api('GET', '/api/me', { token })).status).toBe(401);
    const again = await h.login('mover', 'mover-password-1');
    expect((await h.api('GET', '/api/me', { token: again })).body).toMatchObject({ role: 'patrol', team: 'team-east' });
  });

  it('a password reset returns the new password once, ends sessions and closes sockets', async () => {
    await h.auth.createUser('forgetful', 'operator', 'forgetful-password-1');
    const token = await h.login('forgetful', 'forgetful-password-1');
    const f = await openFeed(h.ws, { authorization: `Bearer ${token}` });
    const r = await h.api('POST', '/api/users/forgetful/reset-password', { token: tokens.admin, body: {} });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['password']);
    expect(await f.closed).toBe(4401);
    expect((await h.api('GET', '/api/me', { token })).status).toBe(401);
    expect((await h.api('POST', '/api/session', { body: { username: 'forgetful', password: 'forgetful-password-1' } })).status).toBe(401);
    expect((await h.api('GET', '/api/me', { token: await h.login('forgetful', r.body.password) })).body.username).toBe('forgetful');
  });

  it('disable then enable: refused while disabled, may sign in again after', async () => {
    await h.auth.createUser('seasonal', 'security', 'seasonal-password-1');
    const token = await h.login('seasonal', 'seasonal-password-1');
    expect((await h.api('POST', '/api/users/seasonal/disable', { token: tokens.admin, body: {} })).body).toMatchObject({ ok: true, user: { disabled: true } });
    expect((await h.api('GET', '/api/me', { token })).status).toBe(401);
    expect((await h.api('POST', '/api/session', { body: { username: 'seasonal', password: 'seasonal-password-1' } })).status).toBe(401);
    expect((await h.api('POST', '/api/users/seasonal/enable', { token: tokens.admin, body: {} })).body).toMatchObject({ ok: true, user: { disabled: false } });
    expect((await h.api('GET', '/api/me', { token: await h.login('seasonal', 'seasonal-password-1') })).status).toBe(200);
  });

  it('only an admin manages users, never their own account, and unknown users are 404', async () => {
    for (const path of ['disable', 'enable', 'reset-password']) {
      expect((await h.api('POST', `/api/users/security/${path}`, { token: tokens.operator, body: {} })).status).toBe(403);
      expect((await h.api('POST', `/api/users/admin/${path}`, { token: tokens.admin, body: {} })).body).toMatchObject({ code: 'FORBIDDEN' });
      expect((await h.api('POST', `/api/users/nobody/${path}`, { token: tokens.admin, body: {} })).body).toMatchObject({ code: 'USER_NOT_FOUND' });
    }
    expect((await h.api('POST', '/api/users/admin/role', { token: tokens.admin, body: { role: 'operator' } })).body).toMatchObject({ code: 'FORBIDDEN' });
    expect((await h.api('POST', '/api/users/security/role', { token: tokens.admin, body: { role: 'root' } })).body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'role' });
    expect((await h.api('POST', '/api/users/security/disable', { token: tokens.admin, body: { why: 1 } })).body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'why' });
  });
});

describe('ops', () => {
  it('health reports uptime, cameras, the process, the journal size and free disk', async () => {
    const r = await h.api('GET', '/api/health', { token: tokens.patrol });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: false, bridge: { connected: false }, devices: { total: 5 }, cameras: { total: 11, online: 0 } });
    expect(r.body.uptimeS).toBeGreaterThanOrEqual(0);
    expect(Date.parse(r.body.now)).toBeGreaterThanOrEqual(Date.parse(r.body.startedAt));
    expect(r.body.process.rssMiB).toBeGreaterThan(1);
    expect(r.body.process.heapUsedMiB).toBeGreaterThan(0);
    expect(r.body.journal.bytes).toBeGreaterThan(0);
    expect(r.body.disk.freeBytes).toBeGreaterThan(0);
    expect(r.body.openIncidents).toBeTypeOf('number');
  });

  it('the running config is for admins only, with its source and no secrets', async () => {
    expect((await h.api('GET', '/api/config', { token: tokens.operator })).body).toMatchObject({ code: 'FORBIDDEN' });
    expect((await h.api('GET', '/api/config', { token: tokens.patrol })).status).toBe(403);
    const r = await h.api('GET', '/api/config', { token: tokens.admin });
    expect(r.status).toBe(200);
    expect(r.body.source).toBe('config/demo-school.yaml');
    expect(Date.parse(r.body.loadedAt)).not.toBeNaN();
    expect(r.body.config.site.id).toBe('demo-school');
    expect(r.body.config.patrolTeams).toHaveLength(2);
    expect(r.body.config.alarmBoxes).toHaveLength(5);
  });

  it('a test window is 1 s to 5 min; device events filter by boxId', async () => {
    const test = (durationMs: unknown) => h.api('POST', '/api/boxes/box-gate/test', { token: tokens.operator, body: { durationMs } });
    expect((await test(999)).body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'durationMs' });
    expect((await test(300001)).body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'durationMs' });
    expect((await test(300000)).status).toBe(200);
    expect(h.commander.sent.at(-1)).toEqual({ kind: 'test', boxId: 'box-gate', by: 'operator', durationMs: 300000 });
    expect((await h.api('POST', '/api/boxes/box-gate/test', { token: tokens.patrol, body: { durationMs: 1000 } })).status).toBe(403);
    h.app.ingestDeviceEvent('bridge-1', deviceEvent('tamper-closed', 'box-office', new Date().toISOString()));
    const events = await h.api('GET', '/api/device-events?boxId=box-office', { token: tokens.patrol });
    expect(events.body.length).toBeGreaterThan(0);
    expect(events.body.every((e: { boxId: string }) => e.boxId === 'box-office')).toBe(true);
  });
});
