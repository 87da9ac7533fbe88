// Ops test mode on a whole site (simulated boxes over real ptys, the real bridge and gateway):
// the test command opens a window in which a press still drives the relays exactly as always,
// is journalled as a test and opens no incident; a press after the window is a real alarm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteHarness } from '../../support/site-harness.ts';
import { until } from '../../support/until.ts';
import type { FeedClient, FeedMessage } from '../../support/feed-client.ts';

interface Event {
  id?: number;
  kind: string;
  boxId: string | null;
  detail: Record<string, unknown>;
}
interface Incident {
  id: string;
  boxId: string;
  kind: string;
  state: string;
}

const BOX = 'box-gate';
/** Long enough that the press surely lands inside it, short enough to wait out. */
const WINDOW_MS = 8000;

describe('ops test mode on a site', () => {
  const site = new SiteHarness({ cameraMedia: false });
  let feed: FeedClient;

  const feedEvents = (): Event[] => feed.messages.map((m) => m.msg).filter((m): m is FeedMessage & { event: Event } => m.type === 'device-event').map((m) => m.event).filter((e) => e.boxId === BOX);
  const feedIncidents = (): Incident[] => feed.messages.map((m) => m.msg).filter((m) => m.type === 'incident').map((m) => m.incident as Incident).filter((i) => i.boxId === BOX);

  beforeAll(async () => {
    await site.start();
    await site.allOnline();
    feed = await site.feed();
  }, 90000);
  afterAll(() => site.stop(), 30000);

  it('a press inside the test window sounds the box and latches as always, is journalled with test: true, and opens no incident', async () => {
    const sim = site.sims.box(BOX);
    expect(sim.outputs(BOX)).toEqual({ strobe: false, siren: false });
    const started = await site.api('POST', `/api/boxes/${BOX}/test`, { durationMs: WINDOW_MS });
    expect(started.status).toBe(200);
    await until(() => sim.outputs(BOX).strobe && sim.outputs(BOX).siren, 5000, 'test pulse on the relays');

    const before = feedEvents().length;
    sim.press(BOX);
    await until(() => feedEvents().slice(before).some((e) => e.kind === 'latched'), 5000, 'press and latch on the feed');
    const press = feedEvents().slice(before).find((e) => e.kind === 'button-pressed')!;
    expect(press.detail).toMatchObject({ test: true, testBy: 'admin' });
    expect(sim.outputs(BOX)).toEqual({ strobe: true, siren: true });
    const devices = await site.api<Array<{ boxId: string; latched: boolean }>>('GET', '/api/devices');
    expect(devices.body.find((d) => d.boxId === BOX)?.latched).toBe(true);

    // The journal decides incidents in the same transaction as the event and tells them right
    // after it: by the time the later 'latched' event is on the feed, an incident would be too.
    expect(feedIncidents()).toEqual([]);
    const open = await site.api<Incident[]>('GET', '/api/incidents?open=true');
    expect(open.body.filter((i) => i.boxId === BOX)).toEqual([]);

    const journalled = await site.api<Event[]>('GET', `/api/device-events?boxId=${BOX}`);
    expect(journalled.body.find((e) => e.kind === 'test' && e.detail.phase === 'start')?.detail).toMatchObject({ by: 'admin', durationMs: WINDOW_MS, phase: 'start' });
    expect(journalled.body.find((e) => e.kind === 'button-pressed')?.detail).toMatchObject({ test: true });
  });

  it('the relays stay on until an authorised reset, the window ends on the record, and the next press is a real alarm', async () => {
    const sim = site.sims.box(BOX);
    sim.release(BOX);
    await until(async () => {
      const d = await site.api<Array<{ boxId: string; pressed: boolean }>>('GET', '/api/devices');
      return d.body.some((x) => x.boxId === BOX && !x.pressed);
    }, 5000, 'release seen');
    expect(sim.outputs(BOX)).toEqual({ strobe: true, siren: true });
    expect((await site.api('POST', `/api/boxes/${BOX}/reset`, {})).status).toBe(200);
    await until(() => !sim.outputs(BOX).strobe && !sim.outputs(BOX).siren, 5000, 'relays off after reset');

    // The test press closed the window at once: one press proves the path.
    await until(() => feedEvents().some((e) => e.kind === 'test' && e.detail.phase === 'end'), 10000, 'test window end on the feed');
    expect(feedEvents().find((e) => e.kind === 'test' && e.detail.phase === 'end')?.detail).toMatchObject({ by: 'admin', reason: 'pressed' });

    const before = feedEvents().length;
    sim.press(BOX);
    await until(() => feedIncidents().length > 0, 5000, 'a real incident');
    expect(feedIncidents()[0]).toMatchObject({ kind: 'panic', state: 'new' });
    expect(sim.outputs(BOX)).toEqual({ strobe: true, siren: true });
    const press = feedEvents().slice(before).find((e) => e.kind === 'button-pressed')!;
    expect(press.detail).not.toHaveProperty('test');
  });
});
