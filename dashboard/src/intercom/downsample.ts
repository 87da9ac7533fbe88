// Microphone samples (Float32 at the AudioContext's rate, usually 48 kHz) to 16-bit PCM at
// 16 kHz for the talk-back socket. Pure and streaming: a short windowed-sinc low-pass keeps
// what 16 kHz cannot carry from folding back into the voice band, then linear interpolation
// picks the samples. The gateway turns 16 kHz into the camera's 8 kHz.

function lowPass(cutoff: number, length: number): Float32Array {
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
  return taps.map((t) => t / sum);
}

export class Downsampler {
  private readonly taps: Float32Array;
  private history: Float32Array;
  private readonly step: number;
  /** Next output position, in input samples from the start of the next block. */
  private t = 0;
  private prev = 0;

  constructor(
    readonly fromRate: number,
    readonly toRate = 16000,
  ) {
    if (!(fromRate >= toRate && toRate >= 8000)) throw new RangeError(`cannot downsample ${fromRate} Hz to ${toRate} Hz`);
    this.step = fromRate / toRate;
    this.taps = fromRate === toRate ? Float32Array.of(1) : lowPass((0.9 * toRate) / 2 / fromRate, 2 * Math.ceil(8 * this.step) + 1);
    this.history = new Float32Array(this.taps.length - 1);
  }

  /** One block of samples in [-1, 1]; returns PCM16 at toRate (length varies by a sample). */
  push(input: Float32Array): Int16Array {
    const n = input.length;
    const h = this.history.length;
    const x = new Float32Array(h + n);
    x.set(this.history);
    x.set(input, h);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let k = 0; k <= h; k++) acc += (this.taps[k] ?? 0) * (x[i + h - k] ?? 0);
      y[i] = acc;
    }
    this.history = x.slice(n);
    const out: number[] = [];
    // Each pass moves t forward by step > 0 and stops at the block's end.
    while (this.t <= n - 1) {
      const i = Math.floor(this.t);
      const frac = this.t - i;
      if (frac > 0 && i + 1 > n - 1) break;
      const a = i < 0 ? this.prev : (y[i] ?? 0);
      const b = frac > 0 ? (y[i + 1] ?? 0) : a;
      out.push(a + (b - a) * frac);
      this.t += this.step;
    }
    this.t -= n;
    if (n > 0) this.prev = y[n - 1] ?? 0;
    const pcm = new Int16Array(out.length);
    for (let i = 0; i < out.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round((out[i] ?? 0) * 32767)));
    return pcm;
  }
}

/** Collects PCM16 into chunks of exactly `size` samples (the socket's 20-40 ms messages). */
export class Chunker {
  private buf: Int16Array;
  private fill = 0;

  constructor(private readonly size: number) {
    this.buf = new Int16Array(size);
  }

  push(pcm: Int16Array): Int16Array[] {
    const out: Int16Array[] = [];
    let at = 0;
    while (at < pcm.length) {
      const n = Math.min(this.size - this.fill, pcm.length - at);
      this.buf.set(pcm.subarray(at, at + n), this.fill);
      this.fill += n;
      at += n;
      if (this.fill === this.size) {
        out.push(this.buf);
        this.buf = new Int16Array(this.size);
        this.fill = 0;
      }
    }
    return out;
  }
}
