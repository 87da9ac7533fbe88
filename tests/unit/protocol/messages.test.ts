import { describe, expect, it } from 'vitest';
import { CodedError } from '../../../common/coded-error.ts';
import { decodeMessage, encodeMessage, faultCode, faultName, MessageType, selfTestFaultNames, type Message } from '../../../firmware-bridge/protocol/messages.ts';

const samples: Message[] = [
  { type: 'ack', ackedSeq: 0xfe, status: 0 },
  { type: 'nak', nakedSeq: 7, reason: 4 },
  { type: 'button', eventId: 0x1234, pressed: true },
  { type: 'button', eventId: 0xffff, pressed: false },
  { type: 'tamper', eventId: 1, open: true },
  { type: 'tamper', eventId: 0, open: false },
  { type: 'heartbeat', uptimeS: 0xfffffffe, selfTestFaults: 0b10101, outputs: { strobe: true, siren: false }, firmware: 3 },
  { type: 'fault', eventId: 513, code: 0x02, active: true },
  { type: 'relay-command', mask: { strobe: true, siren: true }, state: { strobe: false, siren: true } },
  { type: 'relay-report', state: { strobe: true, siren: true }, cause: 'local' },
  { type: 'relay-report', state: { strobe: false, siren: false }, cause: 'command' },
];

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof CodedError ? err.code : 'NOT_CODED';
  }
  return undefined;
}

describe('protocol v1 messages', () => {
  it.each(samples.map((m) => [m.type, m] as const))('round-trips %s', (_name, m) => {
    const { type, payload } = encodeMessage(m);
    expect(decodeMessage(type, payload)).toEqual(m);
  });

  it('lays out BUTTON as counter u16 LE then state', () => {
    const { type, payload } = encodeMessage({ type: 'button', eventId: 0x0102, pressed: true });
    expect(type).toBe(MessageType.BUTTON);
    expect([...payload]).toEqual([0x02, 0x01, 0x01]);
  });

  it('lays out HEARTBEAT as uptime u32 LE, self-test, outputs, firmware', () => {
    const { payload } = encodeMessage({ type: 'heartbeat', uptimeS: 0x01020304, selfTestFaults: 0x08, outputs: { strobe: false, siren: true }, firmware: 9 });
    expect([...payload]).toEqual([0x04, 0x03, 0x02, 0x01, 0x08, 0x02, 0x09]);
  });

  it('rejects a wrong payload length with PROTO_BAD_LENGTH', () => {
    expect(codeOf(() => decodeMessage(MessageType.BUTTON, Uint8Array.of(1, 0)))).toBe('PROTO_BAD_LENGTH');
    expect(codeOf(() => decodeMessage(MessageType.ACK, Uint8Array.of(1, 0, 0)))).toBe('PROTO_BAD_LENGTH');
  });

  it('rejects an unknown type with PROTO_UNKNOWN_TYPE', () => {
    expect(codeOf(() => decodeMessage(0x7f, new Uint8Array(0)))).toBe('PROTO_UNKNOWN_TYPE');
  });

  it('rejects a state byte other than 0/1 with PROTO_BAD_VALUE', () => {
    expect(codeOf(() => decodeMessage(MessageType.BUTTON, Uint8Array.of(1, 0, 2)))).toBe('PROTO_BAD_VALUE');
    expect(codeOf(() => decodeMessage(MessageType.RELAY_REPORT, Uint8Array.of(1, 2)))).toBe('PROTO_BAD_VALUE');
  });

  it('refuses to encode out-of-range values', () => {
    expect(codeOf(() => encodeMessage({ type: 'button', eventId: 0x10000, pressed: true }))).toBe('PROTO_BAD_VALUE');
    expect(codeOf(() => encodeMessage({ type: 'ack', ackedSeq: -1, status: 0 }))).toBe('PROTO_BAD_VALUE');
  });

  it('names self-test bits and fault codes both ways', () => {
    expect(selfTestFaultNames(0b10011)).toEqual(['strobe-lamp', 'siren-driver', 'camera']);
    expect(faultName(0x02)).toBe('battery-low');
    expect(faultName(0x9a)).toBe('code-0x9a');
    expect(faultCode('battery-low')).toBe(0x02);
    expect(faultCode('code-0x9a')).toBe(0x9a);
    expect(codeOf(() => faultCode('nonsense'))).toBe('PROTO_BAD_VALUE');
  });
});

import { QUICK_TRIES, retryDelayMs, SLOW_RETRY_MS, wireTimeMs } from '../../../firmware-bridge/protocol/timing.ts';

describe('protocol v1 timing', () => {
  it('waits 60..100 ms after each of the 5 quick tries, then about 1 s', () => {
    for (let sent = 1; sent <= QUICK_TRIES; sent++) {
      expect(retryDelayMs(sent, () => 0)).toBe(60);
      expect(retryDelayMs(sent, () => 0.999999)).toBe(100);
    }
    expect(retryDelayMs(QUICK_TRIES + 1, () => 0)).toBe(SLOW_RETRY_MS);
  });

  it('puts a 13-byte BUTTON frame on a 9600 baud wire for about 13.5 ms', () => {
    expect(wireTimeMs(13, 9600)).toBeCloseTo(13.54, 1);
  });
});
