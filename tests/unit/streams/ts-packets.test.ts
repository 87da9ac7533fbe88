// MPEG-TS chunking for JSMpeg viewers: whole 188-byte packets, I-frames found.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { containsSequenceHeader, TS_PACKET, TsChunker } from '../../../gateway/streams/ts-packets.ts';

function mpeg1Ts(): Buffer {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=25', '-t', '2', '-c:v', 'mpeg1video', '-bf', '0', '-g', '25', '-f', 'mpegts', 'pipe:1'], { maxBuffer: 16 * 1024 * 1024, timeout: 20000 });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return r.stdout;
}
const TS = mpeg1Ts();

describe('TS chunker', () => {
  it('emits only whole packets, whatever the pipe chunk sizes, and loses nothing', () => {
    const c = new TsChunker();
    const out: Buffer[] = [];
    let off = 0;
    let step = 1;
    while (off < TS.length) {
      const got = c.push(TS.subarray(off, off + step));
      if (got) {
        expect(got.data.length % TS_PACKET).toBe(0);
        expect(got.data[0]).toBe(0x47);
        out.push(got.data);
      }
      off += step;
      step = (step * 7 + 3) % 1000 || 1;
    }
    expect(Buffer.concat(out).equals(TS.subarray(0, TS.length - (TS.length % TS_PACKET)))).toBe(true);
    expect(c.skippedBytes).toBe(0);
  });

  it('finds the I-frames (sequence headers): one per 25 frames', () => {
    let keyPackets = 0;
    for (let off = 0; off < TS.length; off += TS_PACKET) if (containsSequenceHeader(TS.subarray(off, off + TS_PACKET))) keyPackets++;
    expect(keyPackets).toBe(2);
  });

  it('resynchronises after garbage in front of the packets', () => {
    const c = new TsChunker();
    const got = c.push(Buffer.concat([Buffer.from([1, 2, 3, 0x47, 9]), TS.subarray(0, TS_PACKET * 3)]));
    expect(got?.data.equals(TS.subarray(0, TS_PACKET * 3))).toBe(true);
    expect(c.skippedBytes).toBe(5);
  });
});
