// A real-time camera (ffmpeg -re, wall clock burned in): a 3 s pre-alarm window and 2 s after,
// several alarms at once on one camera, and a camera that dies mid-clip.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordClip } from '../../../gateway/evidence/clip-recorder.ts';
import { Fmp4Splitter } from '../../../gateway/evidence/fmp4-splitter.ts';
import { PreAlarmBuffer, feedBuffer } from '../../../gateway/evidence/pre-alarm-buffer.ts';
import { until } from '../../support/until.ts';
import { LiveFfmpegSource, mdatHash, probeClip } from './test-sources.ts';

const logger = pino({ level: 'silent' });
let source: LiveFfmpegSource;
let buffer: PreAlarmBuffer;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'evidence-live-'));
  source = new LiveFfmpegSource();
  buffer = new PreAlarmBuffer({ preSeconds: 3 });
  feedBuffer(source, buffer);
  await until(() => buffer.stats.coveredMs >= 3000, 20000, 'a warm 3 s buffer');
});
afterAll(async () => {
  await source.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function allFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String);
}

describe('alarm clip from a live camera', () => {
  it('holds the 3 s before the alarm from a keyframe plus 2 s after, playable, with pre-alarm frames first', async () => {
    const alarmWallMs = Date.now();
    const result = await recordClip({ incidentId: 'INC-1', cameraId: 'cam-gate', source, buffer, postSeconds: 2, dataDir, logger });

    expect(result).toMatchObject({ complete: true, endReason: 'done' });
    expect(result.preSeconds).toBeGreaterThanOrEqual(3);
    expect(result.preSeconds).toBeLessThanOrEqual(4.1); // pre + at most one GOP
    expect(result.postSeconds).toBeGreaterThanOrEqual(1.9);
    expect(result.postSeconds).toBeLessThanOrEqual(2.1);

    const file = join(dataDir, result.file);
    const probe = await probeClip(file);
    expect(probe.codec).toBe('h264');
    expect(probe.errors).toBe('');
    expect(probe.frames[0]!.key).toBe(true);
    expect(Math.abs(probe.duration - (result.preSeconds + result.postSeconds))).toBeLessThan(0.2);
    expect(probe.duration).toBeGreaterThanOrEqual(4.9);
    expect(probe.duration).toBeLessThanOrEqual(6.2); // pre + post + one GOP

    // The clip's first picture left the camera about preSeconds before the alarm (loose bound: a
    // busy machine delays delivery, never makes it earlier).
    const [, first] = new Fmp4Splitter().push(await readFile(file));
    const sent = source.sent.find((s) => first?.kind === 'fragment' && s.hash === mdatHash(first.data));
    expect(sent).toBeDefined();
    expect(sent!.wallMs).toBeLessThanOrEqual(alarmWallMs - 2000);
  });

  it('gives each of several simultaneous alarms on one camera its own complete clip', async () => {
    const at = Date.now();
    const same = () => at; // two clips of one incident in the same millisecond must not collide
    const results = await Promise.all([
      recordClip({ incidentId: 'INC-2', cameraId: 'cam-gate', source, buffer, postSeconds: 2, dataDir, logger, now: same }),
      recordClip({ incidentId: 'INC-2', cameraId: 'cam-gate', source, buffer, postSeconds: 2, dataDir, logger, now: same }),
      recordClip({ incidentId: 'INC-3', cameraId: 'cam-gate', source, buffer, postSeconds: 1, dataDir, logger }),
    ]);
    expect(new Set(results.map((r) => r.file)).size).toBe(3);
    expect(results.slice(0, 2).map((r) => r.file).sort()).toEqual([`evidence/INC-2/cam-gate-${at}-2.mp4`, `evidence/INC-2/cam-gate-${at}.mp4`]);
    for (const r of results) {
      expect(r.complete).toBe(true);
      const probe = await probeClip(join(dataDir, r.file));
      expect(probe.codec).toBe('h264');
      expect(probe.frames[0]!.key).toBe(true);
      expect(Math.abs(probe.duration - (r.preSeconds + r.postSeconds))).toBeLessThan(0.2);
    }
    expect((await allFiles(dataDir)).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('closes the clip with what there is when the camera stops mid-clip, and says so', async () => {
    const clip = recordClip({ incidentId: 'INC-4', cameraId: 'cam-gate', source, buffer, postSeconds: 20, dataDir, logger });
    await new Promise((r) => setTimeout(r, 1000));
    await source.stop(true);
    const result = await clip;
    expect(result).toMatchObject({ complete: false, endReason: 'ended' });
    expect(result.postSeconds).toBeGreaterThan(0.3);
    expect(result.postSeconds).toBeLessThan(20);
    const probe = await probeClip(join(dataDir, result.file));
    expect(probe.codec).toBe('h264');
    expect(probe.errors).toBe('');
    expect(buffer.stats.fragments).toBe(0); // stale video is not kept for the next alarm
  });
});
