import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PreAlarmBuffer } from '../../../gateway/evidence/pre-alarm-buffer.ts';
import type { TimedFragment } from '../../../gateway/evidence/timeline.ts';

const INIT = Buffer.from('init-a');

/** A camera at `fps` with a keyframe every `gop` frames; frame i starts at i * 1000 / fps ms. */
function frame(i: number, fps: number, gop: number, bytes = 1000): TimedFragment {
  return { data: Buffer.alloc(bytes), keyframe: i % gop === 0, atMs: (i * 1000) / fps, durationMs: 1000 / fps, decodeTime: null };
}

describe('pre-alarm buffer', () => {
  it('holds at least preSeconds, starting at a keyframe, and at most one GOP more', () => {
    const buf = new PreAlarmBuffer({ preSeconds: 30, maxBytes: 1e9 });
    buf.setInit(INIT);
    for (let i = 0; i < 15 * 90; i++) {
      buf.push(frame(i, 15, 30));
      const snap = buf.snapshot()!;
      expect(snap.fragments[0]!.keyframe).toBe(true);
      const history = ((i + 1) * 1000) / 15;
      if (history >= 30000) {
        expect(snap.coveredMs).toBeGreaterThanOrEqual(30000);
        expect(snap.coveredMs).toBeLessThanOrEqual(30000 + 2000 + 1000 / 15);
      } else {
        expect(snap.coveredMs).toBeCloseTo(history, 6); // nothing dropped before the window is full
      }
      expect(snap.capLimited).toBe(false);
    }
  });

  it('ignores frames until the first keyframe: a clip must open on one', () => {
    const buf = new PreAlarmBuffer({ preSeconds: 5 });
    buf.setInit(INIT);
    for (let i = 3; i < 10; i++) buf.push(frame(i, 10, 5));
    const snap = buf.snapshot()!;
    expect(snap.fragments[0]!.atMs).toBe(500);
    expect(snap.fragments).toHaveLength(5);
  });

  it('drops whole GOPs from the front to stay under the byte cap, and says the window is short', () => {
    const buf = new PreAlarmBuffer({ preSeconds: 30, maxBytes: 100_000 });
    buf.setInit(INIT);
    for (let i = 0; i < 10 * 60; i++) buf.push(frame(i, 10, 10, 2000)); // 20 kB/s: 30 s would be 600 kB
    const snap = buf.snapshot()!;
    expect(buf.stats.bytes).toBeLessThanOrEqual(100_000);
    expect(snap.fragments[0]!.keyframe).toBe(true);
    expect(snap.coveredMs).toBeLessThan(30000);
    expect(snap.coveredMs).toBeGreaterThanOrEqual(4000); // 100 kB of 20 kB GOPs: at least 4 whole ones
    expect(snap.capLimited).toBe(true);
    expect(buf.capDrops).toBeGreaterThan(0);

    // The bitrate falls: the window grows back to preSeconds and the note clears.
    for (let i = 600; i < 600 + 10 * 40; i++) buf.push(frame(i, 10, 10, 100));
    expect(buf.snapshot()!.coveredMs).toBeGreaterThanOrEqual(30000);
    expect(buf.snapshot()!.capLimited).toBe(false);
  });

  it('keeps the GOP being received even when it alone is over the cap', () => {
    const buf = new PreAlarmBuffer({ preSeconds: 30, maxBytes: 5000 });
    buf.setInit(INIT);
    for (let i = 0; i < 25; i++) buf.push(frame(i, 10, 10, 1000));
    const snap = buf.snapshot()!;
    expect(snap.fragments[0]!.atMs).toBe(2000);
    expect(snap.fragments).toHaveLength(5);
  });

  it('starts over on a different init or a timeline that runs backwards (a restarted camera)', () => {
    const buf = new PreAlarmBuffer({ preSeconds: 5 });
    buf.setInit(INIT);
    for (let i = 0; i < 20; i++) buf.push(frame(i, 10, 5));
    buf.setInit(Buffer.from(INIT)); // same bytes: nothing lost
    expect(buf.stats.fragments).toBe(20);
    buf.push(frame(0, 10, 5));
    expect(buf.stats.fragments).toBe(1);
    buf.setInit(Buffer.from('init-b'));
    expect(buf.stats.fragments).toBe(0);
    expect(buf.snapshot()!.init.toString()).toBe('init-b');
  });

  it('holds nothing without an init segment', () => {
    const buf = new PreAlarmBuffer();
    buf.push(frame(0, 10, 5));
    expect(buf.snapshot()).toBeNull();
    expect(buf.stats.fragments).toBe(0);
  });

  it('property: any GOP pattern and frame sizes — starts at a keyframe, within cap or one GOP, covers pre unless capped', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ gopFrames: fc.integer({ min: 1, max: 40 }), bytes: fc.integer({ min: 1, max: 5000 }) }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 10_000, max: 200_000 }),
        (gops, preSeconds, maxBytes) => {
          const buf = new PreAlarmBuffer({ preSeconds, maxBytes });
          buf.setInit(INIT);
          let i = 0;
          for (const g of gops) {
            for (let k = 0; k < g.gopFrames; k++, i++) {
              buf.push({ data: Buffer.alloc(g.bytes), keyframe: k === 0, atMs: i * 100, durationMs: 100, decodeTime: null });
              const snap = buf.snapshot()!;
              const frags = snap.fragments;
              if (!frags[0]!.keyframe) return false;
              const gopsHeld = frags.filter((f) => f.keyframe).length;
              if (buf.stats.bytes > maxBytes && gopsHeld > 1) return false;
              const history = (i + 1) * 100;
              if (!snap.capLimited && snap.coveredMs < Math.min(history, preSeconds * 1000)) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 200 },
    );
  });
});
