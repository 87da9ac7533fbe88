// Discovery by unicast Probe on 127.0.0.1 (never multicast in tests) and the camera fleet.
import { afterEach, describe, expect, it } from 'vitest';
import { CameraFleet, type FleetEvent, type FleetHealth } from '../../../gateway/cameras/camera-fleet.ts';
import { listenForHello, probe, type DiscoveredDevice } from '../../../gateway/cameras/discovery.ts';
import { DiscoveryResponder } from '../../../simulators/camera/discovery-responder.ts';
import type { SimulatedCamera } from '../../../simulators/camera/simulated-camera.ts';
import { until } from '../../support/until.ts';
import { cameraConfig, FAST_TIMING, logger, portOf, startSim } from './helpers.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sims(n: number, prefix: string): Promise<SimulatedCamera[]> {
  const out = await Promise.all(Array.from({ length: n }, (_, i) => startSim(`${prefix}-${i}`)));
  cleanups.push(...out.map((s) => () => s.stop()));
  return out;
}

async function responder(cameras: SimulatedCamera[]): Promise<number> {
  const r = new DiscoveryResponder({ cameras, logger });
  cleanups.push(() => r.stop());
  return r.start();
}

describe('WS-Discovery and the camera fleet', () => {
  it('finds several cameras with a unicast Probe and returns each once', async () => {
    const cams = await sims(3, 'disc');
    const port = await responder(cams);
    // The same target twice: answers are de-duplicated by endpoint.
    const found = await probe({ targets: [`127.0.0.1:${port}`, `127.0.0.1:${port}`], timeoutMs: 500 });
    expect(found.map((d) => d.endpoint).sort()).toEqual(cams.map((c) => c.uuid).sort());
    expect(found.map((d) => d.xaddrs[0]).sort()).toEqual(cams.map((c) => c.xaddr).sort());
  });

  it('hears a camera announce itself with Hello', async () => {
    const cams = await sims(1, 'hello');
    const r = new DiscoveryResponder({ cameras: cams, logger });
    cleanups.push(() => r.stop());
    await r.start();
    const heard: DiscoveredDevice[] = [];
    const listener = await listenForHello({ port: 0, onHello: (d) => heard.push(d) });
    cleanups.push(() => listener.close());
    await r.sendHello({ host: '127.0.0.1', port: listener.port });
    await until(() => heard.length === 1, 3000, 'Hello');
    expect(heard[0]!.endpoint).toBe(cams[0]!.uuid);
  });

  it('the fleet connects configured cameras, re-emits health and events with the id, and reports unknown ones', async () => {
    const cams = await sims(3, 'fleet');
    const port = await responder(cams);
    const configured = cams.slice(0, 2);
    const fleet = new CameraFleet({
      cameras: [...configured.map((c, i) => cameraConfig(`cam-${i}`, portOf(c))), cameraConfig('cam-nokey', 1)],
      credentials: (id) => (id === 'cam-nokey' ? null : { username: 'admin', password: 'secret-pass' }),
      discovery: { enabled: true, probeTargets: [`127.0.0.1:${port}`], timeoutMs: 400 },
      logger,
      timing: FAST_TIMING,
    });
    cleanups.push(() => fleet.stop());
    const health: FleetHealth[] = [];
    const events: FleetEvent[] = [];
    const discovered: DiscoveredDevice[] = [];
    fleet.on('health', (h: FleetHealth) => health.push(h));
    fleet.on('event', (e: FleetEvent) => events.push(e));
    fleet.on('discovered', (d: DiscoveredDevice) => discovered.push(d));
    fleet.start();
    await until(() => fleet.list().filter((c) => c.health.state === 'online').length === 2, 10000, 'two online');
    expect(health.filter((h) => h.state === 'online').map((h) => h.cameraId).sort()).toEqual(['cam-0', 'cam-1']);
    expect(fleet.get('cam-nokey')).toBeUndefined();
    await until(() => discovered.length === 1, 3000, 'unknown camera reported');
    expect(discovered[0]!.endpoint).toBe(cams[2]!.uuid);
    expect(fleet.discovered()).toHaveLength(1);
    await until(() => (fleet.get('cam-1')?.eventSubscriptions ?? 0) > 0, 5000, 'subscribed');
    configured[1]!.triggerMotion(true);
    await until(() => events.some((e) => e.cameraId === 'cam-1' && e.topic === 'motion'), 8000, 'motion from cam-1');
  });

  it('one slow camera does not hold up GotoPreset on another', async () => {
    const cams = await sims(2, 'slow');
    const fleet = new CameraFleet({
      cameras: cams.map((c, i) => cameraConfig(`cam-${i}`, portOf(c))),
      credentials: () => ({ username: 'admin', password: 'secret-pass' }),
      discovery: { enabled: false, probeTargets: [], timeoutMs: 400 },
      logger,
      timing: { ...FAST_TIMING, opTimeoutMs: 5000, probeTimeoutMs: 5000, probeIntervalMs: 60000 },
    });
    cleanups.push(() => fleet.stop());
    fleet.start();
    await until(() => fleet.list().every((c) => c.health.state === 'online'), 10000, 'online');
    cams[0]!.setSlow(3000);
    const slowCalls = Array.from({ length: 8 }, () => fleet.get('cam-0')!.gotoPreset('1').catch(() => undefined));
    const seen: string[] = [];
    cams[1]!.on('goto-preset', (t: string) => seen.push(t));
    const t0 = performance.now();
    await fleet.get('cam-1')!.gotoPreset('2');
    const fastMs = performance.now() - t0;
    expect(seen).toEqual(['2']);
    // Generous: the point is "not 3 s behind the slow camera", not a latency figure.
    expect(fastMs).toBeLessThan(1500);
    cams[0]!.setSlow(0);
    await Promise.all(slowCalls);
  });

  it('discovers and connects 16 cameras (prints the time taken)', async () => {
    const cams = await sims(16, 'sixteen');
    const port = await responder(cams);
    const t0 = performance.now();
    const found = await probe({ targets: [`127.0.0.1:${port}`], timeoutMs: 300 });
    const tDiscovered = performance.now();
    expect(found).toHaveLength(16);
    const fleet = new CameraFleet({
      cameras: found.map((d, i) => {
        const u = new URL(d.xaddrs[0]!);
        return cameraConfig(`cam-${i}`, Number(u.port), u.pathname);
      }),
      credentials: () => ({ username: 'admin', password: 'secret-pass' }),
      discovery: { enabled: false, probeTargets: [], timeoutMs: 300 },
      logger,
      timing: FAST_TIMING,
    });
    cleanups.push(() => fleet.stop());
    fleet.start();
    await until(() => fleet.list().every((c) => c.health.state === 'online'), 20000, '16 online');
    const tOnline = performance.now();
    console.log(`16 cameras: discovery ${(tDiscovered - t0).toFixed(0)} ms (probe window 300 ms), connect ${(tOnline - tDiscovered).toFixed(0)} ms, total ${(tOnline - t0).toFixed(0)} ms`);
    expect(fleet.list()).toHaveLength(16);
  });
});
