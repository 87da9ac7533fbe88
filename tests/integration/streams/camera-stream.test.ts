// CameraStream over real ffmpeg against the simulated camera on loopback: what a viewer gets,
// one ffmpeg per camera, the GOP cache for late joiners, idle stop, warm, reconnect, stop.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CameraStream } from '../../../gateway/streams/camera-stream.ts';
import type { StreamState } from '../../../gateway/streams/live-stream.ts';
import type { CameraMedia } from '../../../simulators/camera/camera-media.ts';
import { until } from '../../support/until.ts';
import { pidsWithTag, probeBytes, recorder, sourceOf, startCamera, testLogger } from './stream-tools.ts';

const cams: CameraMedia[] = [];
const streams: CameraStream[] = [];

async function setup(name: string, opts: { idleStopMs?: number; warm?: boolean; port?: number } = {}): Promise<{ cam: CameraMedia; stream: CameraStream }> {
  const cam = await startCamera(name, opts.port ?? 0);
  cams.push(cam);
  const stream = new CameraStream({
    cameraId: name,
    source: sourceOf(cam, opts.port),
    logger: testLogger(),
    idleStopMs: opts.idleStopMs ?? 60_000,
    warm: opts.warm ?? false,
    backoff: { initialMs: 300, maxMs: 2000 },
  });
  streams.push(stream);
  return { cam, stream };
}

afterEach(async () => {
  for (const s of streams.splice(0)) {
    await s.stop();
    expect(await pidsWithTag(s.processTag)).toEqual([]);
  }
  for (const c of cams.splice(0)) await c.stop();
});

