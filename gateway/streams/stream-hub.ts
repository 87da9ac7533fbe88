// One live stream per (camera, profile, format), made on demand and shared by every viewer;
// alarm-linked cameras are kept warm so their GOP is ready the moment an operator looks.
import { CodedError } from '../../common/coded-error.ts';
import type { Logger } from '../../common/logger.ts';
import { CameraStream } from './camera-stream.ts';
import { streamError } from './errors.ts';
import type { SourceCredentials } from './ffmpeg-args.ts';
import type { LiveStream, LiveStreamOptions, StreamStats } from './live-stream.ts';
import { Mpeg1Stream } from './mpeg1-stream.ts';

export type StreamProfile = 'main' | 'sub';
export type StreamFormat = 'fmp4' | 'mpeg1';
export type VideoEncoding = 'H264' | 'H265';

export interface ResolvedSource extends SourceCredentials {
  encoding?: VideoEncoding;
}

export interface StreamHubOptions {
  /** Reject with CodedError STREAM_UNKNOWN_CAMERA for a camera or profile that does not exist. */
  resolveSource: (cameraId: string, profile: StreamProfile) => Promise<ResolvedSource>;
  logger: Logger;
  idleStopMs?: number;
  /** Passed to every stream (tests shorten backoff and stall timeouts). */
  streamDefaults?: Pick<LiveStreamOptions, 'ffmpegPath' | 'gopCacheMaxBytes' | 'stallTimeoutMs' | 'backoff'>;
}

export interface HubStreamStats extends StreamStats {
  cameraId: string;
  profile: StreamProfile;
  format: StreamFormat;
  processTag: string;
}

/** Browsers' MSE plays H.264; anything else goes through the MPEG-1 (JSMpeg) transcode. */
export function formatFor(encoding: VideoEncoding | undefined): StreamFormat {
  return encoding === 'H265' ? 'mpeg1' : 'fmp4';
}

interface Entry {
  stream: LiveStream;
  cameraId: string;
  profile: StreamProfile;
  format: StreamFormat;
}

export class StreamHub {
  private readonly streams = new Map<string, Entry>();
  private readonly warmKeys = new Map<StreamProfile, Set<string>>();
  private stopped = false;

  constructor(private readonly opts: StreamHubOptions) {}

  formatFor(encoding: VideoEncoding | undefined): StreamFormat {
    return formatFor(encoding);
  }

  /** The shared stream for this camera/profile/format (created, not started: subscribe starts it). */
  viewer(cameraId: string, profile: StreamProfile, format: StreamFormat, audio = false): LiveStream {
    if (this.stopped) throw streamError('STREAM_CLOSED', { cameraId });
    const key = keyOf(cameraId, profile, format) + (audio && format === 'fmp4' ? '+audio' : '');
    const existing = this.streams.get(key);
    if (existing) return existing.stream;
    const log = this.opts.logger.child({ camera: cameraId, profile, format });
    const opts: LiveStreamOptions = {
      ...this.opts.streamDefaults,
      cameraId,
      source: () => this.opts.resolveSource(cameraId, profile),
      logger: log,
      ...(this.opts.idleStopMs !== undefined ? { idleStopMs: this.opts.idleStopMs } : {}),
    };
    const stream = format === 'fmp4' ? new CameraStream({ ...opts, audio }) : new Mpeg1Stream(opts);
    // A stream that found its camera gone for good is dropped; the next viewer gets a fresh one.
    stream.on('fatal', () => {
      if (this.streams.get(key)?.stream === stream) this.streams.delete(key);
    });
    this.streams.set(key, { stream, cameraId, profile, format });
    return stream;
  }

  /** Resolves the camera first (unknown → STREAM_UNKNOWN_CAMERA) and picks the format its encoding needs. */
  async open(cameraId: string, profile: StreamProfile, audio = false): Promise<{ stream: LiveStream; format: StreamFormat }> {
    const src = await this.resolve(cameraId, profile);
    const format = formatFor(src.encoding);
    return { stream: this.viewer(cameraId, profile, format, audio), format };
  }

  /** Exactly these cameras (for this profile) stay running with their GOP cached. */
  async setWarm(cameraIds: string[], profile: StreamProfile): Promise<void> {
    const next = new Set<string>();
    for (const cameraId of new Set(cameraIds)) {
      try {
        const { format } = await this.open(cameraId, profile);
        const key = keyOf(cameraId, profile, format);
        next.add(key);
        this.streams.get(key)?.stream.setWarm(true);
      } catch (err) {
        this.opts.logger.warn({ camera: cameraId, code: err instanceof CodedError ? err.code : 'INTERNAL' }, 'cannot keep camera warm');
      }
    }
    for (const key of this.warmKeys.get(profile) ?? []) {
      if (!next.has(key)) this.streams.get(key)?.stream.setWarm(false);
    }
    this.warmKeys.set(profile, next);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const all = [...this.streams.values()];
    this.streams.clear();
    await Promise.all(all.map((e) => e.stream.stop()));
  }

  stats(): HubStreamStats[] {
    return [...this.streams.values()].map((e) => ({ ...e.stream.stats(), cameraId: e.cameraId, profile: e.profile, format: e.format, processTag: e.stream.processTag }));
  }

  private async resolve(cameraId: string, profile: StreamProfile): Promise<ResolvedSource> {
    try {
      return await this.opts.resolveSource(cameraId, profile);
    } catch (err) {
      if (err instanceof CodedError) throw err;
      throw streamError('STREAM_SOURCE_UNAVAILABLE', { cameraId, profile, cause: String(err).slice(0, 200) });
    }
  }
}

function keyOf(cameraId: string, profile: StreamProfile, format: StreamFormat): string {
  return JSON.stringify([cameraId, profile, format]);
}
