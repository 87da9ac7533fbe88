import { describe, expect, it } from 'vitest';
import { crc16Modbus } from '../../../firmware-bridge/protocol/crc16.ts';

describe('crc16Modbus', () => {
  it('gives the catalogue check value 0x4B37 for "123456789"', () => {
    expect(crc16Modbus(Buffer.from('123456789', 'ascii'))).toBe(0x4b37);
  });

  it('gives the init value for no bytes', () => {
    expect(crc16Modbus(new Uint8Array(0))).toBe(0xffff);
  });

  it('matches a known Modbus RTU request (01 03 00 00 00 0A -> C5 CD on the wire)', () => {
    // Modbus puts the low byte first: C5 CD on the wire is 0xCDC5.
    expect(crc16Modbus(Uint8Array.of(0x01, 0x03, 0x00, 0x00, 0x00, 0x0a))).toBe(0xcdc5);
  });

  it('honours start and end', () => {
    const data = Buffer.from('xx123456789yy', 'ascii');
    expect(crc16Modbus(data, 2, 11)).toBe(0x4b37);
  });
});
