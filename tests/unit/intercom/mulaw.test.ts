import { describe, expect, it } from 'vitest';
import { mulawDecode, mulawDecodeSample, mulawEncode, mulawEncodeSample } from '../../../gateway/intercom/mulaw.ts';

describe('G.711 µ-law', () => {
  it('encodes known samples to the G.711 bytes (same as ffmpeg pcm_mulaw for these)', () => {
    const known: Array<[number, number]> = [
      [0, 0xff], [1, 0xff], [-1, 0x7e], [100, 0xf2], [-100, 0x72], [1000, 0xce], [-1000, 0x4e],
      [8000, 0xa0], [-8000, 0x20], [32767, 0x80], [-32768, 0x00],
    ];
    for (const [pcm, byte] of known) expect(mulawEncodeSample(pcm), `encode ${pcm}`).toBe(byte);
  });

  it('decodes known bytes to the G.711 table values', () => {
    const known: Array<[number, number]> = [
      [0x00, -32124], [0x0f, -16764], [0x55, -716], [0x7f, 0], [0x80, 32124], [0xaa, 5372], [0xff, 0],
    ];
    for (const [byte, pcm] of known) expect(mulawDecodeSample(byte), `decode 0x${byte.toString(16)}`).toBe(pcm);
  });

  it('round-trips every 16-bit value within half a quantisation step (about 1/32 of the value)', () => {
    const all = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
    const back = mulawDecode(mulawEncode(all));
    for (let i = 0; i < all.length; i++) {
      const x = all[i] ?? 0;
      const err = Math.abs((back[i] ?? 0) - x);
      // Beyond ±32124 (the largest code) the error is the clipping itself.
      expect(err <= Math.abs(x) / 32 + 8 || Math.abs(x) > 32124, `sample ${x}`).toBe(true);
    }
  });

  it('clamps and rounds out-of-range input rather than wrapping', () => {
    expect(mulawEncodeSample(1e6)).toBe(0x80);
    expect(mulawEncodeSample(-1e6)).toBe(0x00);
    expect(mulawEncodeSample(0.4)).toBe(0xff);
  });
});
