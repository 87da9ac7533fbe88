// G.711 µ-law (ITU-T G.711, the "PCMU" of RTP payload type 0), the codec ONVIF cameras accept
// on their audio backchannel. Pure. Encoding follows the reference g711.c (14-bit magnitude; it differs
// from ffmpeg's nearest-value table by one step on 512 of the 65536 inputs, at segment edges);
// decoding is a 256-entry table, identical to ffmpeg's.

const BIAS = 0x84;
/** Segment ends of the 14-bit biased magnitude (Sun's reference g711.c). */
const SEG_END = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];

/** One 16-bit linear sample to one µ-law byte. */
export function mulawEncodeSample(sample: number): number {
  // G.711 works on 14 bits: the two low bits of a 16-bit sample carry nothing it can keep.
  let pcm = Math.max(-32768, Math.min(32767, Math.round(sample))) >> 2;
  let mask = 0xff;
  if (pcm < 0) {
    pcm = -pcm;
    mask = 0x7f;
  }
  pcm = Math.min(pcm, 8159) + (BIAS >> 2);
  let seg = 0;
  while (seg < 8 && pcm > (SEG_END[seg] ?? 0)) seg++;
  if (seg >= 8) return 0x7f ^ mask;
  return ((seg << 4) | ((pcm >> (seg + 1)) & 0x0f)) ^ mask;
}

function decodeByte(u: number): number {
  const v = ~u & 0xff;
  const t = (((v & 0x0f) << 3) + BIAS) << ((v & 0x70) >> 4);
  return v & 0x80 ? BIAS - t : t - BIAS;
}

const DECODE_TABLE = Int16Array.from({ length: 256 }, (_, u) => decodeByte(u));

export function mulawDecodeSample(byte: number): number {
  return DECODE_TABLE[byte & 0xff] ?? 0;
}

export function mulawEncode(pcm: Int16Array): Uint8Array {
  const out = new Uint8Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = mulawEncodeSample(pcm[i] ?? 0);
  return out;
}

export function mulawDecode(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = DECODE_TABLE[bytes[i] ?? 0xff] ?? 0;
  return out;
}
