// `npm run bench -- video [presses]`: live video on a whole simulated site with real Chromium
// logged into the dashboard. Figures:
//  - alarm → first painted frame: press a box, the alarm panel's first tile presents its first
//    frame (requestVideoFrameCallback, recorded in the page);
//  - glass to glass: the camera picture carries a timecode strip (capture time, ms since local
//    midnight); the page decodes it from every presented frame and compares with its clock; the
//    reference is ffmpeg decoding the camera's RTSP directly in this process (no gateway, no
//    browser), measured in the same run;
//  - CPU and memory per stream, copy-remux to fragmented MP4 against the MPEG-1 re-encode, for 1,
//    4 and 16 viewers of one camera and for 4 cameras, from /proc of the gateway's ffmpeg children.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import { SiteHarness } from '../support/site-harness.ts';
import { launchChromium } from '../support/browser.ts';
import { until } from '../support/until.ts';
import { decodeTimecode } from '../support/timecode.ts';
import { localMidnight, timecodeLayout, type TimecodeLayout } from '../../simulators/camera/rtsp/ffmpeg-args.ts';
import { line, percentiles, type Percentiles } from './stats.ts';
import { alive, cmdlineOf, ffmpegDescendants, rssMiB, sampleCpu } from './video-procs.ts';

const BOX = 'box-gate';
const OWN_CAMERA = 'cam-box-gate';
const DOME = 'dome-gate';
/** Unlinked cameras (no warm stream): their viewers start the gateway's ffmpeg on demand. */
const CPU_CAMERAS = ['cam-box-dorm', 'cam-box-office', 'cam-box-playground', 'cam-box-teaching-2f'];
// The simulator's profiles (simulators/site-simulators.ts); viewers in the CPU part use sub.
const PROFILES = { main: { width: 960, height: 540, fps: 25 }, sub: { width: 640, height: 360, fps: 25 } } as const;
type Profile = keyof typeof PROFILES;
const CPU_WINDOW_MS = 5000;
const G2G_FRAMES = 60;
/** Enough for 50+ frames even when the tile presents only about one frame a second (seen here). */
const G2G_TIMEOUT_MS = 60000;
const REF_FRAMES = 60;

type Format = 'fmp4' | 'mpeg1';

interface PageWin {
  __bench?: { midnight: number };
  __decodeTimecode?: typeof decodeTimecode;
}
type BenchVideo = HTMLVideoElement & { __firstFrameAt?: number; __insertedAt?: number; __benchWatched?: boolean };

