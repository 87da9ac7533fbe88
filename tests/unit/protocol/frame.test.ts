import { describe, expect, it } from 'vitest';
import { CodedError } from '../../../common/coded-error.ts';
import { FrameDecoder } from '../../../firmware-bridge/protocol/decoder.ts';
import { encodeFrame, MAX_PAYLOAD, type Frame } from '../../../firmware-bridge/protocol/frame.ts';
import { encodeMessage } from '../../../firmware-bridge/protocol/messages.ts';

function buttonFrame(seq: number, eventId: number): Frame {
  return { dst: 0x00, src: 0x05, seq, ...encodeMessage({ type: 'button', eventId, pressed: true }) };
}

describe('protocol v1 frames', () => {
  it('encodes the worked example of PROTOCOL.md byte for byte', () => {
    // Box 5 reports press number 0x0102 with its sequence 0x07.
    expect(encodeFrame(buttonFrame(0x07, 0x0102)).toString('hex')).toBe('a55a010005071003020101f3c0');
  });

  it.each([
    ['ACK of it', 5, 0, 0x21, { type: 'ack', ackedSeq: 7, status: 0 }, 'a55a0105002101020700cacc'],
    ['RELAY_COMMAND', 5, 0, 0x22, { type: 'relay-command', mask: { strobe: true, siren: true }, state: { strobe: true, siren: true } }, 'a55a0105002220020303c631'],
    ['ACK by the box', 0, 5, 0x08, { type: 'ack', ackedSeq: 0x22, status: 0 }, 'a55a0100050801022200d8cf'],
    ['RELAY_REPORT', 0, 5, 0x09, { type: 'relay-report', state: { strobe: true, siren: true }, cause: 'command' }, 'a55a0100050921020300f69f'],
    ['HEARTBEAT', 0, 5, 0x0a, { type: 'heartbeat', uptimeS: 3600, selfTestFaults: 0x08, outputs: { strobe: false, siren: false }, firmware: 1 }, 'a55a0100050a1207100e0000080001f52d'],
  ] as const)('encodes the PROTOCOL.md exchange: %s', (_name, dst, src, seq, message, hex) => {
    expect(encodeFrame({ dst, src, seq, ...encodeMessage(message) }).toString('hex')).toBe(hex);
  });

  it('refuses a payload over 64 bytes with PROTO_BAD_LENGTH', () => {
    let code = '';
    try {
      encodeFrame({ dst: 1, src: 0, seq: 0, type: 0x10, payload: new Uint8Array(MAX_PAYLOAD + 1) });
    } catch (err) {
      code = err instanceof CodedError ? err.code : '';
    }
    expect(code).toBe('PROTO_BAD_LENGTH');
  });

  it('decodes a frame fed one byte at a time', () => {
    const d = new FrameDecoder();
    const bytes = encodeFrame(buttonFrame(1, 2));
    const frames = [...bytes].flatMap((b) => d.push(Uint8Array.of(b)));
    expect(frames).toEqual([buttonFrame(1, 2)]);
    expect(d.pendingBytes).toBe(0);
  });

  it('decodes an empty-payload and a 64-byte-payload frame', () => {
    const d = new FrameDecoder();
    const small: Frame = { dst: 1, src: 0, seq: 9, type: 0x7e, payload: new Uint8Array(0) };
    const big: Frame = { dst: 1, src: 0, seq: 10, type: 0x7e, payload: new Uint8Array(64).fill(0xa5) };
    expect(d.push(Buffer.concat([encodeFrame(small), encodeFrame(big)]))).toEqual([small, big]);
  });

  it('finds a real frame inside a false frame whose LEN swallowed it (one-byte rescan)', () => {
    const d = new FrameDecoder();
    const real = encodeFrame(buttonFrame(3, 4));
    // A false header claiming 20 payload bytes, directly followed by a real frame and noise.
    const stream = Buffer.concat([Buffer.from([0xa5, 0x5a, 0x01, 0, 5, 0, 0x10, 20]), real, Buffer.alloc(20, 0x33)]);
    expect(d.push(stream)).toEqual([buttonFrame(3, 4)]);
    expect(d.stats().crcErrors).toBe(1);
    expect(d.stats().garbageBytes).toBe(8 + 20);
  });

  it('on an idle gap, finds a frame stuck behind a false header that wants more bytes', () => {
    const d = new FrameDecoder();
    const real = encodeFrame(buttonFrame(3, 4));
    const stream = Buffer.concat([Buffer.from([0xa5, 0x5a, 0x01, 0, 5, 0, 0x10, 64]), real]);
    expect(d.push(stream)).toEqual([]);
    expect(d.flush()).toEqual([buttonFrame(3, 4)]);
    expect(d.pendingBytes).toBe(0);
  });

  it('counts a bad version and a too-long LEN and keeps going', () => {
    const d = new FrameDecoder();
    const real = encodeFrame(buttonFrame(1, 1));
    const stream = Buffer.concat([Buffer.from([0xa5, 0x5a, 0x02]), Buffer.from([0xa5, 0x5a, 0x01, 0, 5, 0, 0x10, 65]), real]);
    expect(d.push(stream)).toEqual([buttonFrame(1, 1)]);
    expect(d.stats()).toMatchObject({ badVersion: 1, badLength: 1, frames: 1 });
  });

  it('keeps its buffer bounded under endless noise', () => {
    const d = new FrameDecoder();
    const noise = Buffer.alloc(100_000, 0xa5);
    expect(d.push(noise)).toEqual([]);
    expect(d.pendingBytes).toBeLessThanOrEqual(74);
  });
});
