// The timecode strip end to end: the simulator's own picture graph through ffmpeg (raw, and
// through H.264 at a camera's bitrate), decoded by tests/support/timecode.ts, must read back the
// wall-clock time of day at which each frame was made.
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { encoderArgs, localMidnight, pictureGraph, timecodeLayout } from '../../simulators/camera/rtsp/ffmpeg-args.ts';
import { decodeTimecode, paintTimecode } from './timecode.ts';

const W = 640;
const H = 360;
const FPS = 15;

describe('timecode decoder (pure)', () => {
  const tc = timecodeLayout(W, H);
  const strip = { ...tc, x: 0, y: 0 };
  const stride = tc.blockW * tc.bits;

  it('reads back what is painted, in gray and in RGBA', () => {
    for (const ms of [0, 1, 2, 999, 43_200_123, 86_399_999, 2 ** 27 - 1]) {
      expect(decodeTimecode(paintTimecode(ms, strip, stride, tc.blockH), stride, 1, strip)).toBe(ms);
      expect(decodeTimecode(paintTimecode(ms, strip, stride, tc.blockH, 4), stride, 4, strip)).toBe(ms);
    }
  });

  it('refuses a flipped block (parity), a grey block and a missing strip', () => {
    const px = paintTimecode(12_345_678, strip, stride, tc.blockH);
    const flipped = px.map((v, i) => (i % stride >= 3 * tc.blockW && i % stride < 4 * tc.blockW ? 255 - v : v));
    expect(decodeTimecode(flipped, stride, 1, strip)).toBeNull();
    const grey = px.map((v, i) => (i % stride < tc.blockW ? 128 : v));
    expect(decodeTimecode(grey, stride, 1, strip)).toBeNull();
    expect(decodeTimecode(new Uint8Array(stride * tc.blockH).fill(128), stride, 1, strip)).toBeNull();
    expect(decodeTimecode(new Uint8Array(10), stride, 1, strip)).toBeNull();
  });
});

/** Reads whole frames of `size` bytes from a child's stdout; `Date.now()` when each arrived. */
function frames(child: ChildProcess, size: number, count: number): Promise<Array<{ at: number; px: Buffer }>> {
  return new Promise((resolve, reject) => {
    const out: Array<{ at: number; px: Buffer }> = [];
    let buf = Buffer.alloc(0);
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => reject(new Error(`timed out after ${out.length} frames: ${err}`)), 20000);
    child.stdout?.on('data', (d: Buffer) => {
      const at = Date.now();
      buf = Buffer.concat([buf, d]);
      while (buf.length >= size && out.length < count) {
        out.push({ at, px: buf.subarray(0, size) });
        buf = buf.subarray(size);
      }
      if (out.length >= count) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.once('exit', (code) => {
      if (out.length < count) {
        clearTimeout(timer);
        reject(new Error(`ffmpeg exited ${code} after ${out.length} frames: ${err}`));
      }
    });
  });
}

describe('timecode strip in the simulated picture', () => {
  const tc = timecodeLayout(W, H);
  const stripW = tc.blockW * tc.bits;
  const size = stripW * tc.blockH;
  const strip = { ...tc, x: 0, y: 0 };
  const midnight = localMidnight(Date.now());
  const graph = pictureGraph({ cameraName: 'timecode', width: W, height: H, fps: FPS, localMidnightMs: midnight, fontFile: null });
  const toGrayStrip = ['-vf', `crop=${stripW}:${tc.blockH}:${tc.x}:${tc.y}`, '-f', 'rawvideo', '-pix_fmt', 'gray', '-flush_packets', '1', 'pipe:1'];
  const children: ChildProcess[] = [];
  const run = (args: string[], stdin: 'ignore' | 'pipe' = 'ignore'): ChildProcess => {
    const c = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], { stdio: [stdin, 'pipe', 'pipe'] });
    children.push(c);
    return c;
  };
  const killAll = (): void => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  };

  // Decoding is what is tested here; how close to the wall clock is the video bench's job (this
  // machine is shared: the bounds below only catch a wrong decode, not a slow one).
  it('reads back the time each raw frame was made, close to when it was grabbed', async () => {
    try {
      const got = await frames(run(['-f', 'lavfi', '-i', graph, ...toGrayStrip]), size, 20);
      for (const f of got) {
        const ms = decodeTimecode(f.px, stripW, 1, strip);
        expect(ms).not.toBeNull();
        const lag = f.at - midnight - ms!;
        expect(lag).toBeGreaterThanOrEqual(-5);
        expect(lag).toBeLessThan(2000);
      }
    } finally {
      killAll();
    }
  });

  it('survives H.264 at the camera settings: every frame decodes, one frame interval apart, close to the wall clock', async () => {
    try {
      const enc = encoderArgs({ cameraName: 'timecode', width: W, height: H, fps: FPS, localMidnightMs: midnight, fontFile: null, keyframeIntervalS: 1, bitrateKbps: 300, publishUrl: 'x', processTag: 'timecode-test' });
      // The camera's encoder, writing an elementary stream instead of publishing over RTSP.
      const encoder = run([...enc.slice(enc.indexOf('-f'), enc.indexOf('-metadata')), '-f', 'h264', 'pipe:1']);
      const decoder = run(['-threads', '1', '-flags', 'low_delay', '-probesize', '32', '-f', 'h264', '-i', 'pipe:0', ...toGrayStrip], 'pipe');
      encoder.stdout!.pipe(decoder.stdin!);
      decoder.stdin!.on('error', () => undefined);
      const got = await frames(decoder, size, 45);
      const decoded = got.map((f) => ({ at: f.at, ms: decodeTimecode(f.px, stripW, 1, strip) }));
      expect(decoded.every((d) => d.ms !== null)).toBe(true);
      for (let i = 1; i < decoded.length; i++) {
        const step = decoded[i]!.ms! - decoded[i - 1]!.ms!;
        expect(step).toBeGreaterThan(0);
        expect(step).toBeLessThan((1000 / FPS) * 6);
      }
      // After start-up (probing) the decoder keeps up: the last second is close to the wall clock.
      for (const d of decoded.slice(-15)) {
        const lag = d.at - midnight - d.ms!;
        expect(lag).toBeGreaterThanOrEqual(-5);
        expect(lag).toBeLessThan(2000);
      }
    } finally {
      killAll();
    }
  });
});
