// The 30 s default window without waiting 30 s: a recording is played out by media time, which
// is the clock the buffer and the recorder go by.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipAttachment, recordClip } from '../../../gateway/evidence/clip-recorder.ts';
import { PreAlarmBuffer, feedBuffer } from '../../../gateway/evidence/pre-alarm-buffer.ts';
import { generateFmp4, probeClip, ReplaySource } from './test-sources.ts';

const logger = pino({ level: 'silent' });
let recording: Buffer;
let dataDir: string;

beforeAll(async () => {
  recording = await generateFmp4(40);
  dataDir = await mkdtemp(join(tmpdir(), 'evidence-replay-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('alarm clip with the default 30 s pre-alarm window (replayed by media time)', () => {
  it('holds 30 s before the alarm from a keyframe, then the post window, as one playable H.264 file', async () => {
    const source = new ReplaySource(recording);
    const buffer = new PreAlarmBuffer(); // defaults: 30 s, 64 MiB
    const stopFeeding = feedBuffer(source, buffer);
    source.playUntil(35_000);
    expect(buffer.stats.coveredMs).toBeGreaterThanOrEqual(30_000);

    const clip = recordClip({ incidentId: 'INC-20261123-0001', cameraId: 'cam-gate', source, buffer, postSeconds: 3, dataDir, logger, stallMs: 10_000 });
    source.playUntil(40_000);
    const result = await clip;
    stopFeeding();

    expect(result).toMatchObject({ complete: true, endReason: 'done', capLimited: false });
    expect(result.preSeconds).toBeGreaterThanOrEqual(30);
    expect(result.preSeconds).toBeLessThanOrEqual(31); // at most one GOP (1 s) more
    expect(result.postSeconds).toBeCloseTo(3, 1);
    expect(result.file).toMatch(/^evidence\/INC-20261123-0001\/cam-gate-\d+\.mp4$/);
    expect(Date.parse(result.alarmAt) - Date.parse(result.startedAt)).toBe(Math.round(result.preSeconds * 1000));
    expect(clipAttachment('INC-20261123-0001', 'cam-gate', result)).toEqual({
      incidentId: 'INC-20261123-0001', cameraId: 'cam-gate', kind: 'clip', file: result.file, bytes: result.bytes, at: result.startedAt,
    });

    const probe = await probeClip(join(dataDir, result.file));
    expect(probe.codec).toBe('h264');
    expect(probe.errors).toBe('');
    expect(probe.startTime).toBeLessThan(0.1); // rebased: no leading gap in a player
    expect(Math.abs(probe.duration - (result.preSeconds + result.postSeconds))).toBeLessThan(0.2);
    expect(probe.frames[0]!.key).toBe(true);
    // The fast-start GOP the source repeats to new viewers must not be written twice.
    expect(probe.frames.length).toBe(result.fragments);
    expect(new Set(probe.frames.map((f) => f.pts)).size).toBe(probe.frames.length);
    expect(await readdir(join(dataDir, 'evidence', 'INC-20261123-0001'))).toEqual([result.file.split('/').pop()]);
  });

  it('a camera that was not warm starts its clip at its first keyframe, with no pre-alarm video', async () => {
    const source = new ReplaySource(recording);
    source.playUntil(10_500); // mid-GOP: the clip must wait for the next keyframe or take the cached GOP
    const clip = recordClip({ incidentId: 'INC-20261123-0002', cameraId: 'cam-cold', source, buffer: null, postSeconds: 2, dataDir, logger });
    source.playUntil(20_000);
    const result = await clip;
    expect(result.preSeconds).toBe(0);
    expect(result.postSeconds).toBeCloseTo(2, 1);
    const probe = await probeClip(join(dataDir, result.file));
    expect(probe.frames[0]!.key).toBe(true);
  });

  it('closes the clip with what there is when the camera goes silent, and says so', async () => {
    const source = new ReplaySource(recording);
    const buffer = new PreAlarmBuffer({ preSeconds: 5 });
    feedBuffer(source, buffer);
    source.playUntil(8_000);
    const result = await recordClip({ incidentId: 'INC-20261123-0003', cameraId: 'cam-silent', source, buffer, postSeconds: 10, dataDir, logger, stallMs: 300 });
    expect(result).toMatchObject({ complete: false, endReason: 'stalled' });
    expect(result.preSeconds).toBeGreaterThanOrEqual(5);
    expect(result.postSeconds).toBeLessThan(0.2);
    expect(source.viewerCount).toBe(1); // the recorder let go; only the buffer's feed remains
    const probe = await probeClip(join(dataDir, result.file));
    expect(probe.codec).toBe('h264');
    expect(probe.frames[0]!.key).toBe(true);
  });

  it('closes the clip at once on shutdown (abort), and refuses ids that would escape the evidence folder', async () => {
    const source = new ReplaySource(recording);
    const buffer = new PreAlarmBuffer({ preSeconds: 2 });
    feedBuffer(source, buffer);
    source.playUntil(5_000);
    const stop = new AbortController();
    const clip = recordClip({ incidentId: 'INC-20261123-0004', cameraId: 'cam-x', source, buffer, postSeconds: 30, dataDir, logger, signal: stop.signal });
    source.playUntil(6_000);
    stop.abort();
    const result = await clip;
    expect(result).toMatchObject({ complete: false, endReason: 'aborted' });
    expect(result.postSeconds).toBeCloseTo(1, 1);
    await expect(recordClip({ incidentId: '../etc', cameraId: 'cam-x', source, buffer, dataDir, logger })).rejects.toMatchObject({ code: 'EVIDENCE_BAD_ID' });
  });

  it('fails with EVIDENCE_NO_VIDEO and leaves no file when the camera never sends a picture', async () => {
    const silent = { subscribe: () => () => undefined };
    await expect(recordClip({ incidentId: 'INC-20261123-0005', cameraId: 'cam-dead', source: silent, buffer: null, dataDir, logger, stallMs: 200 })).rejects.toMatchObject({
      code: 'EVIDENCE_NO_VIDEO',
    });
    expect(await readdir(join(dataDir, 'evidence', 'INC-20261123-0005')).catch(() => [])).toEqual([]);
  });
});
