// Alarm-box protocol v1 framing (see ../PROTOCOL.md): the byte layout of one frame and how to
// build it. Pure: no I/O, no clocks.
import { CodedError } from '../../common/coded-error.ts';
import { crc16Modbus } from './crc16.ts';

export const SYNC_0 = 0xa5;
export const SYNC_1 = 0x5a;
export const PROTOCOL_VERSION = 0x01;
export const MAX_PAYLOAD = 64;
/** SYNC(2) VER DST SRC SEQ TYPE LEN */
export const HEADER_BYTES = 8;
export const CRC_BYTES = 2;
export const MIN_FRAME_BYTES = HEADER_BYTES + CRC_BYTES;
export const MAX_FRAME_BYTES = MIN_FRAME_BYTES + MAX_PAYLOAD;

export const ADDRESS_GATEWAY = 0x00;
export const ADDRESS_BROADCAST = 0xff;
export const MIN_BOX_ADDRESS = 1;
export const MAX_BOX_ADDRESS = 247;

/** Offsets inside a frame, counted from the first SYNC byte. */
export const OFFSET = { ver: 2, dst: 3, src: 4, seq: 5, type: 6, len: 7, payload: 8 } as const;

export interface Frame {
  dst: number;
  src: number;
  /** Sender's rolling u8 sequence; a retransmission repeats it. */
  seq: number;
  type: number;
  payload: Uint8Array;
}

function checkU8(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) {
    throw new CodedError('PROTO_BAD_FIELD', `${name} must be an integer 0..255, got ${value}`, { field: name, value });
  }
}

export function encodeFrame(frame: Frame): Buffer {
  checkU8('dst', frame.dst);
  checkU8('src', frame.src);
  checkU8('seq', frame.seq);
  checkU8('type', frame.type);
  const len = frame.payload.length;
  if (len > MAX_PAYLOAD) {
    throw new CodedError('PROTO_BAD_LENGTH', `payload of ${len} bytes exceeds ${MAX_PAYLOAD}`, { length: len });
  }
  const out = Buffer.allocUnsafe(MIN_FRAME_BYTES + len);
  out[0] = SYNC_0;
  out[1] = SYNC_1;
  out[OFFSET.ver] = PROTOCOL_VERSION;
  out[OFFSET.dst] = frame.dst;
  out[OFFSET.src] = frame.src;
  out[OFFSET.seq] = frame.seq;
  out[OFFSET.type] = frame.type;
  out[OFFSET.len] = len;
  out.set(frame.payload, OFFSET.payload);
  const crc = crc16Modbus(out, OFFSET.ver, OFFSET.payload + len);
  out[OFFSET.payload + len] = crc & 0xff;
  out[OFFSET.payload + len + 1] = crc >>> 8;
  return out;
}
