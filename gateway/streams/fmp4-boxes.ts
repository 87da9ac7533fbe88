// Incremental parser for the fragmented MP4 that ffmpeg writes to a pipe. Pure: bytes in, items
// out. It cuts the byte stream into what a browser's MSE needs: one init segment (ftyp+moov,
// with its RFC 6381 codecs string) and media fragments (moof+mdat) flagged as keyframe or not,
// so a stream can keep the current GOP and start new viewers at a keyframe.
import { streamError } from './errors.ts';
import { codecsFromMoov, childBoxes, findBox, type TrackInfo, tracksFromMoov } from './mp4-codecs.ts';

export interface InitSegment {
  kind: 'init';
  data: Buffer;
  /** e.g. `avc1.42C01E,mp4a.40.2` */
  codecs: string;
  /** e.g. `video/mp4; codecs="avc1.42C01E,mp4a.40.2"` */
  mimeType: string;
}

export interface MediaFragment {
  kind: 'fragment';
  data: Buffer;
  /** The video track's first sample is a sync sample: a decoder can start here. */
  keyframe: boolean;
  /** tfdt of the video track, in its timescale units (null if absent). */
  decodeTime: number | null;
  /** Sum of the video samples' durations in µs (null if not derivable). */
  durationUs: number | null;
}

export type Fmp4Item = InitSegment | MediaFragment;

export const DEFAULT_MAX_BOX_BYTES = 8 * 1024 * 1024;

/** Feed it chunks of any size; it returns complete items in order. Throws STREAM_BOX_* on garbage. */
export class Fmp4Parser {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private ftyp: Buffer | null = null;
  private moof: Buffer | null = null;
  private initSent = false;
  private tracks = new Map<number, TrackInfo>();

  constructor(private readonly maxBoxBytes = DEFAULT_MAX_BOX_BYTES) {}

  push(chunk: Buffer): Fmp4Item[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const out: Fmp4Item[] = [];
    for (;;) {
      const box = this.nextBox();
      if (!box) return out;
      const item = this.onTopLevelBox(box.type, box.data);
      if (item) out.push(item);
    }
  }

  private nextBox(): { type: string; data: Buffer } | null {
    if (this.buffered < 8) return null;
    const head = this.peek(Math.min(16, this.buffered));
    let size = head.readUInt32BE(0);
    const type = head.toString('latin1', 4, 8);
    if (size === 1) {
      if (head.length < 16) return null;
      const large = head.readBigUInt64BE(8);
      // Anything past the cap is refused before we try to hold it in memory.
      size = large > BigInt(this.maxBoxBytes) ? this.maxBoxBytes + 1 : Number(large);
      if (size < 16) throw streamError('STREAM_BOX_MALFORMED', { type, size });
    } else if (size === 0) {
      // "Extends to end of file" has no end on a live pipe.
      throw streamError('STREAM_BOX_MALFORMED', { type, size, reason: 'open-ended box' });
    } else if (size < 8) {
      throw streamError('STREAM_BOX_MALFORMED', { type, size });
    }
    if (!/^[\x20-\x7e]{4}$/.test(type)) throw streamError('STREAM_BOX_MALFORMED', { reason: 'box type not printable' });
    if (size > this.maxBoxBytes) throw streamError('STREAM_BOX_TOO_LARGE', { type, size, max: this.maxBoxBytes });
    if (this.buffered < size) return null;
    return { type, data: this.take(size) };
  }

  private onTopLevelBox(type: string, data: Buffer): Fmp4Item | null {
    switch (type) {
      case 'ftyp':
        this.ftyp = data;
        return null;
      case 'moov': {
        // ffmpeg writes the init once per process; a second moov would mean a new stream, which
        // our owner handles by starting a new parser.
        if (this.initSent) return null;
        this.initSent = true;
        this.tracks = tracksFromMoov(data);
        const codecs = codecsFromMoov(data);
        const init = this.ftyp ? Buffer.concat([this.ftyp, data]) : data;
        return { kind: 'init', data: init, codecs, mimeType: `video/mp4; codecs="${codecs}"` };
      }
      case 'moof':
        this.moof = data;
        return null;
      case 'mdat': {
        const moof = this.moof;
        this.moof = null;
        if (!moof || !this.initSent) return null;
        return { kind: 'fragment', data: Buffer.concat([moof, data]), ...describeMoof(moof, this.tracks) };
      }
      default:
        // styp, sidx, free, mfra, prft...: nothing a live viewer needs.
        return null;
    }
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0];
    if (first && first.length >= n) return first.subarray(0, n);
    // Only as many chunks as the header needs: tiny pipe reads must not cost a copy of the backlog.
    const parts: Buffer[] = [];
    let got = 0;
    for (const c of this.chunks) {
      if (got >= n) break;
      parts.push(c);
      got += c.length;
    }
    return Buffer.concat(parts, got).subarray(0, n);
  }

  private take(n: number): Buffer {
    const first = this.chunks[0];
    let out: Buffer;
    if (first && first.length >= n) {
      // Copy, so a small box does not pin the whole pipe chunk in a long-lived GOP cache.
      out = Buffer.from(first.subarray(0, n));
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      const all = Buffer.concat(this.chunks, this.buffered);
      out = all.subarray(0, n);
      this.chunks = all.length > n ? [Buffer.from(all.subarray(n))] : [];
    }
    this.buffered -= n;
    return out;
  }
}

