// Just enough of RTP (RFC 3550) and the H.264 payload format (RFC 6184) to fan a stream out:
// find where a keyframe starts, so a new viewer begins cleanly, and pick up SPS/PPS for the SDP.
// Pure functions on packets; nothing here rewrites a packet.

export const NAL_IDR = 5;
export const NAL_SPS = 7;
export const NAL_PPS = 8;
const NAL_STAP_A = 24;
const NAL_FU_A = 28;

export interface RtpInfo {
  payloadType: number;
  marker: boolean;
  seq: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}

/** Null when the packet is not RTP version 2 or is truncated. */
export function parseRtp(pkt: Buffer): RtpInfo | null {
  if (pkt.length < 12) return null;
  const b0 = pkt.readUInt8(0);
  if (b0 >> 6 !== 2) return null;
  const b1 = pkt.readUInt8(1);
  const csrcCount = b0 & 0x0f;
  let offset = 12 + 4 * csrcCount;
  if (b0 & 0x10) {
    if (pkt.length < offset + 4) return null;
    offset += 4 + 4 * pkt.readUInt16BE(offset + 2);
  }
  let end = pkt.length;
  if (b0 & 0x20) end -= pkt.readUInt8(pkt.length - 1);
  if (offset > end) return null;
  return {
    payloadType: b1 & 0x7f,
    marker: (b1 & 0x80) !== 0,
    seq: pkt.readUInt16BE(2),
    timestamp: pkt.readUInt32BE(4),
    ssrc: pkt.readUInt32BE(8),
    payload: pkt.subarray(offset, end),
  };
}

/** The NAL units carried whole in a payload (single NAL or STAP-A); FU-A fragments are not whole. */
export function wholeNals(payload: Buffer): Buffer[] {
  if (payload.length < 1) return [];
  const type = payload.readUInt8(0) & 0x1f;
  if (type >= 1 && type <= 23) return [payload];
  if (type !== NAL_STAP_A) return [];
  const nals: Buffer[] = [];
  let off = 1;
  // Each pass consumes at least 2 bytes of a finite payload.
  while (off + 2 <= payload.length) {
    const size = payload.readUInt16BE(off);
    off += 2;
    if (size === 0 || off + size > payload.length) break;
    nals.push(payload.subarray(off, off + size));
    off += size;
  }
  return nals;
}

/**
 * The type of the first NAL unit that begins in this payload: the NAL itself, the first one of a
 * STAP-A, or the fragmented NAL for an FU-A start fragment. Null for continuation fragments.
 */
export function firstNalType(payload: Buffer): number | null {
  if (payload.length < 1) return null;
  const type = payload.readUInt8(0) & 0x1f;
  if (type >= 1 && type <= 23) return type;
  if (type === NAL_STAP_A) {
    const first = wholeNals(payload)[0];
    return first ? first.readUInt8(0) & 0x1f : null;
  }
  if (type === NAL_FU_A && payload.length >= 2) {
    const fuHeader = payload.readUInt8(1);
    return fuHeader & 0x80 ? fuHeader & 0x1f : null;
  }
  return null;
}

/** True when a decoder can start at this packet: SPS (headers repeat before each keyframe) or an IDR start. */
export function startsKeyframe(payload: Buffer): boolean {
  const t = firstNalType(payload);
  return t === NAL_SPS || t === NAL_IDR;
}

/** profile_idc, constraint flags, level_idc as six hex digits, for the SDP's profile-level-id. */
export function profileLevelId(sps: Buffer): string {
  if (sps.length < 4) return '42e01f';
  return sps.subarray(1, 4).toString('hex');
}
