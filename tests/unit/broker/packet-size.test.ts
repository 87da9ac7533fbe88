// The MQTT frame length scanner that cuts oversized packets before anything buffers them.
import { describe, expect, it } from 'vitest';
import { MqttFrameSizeScanner } from '../../../gateway/broker/packet-size.ts';

function frame(type: number, bodyLength: number): Buffer {
  const len: number[] = [];
  let x = bodyLength;
  do {
    let b = x % 128;
    x = Math.floor(x / 128);
    if (x > 0) b |= 0x80;
    len.push(b);
  } while (x > 0);
  return Buffer.concat([Buffer.from([type, ...len]), Buffer.alloc(bodyLength, 0x41)]);
}

describe('MqttFrameSizeScanner', () => {
  it('passes frames within the cap, however the stream is split', () => {
    const stream = Buffer.concat([frame(0x10, 40), frame(0x30, 1000), frame(0xc0, 0), frame(0x32, 127), frame(0x30, 128)]);
    for (const step of [1, 3, 7, stream.length]) {
      const s = new MqttFrameSizeScanner(1000);
      for (let i = 0; i < stream.length; i += step) expect(s.push(stream.subarray(i, i + step))).toBeNull();
    }
  });
  it('flags a frame announcing more than the cap, before its body arrives', () => {
    const s = new MqttFrameSizeScanner(1000);
    expect(s.push(frame(0x30, 10))).toBeNull();
    expect(s.push(frame(0x30, 1001).subarray(0, 3))).toMatch(/more than 1000/);
  });
  it('flags a remaining length longer than four bytes', () => {
    expect(new MqttFrameSizeScanner(Number.MAX_SAFE_INTEGER).push(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01]))).toMatch(/malformed/);
  });
});
