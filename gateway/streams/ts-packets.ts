// MPEG-TS from ffmpeg's pipe, cut at 188-byte packet boundaries so every chunk a JSMpeg viewer
// gets is whole packets, and flagged when it carries an MPEG-1 sequence header (ffmpeg writes
// one before every I-frame): the place a viewer that fell behind can rejoin. Pure.

export const TS_PACKET = 188;
const SYNC = 0x47;

export interface TsChunk {
  data: Buffer;
  /** Contains the start of an MPEG-1 video access unit with a sequence header (an I-frame). */
  keyframe: boolean;
}

export class TsChunker {
  private rest: Buffer = Buffer.alloc(0);
  /** Bytes thrown away to find packet sync again (0 on a healthy pipe). */
  skippedBytes = 0;

  push(chunk: Buffer): TsChunk | null {
    let buf = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    const start = findSync(buf);
    if (start < 0) {
      // Keep a tail in case sync appears in the next chunk; drop the rest as garbage.
      const keep = Math.min(buf.length, 2 * TS_PACKET);
      this.skippedBytes += buf.length - keep;
      this.rest = Buffer.from(buf.subarray(buf.length - keep));
      return null;
    }
    this.skippedBytes += start;
    buf = buf.subarray(start);
    const whole = buf.length - (buf.length % TS_PACKET);
    this.rest = Buffer.from(buf.subarray(whole));
    if (whole === 0) return null;
    const data = Buffer.from(buf.subarray(0, whole));
    return { data, keyframe: containsSequenceHeader(data) };
  }
}

/** First offset where a sync byte is followed by another one packet later (or the buffer ends). */
function findSync(buf: Buffer): number {
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] !== SYNC) continue;
    if (i + TS_PACKET >= buf.length || buf[i + TS_PACKET] === SYNC) return i;
  }
  return -1;
}

export function containsSequenceHeader(data: Buffer): boolean {
  for (let off = 0; off + TS_PACKET <= data.length; off += TS_PACKET) {
    const b1 = data[off + 1] ?? 0;
    const b3 = data[off + 3] ?? 0;
    if (!(b1 & 0x40)) continue; // payload_unit_start_indicator: a PES begins here
    const afc = (b3 >> 4) & 0x3;
    if (!(afc & 0x1)) continue;
    let p = off + 4 + (afc & 0x2 ? 1 + (data[off + 4] ?? 0) : 0);
    const end = off + TS_PACKET;
    if (p + 9 > end || data[p] !== 0 || data[p + 1] !== 0 || data[p + 2] !== 1) continue;
    const streamId = data[p + 3] ?? 0;
    if (streamId < 0xe0 || streamId > 0xef) continue;
    p += 9 + (data[p + 8] ?? 0);
    for (let i = p; i + 3 < end; i++) {
      if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1 && data[i + 3] === 0xb3) return true;
    }
  }
  return false;
}
