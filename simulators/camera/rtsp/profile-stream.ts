// One media profile's live stream: the ffmpeg encoder that makes it (started on demand, stopped
// idleStopMs after the last viewer left) and the viewers it fans RTP out to. The stream owns its
// encoder; the camera owns the streams.
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../../common/logger.ts';
import { cameraMediaError } from './errors.ts';
import { encoderArgs, localMidnight } from './ffmpeg-args.ts';
import { FfmpegProcess } from './ffmpeg-process.ts';
import { NAL_PPS, NAL_SPS, parseRtp, startsKeyframe, wholeNals } from './h264-rtp.ts';
import type { IngestServer } from './ingest-server.ts';
import { spropFromSdp } from './sdp.ts';

export interface StreamProfile {
  token: string;
  width: number;
  height: number;
  fps: number;
  keyframeIntervalS: number;
  bitrateKbps: number;
}

/** A playing RTSP session as the stream sees it. */
export interface Viewer {
  sendRtp(pkt: Buffer): void;
  sendRtcp(pkt: Buffer): void;
  close(reason: string): void;
}

export interface ParameterSets {
  sps: Buffer;
  pps: Buffer;
}

export interface ProfileStreamDeps {
  cameraName: string;
  processTag: string;
  ingest: IngestServer;
  idleStopMs: number;
  fontFile: string | null;
  log: Logger;
  /** How long a DESCRIBE/PLAY waits for the encoder's SPS/PPS. */
  startTimeoutMs?: number;
}

interface Waiter {
  resolve: (p: ParameterSets) => void;
  reject: (err: Error) => void;
}

export class ProfileStream {
  private encoder: FfmpegProcess | null = null;
  private unregister: (() => void) | null = null;
  private sps: Buffer | null = null;
  private pps: Buffer | null = null;
  private waiters: Waiter[] = [];
  /** Viewers and whether each has had its first keyframe yet. */
  private readonly viewers = new Map<Viewer, { started: boolean }>();
  /** DESCRIBE/PLAY requests waiting on the encoder keep it from idling out. */
  private holds = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private stopping: Promise<void> | null = null;
  private closed = false;

  constructor(
    readonly profile: StreamProfile,
    private readonly deps: ProfileStreamDeps,
  ) {}

  viewerCount(): number {
    return this.viewers.size;
  }

  encoderRunning(): boolean {
    return this.encoder?.isRunning() ?? false;
  }

  /** Starts the encoder if needed and resolves with SPS/PPS once it is publishing. */
  async parameterSets(): Promise<ParameterSets> {
    if (this.closed) throw cameraMediaError('CAMERA_MEDIA_STOPPED');
    this.holds++;
    this.clearIdle();
    try {
      // An encoder that is idling out is let finish before a new one starts.
      if (this.stopping) await this.stopping;
      if (this.closed) throw cameraMediaError('CAMERA_MEDIA_STOPPED');
      this.ensureEncoder();
      if (this.sps && this.pps) return { sps: this.sps, pps: this.pps };
      return await this.waitForParameters(this.deps.startTimeoutMs ?? 10_000);
    } finally {
      this.holds--;
      this.armIdle();
    }
  }

  addViewer(v: Viewer): void {
    this.viewers.set(v, { started: false });
    this.clearIdle();
  }

  removeViewer(v: Viewer): void {
    if (this.viewers.delete(v)) this.armIdle();
  }

