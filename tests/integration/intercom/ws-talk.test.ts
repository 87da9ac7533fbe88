// The push-to-talk WebSocket protocol over real sockets (the ws package, as under fastify):
// audio reaches the talk session, bad input closes the socket and ends the talk, and a camera
// that cannot talk is reported to the browser by code.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createRootLogger } from '../../../common/logger.ts';
import { intercomError } from '../../../gateway/intercom/errors.ts';
import type { TalkSession } from '../../../gateway/intercom/talk-session.ts';
import { pumpSocketToTalk } from '../../../gateway/intercom/ws-talk.ts';
import { until } from '../../support/until.ts';
import { tone } from './audio-tools.ts';

const logger = createRootLogger('intercom-test', 'silent');

interface FakeSession extends TalkSession {
  pushed: Array<{ samples: number; rate: number }>;
  closed: boolean;
}

function fakeSession(): FakeSession {
  const s: FakeSession = {
    pushed: [],
    closed: false,
    push: (pcm, rate) => void s.pushed.push({ samples: pcm.length, rate }),
    close: async () => {
      s.closed = true;
    },
    ended: () => new Promise(() => undefined),
  };
  return s;
}

let server: Server;
let port = 0;
let nextSession: () => Promise<TalkSession> = async () => fakeSession();
const pumps: Promise<void>[] = [];

beforeAll(async () => {
  const wss = new WebSocketServer({ noServer: true });
  server = createServer();
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => pumps.push(pumpSocketToTalk(ws, nextSession(), { logger }))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
});

afterAll(async () => {
  await Promise.all(pumps);
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

interface Conversation {
  ws: WebSocket;
  messages: Array<Record<string, unknown>>;
  closed: Promise<number>;
}

async function open(): Promise<Conversation> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/talk`);
  const messages: Array<Record<string, unknown>> = [];
  ws.on('message', (d) => messages.push(JSON.parse(String(d)) as Record<string, unknown>));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, messages, closed };
}

function le(pcm: Int16Array): Buffer {
  const b = Buffer.alloc(pcm.length * 2);
  pcm.forEach((v, i) => b.writeInt16LE(v, 2 * i));
  return b;
}

describe('pumpSocketToTalk', () => {
  it('passes 16 kHz audio after start to the session, says ready, and closes the session on stop', async () => {
    const session = fakeSession();
    nextSession = async () => session;
    const c = await open();
    c.ws.send(JSON.stringify({ type: 'start', sampleRate: 16000 }));
    const pcm = tone(440, 16000, 0.2);
    for (let at = 0; at < pcm.length; at += 320) c.ws.send(le(pcm.subarray(at, at + 320)));
    await until(() => session.pushed.reduce((n, p) => n + p.samples, 0) === pcm.length, 5000, 'all audio pushed');
    expect(new Set(session.pushed.map((p) => p.rate))).toEqual(new Set([16000]));
    expect(c.messages).toContainEqual({ type: 'ready' });
    c.ws.send(JSON.stringify({ type: 'stop' }));
    expect(await c.closed).toBe(1000);
    await until(() => session.closed, 3000, 'session closed');
  });

  it('holds audio that arrives while the camera session is still starting', async () => {
    const session = fakeSession();
    let release: () => void = () => undefined;
    nextSession = () => new Promise((resolve) => (release = () => resolve(session)));
    const c = await open();
    c.ws.send(JSON.stringify({ type: 'start', sampleRate: 8000 }));
    c.ws.send(le(new Int16Array(160)));
    c.ws.send(le(new Int16Array(160)));
    await new Promise((r) => setTimeout(r, 50));
    release();
    await until(() => session.pushed.length === 2, 3000, 'held audio delivered');
    c.ws.close();
    await until(() => session.closed, 3000, 'session closed on socket close');
  });

  it.each([
    ['audio before start', (ws: WebSocket) => ws.send(le(new Int16Array(160))), 1008],
    ['an odd number of bytes', (ws: WebSocket) => (ws.send(JSON.stringify({ type: 'start', sampleRate: 16000 })), ws.send(Buffer.alloc(321))), 1003],
    ['a message over 64 KiB', (ws: WebSocket) => (ws.send(JSON.stringify({ type: 'start', sampleRate: 16000 })), ws.send(Buffer.alloc(64 * 1024 + 2))), 1009],
    ['a sample rate we do not take', (ws: WebSocket) => ws.send(JSON.stringify({ type: 'start', sampleRate: 44100 })), 1008],
    ['text that is not JSON', (ws: WebSocket) => ws.send('hello'), 1003],
  ])('closes the socket and ends the talk on %s', async (_what, misbehave, code) => {
    const session = fakeSession();
    nextSession = async () => session;
    const c = await open();
    misbehave(c.ws);
    expect(await c.closed).toBe(code);
    expect(c.messages).toContainEqual({ type: 'error', code: 'INTERCOM_BAD_INPUT' });
    await until(() => session.closed, 3000, 'session closed');
  });

  it('tells the browser why the camera cannot talk', async () => {
    nextSession = () => Promise.reject(intercomError('INTERCOM_UNSUPPORTED'));
    const c = await open();
    expect(await c.closed).toBe(1011);
    expect(c.messages).toContainEqual({ type: 'error', code: 'INTERCOM_UNSUPPORTED' });
  });
});
