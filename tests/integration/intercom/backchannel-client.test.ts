// The talk-back RTSP client against a scripted camera: what it sends, in which order, and how it
// takes 551, odd channel numbers, keepalives and TEARDOWN.
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRootLogger } from '../../../common/logger.ts';
import { RtspBackchannelClient } from '../../../gateway/intercom/rtsp-backchannel-client.ts';
import { until } from '../../support/until.ts';
import { FakeRtspCamera, type Answer, type SeenRequest } from './fake-rtsp-camera.ts';

const logger = createRootLogger('intercom-test', 'silent');
const SDP = [
  'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=cam', 't=0 0',
  'm=video 0 RTP/AVP 96', 'a=rtpmap:96 H264/90000', 'a=control:video', 'a=recvonly',
  'm=audio 0 RTP/AVP 8 0', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000', 'a=control:rtsp://127.0.0.1/elsewhere/back', 'a=sendonly',
].join('\r\n') + '\r\n';

function camera(overrides: Partial<Record<string, (req: SeenRequest) => Answer>> = {}): FakeRtspCamera {
  return new FakeRtspCamera((req) => {
    const o = overrides[req.method];
    if (o) return o(req);
    switch (req.method) {
      case 'DESCRIBE':
        return { status: 200, headers: { 'Content-Base': 'rtsp://127.0.0.1/stream1/', 'Content-Type': 'application/sdp' }, body: SDP };
      case 'SETUP':
        return { status: 200, headers: { Transport: 'RTP/AVP/TCP;unicast;interleaved=6-7', Session: 'abc123;timeout=30' } };
      default:
        return { status: 200, headers: { Session: 'abc123' } };
    }
  });
}

let cams: FakeRtspCamera[] = [];
afterEach(async () => {
  await Promise.all(cams.map((c) => c.stop()));
  cams = [];
});

async function started(c: FakeRtspCamera): Promise<FakeRtspCamera> {
  cams.push(c);
  await c.start();
  return c;
}

describe('RTSP backchannel client', () => {
  it('negotiates OPTIONS, DESCRIBE with Require, SETUP of the sendonly PCMU track, PLAY; sends on the channel the camera chose; keeps alive; tears down', async () => {
    const cam = await started(camera());
    const client = await RtspBackchannelClient.connect({ rtspUri: `rtsp://user:pw@127.0.0.1:${cam.port}/stream1`, username: 'u', password: 'p', logger, keepaliveMs: 200 });
    expect(cam.methods()).toEqual(['OPTIONS', 'DESCRIBE', 'SETUP', 'PLAY']);
    const [options, describe_, setup, play] = cam.requests;
    expect(options?.uri).toBe(`rtsp://127.0.0.1:${cam.port}/stream1`); // no credentials on the wire
    expect(describe_?.headers.get('require')).toBe('www.onvif.org/ver20/backchannel');
    expect(setup?.uri).toBe('rtsp://127.0.0.1/elsewhere/back');
    expect(setup?.headers.get('transport')).toBe('RTP/AVP/TCP;unicast;interleaved=2-3');
    expect(play?.headers.get('session')).toBe('abc123');
    client.send(new Int16Array(8000 * 0.4));
    await until(() => (cam.frames.get(6) ?? 0) >= 10, 5000, 'packets on channel 6');
    await until(() => cam.methods().includes('GET_PARAMETER'), 5000, 'keepalive');
    await client.close();
    expect(cam.methods().at(-1)).toBe('TEARDOWN');
    expect(cam.requests.at(-1)?.headers.get('session')).toBe('abc123');
    await until(() => cam.connections() === 0, 3000, 'connection closed');
  });

  it('turns a 551 answer into INTERCOM_UNSUPPORTED', async () => {
    const cam = await started(camera({ DESCRIBE: () => ({ status: 551, headers: { Unsupported: 'www.onvif.org/ver20/backchannel' } }) }));
    await expect(RtspBackchannelClient.connect({ rtspUri: `rtsp://127.0.0.1:${cam.port}/s`, username: 'u', password: 'p', logger })).rejects.toMatchObject({ code: 'INTERCOM_UNSUPPORTED' });
    await until(() => cam.connections() === 0, 3000, 'connection closed');
  });

  it('turns an SDP without a sendonly PCMU track into INTERCOM_UNSUPPORTED', async () => {
    const noBack = SDP.replace('a=sendonly', 'a=recvonly');
    const cam = await started(camera({ DESCRIBE: () => ({ status: 200, body: noBack }) }));
    await expect(RtspBackchannelClient.connect({ rtspUri: `rtsp://127.0.0.1:${cam.port}/s`, username: 'u', password: 'p', logger })).rejects.toMatchObject({ code: 'INTERCOM_UNSUPPORTED' });
  });

  it('gives up with INTERCOM_TIMEOUT when the camera accepts the connection but never answers', async () => {
    const held = new Set<Socket>();
    const mute = createServer((socket) => {
      held.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    const addr = mute.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    try {
      await expect(RtspBackchannelClient.connect({ rtspUri: `rtsp://127.0.0.1:${port}/s`, username: 'u', password: 'p', logger, requestTimeoutMs: 300 })).rejects.toMatchObject({ code: 'INTERCOM_TIMEOUT' });
    } finally {
      for (const s of held) s.destroy();
      await new Promise<void>((resolve) => mute.close(() => resolve()));
    }
  });
});