  /** Ends the encoder and every viewer; the stream cannot be used afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearIdle();
    for (const v of [...this.viewers.keys()]) v.close('camera stopped');
    this.viewers.clear();
    await this.stopEncoder();
  }

  private ensureEncoder(): void {
    if (this.encoder) return;
    const path = `${this.profile.token}-${randomBytes(6).toString('hex')}`;
    this.sps = null;
    this.pps = null;
    this.unregister = this.deps.ingest.register(path, {
      onAnnounce: (sdp) => {
        const sets = spropFromSdp(sdp);
        if (sets) this.setParameters(sets.sps, sets.pps);
      },
      onRtp: (pkt) => this.onRtp(pkt),
      onRtcp: (pkt) => this.onRtcp(pkt),
      onClose: () => undefined,
    });
    const args = encoderArgs({
      cameraName: this.deps.cameraName,
      width: this.profile.width,
      height: this.profile.height,
      fps: this.profile.fps,
      keyframeIntervalS: this.profile.keyframeIntervalS,
      bitrateKbps: this.profile.bitrateKbps,
      localMidnightMs: localMidnight(Date.now()),
      fontFile: this.deps.fontFile,
      publishUrl: this.deps.ingest.publishUrl(path),
      processTag: this.deps.processTag,
    });
    const enc = new FfmpegProcess(args, this.deps.log);
    this.encoder = enc;
    this.deps.log.info({ profile: this.profile.token, pid: enc.pid }, 'encoder started');
    void enc.exited.then((code) => this.onEncoderExit(enc, code));
  }

  private onEncoderExit(enc: FfmpegProcess, code: number | string): void {
    if (this.encoder !== enc) return;
    this.encoder = null;
    this.unregister?.();
    this.unregister = null;
    this.sps = null;
    this.pps = null;
    const expected = this.stopping !== null || this.closed;
    if (!expected) this.deps.log.warn({ profile: this.profile.token, code, stderr: enc.stderrTail() }, 'encoder exited unexpectedly');
    else this.deps.log.info({ profile: this.profile.token, code }, 'encoder stopped');
    const err = cameraMediaError('CAMERA_MEDIA_ENCODER_FAILED', { code, stderr: enc.stderrTail() });
    for (const w of this.waiters.splice(0)) w.reject(err);
    // Viewers of a dead encoder would wait forever: close them so their players reconnect.
    for (const v of [...this.viewers.keys()]) v.close('encoder exited');
    this.viewers.clear();
  }

  private stopEncoder(): Promise<void> {
    if (this.stopping) return this.stopping;
    const enc = this.encoder;
    if (!enc) return Promise.resolve();
    this.stopping = enc.stop().finally(() => {
      this.stopping = null;
    });
    return this.stopping;
  }

  private armIdle(): void {
    if (this.idleTimer || this.closed || this.viewers.size > 0 || this.holds > 0 || !this.encoder) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.viewers.size === 0 && this.holds === 0) void this.stopEncoder();
    }, this.deps.idleStopMs);
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private waitForParameters(timeoutMs: number): Promise<ParameterSets> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(cameraMediaError('CAMERA_MEDIA_ENCODER_TIMEOUT', { profile: this.profile.token, timeoutMs }));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private setParameters(sps: Buffer, pps: Buffer): void {
    this.sps = Buffer.from(sps);
    this.pps = Buffer.from(pps);
    const sets = { sps: this.sps, pps: this.pps };
    for (const w of this.waiters.splice(0)) w.resolve(sets);
  }

  private onRtp(pkt: Buffer): void {
    const rtp = parseRtp(pkt);
    if (!rtp) return;
    // Headers repeat with every keyframe: keep the latest for the next DESCRIBE.
    let sps: Buffer | null = null;
    let pps: Buffer | null = null;
    for (const nal of wholeNals(rtp.payload)) {
      const t = nal.readUInt8(0) & 0x1f;
      if (t === NAL_SPS) sps = nal;
      else if (t === NAL_PPS) pps = nal;
    }
    if (sps || pps) {
      const nextSps = sps ?? this.sps;
      const nextPps = pps ?? this.pps;
      if (nextSps && nextPps && (!this.sps || !this.pps || !nextSps.equals(this.sps) || !nextPps.equals(this.pps))) this.setParameters(nextSps, nextPps);
      else if (sps && !this.sps) this.sps = Buffer.from(sps);
      else if (pps && !this.pps) this.pps = Buffer.from(pps);
    }
    if (this.viewers.size === 0) return;
    const keyframe = startsKeyframe(rtp.payload);
    for (const [viewer, state] of this.viewers) {
      if (!state.started) {
        if (!keyframe) continue;
        state.started = true;
      }
      viewer.sendRtp(pkt);
    }
  }

  private onRtcp(pkt: Buffer): void {
    for (const [viewer, state] of this.viewers) if (state.started) viewer.sendRtcp(pkt);
  }
}
