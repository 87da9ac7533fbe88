// Jepsen-style: record every acknowledgement a box received, kill -9 the bridge and the gateway in
// the middle of a burst of presses, then read the gateway's journal back: nothing acknowledged may
// be missing, nothing may be there twice.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteHarness } from '../../support/site-harness.ts';
import { until } from '../../support/until.ts';

interface JournalEvent {
  id: number;
  boxId: string | null;
  kind: string;
  boxEventId: number | null;
}

const BOXES = ['box-gate', 'box-teaching-2f', 'box-playground'];
const ROUNDS = 60;

describe('kill -9 in the middle of a burst of presses', () => {
  const site = new SiteHarness();

  beforeAll(async () => {
    await site.start();
    await site.allOnline();
  }, 90000);
  afterAll(() => site.stop(), 30000);

  it('loses nothing that was acknowledged and records nothing twice', async () => {
    const sent = new Set<string>();
    const acked = new Set<string>();
    for (const boxId of BOXES) site.sims.box(boxId).on('acked', (b: string, eventId: number) => acked.add(`${b}#${eventId}`));

    for (let round = 0; round < ROUNDS; round++) {
      if (round === Math.floor(ROUNDS / 3)) process.kill(site.pid('bridge'), 'SIGKILL');
      if (round === Math.floor((2 * ROUNDS) / 3)) process.kill(site.pid('gateway'), 'SIGKILL');
      for (const boxId of BOXES) {
        const sim = site.sims.box(boxId);
        sent.add(`${boxId}#${sim.press(boxId)}`);
        sent.add(`${boxId}#${sim.release(boxId)}`);
      }
      await sleep(15);
    }
    // Boxes repeat until acknowledged, so once both processes are back everything gets acked.
    await until(() => [...sent].every((k) => acked.has(k)), 60000, 'every event acknowledged');
    expect(acked.size).toBe(sent.size);

    const journal = new Map<string, number>();
    await until(async () => {
      journal.clear();
      for (const boxId of BOXES) {
        const events: JournalEvent[] = [];
        for (let before = ''; ; ) {
          const r = await site.api<JournalEvent[]>('GET', `/api/device-events?box=${boxId}&limit=500${before}`).catch(() => null);
          if (!r || r.status !== 200) return false;
          events.push(...r.body);
          if (r.body.length < 500) break;
          before = `&before=${r.body.at(-1)!.id}`;
        }
        for (const e of events) {
          if ((e.kind === 'button-pressed' || e.kind === 'button-released') && e.boxEventId !== null) {
            const k = `${e.boxId}#${e.boxEventId}`;
            journal.set(k, (journal.get(k) ?? 0) + 1);
          }
        }
      }
      return [...acked].every((k) => journal.has(k));
    }, 30000, 'every acknowledged event in the journal');
    const missing = [...acked].filter((k) => !journal.has(k));
    const twice = [...journal].filter(([, n]) => n > 1).map(([k]) => k);
    expect(missing).toEqual([]);
    expect(twice).toEqual([]);
  });
});
