import { describe, expect, it } from 'vitest';
import { MAX_DELAY_MS, MIN_DELAY_MS, reconnectDelay } from '../../../dashboard/src/feed.ts';
import { parseFeedMessage, parseSite } from '../../../dashboard/src/parse.ts';

const incident = {
  id: 'INC-20261123-0001',
  boxId: 'box-gate',
  kind: 'panic',
  priority: 'red',
  state: 'new',
  openedAt: '2026-11-23T08:00:00Z',
  steps: [],
};

describe('feed message parsing', () => {
  it('accepts each message type of the contract', () => {
    expect(parseFeedMessage(JSON.stringify({ type: 'incident', incident }))).toEqual({ type: 'incident', incident });
    expect(parseFeedMessage('{"type":"bridge","connected":true}')).toEqual({ type: 'bridge', connected: true });
    const ev = { seq: 1, at: '2026-11-23T08:00:00Z', kind: 'pressed', boxId: 'box-gate', source: 'serial', detail: {} };
    expect(parseFeedMessage(JSON.stringify({ type: 'device-event', event: ev }))?.type).toBe('device-event');
  });

  it('drops malformed frames, unknown types and incidents with an unknown priority', () => {
    expect(parseFeedMessage('not json')).toBeNull();
    expect(parseFeedMessage('{"type":"hello"}')).toBeNull();
    expect(parseFeedMessage(JSON.stringify({ type: 'incident', incident: { ...incident, priority: 'purple' } }))).toBeNull();
  });

  it('keeps the good records of a snapshot and drops a bad one', () => {
    const msg = parseFeedMessage(
      JSON.stringify({ type: 'snapshot', incidents: [incident, { id: 42 }], devices: [], bridge: { connected: false } }),
    );
    expect(msg).toEqual({ type: 'snapshot', incidents: [incident], devices: [], bridge: { connected: false } });
  });

  it('rejects a site whose box lacks a location', () => {
    const site = {
      site: { id: 's', name: { zh: '校', en: 'S' }, plan: { width: 1, height: 1 } },
      buildings: [],
      boxes: [{ id: 'b', name: { zh: '箱', en: 'Box' }, priority: 'red', silent: false, transport: 'mqtt' }],
    };
    expect(parseSite(site)).toBeNull();
    expect(parseSite({ ...site, boxes: [] })).not.toBeNull();
  });
});

describe('reconnect backoff', () => {
  it('starts near 1 s, grows, and never leaves 1 s to 10 s whatever the jitter', () => {
    for (const r of [0, 0.5, 0.999]) {
      const delays = Array.from({ length: 12 }, (_, n) => reconnectDelay(n, r));
      for (const d of delays) {
        expect(d).toBeGreaterThanOrEqual(MIN_DELAY_MS);
        expect(d).toBeLessThanOrEqual(MAX_DELAY_MS);
      }
      expect(delays[0]).toBeLessThanOrEqual(1250);
      expect(delays[11]).toBeGreaterThanOrEqual(7500);
    }
  });

  it('spreads screens apart: different random draws give different delays', () => {
    expect(reconnectDelay(3, 0)).not.toBe(reconnectDelay(3, 0.9));
  });
});
