// Stream-to-frames for protocol v1. Bytes arrive in arbitrary chunks, with line noise, half
// frames from a box that lost power, and collisions on a shared bus. The rule that keeps us in
// step: when a candidate frame fails (bad version, LEN > 64, bad CRC) drop ONE byte and rescan,
// because a real SYNC may sit inside the bytes of a false one. An idle gap (flush) ends any
// half frame. The buffer never holds more than one maximal frame, so memory is bounded.
import { crc16Modbus } from './crc16.ts';
import {
  CRC_BYTES,
  HEADER_BYTES,
  MAX_FRAME_BYTES,
  MAX_PAYLOAD,
  OFFSET,
  PROTOCOL_VERSION,
  SYNC_0,
  SYNC_1,
  type Frame,
} from './frame.ts';

export interface DecoderStats {
  frames: number;
  crcErrors: number;
  badVersion: number;
  badLength: number;
  /** Bytes dropped while hunting for a frame (noise, broken frames, idle-gap leftovers). */
  garbageBytes: number;
}

export class FrameDecoder {
  // Twice a frame: room for a pending partial frame plus new bytes before compacting.
  private readonly buf = Buffer.alloc(MAX_FRAME_BYTES * 2);
  private len = 0;
  private readonly counters: DecoderStats = { frames: 0, crcErrors: 0, badVersion: 0, badLength: 0, garbageBytes: 0 };

  /** Feed received bytes; returns the complete frames they finished, in order. */
  push(chunk: Uint8Array): Frame[] {
    const out: Frame[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      const n = Math.min(chunk.length - offset, this.buf.length - this.len);
      this.buf.set(chunk.subarray(offset, offset + n), this.len);
      this.len += n;
      offset += n;
      this.scan(out, false);
    }
    return out;
  }

  /**
   * The line went idle: whatever is left cannot become a frame by waiting. Drop its first byte and
   * rescan until nothing is left, so a real frame hidden behind a false SYNC is still found.
   */
  flush(): Frame[] {
    const out: Frame[] = [];
    this.scan(out, true);
    return out;
  }

  /** Bytes held waiting for the rest of a frame. */
  get pendingBytes(): number {
    return this.len;
  }

  stats(): DecoderStats {
    return { ...this.counters };
  }

  private scan(out: Frame[], idle: boolean): void {
    const buf = this.buf;
    const end = this.len;
    let pos = 0;
    while (pos < end) {
      const avail = end - pos;
      if (buf[pos] !== SYNC_0) {
        pos = this.skip(pos, 1);
        continue;
      }
      if (avail >= 2 && buf[pos + 1] !== SYNC_1) {
        pos = this.skip(pos, 1);
        continue;
      }
      if (avail > OFFSET.ver && buf[pos + OFFSET.ver] !== PROTOCOL_VERSION) {
        this.counters.badVersion++;
        pos = this.skip(pos, 1);
        continue;
      }
      if (avail > OFFSET.len && buf[pos + OFFSET.len]! > MAX_PAYLOAD) {
        this.counters.badLength++;
        pos = this.skip(pos, 1);
        continue;
      }
      const total = avail > OFFSET.len ? HEADER_BYTES + buf[pos + OFFSET.len]! + CRC_BYTES : Infinity;
      if (avail < total) {
        if (!idle) break; // wait for more bytes
        pos = this.skip(pos, 1); // idle: this half frame will never complete
        continue;
      }
      const crcAt = pos + total - CRC_BYTES;
      const crc = buf[crcAt]! | (buf[crcAt + 1]! << 8);
      if (crc16Modbus(buf, pos + OFFSET.ver, crcAt) !== crc) {
        this.counters.crcErrors++;
        pos = this.skip(pos, 1);
        continue;
      }
      // A copy (the buffer is reused), as a plain Uint8Array so frames compare equal whatever made them.
      const payload = new Uint8Array(crcAt - pos - OFFSET.payload);
      payload.set(buf.subarray(pos + OFFSET.payload, crcAt));
      out.push({
        dst: buf[pos + OFFSET.dst]!,
        src: buf[pos + OFFSET.src]!,
        seq: buf[pos + OFFSET.seq]!,
        type: buf[pos + OFFSET.type]!,
        payload,
      });
      this.counters.frames++;
      pos += total;
    }
    if (pos > 0) {
      buf.copyWithin(0, pos, end);
      this.len = end - pos;
    }
  }

  private skip(pos: number, n: number): number {
    this.counters.garbageBytes += n;
    return pos + n;
  }
}
