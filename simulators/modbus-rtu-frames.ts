// Modbus RTU frames as an IO module's slave side sees them: CRC-16/MODBUS, request parsing and
// answers for functions 01, 02, 05 and 15. Pure: no port, no timers.

/** CRC-16/MODBUS: reflected polynomial 0xA001, initial 0xFFFF; sent low byte first. */
export function crc16Modbus(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

export function withCrc(body: Buffer): Buffer {
  const crc = Buffer.alloc(2);
  crc.writeUInt16LE(crc16Modbus(body));
  return Buffer.concat([body, crc]);
}

export type RtuRequest =
  | { unit: number; fc: 1 | 2; address: number; quantity: number }
  | { unit: number; fc: 5; address: number; value: number }
  | { unit: number; fc: 15; address: number; quantity: number; values: boolean[] }
  | { unit: number; fc: number; unsupported: true };

export const EXCEPTION = { illegalFunction: 1, illegalAddress: 2, illegalValue: 3 } as const;

/** Bytes the request starting `buf` needs in all, or null while the header is still incomplete. */
export function requestLength(buf: Buffer): number | null {
  if (buf.length < 2) return null;
  const fc = buf[1] as number;
  if (fc === 15 || fc === 16) return buf.length < 7 ? null : 9 + (buf[6] as number);
  // Every other function a master sends to an IO module has a fixed 8-byte request.
  return 8;
}

/** A whole frame with a good CRC, or null (a slave stays silent on a bad CRC). */
export function parseRequest(frame: Buffer): RtuRequest | null {
  if (frame.length < 4) return null;
  if (crc16Modbus(frame.subarray(0, -2)) !== frame.readUInt16LE(frame.length - 2)) return null;
  const unit = frame[0] as number;
  const fc = frame[1] as number;
  if ((fc === 1 || fc === 2) && frame.length === 8) {
    return { unit, fc, address: frame.readUInt16BE(2), quantity: frame.readUInt16BE(4) };
  }
  if (fc === 5 && frame.length === 8) return { unit, fc, address: frame.readUInt16BE(2), value: frame.readUInt16BE(4) };
  if (fc === 15 && frame.length >= 9) {
    const quantity = frame.readUInt16BE(4);
    const bytes = frame.subarray(7, -2);
    const values = Array.from({ length: quantity }, (_, i) => (((bytes[i >> 3] ?? 0) >> (i & 7)) & 1) === 1);
    return { unit, fc, address: frame.readUInt16BE(2), quantity, values };
  }
  return { unit, fc, unsupported: true };
}

/** Answer to function 01 or 02: byte count, then the bits packed LSB first. */
export function bitsResponse(unit: number, fc: 1 | 2, bits: readonly boolean[]): Buffer {
  const packed = Buffer.alloc(Math.ceil(bits.length / 8));
  bits.forEach((on, i) => {
    if (on) packed[i >> 3] = (packed[i >> 3] as number) | (1 << (i & 7));
  });
  return withCrc(Buffer.concat([Buffer.from([unit, fc, packed.length]), packed]));
}

/** Function 05 echoes the request; function 15 answers with address and quantity. */
export function writeResponse(unit: number, fc: 5 | 15, address: number, valueOrQuantity: number): Buffer {
  const body = Buffer.alloc(6);
  body.writeUInt8(unit, 0);
  body.writeUInt8(fc, 1);
  body.writeUInt16BE(address, 2);
  body.writeUInt16BE(valueOrQuantity, 4);
  return withCrc(body);
}

export function exceptionResponse(unit: number, fc: number, code: number): Buffer {
  return withCrc(Buffer.from([unit, (fc | 0x80) & 0xff, code]));
}