/** Runs in the page before its own scripts: timestamps the first presented frame of every new video element. */
function initScript(): string {
  return `
globalThis.__name = globalThis.__name || ((f) => f); // esbuild keepNames helper, left by tsx in stringified functions
window.__decodeTimecode = (${decodeTimecode.toString()});
(function () {
  function watch(v) {
    if (v.__benchWatched) return;
    v.__benchWatched = true;
    v.__insertedAt = Date.now();
    v.requestVideoFrameCallback(function () { v.__firstFrameAt = Date.now(); });
  }
  new MutationObserver(function (muts) {
    for (const m of muts) for (const n of m.addedNodes) {
      if (n instanceof HTMLVideoElement) watch(n);
      else if (n instanceof Element) n.querySelectorAll('video').forEach(watch);
    }
  }).observe(document, { childList: true, subtree: true });
})();`;
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

async function openIncident(site: SiteHarness, boxId: string): Promise<string> {
  let id = '';
  await until(async () => {
    const r = await site.api<Array<{ id: string; boxId: string; kind: string }>>('GET', '/api/incidents?open=true');
    id = r.body.find((x) => x.boxId === boxId && x.kind === 'panic')?.id ?? '';
    return id !== '';
  }, 10000, `open incident of ${boxId}`);
  return id;
}

/** Back to quiet: release, cancel the incident, reset the latched box, panel closed, no video left. */
async function settle(site: SiteHarness, page: Page): Promise<void> {
  site.sims.box(BOX).release(BOX);
  const incidentId = await openIncident(site, BOX);
  const c = await site.api('POST', `/api/incidents/${incidentId}/cancel`, { reason: 'test', note: 'bench' });
  if (c.status !== 200) throw new Error(`cancel: ${c.status} ${JSON.stringify(c.body)}`);
  const r = await site.api('POST', `/api/boxes/${BOX}/reset`);
  if (r.status >= 300) throw new Error(`reset: ${r.status} ${JSON.stringify(r.body)}`);
  const close = page.locator('.alarm-panel .alarm-close');
  if (await close.isVisible().catch(() => false)) await close.click({ timeout: 2000 }).catch(() => undefined);
  await page.waitForFunction(() => document.querySelectorAll('video').length === 0, undefined, { timeout: 10000 });
}

/** One alarm: ms from the press to the tile's video element, and to its first presented frame. */
async function alarmToFirstFrame(site: SiteHarness, page: Page): Promise<{ element: number; frame: number }> {
  const t0 = Date.now();
  site.sims.box(BOX).press(BOX);
  const handle = await page.waitForFunction(
    (after) => {
      const v = document.querySelector('.alarm-panel:not([hidden]) .alarm-tiles video') as BenchVideo | null;
      return v && v.__firstFrameAt !== undefined && v.__insertedAt! >= after ? { element: v.__insertedAt!, frame: v.__firstFrameAt } : null;
    },
    t0,
    { timeout: 15000, polling: 20 },
  );
  const at = (await handle.jsonValue())!;
  return { element: at.element - t0, frame: at.frame - t0 };
}

/** Glass to glass in the page: wall clock at each presented frame minus the capture time in its strip. */
interface G2G {
  samples: number[];
  undecoded: number;
  /** How often the tile replaced its video element while we watched. */
  replaced: number;
  /** Frames the tile presented per second while we watched. */
  presentedFps: number;
}

async function glassToGlass(page: Page, midnight: number, tc: TimecodeLayout, frames: number, timeoutMs: number): Promise<G2G> {
  // tc: the layout for the size the tile plays (see tileProfile).
  return page.evaluate(
    ({ midnight, tc, frames, timeoutMs }) =>
      new Promise<G2G>((resolve) => {
        const decode = (window as unknown as PageWin).__decodeTimecode!;
        const c = document.createElement('canvas');
        const ctx = c.getContext('2d', { willReadFrequently: true })!;
        const stripW = tc.blockW * tc.bits;
        const samples: number[] = [];
        let undecoded = 0;
        let replaced = 0;
        let done = false;
        let v: HTMLVideoElement | null = null;
        const t0 = performance.now();
        const finish = (): void => {
          if (done) return;
          done = true;
          clearInterval(watch);
          resolve({ samples, undecoded, replaced, presentedFps: ((samples.length + undecoded) * 1000) / (performance.now() - t0) });
        };
        const onFrame = (_now: number, _meta: unknown, el: HTMLVideoElement): void => {
          if (done || el !== v) return;
          const at = Date.now();
          if (c.width !== el.videoWidth || c.height !== el.videoHeight) {
            c.width = el.videoWidth;
            c.height = el.videoHeight;
          }
          ctx.drawImage(el, 0, 0, c.width, c.height);
          const px = ctx.getImageData(tc.x, tc.y, stripW, tc.blockH).data;
          const ms = decode(px, stripW, 4, { ...tc, x: 0, y: 0 });
          if (ms === null) undecoded++;
          else samples.push(at - midnight - ms);
          if (samples.length + undecoded >= frames) finish();
          else el.requestVideoFrameCallback((n, m) => onFrame(n, m, el));
        };
        // The tile may replace its video element (player reconnect): follow the current one.
        const attach = (): void => {
          const cur = document.querySelector('.alarm-tiles video') as HTMLVideoElement | null;
          if (!cur || cur === v) return;
          if (v) replaced++;
          v = cur;
          cur.requestVideoFrameCallback((n, m) => onFrame(n, m, cur));
        };
        const watch = setInterval(attach, 500);
        setTimeout(finish, timeoutMs);
        attach();
      }),
    { midnight, tc, frames, timeoutMs },
  );
}

/** The camera-to-decoder floor: ffmpeg reads the camera's RTSP and decodes the strip here. */
async function referenceDecoder(site: SiteHarness, profile: Profile, midnight: number, tc: TimecodeLayout, frames: number, spawned: Set<number>): Promise<{ samples: number[]; undecoded: number }> {
  const creds = site.secrets.cameras[OWN_CAMERA]!;
  const url = new URL(site.sims.media.get(OWN_CAMERA)!.rtspUrl(profile));
  url.username = creds.username;
  url.password = creds.password;
  const stripW = tc.blockW * tc.bits;
  const size = stripW * tc.blockH;
  const child: ChildProcess = spawn(
    'ffmpeg',
    [
      '-hide_banner', '-nostdin', '-loglevel', 'error',
      '-rtsp_transport', 'tcp', '-fflags', 'nobuffer', '-flags', 'low_delay', '-threads', '1',
      '-i', url.toString(),
      '-an', '-vf', `crop=${stripW}:${tc.blockH}:${tc.x}:${tc.y}`,
      '-f', 'rawvideo', '-pix_fmt', 'gray', '-flush_packets', '1', 'pipe:1',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (child.pid) spawned.add(child.pid);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  // The first second is the connection and the camera's start at a keyframe: skipped.
  const skip = PROFILES[profile].fps;
  const samples: number[] = [];
  let undecoded = 0;
  let seen = 0;
  let buf = Buffer.alloc(0);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reference decoder: ${seen} frames in 20 s ${err}`)), 20000);
      child.stdout!.on('data', (d: Buffer) => {
        const at = Date.now();
        buf = Buffer.concat([buf, d]);
        while (buf.length >= size) {
          const px = buf.subarray(0, size);
          buf = buf.subarray(size);
          if (seen++ < skip) continue;
          const ms = decodeTimecode(px, stripW, 1, { ...tc, x: 0, y: 0 });
          if (ms === null) undecoded++;
          else samples.push(at - midnight - ms);
        }
        if (samples.length + undecoded >= frames) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`reference decoder exited ${code}: ${err}`));
      });
    });
  } finally {
    child.removeAllListeners('exit');
    child.kill('SIGTERM');
    await until(() => child.exitCode !== null || child.signalCode !== null, 5000, 'reference ffmpeg exit').catch(() => child.kill('SIGKILL'));
  }
  return { samples, undecoded };
}

interface Viewer {
  ws: WebSocket;
  bytes: number;
  camera: string;
}

function openViewer(site: SiteHarness, camera: string, format: Format): Viewer {
  const url = `${site.baseUrl.replace('http', 'ws')}/api/streams/${camera}?profile=sub${format === 'mpeg1' ? '&format=mpeg1' : ''}`;
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${site.token}`, origin: site.baseUrl } });
  const v: Viewer = { ws, bytes: 0, camera };
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) v.bytes += data.length;
  });
  ws.on('error', () => undefined);
  return v;
}

