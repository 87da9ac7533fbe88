// Live fragmented MP4 in a <video> through Media Source Extensions. The stream socket brings an
// init message, the init segment (ftyp+moov), then fragments (moof+mdat) from a keyframe on.
// Appends go through a queue (a SourceBuffer takes one operation at a time), old media is
// trimmed so the buffer stays short, and the playhead is kept at the live edge. Every
// (re)connect gets a fresh MediaSource; the last picture stays up while reconnecting.
import { catchUpDecision, choosePlayer, mseMimeType, streamUrl, trimRange, type StreamControl, type StreamProfile } from './live-edge.ts';
import type { LivePlayer, PlayerEvents, PlayerStats, PlayerStatus } from './player.ts';
import { StreamSocket } from './stream-socket.ts';

/** Queued but not yet appended past this: the SourceBuffer is not keeping up; start over. */
export const MAX_QUEUED_BYTES = 16 * 1024 * 1024;

export interface MsePlayerOptions extends PlayerEvents {
  cameraId: string;
  profile?: StreamProfile;
  /** With the camera's sound (listening in); picture-only streams start faster. */
  audio?: boolean;
  /** Defaults to the same-origin /api/streams URL. */
  url?: string;
  createSocket?: (url: string) => WebSocket;
  random?: () => number;
  /** The stream needs another player (MPEG-1, or a codec MSE cannot play here): this one has stopped. */
  onFallback?: (why: { format: string; codecs: string }) => void;
}

type Op = { kind: 'append'; data: ArrayBuffer } | { kind: 'remove'; start: number; end: number };

interface Pipeline {
  mediaSource: MediaSource;
  objectUrl: string;
  codecs: string;
  buffer: SourceBuffer | null;
  queue: Op[];
  queuedBytes: number;
  gotInitSegment: boolean;
  onSourceOpen: () => void;
  onUpdateEnd: () => void;
}

function mseSupport(): ((mime: string) => boolean) | null {
  return typeof MediaSource === 'undefined' ? null : (mime) => MediaSource.isTypeSupported(mime);
}

/** Whether this browser could play a stream with MSE at all (no socket needed to know). */
export function mseAvailable(): boolean {
  return mseSupport() !== null;
}

