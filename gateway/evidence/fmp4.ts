// Just enough ISO BMFF reading for evidence: the video timescale from the init segment, and the
// decode time, duration and sync flag of a moof+mdat fragment. Pure functions over Buffers; the
// stream-facing splitter lives in fmp4-splitter.ts.
import { EvidenceErrors } from './errors.ts';

interface Box {
  type: string;
  /** Offset of the payload (after size/type/largesize). */
  body: number;
  end: number;
}

/** The boxes laid end to end in buf[from, to). Throws on a size that runs past `to`. */
export function* childBoxes(buf: Buffer, from = 0, to = buf.length): Generator<Box> {
  let at = from;
  while (at + 8 <= to) {
    let size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    let body = at + 8;
    if (size === 1) {
      if (at + 16 > to) throw EvidenceErrors.badBox(`${type} largesize cut short`);
      size = Number(buf.readBigUInt64BE(at + 8));
      body = at + 16;
    } else if (size === 0) {
      size = to - at; // "to the end of the enclosing box"
    }
    if (size < body - at || at + size > to) throw EvidenceErrors.badBox(`${type} size ${size} at ${at}`);
    yield { type, body, end: at + size };
    at += size;
  }
}

function child(buf: Buffer, parent: { body: number; end: number }, type: string): Box | undefined {
  for (const b of childBoxes(buf, parent.body, parent.end)) if (b.type === type) return b;
  return undefined;
}

const whole = (buf: Buffer) => ({ body: 0, end: buf.length });

/** Ticks per second of the first video track (mdhd), or null if the init has none. */
export function videoTimescale(init: Buffer): number | null {
  return videoTrack(init)?.timescale ?? null;
}

/** The first video track's id (tkhd) and timescale (mdhd). */
export function videoTrack(init: Buffer): { id: number; timescale: number } | null {
  const moov = child(init, whole(init), 'moov');
  if (!moov) return null;
  for (const trak of childBoxes(init, moov.body, moov.end)) {
    if (trak.type !== 'trak') continue;
    const mdia = child(init, trak, 'mdia');
    const hdlr = mdia && child(init, mdia, 'hdlr');
    const mdhd = mdia && child(init, mdia, 'mdhd');
    if (!hdlr || !mdhd || init.toString('latin1', hdlr.body + 8, hdlr.body + 12) !== 'vide') continue;
    const version = init.readUInt8(mdhd.body);
    const timescale = init.readUInt32BE(mdhd.body + (version === 1 ? 20 : 12));
    const tkhd = child(init, trak, 'tkhd');
    const id = tkhd ? init.readUInt32BE(tkhd.body + (init.readUInt8(tkhd.body) === 1 ? 20 : 12)) : 1;
    return { id, timescale };
  }
  return null;
}

/** The track id of a fragment's first traf (tfhd), or null. */
export function fragmentTrackId(frag: Buffer): number | null {
  const moof = child(frag, whole(frag), 'moof');
  const traf = moof && child(frag, moof, 'traf');
  const tfhd = traf && child(frag, traf, 'tfhd');
  return tfhd ? frag.readUInt32BE(tfhd.body + 4) : null;
}

export interface FragmentInfo {
  /** tfdt baseMediaDecodeTime of the first track fragment, in timescale ticks. */
  decodeTime: bigint | null;
  /** Sum of the sample durations, in ticks. */
  durationTicks: number | null;
  /** From the first sample's flags; null when the fragment does not say. */
  keyframe: boolean | null;
}

const SAMPLE_IS_NON_SYNC = 0x10000;

/** Reads the first traf of a moof+mdat fragment (cameras here carry one video track). */
export function fragmentInfo(frag: Buffer): FragmentInfo {
  const info: FragmentInfo = { decodeTime: null, durationTicks: null, keyframe: null };
  const moof = child(frag, whole(frag), 'moof');
  const traf = moof && child(frag, moof, 'traf');
  if (!traf) return info;
  let defaultDuration: number | null = null;
  let defaultFlags: number | null = null;
  const tfhd = child(frag, traf, 'tfhd');
  if (tfhd) {
    const flags = frag.readUInt32BE(tfhd.body) & 0xffffff;
    let at = tfhd.body + 8;
    if (flags & 0x1) at += 8;
    if (flags & 0x2) at += 4;
    if (flags & 0x8) {
      defaultDuration = frag.readUInt32BE(at);
      at += 4;
    }
    if (flags & 0x10) at += 4;
    if (flags & 0x20) defaultFlags = frag.readUInt32BE(at);
  }
  const tfdt = child(frag, traf, 'tfdt');
  if (tfdt) {
    info.decodeTime = frag.readUInt8(tfdt.body) === 1 ? frag.readBigUInt64BE(tfdt.body + 4) : BigInt(frag.readUInt32BE(tfdt.body + 4));
  }
  const trun = child(frag, traf, 'trun');
  if (trun) {
    const flags = frag.readUInt32BE(trun.body) & 0xffffff;
    const count = frag.readUInt32BE(trun.body + 4);
    let at = trun.body + 8;
    if (flags & 0x1) at += 4;
    let firstFlags: number | null = defaultFlags;
    if (flags & 0x4) {
      firstFlags = frag.readUInt32BE(at);
      at += 4;
    }
    const perSample = ((flags & 0x100 ? 1 : 0) + (flags & 0x200 ? 1 : 0) + (flags & 0x400 ? 1 : 0) + (flags & 0x800 ? 1 : 0)) * 4;
    if (at + perSample * count > trun.end) throw EvidenceErrors.badBox('trun samples run past the box');
    if (flags & 0x400 && !(flags & 0x4) && count > 0) firstFlags = frag.readUInt32BE(at + (flags & 0x100 ? 4 : 0) + (flags & 0x200 ? 4 : 0));
    if (flags & 0x100) {
      let sum = 0;
      for (let i = 0; i < count; i++) sum += frag.readUInt32BE(at + i * perSample);
      info.durationTicks = sum;
    } else if (defaultDuration !== null) {
      info.durationTicks = defaultDuration * count;
    }
    if (firstFlags !== null) info.keyframe = (firstFlags & SAMPLE_IS_NON_SYNC) === 0;
  }
  return info;
}

/** A copy of the fragment with every tfdt moved back by `minus` ticks, so a clip cut from the
 * middle of a live stream starts at time 0 (players otherwise show a leading gap). */
export function rebaseDecodeTime(frag: Buffer, minus: bigint): Buffer {
  const out = Buffer.from(frag);
  const moof = child(out, whole(out), 'moof');
  if (!moof) return out;
  for (const traf of childBoxes(out, moof.body, moof.end)) {
    if (traf.type !== 'traf') continue;
    const tfdt = child(out, traf, 'tfdt');
    if (!tfdt) continue;
    if (out.readUInt8(tfdt.body) === 1) {
      const t = out.readBigUInt64BE(tfdt.body + 4) - minus;
      out.writeBigUInt64BE(t < 0n ? 0n : t, tfdt.body + 4);
    } else {
      const t = BigInt(out.readUInt32BE(tfdt.body + 4)) - minus;
      out.writeUInt32BE(Number(t < 0n ? 0n : t), tfdt.body + 4);
    }
  }
  return out;
}
