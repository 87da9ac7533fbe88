// What CameraStream (fMP4 copy) and Mpeg1Stream (JSMpeg fallback) share: one ffmpeg per camera
// whatever the number of viewers, started on demand (or kept warm), stopped idleStopMs after the
// last viewer left, restarted with backoff when it dies or stalls, and a cache of the current
// GOP so a new viewer gets a picture at once. Subclasses only say how to run and parse ffmpeg.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { Backoff } from '../../common/backoff.ts';
import { CodedError } from '../../common/coded-error.ts';
import type { Logger } from '../../common/logger.ts';
import { streamError } from './errors.ts';
import { redactUri, sourceListing, type SourceCredentials } from './ffmpeg-args.ts';
import { FfmpegChild } from './ffmpeg-child.ts';
import { GopCache } from './gop-cache.ts';
import { writeSourceFile } from './source-file.ts';

export type StreamState = 'starting' | 'live' | 'reconnecting' | 'stopped';

/** What a viewer receives: the init (codecs; for fMP4 also its bytes), then media keyframe-first. */
export type StreamMessage = { kind: 'init'; codecs: string; data: Buffer } | { kind: 'fragment'; data: Buffer; keyframe: boolean };

export type Viewer = (msg: StreamMessage) => void;

/** For consumers beside the viewers (the evidence recorder): every fragment as it arrives. */
export interface FragmentEvent {
  data: Buffer;
  keyframe: boolean;
  /** Wall-clock arrival time, ns since the epoch. */
  atNs: bigint;
}

export interface StreamStats {
  state: StreamState;
  running: boolean;
  viewers: number;
  pid: number | null;
  bytesIn: number;
  fragments: number;
  gopBytes: number;
  restarts: number;
}

export interface LiveStreamOptions {
  cameraId: string;
  source: () => Promise<SourceCredentials>;
  logger: Logger;
  /** Keep running (and the GOP cached) with no viewer: alarm-linked cameras. */
  warm?: boolean;
  /** Stop ffmpeg this long after the last viewer left; default 10000. */
  idleStopMs?: number;
  /** Bound on the cached GOP; a bigger GOP is not cached. Default 8 MiB. */
  gopCacheMaxBytes?: number;
  ffmpegPath?: string;
  /** Restart ffmpeg when it sends nothing for this long (a camera that hangs silently); default 20000. */
  stallTimeoutMs?: number;
  /** Reconnect delays; default 1 s doubling to 30 s with jitter. */
  backoff?: { initialMs: number; maxMs: number };
  /** Marker in the child's argv (`pgrep -f` finds it); default `gwstream-<camera>-<random>`. */
  processTag?: string;
}

/** The interface a socket pump or the hub needs, whatever the format. */
export interface LiveStreamLike extends EventEmitter {
  readonly cameraId: string;
  readonly processTag: string;
  subscribe(viewer: Viewer): () => void;
  setWarm(warm: boolean): void;
  stop(): Promise<void>;
  stats(): StreamStats;
  on(event: 'state', listener: (state: StreamState) => void): this;
  on(event: 'fragment', listener: (f: FragmentEvent) => void): this;
  on(event: 'fatal', listener: (err: CodedError) => void): this;
}

// A child that produced media for this long was a working connection: the next failure starts
// the backoff from its first step again.
const STABLE_AFTER_MS = 5000;
const DEFAULT_MAX_GOP = 8 * 1024 * 1024;

// Typed 'state' / 'fragment' / 'fatal' listeners on the class itself.
export interface LiveStream {
  on(event: 'state', listener: (state: StreamState) => void): this;
  on(event: 'fragment', listener: (f: FragmentEvent) => void): this;
  on(event: 'fatal', listener: (err: CodedError) => void): this;
}

export abstract class LiveStream extends EventEmitter implements LiveStreamLike {
  readonly cameraId: string;
  readonly processTag: string;
  protected readonly log: Logger;
  private readonly viewers = new Map<Viewer, { synced: boolean }>();
  private readonly gop: GopCache;
  private readonly backoff: Backoff;
  private init: { codecs: string; data: Buffer } | null = null;
  private warm: boolean;
  private closed = false;
  private current: StreamState = 'stopped';
  private child: FfmpegChild | null = null;
  private loop: Promise<void> | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private liveSince: number | null = null;
  private counters = { bytesIn: 0, fragments: 0, restarts: 0 };

