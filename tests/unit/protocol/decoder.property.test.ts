// Property: whatever noise surrounds them and however the bytes are chunked, the decoder yields
// exactly the frames that were spliced into the stream, in order, and never throws.
// The noise is built to contain false SYNCs (truncated frames, corrupted frames, headers whose
// LEN swallows the next real frame), and the last tests prove the property catches decoders that
// get those wrong.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16Modbus } from '../../../firmware-bridge/protocol/crc16.ts';
import { FrameDecoder } from '../../../firmware-bridge/protocol/decoder.ts';
import { encodeFrame, MAX_PAYLOAD, PROTOCOL_VERSION, SYNC_0, SYNC_1, type Frame } from '../../../firmware-bridge/protocol/frame.ts';

interface StreamDecoder {
  push(chunk: Uint8Array): Frame[];
  flush(): Frame[];
}

const frameArb: fc.Arbitrary<Frame> = fc.record({
  dst: fc.integer({ min: 0, max: 255 }),
  src: fc.integer({ min: 0, max: 255 }),
  seq: fc.integer({ min: 0, max: 255 }),
  type: fc.integer({ min: 0, max: 255 }),
  payload: fc.uint8Array({ maxLength: MAX_PAYLOAD }),
});

/** Noise that looks like the start of a frame. */
const falseSyncArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  // A frame cut short (a box reset mid-transmission, a collision).
  frameArb.chain((f) => {
    const bytes = encodeFrame(f);
    return fc.integer({ min: 2, max: bytes.length - 1 }).map((n) => bytes.subarray(0, n));
  }),
  // A whole frame with one byte after SYNC changed (CRC-16 catches every single-byte error).
  fc.tuple(frameArb, fc.nat(), fc.integer({ min: 1, max: 255 })).map(([f, at, x]) => {
    const bytes = Buffer.from(encodeFrame(f));
    const i = 2 + (at % (bytes.length - 2));
    bytes[i] = bytes[i]! ^ x;
    return bytes;
  }),
  // A bare header whose LEN reaches over whatever follows.
  fc.integer({ min: 0, max: 255 }).map((len) => Uint8Array.of(SYNC_0, SYNC_1, PROTOCOL_VERSION, 0, 1, 2, 0x10, len)),
  fc.constant(Uint8Array.of(SYNC_0)),
  fc.constant(Uint8Array.of(SYNC_0, SYNC_1)),
);

const noiseArb: fc.Arbitrary<Uint8Array> = fc
  .array(fc.oneof({ weight: 2, arbitrary: fc.uint8Array({ maxLength: 40 }) }, { weight: 3, arbitrary: falseSyncArb }), { maxLength: 4 })
  .map((parts) => Buffer.concat(parts));

const caseArb = fc.record({
  segments: fc.array(fc.tuple(noiseArb, frameArb), { maxLength: 8 }),
  tail: noiseArb,
  chunkSizes: fc.array(fc.integer({ min: 1, max: 90 }), { minLength: 1, maxLength: 20 }),
});
type Case = { segments: [Uint8Array, Frame][]; tail: Uint8Array; chunkSizes: number[] };

/**
 * Obviously-correct reference: try every offset of the whole stream, take a valid frame greedily.
 * Used only to discard the (about 1 in 65536 per false SYNC) streams where noise plus a real
 * frame happens to carry a valid CRC: there the "extra" frame is really on the wire.
 */
function referenceScan(bytes: Uint8Array): Frame[] {
  const out: Frame[] = [];
  let i = 0;
  while (i < bytes.length) {
    const len = bytes[i + 7];
    if (bytes[i] === SYNC_0 && bytes[i + 1] === SYNC_1 && bytes[i + 2] === PROTOCOL_VERSION && len !== undefined && len <= MAX_PAYLOAD && i + 10 + len <= bytes.length) {
      const end = i + 8 + len;
      if (crc16Modbus(bytes, i + 2, end) === (bytes[end]! | (bytes[end + 1]! << 8))) {
        out.push({ dst: bytes[i + 3]!, src: bytes[i + 4]!, seq: bytes[i + 5]!, type: bytes[i + 6]!, payload: bytes.slice(i + 8, end) });
        i = end + 2;
        continue;
      }
    }
    i++;
  }
  return out;
}

const norm = (frames: Frame[]) => frames.map((f) => ({ ...f, payload: Buffer.from(f.payload).toString('hex') }));

function decodesExactlyTheSplicedFrames(makeDecoder: () => StreamDecoder) {
  return fc.property(caseArb, (c: Case) => {
    const stream = Buffer.concat([...c.segments.flatMap(([noise, f]) => [noise, encodeFrame(f)]), c.tail]);
    const spliced = norm(c.segments.map(([, f]) => f));
    fc.pre(JSON.stringify(norm(referenceScan(stream))) === JSON.stringify(spliced));

    const decoder = makeDecoder();
    const got: Frame[] = [];
    for (let at = 0, k = 0; at < stream.length; k++) {
      const size = c.chunkSizes[k % c.chunkSizes.length]!;
      got.push(...decoder.push(stream.subarray(at, at + size)));
      at += size;
    }
    got.push(...decoder.flush());
    expect(norm(got)).toEqual(spliced);
  });
}

/** Mutant: after a failed candidate it jumps over the whole claimed frame instead of one byte. */
class SkipsWholeCandidate implements StreamDecoder {
  private bytes = Buffer.alloc(0);
  push(chunk: Uint8Array): Frame[] {
    this.bytes = Buffer.concat([this.bytes, chunk]);
    return [];
  }
  flush(): Frame[] {
    const b = this.bytes;
    const out: Frame[] = [];
    let i = 0;
    while (i + 10 <= b.length) {
      if (b[i] !== SYNC_0 || b[i + 1] !== SYNC_1 || b[i + 2] !== PROTOCOL_VERSION || b[i + 7]! > MAX_PAYLOAD) {
        i++;
        continue;
      }
      const found = referenceScan(b.subarray(i, i + 10 + b[i + 7]!));
      if (found.length === 1 && b[i + 7] === found[0]!.payload.length) out.push(found[0]!);
      i += 10 + b[i + 7]!; // the bug
    }
    return out;
  }
}

/** Mutant: forgets a partial frame at every chunk boundary. */
class ForgetsAcrossChunks implements StreamDecoder {
  push(chunk: Uint8Array): Frame[] {
    return referenceScan(chunk);
  }
  flush(): Frame[] {
    return [];
  }
}

describe('FrameDecoder resynchronisation property', () => {
  it('decodes every spliced frame in order and nothing else, for any noise and chunking', () => {
    fc.assert(decodesExactlyTheSplicedFrames(() => new FrameDecoder()), { numRuns: 400 });
  });

  it('never throws and stays bounded on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }), (chunks) => {
        const d = new FrameDecoder();
        for (const c of chunks) {
          d.push(c);
          expect(d.pendingBytes).toBeLessThan(74);
        }
        d.flush();
        expect(d.pendingBytes).toBe(0);
      }),
    );
  });

  it('would catch a decoder that skips the bytes of a false frame (property can fail)', () => {
    const result = fc.check(decodesExactlyTheSplicedFrames(() => new SkipsWholeCandidate()), { numRuns: 400 });
    expect(result.failed).toBe(true);
  });

  it('would catch a decoder that loses frames split across chunks (property can fail)', () => {
    const result = fc.check(decodesExactlyTheSplicedFrames(() => new ForgetsAcrossChunks()), { numRuns: 400 });
    expect(result.failed).toBe(true);
  });
});
