// Test-side tools for the camera media tests: run ffmpeg/ffprobe with a deadline, a raw RTSP
// client that speaks Digest, JPEG and process checks. Every child and socket made here is
// tracked, and cleanup() ends whatever a failed test left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { digestResponse } from '../../../simulators/camera/rtsp/digest.ts';
import { RtspStreamParser, type RtspResponseMessage } from '../../../simulators/camera/rtsp/rtsp-message.ts';

const children = new Set<ChildProcess>();
const sockets = new Set<Socket>();

export interface RunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs a tool to completion; killed (SIGKILL) after timeoutMs. */
export function run(cmd: string, args: string[], timeoutMs = 20000, stdin?: Buffer): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    children.add(child);
    const out: Buffer[] = [];
    let err = '';
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => {
      if (err.length < 20000) err += c.toString('utf8');
    });
    if (stdin) {
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(stdin);
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout: Buffer.concat(out), stderr: err });
    });
  });
}

export async function cleanup(): Promise<void> {
  for (const c of children) c.kill('SIGKILL');
  for (const s of sockets) s.destroy();
  sockets.clear();
}

export function withCredentials(url: string, user: string, pass: string): string {
  return url.replace('rtsp://', `rtsp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@`);
}

export async function ffprobeStream(url: string): Promise<{ code: number | null; stream?: { codec_name: string; width: number; height: number; profile: string }; stderr: string }> {
  const r = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-select_streams', 'v', '-show_entries', 'stream=codec_name,width,height,profile', '-of', 'json', url]);
  if (r.code !== 0) return { code: r.code, stderr: r.stderr };
  const parsed = JSON.parse(r.stdout.toString('utf8')) as { streams?: Array<{ codec_name: string; width: number; height: number; profile: string }> };
  const stream = parsed.streams?.[0];
  return stream ? { code: r.code, stream, stderr: r.stderr } : { code: r.code, stderr: r.stderr };
}

/** key_frame flags (1/0) of every video frame ffprobe decodes in the first `seconds`. */
export async function keyframeFlags(url: string, seconds: number): Promise<number[]> {
  const r = await run('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-select_streams', 'v', '-show_frames', '-show_entries', 'frame=key_frame', '-of', 'csv=p=0', '-read_intervals', `%+${seconds}`, url], (seconds + 15) * 1000);
  if (r.code !== 0) throw new Error(`ffprobe failed: ${r.stderr}`);
  return r.stdout.toString('utf8').trim().split('\n').filter(Boolean).map((l) => Number(l.trim().split(',')[0]));
}

/** Frames an ffmpeg client decodes (framecrc lines) before stopping after `frames`. */
export async function framesReceived(url: string, frames: number): Promise<{ code: number | null; frames: number; stderr: string }> {
  const r = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-rtsp_transport', 'tcp', '-i', url, '-an', '-frames:v', String(frames), '-f', 'framecrc', '-'], 30000);
  const lines = r.stdout.toString('utf8').split('\n').filter((l) => l.length > 0 && !l.startsWith('#'));
  return { code: r.code, frames: lines.length, stderr: r.stderr };
}

/** Width and height from a JPEG's start-of-frame marker. */
export function jpegSize(jpeg: Buffer): { width: number; height: number } | null {
  let off = 2;
  // Walk marker segments; each step moves forward by the segment length.
  while (off + 9 < jpeg.length) {
    if (jpeg[off] !== 0xff) return null;
    const marker = jpeg.readUInt8(off + 1);
    const len = jpeg.readUInt16BE(off + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: jpeg.readUInt16BE(off + 5), width: jpeg.readUInt16BE(off + 7) };
    }
    off += 2 + len;
  }
  return null;
}

/** Grey pixels of a rectangle of a JPEG, decoded by ffmpeg. */
export async function cropGray(jpeg: Buffer, x: number, y: number, w: number, h: number): Promise<Buffer> {
  const r = await run('ffmpeg', ['-hide_banner', '-v', 'error', '-f', 'image2pipe', '-c:v', 'mjpeg', '-i', 'pipe:0', '-vf', `crop=${w}:${h}:${x}:${y}`, '-pix_fmt', 'gray', '-f', 'rawvideo', 'pipe:1'], 10000, jpeg);
  if (r.code !== 0) throw new Error(`ffmpeg crop failed: ${r.stderr}`);
  return r.stdout;
}

/** PIDs whose command line contains `tag` (our ffmpeg marker). */
export async function pidsWithTag(tag: string): Promise<number[]> {
  const r = await run('pgrep', ['-f', tag], 5000);
  return r.stdout.toString('utf8').split('\n').filter(Boolean).map(Number);
}

/** A bare RTSP client: one request at a time, Digest answered when asked to. */
export class RawRtspClient {
  private readonly socket: Socket;
  private readonly parser = new RtspStreamParser({ maxHeaderBytes: 16384, maxBodyBytes: 65536 });
  private cseq = 0;
  private pending: ((r: RtspResponseMessage) => void) | null = null;
  interleavedBytes = 0;
  closed = false;
  private auth: { realm: string; nonce: string } | null = null;

  private constructor(socket: Socket) {
    this.socket = socket;
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => {
      for (const item of this.parser.push(chunk)) {
        if (item.kind === 'interleaved') this.interleavedBytes += item.payload.length;
        else if (item.kind === 'response' && this.pending) {
          const p = this.pending;
          this.pending = null;
          p(item.response);
        }
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
    });
  }

  static connect(port: number): Promise<RawRtspClient> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new RawRtspClient(s)));
      s.once('error', reject);
    });
  }

  /** Stops reading: the kernel buffers fill and the server sees a client that cannot keep up. */
  stopReading(): void {
    this.socket.pause();
  }

  close(): void {
    this.socket.destroy();
  }

  request(method: string, uri: string, headers: Record<string, string> = {}, creds?: { user: string; pass: string }): Promise<RtspResponseMessage> {
    const all: Record<string, string> = { CSeq: String(++this.cseq), ...headers };
    if (creds && this.auth) {
      const response = digestResponse({ username: creds.user, realm: this.auth.realm, password: creds.pass, method, uri, nonce: this.auth.nonce });
      all['Authorization'] = `Digest username="${creds.user}", realm="${this.auth.realm}", nonce="${this.auth.nonce}", uri="${uri}", response="${response}"`;
    }
    let text = `${method} ${uri} RTSP/1.0\r\n`;
    for (const [k, v] of Object.entries(all)) text += `${k}: ${v}\r\n`;
    text += '\r\n';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer`)), 15000);
      this.pending = (r) => {
        clearTimeout(timer);
        const challenge = r.headers.get('www-authenticate');
        const m = challenge ? /realm="([^"]*)".*nonce="([^"]*)"/.exec(challenge) : null;
        if (m) this.auth = { realm: m[1] ?? '', nonce: m[2] ?? '' };
        resolve(r);
      };
      this.socket.write(text);
    });
  }

  /** Sends the request; on 401 answers the challenge once. */
  async authed(method: string, uri: string, creds: { user: string; pass: string }, headers: Record<string, string> = {}): Promise<RtspResponseMessage> {
    const first = await this.request(method, uri, headers, creds);
    if (first.status !== 401 || !this.auth) return first;
    return this.request(method, uri, headers, creds);
  }
}
