// PCMU RTP packets (RFC 3550, payload type 0 per RFC 3551): 20 ms = 160 samples of 8 kHz µ-law
// each, sequence +1 and timestamp +160 per packet. Pure: the random starting values come in,
// so tests can pin them.

export const PCMU_RATE = 8000;
export const FRAME_SAMPLES = 160;
export const FRAME_MS = 20;

export interface PacketizerStart {
  ssrc: number;
  seq: number;
  timestamp: number;
  payloadType?: number;
}

export class PcmuPacketizer {
  private seq: number;
  private timestamp: number;
  private readonly ssrc: number;
  private readonly payloadType: number;

  constructor(start: PacketizerStart) {
    this.ssrc = start.ssrc >>> 0;
    this.seq = start.seq & 0xffff;
    this.timestamp = start.timestamp >>> 0;
    this.payloadType = (start.payloadType ?? 0) & 0x7f;
  }

  /** One packet; `marker` flags the first packet after silence (start of a talkspurt). */
  packet(ulaw: Uint8Array, marker: boolean): Buffer {
    const pkt = Buffer.allocUnsafe(12 + ulaw.length);
    pkt.writeUInt8(0x80, 0);
    pkt.writeUInt8((marker ? 0x80 : 0) | this.payloadType, 1);
    pkt.writeUInt16BE(this.seq, 2);
    pkt.writeUInt32BE(this.timestamp, 4);
    pkt.writeUInt32BE(this.ssrc, 8);
    pkt.set(ulaw, 12);
    this.seq = (this.seq + 1) & 0xffff;
    this.timestamp = (this.timestamp + ulaw.length) >>> 0;
    return pkt;
  }

  /** Silence we did not send still moves the clock, so the receiver keeps time across gaps. */
  skip(samples: number): void {
    this.timestamp = (this.timestamp + Math.max(0, Math.round(samples))) >>> 0;
  }
}
