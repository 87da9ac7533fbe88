// Camera events through the pull point, against the simulated camera on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import type { CameraEvent, OnvifCamera } from '../../../gateway/cameras/onvif-camera.ts';
import { until } from '../../support/until.ts';
import { adapterFor, startSim } from './helpers.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function subscribed(id: string): Promise<{ sim: Awaited<ReturnType<typeof startSim>>; cam: OnvifCamera; events: CameraEvent[] }> {
  const sim = await startSim(id);
  cleanups.push(() => sim.stop());
  const cam = adapterFor(sim);
  cleanups.push(() => cam.close());
  const events: CameraEvent[] = [];
  cam.on('event', (e: CameraEvent) => events.push(e));
  cam.start();
  await until(() => cam.health().state === 'online' && cam.eventSubscriptions > 0, 10000, 'online and subscribed');
  return { sim, cam, events };
}

describe('camera events', () => {
  it('delivers motion and tamper changes, once per change', async () => {
    const { sim, events } = await subscribed('cam-events');
    sim.triggerMotion(true);
    await until(() => events.some((e) => e.topic === 'motion' && e.active), 8000, 'motion on');
    sim.triggerMotion(true); // no change: not delivered again
    sim.triggerMotion(false);
    await until(() => events.some((e) => e.topic === 'motion' && !e.active), 8000, 'motion off');
    sim.triggerTamper(true);
    await until(() => events.some((e) => e.topic === 'tamper' && e.active), 8000, 'tamper on');
    expect(events.filter((e) => e.topic === 'motion').map((e) => e.active)).toEqual([true, false]);
    for (const e of events) expect(Number.isFinite(Date.parse(e.at))).toBe(true);
  });

  it('re-creates a subscription the camera dropped, and the next motion still arrives', async () => {
    const { sim, cam, events } = await subscribed('cam-drop');
    const before = cam.eventSubscriptions;
    sim.dropSubscriptions();
    await until(() => cam.eventSubscriptions > before, 10000, 'subscription re-created');
    sim.triggerMotion(true);
    await until(() => events.some((e) => e.topic === 'motion' && e.active), 8000, 'motion after re-subscribe');
  });

  it('event times are on the gateway clock even when the camera clock is 90 s ahead', async () => {
    const sim = await startSim('cam-events-skew');
    cleanups.push(() => sim.stop());
    sim.setClockSkew(90_000);
    const cam = adapterFor(sim);
    cleanups.push(() => cam.close());
    const events: CameraEvent[] = [];
    cam.on('event', (e: CameraEvent) => events.push(e));
    cam.start();
    await until(() => cam.health().state === 'online' && cam.eventSubscriptions > 0, 10000, 'subscribed');
    sim.triggerMotion(true);
    await until(() => events.length > 0, 8000, 'motion');
    expect(Math.abs(Date.parse(events[0]!.at) - Date.now())).toBeLessThan(10_000);
  });
});
