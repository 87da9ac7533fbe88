// The SDP a camera answers DESCRIBE with, and reading SPS/PPS back out of an SDP (ffmpeg's
// ANNOUNCE). Pure.
import { profileLevelId } from './h264-rtp.ts';

export interface H264SdpOptions {
  sessionName: string;
  /** Numeric session id for the o= line. */
  sessionId: string;
  sps: Buffer;
  pps: Buffer;
  /** Relative to the Content-Base the server sends. */
  control: string;
  payloadType?: number;
  fps?: number;
  width?: number;
  height?: number;
}

const sdpSafe = (s: string): string => s.replace(/[\r\n]/g, ' ');

export function buildH264Sdp(o: H264SdpOptions): string {
  const pt = o.payloadType ?? 96;
  const fmtp = [
    'packetization-mode=1',
    `profile-level-id=${profileLevelId(o.sps)}`,
    `sprop-parameter-sets=${o.sps.toString('base64')},${o.pps.toString('base64')}`,
  ].join(';');
  const lines = [
    'v=0',
    `o=- ${o.sessionId} 1 IN IP4 127.0.0.1`,
    `s=${sdpSafe(o.sessionName)}`,
    'c=IN IP4 0.0.0.0',
    't=0 0',
    'a=control:*',
    'a=range:npt=0-',
    `m=video 0 RTP/AVP ${pt}`,
    `a=rtpmap:${pt} H264/90000`,
    `a=fmtp:${pt} ${fmtp}`,
  ];
  if (o.fps !== undefined) lines.push(`a=framerate:${o.fps}`);
  if (o.width !== undefined && o.height !== undefined) lines.push(`a=x-dimensions:${o.width},${o.height}`);
  lines.push(`a=control:${o.control}`);
  return lines.join('\r\n') + '\r\n';
}

/** SPS and PPS from the first `sprop-parameter-sets` in an SDP, if any. */
export function spropFromSdp(sdp: string): { sps: Buffer; pps: Buffer } | null {
  const m = /sprop-parameter-sets=([A-Za-z0-9+/=]+),([A-Za-z0-9+/=]+)/.exec(sdp);
  if (!m) return null;
  const sps = Buffer.from(m[1] ?? '', 'base64');
  const pps = Buffer.from(m[2] ?? '', 'base64');
  if (sps.length < 4 || pps.length < 1 || (sps.readUInt8(0) & 0x1f) !== 7 || (pps.readUInt8(0) & 0x1f) !== 8) return null;
  return { sps, pps };
}
