// Encoders start on demand and go away: lazily on the first viewer, idleStopMs after the last,
// and all of them (with snapshot processes) on stop(). Snapshots are JPEGs with a running clock.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CameraMedia, type MediaProfile } from '../../../simulators/camera/camera-media.ts';
import { overlayLayout } from '../../../simulators/camera/rtsp/ffmpeg-args.ts';
import { until } from '../../support/until.ts';
import { cleanup, cropGray, ffprobeStream, framesReceived, jpegSize, pidsWithTag, withCredentials } from './media-tools.ts';

const USER = 'operator';
const PASS = 'lifecycle-pass';
const PROFILES: MediaProfile[] = [
  { token: 'main', width: 640, height: 360, fps: 15, keyframeIntervalS: 1 },
  { token: 'sub', width: 320, height: 180, fps: 10, keyframeIntervalS: 1 },
];

const cams: CameraMedia[] = [];
// ffmpeg crops yuv420p on even pixels.
const even = (n: number): number => 2 * Math.round(n / 2);

async function camera(name: string, idleStopMs: number): Promise<CameraMedia> {
  const cam = new CameraMedia({ cameraName: name, username: USER, password: PASS, idleStopMs, profiles: PROFILES });
  cams.push(cam);
  await cam.start();
  return cam;
}

afterEach(async () => {
  await cleanup();
  for (const cam of cams.splice(0)) {
    await cam.stop();
    expect(await pidsWithTag(cam.processTag)).toEqual([]);
  }
});

describe('camera media encoder lifecycle', () => {
  it('starts no encoder until the first client and stops it idleStopMs after the last left', async () => {
    const cam = await camera('gate-cam-lazy', 1500);
    await sleep(300);
    expect(cam.encoders()).toBe(0);
    expect(await pidsWithTag(cam.processTag)).toEqual([]);

    const player = framesReceived(withCredentials(cam.rtspUrl('main'), USER, PASS), 20);
    await until(() => cam.encoders() === 1, 10000, 'encoder started by the first client');
    expect((await pidsWithTag(cam.processTag)).length).toBe(1);
    const r = await player;
    expect(r.code, r.stderr).toBe(0);
    await until(() => cam.clients() === 0, 5000, 'client gone');
    // Still running within the idle period ...
    expect(cam.encoders()).toBe(1);
    // ... and gone after it.
    await until(() => cam.encoders() === 0, 10000, 'encoder stopped after idleStopMs');
    await until(async () => (await pidsWithTag(cam.processTag)).length === 0, 5000, 'no ffmpeg left');

    // A second viewer starts it again.
    const again = await ffprobeStream(withCredentials(cam.rtspUrl('main'), USER, PASS));
    expect(again.code, again.stderr).toBe(0);
  });

  it('a wrong password never starts an encoder', async () => {
    const cam = await camera('gate-cam-locked', 1000);
    const r = await ffprobeStream(withCredentials(cam.rtspUrl('main'), USER, 'nope'));
    expect(r.code).not.toBe(0);
    expect(cam.encoders()).toBe(0);
  });

  it('stop() ends every ffmpeg and every player connection', async () => {
    const cam = await camera('gate-cam-stop', 60000);
    const players = [framesReceived(withCredentials(cam.rtspUrl('main'), USER, PASS), 100000), framesReceived(withCredentials(cam.rtspUrl('sub'), USER, PASS), 100000)];
    await until(() => cam.clients() === 2, 15000, 'two players');
    expect(cam.encoders()).toBe(2);
    expect((await pidsWithTag(cam.processTag)).length).toBe(2);
    const snap = cam.snapshot().catch(() => null);
    await cam.stop();
    await snap;
    expect(cam.encoders()).toBe(0);
    expect(cam.clients()).toBe(0);
    expect(await pidsWithTag(cam.processTag)).toEqual([]);
    // The players see the camera go away rather than hang.
    const ended = await Promise.all(players);
    for (const p of ended) expect(p.frames).toBeLessThan(100000);
  });
});

describe('camera media snapshots', () => {
  it('returns a JPEG of the profile size and leaves no ffmpeg running', async () => {
    const cam = await camera('gate-cam-snap', 1000);
    const main = await cam.snapshot();
    expect(main.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    expect(jpegSize(main)).toEqual({ width: 640, height: 360 });
    const sub = await cam.snapshot('sub');
    expect(jpegSize(sub)).toEqual({ width: 320, height: 180 });
    expect(cam.encoders()).toBe(0);
    await expect(cam.snapshot('nope')).rejects.toMatchObject({ code: 'CAMERA_MEDIA_UNKNOWN_PROFILE' });
  });

  it('burns in a clock that moves between snapshots while the name stays put', async () => {
    const cam = await camera('gate-cam-clock', 1000);
    const layout = overlayLayout(640, 360);
    const timeBox = { x: layout.time.x, y: layout.time.y, w: even(layout.time.fontSize * 0.62 * 12), h: even(layout.time.fontSize) };
    const nameBox = { x: layout.name.x, y: layout.name.y, w: even(layout.name.fontSize * 0.62 * 14), h: even(layout.name.fontSize) };
    const first = await cam.snapshot();
    await sleep(250);
    const second = await cam.snapshot();
    const [t1, t2, n1, n2] = await Promise.all([
      cropGray(first, timeBox.x, timeBox.y, timeBox.w, timeBox.h),
      cropGray(second, timeBox.x, timeBox.y, timeBox.w, timeBox.h),
      cropGray(first, nameBox.x, nameBox.y, nameBox.w, nameBox.h),
      cropGray(second, nameBox.x, nameBox.y, nameBox.w, nameBox.h),
    ]);
    expect(t1.length).toBe(timeBox.w * timeBox.h);
    // JPEG noise is small; a changed digit moves many pixels a long way.
    const changed = (a: Buffer, b: Buffer): number => a.reduce((n, v, i) => n + (Math.abs(v - (b[i] ?? 0)) > 64 ? 1 : 0), 0);
    expect(changed(t1, t2)).toBeGreaterThan(50);
    expect(changed(n1, n2)).toBeLessThan(10);
  });

  it('is bounded by its timeout', async () => {
    const cam = new CameraMedia({ cameraName: 'gate-cam-slow-snap', username: USER, password: PASS, profiles: PROFILES, snapshotTimeoutMs: 1 });
    cams.push(cam);
    await cam.start();
    await expect(cam.snapshot()).rejects.toMatchObject({ code: 'CAMERA_MEDIA_SNAPSHOT_TIMEOUT' });
    expect(cam.encoders()).toBe(0);
    expect(await pidsWithTag(cam.processTag)).toEqual([]);
  });
});

