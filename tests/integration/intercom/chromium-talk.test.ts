// Push-to-talk from real Chromium: a fake microphone playing a 440 Hz WAV, the dashboard's
// TalkClient (bundled here with esbuild) on a tiny test page, a test-only WebSocket endpoint
// that calls pumpSocketToTalk, and the simulated camera's backchannel recording the tone.
// (A real-browser test; it lives with the intercom tests because they share the camera set-up.)
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createRootLogger } from '../../../common/logger.ts';
import { startTalk } from '../../../gateway/intercom/talk-session.ts';
import { pumpSocketToTalk } from '../../../gateway/intercom/ws-talk.ts';
import { CameraMedia } from '../../../simulators/camera/camera-media.ts';
import { CHROMIUM } from '../../support/browser.ts';
import { until } from '../../support/until.ts';
import { dominantFrequency, rms } from './audio-tools.ts';

const run = promisify(execFile);
const USER = 'operator';
const PASS = 'browser-talk-pass';
const logger = createRootLogger('intercom-e2e', 'silent');
const dashboardTalkClient = new URL('../../../dashboard/src/intercom/talk-client.ts', import.meta.url).pathname;

const PAGE = `<!doctype html><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; connect-src 'self'">
<title>talk test</title><script type="module" src="/app.js"></script>`;

let dir: string;
let cam: CameraMedia;
let server: Server;
let wss: WebSocketServer;
let browser: Browser;
let baseUrl: string;
const pumps: Promise<void>[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'talk-e2e-'));
  const wav = join(dir, 'tone-440.wav');
  await run('ffmpeg', ['-hide_banner', '-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '10', '-ac', '1', '-c:a', 'pcm_s16le', '-y', wav]);
  const bundle = await build({
    stdin: {
      contents: `import { TalkClient } from ${JSON.stringify(dashboardTalkClient)};
        const states = [];
        window.talkStates = states;
        window.talk = new TalkClient({ url: '/talk', onState: (s, d) => states.push(d ? s + ':' + d : s) });`,
      resolveDir: dir,
      loader: 'js',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
  });
  const appJs = bundle.outputFiles[0]?.contents ?? new Uint8Array();

  cam = new CameraMedia({ cameraName: 'browser-talk-cam', username: USER, password: PASS, backchannel: true, idleStopMs: 2000, profiles: [{ token: 'main', width: 320, height: 180, fps: 10, keyframeIntervalS: 1 }] });
  await cam.start();

  server = createServer((req, res) => {
    if (req.url === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(appJs);
    else res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
  });
  wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    if (req.url !== '/talk') return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      pumps.push(pumpSocketToTalk(ws, startTalk({ rtspUri: cam.rtspUrl('main'), username: USER, password: PASS, logger }), { logger }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${wav}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}, 60000);

afterAll(async () => {
  await browser?.close();
  for (const c of wss?.clients ?? []) c.terminate();
  await Promise.all(pumps);
  wss?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await cam?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 30000);

describe('push-to-talk from Chromium', () => {
  it('carries the fake microphone tone (440 Hz) to the camera speaker and ends the session on release', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${baseUrl}/`);
    await page.waitForFunction(() => 'talk' in window);
    cam.clearBackchannel();
    await page.evaluate(() => (window as unknown as { talk: { start(): Promise<void> } }).talk.start());
    await expect.poll(() => page.evaluate(() => (window as unknown as { talkStates: string[] }).talkStates.join(',')), { timeout: 10000 }).toContain('talking');
    await cam.waitForBackchannelAudio(1.5, 15000);
    await page.evaluate(() => (window as unknown as { talk: { stop(): void } }).talk.stop());
    await until(() => cam.backchannelSessions() === 0, 10000, 'backchannel session ended after release');
    const rec = cam.backchannelRecording();
    // Skip the first half second: echo cancellation and noise suppression settle in.
    const steady = rec.pcm.subarray(4000);
    expect(steady.length).toBeGreaterThanOrEqual(8000);
    expect(dominantFrequency(steady, 8000)).toBe(440);
    expect(rms(steady)).toBeGreaterThan(300);
    expect(errors).toEqual([]);
    await page.close();
  });
});
