// OnvifCamera against the simulated camera over real HTTP on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import { CodedError } from '../../../common/coded-error.ts';
import type { OnvifCamera } from '../../../gateway/cameras/onvif-camera.ts';
import type { SimulatedCamera } from '../../../simulators/camera/simulated-camera.ts';
import { until } from '../../support/until.ts';
import { adapterFor, digestOnlyFront, startSim } from './helpers.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function online(sim: SimulatedCamera, password?: string, port?: number): Promise<OnvifCamera> {
  const cam = adapterFor(sim, password, undefined, port);
  cleanups.push(() => cam.close());
  cam.start();
  await until(() => cam.health().state === 'online', 10000, 'camera online');
  return cam;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (err) {
    return err instanceof CodedError ? err.code : `not coded: ${(err as Error).message}`;
  }
}

describe('OnvifCamera against a simulated camera', () => {
  it('connects and reads device information, profiles, the stream URI and a JPEG snapshot', async () => {
    const sim = await startSim('cam-connect');
    cleanups.push(() => sim.stop());
    const cam = await online(sim);
    const caps = await cam.capabilities();
    expect(caps.device.manufacturer).not.toBe('');
    expect(caps.ptz).toBe(true);
    const profiles = await cam.profiles();
    expect(profiles.map((p) => p.token)).toContain('main');
    expect(await cam.streamUri('main')).toMatch(/^rtsp:\/\/127\.0\.0\.1/);
    const jpeg = await cam.snapshot();
    expect(jpeg[0]).toBe(0xff);
    expect(jpeg[1]).toBe(0xd8);
  });

  it('lists presets and the camera receives GotoPreset (by token or by name), SetPreset and RemovePreset', async () => {
    const sim = await startSim('cam-presets');
    cleanups.push(() => sim.stop());
    const cam = await online(sim);
    const presets = await cam.presets();
    expect(presets.map((p) => p.name)).toContain('Playground');
    const seen: string[] = [];
    sim.on('goto-preset', (token: string) => seen.push(token));
    await cam.gotoPreset('3');
    await cam.gotoPreset('Playground');
    expect(seen).toEqual(['3', '2']);
    const token = await cam.setPreset('东门 East gate');
    expect((await cam.presets()).find((p) => p.token === token)?.name).toBe('东门 East gate');
    await cam.removePreset(token);
    expect((await cam.presets()).some((p) => p.token === token)).toBe(false);
    sim.refusePreset('4', true);
    expect(await codeOf(cam.gotoPreset('4'))).toBe('CAMERA_FAULT');
  });

  it('moves, stops, reports status, drives a relay and refuses tours the camera does not have', async () => {
    const sim = await startSim('cam-ptz-ops');
    cleanups.push(() => sim.stop());
    const cam = await online(sim);
    const moves: unknown[] = [];
    sim.on('continuous-move', (v: unknown) => moves.push(v));
    await cam.continuousMove({ x: 0.5, y: 0, zoom: 0 }, 1000);
    await cam.stop();
    expect(moves).toHaveLength(1);
    expect(typeof (await cam.status()).moving).toBe('boolean');
    await cam.gotoHome();
    const relays = await cam.relayOutputs();
    expect(relays.length).toBeGreaterThan(0);
    await cam.setRelay(relays[0]!.token, true);
    expect(sim.relayStates()[relays[0]!.token]).toBe('active');
    expect(await codeOf(cam.presetTours())).toBe('PTZ_UNSUPPORTED');
  });

  it('uses the camera’s own preset tour when it reports one', async () => {
    const sim = await startSim('cam-tour', { model: 'ptz-tour', tourStayMs: 500 });
    cleanups.push(() => sim.stop());
    const cam = await online(sim);
    expect((await cam.capabilities()).maxPresetTours).toBeGreaterThan(0);
    const tours = await cam.presetTours();
    expect(tours.length).toBeGreaterThan(0);
    const ops: string[] = [];
    sim.on('tour', (_t: string, op: string) => ops.push(op));
    await cam.startPresetTour(tours[0]!.token);
    await cam.stopPresetTour(tours[0]!.token);
    expect(ops).toEqual(['Start', 'Stop']);
  });

  it('a fixed camera answers PTZ calls with PTZ_UNSUPPORTED', async () => {
    const sim = await startSim('cam-fixed', { model: 'fixed' });
    cleanups.push(() => sim.stop());
    const cam = await online(sim);
    expect(await codeOf(cam.gotoPreset('1'))).toBe('PTZ_UNSUPPORTED');
  });

  it('works with a camera clock 90 s ahead (UsernameToken Created corrected by the offset)', async () => {
    const sim = await startSim('cam-skew');
    cleanups.push(() => sim.stop());
    sim.setClockSkew(90_000);
    const cam = await online(sim);
    const caps = await cam.capabilities();
    expect(caps.authMode).toBe('wsse');
    expect(Math.abs(caps.clockOffsetMs - 90_000)).toBeLessThan(3000);
    const seen: string[] = [];
    sim.on('goto-preset', (t: string) => seen.push(t));
    await cam.gotoPreset('2');
    expect(seen).toEqual(['2']);
  });

  it('falls back to HTTP Digest with a camera that ignores WS-UsernameToken', async () => {
    const sim = await startSim('cam-digest');
    cleanups.push(() => sim.stop());
    const front = await digestOnlyFront(sim);
    cleanups.push(() => front.close());
    const cam = await online(sim, undefined, front.port);
    expect((await cam.capabilities()).authMode).toBe('digest');
    const seen: string[] = [];
    sim.on('goto-preset', (t: string) => seen.push(t));
    await cam.gotoPreset('1');
    await cam.gotoPreset('2');
    expect(seen).toEqual(['1', '2']);
    expect(front.strippedTokens()).toBeGreaterThan(0);
  });

  it('a wrong password ends in auth-failed', async () => {
    const sim = await startSim('cam-badpass');
    cleanups.push(() => sim.stop());
    const cam = adapterFor(sim, 'wrong-password');
    cleanups.push(() => cam.close());
    const states: string[] = [];
    cam.on('health', (h: { state: string }) => states.push(h.state));
    cam.start();
    await until(() => cam.health().state === 'auth-failed', 10000, 'auth-failed');
    expect(states).toContain('auth-failed');
    expect(await codeOf(cam.gotoPreset('1'))).toBe('CAMERA_AUTH_FAILED');
  });

  it('goes offline within a few seconds when the camera disappears and online again when it is back', async () => {
    const sim = await startSim('cam-offline');
    cleanups.push(() => sim.stop());
    const cam = await online(sim);
    const health: Array<{ state: string; since: string; reason: string }> = [];
    cam.on('health', (h: { state: string; since: string; reason: string }) => health.push(h));
    sim.setOffline(true);
    await sim.settled();
    await until(() => cam.health().state === 'offline', 8000, 'offline');
    expect(health.at(-1)?.reason).not.toBe('');
    expect(await codeOf(cam.gotoPreset('1'))).toBe('CAMERA_OFFLINE');
    sim.setOffline(false);
    await sim.settled();
    await until(() => cam.health().state === 'online', 8000, 'online again');
    expect(health.map((h) => h.state)).toEqual(['offline', 'online']);
  });
});