interface CpuFigures {
  format: Format;
  viewers: number;
  cameras: number;
  ffmpeg_processes: number;
  ffmpeg_cpu_pct_per_stream: number;
  ffmpeg_rss_mib_per_stream: number;
  gateway_cpu_pct: number;
  gateway_cpu_pct_over_idle: number;
  gateway_rss_mib: number;
  min_viewer_kbps: number;
}

/**
 * Gateway ffmpeg children serving `cameras` in `format`, matched on the stream's process tag
 * (`title=gwstream-<camera>-…`; the camera's URI is not in argv) and the codec. Every viewer in
 * this run asks for the sub profile, so one stream per camera and format.
 */
function streamProcs(site: SiteHarness, cameras: string[], format: Format): number[] {
  const tags = cameras.map((c) => `title=gwstream-${c.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32)}-`);
  return ffmpegDescendants(site.pid('gateway'))
    .filter((p) => tags.some((tag) => p.args.some((a) => a.startsWith(tag))) && p.args.includes('mpeg1video') === (format === 'mpeg1'))
    .map((p) => p.pid);
}

async function measureViewers(site: SiteHarness, viewers: Viewer[], format: Format, cameras: string[], idleGatewayPct: number, seen: Set<number>): Promise<CpuFigures> {
  await until(() => viewers.every((v) => v.bytes > 0), 20000, `${viewers.length} ${format} viewers receiving`);
  let pids: number[] = [];
  await until(() => (pids = streamProcs(site, cameras, format)).length >= cameras.length, 10000, `${format} ffmpeg for ${cameras.join(',')}`);
  for (const p of pids) seen.add(p);
  await sleep(1500); // past the start-up burst (GOP cache sent, encoder warm-up)
  pids = streamProcs(site, cameras, format);
  const gw = site.pid('gateway');
  const bytes0 = viewers.map((v) => v.bytes);
  const t0 = performance.now();
  const s = await sampleCpu([...pids, gw], CPU_WINDOW_MS);
  const wallS = (performance.now() - t0) / 1000;
  const kbps = viewers.map((v, i) => ((v.bytes - bytes0[i]!) * 8) / 1000 / wallS);
  if (kbps.some((k) => k <= 0)) throw new Error(`a ${format} viewer received nothing during the window`);
  const ff = pids.map((p) => s.get(p)!);
  const g = s.get(gw)!;
  return {
    format,
    viewers: viewers.length,
    cameras: cameras.length,
    ffmpeg_processes: pids.length,
    ffmpeg_cpu_pct_per_stream: round(ff.reduce((a, x) => a + x.cpuPct, 0) / pids.length, 2),
    ffmpeg_rss_mib_per_stream: round(ff.reduce((a, x) => a + x.rssMiB, 0) / pids.length, 1),
    gateway_cpu_pct: round(g.cpuPct, 2),
    gateway_cpu_pct_over_idle: round(g.cpuPct - idleGatewayPct, 2),
    gateway_rss_mib: round(g.rssMiB, 1),
    min_viewer_kbps: round(Math.min(...kbps), 0),
  };
}

