// Pacing with the clock passed in: no sleeps.
import { describe, expect, it } from 'vitest';
import { TalkPacer } from '../../../gateway/intercom/talk-pacer.ts';

const start = { ssrc: 1, seq: 100, timestamp: 0 };
const ms = (n: number): Uint8Array => new Uint8Array(n * 8).fill(0x11);

describe('TalkPacer', () => {
  it('waits for the prebuffer, then sends one 160-sample packet per 20 ms of clock', () => {
    const p = new TalkPacer(start, { prebufferMs: 60 });
    p.push(ms(40));
    expect(p.tick(0)).toHaveLength(0);
    p.push(ms(160));
    const first = p.tick(1000);
    expect(first).toHaveLength(1);
    expect(first[0]?.[1]).toBe(0x80); // marker: start of a talkspurt
    expect(p.tick(1010)).toHaveLength(0);
    expect(p.tick(1020)).toHaveLength(1);
    const later = p.tick(1080);
    expect(later).toHaveLength(3);
    expect(later.map((k) => k.readUInt16BE(2))).toEqual([102, 103, 104]);
    expect(later.map((k) => k.readUInt32BE(4))).toEqual([320, 480, 640]);
    expect(later.every((k) => k.length === 172)).toBe(true);
  });

  it('drops the oldest audio beyond the backlog bound', () => {
    const p = new TalkPacer(start, { maxBacklogMs: 1000 });
    p.push(ms(1500));
    expect(p.pending()).toBe(8000);
    expect(p.dropped).toBe(4000);
  });

  it('ends a talkspurt on underrun; the next starts with a marker and a timestamp that kept time', () => {
    const p = new TalkPacer(start, { prebufferMs: 20 });
    p.push(ms(40));
    expect(p.tick(0)).toHaveLength(1);
    expect(p.tick(20)).toHaveLength(1);
    expect(p.tick(40)).toHaveLength(0); // underrun
    p.push(ms(20));
    const next = p.tick(1040);
    expect(next).toHaveLength(1);
    expect(next[0]?.[1]).toBe(0x80);
    // 2 packets (320 samples) ended at 40 ms; resumed at 1040 ms: 1000 ms = 8000 samples later.
    expect(next[0]?.readUInt32BE(4)).toBe(8320);
  });

  it('after a stall sends at most a few late packets and skips the rest', () => {
    const p = new TalkPacer(start, { prebufferMs: 20, maxBurstFrames: 5 });
    p.push(ms(1000));
    p.tick(0);
    const burst = p.tick(500);
    expect(burst).toHaveLength(5);
    expect(p.pending()).toBe(8000 - 26 * 160);
  });

  it('on drain sends a last partial frame padded with silence, without waiting for the prebuffer', () => {
    const p = new TalkPacer(start, { prebufferMs: 100 });
    p.push(new Uint8Array(50).fill(0x22));
    expect(p.tick(0)).toHaveLength(0);
    p.drain();
    const out = p.tick(5);
    expect(out).toHaveLength(1);
    expect(out[0]?.subarray(12, 62).every((b) => b === 0x22)).toBe(true);
    expect(out[0]?.subarray(62).every((b) => b === 0xff)).toBe(true);
    expect(p.pending()).toBe(0);
  });
});
