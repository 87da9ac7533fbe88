// What the simulated camera's speaker "plays": PCMU RTP a client sends on the ONVIF audio
// backchannel, decoded to 16-bit PCM at 8 kHz and kept so tests can check what arrived. Bounded
// (a client that talks for longer than maxSeconds overwrites nothing; the rest is counted, not
// kept). Packets are appended in arrival order; RTP timestamps are not used to insert silence.
import { EventEmitter } from 'node:events';
import { ulawToPcm16 } from './backchannel-g711.ts';

export interface BackchannelRecording {
  sampleRate: 8000;
  pcm: Int16Array;
  /** RTP packets accepted (PCMU, version 2). */
  packets: number;
  /** Date.now() of the last accepted packet. */
  lastAt: number | null;
}

export class BackchannelRecorder {
  private chunks: Int16Array[] = [];
  private samples = 0;
  private packets = 0;
  private lastAt: number | null = null;
  private active = 0;
  private readonly events = new EventEmitter();

  constructor(private readonly maxSeconds = 120) {}

  /** One RTP packet from the backchannel; anything that is not PCMU RTP is ignored. */
  record(pkt: Buffer, nowMs = Date.now()): void {
    const payload = pcmuPayload(pkt);
    if (!payload) return;
    this.packets++;
    this.lastAt = nowMs;
    const room = this.maxSeconds * 8000 - this.samples;
    if (room <= 0) return;
    const pcm = ulawToPcm16(payload.subarray(0, room));
    this.chunks.push(pcm);
    this.samples += pcm.length;
    this.events.emit('audio', this.samples);
  }

  recording(): BackchannelRecording {
    const pcm = new Int16Array(this.samples);
    let at = 0;
    for (const c of this.chunks) {
      pcm.set(c, at);
      at += c.length;
    }
    return { sampleRate: 8000, pcm, packets: this.packets, lastAt: this.lastAt };
  }

  clear(): void {
    this.chunks = [];
    this.samples = 0;
    this.packets = 0;
    this.lastAt = null;
  }

  /** Resolves once at least `seconds` of audio is recorded; rejects after timeoutMs. */
  waitForAudio(seconds: number, timeoutMs = 10_000): Promise<void> {
    const want = Math.ceil(seconds * 8000);
    if (this.samples >= want) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAudio = (samples: number): void => {
        if (samples < want) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`backchannel: ${this.samples} of ${want} samples within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.events.off('audio', onAudio);
      };
      this.events.on('audio', onAudio);
    });
  }

  /** Backchannel sessions playing now (SETUP + PLAY, not yet torn down or disconnected). */
  sessions(): number {
    return this.active;
  }

  sessionStarted(): void {
    this.active++;
  }

  sessionEnded(): void {
    this.active = Math.max(0, this.active - 1);
  }
}

/** The payload of a PCMU (payload type 0) RTP version 2 packet, or null. */
export function pcmuPayload(pkt: Buffer): Buffer | null {
  if (pkt.length < 12) return null;
  const b0 = pkt.readUInt8(0);
  if (b0 >> 6 !== 2 || (pkt.readUInt8(1) & 0x7f) !== 0) return null;
  let offset = 12 + 4 * (b0 & 0x0f);
  if (b0 & 0x10) {
    if (pkt.length < offset + 4) return null;
    offset += 4 + 4 * pkt.readUInt16BE(offset + 2);
  }
  let end = pkt.length;
  if (b0 & 0x20) end -= pkt.readUInt8(pkt.length - 1);
  return offset <= end ? pkt.subarray(offset, end) : null;
}