/** A viewer joining a warm stream: ms from connect to the open socket, the init message, the first media bytes. */
async function joinWarm(site: SiteHarness, camera: string, profile: Profile, times: number): Promise<{ open: number[]; init: number[]; media: number[] }> {
  const r = { open: [] as number[], init: [] as number[], media: [] as number[] };
  for (let i = 0; i < times; i++) {
    const t0 = Date.now();
    const ws = new WebSocket(`${site.baseUrl.replace('http', 'ws')}/api/streams/${camera}?profile=${profile}`, { headers: { authorization: `Bearer ${site.token}`, origin: site.baseUrl } });
    ws.on('error', () => undefined);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`joining ${camera}: no media in 15 s`)), 15000);
        ws.on('open', () => r.open.push(Date.now() - t0));
        ws.on('message', (data: Buffer, isBinary: boolean) => {
          if (!isBinary && data.toString().includes('"init"')) r.init.push(Date.now() - t0);
          if (isBinary && r.media.length === i) {
            r.media.push(Date.now() - t0);
            clearTimeout(timer);
            resolve();
          }
        });
      });
    } finally {
      ws.terminate();
    }
    await sleep(200);
  }
  return r;
}

function closeViewers(viewers: Viewer[]): void {
  for (const v of viewers) v.ws.close(1000, 'bench done');
}

function cpuLine(f: CpuFigures): string {
  return `${`${f.format} ${f.viewers} viewer(s) of ${f.cameras} camera(s)`.padEnd(36)} ffmpeg ×${f.ffmpeg_processes}: ${f.ffmpeg_cpu_pct_per_stream.toFixed(2).padStart(6)} % core, ${f.ffmpeg_rss_mib_per_stream.toFixed(1).padStart(5)} MiB per stream; gateway ${f.gateway_cpu_pct.toFixed(2).padStart(6)} % (+${f.gateway_cpu_pct_over_idle.toFixed(2)} over idle), ${f.gateway_rss_mib.toFixed(1)} MiB; slowest viewer ${f.min_viewer_kbps} kbit/s`;
}

