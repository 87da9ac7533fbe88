// No ffmpeg is left behind by the gateway: not on a crash (kill -9), not on a clean shutdown.
// Warm streams (alarm-linked cameras) come back by themselves after a restart.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SiteHarness } from '../../support/site-harness.ts';
import { until } from '../../support/until.ts';

function ffmpegChildren(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid), 'ffmpeg'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('stream lifecycle of the gateway', () => {
  const site = new SiteHarness({
    video: { warm: 'linked', clips: false },
    edit: (doc) => {
      for (const b of doc.alarmBoxes) if (b.id !== 'box-gate') b.cameras = [];
    },
  });

  beforeAll(async () => {
    await site.start();
    await site.allOnline();
  }, 90000);
  afterAll(() => site.stop(), 30000);

  it('keeps the alarm-linked cameras warm: one ffmpeg each, without any viewer', async () => {
    await until(() => ffmpegChildren(site.pid('gateway')).length === 3, 20000, 'three warm streams');
  });

  it('a crashed gateway (kill -9) leaves no ffmpeg behind, and the warm streams return after restart', async () => {
    const gw = site.pid('gateway');
    const children = ffmpegChildren(gw);
    expect(children.length).toBe(3);
    process.kill(gw, 'SIGKILL');
    await until(() => children.every((p) => !alive(p)), 15000, 'orphaned ffmpeg gone');
    site.supervisor.respawn('gateway');
    await until(() => site.supervisor.pid('gateway') !== undefined && site.supervisor.pid('gateway') !== gw, 10000, 'gateway back');
    await until(() => ffmpegChildren(site.pid('gateway')).length === 3, 30000, 'warm streams back');
  });

  it('a stream nobody asked for starts on demand for a viewer, and the intercom and stream sockets need a session', async () => {
    const before = ffmpegChildren(site.pid('gateway')).length;
    const ws = new WebSocket(`${site.baseUrl.replace('http', 'ws')}/api/streams/dome-dorm?profile=sub`, { headers: { authorization: `Bearer ${site.token}` } });
    let bytes = 0;
    ws.on('message', (d: Buffer, binary: boolean) => binary && (bytes += d.length));
    await until(() => bytes > 10000, 20000, 'video bytes for a viewer');
    expect(ffmpegChildren(site.pid('gateway')).length).toBe(before + 1);
    ws.close();
    for (const path of ['/api/streams/dome-gate', '/api/intercom/cam-box-gate']) {
      const anon = new WebSocket(`${site.baseUrl.replace('http', 'ws')}${path}`);
      const status = await new Promise<number>((resolve) => {
        anon.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        anon.on('open', () => resolve(101));
        anon.on('error', () => undefined);
      });
      anon.terminate();
      expect(status).toBe(401);
    }
  });

  it('disabling a user closes their stream and intercom sockets at once (4401)', async () => {
    const created = await site.api('POST', '/api/users', { username: 'op.viewer', role: 'operator', password: 'viewer-pass-12345' });
    expect(created.status).toBe(201);
    const token = await site.login('op.viewer', 'viewer-pass-12345');
    const open = (path: string) => {
      const ws = new WebSocket(`${site.baseUrl.replace('http', 'ws')}${path}`, { headers: { authorization: `Bearer ${token}`, origin: site.baseUrl } });
      const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
      const opened = new Promise<void>((resolve, reject) => {
        ws.on('open', () => resolve());
        ws.on('unexpected-response', (_req, res) => reject(new Error(`${path}: HTTP ${res.statusCode}`)));
      });
      return { ws, closed, opened };
    };
    const stream = open('/api/streams/dome-gate?profile=sub');
    const talk = open('/api/intercom/cam-box-gate');
    await Promise.all([stream.opened, talk.opened]);
    let bytes = 0;
    stream.ws.on('message', (d: Buffer, binary: boolean) => binary && (bytes += d.length));
    await until(() => bytes > 1000, 20000, 'video for the viewer');
    expect((await site.api('POST', '/api/users/op.viewer/disable', {})).status).toBe(200);
    const codes = await Promise.race([
      Promise.all([stream.closed, talk.closed]),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('sockets still open 5 s after disable')), 5000)),
    ]);
    expect(codes).toEqual([4401, 4401]);
  });

  it('a clean shutdown stops every ffmpeg of the gateway', async () => {
    const gw = site.pid('gateway');
    const children = ffmpegChildren(gw);
    expect(children.length).toBeGreaterThan(0);
    process.kill(gw, 'SIGTERM');
    await until(() => !alive(gw), 15000, 'gateway exited');
    await until(() => children.every((p) => !alive(p)), 5000, 'ffmpeg gone with it');
  });
});
