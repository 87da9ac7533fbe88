// The hub (one stream per camera/profile/format, warm set, unknown cameras) and the WebSocket
// pump over a real ws server/client pair on loopback, including a client that stops reading.
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { streamError } from '../../../gateway/streams/errors.ts';
import type { LiveStreamLike, StreamMessage, StreamStats, Viewer } from '../../../gateway/streams/live-stream.ts';
import { StreamHub, type ResolvedSource } from '../../../gateway/streams/stream-hub.ts';
import { pumpStreamToSocket, WS_CLOSE } from '../../../gateway/streams/ws-endpoint.ts';
import type { CameraMedia } from '../../../simulators/camera/camera-media.ts';
import { until } from '../../support/until.ts';
import { pidsWithTag, PASS, startCamera, testLogger, USER } from './stream-tools.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A ws server on 127.0.0.1 that hands each connection to `onSocket`. */
async function wsServer(onSocket: (ws: WebSocket) => void): Promise<number> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', onSocket);
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  );
  return (wss.address() as AddressInfo).port;
}

function client(port: number): WebSocket {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
  ws.on('error', () => undefined);
  cleanups.push(() => ws.terminate());
  return ws;
}

describe('stream hub', () => {
  it('shares one stream per camera/profile/format, keeps warm cameras running, stops everything', async () => {
    const cam = await startCamera('hub-cam');
    cleanups.push(() => cam.stop());
    const hub = new StreamHub({
      logger: testLogger(),
      idleStopMs: 500,
      resolveSource: async (cameraId, profile): Promise<ResolvedSource> => {
        if (cameraId !== 'gate' || profile !== 'main') throw streamError('STREAM_UNKNOWN_CAMERA', { cameraId });
        return { uri: cam.rtspUrl('main'), username: USER, password: PASS, encoding: 'H264' };
      },
    });
    cleanups.push(() => hub.stop());
    expect(hub.formatFor('H264')).toBe('fmp4');
    expect(hub.formatFor('H265')).toBe('mpeg1');
    expect(hub.viewer('gate', 'main', 'fmp4')).toBe(hub.viewer('gate', 'main', 'fmp4'));
    expect(hub.viewer('gate', 'main', 'fmp4')).not.toBe(hub.viewer('gate', 'main', 'mpeg1'));
    await expect(hub.open('nope', 'main')).rejects.toMatchObject({ code: 'STREAM_UNKNOWN_CAMERA' });
    const { stream, format } = await hub.open('gate', 'main');
    expect(format).toBe('fmp4');

    await hub.setWarm(['gate', 'nope'], 'main');
    await until(() => stream.stats().gopBytes > 0, 20000, 'warm with a GOP');
    await sleep(800); // past idleStopMs with no viewer
    expect(stream.stats().running).toBe(true);
    expect(hub.stats().find((s) => s.format === 'fmp4')).toMatchObject({ cameraId: 'gate', profile: 'main', running: true, viewers: 0 });

    await hub.setWarm([], 'main');
    await until(() => !stream.stats().running, 10000, 'cold again');
    await hub.setWarm(['gate'], 'main');
    await until(() => stream.stats().running, 10000, 'warm again');
    await hub.stop();
    expect(await pidsWithTag(stream.processTag)).toEqual([]);
    expect(hub.stats()).toEqual([]);
  });
});