export class MsePlayer implements LivePlayer {
  readonly kind = 'mse' as const;
  readonly firstFrame: Promise<number>;
  private resolveFirstFrame: (t: number) => void = () => {};
  private frameCallback: number | null = null;
  private readonly socket: StreamSocket;
  private pipeline: Pipeline | null = null;
  private currentStatus: PlayerStatus = 'connecting';
  private destroyed = false;
  private bytes = 0;
  private fragments = 0;
  private reconnects = 0;
  private readonly onPlaying = (): void => this.resolveFirstFrame(performance.now());
  private readonly onWaiting = (): void => this.keepLive();
  /** A decode error (or a refused blob: URL) kills this MediaSource; a fresh connection gets a new one. */
  private readonly onVideoError = (): void => {
    if (this.pipeline) this.socket.restart();
  };

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly opts: MsePlayerOptions,
  ) {
    // Picture-only streams play muted (autoplay); a stream opened for listening plays its sound.
    video.muted = !opts.audio;
    video.playsInline = true;
    video.autoplay = true;
    this.firstFrame = new Promise<number>((resolve) => {
      let done = false;
      this.resolveFirstFrame = (t) => {
        if (done) return;
        done = true;
        resolve(t);
      };
    });
    if (typeof video.requestVideoFrameCallback === 'function') {
      this.frameCallback = video.requestVideoFrameCallback(() => {
        this.frameCallback = null;
        this.resolveFirstFrame(performance.now());
      });
    } else {
      video.addEventListener('playing', this.onPlaying);
      video.addEventListener('loadeddata', this.onPlaying);
    }
    video.addEventListener('waiting', this.onWaiting);
    video.addEventListener('error', this.onVideoError);
    const url = opts.url ?? streamUrl(location, opts.cameraId, opts.profile ?? 'main', 'fmp4', opts.audio ?? false);
    this.socket = new StreamSocket(
      { url, ...(opts.createSocket ? { createSocket: opts.createSocket } : {}), ...(opts.random ? { random: opts.random } : {}) },
      {
        onInit: (init) => this.onInit(init),
        onMedia: (data) => this.onMedia(data),
        onServerState: (s) => opts.onServerState?.(s),
        onDrop: () => {
          this.reconnects++;
          this.setStatus('reconnecting');
        },
        onRefused: (reason) => {
          this.setStatus('stopped');
          opts.onRefused?.(reason);
        },
      },
    );
  }

  get status(): PlayerStatus {
    return this.currentStatus;
  }

  get stats(): PlayerStats {
    const q = typeof this.video.getVideoPlaybackQuality === 'function' ? this.video.getVideoPlaybackQuality() : null;
    const end = this.bufferedEnd();
    return {
      bytes: this.bytes,
      fragments: this.fragments,
      framesDecoded: q?.totalVideoFrames ?? 0,
      droppedFrames: q?.droppedVideoFrames ?? 0,
      latencyToBufferEnd: end === null ? null : Math.max(0, end - this.video.currentTime),
      reconnects: this.reconnects,
    };
  }

  start(): void {
    if (this.destroyed) return;
    this.socket.start();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.socket.stop();
    this.teardown();
    if (this.frameCallback !== null) this.video.cancelVideoFrameCallback(this.frameCallback);
    this.frameCallback = null;
    this.video.removeEventListener('playing', this.onPlaying);
    this.video.removeEventListener('loadeddata', this.onPlaying);
    this.video.removeEventListener('waiting', this.onWaiting);
    this.video.removeEventListener('error', this.onVideoError);
    this.setStatus('stopped');
  }

  private setStatus(s: PlayerStatus): void {
    if (this.currentStatus === s) return;
    this.currentStatus = s;
    this.opts.onStatus?.(s);
  }

  private onInit(init: Extract<StreamControl, { type: 'init' }>): void {
    if (choosePlayer(init.format, init.codecs, mseSupport()) !== 'mse') {
      this.destroy();
      this.opts.onFallback?.({ format: init.format, codecs: init.codecs });
      return;
    }
    this.teardown();
    const mediaSource = new MediaSource();
    const p: Pipeline = {
      mediaSource,
      objectUrl: URL.createObjectURL(mediaSource),
      codecs: mseMimeType(init.codecs),
      buffer: null,
      queue: [],
      queuedBytes: 0,
      gotInitSegment: false,
      onSourceOpen: () => {
        if (this.pipeline !== p || mediaSource.readyState !== 'open') return;
        try {
          const sb = mediaSource.addSourceBuffer(p.codecs);
          sb.mode = 'segments';
          sb.addEventListener('updateend', p.onUpdateEnd);
          p.buffer = sb;
        } catch {
          this.socket.restart();
          return;
        }
        this.pump();
      },
      onUpdateEnd: () => {
        if (this.pipeline !== p) return;
        this.keepLive();
        this.pump();
      },
    };
    this.pipeline = p;
    mediaSource.addEventListener('sourceopen', p.onSourceOpen, { once: true });
    this.video.src = p.objectUrl;
  }

  private onMedia(data: ArrayBuffer): void {
    const p = this.pipeline;
    if (!p) return;
    this.bytes += data.byteLength;
    if (p.gotInitSegment) {
      this.fragments++;
      this.socket.markHealthy();
      this.setStatus('live');
    }
    p.gotInitSegment = true;
    p.queue.push({ kind: 'append', data });
    p.queuedBytes += data.byteLength;
    if (p.queuedBytes > MAX_QUEUED_BYTES) {
      this.socket.restart();
      return;
    }
    this.pump();
  }

  /** Runs the next queued operation if the SourceBuffer is free; updateend calls it again. */
  private pump(): void {
    const p = this.pipeline;
    const sb = p?.buffer;
    if (!p || !sb || sb.updating || p.mediaSource.readyState !== 'open') return;
    const trim = sb.buffered.length > 0 ? trimRange(sb.buffered.start(0), this.video.currentTime) : null;
    const op: Op | undefined = trim ? { kind: 'remove', ...trim } : p.queue.shift();
    if (!op) return;
    try {
      if (op.kind === 'remove') {
        sb.remove(op.start, op.end);
      } else {
        p.queuedBytes -= op.data.byteLength;
        sb.appendBuffer(op.data);
        if (this.video.paused) this.video.play().catch(() => {});
      }
    } catch (err) {
      if (op.kind === 'append' && err instanceof DOMException && err.name === 'QuotaExceededError' && sb.buffered.length > 0) {
        // Full: put it back and free everything but the last second behind the playhead.
        p.queue.unshift(op);
        p.queuedBytes += op.data.byteLength;
        const end = this.video.currentTime - 1;
        if (end > sb.buffered.start(0)) {
          sb.remove(sb.buffered.start(0), end);
          return;
        }
      }
      // A fragment the decoder rejects leaves the MediaSource closed: start from a fresh init.
      this.socket.restart();
    }
  }

  /** Keeps the playhead near the live edge: skip when far behind, play a little faster when close. */
  private keepLive(): void {
    const end = this.bufferedEnd();
    if (end === null) return;
    const d = catchUpDecision(end, this.video.currentTime);
    if (d.action === 'seek') {
      this.video.currentTime = d.to;
      if (this.video.playbackRate !== 1) this.video.playbackRate = 1;
    } else if (this.video.playbackRate !== d.rate) {
      this.video.playbackRate = d.rate;
    }
  }

  private bufferedEnd(): number | null {
    const b = this.pipeline?.buffer?.buffered;
    if (!b || b.length === 0) return null;
    return b.end(b.length - 1);
  }

  private teardown(): void {
    const p = this.pipeline;
    this.pipeline = null;
    if (!p) return;
    p.mediaSource.removeEventListener('sourceopen', p.onSourceOpen);
    p.buffer?.removeEventListener('updateend', p.onUpdateEnd);
    p.queue.length = 0;
    URL.revokeObjectURL(p.objectUrl);
    if (this.destroyed) {
      this.video.removeAttribute('src');
      this.video.load();
    }
  }
}
