// The fMP4 parser against real ffmpeg output cut into random chunks, and against hostile sizes.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CodedError } from '../../../common/coded-error.ts';
import { Fmp4Parser, isSyncSampleFlags, type Fmp4Item, type MediaFragment } from '../../../gateway/streams/fmp4-boxes.ts';
import { hevcCodec } from '../../../gateway/streams/mp4-codecs.ts';

const FRAG = ['-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov+default_base_moof+frag_every_frame', 'pipe:1'];

function ffmpegOut(args: string[]): Buffer {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...args], { maxBuffer: 64 * 1024 * 1024, timeout: 20000 });
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr.toString()}`);
  return r.stdout;
}

// 2 s of 160x120@15 with a keyframe every 15 frames: small and quick to make.
const VIDEO = ffmpegOut(['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=15', '-t', '2', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-profile:v', 'baseline', '-g', '15', '-keyint_min', '15', '-sc_threshold', '0', ...FRAG]);
const WITH_AUDIO = ffmpegOut(['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=15', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=16000', '-t', '2', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '15', '-c:a', 'aac', '-ac', '1', ...FRAG]);

/** Deterministic pseudo-random chunk sizes (1..maxChunk), so a failure can be replayed. */
function* chunks(buf: Buffer, seed: number, maxChunk: number): Generator<Buffer> {
  let s = seed;
  let off = 0;
  while (off < buf.length) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const n = 1 + (s % maxChunk);
    yield buf.subarray(off, off + n);
    off += n;
  }
}

function parseInChunks(buf: Buffer, seed: number, maxChunk: number): Fmp4Item[] {
  const p = new Fmp4Parser();
  const out: Fmp4Item[] = [];
  for (const c of chunks(buf, seed, maxChunk)) out.push(...p.push(c));
  return out;
}

const fragments = (items: Fmp4Item[]): MediaFragment[] => items.filter((i): i is MediaFragment => i.kind === 'fragment');

function boxHeader(size: number, type: string): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(size, 0);
  b.write(type, 4, 'latin1');
  return b;
}

describe('fMP4 box parser', () => {
  it('emits one init segment (ftyp+moov) and one fragment per frame, keyframes every 15 frames', () => {
    const items = new Fmp4Parser().push(VIDEO);
    const inits = items.filter((i) => i.kind === 'init');
    expect(inits).toHaveLength(1);
    expect(items[0]?.kind).toBe('init');
    const init = inits[0];
    expect(init?.data.toString('latin1', 4, 8)).toBe('ftyp');
    const frags = fragments(items);
    expect(frags).toHaveLength(30);
    expect(frags.map((f, i) => (f.keyframe ? i : -1)).filter((i) => i >= 0)).toEqual([0, 15]);
    for (const f of frags) {
      expect(f.data.toString('latin1', 4, 8)).toBe('moof');
      expect(f.durationUs).toBe(66667);
    }
    // decodeTime grows by one frame each fragment.
    const times = frags.map((f) => f.decodeTime ?? -1);
    expect(times[0]).toBe(0);
    expect(new Set(times.slice(1).map((t, i) => t - (times[i] ?? 0))).size).toBe(1);
    // The pieces put back together are the file up to its closing index (mfra, which a live
    // viewer has no use for): nothing lost, nothing invented.
    const joined = Buffer.concat(items.map((i) => i.data));
    expect(VIDEO.subarray(0, joined.length).equals(joined)).toBe(true);
    expect(VIDEO.toString('latin1', joined.length + 4, joined.length + 8)).toBe('mfra');
  });

  it('gives the same items whatever the chunk sizes (boxes split across chunks, many boxes per chunk)', () => {
    const whole = new Fmp4Parser().push(VIDEO);
    for (const [seed, max] of [[1, 1], [7, 13], [42, 500], [99, 7000], [5, 100000]] as const) {
      const got = parseInChunks(VIDEO, seed, max);
      expect(got.map((i) => i.kind)).toEqual(whole.map((i) => i.kind));
      expect(Buffer.concat(got.map((i) => i.data)).equals(Buffer.concat(whole.map((i) => i.data)))).toBe(true);
      expect(fragments(got).map((f) => f.keyframe)).toEqual(fragments(whole).map((f) => f.keyframe));
    }
  });

  it('reads the RFC 6381 codecs string: avc1.PPCCLL from avcC, mp4a.40.2 for AAC', () => {
    const v = new Fmp4Parser().push(VIDEO)[0];
    // Constrained baseline (0x42, constraint flags 0xC0), level 1.1-ish for 160x120: PP=42.
    expect(v?.kind === 'init' && v.codecs).toMatch(/^avc1\.42C0[0-9A-F]{2}$/);
    expect(v?.kind === 'init' && v.mimeType).toMatch(/^video\/mp4; codecs="avc1\.42C0[0-9A-F]{2}"$/);
    const a = new Fmp4Parser().push(WITH_AUDIO);
    const init = a[0];
    expect(init?.kind === 'init' && init.codecs).toMatch(/^avc1\.[0-9A-F]{6},mp4a\.40\.2$/);
    // Audio-only fragments are never keyframes; the video ones keep their rhythm.
    expect(fragments(a).filter((f) => f.keyframe)).toHaveLength(2);
  });

  it('builds hvc1 strings from hvcC the way ISO 14496-15 Annex E spells them', () => {
    // Main profile, compat flags 0x60000000, constraints B0, level 93 → the usual "hvc1.1.6.L93.B0".
    const hvcC = Buffer.from([1, 0x01, 0x60, 0, 0, 0, 0xb0, 0, 0, 0, 0, 0, 93]);
    expect(hevcCodec('hvc1', hvcC)).toBe('hvc1.1.6.L93.B0');
    // Main 10, high tier, level 150.
    const main10 = Buffer.from([1, 0x22, 0x20, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 150]);
    expect(hevcCodec('hev1', main10)).toBe('hev1.2.4.H150.90');
  });

  it('classifies sample flags: depends_on=2 and sync is a keyframe; non-sync or depends_on=1 is not', () => {
    expect(isSyncSampleFlags(0x02000000)).toBe(true); // ffmpeg's keyframe
    expect(isSyncSampleFlags(0x01010000)).toBe(false); // ffmpeg's P-frame
    expect(isSyncSampleFlags(0x02010000)).toBe(false);
    expect(isSyncSampleFlags(0x01000000)).toBe(false);
    expect(isSyncSampleFlags(0x00000000)).toBe(true); // unknown dependency, not marked non-sync
  });

  it('refuses a box bigger than the cap from its header alone, before buffering it', () => {
    const p = new Fmp4Parser(8 * 1024 * 1024);
    expect(() => p.push(boxHeader(0xffffffff, 'mdat'))).toThrowError(expect.objectContaining({ code: 'STREAM_BOX_TOO_LARGE' }) as unknown as Error);
    const large = Buffer.concat([boxHeader(1, 'mdat'), Buffer.from([0, 0, 1, 0, 0, 0, 0, 0])]); // 2^40 bytes
    expect(() => new Fmp4Parser().push(large)).toThrow(CodedError);
    // Just above a small cap, and just at it.
    expect(() => new Fmp4Parser(1024).push(boxHeader(1025, 'free'))).toThrowError(/exceeds/);
    expect(new Fmp4Parser(1024).push(Buffer.concat([boxHeader(1024, 'free'), Buffer.alloc(1016)]))).toEqual([]);
  });

  it('refuses malformed headers: size below 8, open-ended size 0, a largesize below 16, a non-printable type', () => {
    const code = (b: Buffer): string | undefined => {
      try {
        new Fmp4Parser().push(b);
        return undefined;
      } catch (err) {
        return err instanceof CodedError ? err.code : 'other';
      }
    };
    expect(code(boxHeader(7, 'moof'))).toBe('STREAM_BOX_MALFORMED');
    expect(code(boxHeader(0, 'mdat'))).toBe('STREAM_BOX_MALFORMED');
    expect(code(Buffer.concat([boxHeader(1, 'mdat'), Buffer.from([0, 0, 0, 0, 0, 0, 0, 8])]))).toBe('STREAM_BOX_MALFORMED');
    expect(code(boxHeader(16, '\x00\x01ab'))).toBe('STREAM_BOX_MALFORMED');
    // An incomplete header is just waited for.
    expect(code(Buffer.from([0, 0, 0]))).toBeUndefined();
  });

  it('ignores boxes a live viewer does not need and mdat without moof, and survives garbage children', () => {
    const p = new Fmp4Parser();
    expect(p.push(Buffer.concat([boxHeader(16, 'free'), Buffer.alloc(8), boxHeader(12, 'mdat'), Buffer.alloc(4)]))).toEqual([]);
    // A moov whose children claim absurd sizes still yields an init (with no codecs) instead of a crash.
    const junkTrak = Buffer.concat([boxHeader(40, 'trak'), boxHeader(0x7fffffff, 'mdia'), Buffer.alloc(24)]);
    const moov = Buffer.concat([boxHeader(8 + junkTrak.length, 'moov'), junkTrak]);
    const items = new Fmp4Parser().push(Buffer.concat([boxHeader(8, 'ftyp'), moov]));
    expect(items).toHaveLength(1);
    expect(items[0]?.kind === 'init' && items[0].codecs).toBe('');
  });
});