describe('WebSocket pump', () => {
  it('sends the JSON init, then the init segment and keyframe-first fragments as binary', async () => {
    const cam = await startCamera('ws-cam');
    cleanups.push(() => cam.stop());
    const hub = new StreamHub({ logger: testLogger(), idleStopMs: 500, resolveSource: async () => ({ uri: cam.rtspUrl('main'), username: USER, password: PASS }) });
    cleanups.push(() => hub.stop());
    const port = await wsServer((ws) => {
      pumpStreamToSocket(ws, hub.viewer('ws-cam', 'main', 'fmp4'), { format: 'fmp4' });
    });
    const ws = client(port);
    const got: Array<string | Buffer> = [];
    ws.on('message', (data, isBinary) => got.push(isBinary ? (data as Buffer) : data.toString()));
    await until(() => got.filter((m) => Buffer.isBuffer(m)).length >= 10, 20000, 'ten binary messages');
    const firstJson = got.find((m): m is string => typeof m === 'string' && m.includes('"init"'));
    expect(JSON.parse(firstJson ?? '{}')).toMatchObject({ type: 'init', format: 'fmp4', codecs: expect.stringMatching(/^avc1\./) as unknown as string });
    const binaries = got.filter((m): m is Buffer => Buffer.isBuffer(m));
    expect(binaries[0]?.toString('latin1', 4, 8)).toBe('ftyp');
    expect(binaries[1]?.toString('latin1', 4, 8)).toBe('moof');
    // Closing the socket lets the stream go idle and stop.
    const stream = hub.viewer('ws-cam', 'main', 'fmp4');
    ws.close();
    await until(() => stream.stats().viewers === 0, 5000, 'viewer gone');
    await until(() => !stream.stats().running, 10000, 'idle stop after the socket left');
  });

  it('closes the socket with 4404 for an unknown camera', async () => {
    const hub = new StreamHub({ logger: testLogger(), resolveSource: async (cameraId) => Promise.reject(streamError('STREAM_UNKNOWN_CAMERA', { cameraId })) });
    cleanups.push(() => hub.stop());
    const port = await wsServer((ws) => {
      pumpStreamToSocket(ws, hub.viewer('ghost', 'main', 'fmp4'), { format: 'fmp4' });
    });
    const ws = client(port);
    const code = await new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
    expect(code).toBe(WS_CLOSE.UNKNOWN_CAMERA);
  });

  it('cuts a client that stops reading back to keyframes, with the send buffer bounded', async () => {
    const limit = 256 * 1024;
    const fragBytes = 32 * 1024;
    const source = new FastFakeStream(fragBytes, 10);
    cleanups.push(() => source.stop());
    let serverSide: WebSocket | null = null;
    let maxBuffered = 0;
    let drops = 0;
    const port = await wsServer((ws) => {
      serverSide = ws;
      pumpStreamToSocket(ws, source, { format: 'fmp4', maxBufferedBytes: limit, onDrop: () => drops++ });
    });
    const ws = client(port);
    const seqs: Array<{ seq: number; keyframe: boolean }> = [];
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      const b = data as Buffer;
      if (b.length < 8) return; // the (fake) init segment
      seqs.push({ seq: b.readUInt32BE(0), keyframe: b[4] === 1 });
    });
    await until(() => seqs.length >= 20, 10000, 'flowing');
    // Stop reading: the kernel buffers fill, then ws's own queue grows.
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const sampler = setInterval(() => {
      maxBuffered = Math.max(maxBuffered, serverSide?.bufferedAmount ?? 0);
    }, 2);
    // Roughly 100 MB offered while the client is not reading.
    await until(() => source.sent > 3000 && source.dropCheckPassed(serverSide), 30000, 'producer ran past the limit');
    clearInterval(sampler);
    (ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const seenBeforeResume = seqs.length;
    // What sat in the kernel buffers arrives first; then live fragments again, from a keyframe.
    const gapCount = (): number => seqs.filter((cur, i) => i > 0 && cur.seq !== (seqs[i - 1]?.seq ?? -2) + 1).length;
    await until(() => drops > 0 && gapCount() > 0 && seqs.length > seenBeforeResume + 50, 15000, 'flowing again after a gap');
    // Memory bound: never more than the limit plus the one message that crossed it.
    expect(maxBuffered).toBeLessThanOrEqual(limit + fragBytes + 1024);
    expect(drops).toBeGreaterThan(0);
    // Every gap in the sequence the client saw ends at a keyframe: it can always decode.
    let gaps = 0;
    for (let i = 1; i < seqs.length; i++) {
      const prev = seqs[i - 1];
      const cur = seqs[i];
      if (prev && cur && cur.seq !== prev.seq + 1) {
        gaps++;
        expect({ prev: prev.seq, cur: cur.seq, keyframe: cur.keyframe }).toMatchObject({ keyframe: true });
      }
    }
    expect(gaps).toBeGreaterThan(0);
    // Most of what was offered was dropped, not queued.
    expect(seqs.length).toBeLessThan(source.sent / 2);
  });
});

/**
 * A stand-in stream far faster than any camera (32 KiB fragments every millisecond, a keyframe
 * every 10th), so the test does not wait minutes for kernel buffers to fill. Payload: seq, keyframe.
 */
class FastFakeStream extends EventEmitter implements LiveStreamLike {
  readonly cameraId = 'fake';
  readonly processTag = 'none';
  sent = 0;
  private viewers = new Set<Viewer>();
  private timer: NodeJS.Timeout;
  private overLimitSeen = 0;

  constructor(
    private readonly fragBytes: number,
    private readonly gop: number,
  ) {
    super();
    this.timer = setInterval(() => {
      for (let i = 0; i < 4; i++) this.tick();
    }, 1);
  }

  private tick(): void {
    const keyframe = this.sent % this.gop === 0;
    const data = Buffer.alloc(this.fragBytes);
    data.writeUInt32BE(this.sent, 0);
    data[4] = keyframe ? 1 : 0;
    this.sent++;
    const msg: StreamMessage = { kind: 'fragment', data, keyframe };
    for (const v of this.viewers) v(msg);
  }

  /** True once the server side has been seen over 200 KiB for a while (the drop path ran). */
  dropCheckPassed(ws: WebSocket | null): boolean {
    if ((ws?.bufferedAmount ?? 0) > 200 * 1024) this.overLimitSeen++;
    return this.overLimitSeen > 50;
  }

  subscribe(viewer: Viewer): () => void {
    viewer({ kind: 'init', codecs: 'avc1.42C01E', data: Buffer.from('init') });
    this.viewers.add(viewer);
    return () => this.viewers.delete(viewer);
  }

  setWarm(): void {}

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.viewers.clear();
  }

  stats(): StreamStats {
    return { state: 'live', running: true, viewers: this.viewers.size, pid: null, bytesIn: 0, fragments: this.sent, gopBytes: 0, restarts: 0 };
  }
}
