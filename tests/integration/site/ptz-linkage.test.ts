// Cameras on a whole site: simulated ONVIF cameras, the real gateway. A press turns the dome above
// the box at once, then it scans; competing alarms follow the documented rule; an operator's hand
// wins over linkage; closing sends the dome home; snapshots are attached; health is on the feed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnvifCamera } from '../../../gateway/cameras/onvif-camera.ts';
import { SimulatedCamera } from '../../../simulators/camera/simulated-camera.ts';
import { SiteHarness } from '../../support/site-harness.ts';
import { until } from '../../support/until.ts';

interface Incident {
  id: string;
  boxId: string;
  kind: string;
  state: string;
}
interface Camera {
  cameraId: string;
  state: string;
  ptz?: { serving: string | null; phase: string; manual: unknown };
}

describe('PTZ domes and cameras on alarm', () => {
  const site = new SiteHarness({
    edit: (doc) => {
      for (const c of doc.cameras) if (c.scan) Object.assign(c.scan, { dwellMs: 400, stepMs: 500 });
      doc.discovery.intervalMs = 1000;
    },
  });
  const gotos = new Map<string, string[]>();
  const homes = new Map<string, number>();
  const tours: Array<{ cameraId: string; op: string }> = [];

  const openIncident = async (boxId: string, kind = 'panic') => {
    let found: Incident | undefined;
    await until(async () => {
      const r = await site.api<Incident[]>('GET', '/api/incidents?open=true');
      found = r.body.find((i) => i.boxId === boxId && i.kind === kind);
      return !!found;
    }, 10000, `open ${kind} incident for ${boxId}`);
    return found!;
  };
  const cancel = (id: string) => site.api('POST', `/api/incidents/${id}/cancel`, { reason: 'drill', note: 'linkage test' });

  beforeAll(async () => {
    await site.start();
    for (const [id, cam] of site.sims.cameras) {
      gotos.set(id, []);
      homes.set(id, 0);
      cam.on('goto-preset', (token: string) => gotos.get(id)!.push(token));
      cam.on('goto-home', () => homes.set(id, homes.get(id)! + 1));
      cam.on('tour', (_token: string, op: string) => tours.push({ cameraId: id, op }));
    }
    await site.allOnline();
    await until(async () => {
      const r = await site.api<Camera[]>('GET', '/api/cameras');
      return r.body.length === 11 && r.body.every((c) => c.state === 'online');
    }, 30000, 'all cameras online');
  }, 120000);
  afterAll(() => site.stop(), 30000);

  it('a press turns the dome above the box to its preset, then it scans with its own preset tour', async () => {
    site.sims.box('box-gate').press('box-gate');
    await until(() => gotos.get('dome-gate')!.includes('1'), 5000, 'dome-gate to preset 1');
    await until(() => tours.some((t) => t.cameraId === 'dome-gate' && /start/i.test(t.op)), 5000, 'preset tour started after the dwell');
  });

  it('attaches a snapshot from every camera linked to the box', async () => {
    const inc = await openIncident('box-gate');
    await until(async () => {
      const r = await site.api<Array<{ cameraId: string; id: number }>>('GET', `/api/incidents/${inc.id}/attachments`);
      return new Set(r.body.map((a) => a.cameraId)).size === 3;
    }, 10000, 'three snapshots');
    const list = await site.api<Array<{ id: number }>>('GET', `/api/incidents/${inc.id}/attachments`);
    const res = await fetch(`${site.baseUrl}/api/incidents/${inc.id}/attachments/${list.body[0]!.id}`, { headers: { authorization: `Bearer ${site.token}` } });
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect((await fetch(`${site.baseUrl}/api/incidents/${inc.id}/attachments/${list.body[0]!.id}`)).status).toBe(401);
  });

  it('closing the incident stops the tour and sends the dome home', async () => {
    const inc = await openIncident('box-gate');
    const before = homes.get('dome-gate')!;
    expect((await cancel(inc.id)).status).toBe(200);
    await until(() => homes.get('dome-gate')! > before, 5000, 'dome-gate home');
    expect(tours.some((t) => t.cameraId === 'dome-gate' && /stop/i.test(t.op))).toBe(true);
  });

  it('a dome without tours scans our own loop over its configured presets', async () => {
    site.sims.box('box-teaching-2f').press('box-teaching-2f');
    await until(() => gotos.get('dome-teaching')!.includes('1'), 5000, 'preset 1');
    await until(() => gotos.get('dome-teaching')!.includes('3') && gotos.get('dome-teaching')!.includes('4'), 5000, 'scan over 3 and 4');
  });

  it('a newer alarm of equal priority takes the shared dome; when it closes the dome goes back to the older one', async () => {
    const n = gotos.get('dome-teaching')!.length;
    site.sims.box('box-office').press('box-office');
    await until(() => gotos.get('dome-teaching')!.slice(n).includes('2'), 5000, 'dome-teaching to the office preset');
    const office = await openIncident('box-office');
    const m = gotos.get('dome-teaching')!.length;
    await cancel(office.id);
    await until(() => gotos.get('dome-teaching')!.slice(m).includes('1'), 5000, 'back to the teaching-building box');
  });

  it('linkage does not fight an operator who took the dome, and resumes on release', async () => {
    expect((await site.api('POST', '/api/cameras/dome-dorm/ptz/take', {})).status).toBe(200);
    const n = gotos.get('dome-dorm')!.length;
    site.sims.box('box-dorm').press('box-dorm');
    await openIncident('box-dorm');
    await new Promise((r) => setTimeout(r, 500));
    expect(gotos.get('dome-dorm')!.slice(n)).toEqual([]);
    const cams = await site.api<Camera[]>('GET', '/api/cameras');
    expect(cams.body.find((c) => c.cameraId === 'dome-dorm')?.ptz?.manual).toBeTruthy();
    expect((await site.api('POST', '/api/cameras/dome-dorm/ptz/release', {})).status).toBe(200);
    await until(() => gotos.get('dome-dorm')!.slice(n).includes('1'), 5000, 'dome-dorm to the box after release');
  });

  it('manual PTZ is refused to a role that may not control cameras, and for a fixed camera', async () => {
    expect((await site.api<{ code: string }>('POST', '/api/cameras/eyes-playground/ptz/take', {})).body.code).toBe('PTZ_UNSUPPORTED');
    const created = await site.api<{ password: string }>('POST', '/api/users', { username: 'patrol-1', role: 'patrol', team: 'team-east' });
    const token = await site.login('patrol-1', created.body.password);
    const res = await fetch(`${site.baseUrl}/api/cameras/dome-dorm/ptz/take`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(403);
  });

  it('camera health reaches the feed: offline within seconds, online again when it is back', async () => {
    const cam = site.sims.camera('eyes-playground');
    cam.setOffline(true);
    const state = async () => (await site.api<Camera[]>('GET', '/api/cameras')).body.find((c) => c.cameraId === 'eyes-playground')?.state;
    await until(async () => (await state()) === 'offline', 15000, 'offline');
    cam.setOffline(false);
    await until(async () => (await state()) === 'online', 30000, 'online again');
  });

  it('the stream a camera reports over ONVIF is live H.264 that ffprobe reads, behind the camera password', async () => {
    const creds = site.secrets.cameras['cam-box-gate']!;
    const cam = new OnvifCamera({ config: site.site.cameras.find((c) => c.id === 'cam-box-gate')!, credentials: creds, logger: pino({ level: 'silent' }) });
    cam.start();
    try {
      await until(() => cam.health().state === 'online', 10000, 'adapter online');
      const uri = new URL(await cam.streamUri('sub'));
      uri.username = creds.username;
      uri.password = creds.password;
      // Async: the simulated camera serves RTSP from this very process.
      const ffprobe = promisify(execFile);
      const { stdout } = await ffprobe('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height', '-of', 'json', uri.toString()], { timeout: 20000 });
      expect(JSON.parse(stdout).streams[0]).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
      uri.password = 'wrong-password';
      await expect(ffprobe('ffprobe', ['-v', 'error', '-rtsp_transport', 'tcp', uri.toString()], { timeout: 20000 })).rejects.toThrow();
    } finally {
      await cam.close();
    }
  });

  it('a camera installed later is found by discovery and adopted with the site-wide account', async () => {
    const creds = site.secrets.cameras['*']!;
    const extra = new SimulatedCamera({ id: 'late-cam', name: 'Late camera', model: 'fixed', username: creds.username, password: creds.password, httpPort: 0 });
    await extra.start();
    try {
      site.sims.announce(extra);
      await until(async () => (await site.api<Camera[]>('GET', '/api/cameras')).body.some((c) => c.cameraId.startsWith('found-') && c.state === 'online'), 15000, 'adopted camera online');
    } finally {
      await extra.stop();
    }
  });

  it('camera tamper raises an alarm', async () => {
    site.sims.camera('eyes-south-gate').triggerTamper(true);
    const inc = await openIncident('eyes-south-gate', 'tamper');
    expect(inc.kind).toBe('tamper');
  });
});
