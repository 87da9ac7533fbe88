// The media side of a simulated ONVIF camera: a live RTSP H.264 stream per profile and JPEG
// snapshots, both made by ffmpeg, behind RTSP Digest auth like a real camera. Encoders start on
// the first DESCRIBE/PLAY of a profile and stop idleStopMs after its last viewer left, so a site
// of cameras nobody watches costs no encoding. How it fits together: ./rtsp/README.md.
import { randomBytes } from 'node:crypto';
import { componentLogger, createRootLogger, type Logger } from '../../common/logger.ts';
import { BackchannelRecorder, type BackchannelRecording } from './rtsp/backchannel-recorder.ts';
import { MicrophoneTone } from './rtsp/backchannel-tone.ts';
import { cameraMediaError } from './rtsp/errors.ts';
import { findFontFile, localMidnight, snapshotArgs } from './rtsp/ffmpeg-args.ts';
import { FfmpegProcess } from './rtsp/ffmpeg-process.ts';
import { IngestServer } from './rtsp/ingest-server.ts';
import { ProfileStream } from './rtsp/profile-stream.ts';
import { RtspCameraServer } from './rtsp/rtsp-server.ts';

export interface MediaProfile {
  token: string;
  width: number;
  height: number;
  fps: number;
  keyframeIntervalS: number;
  bitrateKbps?: number;
}

export interface CameraMediaOptions {
  cameraName: string;
  username: string;
  password: string;
  /** 0 = random. */
  rtspPort?: number;
  profiles: MediaProfile[];
  /** Stop a profile's ffmpeg this long after its last client left; default 5000. */
  idleStopMs?: number;
  logger?: Logger;
  /** How long snapshot() lets its ffmpeg run; default 10000. */
  snapshotTimeoutMs?: number;
  /** Bytes queued to one RTSP client beyond which it is dropped; default 2 MiB. */
  maxClientBufferBytes?: number;
  /** A PCMU 8 kHz microphone track (an 800 Hz tone) next to the video; default true. */
  audio?: boolean;
  /**
   * The ONVIF audio backchannel (`Require: www.onvif.org/ver20/backchannel`); what clients send
   * is recorded (backchannelRecording()). Default false: like a camera without a speaker, a
   * DESCRIBE that requires it is answered 551.
   */
  backchannel?: boolean;
}

/** A snapshot is one JPEG; anything bigger than this is not one. */
const MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;

export class CameraMedia {
  /** In every ffmpeg command line we start (`-metadata title=<tag>`), so `pgrep -f <tag>` finds them. */
  readonly processTag: string;
  private readonly log: Logger;
  private readonly profiles: MediaProfile[];
  private readonly fontFile = findFontFile();
  private readonly streams = new Map<string, ProfileStream>();
  private readonly snapshots = new Set<FfmpegProcess>();
  private ingest: IngestServer | null = null;
  private server: RtspCameraServer | null = null;
  private tone: MicrophoneTone | null = null;
  private readonly speaker = new BackchannelRecorder();

  constructor(private readonly opts: CameraMediaOptions) {
    validate(opts);
    this.profiles = opts.profiles.map((p) => ({ ...p }));
    this.processTag = `camsim-${opts.cameraName.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32)}-${randomBytes(4).toString('hex')}`;
    this.log = opts.logger ?? componentLogger(createRootLogger('camsim', process.env.LOG_LEVEL ?? 'warn'), 'camera-media', { camera: opts.cameraName });
  }

