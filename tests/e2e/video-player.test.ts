// The dashboard's live video players in real Chromium, without the gateway: a simulated camera
// (CameraMedia) serves RTSP, ffmpeg copy-remuxes it to fragmented MP4 (or re-encodes to MPEG-1
// for the JSMpeg fallback), and a small test server speaks the gateway's stream protocol
// (init text message, then binary media) to the dashboard's own player code, bundled here with
// esbuild. The page carries the dashboard's CSP, so what passes here passes there.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { build, type Plugin } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { WebSocketServer, type WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraMedia } from '../../simulators/camera/camera-media.ts';
import { overlayLayout } from '../../simulators/camera/rtsp/ffmpeg-args.ts';
import { JSMPEG_FILE, stripJsmpegStyleInject } from '../../dashboard/vite-plugins.ts';

/** The dashboard build's JSMpeg fix (dashboard/vite-plugins.ts), for this test's esbuild bundle. */
const jsmpegNoStyleInject: Plugin = {
  name: 'jsmpeg-no-style-inject',
  setup(b) {
    b.onLoad({ filter: JSMPEG_FILE }, async (args) => ({ contents: stripJsmpegStyleInject(await readFile(args.path, 'utf8')), loader: 'js' }));
  },
};

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const USER = 'viewer';
const PASS = 'vid-e2e-pass';
const WIDTH = 640;
const HEIGHT = 360;
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'none'";

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/page.css">
<script type="module" src="/player.js"></script></head>
<body>
<video id="v" muted playsinline autoplay width="${WIDTH}" height="${HEIGHT}"></video>
<div id="host"></div>
<div id="tiles"></div>
</body></html>`;

const CSS = `body { margin: 0; background: #222; }
#v, #host { display: block; position: relative; width: ${WIDTH}px; height: ${HEIGHT}px; margin-bottom: 4px; }
#host canvas { width: 100%; height: 100%; }
#tiles { width: ${WIDTH}px; }`;

// What the page exposes; the players and the tile are the dashboard's own code.
const ENTRY = `
import { MsePlayer } from './dashboard/src/video/mse-player.ts';
import { JsmpegPlayer } from './dashboard/src/video/jsmpeg-player.ts';
import { createVideoTile } from './dashboard/src/video/video-tile.ts';
window.videoTest = { MsePlayer, JsmpegPlayer, createVideoTile, players: {}, firstFrames: {}, captures: {} };
window.videoTestReady = true;
`;

/** Top-level ISO BMFF boxes out of a byte stream, whole ones only. */
class BoxSplitter {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Array<{ type: string; data: Buffer }> {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Array<{ type: string; data: Buffer }> = [];
    while (this.buf.length >= 8) {
      let size = this.buf.readUInt32BE(0);
      if (size === 1) {
        if (this.buf.length < 16) break;
        size = Number(this.buf.readBigUInt64BE(8));
      }
      if (size < 8) throw new Error(`bad box size ${size}`);
      if (this.buf.length < size) break;
      out.push({ type: this.buf.toString('latin1', 4, 8), data: this.buf.subarray(0, size) });
      this.buf = this.buf.subarray(size);
    }
    return out;
  }
}

/** The MSE codec string for an H.264 init segment, from its avcC box. */
function codecsOf(init: Buffer): string {
  const at = init.indexOf('avcC', 0, 'latin1');
  if (at < 0) throw new Error('init segment without avcC');
  const hex = (b: number | undefined): string => (b ?? 0).toString(16).padStart(2, '0');
  return `video/mp4; codecs="avc1.${hex(init[at + 5])}${hex(init[at + 6])}${hex(init[at + 7])}"`;
}

const children = new Set<ChildProcess>();

function ffmpeg(args: string[]): ChildProcess {
  const child = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.stderr?.resume();
  child.once('exit', () => children.delete(child));
  return child;
}

let camera: CameraMedia;
let server: Server;
let wss: WebSocketServer;
let browser: Browser;
let base = '';
const sockets = new Map<string, Set<WebSocket>>();
let bundle = '';

function rtspUrl(): string {
  return camera.rtspUrl('main').replace('rtsp://', `rtsp://${USER}:${PASS}@`);
}

/** The gateway's stream protocol over one socket, fed by a copy-remux of the camera. */
function serveFmp4(ws: WebSocket): void {
  const child = ffmpeg([
    '-rtsp_transport', 'tcp', '-i', rtspUrl(),
    '-c:v', 'copy', '-an', '-f', 'mp4',
    '-movflags', 'frag_keyframe+empty_moov+default_base_moof+frag_every_frame', 'pipe:1',
  ]);
  const split = new BoxSplitter();
  let init: Buffer[] = [];
  let moof: Buffer | null = null;
  let sentInit = false;
  child.stdout?.on('data', (chunk: Buffer) => {
    for (const box of split.push(chunk)) {
      if (ws.readyState !== ws.OPEN) return;
      if (!sentInit) {
        init.push(box.data);
        if (box.type === 'moov') {
          const seg = Buffer.concat(init);
          ws.send(JSON.stringify({ type: 'init', codecs: codecsOf(seg), format: 'fmp4' }));
          ws.send(seg);
          ws.send(JSON.stringify({ type: 'state', state: 'live' }));
          sentInit = true;
          init = [];
        }
      } else if (box.type === 'moof') {
        moof = box.data;
      } else if (box.type === 'mdat' && moof) {
        ws.send(Buffer.concat([moof, box.data]));
        moof = null;
      }
    }
  });
  ws.once('close', () => child.kill('SIGKILL'));
}

function serveMpeg1(ws: WebSocket): void {
  const child = ffmpeg([
    '-rtsp_transport', 'tcp', '-i', rtspUrl(),
    '-an', '-c:v', 'mpeg1video', '-b:v', '1000k', '-bf', '0', '-f', 'mpegts', 'pipe:1',
  ]);
  ws.send(JSON.stringify({ type: 'init', codecs: '', format: 'mpeg1' }));
  child.stdout?.on('data', (chunk: Buffer) => {
    if (ws.readyState === ws.OPEN) ws.send(chunk);
  });
  ws.once('close', () => child.kill('SIGKILL'));
}

beforeAll(async () => {
  mkdirSync(`${ROOT}/tests/artifacts`, { recursive: true });
  camera = new CameraMedia({
    cameraName: 'video-e2e',
    username: USER,
    password: PASS,
    idleStopMs: 1000,
    profiles: [{ token: 'main', width: WIDTH, height: HEIGHT, fps: 25, keyframeIntervalS: 1 }],
  });
  await camera.start();

  const out = await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, sourcefile: 'video-test-entry.ts', loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
    plugins: [jsmpegNoStyleInject],
  });
  bundle = out.outputFiles[0]!.text;

  server = createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else if (req.url === '/page.css') {
      res.writeHead(200, { 'content-type': 'text/css' }).end(CSS);
    } else if (req.url === '/player.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    } else {
      res.writeHead(404).end();
    }
  });
  wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/api\/streams\/([^/]+)$/.exec(url.pathname);
    if (!m) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      const id = decodeURIComponent(m[1]!);
      const format = url.searchParams.get('format');
      const set = sockets.get(id) ?? new Set<WebSocket>();
      sockets.set(id, set);
      set.add(ws);
      ws.once('close', () => set.delete(ws));
      if (id === 'cam-missing') ws.close(4404, 'unknown camera');
      else if (format === 'mpeg1') serveMpeg1(ws);
      // A camera MSE cannot play here: the gateway would offer MPEG-1 instead.
      else if (id === 'cam-h265') ws.send(JSON.stringify({ type: 'init', codecs: 'video/mp4; codecs="hvc1.1.6.L93.B0"', format: 'fmp4' }));
      else serveFmp4(ws);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required',
    ],
  });
}, 60000);

