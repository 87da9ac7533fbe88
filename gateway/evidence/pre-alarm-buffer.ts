// Per camera, the last `preSeconds` of video held in memory so an alarm clip can begin before the
// alarm (DB15/T 3968: push the 30 s before the alarm). It always starts at a keyframe — a clip
// that opens mid-GOP shows grey smear until the next one — so it trims whole GOPs from the front,
// and holds between preSeconds and preSeconds + one GOP. A byte cap bounds a camera with a
// runaway bitrate; when the cap bites, the window is shorter and the snapshot says so.
import type { FragmentSource } from './fragment-source.ts';
import { FragmentTimeline, type TimedFragment } from './timeline.ts';

export const DEFAULT_PRE_SECONDS = 30;
export const DEFAULT_MAX_BUFFER_BYTES = 64 * 1024 * 1024;

export interface PreAlarmBufferOptions {
  preSeconds?: number;
  maxBytes?: number;
}

export interface PreAlarmSnapshot {
  init: Buffer;
  codecs: string;
  /** Starts at a keyframe (or is empty). Shares the fragments' bytes: treat as read-only. */
  fragments: readonly TimedFragment[];
  /** From the first fragment's start to the newest fragment's end, in ms. */
  coveredMs: number;
  /** The byte cap, not the time window, decided where the buffer starts. */
  capLimited: boolean;
}

export class PreAlarmBuffer {
  readonly preMs: number;
  readonly maxBytes: number;
  private init: { data: Buffer; codecs: string } | null = null;
  private frags: TimedFragment[] = [];
  private bytes = 0;
  private capLimited = false;
  /** GOPs dropped because of the byte cap, for the stream's health report. */
  capDrops = 0;

  constructor(opts: PreAlarmBufferOptions = {}) {
    this.preMs = (opts.preSeconds ?? DEFAULT_PRE_SECONDS) * 1000;
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BUFFER_BYTES;
  }

  /** A different init means new codec parameters: old fragments would not decode with it. */
  setInit(data: Buffer, codecs = ''): void {
    if (this.init && !this.init.data.equals(data)) this.clear();
    this.init = { data, codecs };
  }

  push(f: TimedFragment): void {
    if (!this.init || f.companion) return;
    const last = this.frags.at(-1);
    // A timeline that runs backwards is a restarted camera: what came before is another recording.
    if (last && f.atMs < last.atMs) this.clear();
    if (this.frags.length === 0 && !f.keyframe) return;
    this.frags.push(f);
    this.bytes += f.data.length;
    this.trim(f.atMs + f.durationMs);
  }

  /** The stream stopped: keeping stale video would let a later alarm pass it off as pre-alarm. */
  clear(): void {
    this.frags = [];
    this.bytes = 0;
    this.capLimited = false;
  }

  snapshot(): PreAlarmSnapshot | null {
    if (!this.init) return null;
    return { init: this.init.data, codecs: this.init.codecs, fragments: this.frags.slice(), coveredMs: this.coveredMs(), capLimited: this.capLimited };
  }

  get stats(): { fragments: number; bytes: number; coveredMs: number; capLimited: boolean } {
    return { fragments: this.frags.length, bytes: this.bytes, coveredMs: this.coveredMs(), capLimited: this.capLimited };
  }

  private coveredMs(): number {
    const first = this.frags[0];
    const last = this.frags.at(-1);
    return first && last ? last.atMs + last.durationMs - first.atMs : 0;
  }

  private trim(newestEndMs: number): void {
    // Keep from the latest keyframe at or before (newest end - pre): the window never drops below pre.
    const cutoff = newestEndMs - this.preMs;
    let start = 0;
    for (let i = 1; i < this.frags.length && this.frags[i]!.atMs <= cutoff; i++) if (this.frags[i]!.keyframe) start = i;
    if (start > 0) {
      this.drop(start);
      this.capLimited = false;
    }
    while (this.bytes > this.maxBytes) {
      const nextGop = this.frags.findIndex((f, i) => i > 0 && f.keyframe);
      if (nextGop < 0) break; // the GOP being received stays, whatever its size
      this.drop(nextGop);
      this.capLimited = true;
      this.capDrops++;
    }
  }

  private drop(n: number): void {
    for (const f of this.frags.splice(0, n)) this.bytes -= f.data.length;
  }
}

/** Keeps `buffer` filled from `source` (a warm camera). Returns the unsubscribe. */
export function feedBuffer(source: FragmentSource, buffer: PreAlarmBuffer, arrivalMs: () => number = Date.now): () => void {
  const timeline = new FragmentTimeline(arrivalMs);
  return source.subscribe((msg) => {
    if (msg.kind === 'init') {
      timeline.setInit(msg.data);
      buffer.setInit(msg.data, msg.codecs);
    } else if (msg.kind === 'fragment') {
      buffer.push(timeline.stamp(msg.data, msg.keyframe));
    } else {
      buffer.clear();
    }
  });
}
