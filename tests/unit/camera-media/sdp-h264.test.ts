import { describe, expect, it } from 'vitest';
import { firstNalType, parseRtp, profileLevelId, startsKeyframe, wholeNals } from '../../../simulators/camera/rtsp/h264-rtp.ts';
import { buildH264Sdp, spropFromSdp } from '../../../simulators/camera/rtsp/sdp.ts';

const SPS = Buffer.from('Z0LAHtoCgL/lwFEAAAMAAQAAAwAegPFi6oA=', 'base64');
const PPS = Buffer.from('aM4PyA==', 'base64');

function rtp(payload: Buffer, opts: { marker?: boolean; seq?: number; csrc?: number; padding?: number } = {}): Buffer {
  const csrc = opts.csrc ?? 0;
  const head = Buffer.alloc(12 + 4 * csrc);
  head.writeUInt8(0x80 | csrc | (opts.padding ? 0x20 : 0), 0);
  head.writeUInt8((opts.marker ? 0x80 : 0) | 96, 1);
  head.writeUInt16BE(opts.seq ?? 7, 2);
  head.writeUInt32BE(90000, 4);
  head.writeUInt32BE(0xdeadbeef, 8);
  const pad = opts.padding ? Buffer.from([...Array(opts.padding - 1).fill(0), opts.padding]) : Buffer.alloc(0);
  return Buffer.concat([head, payload, pad]);
}

describe('buildH264Sdp', () => {
  it('describes one H.264 track with packetization-mode 1, profile-level-id and sprop-parameter-sets', () => {
    const sdp = buildH264Sdp({ sessionName: 'gate cam', sessionId: '1', sps: SPS, pps: PPS, control: 'trackID=0', fps: 15, width: 640, height: 360 });
    const lines = sdp.split('\r\n');
    expect(lines[0]).toBe('v=0');
    expect(lines).toContain('s=gate cam');
    expect(lines).toContain('m=video 0 RTP/AVP 96');
    expect(lines).toContain('a=rtpmap:96 H264/90000');
    expect(lines).toContain(`a=fmtp:96 packetization-mode=1;profile-level-id=42c01e;sprop-parameter-sets=${SPS.toString('base64')},${PPS.toString('base64')}`);
    expect(lines).toContain('a=control:trackID=0');
    expect(lines).toContain('a=framerate:15');
    expect(sdp.endsWith('\r\n')).toBe(true);
  });

  it('keeps CR/LF in a camera name from breaking the SDP', () => {
    const sdp = buildH264Sdp({ sessionName: 'a\r\nm=audio 0', sessionId: '1', sps: SPS, pps: PPS, control: 'trackID=0' });
    expect(sdp.split('\r\n').filter((l) => l.startsWith('m='))).toHaveLength(1);
  });

  it('reads SPS and PPS back from an SDP', () => {
    const sdp = buildH264Sdp({ sessionName: 's', sessionId: '1', sps: SPS, pps: PPS, control: 'trackID=0' });
    expect(spropFromSdp(sdp)).toEqual({ sps: SPS, pps: PPS });
    expect(spropFromSdp('v=0\r\n')).toBeNull();
    expect(spropFromSdp(`sprop-parameter-sets=${PPS.toString('base64')},${SPS.toString('base64')}`)).toBeNull();
  });

  it('takes profile-level-id from SPS bytes 1-3', () => {
    expect(profileLevelId(SPS)).toBe('42c01e');
  });
});

describe('H.264 over RTP', () => {
  it('parses the RTP header past CSRCs and padding', () => {
    const info = parseRtp(rtp(Buffer.from([0x65, 1, 2]), { marker: true, seq: 513, csrc: 2, padding: 3 }));
    expect(info).toMatchObject({ payloadType: 96, marker: true, seq: 513, timestamp: 90000, ssrc: 0xdeadbeef });
    expect(info?.payload).toEqual(Buffer.from([0x65, 1, 2]));
    expect(parseRtp(Buffer.alloc(5))).toBeNull();
    expect(parseRtp(Buffer.alloc(12))).toBeNull();
  });

  it('finds where a keyframe starts: SPS, IDR, FU-A start of an IDR, STAP-A led by SPS', () => {
    expect(startsKeyframe(SPS)).toBe(true);
    expect(startsKeyframe(Buffer.from([0x65, 0]))).toBe(true);
    expect(startsKeyframe(Buffer.from([0x41, 0]))).toBe(false);
    expect(startsKeyframe(Buffer.from([0x7c, 0x85, 0]))).toBe(true); // FU-A, S bit, type 5
    expect(startsKeyframe(Buffer.from([0x7c, 0x05, 0]))).toBe(false); // FU-A continuation
    expect(firstNalType(Buffer.from([0x7c, 0x05, 0]))).toBeNull();
    const stapA = Buffer.concat([Buffer.from([0x78]), Buffer.from([0, SPS.length]), SPS, Buffer.from([0, PPS.length]), PPS]);
    expect(startsKeyframe(stapA)).toBe(true);
    expect(wholeNals(stapA)).toEqual([SPS, PPS]);
  });

  it('stops at a truncated STAP-A instead of reading past it', () => {
    const bad = Buffer.from([0x78, 0, 50, 0x67, 1]);
    expect(wholeNals(bad)).toEqual([]);
  });
});
