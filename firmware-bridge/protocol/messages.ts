// Typed payloads of protocol v1 (see ../PROTOCOL.md, "Messages"). Pure: bytes in, values out.
// Every rejection carries a code so the line can count and log it without parsing text.
import { CodedError } from '../../common/coded-error.ts';

export const MessageType = {
  ACK: 0x01,
  NAK: 0x02,
  BUTTON: 0x10,
  TAMPER: 0x11,
  HEARTBEAT: 0x12,
  FAULT: 0x13,
  RELAY_COMMAND: 0x20,
  RELAY_REPORT: 0x21,
} as const;
export type MessageTypeCode = (typeof MessageType)[keyof typeof MessageType];

export const AckStatus = { OK: 0x00, DUPLICATE: 0x01 } as const;
export const NakReason = { UNKNOWN_TYPE: 0x01, BAD_LENGTH: 0x02, BAD_VALUE: 0x03, BUSY: 0x04 } as const;

/** Self-test bits of HEARTBEAT; a set bit is a fault. Order = bit number. */
export const SELF_TEST_BITS = ['strobe-lamp', 'siren-driver', 'button-circuit', 'supply', 'camera'] as const;
export type SelfTestName = (typeof SELF_TEST_BITS)[number];

/** FAULT codes. Unknown codes travel as "code-0xNN" so a newer firmware is still reported. */
export const FAULT_CODES: Readonly<Record<number, string>> = {
  0x01: 'mains-lost',
  0x02: 'battery-low',
  0x03: 'strobe-lamp',
  0x04: 'siren-driver',
  0x05: 'button-circuit',
  0x06: 'camera',
  0x07: 'eeprom',
};

export interface RelayBits {
  strobe: boolean;
  siren: boolean;
}

export type Message =
  | { type: 'ack'; ackedSeq: number; status: number }
  | { type: 'nak'; nakedSeq: number; reason: number }
  | { type: 'button'; eventId: number; pressed: boolean }
  | { type: 'tamper'; eventId: number; open: boolean }
  | { type: 'heartbeat'; uptimeS: number; selfTestFaults: number; outputs: RelayBits; firmware: number }
  | { type: 'fault'; eventId: number; code: number; active: boolean }
  | { type: 'relay-command'; mask: RelayBits; state: RelayBits }
  | { type: 'relay-report'; state: RelayBits; cause: 'command' | 'local' };

export function faultName(code: number): string {
  return FAULT_CODES[code] ?? `code-0x${code.toString(16).padStart(2, '0')}`;
}

/** Inverse of faultName; throws PROTO_BAD_VALUE for a name we cannot put on the wire. */
export function faultCode(name: string): number {
  for (const [code, n] of Object.entries(FAULT_CODES)) if (n === name) return Number(code);
  const m = /^code-0x([0-9a-f]{2})$/i.exec(name);
  if (m) return parseInt(m[1]!, 16);
  throw new CodedError('PROTO_BAD_VALUE', `unknown fault code name "${name}"`, { name });
}

/** Names of the set self-test bits; bits newer firmware defines come out as "bit-N". */
export function selfTestFaultNames(bits: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < 8; i++) if (bits & (1 << i)) names.push(SELF_TEST_BITS[i] ?? `bit-${i}`);
  return names;
}

const relayByte = (r: RelayBits): number => (r.strobe ? 1 : 0) | (r.siren ? 2 : 0);
const relayBits = (b: number): RelayBits => ({ strobe: (b & 1) !== 0, siren: (b & 2) !== 0 });

function u8(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new CodedError('PROTO_BAD_VALUE', `${name} must be 0..255`, { field: name, value: v });
  return v;
}
function u16(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new CodedError('PROTO_BAD_VALUE', `${name} must be 0..65535`, { field: name, value: v });
  return v;
}

