// Streaming sample-rate conversion of 16-bit mono PCM (pure). Browsers capture at 16 or 48 kHz;
// PCMU is 8 kHz. Going down, a windowed-sinc low-pass first removes what 8 kHz cannot carry
// (else a 6 kHz hiss would come out of the camera speaker as 2 kHz), then linear interpolation
// picks the new samples. State carries across push() calls, so chunk edges leave no clicks.

export const MIN_RATE = 4000;
export const MAX_RATE = 192000;

/** Low-pass taps (odd length, DC gain 1): Blackman-windowed sinc, cutoff in cycles per sample. */
export function lowPassTaps(cutoff: number, length: number): Float32Array {
  const taps = new Float32Array(length);
  const mid = (length - 1) / 2;
  let sum = 0;
  for (let i = 0; i < length; i++) {
    const x = i - mid;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const w = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (length - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (length - 1));
    taps[i] = sinc * w;
    sum += sinc * w;
  }
  for (let i = 0; i < length; i++) taps[i] = (taps[i] ?? 0) / sum;
  return taps;
}

export class Resampler {
  private readonly taps: Float32Array;
  /** The last taps.length-1 input samples, for the filter across chunk edges. */
  private history: Float32Array;
  private readonly step: number;
  /** Position of the next output sample, in input samples from the start of the next chunk. */
  private t = 0;
  /** The last filtered sample of the previous chunk (position -1). */
  private prev = 0;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
  ) {
    for (const r of [fromRate, toRate]) if (!Number.isInteger(r) || r < MIN_RATE || r > MAX_RATE) throw new RangeError(`sample rate ${r} out of range`);
    this.step = fromRate / toRate;
    // Pass to 85 % of the new Nyquist; 32 taps per ratio unit keep the transition about 1 kHz wide at 16→8 kHz.
    this.taps = fromRate > toRate ? lowPassTaps((0.85 * toRate) / 2 / fromRate, 2 * Math.ceil(16 * this.step) + 1) : Float32Array.of(1);
    this.history = new Float32Array(this.taps.length - 1);
  }

  push(input: Int16Array): Int16Array {
    if (this.fromRate === this.toRate) return input.slice();
    const n = input.length;
    if (n === 0) return new Int16Array(0);
    const h = this.history.length;
    const x = new Float32Array(h + n);
    x.set(this.history);
    for (let i = 0; i < n; i++) x[h + i] = input[i] ?? 0;
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let k = 0; k <= h; k++) acc += (this.taps[k] ?? 0) * (x[i + h - k] ?? 0);
      y[i] = acc;
    }
    this.history = x.slice(n);
    const out: number[] = [];
    // Each pass advances t by step > 0 and stops at the chunk's end.
    while (this.t <= n - 1) {
      const i = Math.floor(this.t);
      const frac = this.t - i;
      const a = i < 0 ? this.prev : (y[i] ?? 0);
      if (frac > 0 && i + 1 > n - 1) break;
      const b = frac > 0 ? (y[i + 1] ?? 0) : a;
      out.push(a + (b - a) * frac);
      this.t += this.step;
    }
    this.t -= n;
    this.prev = y[n - 1] ?? 0;
    const pcm = new Int16Array(out.length);
    for (let i = 0; i < out.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(out[i] ?? 0)));
    return pcm;
  }
}
