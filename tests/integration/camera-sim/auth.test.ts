// Authentication as real cameras do it, driven with raw SOAP over fetch.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCamera } from '../../../simulators/camera/simulated-camera.ts';
import { child, textAt } from '../../../simulators/camera/soap-envelope.ts';
import { callDigest, callNoAuth, callWsse, envelope, replyAction, wsseHeader } from './raw-onvif.ts';

const creds = { username: 'admin', password: 'Cam-Unique-42' };
const INFO = '<tds:GetDeviceInformation/>';

describe('camera authentication (WS-UsernameToken and HTTP Digest)', () => {
  const cam = new SimulatedCamera({ id: 'auth-1', name: 'Library', model: 'fixed', ...creds });
  const failures: string[] = [];
  beforeAll(async () => {
    cam.on('auth-failed', (method: string) => failures.push(method));
    await cam.start();
  });
  afterAll(() => cam.stop());

  it('answers GetSystemDateAndTime without any credentials', async () => {
    const r = await callNoAuth(cam.xaddr, '<tds:GetSystemDateAndTime/>');
    expect(r.status).toBe(200);
    expect(textAt(r.soap?.body, 'SystemDateAndTime', 'UTCDateTime', 'Date', 'Year')).toBe(String(new Date().getUTCFullYear()));
  });

  it('asks for Digest (401 + WWW-Authenticate) when a request has no credentials', async () => {
    const r = await callNoAuth(cam.xaddr, INFO);
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Digest realm="[^"]+", qop="auth", nonce="[0-9a-f]+"/);
    expect(failures).toContain('none');
  });

  it('accepts a correct UsernameToken', async () => {
    const r = await callWsse(cam.xaddr, INFO, creds);
    expect(r.status).toBe(200);
    expect(textAt(r.soap?.body, 'Model')).toBe('SIM-BULLET-2MP');
  });

  it('refuses a wrong password with a ter:NotAuthorized fault', async () => {
    const r = await callWsse(cam.xaddr, INFO, { ...creds, password: 'admin' });
    expect(r.status).toBe(400);
    expect(replyAction(r)).toBe('Fault');
    expect(r.text).toContain('ter:NotAuthorized');
    expect(failures).toContain('ws-security');
  });

  it('accepts HTTP Digest alone (no WS-Security) and refuses a wrong Digest password', async () => {
    const ok = await callDigest(cam.xaddr, INFO, creds);
    expect(ok.challenged).toBe(true);
    expect(ok.status).toBe(200);
    expect(replyAction(ok)).toBe('GetDeviceInformationResponse');
    const bad = await callDigest(cam.xaddr, INFO, { ...creds, password: 'nope' });
    expect(bad.status).toBe(401);
  });

  it('refuses a replayed nonce', async () => {
    const nonce = randomBytes(16);
    const createdMs = Date.now();
    const xml = envelope(INFO, wsseHeader(creds, { nonce, createdMs }));
    const post = () => fetch(cam.xaddr, { method: 'POST', headers: { 'Content-Type': 'application/soap+xml' }, body: xml });
    expect((await post()).status).toBe(200);
    const replay = await post();
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('ter:NotAuthorized');
  });

  it('refuses a Created more than 5 s away from the camera clock', async () => {
    expect((await callWsse(cam.xaddr, INFO, creds, { createdMs: Date.now() - 30_000 })).status).toBe(400);
    expect((await callWsse(cam.xaddr, INFO, creds, { createdMs: Date.now() + 30_000 })).status).toBe(400);
  });

  it('with a skewed camera clock: a token on our clock is refused, one corrected by GetSystemDateAndTime passes', async () => {
    cam.setClockSkew(-3_600_000); // camera an hour behind
    try {
      expect((await callWsse(cam.xaddr, INFO, creds)).status).toBe(400);
      const t = await callNoAuth(cam.xaddr, '<tds:GetSystemDateAndTime/>');
      const utc = child(child(t.soap?.body, 'SystemDateAndTime'), 'UTCDateTime');
      const n = (...p: string[]) => Number(textAt(utc, ...p));
      const camMs = Date.UTC(n('Date', 'Year'), n('Date', 'Month') - 1, n('Date', 'Day'), n('Time', 'Hour'), n('Time', 'Minute'), n('Time', 'Second'));
      const offset = camMs - Date.now();
      expect(Math.abs(offset + 3_600_000)).toBeLessThan(2_000);
      const ok = await callWsse(cam.xaddr, INFO, creds, { createdMs: Date.now() + offset });
      expect(ok.status).toBe(200);
    } finally {
      cam.setClockSkew(0);
    }
  });

  it('refuses oversized bodies with 413 and DTDs with a fault, before any parsing of entities', async () => {
    const big = await fetch(cam.xaddr, { method: 'POST', headers: { 'Content-Type': 'application/soap+xml' }, body: envelope(`<tds:GetScopes>${'x'.repeat(70 * 1024)}</tds:GetScopes>`) });
    expect(big.status).toBe(413);
    const dtd = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>${envelope('<tds:GetSystemDateAndTime/>')}`;
    const r = await fetch(cam.xaddr, { method: 'POST', headers: { 'Content-Type': 'application/soap+xml' }, body: dtd });
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('Fault');
  });

  it('serves the snapshot only with Digest', async () => {
    const url = `${cam.baseUrl}/onvif/snapshot/main.jpg`;
    const anon = await fetch(url);
    expect(anon.status).toBe(401);
    await anon.arrayBuffer();
  });
});
