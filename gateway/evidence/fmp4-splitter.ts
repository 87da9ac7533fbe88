// Cuts a fragmented-MP4 byte stream (ffmpeg -movflags empty_moov+frag_...) into the messages of
// a FragmentSource: one init (ftyp+moov), then one message per moof+mdat pair. Pure: bytes in,
// messages out, so it can be fed from a pipe, a file or a test.
import { EvidenceErrors } from './errors.ts';
import { fragmentInfo } from './fmp4.ts';
import type { StreamMessage } from './fragment-source.ts';

/** A box larger than this is garbage, not video: a camera fragment is tens of kilobytes. */
export const MAX_BOX_BYTES = 32 * 1024 * 1024;

export class Fmp4Splitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private ftyp: Buffer | null = null;
  private moof: Buffer | null = null;

  /** Feeds bytes; returns the messages completed by them. Throws on a malformed stream. */
  push(chunk: Buffer): Extract<StreamMessage, { kind: 'init' | 'fragment' }>[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const out: Extract<StreamMessage, { kind: 'init' | 'fragment' }>[] = [];
    for (let box = this.nextBox(); box; box = this.nextBox()) {
      const type = box.toString('latin1', 4, 8);
      if (type === 'ftyp') this.ftyp = box;
      else if (type === 'moov') out.push({ kind: 'init', codecs: '', data: this.ftyp ? Buffer.concat([this.ftyp, box]) : box });
      else if (type === 'moof') this.moof = box;
      else if (type === 'mdat' && this.moof) {
        const data = Buffer.concat([this.moof, box]);
        this.moof = null;
        out.push({ kind: 'fragment', data, keyframe: fragmentInfo(data).keyframe === true });
      }
      // styp, sidx, free, mfra...: nothing a viewer or a clip needs.
    }
    return out;
  }

  private nextBox(): Buffer | null {
    if (this.pendingBytes < 8) return null;
    let first = this.pending[0]!;
    if (first.length < 16 && this.pending.length > 1) first = Buffer.concat(this.pending);
    let size = first.readUInt32BE(0);
    if (size === 1) {
      if (first.length < 16) return null;
      size = Number(first.readBigUInt64BE(8));
    }
    if (size < 8 || size > MAX_BOX_BYTES) throw EvidenceErrors.badBox(`box size ${size}`);
    // Joining chunks only once the whole box is here keeps a large box from being copied per chunk.
    if (this.pendingBytes < size) return null;
    const head = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    const box = head.subarray(0, size);
    const rest = head.subarray(size);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return box;
  }
}
