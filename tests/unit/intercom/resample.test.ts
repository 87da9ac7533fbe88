import { describe, expect, it } from 'vitest';
import { Resampler } from '../../../gateway/intercom/resample.ts';
import { dominantFrequency, rms, tone } from '../../integration/intercom/audio-tools.ts';

describe('Resampler', () => {
  it('turns 1 s at 16 kHz into 1 s at 8 kHz, keeping a 440 Hz tone and its level', () => {
    const out = new Resampler(16000, 8000).push(tone(440, 16000, 1));
    expect(Math.abs(out.length - 8000)).toBeLessThanOrEqual(1);
    expect(dominantFrequency(out, 8000)).toBe(440);
    const steady = out.subarray(100);
    expect(rms(steady) / rms(tone(440, 8000, 1))).toBeGreaterThan(0.95);
    expect(rms(steady) / rms(tone(440, 8000, 1))).toBeLessThan(1.05);
  });

  it('filters out what 8 kHz cannot carry instead of folding it into the voice band', () => {
    const aliased = new Resampler(16000, 8000).push(tone(6000, 16000, 1));
    // Without the low-pass, 6 kHz would come out as a 2 kHz tone at full level.
    expect(rms(aliased.subarray(100))).toBeLessThan(0.01 * rms(tone(2000, 8000, 1)));
  });

  it('gives the same samples whether fed at once or in uneven chunks', () => {
    const input = tone(440, 48000, 0.5);
    const whole = new Resampler(48000, 8000).push(input);
    const r = new Resampler(48000, 8000);
    const parts: number[] = [];
    for (let at = 0, n = 1; at < input.length; at += n, n = (n * 7 + 3) % 977 || 1) parts.push(...r.push(input.subarray(at, at + n)));
    expect(parts.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i++) expect(Math.abs((parts[i] ?? 0) - (whole[i] ?? 0))).toBeLessThanOrEqual(1);
  });

  it('passes 8 kHz through unchanged and refuses impossible rates', () => {
    const pcm = tone(300, 8000, 0.1);
    expect([...new Resampler(8000, 8000).push(pcm)]).toEqual([...pcm]);
    expect(() => new Resampler(0, 8000)).toThrow(RangeError);
    expect(() => new Resampler(16000.5, 8000)).toThrow(RangeError);
  });
});
