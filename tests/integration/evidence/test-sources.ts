// Test-side camera streams for the evidence tests: fragmented MP4 made by ffmpeg from a test
// pattern with the wall clock burned in, cut by our own splitter, served through the same
// FragmentSource contract as the gateway's CameraStream — including its fast start (a new viewer
// gets the last GOP again), which the recorder must not write twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Fmp4Splitter } from '../../../gateway/evidence/fmp4-splitter.ts';
import { fragmentInfo, videoTimescale } from '../../../gateway/evidence/fmp4.ts';
import type { FragmentSource, StreamMessage, Viewer } from '../../../gateway/evidence/fragment-source.ts';

export const FPS = 15;
export const GOP = 15; // one keyframe a second, as the field notes advise for alarm-linked cameras

export function ffmpegArgs(opts: { live: boolean; seconds?: number }): string[] {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    ...(opts.live ? ['-re'] : []),
    '-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=${FPS},drawtext=text='%{localtime\\:%T}':fontsize=28:fontcolor=white:box=1:boxcolor=black:x=8:y=8`,
    ...(opts.seconds ? ['-t', String(opts.seconds)] : []),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', String(GOP), '-pix_fmt', 'yuv420p',
    '-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov+default_base_moof+frag_every_frame', 'pipe:1',
  ];
}

export const mdatHash = (fragment: Buffer): string => createHash('sha1').update(fragment.subarray(fragment.indexOf('mdat') + 4)).digest('hex');

/** Subscribers, init and fast-start GOP, as CameraStream offers them. */
export class TestSource implements FragmentSource {
  private readonly viewers = new Set<Viewer>();
  private init: Extract<StreamMessage, { kind: 'init' }> | null = null;
  private gop: Extract<StreamMessage, { kind: 'fragment' }>[] = [];
  /** Every fragment sent, with when it went out: tests find a clip's frames here. */
  readonly sent: Array<{ hash: string; wallMs: number; decodeTime: bigint | null }> = [];
  subscribes = 0;

  subscribe(viewer: Viewer): () => void {
    this.subscribes++;
    this.viewers.add(viewer);
    if (this.init) viewer(this.init);
    for (const f of this.gop) viewer(f);
    return () => this.viewers.delete(viewer);
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  emit(msg: StreamMessage): void {
    if (msg.kind === 'init') this.init = msg;
    if (msg.kind === 'fragment') {
      if (msg.keyframe) this.gop = [];
      this.gop.push(msg);
      this.sent.push({ hash: mdatHash(msg.data), wallMs: Date.now(), decodeTime: fragmentInfo(msg.data).decodeTime });
    }
    for (const v of [...this.viewers]) v(msg);
  }
}

/** A live camera: ffmpeg -re, real time. */
export class LiveFfmpegSource extends TestSource {
  private readonly child: ChildProcess;
  private readonly closed: Promise<void>;

  constructor() {
    super();
    const splitter = new Fmp4Splitter();
    this.child = spawn('ffmpeg', ffmpegArgs({ live: true }), { stdio: ['ignore', 'pipe', 'ignore'] });
    this.child.stdout!.on('data', (chunk: Buffer) => {
      for (const m of splitter.push(chunk)) this.emit(m);
    });
    this.closed = new Promise((resolve) => this.child.once('close', () => resolve()));
  }

  /** Kills ffmpeg. announce: also tell viewers the stream ended (else they see only silence). */
  async stop(announce = false): Promise<void> {
    this.child.stdout!.removeAllListeners('data');
    this.child.kill('SIGKILL');
    await this.closed;
    if (announce) this.emit({ kind: 'end', reason: 'test stopped the camera' });
  }
}

/** Recorded video played out as fast as the test likes: media time, not wall time, drives the
 * evidence code, so 30 s of pre-alarm video takes milliseconds. */
export class ReplaySource extends TestSource {
  private readonly messages: StreamMessage[] = [];
  private readonly timescale: number;
  private next = 0;

  constructor(fmp4: Buffer) {
    super();
    this.messages = new Fmp4Splitter().push(fmp4);
    const init = this.messages[0];
    this.timescale = (init?.kind === 'init' && videoTimescale(init.data)) || 0;
    if (!this.timescale) throw new Error('recording has no video init segment');
  }

  get fragmentCount(): number {
    return this.messages.length - 1;
  }

  /** Sends the init and then fragments up to (not including) media time `untilMs`. */
  playUntil(untilMs: number): void {
    while (this.next < this.messages.length) {
      const m = this.messages[this.next]!;
      if (m.kind === 'fragment' && (Number(fragmentInfo(m.data).decodeTime ?? 0n) * 1000) / this.timescale >= untilMs) return;
      this.emit(m);
      this.next++;
    }
  }
}

export function generateFmp4(seconds: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ffmpegArgs({ live: false, seconds }), { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`ffmpeg failed (${code}): ${err}`));
    });
  });
}

export interface ProbedClip {
  codec: string;
  duration: number;
  startTime: number;
  frames: Array<{ key: boolean; pts: number }>;
  /** Decoder complaints while reading every frame: empty for a clean clip. */
  errors: string;
}

export function probeClip(file: string): Promise<ProbedClip> {
  return new Promise((resolve, reject) => {
    const args = ['-v', 'error', '-select_streams', 'v', '-show_entries', 'format=duration,start_time:stream=codec_name:frame=key_frame,pts_time', '-show_frames', '-of', 'json', file];
    const child = spawn('ffprobe', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`ffprobe failed (${code}): ${err}`));
      const j = JSON.parse(Buffer.concat(out).toString()) as {
        format: { duration: string; start_time: string };
        streams: Array<{ codec_name: string }>;
        frames: Array<{ key_frame: number; pts_time: string }>;
      };
      resolve({
        codec: j.streams[0]?.codec_name ?? '',
        duration: Number(j.format.duration),
        startTime: Number(j.format.start_time),
        frames: j.frames.map((f) => ({ key: f.key_frame === 1, pts: Number(f.pts_time) })),
        errors: err,
      });
    });
  });
}
