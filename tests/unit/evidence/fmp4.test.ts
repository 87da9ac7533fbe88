import { describe, expect, it } from 'vitest';
import { fragmentInfo, rebaseDecodeTime, videoTimescale } from '../../../gateway/evidence/fmp4.ts';
import { Fmp4Splitter } from '../../../gateway/evidence/fmp4-splitter.ts';

function box(type: string, ...body: Buffer[]): Buffer {
  const payload = Buffer.concat(body);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + payload.length);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, payload]);
}
const u32 = (...v: number[]) => Buffer.concat(v.map((n) => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b; }));
const u64 = (v: bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(v); return b; };

function init(timescale: number): Buffer {
  const mdhd = box('mdhd', u32(0, 0, 0, timescale, 0));
  const hdlr = box('hdlr', u32(0, 0), Buffer.from('vide'), u32(0, 0, 0), Buffer.from('v\0'));
  return Buffer.concat([box('ftyp', Buffer.from('isom'), u32(0)), box('moov', box('trak', box('mdia', mdhd, hdlr)))]);
}

/** tfhd with default duration; trun with first_sample_flags and per-sample sizes. */
function fragment(decode: bigint, key: boolean, samples = 1, tfdtV0 = false): Buffer {
  const tfhd = box('tfhd', u32(0x020008, 1, 3000));
  const tfdt = tfdtV0 ? box('tfdt', u32(0, Number(decode))) : box('tfdt', u32(0x01000000), u64(decode));
  const trun = box('trun', u32(0x000205, samples, 0, key ? 0x02000000 : 0x01010000), u32(...Array<number>(samples).fill(10)));
  return Buffer.concat([box('moof', box('mfhd', u32(0, 1)), box('traf', tfhd, tfdt, trun)), box('mdat', Buffer.alloc(10 * samples))]);
}

describe('fmp4 reading', () => {
  it('finds the video timescale and each fragment’s decode time, duration and sync flag', () => {
    expect(videoTimescale(init(90000))).toBe(90000);
    expect(fragmentInfo(fragment(180000n, true, 2))).toEqual({ decodeTime: 180000n, durationTicks: 6000, keyframe: true });
    expect(fragmentInfo(fragment(183000n, false)).keyframe).toBe(false);
    expect(fragmentInfo(fragment(7n, false, 1, true)).decodeTime).toBe(7n);
  });

  it('rebases tfdt so a clip starts at zero, leaving the original untouched', () => {
    const f = fragment(180000n, true);
    expect(fragmentInfo(rebaseDecodeTime(f, 90000n)).decodeTime).toBe(90000n);
    expect(fragmentInfo(rebaseDecodeTime(fragment(50n, true, 1, true), 20n)).decodeTime).toBe(30n);
    expect(fragmentInfo(f).decodeTime).toBe(180000n);
  });

  it('rejects a box whose size runs past its parent', () => {
    const bad = fragment(0n, true);
    bad.writeUInt32BE(0xffff, 8); // mfhd claims 64 KiB inside a small moof
    expect(() => fragmentInfo(bad)).toThrow(/malformed MP4 box/);
  });

  it('splits a stream into init + fragments whatever the chunk boundaries', () => {
    const stream = Buffer.concat([init(90000), fragment(0n, true), box('free'), fragment(3000n, false), fragment(6000n, false)]);
    for (const step of [1, 7, 64, stream.length]) {
      const s = new Fmp4Splitter();
      const out = [];
      for (let i = 0; i < stream.length; i += step) out.push(...s.push(stream.subarray(i, i + step)));
      expect(out.map((m) => m.kind)).toEqual(['init', 'fragment', 'fragment', 'fragment']);
      expect(out.map((m) => (m.kind === 'fragment' ? m.keyframe : null))).toEqual([null, true, false, false]);
      expect(out[0]!.data.equals(init(90000))).toBe(true);
    }
  });

  it('refuses an absurd box size instead of buffering without end', () => {
    const s = new Fmp4Splitter();
    expect(() => s.push(Buffer.from([0x7f, 0xff, 0xff, 0xff, 0x6d, 0x64, 0x61, 0x74]))).toThrow(/box size/);
  });
});