afterAll(async () => {
  await browser?.close();
  for (const set of sockets.values()) for (const ws of set) ws.terminate();
  wss?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  for (const c of children) c.kill('SIGKILL');
  await camera?.stop();
}, 30000);

async function openPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT * 2 + 80 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${base}/`);
  await page.waitForFunction(() => (window as unknown as { videoTestReady?: boolean }).videoTestReady === true, undefined, { timeout: 10000 });
  (page as Page & { errors?: string[] }).errors = errors;
  return page;
}

// In-page helpers, typed loosely: they run in the browser against window.videoTest.
type Win = {
  videoTest: {
    players: Record<string, { stats: { framesDecoded: number; fragments: number; reconnects: number; latencyToBufferEnd: number | null }; status: string; destroy(): void; kind: string; canvas?: HTMLCanvasElement }>;
    firstFrames: Record<string, number>;
    captures: Record<string, Uint8ClampedArray>;
    [k: string]: unknown;
  };
};

const stats = (page: Page, name: string) =>
  page.evaluate((n) => {
    const p = (window as unknown as Win).videoTest.players[n]!;
    return { ...p.stats, status: p.status };
  }, name);

/**
 * Draws the element (video or canvas) into a 2D canvas and keeps the clock region; returns how
 * many bytes differ from the previous capture under the same key (-1 for the first).
 */
const captureClock = (page: Page, selector: string, key: string, box: { x: number; y: number; w: number; h: number }) =>
  page.evaluate(
    ({ selector, key, box }) => {
      const src = document.querySelector(selector) as HTMLVideoElement | HTMLCanvasElement;
      const c = document.createElement('canvas');
      c.width = 640;
      c.height = 360;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(src, 0, 0, 640, 360);
      const data = ctx.getImageData(box.x, box.y, box.w, box.h).data;
      const t = (window as unknown as Win).videoTest;
      const prev = t.captures[key];
      t.captures[key] = data;
      if (!prev) return -1;
      let diff = 0;
      for (let i = 0; i < data.length; i++) if (Math.abs(data[i]! - prev[i]!) > 24) diff++;
      return diff;
    },
    { selector, key, box },
  );

function clockBox(): { x: number; y: number; w: number; h: number } {
  const { time } = overlayLayout(WIDTH, HEIGHT);
  // "HH:MM:SS.mmm" in a monospaced font is about 0.6 em per character.
  const w = Math.min(WIDTH - time.x, Math.round(time.fontSize * 0.6 * 12));
  const h = Math.min(HEIGHT - time.y, Math.round(time.fontSize * 1.1));
  return { x: time.x, y: time.y, w, h };
}

async function expectClockMoves(page: Page, selector: string, key: string): Promise<void> {
  const box = clockBox();
  expect(await captureClock(page, selector, key, box)).toBe(-1);
  await page.waitForTimeout(1000);
  await expect.poll(() => captureClock(page, selector, key, box), { timeout: 10000, interval: 500 }).toBeGreaterThan(50);
}

describe('live video players in Chromium', () => {
  it('MSE plays the camera live: first frame, decoded frames grow, the burned-in clock moves, stays near the live edge', async () => {
    const page = await openPage();
    await page.evaluate(() => {
      const t = (window as unknown as Win).videoTest as Win['videoTest'] & { MsePlayer: new (v: HTMLVideoElement, o: object) => { firstFrame: Promise<number>; start(): void } };
      const p = new t.MsePlayer(document.getElementById('v') as HTMLVideoElement, { cameraId: 'cam-h264', profile: 'main' });
      t.players.mse = p as unknown as Win['videoTest']['players'][string];
      void p.firstFrame.then((at) => (t.firstFrames.mse = at));
      p.start();
    });
    await page.waitForFunction(() => (window as unknown as Win).videoTest.firstFrames.mse !== undefined, undefined, { timeout: 20000 });
    const first = await stats(page, 'mse');
    await expect.poll(async () => (await stats(page, 'mse')).framesDecoded, { timeout: 10000 }).toBeGreaterThan(first.framesDecoded + 10);
    await expectClockMoves(page, '#v', 'mse');
    const s = await stats(page, 'mse');
    expect(s.status).toBe('live');
    expect(s.fragments).toBeGreaterThan(25);
    // The catch-up keeps the playhead close to what has arrived (generous: a loaded CI box).
    expect(s.latencyToBufferEnd).not.toBeNull();
    expect(s.latencyToBufferEnd!).toBeLessThan(2);
    // Before the screenshot: Playwright injects a style to hide the caret, which this CSP reports.
    expect((page as Page & { errors?: string[] }).errors).toEqual([]);
    await page.screenshot({ path: `${ROOT}/tests/artifacts/video-player.png`, clip: { x: 0, y: 0, width: WIDTH, height: HEIGHT } });

    // The socket drops: the player reconnects by itself on a fresh MediaSource and plays on.
    for (const ws of sockets.get('cam-h264') ?? []) ws.terminate();
    await expect.poll(async () => (await stats(page, 'mse')).reconnects, { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    const before = (await stats(page, 'mse')).fragments;
    await expect.poll(async () => (await stats(page, 'mse')).fragments, { timeout: 20000 }).toBeGreaterThan(before + 25);
    await expect.poll(async () => (await stats(page, 'mse')).status, { timeout: 5000 }).toBe('live');
    await expectClockMoves(page, '#v', 'mse-after');

    await page.evaluate(() => (window as unknown as Win).videoTest.players.mse!.destroy());
    await expect.poll(() => sockets.get('cam-h264')?.size ?? 0, { timeout: 5000 }).toBe(0);
    await page.close();
  }, 90000);

  it('JSMpeg plays the MPEG-1 fallback on a canvas under the dashboard CSP, skipping the init text frame', async () => {
    const page = await openPage();
    await page.evaluate(() => {
      const t = (window as unknown as Win).videoTest as Win['videoTest'] & { JsmpegPlayer: new (host: HTMLElement, o: object) => { firstFrame: Promise<number>; start(): void } };
      const p = new t.JsmpegPlayer(document.getElementById('host')!, { cameraId: 'cam-mpeg1', profile: 'sub' });
      t.players.jsmpeg = p as unknown as Win['videoTest']['players'][string];
      void p.firstFrame.then((at) => (t.firstFrames.jsmpeg = at));
      p.start();
    });
    await page.waitForFunction(() => (window as unknown as Win).videoTest.firstFrames.jsmpeg !== undefined, undefined, { timeout: 20000 });
    const first = await stats(page, 'jsmpeg');
    await expect.poll(async () => (await stats(page, 'jsmpeg')).framesDecoded, { timeout: 10000 }).toBeGreaterThan(first.framesDecoded + 10);
    await expectClockMoves(page, '#host canvas', 'jsmpeg');
    expect((page as Page & { errors?: string[] }).errors).toEqual([]);
    await page.screenshot({ path: `${ROOT}/tests/artifacts/video-player-jsmpeg.png`, clip: { x: 0, y: HEIGHT + 4, width: WIDTH, height: HEIGHT } });
    await page.evaluate(() => (window as unknown as Win).videoTest.players.jsmpeg!.destroy());
    await expect.poll(() => sockets.get('cam-mpeg1')?.size ?? 0, { timeout: 5000 }).toBe(0);
    await page.close();
  }, 60000);

  it('a tile falls back from MSE to JSMpeg for a codec this browser cannot play, and shows a refusal without retrying', async () => {
    const page = await openPage();
    await page.evaluate(() => {
      const t = (window as unknown as Win).videoTest as Win['videoTest'] & { createVideoTile: (o: object) => { el: HTMLElement; player: unknown; destroy(): void } };
      const host = document.getElementById('tiles')!;
      const h265 = t.createVideoTile({ camera: { id: 'cam-h265', name: { zh: '球机', en: 'Dome' }, kind: 'ptz' } });
      const missing = t.createVideoTile({ camera: { id: 'cam-missing', name: { zh: '未知', en: 'Missing' }, kind: 'fixed' } });
      host.append(h265.el, missing.el);
      (window as unknown as { tiles: unknown[] }).tiles = [h265, missing];
    });
    const tileState = () =>
      page.evaluate(() => {
        const [a, b] = (window as unknown as { tiles: Array<{ el: HTMLElement; player: { kind: string; stats: { framesDecoded: number } } | null }> }).tiles;
        return {
          kind: a!.player?.kind ?? null,
          frames: a!.player?.stats.framesDecoded ?? 0,
          overlay: a!.el.querySelector('.video-overlay')?.getAttribute('data-shown'),
          missing: b!.el.getAttribute('data-status'),
          missingText: b!.el.querySelector('.video-overlay')?.textContent,
        };
      });
    await expect.poll(async () => (await tileState()).kind, { timeout: 10000 }).toBe('jsmpeg');
    await expect.poll(async () => (await tileState()).frames, { timeout: 20000 }).toBeGreaterThan(5);
    await expect.poll(async () => (await tileState()).overlay, { timeout: 5000 }).toBe('false');
    const s = await tileState();
    expect(s.missing).toBe('refused');
    expect(s.missingText).toBe('网关不认识此摄像机');
    expect(sockets.get('cam-missing')?.size ?? 0).toBe(0);

    await page.evaluate(() => {
      for (const tile of (window as unknown as { tiles: Array<{ destroy(): void }> }).tiles) tile.destroy();
    });
    await expect.poll(() => (sockets.get('cam-h265')?.size ?? 0), { timeout: 5000 }).toBe(0);
    await page.close();
  }, 60000);
});
