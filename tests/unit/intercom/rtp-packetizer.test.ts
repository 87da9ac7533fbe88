import { describe, expect, it } from 'vitest';
import { PcmuPacketizer } from '../../../gateway/intercom/rtp-packetizer.ts';

describe('PCMU RTP packetizer', () => {
  it('writes version 2, payload type 0, marker, sequence, timestamp and SSRC, then the payload', () => {
    const p = new PcmuPacketizer({ ssrc: 0xdeadbeef, seq: 7, timestamp: 1000 });
    const payload = new Uint8Array(160).fill(0x55);
    const a = p.packet(payload, true);
    expect(a.length).toBe(172);
    expect(a[0]).toBe(0x80);
    expect(a[1]).toBe(0x80);
    expect(a.readUInt16BE(2)).toBe(7);
    expect(a.readUInt32BE(4)).toBe(1000);
    expect(a.readUInt32BE(8)).toBe(0xdeadbeef);
    expect([...a.subarray(12)]).toEqual([...payload]);
    const b = p.packet(payload, false);
    expect(b[1]).toBe(0x00);
    expect(b.readUInt16BE(2)).toBe(8);
    expect(b.readUInt32BE(4)).toBe(1160);
  });

  it('wraps sequence at 16 bits and timestamp at 32 bits', () => {
    const p = new PcmuPacketizer({ ssrc: 1, seq: 0xffff, timestamp: 0xffffffff - 100 });
    p.packet(new Uint8Array(160), false);
    const b = p.packet(new Uint8Array(160), false);
    expect(b.readUInt16BE(2)).toBe(0);
    expect(b.readUInt32BE(4)).toBe(59);
  });

  it('moves the timestamp over silence that was not sent', () => {
    const p = new PcmuPacketizer({ ssrc: 1, seq: 0, timestamp: 0 });
    p.packet(new Uint8Array(160), false);
    p.skip(800);
    expect(p.packet(new Uint8Array(160), true).readUInt32BE(4)).toBe(960);
  });

  it('carries the payload type the camera asked for', () => {
    const p = new PcmuPacketizer({ ssrc: 1, seq: 0, timestamp: 0, payloadType: 0 });
    expect((p.packet(new Uint8Array(1), false)[1] ?? 0) & 0x7f).toBe(0);
  });
});