describe('camera stream (fMP4 copy-remux)', () => {
  it('sends a viewer the init, then keyframe-first fragments that ffprobe reads as 640x360 H.264', async () => {
    const { stream } = await setup('cs-first');
    const rec = recorder();
    stream.subscribe(rec.viewer);
    await until(() => rec.fragments().length >= 40, 20000, '40 fragments');
    const first = rec.msgs[0];
    expect(first?.kind).toBe('init');
    expect(first?.kind === 'init' && first.codecs).toMatch(/^avc1\.42[0-9A-F]{4}(,mp4a\.40\.2)?$/);
    expect(stream.codecs).toBe(first?.kind === 'init' ? first.codecs : null);
    expect(rec.fragments()[0]?.keyframe).toBe(true);
    // 1 s keyframes at 15 fps: more than one GOP seen, each starting with a keyframe.
    expect(rec.fragments().filter((f) => f.keyframe).length).toBeGreaterThanOrEqual(2);
    const probe = await probeBytes(Buffer.concat(rec.msgs.map((m) => m.data)), 'mp4');
    expect(probe.codec_name).toBe('h264');
    expect([probe.width, probe.height]).toEqual([640, 360]);
    expect(probe.frames).toBeGreaterThanOrEqual(20);
    expect(stream.state).toBe('live');
  });

  it('serves two viewers from one ffmpeg', async () => {
    const { stream } = await setup('cs-two');
    const a = recorder();
    const b = recorder();
    stream.subscribe(a.viewer);
    stream.subscribe(b.viewer);
    await until(() => a.fragments().length >= 10 && b.fragments().length >= 10, 20000, 'both viewers fed');
    expect(await pidsWithTag(stream.processTag)).toHaveLength(1);
    expect(stream.stats()).toMatchObject({ running: true, viewers: 2, restarts: 0 });
    expect(stream.stats().pid).toBe((await pidsWithTag(stream.processTag))[0]);
  });

  it('starts a late viewer at once from the cached GOP, keyframe first, before the next live keyframe', async () => {
    const { stream } = await setup('cs-late');
    const first = recorder();
    stream.subscribe(first.viewer);
    // Join in the middle of a GOP: a few fragments after a keyframe.
    await until(() => {
      const f = first.fragments();
      const lastKey = f.map((x) => x.keyframe).lastIndexOf(true);
      return lastKey >= 0 && f.length - lastKey >= 5 && f.length - lastKey <= 10;
    }, 20000, 'mid-GOP');
    const late = recorder();
    stream.subscribe(late.viewer);
    // Delivered synchronously inside subscribe(): no waiting for the camera's next keyframe.
    expect(late.msgs[0]?.kind).toBe('init');
    const cached = late.fragments();
    expect(cached.length).toBeGreaterThanOrEqual(5);
    expect(cached[0]?.keyframe).toBe(true);
    expect(cached.slice(1).every((f) => !f.keyframe)).toBe(true);
    expect(stream.stats().gopBytes).toBe(cached.reduce((n, f) => n + f.data.length, 0));
    // And it continues live, decodable as one stream.
    await until(() => late.fragments().length >= cached.length + 20, 20000, 'live after the GOP');
    const probe = await probeBytes(Buffer.concat(late.msgs.map((m) => m.data)), 'mp4');
    expect(probe.codec_name).toBe('h264');
  });

  it('stops ffmpeg idleStopMs after the last viewer left, leaving no process', async () => {
    const { stream } = await setup('cs-idle', { idleStopMs: 800 });
    const rec = recorder();
    const states: StreamState[] = [];
    stream.on('state', (s) => states.push(s));
    const unsubscribe = stream.subscribe(rec.viewer);
    await until(() => stream.state === 'live', 20000, 'live');
    unsubscribe();
    expect(stream.stats().running).toBe(true); // still within the idle period
    await until(() => stream.state === 'stopped', 10000, 'idle stop');
    expect(await pidsWithTag(stream.processTag)).toEqual([]);
    expect(stream.stats()).toMatchObject({ running: false, viewers: 0, pid: null });
    expect(states).toEqual(['starting', 'live', 'stopped']);
    // A new viewer starts it again.
    const again = recorder();
    stream.subscribe(again.viewer);
    await until(() => again.fragments().length > 0, 20000, 'restarted on demand');
    expect(again.fragments()[0]?.keyframe).toBe(true);
  });

  it('keeps a warm stream running with its GOP cached while nobody watches', async () => {
    const { stream } = await setup('cs-warm', { warm: true, idleStopMs: 300 });
    await until(() => stream.state === 'live' && stream.stats().gopBytes > 0, 20000, 'warm and cached');
    const pid = stream.stats().pid;
    await sleep(1200); // well past idleStopMs
    expect(stream.stats()).toMatchObject({ running: true, pid, viewers: 0 });
    expect(stream.stats().gopBytes).toBeGreaterThan(0);
    stream.setWarm(false);
    await until(() => stream.state === 'stopped', 10000, 'stops once cold');
    expect(await pidsWithTag(stream.processTag)).toEqual([]);
  });

  it('reports reconnecting when the camera goes away and live again once it is back on the same port', async () => {
    const probe = await startCamera('cs-port-probe');
    const port = Number(new URL(probe.rtspUrl('main')).port);
    await probe.stop();
    const { cam, stream } = await setup('cs-reconnect', { port });
    const states: StreamState[] = [];
    stream.on('state', (s) => states.push(s));
    const rec = recorder();
    stream.subscribe(rec.viewer);
    await until(() => stream.state === 'live', 20000, 'live');
    await cam.stop();
    await until(() => stream.state === 'reconnecting', 15000, 'reconnecting');
    await sleep(1000); // a few failed attempts against a closed port
    const back = await startCamera('cs-reconnect', port);
    cams.push(back);
    const initsBefore = rec.msgs.filter((m) => m.kind === 'init').length;
    await until(() => stream.state === 'live', 30000, 'live again');
    expect(states.slice(0, 3)).toEqual(['starting', 'live', 'reconnecting']);
    expect(states.at(-1)).toBe('live');
    expect(stream.stats().restarts).toBeGreaterThanOrEqual(1);
    // The viewer is told about the new ffmpeg's init and resumes at a keyframe.
    await until(() => rec.msgs.filter((m) => m.kind === 'init').length > initsBefore && rec.msgs.at(-1)?.kind === 'fragment', 10000, 'fed again');
    const lastInit = rec.msgs.map((m) => m.kind).lastIndexOf('init');
    const after = rec.msgs[lastInit + 1];
    expect(after?.kind === 'fragment' && after.keyframe).toBe(true);
    expect(await pidsWithTag(stream.processTag)).toHaveLength(1);
  });

  it('stop() kills ffmpeg and resolves once it has exited', async () => {
    const { stream } = await setup('cs-stop');
    stream.subscribe(recorder().viewer);
    await until(() => stream.state === 'live', 20000, 'live');
    expect(await pidsWithTag(stream.processTag)).toHaveLength(1);
    await stream.stop();
    expect(await pidsWithTag(stream.processTag)).toEqual([]);
    expect(stream.state).toBe('stopped');
    expect(() => stream.subscribe(() => undefined)).toThrowError(expect.objectContaining({ code: 'STREAM_CLOSED' }) as unknown as Error);
  });
});
