// G.711 µ-law for the simulated camera's two-way audio: decoding what a client sends to the
// speaker, encoding the microphone tone. The simulator imports no gateway code (it plays the
// part of a third-party camera), so it carries its own copy of this small codec. Pure.

const BIAS = 0x84;

function decodeByte(u: number): number {
  const v = ~u & 0xff;
  const t = (((v & 0x0f) << 3) + BIAS) << ((v & 0x70) >> 4);
  return v & 0x80 ? BIAS - t : t - BIAS;
}

const DECODE = Int16Array.from({ length: 256 }, (_, u) => decodeByte(u));

export function ulawToPcm16(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = DECODE[bytes[i] ?? 0xff] ?? 0;
  return out;
}

/** The µ-law byte whose decoded value is nearest to `sample` (exact inverse of the table). */
export function pcm16ToUlawSample(sample: number): number {
  let best = 0xff;
  let bestErr = Infinity;
  for (let u = 0; u < 256; u++) {
    const err = Math.abs((DECODE[u] ?? 0) - sample);
    if (err < bestErr) {
      bestErr = err;
      best = u;
    }
  }
  return best;
}
