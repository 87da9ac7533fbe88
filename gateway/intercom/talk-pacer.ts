// Real-time pacing of talk-back audio (pure; time comes in as a value). Audio arrives in bursts
// (WebSocket messages, event-loop hiccups) but a camera's speaker plays at 8 kHz with a small
// buffer, so packets leave one per 20 ms by the clock. A short prebuffer absorbs network jitter;
// the backlog is bounded (oldest dropped) so talk never lags more than about a second.
import { FRAME_MS, FRAME_SAMPLES, PcmuPacketizer, type PacketizerStart } from './rtp-packetizer.ts';

/** µ-law of silence. */
const ULAW_SILENCE = 0xff;

export interface PacerOptions {
  /** Backlog beyond this is dropped, oldest first. */
  maxBacklogMs?: number;
  /** Audio held before the first packet of a talkspurt leaves. */
  prebufferMs?: number;
  /** After a stall, at most this many late frames go at once; older ones are dropped. */
  maxBurstFrames?: number;
}

export class TalkPacer {
  private backlog: Uint8Array = new Uint8Array(0);
  private readonly packetizer: PcmuPacketizer;
  private readonly maxBacklog: number;
  private readonly prebuffer: number;
  private readonly maxBurst: number;
  private running = false;
  private startMs = 0;
  private sent = 0;
  /** When the last packet's audio ended, for the timestamp jump over a silence gap. */
  private lastEndMs: number | null = null;
  private draining = false;
  dropped = 0;

  constructor(start: PacketizerStart, o: PacerOptions = {}) {
    this.packetizer = new PcmuPacketizer(start);
    this.maxBacklog = Math.round(((o.maxBacklogMs ?? 1000) * 8000) / 1000);
    this.prebuffer = Math.round(((o.prebufferMs ?? 60) * 8000) / 1000);
    // 200 ms: what a camera's jitter buffer takes in one go; a longer stall loses its oldest audio.
    this.maxBurst = o.maxBurstFrames ?? 10;
  }

  /** µ-law samples at 8 kHz. */
  push(ulaw: Uint8Array): void {
    if (ulaw.length === 0) return;
    let next = new Uint8Array(this.backlog.length + ulaw.length);
    next.set(this.backlog);
    next.set(ulaw, this.backlog.length);
    if (next.length > this.maxBacklog) {
      this.dropped += next.length - this.maxBacklog;
      next = next.slice(next.length - this.maxBacklog);
    }
    this.backlog = next;
  }

  /** Samples waiting to be sent. */
  pending(): number {
    return this.backlog.length;
  }

  /** From now on the last partial frame is padded with silence and sent, and no prebuffer waits. */
  drain(): void {
    this.draining = true;
  }

  /** Packets due at `nowMs`. Call often (every 5-20 ms). */
  tick(nowMs: number): Buffer[] {
    const out: Buffer[] = [];
    if (!this.running) {
      const ready = this.draining ? this.backlog.length > 0 : this.backlog.length >= Math.max(this.prebuffer, FRAME_SAMPLES);
      if (!ready) return out;
      this.running = true;
      this.startMs = nowMs;
      this.sent = 0;
      if (this.lastEndMs !== null) this.packetizer.skip(((nowMs - this.lastEndMs) * 8000) / 1000);
    }
    let due = Math.floor((nowMs - this.startMs) / FRAME_MS) + 1 - this.sent;
    if (due > this.maxBurst) {
      // We were stalled: keep real time by skipping what is too late to play.
      const skip = due - this.maxBurst;
      this.sent += skip;
      this.packetizer.skip(skip * FRAME_SAMPLES);
      this.take(skip * FRAME_SAMPLES);
      due = this.maxBurst;
    }
    for (; due > 0; due--) {
      const frame = this.frame();
      if (!frame) {
        // Underrun: the talkspurt ends; the next one starts with a marker after a prebuffer.
        this.running = false;
        this.lastEndMs = this.startMs + this.sent * FRAME_MS;
        break;
      }
      out.push(this.packetizer.packet(frame, this.sent === 0));
      this.sent++;
    }
    return out;
  }

  private frame(): Uint8Array | null {
    if (this.backlog.length >= FRAME_SAMPLES) return this.take(FRAME_SAMPLES);
    if (!this.draining || this.backlog.length === 0) return null;
    const frame = new Uint8Array(FRAME_SAMPLES).fill(ULAW_SILENCE);
    frame.set(this.take(this.backlog.length));
    return frame;
  }

  private take(n: number): Uint8Array {
    const head = this.backlog.subarray(0, n);
    this.backlog = this.backlog.subarray(Math.min(n, this.backlog.length));
    return head;
  }
}