export function encodeMessage(m: Message): { type: MessageTypeCode; payload: Uint8Array } {
  switch (m.type) {
    case 'ack':
      return { type: MessageType.ACK, payload: Uint8Array.of(u8('ackedSeq', m.ackedSeq), u8('status', m.status)) };
    case 'nak':
      return { type: MessageType.NAK, payload: Uint8Array.of(u8('nakedSeq', m.nakedSeq), u8('reason', m.reason)) };
    case 'button':
    case 'tamper': {
      const id = u16('eventId', m.eventId);
      const on = m.type === 'button' ? m.pressed : m.open;
      return { type: m.type === 'button' ? MessageType.BUTTON : MessageType.TAMPER, payload: Uint8Array.of(id & 0xff, id >>> 8, on ? 1 : 0) };
    }
    case 'heartbeat': {
      if (!Number.isInteger(m.uptimeS) || m.uptimeS < 0 || m.uptimeS > 0xffffffff) {
        throw new CodedError('PROTO_BAD_VALUE', 'uptimeS must be a u32', { value: m.uptimeS });
      }
      const p = new Uint8Array(7);
      new DataView(p.buffer).setUint32(0, m.uptimeS, true);
      p[4] = u8('selfTestFaults', m.selfTestFaults);
      p[5] = relayByte(m.outputs);
      p[6] = u8('firmware', m.firmware);
      return { type: MessageType.HEARTBEAT, payload: p };
    }
    case 'fault': {
      const id = u16('eventId', m.eventId);
      return { type: MessageType.FAULT, payload: Uint8Array.of(id & 0xff, id >>> 8, u8('code', m.code), m.active ? 1 : 0) };
    }
    case 'relay-command':
      return { type: MessageType.RELAY_COMMAND, payload: Uint8Array.of(relayByte(m.mask), relayByte(m.state)) };
    case 'relay-report':
      return { type: MessageType.RELAY_REPORT, payload: Uint8Array.of(relayByte(m.state), m.cause === 'command' ? 0 : 1) };
  }
}

const EXPECTED_LENGTH: Readonly<Record<number, number>> = {
  [MessageType.ACK]: 2,
  [MessageType.NAK]: 2,
  [MessageType.BUTTON]: 3,
  [MessageType.TAMPER]: 3,
  [MessageType.HEARTBEAT]: 7,
  [MessageType.FAULT]: 4,
  [MessageType.RELAY_COMMAND]: 2,
  [MessageType.RELAY_REPORT]: 2,
};

function flag(name: string, b: number): boolean {
  if (b > 1) throw new CodedError('PROTO_BAD_VALUE', `${name} must be 0 or 1, got ${b}`, { field: name, value: b });
  return b === 1;
}

/**
 * Payload bytes to a typed message. Throws CodedError PROTO_UNKNOWN_TYPE, PROTO_BAD_LENGTH or
 * PROTO_BAD_VALUE. Lengths are exact in v1: a longer payload is a different protocol revision.
 */
export function decodeMessage(type: number, p: Uint8Array): Message {
  const expected = EXPECTED_LENGTH[type];
  if (expected === undefined) throw new CodedError('PROTO_UNKNOWN_TYPE', `unknown message type 0x${type.toString(16)}`, { type });
  if (p.length !== expected) {
    throw new CodedError('PROTO_BAD_LENGTH', `type 0x${type.toString(16)} needs ${expected} payload bytes, got ${p.length}`, { type, length: p.length });
  }
  const b = (i: number): number => p[i]!;
  switch (type) {
    case MessageType.ACK:
      return { type: 'ack', ackedSeq: b(0), status: b(1) };
    case MessageType.NAK:
      return { type: 'nak', nakedSeq: b(0), reason: b(1) };
    case MessageType.BUTTON:
      return { type: 'button', eventId: b(0) | (b(1) << 8), pressed: flag('state', b(2)) };
    case MessageType.TAMPER:
      return { type: 'tamper', eventId: b(0) | (b(1) << 8), open: flag('state', b(2)) };
    case MessageType.HEARTBEAT:
      return {
        type: 'heartbeat',
        uptimeS: (b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24)) >>> 0,
        selfTestFaults: b(4),
        outputs: relayBits(b(5)),
        firmware: b(6),
      };
    case MessageType.FAULT:
      return { type: 'fault', eventId: b(0) | (b(1) << 8), code: b(2), active: flag('active', b(3)) };
    case MessageType.RELAY_COMMAND:
      return { type: 'relay-command', mask: relayBits(b(0)), state: relayBits(b(1)) };
    default: {
      const cause = b(1);
      if (cause > 1) throw new CodedError('PROTO_BAD_VALUE', `relay report cause must be 0 or 1, got ${cause}`, { value: cause });
      return { type: 'relay-report', state: relayBits(b(0)), cause: cause === 0 ? 'command' : 'local' };
    }
  }
}
