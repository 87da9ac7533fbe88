// Test-side audio helpers: tones in, and the dominant frequency of what came out (Goertzel).

/** A sine of `seconds` at `rate`, amplitude 0.5 of full scale. */
export function tone(frequencyHz: number, rate: number, seconds: number, amplitude = 0.5): Int16Array {
  const n = Math.round(rate * seconds);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * frequencyHz * i) / rate));
  return out;
}

/** Power of one frequency in `pcm` (Goertzel). */
export function goertzel(pcm: Int16Array, rate: number, frequencyHz: number): number {
  const k = (2 * Math.PI * frequencyHz) / rate;
  const coeff = 2 * Math.cos(k);
  let s1 = 0;
  let s2 = 0;
  for (const x of pcm) {
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/** The strongest frequency between fromHz and toHz, in steps of stepHz. */
export function dominantFrequency(pcm: Int16Array, rate: number, fromHz = 100, toHz = 3900, stepHz = 10): number {
  let best = fromHz;
  let bestPower = -1;
  for (let f = fromHz; f <= toHz; f += stepHz) {
    const p = goertzel(pcm, rate, f);
    if (p > bestPower) {
      bestPower = p;
      best = f;
    }
  }
  return best;
}

/** Root mean square, full scale = 32768. */
export function rms(pcm: Int16Array): number {
  let sum = 0;
  for (const x of pcm) sum += x * x;
  return pcm.length === 0 ? 0 : Math.sqrt(sum / pcm.length);
}