// Sample flags (ISO 14496-12 §8.8.3.1): bits 24-25 sample_depends_on, bit 16 is_non_sync.
export function isSyncSampleFlags(flags: number): boolean {
  const dependsOn = (flags >>> 24) & 0x3;
  const nonSync = (flags >>> 16) & 0x1;
  // depends_on 2 = "does not depend on others" (an I-frame); 0 = unknown, trusted when the
  // muxer also says it is not a non-sync sample. 1 = depends on others: never a start point.
  return nonSync === 0 && dependsOn !== 1;
}

function describeMoof(moof: Buffer, tracks: Map<number, TrackInfo>): Pick<MediaFragment, 'keyframe' | 'decodeTime' | 'durationUs'> {
  const none = { keyframe: false, decodeTime: null, durationUs: null };
  for (const traf of childBoxes(moof, 8).filter((b) => b.type === 'traf')) {
    const tfhd = findBox(traf.body, 'tfhd');
    if (!tfhd || tfhd.body.length < 8) continue;
    const tf = tfhd.body.readUInt32BE(0) & 0xffffff;
    const trackId = tfhd.body.readUInt32BE(4);
    const track = tracks.get(trackId);
    if (!track || track.handler !== 'vide') continue;
    let off = 8;
    if (tf & 0x01) off += 8; // base_data_offset
    if (tf & 0x02) off += 4; // sample_description_index
    let defaultDuration = track.defaultSampleDuration;
    if (tf & 0x08) {
      defaultDuration = readU32(tfhd.body, off) ?? defaultDuration;
      off += 4;
    }
    if (tf & 0x10) off += 4; // default_sample_size
    let defaultFlags = track.defaultSampleFlags;
    if (tf & 0x20) defaultFlags = readU32(tfhd.body, off) ?? defaultFlags;

    const tfdt = findBox(traf.body, 'tfdt');
    let decodeTime: number | null = null;
    if (tfdt && tfdt.body.length >= 8) {
      decodeTime = tfdt.body[0] === 1 && tfdt.body.length >= 12 ? Number(tfdt.body.readBigUInt64BE(4)) : tfdt.body.readUInt32BE(4);
    }
    const trun = findBox(traf.body, 'trun');
    if (!trun || trun.body.length < 8) return { keyframe: false, decodeTime, durationUs: null };
    const rf = trun.body.readUInt32BE(0) & 0xffffff;
    const count = trun.body.readUInt32BE(4);
    let p = 8;
    if (rf & 0x001) p += 4; // data_offset
    let firstFlags: number | null = null;
    if (rf & 0x004) {
      firstFlags = readU32(trun.body, p);
      p += 4;
    }
    const perSample = (rf & 0x100 ? 4 : 0) + (rf & 0x200 ? 4 : 0) + (rf & 0x400 ? 4 : 0) + (rf & 0x800 ? 4 : 0);
    let total = 0;
    let known = true;
    let sample0Flags: number | null = null;
    for (let i = 0; i < count && i < 100_000; i++) {
      let q = p + i * perSample;
      if (rf & 0x100) {
        total += readU32(trun.body, q) ?? 0;
        q += 4;
      } else if (defaultDuration !== null) total += defaultDuration;
      else known = false;
      if (rf & 0x200) q += 4;
      if (i === 0 && rf & 0x400) sample0Flags = readU32(trun.body, q);
    }
    const flags = firstFlags ?? sample0Flags ?? defaultFlags;
    const durationUs = known && count > 0 && track.timescale > 0 ? Math.round((total * 1e6) / track.timescale) : null;
    return { keyframe: count > 0 && flags !== null && isSyncSampleFlags(flags), decodeTime, durationUs };
  }
  return none;
}

function readU32(b: Buffer, off: number): number | null {
  return off + 4 <= b.length ? b.readUInt32BE(off) : null;
}
