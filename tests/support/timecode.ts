// Reads the simulated camera's timecode strip (simulators/camera/rtsp/ffmpeg-args.ts,
// timecodeLayout): a row of square blocks, black = 0, white = 1; blocks 0..bits-2 are the Gray
// code of ms since local midnight (least significant first), the last block is even parity over
// them. Pure and self-contained on purpose: `decodeTimecode.toString()` runs as is in a page (no
// imports, no helpers, no inner functions), where it reads RGBA from a canvas.

export interface TimecodeRegion {
  /** Where the strip starts in the pixels given (the layout's x/y, or 0/0 for a cropped strip). */
  x: number;
  y: number;
  blockW: number;
  blockH: number;
  /** Data bits plus the parity bit. */
  bits: number;
}

/**
 * ms since local midnight from the strip, or null when a block is neither clearly black nor
 * clearly white, or the parity does not match (a damaged or absent strip).
 * `pixels`: row-major, `stride` pixels per row, `channels` bytes per pixel (1 gray, 4 RGBA);
 * channel 0 is read (for a gray strip R = G = B = luma, near enough after colour conversion).
 */
export function decodeTimecode(pixels: ArrayLike<number>, stride: number, channels: number, region: TimecodeRegion): number | null {
  // The middle half of each block: edges bleed in compression and scaling.
  const mx = Math.max(0, Math.floor(region.blockW / 4));
  const my = Math.max(0, Math.floor(region.blockH / 4));
  let gray = 0;
  let parity = 0;
  let last = 0;
  for (let k = 0; k < region.bits; k++) {
    let sum = 0;
    let n = 0;
    const x0 = region.x + k * region.blockW;
    for (let yy = region.y + my; yy < region.y + region.blockH - my; yy++) {
      for (let xx = x0 + mx; xx < x0 + region.blockW - mx; xx++) {
        const v = pixels[(yy * stride + xx) * channels];
        if (v === undefined) return null;
        sum += v;
        n++;
      }
    }
    if (n === 0) return null;
    const mean = sum / n;
    // Ambiguous: a block in transition, or no strip there at all.
    if (mean > 88 && mean < 168) return null;
    const bit = mean >= 128 ? 1 : 0;
    if (k < region.bits - 1) {
      gray += bit * 2 ** k;
      parity ^= bit;
    } else {
      last = bit;
    }
  }
  if (parity !== last) return null;
  // Gray → binary: b_k = XOR of g_j for j ≥ k, from the top bit down.
  let value = 0;
  let b = 0;
  for (let k = region.bits - 2; k >= 0; k--) {
    b ^= Math.floor(gray / 2 ** k) % 2;
    value += b * 2 ** k;
  }
  return value;
}

/** The pixels of a strip painted the way the simulator's geq does (for tests). */
export function paintTimecode(ms: number, region: TimecodeRegion, stride: number, rows: number, channels = 1): Uint8Array {
  const out = new Uint8Array(stride * rows * channels);
  const n = Math.floor(ms);
  const grayCode = (n ^ Math.floor(n / 2)) >>> 0;
  for (let k = 0; k < region.bits; k++) {
    const bit = k < region.bits - 1 ? Math.floor(grayCode / 2 ** k) % 2 : n % 2;
    for (let yy = region.y; yy < region.y + region.blockH; yy++) {
      for (let xx = region.x + k * region.blockW; xx < region.x + (k + 1) * region.blockW; xx++) {
        for (let c = 0; c < channels; c++) out[(yy * stride + xx) * channels + c] = bit ? 255 : 0;
      }
    }
  }
  return out;
}