  constructor(private readonly opts: LiveStreamOptions) {
    super();
    this.cameraId = opts.cameraId;
    this.log = opts.logger;
    this.warm = opts.warm ?? false;
    this.gop = new GopCache(opts.gopCacheMaxBytes ?? DEFAULT_MAX_GOP);
    this.backoff = new Backoff({ initialMs: opts.backoff?.initialMs ?? 1000, maxMs: opts.backoff?.maxMs ?? 30_000, jitter: 0.5 });
    this.processTag = opts.processTag ?? `gwstream-${opts.cameraId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32)}-${randomBytes(4).toString('hex')}`;
    if (this.warm) this.ensureRunning();
  }

  /** ffmpeg's argv for this source URI (credentials included). */
  /** ffmpeg's argv, reading the camera from the private listing file (no credentials in argv). */
  protected abstract ffmpegArgs(listingFile: string): string[];
  /** A new ffmpeg is starting: forget any partial parse state. */
  protected abstract resetParser(): void;
  /** Bytes from ffmpeg's stdout → messages. Throws on garbage (the child is then restarted). */
  protected abstract parse(chunk: Buffer): StreamMessage[];
  /** The argv URI for the source: with credentials. */
  protected abstract sourceUri(src: SourceCredentials): string;

  get state(): StreamState {
    return this.current;
  }

  subscribe(viewer: Viewer): () => void {
    if (this.closed) throw streamError('STREAM_CLOSED', { cameraId: this.cameraId });
    const entry = { synced: false };
    this.viewers.set(viewer, entry);
    this.cancelIdle();
    if (this.init) {
      this.send(viewer, { kind: 'init', ...this.init });
      const gop = this.gop.fragments();
      for (const f of gop) this.send(viewer, { kind: 'fragment', data: f.data, keyframe: f.keyframe });
      entry.synced = gop.length > 0;
    }
    this.ensureRunning();
    return () => {
      if (!this.viewers.delete(viewer)) return;
      if (this.viewers.size === 0) this.scheduleIdleStop();
    };
  }

  setWarm(warm: boolean): void {
    if (this.closed || warm === this.warm) return;
    this.warm = warm;
    if (warm) {
      this.cancelIdle();
      this.ensureRunning();
    } else if (this.viewers.size === 0) this.scheduleIdleStop();
  }

  /** Ends the stream for good: kills ffmpeg (SIGTERM, SIGKILL after 2 s) and resolves once it exited. */
  async stop(): Promise<void> {
    this.closed = true;
    this.cancelIdle();
    this.viewers.clear();
    this.interrupt();
    await this.loop;
    this.setState('stopped');
  }

  stats(): StreamStats {
    return {
      state: this.current,
      running: this.child?.isRunning() ?? false,
      viewers: this.viewers.size,
      pid: this.child?.isRunning() ? (this.child.pid ?? null) : null,
      bytesIn: this.counters.bytesIn,
      fragments: this.counters.fragments,
      gopBytes: this.gop.bytes,
      restarts: this.counters.restarts,
    };
  }

  private wanted(): boolean {
    return !this.closed && (this.warm || this.viewers.size > 0);
  }

  private ensureRunning(): void {
    if (this.loop || !this.wanted()) return;
    this.loop = this.run()
      .catch((err: unknown) => this.log.error({ err }, 'stream supervisor failed'))
      .finally(() => {
        this.loop = null;
        // A viewer may have arrived while the last child was being stopped.
        if (this.wanted()) this.ensureRunning();
      });
  }

  private async run(): Promise<void> {
    let first = true;
    while (this.wanted()) {
      this.setState(first ? 'starting' : 'reconnecting');
      first = false;
      let src: SourceCredentials;
      try {
        src = await this.opts.source();
      } catch (err) {
        const coded = err instanceof CodedError ? err : streamError('STREAM_SOURCE_UNAVAILABLE', { cause: String(err).slice(0, 200) });
        this.log.warn({ code: coded.code }, 'camera source not resolved');
        if (coded.code === 'STREAM_UNKNOWN_CAMERA') {
          // Nothing a retry can fix: the stream ends for good and tells its sockets (closed 4404).
          this.closed = true;
          this.viewers.clear();
          this.emit('fatal', coded);
          break;
        }
        await this.pause(this.backoff.next());
        continue;
      }
      if (!this.wanted()) break;
      await this.runChild(src);
      if (!this.wanted()) break;
      this.counters.restarts += 1;
      this.setState('reconnecting');
      await this.pause(this.backoff.next());
    }
    this.setState('stopped');
  }

