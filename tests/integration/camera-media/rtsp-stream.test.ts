// The simulated camera's RTSP side against real players (ffprobe, ffmpeg) and a raw client.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CameraMedia } from '../../../simulators/camera/camera-media.ts';
import { until } from '../../support/until.ts';
import { cleanup, ffprobeStream, framesReceived, keyframeFlags, pidsWithTag, RawRtspClient, withCredentials } from './media-tools.ts';

const USER = 'operator';
const PASS = 'c4m-s1m-pass';
const creds = { user: USER, pass: PASS };

let cam: CameraMedia;

beforeAll(async () => {
  cam = new CameraMedia({
    cameraName: 'gate-cam-stream',
    username: USER,
    password: PASS,
    rtspPort: 0,
    idleStopMs: 1000,
    profiles: [
      { token: 'main', width: 640, height: 360, fps: 15, keyframeIntervalS: 1 },
      { token: 'sub', width: 320, height: 180, fps: 10, keyframeIntervalS: 2, bitrateKbps: 200 },
    ],
  });
  await cam.start();
});

afterEach(cleanup);

afterAll(async () => {
  await cam.stop();
  expect(await pidsWithTag(cam.processTag)).toEqual([]);
});

describe('camera media RTSP stream', () => {
  it('serves H.264 at the profile size to ffprobe over RTSP/TCP behind digest auth', async () => {
    const main = await ffprobeStream(withCredentials(cam.rtspUrl('main'), USER, PASS));
    expect(main.code, main.stderr).toBe(0);
    expect(main.stream).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    const sub = await ffprobeStream(withCredentials(cam.rtspUrl('sub'), USER, PASS));
    expect(sub.stream).toMatchObject({ codec_name: 'h264', width: 320, height: 180 });
  });

  it('refuses a wrong password with 401', async () => {
    const r = await ffprobeStream(withCredentials(cam.rtspUrl('main'), USER, 'wrong-password'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/401/);
  });

  it('feeds three players at once, each gets frames', async () => {
    const url = withCredentials(cam.rtspUrl('main'), USER, PASS);
    const players = [framesReceived(url, 30), framesReceived(url, 30), framesReceived(url, 30)];
    await until(() => cam.clients() === 3, 15000, 'three playing sessions');
    const results = await Promise.all(players);
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.frames).toBe(30);
    }
    await until(() => cam.clients() === 0, 10000, 'players gone');
  });

  it('honours each profile keyframe interval (fps x keyframeIntervalS frames apart)', async () => {
    const spacing = (flags: number[]): number[] => {
      const at = flags.flatMap((f, i) => (f === 1 ? [i] : []));
      return at.slice(1).map((v, i) => v - (at[i] ?? 0));
    };
    const [main, sub] = await Promise.all([keyframeFlags(withCredentials(cam.rtspUrl('main'), USER, PASS), 4), keyframeFlags(withCredentials(cam.rtspUrl('sub'), USER, PASS), 5)]);
    // A new viewer starts at a keyframe.
    expect(main[0]).toBe(1);
    expect(sub[0]).toBe(1);
    expect(spacing(main).length).toBeGreaterThanOrEqual(2);
    expect(new Set(spacing(main))).toEqual(new Set([15]));
    expect(spacing(sub).length).toBeGreaterThanOrEqual(1);
    expect(new Set(spacing(sub))).toEqual(new Set([20]));
  });

  it('asks for digest on everything but OPTIONS and describes H.264 in its SDP', async () => {
    const c = await RawRtspClient.connect(Number(new URL(cam.rtspUrl('main')).port));
    const url = cam.rtspUrl('main');
    const options = await c.request('OPTIONS', url);
    expect(options.status).toBe(200);
    expect(options.headers.get('public')).toContain('DESCRIBE');
    const unauth = await c.request('DESCRIBE', url, { Accept: 'application/sdp' });
    expect(unauth.status).toBe(401);
    expect(unauth.headers.get('www-authenticate')).toMatch(/^Digest realm="[^"]+", nonce="[0-9a-f]+"/);
    const described = await c.authed('DESCRIBE', url, creds, { Accept: 'application/sdp' });
    expect(described.status).toBe(200);
    const sdp = described.body.toString('utf8');
    expect(sdp).toContain('a=rtpmap:96 H264/90000');
    expect(sdp).toMatch(/a=fmtp:96 packetization-mode=1;profile-level-id=[0-9a-f]{6};sprop-parameter-sets=[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+/);
    expect(sdp).toContain('a=control:trackID=0');
    expect(described.headers.get('content-base')).toBe(`${url}/`);
    c.close();
  });

  it('answers 461 to UDP transport and 551 to an ONVIF backchannel request', async () => {
    const c = await RawRtspClient.connect(Number(new URL(cam.rtspUrl('main')).port));
    const url = cam.rtspUrl('main');
    const udp = await c.authed('SETUP', `${url}/trackID=0`, creds, { Transport: 'RTP/AVP;unicast;client_port=5000-5001' });
    expect(udp.status).toBe(461);
    const back = await c.authed('DESCRIBE', url, creds, { Require: 'www.onvif.org/ver20/backchannel' });
    expect(back.status).toBe(551);
    expect(back.headers.get('unsupported')).toBe('www.onvif.org/ver20/backchannel');
    const tcp = await c.authed('SETUP', `${url}/trackID=0`, creds, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' });
    expect(tcp.status).toBe(200);
    expect(tcp.headers.get('transport')).toBe('RTP/AVP/TCP;unicast;interleaved=0-1');
    const session = (tcp.headers.get('session') ?? '').split(';')[0] ?? '';
    const wrongSession = await c.authed('PLAY', url, creds, { Session: 'nope' });
    expect(wrongSession.status).toBe(454);
    const play = await c.authed('PLAY', url, creds, { Session: session });
    expect(play.status).toBe(200);
    await until(() => c.interleavedBytes > 0, 10000, 'RTP over the RTSP connection');
    const keepalive = await c.authed('GET_PARAMETER', url, creds, { Session: session });
    expect(keepalive.status).toBe(200);
    const teardown = await c.authed('TEARDOWN', url, creds, { Session: session });
    expect(teardown.status).toBe(200);
    c.close();
  });

  it('closes a connection that sends an oversized request', async () => {
    const c = await RawRtspClient.connect(Number(new URL(cam.rtspUrl('main')).port));
    await c.request('OPTIONS', cam.rtspUrl('main'), { 'X-Junk': 'x'.repeat(20000) }).catch(() => undefined);
    await until(() => c.closed, 5000, 'connection closed');
  });
});

describe('camera media with a player that stops reading', () => {
  it('drops the slow player instead of buffering for it', async () => {
    const slowCam = new CameraMedia({
      cameraName: 'gate-cam-slow',
      username: USER,
      password: PASS,
      idleStopMs: 500,
      maxClientBufferBytes: 256 * 1024,
      // A busy stream so the kernel's socket buffers fill within seconds.
      profiles: [{ token: 'main', width: 1280, height: 720, fps: 30, keyframeIntervalS: 1, bitrateKbps: 6000 }],
    });
    await slowCam.start();
    try {
      const url = slowCam.rtspUrl('main');
      const c = await RawRtspClient.connect(Number(new URL(url).port));
      expect((await c.authed('DESCRIBE', url, creds)).status).toBe(200);
      const setup = await c.authed('SETUP', `${url}/trackID=0`, creds, { Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1' });
      const session = (setup.headers.get('session') ?? '').split(';')[0] ?? '';
      expect((await c.authed('PLAY', url, creds, { Session: session })).status).toBe(200);
      c.stopReading();
      await until(() => slowCam.clients() === 1, 5000, 'playing');
      await until(() => slowCam.clients() === 0, 25000, 'slow player dropped');
      await sleep(100);
      expect(slowCam.clients()).toBe(0);
    } finally {
      await slowCam.stop();
    }
    expect(await pidsWithTag(slowCam.processTag)).toEqual([]);
  });
});
