// The simulated camera's microphone: an 800 Hz tone as PCMU RTP (8 kHz, 20 ms packets), the
// audio track the centre hears next to the video during a visual intercom. It lives with the
// backchannel files because together they are the camera's two-way audio.
//
// Made here rather than by the video encoder's ffmpeg: one shared source per camera, with no
// second track to carry through the ingest. Players get it on the stream's trackID=1 with its own
// SSRC. One timer, running only while someone plays the track.
import { randomInt } from 'node:crypto';
import { pcm16ToUlawSample } from './backchannel-g711.ts';

const RATE = 8000;
const FRAME_SAMPLES = 160;
const FRAME_MS = 20;
/** After an event-loop stall, send at most this many late packets, then skip ahead. */
const MAX_CATCH_UP = 5;

export type RtpSink = (pkt: Buffer) => void;

/** µ-law samples of a sine starting at sample index `start`. Pure. */
export function toneSamples(frequencyHz: number, amplitude: number, start: number, n: number): Buffer {
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[i] = pcm16ToUlawSample(amplitude * 32767 * Math.sin((2 * Math.PI * frequencyHz * (start + i)) / RATE));
  return out;
}

export class MicrophoneTone {
  private readonly sinks = new Set<RtpSink>();
  private timer: NodeJS.Timeout | null = null;
  private startedAtMs = 0;
  private frames = 0;
  private seq = randomInt(0, 0x10000);
  private timestamp = randomInt(0, 0x100000000);
  private readonly ssrc = randomInt(0, 0x100000000);
  /** One period of the tone repeats every `cycle` frames, so payloads are made once. */
  private readonly payloads: Buffer[] = [];

  constructor(
    private readonly frequencyHz = 800,
    private readonly amplitude = 0.3,
  ) {
    const cycle = frequencyHz === 800 ? 1 : 50;
    for (let f = 0; f < cycle; f++) this.payloads.push(toneSamples(frequencyHz, amplitude, f * FRAME_SAMPLES, FRAME_SAMPLES));
  }

  subscribe(sink: RtpSink): () => void {
    this.sinks.add(sink);
    if (!this.timer) {
      this.startedAtMs = Date.now();
      this.frames = 0;
      this.timer = setInterval(() => this.tick(Date.now()), FRAME_MS);
    }
    return () => {
      this.sinks.delete(sink);
      if (this.sinks.size === 0) this.stop();
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sinks.clear();
  }

  /** Packets are due by the wall clock, not by timer ticks, so the tone keeps real time. */
  private tick(nowMs: number): void {
    let due = Math.floor((nowMs - this.startedAtMs) / FRAME_MS) + 1 - this.frames;
    if (due > MAX_CATCH_UP) {
      this.skip(due - MAX_CATCH_UP);
      due = MAX_CATCH_UP;
    }
    for (let i = 0; i < due; i++) this.emit();
  }

  private skip(frames: number): void {
    this.frames += frames;
    this.timestamp = (this.timestamp + frames * FRAME_SAMPLES) >>> 0;
  }

  private emit(): void {
    const pkt = Buffer.allocUnsafe(12 + FRAME_SAMPLES);
    pkt.writeUInt8(0x80, 0);
    pkt.writeUInt8(this.frames === 0 ? 0x80 : 0x00, 1); // marker on the first packet of a talkspurt
    pkt.writeUInt16BE(this.seq, 2);
    pkt.writeUInt32BE(this.timestamp, 4);
    pkt.writeUInt32BE(this.ssrc, 8);
    const payload = this.payloads[this.frames % this.payloads.length];
    payload?.copy(pkt, 12);
    this.seq = (this.seq + 1) & 0xffff;
    this.timestamp = (this.timestamp + FRAME_SAMPLES) >>> 0;
    this.frames++;
    for (const sink of this.sinks) sink(pkt);
  }
}
