import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, openFeed, PASSWORDS, type Harness } from './api-harness.ts';
import { deviceEvent } from '../../unit/domain/fixtures.ts';
import { until } from '../../support/until.ts';

let h: Harness;
let admin: string;
const sockets: Array<{ socket: { terminate(): void } }> = [];
const feed = async (headers: Record<string, string>) => {
  const f = await openFeed(h.ws, headers);
  sockets.push(f);
  return f;
};

beforeAll(async () => {
  h = await startHarness({ pingIntervalMs: 200 });
  admin = await h.login('admin', h.adminPassword);
});
afterAll(async () => {
  for (const s of sockets) s.socket.terminate();
  await h.close();
});

const statusOf = (p: Promise<unknown>) => p.then(() => 101, (e: { status?: number }) => e.status ?? 0);

describe('live feed', () => {
  it('refuses an upgrade without a session (401)', async () => {
    expect(await statusOf(openFeed(h.ws, {}))).toBe(401);
    expect(await statusOf(openFeed(h.ws, { authorization: 'Bearer forged' }))).toBe(401);
  });

  it('refuses a foreign Origin (403) and accepts an allowed or same origin', async () => {
    expect(await statusOf(openFeed(h.ws, { authorization: `Bearer ${admin}`, origin: 'http://evil.example' }))).toBe(403);
    const allowed = await feed({ authorization: `Bearer ${admin}`, origin: 'http://dashboard.example' });
    const same = await feed({ authorization: `Bearer ${admin}`, origin: h.base });
    expect(allowed.socket.readyState).toBe(1);
    expect(same.socket.readyState).toBe(1);
  });

  it('sends a snapshot first, then the live incident after ingestDeviceEvent', async () => {
    const f = await feed({ authorization: `Bearer ${admin}` });
    await until(() => f.messages.length >= 1, 5000, 'snapshot');
    expect(f.messages[0]).toMatchObject({ type: 'snapshot', bridge: { connected: false }, site: { id: 'demo-school' } });
    expect(f.messages[0].devices).toHaveLength(5);

    expect(h.app.ingestDeviceEvent('bridge-1', deviceEvent('button-pressed', 'box-playground', new Date().toISOString()))).toBe(true);
    await until(() => f.messages.some((m) => m.type === 'incident'), 5000, 'incident message');
    const types = f.messages.map((m) => m.type);
    expect(types.slice(0, 4)).toEqual(['snapshot', 'device-event', 'device', 'incident']);
    const inc = f.messages.find((m) => m.type === 'incident').incident;
    expect(inc).toMatchObject({ boxId: 'box-playground', kind: 'panic', priority: 'yellow', state: 'new' });
    expect(inc.id).toMatch(/^INC-\d{8}-\d{4}$/);
    // What was told is on disk.
    expect((await h.api('GET', `/api/incidents/${inc.id}`, { token: admin })).status).toBe(200);
  });

  it('carries bridge status and box state changes', async () => {
    const f = await feed({ authorization: `Bearer ${admin}` });
    h.app.setBridgeConnected(true);
    h.app.updateBoxState({
      boxId: 'box-gate', online: true, latched: false, pressed: false, tamper: false, faults: [],
      commanded: { strobe: false, siren: false }, reported: null, lastSeen: new Date().toISOString(),
    });
    await until(() => f.messages.some((m) => m.type === 'device' && m.device.boxId === 'box-gate'), 5000, 'device');
    expect(f.messages.find((m) => m.type === 'bridge')).toEqual({ type: 'bridge', connected: true });
  });

  it('a duplicate event is not told again', async () => {
    const f = await feed({ authorization: `Bearer ${admin}` });
    const e = deviceEvent('tamper-open', 'box-dorm', new Date().toISOString());
    expect(h.app.ingestDeviceEvent('bridge-1', e)).toBe(true);
    expect(h.app.ingestDeviceEvent('bridge-1', e)).toBe(false);
    await until(() => f.messages.some((m) => m.type === 'incident'), 5000, 'incident');
    expect(f.messages.filter((m) => m.type === 'device-event')).toHaveLength(1);
  });

  it('disabling a user closes their open socket at once', async () => {
    await h.auth.createUser('leaver', 'patrol', 'leaver-password-1', 'team-west');
    const token = await h.login('leaver', 'leaver-password-1');
    const f = await feed({ authorization: `Bearer ${token}` });
    const other = await feed({ authorization: `Bearer ${admin}` });
    const r = await h.api('POST', '/api/users/leaver/disable', { token: admin, body: {} });
    expect(r.status).toBe(200);
    expect(await f.closed).toBe(4401);
    expect(other.socket.readyState).toBe(1);
    expect((await h.api('GET', '/api/me', { token })).status).toBe(401);
  });

  it('logging out closes the sockets of that session only', async () => {
    const t1 = await h.login('operator', PASSWORDS.operator);
    const t2 = await h.login('operator', PASSWORDS.operator);
    const f1 = await feed({ authorization: `Bearer ${t1}` });
    const f2 = await feed({ authorization: `Bearer ${t2}` });
    await h.api('DELETE', '/api/session', { token: t1 });
    expect(await f1.closed).toBe(4401);
    expect(f2.socket.readyState).toBe(1);
  });

  it('authenticates by the session cookie too', async () => {
    const f = await feed({ cookie: `session=${admin}` });
    await until(() => f.messages.length >= 1, 5000, 'snapshot');
    expect(f.messages[0].type).toBe('snapshot');
  });
});