export async function run(): Promise<void> {
  const presses = Math.max(10, Number(process.argv[3] ?? 12));
  // Which profile the site keeps warm for alarm-linked cameras: the site default (sub) unless asked.
  const warmProfile: Profile = process.argv[4] === 'main' ? 'main' : 'sub';
  const started = Date.now();
  const site = new SiteHarness({
    heartbeatMs: 2000,
    video: { warm: 'linked', clips: false },
    // Keep a 2-core machine responsive: only the pressed box has linked cameras (its own and the dome: the two tiles).
    edit: (doc) => {
      for (const b of doc.alarmBoxes) b.cameras = b.id === BOX ? [{ camera: OWN_CAMERA }, { camera: DOME, preset: '1' }] : [];
      doc.video.warmProfile = warmProfile;
    },
  });
  const spawnedFfmpeg = new Set<number>();
  const viewers: Viewer[] = [];
  let browser: Browser | null = null;
  const out: string[] = [];
  let summary: Record<string, unknown> = {};
  try {
    process.stderr.write('starting the demo site on simulators…\n');
    await site.start();
    await site.allOnline();
    const midnight = localMidnight(Date.now());

    process.stderr.write('logging into the dashboard in Chromium…\n');
    browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
    browserVersion = browser.version();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.addInitScript(initScript());
    await page.goto(`${site.baseUrl}/`);
    await page.locator('input:not([type="password"])').first().fill('admin');
    await page.locator('input[type="password"]').fill(site.adminPassword!);
    await page.locator('button[type="submit"]').click();
    await page.locator('.device-list li').first().waitFor({ timeout: 15000 });
    // Warm streams fill their GOP caches.
    await sleep(3000);

    // 1. Alarm → first painted frame (two warm-up presses not counted).
    const firstFrame: number[] = [];
    const toElement: number[] = [];
    const elementToFrame: number[] = [];
    const warmups = 2;
    for (let i = 0; i < presses + warmups; i++) {
      const ms = await alarmToFirstFrame(site, page);
      if (i >= warmups) {
        firstFrame.push(ms.frame);
        toElement.push(ms.element);
        elementToFrame.push(ms.frame - ms.element);
      }
      const last = i === presses + warmups - 1;
      if (last) break; // the last alarm stays open for glass to glass
      await settle(site, page);
      // Press at a random moment relative to the camera's 1 s GOP, as a person would.
      await sleep(300 + Math.random() * 1000);
      if ((i + 1) % 5 === 0) process.stderr.write(`  ${i + 1}/${presses + warmups} presses\n`);
    }

    // 2. Glass to glass on the open alarm's first tile, then the direct decoder reference.
    process.stderr.write('glass to glass in the page…\n');
    const size = await (
      await page.waitForFunction(() => {
        const v = document.querySelector('.alarm-tiles video') as HTMLVideoElement | null;
        return !!v && v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0 ? `${v.videoWidth}x${v.videoHeight}` : null;
      }, undefined, { timeout: 30000 })
    ).jsonValue();
    // The dashboard's alarm tile picks its profile itself: measure what it plays.
    tileProfile = (Object.keys(PROFILES) as Profile[]).find((p) => `${PROFILES[p].width}x${PROFILES[p].height}` === size) ?? null;
    if (!tileProfile) throw new Error(`the tile plays ${size}, no profile of the simulated camera`);
    const tc = timecodeLayout(PROFILES[tileProfile].width, PROFILES[tileProfile].height);
    const g2g = await glassToGlass(page, midnight, tc, G2G_FRAMES, G2G_TIMEOUT_MS);
    // The tile's video as it stands after the measurement (explains a frozen tile when n is small).
    const tileState = await page.evaluate(() => {
      const v = document.querySelector('.alarm-tiles video') as HTMLVideoElement | null;
      if (!v) return null;
      const b = v.buffered;
      return {
        tileStatus: v.closest('.video-tile')?.getAttribute('data-status') ?? null,
        readyState: v.readyState,
        paused: v.paused,
        currentTime: Math.round(v.currentTime * 100) / 100,
        bufferedEnd: b.length ? Math.round(b.end(b.length - 1) * 100) / 100 : null,
        bufferedRanges: b.length,
        decodedFrames: v.getVideoPlaybackQuality().totalVideoFrames,
      };
    });
    process.stderr.write('reference: ffmpeg decoding the camera RTSP directly…\n');
    const ref = await referenceDecoder(site, tileProfile, midnight, tc, REF_FRAMES, spawnedFfmpeg);
    await settle(site, page);
    await browser.close();
    browser = null;

    // 3. A viewer joining a warm stream, without the browser: where the time to a picture goes.
    process.stderr.write('joining a warm stream from a plain WebSocket…\n');
    const join = await joinWarm(site, OWN_CAMERA, warmProfile, 5);

    // 4. CPU and memory per stream.
    process.stderr.write('CPU and memory per stream…\n');
    const gw = site.pid('gateway');
    // The warm streams of the linked cameras (the tile's on-demand streams may still be winding down).
    const warmPids = streamProcs(site, [OWN_CAMERA, DOME], 'fmp4');
    for (const p of warmPids) spawnedFfmpeg.add(p);
    const idle = await sampleCpu([gw, ...warmPids], CPU_WINDOW_MS);
    const idleGateway = idle.get(gw)!;
    const warm = warmPids.map((p) => idle.get(p)!);
    const cpu: CpuFigures[] = [];
    for (const format of ['fmp4', 'mpeg1'] as const) {
      const cam = CPU_CAMERAS[0]!;
      const open: Viewer[] = [];
      for (const n of [1, 4, 16]) {
        while (open.length < n) {
          const v = openViewer(site, cam, format);
          open.push(v);
          viewers.push(v);
        }
        const f = await measureViewers(site, open, format, [cam], idleGateway.cpuPct, spawnedFfmpeg);
        if (f.ffmpeg_processes !== 1) throw new Error(`${n} ${format} viewers of one camera ran ${f.ffmpeg_processes} ffmpeg`);
        cpu.push(f);
        process.stderr.write(`  ${cpuLine(f)}\n`);
      }
      closeViewers(open);
      const many = CPU_CAMERAS.map((c) => openViewer(site, c, format));
      viewers.push(...many);
      const f = await measureViewers(site, many, format, CPU_CAMERAS, idleGateway.cpuPct, spawnedFfmpeg);
      cpu.push(f);
      process.stderr.write(`  ${cpuLine(f)}\n`);
      closeViewers(many);
    }
    for (const v of viewers) v.ws.terminate();

    const a = percentiles(firstFrame);
    const g = percentiles(g2g.samples);
    const r = percentiles(ref.samples);
    const pick = (format: Format, viewers: number, cameras: number) => cpu.find((c) => c.format === format && c.viewers === viewers && c.cameras === cameras)!;
    const configs: Array<[number, number]> = [[1, 1], [4, 1], [16, 1], [4, 4]];
    const ratios = configs.map(([v, c]) => {
      const f = pick('fmp4', v, c);
      const m = pick('mpeg1', v, c);
      return {
        viewers: v,
        cameras: c,
        cpu: round(m.ffmpeg_cpu_pct_per_stream / Math.max(0.01, f.ffmpeg_cpu_pct_per_stream), 1),
        rss: round(m.ffmpeg_rss_mib_per_stream / f.ffmpeg_rss_mib_per_stream, 2),
      };
    });
    const added = (p: Percentiles) => round(p.p50 - r.p50, 1);

    const tp = PROFILES[tileProfile];
    out.push(`video bench: ${presses} alarms on ${BOX} (tiles ${OWN_CAMERA} + ${DOME}); site keeps the ${warmProfile} profile warm, the alarm tile plays ${tileProfile} ${tp.width}x${tp.height}@${tp.fps}; Chromium ${browserVersion}`);
    out.push(line('alarm → first painted frame (first tile)', a));
    out.push(line('  press → tile video element in the page', percentiles(toElement)));
    out.push(line('  video element → first presented frame', percentiles(elementToFrame)));
    out.push(line(`  warm ${warmProfile} stream, plain WebSocket: connect → init`, percentiles(join.init)));
    out.push(line(`  warm ${warmProfile} stream, plain WebSocket: connect → media`, percentiles(join.media)));
    out.push(`  goal p50 ≤ 500 ms: ${a.p50 <= 500 ? 'met' : 'NOT met'}`);
    out.push(line('reference: camera RTSP → ffmpeg decode here', r));
    out.push(line('glass to glass: camera → gateway → Chromium', g));
    out.push(`  the tile presented ${g2g.presentedFps.toFixed(1)} frames/s (camera sends ${PROFILES[tileProfile].fps}); undecoded strips: page ${g2g.undecoded}, reference ${ref.undecoded}; tile video replaced ${g2g.replaced}×; gateway + browser add ${added(g).toFixed(1)} ms at p50; ratio ×${(g.p50 / r.p50).toFixed(2)} at p50; goal p50 ≤ 250 ms: ${g.p50 <= 250 ? 'met' : 'NOT met'}`);
    if (g.n < 50) out.push(`  WARNING: only ${g.n} presented frames in ${G2G_TIMEOUT_MS / 1000} s: the tile froze; its video at the end: ${JSON.stringify(tileState)}`);
    out.push(`idle gateway (2 warm fmp4 ${warmProfile} streams): ${idleGateway.cpuPct.toFixed(2)} % core, ${idleGateway.rssMiB.toFixed(1)} MiB; warm ffmpeg ×${warm.length}: ${warm.map((w) => `${w.cpuPct.toFixed(2)} % ${w.rssMiB.toFixed(1)} MiB`).join(', ')}`);
    for (const f of cpu) out.push(cpuLine(f));
    out.push(`mpeg1/fmp4 ffmpeg CPU per stream: ${ratios.map((x) => `${x.viewers}v/${x.cameras}c ×${x.cpu}`).join(', ')}; memory ${ratios.map((x) => `×${x.rss}`).join(', ')}`);
    summary = {
      bench: 'video',
      presses,
      warm_profile: warmProfile,
      tile_profile: `${tileProfile} ${tp.width}x${tp.height}@${tp.fps}`,
      cpu_viewer_profile: 'sub',
      alarm_to_first_frame_ms: a,
      press_to_video_element_ms: percentiles(toElement),
      video_element_to_first_frame_ms: percentiles(elementToFrame),
      warm_stream_join_ms: { open: percentiles(join.open), init: percentiles(join.init), first_media: percentiles(join.media) },
      tile_presented_fps: round(g2g.presentedFps, 1),
      tile_video_replaced: g2g.replaced,
      tile_video_after: tileState,
      glass_to_glass_valid: g.n >= 50,
      glass_to_glass_ms: g,
      reference_decoder_ms: r,
      glass_to_glass_added_p50_ms: added(g),
      ratio_glass_to_glass_to_reference_p50: round(g.p50 / r.p50, 2),
      undecoded_strips: { page: g2g.undecoded, reference: ref.undecoded },
      goals_met: { alarm_to_first_frame_p50_500: a.p50 <= 500, glass_to_glass_p50_250: g.p50 <= 250 },
      idle: { gateway_cpu_pct: round(idleGateway.cpuPct, 2), gateway_rss_mib: round(idleGateway.rssMiB, 1), warm_ffmpeg: warm.map((w) => ({ cpu_pct: round(w.cpuPct, 2), rss_mib: round(w.rssMiB, 1) })) },
      per_stream: cpu,
      ratio_mpeg1_to_fmp4: ratios,
    };
  } finally {
    for (const v of viewers) v.ws.terminate();
    await browser?.close().catch(() => undefined);
    const camTags = [...(site.sims?.media.values() ?? [])].map((m) => m.processTag);
    const gwPid = site.supervisor ? site.supervisor.pid('gateway') : undefined;
    if (gwPid) for (const p of ffmpegDescendants(gwPid)) spawnedFfmpeg.add(p.pid);
    for (const p of ffmpegDescendants(process.pid)) spawnedFfmpeg.add(p.pid);
    await site.stop();
    // Nothing of ours may outlive the run: gateway streams, camera encoders, the reference decoder.
    const left = (): number[] => [
      ...[...spawnedFfmpeg].filter((p) => alive(p) && cmdlineOf(p)[0]?.endsWith('ffmpeg')),
      ...ffmpegDescendants(process.pid).map((p) => p.pid),
      ...camTagged(camTags),
    ];
    await until(() => left().length === 0, 10000, 'no ffmpeg left').catch(() => undefined);
    const remaining = [...new Set(left())];
    process.stderr.write(`ffmpeg left: ${remaining.length === 0 ? 'none' : remaining.join(' ')}\n`);
    out.push(`ffmpeg left after the run (pgrep): ${remaining.length === 0 ? 'none' : remaining.join(' ')}; ${spawnedFfmpeg.size} ffmpeg seen; took ${round((Date.now() - started) / 1000, 0)} s`);
    summary = { ...summary, ffmpeg_left: remaining.length, duration_s: round((Date.now() - started) / 1000, 0) };
  }
  for (const l of out) process.stdout.write(`${l}\n`);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

let browserVersion = '';
let tileProfile: Profile | null = null;

/** Processes whose command line carries one of the camera simulators' process tags (pgrep -f). */
function camTagged(tags: string[]): number[] {
  return tags.flatMap((t) => {
    try {
      return execFileSync('pgrep', ['-f', t], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}
