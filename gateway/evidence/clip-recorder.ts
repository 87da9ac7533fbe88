// On an alarm, one MP4 clip per linked camera: the buffered pre-alarm video, then the live video
// for postSeconds. Each call subscribes on its own, so several alarms on one camera each get a
// whole clip. A camera that stops (an 'end' message, a new init, or silence for stallMs) closes
// the clip with what there is, and the result says so. The caller attaches the file to the
// incident as kind 'clip'.
import { basename, join } from 'node:path';
import type { Logger } from '../../common/logger.ts';
import { EvidenceErrors } from './errors.ts';
import type { FragmentSource, StreamMessage } from './fragment-source.ts';
import { rebaseDecodeTime } from './fmp4.ts';
import { PartFile } from './part-file.ts';
import type { IncidentAttachment } from '../journal/journal.ts';
import type { PreAlarmBuffer } from './pre-alarm-buffer.ts';
import { FragmentTimeline, type TimedFragment } from './timeline.ts';

export const EVIDENCE_DIR = 'evidence';
export const DEFAULT_POST_SECONDS = 30;
export const DEFAULT_STALL_MS = 5000;

export interface ClipOptions {
  incidentId: string;
  cameraId: string;
  source: FragmentSource;
  /** The camera's warm buffer; null for a camera that was not kept running (clip starts live). */
  buffer: PreAlarmBuffer | null;
  postSeconds?: number;
  dataDir: string;
  logger: Logger;
  stallMs?: number;
  /** Gateway shutdown: close the clip now with what there is. */
  signal?: AbortSignal;
  /** Wall clock (ms): the alarm time, the file name, and arrival time for streams without tfdt. */
  now?: () => number;
}

export type ClipEndReason = 'done' | 'stalled' | 'ended' | 'restarted' | 'aborted';

export interface ClipResult {
  /** Relative to dataDir, as the journal stores attachments. */
  file: string;
  bytes: number;
  /** Wall time of the clip's first frame (alarm time minus the pre-alarm video actually held). */
  startedAt: string;
  alarmAt: string;
  /** Video actually in the clip before and after the alarm. */
  preSeconds: number;
  postSeconds: number;
  /** False when the camera stopped (or the gateway shut down) before postSeconds were recorded. */
  complete: boolean;
  endReason: ClipEndReason;
  fragments: number;
  /** The pre-alarm window was shortened by the buffer's byte cap. */
  capLimited: boolean;
}

/** The journal row for a finished clip; `at` is the clip's first frame, before the alarm. */
export function clipAttachment(incidentId: string, cameraId: string, clip: ClipResult): Omit<IncidentAttachment, 'id'> {
  return { incidentId, cameraId, kind: 'clip', file: clip.file, bytes: clip.bytes, at: clip.startedAt };
}

const SAFE_ID = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,128}$/;

export function recordClip(opts: ClipOptions): Promise<ClipResult> {
  for (const [what, v] of [['incidentId', opts.incidentId], ['cameraId', opts.cameraId]] as const) {
    if (!SAFE_ID.test(v)) return Promise.reject(EvidenceErrors.badId(what, v));
  }
  return new ClipRecording(opts).done;
}

class ClipRecording {
  readonly done: Promise<ClipResult>;
  private resolve!: (r: ClipResult) => void;
  private reject!: (e: unknown) => void;
  private readonly now: () => number;
  private readonly alarmWallMs: number;
  private readonly file: PartFile;
  private readonly timeline: FragmentTimeline;
  private readonly postMs: number;
  private readonly stallMs: number;
  private init: Buffer | null = null;
  private capLimited = false;
  /** Timeline ms of the alarm: the end of the newest buffered fragment, or the first live one. */
  private alarmAtMs: number | null = null;
  private firstAtMs: number | null = null;
  private lastEndMs: number | null = null;
  private baseDecode: bigint | null = null;
  private lastDecode: bigint | null = null;
  private fragments = 0;
  private stallTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private finished = false;