  async start(): Promise<void> {
    if (this.server) return;
    const ingest = new IngestServer(this.log);
    await ingest.start();
    this.ingest = ingest;
    for (const p of this.profiles) {
      this.streams.set(
        p.token,
        new ProfileStream(
          { token: p.token, width: p.width, height: p.height, fps: p.fps, keyframeIntervalS: p.keyframeIntervalS, bitrateKbps: p.bitrateKbps ?? defaultBitrateKbps(p) },
          { cameraName: this.opts.cameraName, processTag: this.processTag, ingest, idleStopMs: this.opts.idleStopMs ?? 5000, fontFile: this.fontFile, log: this.log },
        ),
      );
    }
    const server = new RtspCameraServer({
      cameraName: this.opts.cameraName,
      username: this.opts.username,
      password: this.opts.password,
      realm: `camsim ${this.opts.cameraName.replace(/["\\\x00-\x1f]/g, '')}`,
      port: this.opts.rtspPort ?? 0,
      streams: this.streams,
      log: this.log,
      twoWayAudio: { tone: this.microphone(), recorder: this.opts.backchannel ? this.speaker : null },
      ...(this.opts.maxClientBufferBytes !== undefined ? { maxClientBufferBytes: this.opts.maxClientBufferBytes } : {}),
    });
    try {
      await server.start();
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.server = server;
    this.log.info({ port: server.port }, 'camera media listening');
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.stop();
    this.tone?.stop();
    await Promise.all([...this.streams.values()].map((s) => s.close()));
    this.streams.clear();
    await Promise.all([...this.snapshots].map((p) => p.stop()));
    this.snapshots.clear();
    await this.ingest?.stop();
    this.ingest = null;
  }

  rtspUrl(profileToken: string): string {
    if (!this.server) throw cameraMediaError('CAMERA_MEDIA_NOT_STARTED');
    if (!this.profiles.some((p) => p.token === profileToken)) throw cameraMediaError('CAMERA_MEDIA_UNKNOWN_PROFILE', { profileToken });
    return `rtsp://127.0.0.1:${this.server.port}/${profileToken}`;
  }

  /** A JPEG of the profile's size (default: the first profile) with the name and time burned in, from a one-shot ffmpeg. */
  async snapshot(profileToken?: string): Promise<Buffer> {
    if (!this.server) throw cameraMediaError('CAMERA_MEDIA_NOT_STARTED');
    const profile = profileToken === undefined ? this.profiles[0] : this.profiles.find((p) => p.token === profileToken);
    if (!profile) throw cameraMediaError('CAMERA_MEDIA_UNKNOWN_PROFILE', { profileToken });
    const timeoutMs = this.opts.snapshotTimeoutMs ?? 10_000;
    const args = snapshotArgs({
      cameraName: this.opts.cameraName,
      width: profile.width,
      height: profile.height,
      fps: profile.fps,
      localMidnightMs: localMidnight(Date.now()),
      fontFile: this.fontFile,
      processTag: this.processTag,
    });
    const proc = new FfmpegProcess(args, this.log, { stdout: 'pipe' });
    this.snapshots.add(proc);
    const chunks: Buffer[] = [];
    let bytes = 0;
    let tooBig = false;
    proc.stdout?.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_SNAPSHOT_BYTES) tooBig = true;
      else chunks.push(chunk);
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([proc.exited, timedOut]);
      if (outcome === 'timeout') throw cameraMediaError('CAMERA_MEDIA_SNAPSHOT_TIMEOUT', { timeoutMs });
      const jpeg = Buffer.concat(chunks);
      if (outcome !== 0 || tooBig || jpeg.length < 4 || jpeg.readUInt16BE(0) !== 0xffd8) {
        throw cameraMediaError('CAMERA_MEDIA_SNAPSHOT_FAILED', { code: outcome, bytes, stderr: proc.stderrTail() });
      }
      return jpeg;
    } finally {
      if (timer) clearTimeout(timer);
      await proc.stop();
      this.snapshots.delete(proc);
    }
  }

  /** What clients sent on the backchannel, decoded to 8 kHz PCM16 (bounded to 120 s). */
  backchannelRecording(): BackchannelRecording {
    return this.speaker.recording();
  }

  clearBackchannel(): void {
    this.speaker.clear();
  }

  /** Resolves once at least `seconds` of backchannel audio is recorded; rejects after timeoutMs. */
  waitForBackchannelAudio(seconds: number, timeoutMs = 10_000): Promise<void> {
    return this.speaker.waitForAudio(seconds, timeoutMs);
  }

  /** Backchannel sessions playing now (set up and played, not yet torn down or disconnected). */
  backchannelSessions(): number {
    return this.speaker.sessions();
  }

  private microphone(): MicrophoneTone | null {
    if (this.opts.audio === false) return null;
    this.tone ??= new MicrophoneTone();
    return this.tone;
  }

  /** RTSP sessions playing now. */
  clients(): number {
    return this.server?.playing() ?? 0;
  }

  /** ffmpeg processes running now: stream encoders plus any snapshot in progress. */
  encoders(): number {
    let n = 0;
    for (const s of this.streams.values()) if (s.encoderRunning()) n++;
    for (const p of this.snapshots) if (p.isRunning()) n++;
    return n;
  }
}

function defaultBitrateKbps(p: MediaProfile): number {
  // About 0.1 bit per pixel: plenty for a synthetic picture at ultrafast.
  return Math.round((p.width * p.height * p.fps * 0.1) / 1000);
}

function validate(o: CameraMediaOptions): void {
  const problems: string[] = [];
  if (!o.cameraName) problems.push('cameraName: required');
  if (!o.username) problems.push('username: required');
  if (o.profiles.length === 0) problems.push('profiles: at least one');
  const seen = new Set<string>();
  o.profiles.forEach((p, i) => {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(p.token)) problems.push(`profiles[${i}].token: letters, digits, _ . - only`);
    if (seen.has(p.token)) problems.push(`profiles[${i}].token: duplicate`);
    seen.add(p.token);
    if (!Number.isInteger(p.width) || !Number.isInteger(p.height) || p.width < 16 || p.height < 16 || p.width % 2 || p.height % 2 || p.width > 4096 || p.height > 4096)
      problems.push(`profiles[${i}]: width/height must be even integers in 16..4096`);
    if (!(p.fps > 0 && p.fps <= 60)) problems.push(`profiles[${i}].fps: 1..60`);
    if (!(p.keyframeIntervalS > 0 && p.keyframeIntervalS <= 60)) problems.push(`profiles[${i}].keyframeIntervalS: 0..60`);
  });
  if (o.rtspPort !== undefined && !(Number.isInteger(o.rtspPort) && o.rtspPort >= 0 && o.rtspPort <= 65535)) problems.push('rtspPort: 0..65535');
  if (problems.length > 0) throw cameraMediaError('CAMERA_MEDIA_CONFIG', { problems }, problems.join('; '));
}
