// The alarm view with live video on a whole simulated site, in real Chromium: a press opens the
// alarm panel, whose tiles play the dome's and the box camera's streams through the gateway
// (one shared ffmpeg per camera, warm with the last GOP); a clip from before the press is kept.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import { SiteHarness } from '../support/site-harness.ts';
import { launchChromium } from '../support/browser.ts';
import { until } from '../support/until.ts';
import { dominantFrequency } from '../integration/intercom/audio-tools.ts';

describe('alarm view with live video', () => {
  const site = new SiteHarness({
    video: { warm: 'linked', clips: true, preSeconds: 3, postSeconds: 2 },
    // Fewer warm streams on a 2-core machine: only the gate box's cameras stay linked.
    edit: (doc) => {
      for (const b of doc.alarmBoxes) if (b.id !== 'box-gate') b.cameras = [];
    },
  });
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await site.start();
    await site.allOnline();
    // A fake microphone that plays a 440 Hz tone: the operator's voice for the intercom test.
    const wav = join(site.dir, 'tone-440.wav');
    await promisify(execFile)('ffmpeg', ['-hide_banner', '-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '20', '-ac', '1', '-c:a', 'pcm_s16le', '-y', wav]);
    browser = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`, '--autoplay-policy=no-user-gesture-required']);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${site.baseUrl}/`);
    await page.locator('input:not([type="password"])').first().fill('admin');
    await page.locator('input[type="password"]').fill(site.adminPassword!);
    await page.locator('button[type="submit"]').click();
    await page.locator('.device-list li').first().waitFor({ timeout: 15000 });
    // Let the warm streams fill their pre-alarm buffers.
    await new Promise((r) => setTimeout(r, 4000));
  }, 120000);
  afterAll(async () => {
    await browser?.close();
    await site.stop();
  }, 30000);

  it('a press opens the alarm panel and its tiles play live video', async () => {
    site.sims.box('box-gate').press('box-gate');
    await page.locator('.alarm-panel').waitFor({ timeout: 10000 });
    await expect
      .poll(
        () => page.evaluate(() => [...document.querySelectorAll('.alarm-tiles video')].map((v) => (v as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames)),
        { timeout: 20000, interval: 250 },
      )
      .toSatisfy((frames: number[]) => frames.length >= 2 && frames.every((n) => n > 5));
    mkdirSync('tests/artifacts', { recursive: true });
    await page.screenshot({ path: 'tests/artifacts/alarm-video.png' });
  });

  it('keeps a clip that starts before the press, playable as H.264', async () => {
    let incidentId = '';
    await until(async () => {
      const r = await site.api<Array<{ id: string; boxId: string }>>('GET', '/api/incidents?open=true');
      incidentId = r.body.find((i) => i.boxId === 'box-gate')?.id ?? '';
      return incidentId !== '';
    }, 10000, 'incident');
    let clip: { id: number; cameraId: string; at: string } | undefined;
    await until(async () => {
      const r = await site.api<Array<{ id: number; kind: string; cameraId: string; at: string }>>('GET', `/api/incidents/${incidentId}/attachments`);
      clip = r.body.find((a) => a.kind === 'clip' && a.cameraId === 'dome-gate');
      return !!clip;
    }, 45000, 'clip attached');
    const res = await fetch(`${site.baseUrl}/api/incidents/${incidentId}/attachments/${clip!.id}`, { headers: { authorization: `Bearer ${site.token}` } });
    expect(res.headers.get('content-type')).toBe('video/mp4');
    const file = join(site.dir, 'clip.mp4');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const { stdout } = await promisify(execFile)('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name:packet=pts_time', '-of', 'json', file]);
    const probe = JSON.parse(stdout) as { streams: Array<{ codec_name: string }>; packets: Array<{ pts_time: string }> };
    expect(probe.streams[0]?.codec_name).toBe('h264');
    // 3 s before + 2 s after, give or take a GOP (fragmented MP4 carries no overall duration).
    const duration = Math.max(...probe.packets.map((p) => Number(p.pts_time)));
    expect(duration).toBeGreaterThan(3);
  }, 60000);

  it('the operator listens: the box camera microphone is decoded in the browser', async () => {
    await page.locator('.alarm-panel .intercom-listen').click();
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const vs = [...document.querySelectorAll('.alarm-tiles video')] as Array<HTMLVideoElement & { webkitAudioDecodedByteCount?: number }>;
            return Math.max(0, ...vs.filter((v) => !v.muted).map((v) => v.webkitAudioDecodedByteCount ?? 0));
          }),
        { timeout: 15000, interval: 250 },
      )
      .toBeGreaterThan(0);
  });

  it('the operator holds the talk button and the tone reaches the box camera speaker', async () => {
    const media = site.sims.media.get('cam-box-gate')!;
    media.clearBackchannel();
    const talk = page.locator('.alarm-panel .intercom-talk');
    await talk.waitFor({ timeout: 10000 });
    const box = (await talk.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await until(() => media.backchannelRecording().pcm.length >= 8000 * 1.2, 15000, '1.2 s of talk-back audio at the box');
    await page.mouse.up();
    const rec = media.backchannelRecording();
    // Skip the first 200 ms (microphone start-up), then the tone must dominate.
    expect(dominantFrequency(rec.pcm.subarray(1600), rec.sampleRate)).toBeGreaterThan(420);
    expect(dominantFrequency(rec.pcm.subarray(1600), rec.sampleRate)).toBeLessThan(460);
  });

  it('refuses a stream socket without a session', async () => {
    const ws = new WebSocket(`${site.baseUrl.replace('http', 'ws')}/api/streams/dome-gate`);
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    ws.terminate();
    expect(status).toBe(401);
  });
});