  private async runChild(src: SourceCredentials): Promise<void> {
    this.resetParser();
    this.init = null;
    this.gop.clear();
    this.liveSince = null;
    let lastData = Date.now();
    // The camera's URI with its password goes to ffmpeg in a private file, not in argv.
    const source = writeSourceFile(sourceListing(this.sourceUri(src)));
    const child = new FfmpegChild(this.opts.ffmpegPath ?? 'ffmpeg', this.ffmpegArgs(source.path), (chunk) => {
      source.remove(); // read by now
      lastData = Date.now();
      this.counters.bytesIn += chunk.length;
      this.onChunk(chunk, child);
    }, this.log);
    this.child = child;
    this.log.info({ pid: child.pid, uri: redactUri(src.uri), processTag: this.processTag }, 'ffmpeg started');
    const stallMs = this.opts.stallTimeoutMs ?? 20_000;
    const watchdog = setInterval(() => {
      if (Date.now() - lastData > stallMs && child.isRunning()) {
        this.log.warn({ pid: child.pid, stallMs }, 'no bytes from ffmpeg; restarting it');
        void child.stop();
      }
    }, Math.max(100, Math.min(1000, stallMs / 4)));
    this.wake = () => void child.stop();
    try {
      const code = await child.exited;
      if (this.wanted()) this.log.warn({ code, stderr: child.stderrTail() }, 'ffmpeg exited; will reconnect');
    } finally {
      source.remove();
      clearInterval(watchdog);
      this.wake = null;
      this.child = null;
      await child.stop();
      if (this.liveSince !== null && Date.now() - this.liveSince >= STABLE_AFTER_MS) this.backoff.reset();
    }
  }

  private onChunk(chunk: Buffer, child: FfmpegChild): void {
    let msgs: StreamMessage[];
    try {
      msgs = this.parse(chunk);
    } catch (err) {
      this.log.warn({ code: err instanceof CodedError ? err.code : 'INTERNAL' }, 'unparseable output from ffmpeg; restarting it');
      void child.stop();
      return;
    }
    for (const m of msgs) {
      if (m.kind === 'init') {
        this.init = { codecs: m.codecs, data: m.data };
        for (const [v, entry] of this.viewers) {
          entry.synced = false;
          this.send(v, m);
        }
        continue;
      }
      if (this.liveSince === null) {
        this.liveSince = Date.now();
        this.setState('live');
      }
      this.counters.fragments += 1;
      this.gop.push(m);
      for (const [v, entry] of this.viewers) {
        // A viewer starts at a keyframe: fragments before it cannot be decoded.
        if (!entry.synced && !m.keyframe) continue;
        entry.synced = true;
        this.send(v, m);
      }
      const atNs = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
      this.emit('fragment', { data: m.data, keyframe: m.keyframe, atNs } satisfies FragmentEvent);
    }
  }

  private send(viewer: Viewer, msg: StreamMessage): void {
    try {
      viewer(msg);
    } catch (err) {
      // One broken viewer must not starve the others.
      this.log.warn({ err }, 'viewer threw; unsubscribing it');
      this.viewers.delete(viewer);
      if (this.viewers.size === 0) this.scheduleIdleStop();
    }
  }

  private setState(state: StreamState): void {
    if (state === this.current) return;
    this.current = state;
    this.log.debug({ state }, 'stream state');
    this.emit('state', state);
  }

  private scheduleIdleStop(): void {
    if (this.warm || this.closed) return;
    this.cancelIdle();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (!this.wanted()) this.interrupt();
    }, this.opts.idleStopMs ?? 10_000);
  }

  private cancelIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** Stops the running child or cuts a backoff wait short; the loop then re-checks wanted(). */
  private interrupt(): void {
    this.wake?.();
  }

  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    }).finally(() => {
      this.wake = null;
    });
  }
}
