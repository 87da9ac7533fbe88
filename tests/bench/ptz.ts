// `npm run bench -- ptz [presses]`: a site with 16 cameras on the simulator; each press opens an
// alarm whose dome must turn. Figures: press → GotoPreset received by the camera, the raw SOAP
// round trip (bench → camera) in the same run as the reference, and the time to discover and
// connect 16 cameras with our adapter.
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { SiteHarness } from '../support/site-harness.ts';
import { until } from '../support/until.ts';
import { line, percentiles, type Percentiles } from './stats.ts';
import { envelope, securityHeader } from '../../gateway/cameras/soap/envelope.ts';
import { gotoPresetBody } from '../../gateway/cameras/soap/ptz.ts';
import { probe } from '../../gateway/cameras/discovery.ts';
import { CameraFleet } from '../../gateway/cameras/camera-fleet.ts';

const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
const EXTRA_CAMERAS = 5;

function waitEvent(emitter: NodeJS.EventEmitter, event: string, accept: (...args: any[]) => boolean, timeoutMs: number): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, l);
      reject(new Error(`timed out waiting for ${event}`));
    }, timeoutMs);
    const l = (...args: any[]) => {
      if (!accept(...args)) return;
      clearTimeout(timer);
      emitter.off(event, l);
      resolve(args);
    };
    emitter.on(event, l);
  });
}

export async function run(): Promise<void> {
  const presses = Number(process.argv[3] ?? 500);
  const site = new SiteHarness({
    heartbeatMs: 2000,
    // Real cameras make snapshots in their own hardware; the simulator's ffmpeg would load our CPU.
    cameraMedia: false,
    edit: (doc) => {
      for (const c of doc.cameras) if (c.scan) c.scan.dwellMs = 600000;
      for (let i = 1; i <= EXTRA_CAMERAS; i++) {
        doc.cameras.push({ id: `eyes-extra-${i}`, name: { zh: `雪亮·外围${i}`, en: `Sharp Eyes: perimeter ${i}` }, kind: 'fixed', onvif: { host: '127.0.0.1', port: 0 } });
      }
    },
  });
  process.stderr.write('starting the demo site with 16 cameras on simulators…\n');
  await site.start();
  await site.allOnline();
  await until(async () => {
    const r = await site.api<Array<{ state: string }>>('GET', '/api/cameras');
    return r.body.length === 16 && r.body.every((c) => c.state === 'online');
  }, 60000, '16 cameras online');

  const boxes = [
    { boxId: 'box-gate', dome: 'dome-gate' },
    { boxId: 'box-teaching-2f', dome: 'dome-teaching' },
    { boxId: 'box-playground', dome: 'dome-playground' },
  ];
  const samples: number[] = [];
  for (let i = 0; i < presses + 15; i++) {
    const { boxId, dome } = boxes[i % boxes.length]!;
    const cam = site.sims.camera(dome);
    const goto = waitEvent(cam, 'goto-preset', (token: string) => token === '1', 10000);
    const t0 = process.hrtime.bigint();
    site.sims.box(boxId).press(boxId);
    const [, atNs] = (await goto) as [string, bigint];
    if (i >= 15) samples.push(ms(t0, atNs));
    // Close the alarm so the next press opens a new one; wait for the dome to be sent home.
    site.sims.box(boxId).release(boxId);
    let incidentId: string | undefined;
    await until(async () => {
      const r = await site.api<Array<{ id: string; boxId: string; kind: string }>>('GET', '/api/incidents?open=true');
      incidentId = r.body.find((x) => x.boxId === boxId && x.kind === 'panic')?.id;
      return incidentId !== undefined;
    }, 10000, 'incident');
    const home = waitEvent(cam, 'goto-home', () => true, 10000);
    await site.api('POST', `/api/incidents/${incidentId}/cancel`, { reason: 'test', note: 'ptz bench' });
    await home;
    if ((i - 15) % 100 === 0 && i >= 15) process.stderr.write(`  ${i - 15}/${presses} presses\n`);
  }

  process.stderr.write('measuring the raw SOAP round trip reference…\n');
  const refCam = site.sims.camera('dome-gate');
  const creds = site.secrets.cameras['dome-gate']!;
  const ref: number[] = [];
  for (let i = 0; i < Math.max(200, presses / 2); i++) {
    const { action, body } = gotoPresetBody('main', '1');
    const xml = envelope(body, securityHeader({ username: creds.username, password: creds.password, createdMs: Date.now(), nonce: randomBytes(16) }));
    const got = waitEvent(refCam, 'goto-preset', () => true, 5000);
    const t0 = process.hrtime.bigint();
    const res = fetch(`${refCam.baseUrl}/onvif/ptz_service`, { method: 'POST', headers: { 'content-type': `application/soap+xml; charset=utf-8; action="${action}"` }, body: xml });
    const [, atNs] = (await got) as [string, bigint];
    ref.push(ms(t0, atNs));
    await (await res).text();
  }

  process.stderr.write('discovering and connecting 16 cameras with our adapter…\n');
  const t0 = Date.now();
  const found = await probe({ targets: site.site.discovery.probeTargets, timeoutMs: 1000 });
  const discoveredMs = Date.now() - t0;
  const fleet = new CameraFleet({
    cameras: site.site.cameras,
    credentials: (id) => site.secrets.cameras[id] ?? null,
    discovery: { enabled: false, probeTargets: [], timeoutMs: 1000 },
    logger: pino({ level: 'silent' }),
  });
  const online = new Set<string>();
  fleet.on('health', (h: { cameraId: string; state: string }) => h.state === 'online' && online.add(h.cameraId));
  const t1 = Date.now();
  fleet.start();
  await until(() => online.size === 16, 60000, '16 cameras connected');
  const connectMs = Date.now() - t1;
  await fleet.stop();
  await site.stop();

  const p = percentiles(samples);
  const r = percentiles(ref);
  const added = (x: Percentiles) => Math.round((x.p99 - r.p99) * 1000) / 1000;
  process.stdout.write(`ptz bench: ${presses} presses, 16 cameras configured (4 PTZ domes)\n`);
  process.stdout.write(`${line('reference: raw SOAP GotoPreset → camera', r)}\n`);
  process.stdout.write(`${line('press → GotoPreset received by the camera', p)}\n`);
  process.stdout.write(`gateway adds at p99: ${added(p).toFixed(2)} ms (goal ≤ 100); ratio to reference at p99 ×${(p.p99 / r.p99).toFixed(1)}\n`);
  process.stdout.write(`discovery: ${found.length} cameras answered in a ${discoveredMs} ms probe window; connect 16 cameras: ${connectMs} ms; total ${discoveredMs + connectMs} ms\n`);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'ptz',
      presses,
      cameras: 16,
      reference_soap_round_trip_ms: r,
      press_to_goto_preset_ms: p,
      gateway_added_p99_ms: added(p),
      ratio_p99: Math.round((p.p99 / r.p99) * 100) / 100,
      goal_met: added(p) <= 100,
      discovery: { answered: found.length, window_ms: discoveredMs },
      connect_16_ms: connectMs,
      discover_and_connect_16_ms: discoveredMs + connectMs,
    })}\n`,
  );
}
