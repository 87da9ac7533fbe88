// Test-side helpers for the live stream tests: a simulated camera per test, a viewer that records
// what it got, ffprobe on what was collected, and process checks by marker.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRootLogger, type Logger } from '../../../common/logger.ts';
import type { StreamMessage } from '../../../gateway/streams/live-stream.ts';
import { CameraMedia, type MediaProfile } from '../../../simulators/camera/camera-media.ts';

export const USER = 'operator';
export const PASS = 'stream-pass';
// Modest CPU: 640x360@15 with a keyframe every second.
export const PROFILES: MediaProfile[] = [{ token: 'main', width: 640, height: 360, fps: 15, keyframeIntervalS: 1 }];

export const testLogger = (): Logger => createRootLogger('streams-test', process.env.LOG_LEVEL ?? 'warn');

export async function startCamera(name: string, rtspPort = 0): Promise<CameraMedia> {
  const cam = new CameraMedia({ cameraName: name, username: USER, password: PASS, rtspPort, idleStopMs: 2000, profiles: PROFILES });
  await cam.start();
  return cam;
}

export function sourceOf(cam: CameraMedia, port?: number): () => Promise<{ uri: string; username: string; password: string }> {
  // With a fixed port the URI survives the camera being replaced (a "rebooted" camera).
  const uri = port ? `rtsp://127.0.0.1:${port}/main` : cam.rtspUrl('main');
  return async () => ({ uri, username: USER, password: PASS });
}

/** A viewer that keeps everything it was sent. */
export function recorder(): { viewer: (m: StreamMessage) => void; msgs: StreamMessage[]; fragments: () => Array<Extract<StreamMessage, { kind: 'fragment' }>> } {
  const msgs: StreamMessage[] = [];
  return {
    viewer: (m) => msgs.push(m),
    msgs,
    fragments: () => msgs.filter((m): m is Extract<StreamMessage, { kind: 'fragment' }> => m.kind === 'fragment'),
  };
}

export function run(cmd: string, args: string[], timeoutMs = 20000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      if (err.length < 20000) err += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: out, stderr: err });
    });
  });
}

/** The first video stream ffprobe finds in these bytes (written to a temp file). */
export async function probeBytes(data: Buffer, ext: string): Promise<{ codec_name?: string; width?: number; height?: number; frames?: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'streams-'));
  const file = join(dir, `out.${ext}`);
  writeFileSync(file, data);
  try {
    const r = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'json', file]);
    if (r.code !== 0) throw new Error(`ffprobe failed: ${r.stderr}`);
    const s = (JSON.parse(r.stdout) as { streams?: Array<{ codec_name?: string; width?: number; height?: number; nb_read_frames?: string }> }).streams?.[0];
    return { ...(s?.codec_name ? { codec_name: s.codec_name } : {}), ...(s?.width ? { width: s.width, height: s.height ?? 0 } : {}), frames: Number(s?.nb_read_frames ?? 0) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** PIDs whose command line contains `tag` (our ffmpeg marker). */
export async function pidsWithTag(tag: string): Promise<number[]> {
  const r = await run('pgrep', ['-f', tag], 5000);
  return r.stdout.split('\n').filter(Boolean).map(Number);
}
