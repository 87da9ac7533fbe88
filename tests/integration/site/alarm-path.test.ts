// The path that matters most, end to end on simulated hardware over real ptys and a real broker:
// press → strobe + siren at the box → incident on the WebSocket feed → authorised reset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteHarness } from '../../support/site-harness.ts';
import { until } from '../../support/until.ts';
import type { FeedClient } from '../../support/feed-client.ts';

interface Incident {
  id: string;
  boxId: string;
  kind: string;
  priority: string;
  state: string;
  steps: Array<{ action: string; by: string; at: string }>;
}

const incidentFor = (feed: FeedClient, boxId: string, kind = 'panic') =>
  feed.messages.map((m) => m.msg).find((m) => m.type === 'incident' && (m.incident as Incident).boxId === boxId && (m.incident as Incident).kind === kind)?.incident as
    | Incident
    | undefined;

describe('alarm path on every transport', () => {
  const site = new SiteHarness();
  let feed: FeedClient;

  beforeAll(async () => {
    await site.start();
    await site.allOnline();
    feed = await site.feed();
  }, 90000);
  afterAll(() => site.stop(), 30000);

  it('starts the feed with a snapshot of devices and incidents', () => {
    const first = feed.messages[0]?.msg;
    expect(first?.type).toBe('snapshot');
    expect((first?.devices as unknown[]).length).toBe(5);
  });

  for (const [boxId, transport, priority] of [
    ['box-gate', 'serial', 'red'],
    ['box-dorm', 'modbus', 'orange'],
    ['box-playground', 'mqtt', 'yellow'],
  ] as const) {
    it(`a press on ${boxId} (${transport}) switches its strobe and siren on and opens a ${priority} incident on the feed`, async () => {
      const sim = site.sims.box(boxId);
      sim.press(boxId);
      await until(() => sim.outputs(boxId).strobe && sim.outputs(boxId).siren, 5000, 'relays on');
      await until(() => incidentFor(feed, boxId) !== undefined, 5000, 'incident on feed');
      const inc = incidentFor(feed, boxId)!;
      expect(inc.priority).toBe(priority);
      expect(inc.state).toBe('new');
      const listed = await site.api<Incident[]>('GET', '/api/incidents?open=true');
      expect(listed.body.some((i) => i.id === inc.id)).toBe(true);
    });
  }

  it('a silent box flashes its strobe but keeps its siren quiet', async () => {
    const sim = site.sims.box('box-office');
    sim.press('box-office');
    await until(() => sim.outputs('box-office').strobe, 5000, 'strobe on');
    await until(() => incidentFor(feed, 'box-office') !== undefined, 5000, 'incident');
    expect(sim.outputs('box-office').siren).toBe(false);
  });

  it('the relays stay on after release and go off only on an authorised reset', async () => {
    const sim = site.sims.box('box-gate');
    sim.release('box-gate');
    await until(async () => {
      const d = await site.api<Array<{ boxId: string; pressed: boolean }>>('GET', '/api/devices');
      return d.body.some((x) => x.boxId === 'box-gate' && !x.pressed);
    }, 5000, 'release seen');
    expect(sim.outputs('box-gate')).toEqual({ strobe: true, siren: true });
    const res = await site.api('POST', '/api/boxes/box-gate/reset', {});
    expect(res.status).toBe(200);
    await until(() => !sim.outputs('box-gate').strobe && !sim.outputs('box-gate').siren, 5000, 'relays off');
  });

  it('refuses a reset while the button is still held, and says why', async () => {
    const res = await site.api<{ code: string }>('POST', '/api/boxes/box-dorm/reset', {});
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('BOX_STILL_PRESSED');
    expect(site.sims.box('box-dorm').outputs('box-dorm').strobe).toBe(true);
  });

  it('tamper raises an alarm', async () => {
    site.sims.box('box-teaching-2f').tamper('box-teaching-2f', true);
    await until(() => incidentFor(feed, 'box-teaching-2f', 'tamper') !== undefined, 5000, 'tamper incident');
  });

  it('a box that stops its heartbeats is reported offline within three intervals', async () => {
    const sim = site.sims.box('box-teaching-2f');
    const since = Date.now();
    sim.setHeartbeats('box-teaching-2f', false);
    await until(
      () => feed.messages.some((m) => m.msg.type === 'device-event' && (m.msg.event as { kind: string; boxId: string }).kind === 'offline' && (m.msg.event as { boxId: string }).boxId === 'box-teaching-2f'),
      10000,
      'offline event',
    );
    // 3 intervals of 500 ms plus the supervisor's check period and scheduling slack.
    expect(Date.now() - since).toBeLessThan(3 * 500 + 2000);
    sim.setHeartbeats('box-teaching-2f', true);
  });
});