  constructor(private readonly opts: ClipOptions) {
    this.done = new Promise((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    this.now = opts.now ?? Date.now;
    this.alarmWallMs = this.now();
    this.postMs = (opts.postSeconds ?? DEFAULT_POST_SECONDS) * 1000;
    this.stallMs = opts.stallMs ?? DEFAULT_STALL_MS;
    this.timeline = new FragmentTimeline(this.now);
    this.file = new PartFile(join(opts.dataDir, EVIDENCE_DIR, opts.incidentId, `${opts.cameraId}-${this.alarmWallMs}.mp4`));

    // Snapshot and subscribe in the same tick: nothing the source emits in between is lost, and
    // anything it repeats (a fast-start GOP for new viewers) is skipped by decode time.
    const snap = opts.buffer?.snapshot() ?? null;
    if (snap) {
      this.capLimited = snap.capLimited;
      this.writeInit(snap.init);
      for (const f of snap.fragments) this.writeFragment(f);
      const last = snap.fragments.at(-1);
      if (last) this.alarmAtMs = last.atMs + last.durationMs;
    }
    if (opts.signal?.aborted) {
      void this.finish('aborted');
      return;
    }
    opts.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.armStallTimer();
    const unsubscribe = opts.source.subscribe((msg) => this.onMessage(msg));
    if (this.finished) unsubscribe();
    else this.unsubscribe = unsubscribe;
  }

  private readonly onAbort = (): void => void this.finish('aborted');

  private onMessage(msg: StreamMessage): void {
    if (this.finished) return;
    if (msg.kind === 'end') return void this.finish('ended');
    if (msg.kind === 'init') {
      if (!this.init) this.writeInit(msg.data);
      else if (!this.init.equals(msg.data)) this.finish('restarted');
      return;
    }
    if (!this.init) return;
    const f = this.timeline.stamp(msg.data, msg.keyframe);
    // Clips are video evidence: the camera's audio fragments (another track, another clock) are
    // left out rather than mistimed.
    if (f.companion) return;
    if (f.decodeTime !== null && this.lastDecode !== null && f.decodeTime <= this.lastDecode) {
      // Earlier than the whole clip: the camera's timeline started over, not a repeat.
      if (this.baseDecode !== null && f.decodeTime < this.baseDecode) this.finish('restarted');
      return;
    }
    if (this.fragments === 0 && !f.keyframe) return;
    this.alarmAtMs ??= f.atMs;
    if (f.atMs >= this.alarmAtMs + this.postMs) return void this.finish('done');
    this.writeFragment(f);
    this.armStallTimer();
  }

  private writeInit(init: Buffer): void {
    this.init = init;
    this.timeline.setInit(init);
    this.file.append(init);
  }

  private writeFragment(f: TimedFragment): void {
    if (f.decodeTime !== null) {
      this.baseDecode ??= f.decodeTime;
      this.lastDecode = f.decodeTime;
    }
    this.file.append(this.baseDecode === null ? f.data : rebaseDecodeTime(f.data, this.baseDecode));
    this.firstAtMs ??= f.atMs;
    this.lastEndMs = f.atMs + f.durationMs;
    this.fragments++;
  }

  private armStallTimer(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => void this.finish('stalled'), this.stallMs);
  }

  private async finish(reason: ClipEndReason): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    this.unsubscribe?.();
    const { cameraId, incidentId, logger } = this.opts;
    try {
      if (this.fragments === 0 || this.firstAtMs === null || this.lastEndMs === null) {
        await this.file.discard();
        throw EvidenceErrors.noVideo(cameraId, this.init ? `no keyframe before: ${reason}` : `no init segment before: ${reason}`);
      }
      const path = await this.file.commit();
      const alarmAtMs = this.alarmAtMs ?? this.firstAtMs;
      const preMs = Math.max(0, alarmAtMs - this.firstAtMs);
      const result: ClipResult = {
        file: join(EVIDENCE_DIR, incidentId, basename(path)),
        bytes: this.file.bytes,
        startedAt: new Date(this.alarmWallMs - preMs).toISOString(),
        alarmAt: new Date(this.alarmWallMs).toISOString(),
        preSeconds: preMs / 1000,
        postSeconds: Math.max(0, this.lastEndMs - alarmAtMs) / 1000,
        complete: reason === 'done',
        endReason: reason,
        fragments: this.fragments,
        capLimited: this.capLimited,
      };
      const log = { incidentId, cameraId, file: result.file, bytes: result.bytes, preSeconds: result.preSeconds, postSeconds: result.postSeconds, endReason: reason };
      if (result.complete) logger.info(log, 'alarm clip recorded');
      else logger.warn(log, 'alarm clip closed early: camera stopped or gateway stopping');
      this.resolve(result);
    } catch (err) {
      await this.file.discard().catch(() => undefined);
      logger.warn({ err, incidentId, cameraId, endReason: reason }, 'alarm clip failed');
      this.reject(err);
    }
  }
}
