// The browser side of push-to-talk: microphone rate to 16 kHz, and fixed-size chunks.
import { describe, expect, it } from 'vitest';
import { Chunker, Downsampler } from '../../../dashboard/src/intercom/downsample.ts';
import { dominantFrequency, rms } from '../../integration/intercom/audio-tools.ts';

function sine(f: number, rate: number, seconds: number, amp = 0.5): Float32Array {
  return Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * f * i) / rate));
}

describe('talk-back downsampling in the browser', () => {
  it.each([48000, 44100])('turns %i Hz blocks of 1024 into 16 kHz PCM16 with the tone intact', (rate) => {
    const d = new Downsampler(rate);
    const input = sine(440, rate, 1);
    const parts: number[] = [];
    for (let at = 0; at < input.length; at += 1024) parts.push(...d.push(input.subarray(at, at + 1024)));
    const out = Int16Array.from(parts);
    expect(Math.abs(out.length - 16000)).toBeLessThanOrEqual(2);
    expect(dominantFrequency(out, 16000, 100, 7900)).toBe(440);
    expect(rms(out.subarray(200)) / (0.5 * 32767 * Math.SQRT1_2)).toBeGreaterThan(0.95);
  });

  it('removes content above 8 kHz instead of folding it down', () => {
    const out = new Downsampler(48000).push(sine(13000, 48000, 0.5));
    expect(rms(out.subarray(200))).toBeLessThan(0.01 * 0.5 * 32767);
  });

  it('cuts PCM into equal chunks, keeping the remainder for the next push', () => {
    const c = new Chunker(320);
    expect(c.push(new Int16Array(300))).toHaveLength(0);
    const two = c.push(Int16Array.from({ length: 400 }, (_, i) => i + 1));
    expect(two).toHaveLength(2);
    expect(two[0]?.[300]).toBe(1);
    expect(two[1]?.[0]).toBe(21);
    expect(c.push(new Int16Array(0))).toHaveLength(0);
  });
});
