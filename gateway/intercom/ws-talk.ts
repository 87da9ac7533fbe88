// The browser's push-to-talk WebSocket, after the route authenticated it (gateway/api owns the
// route; this stays free of fastify). Protocol, browser → gateway:
//   1. text  {"type":"start","sampleRate":16000}   (or 8000)
//   2. binary little-endian PCM16 mono chunks (20-40 ms each; at most maxMessageBytes)
//   3. text  {"type":"stop"}                       (or just close the socket)
// gateway → browser: {"type":"ready"} once the camera plays, {"type":"error","code":...} before
// closing on a failure. Anything else closes the socket (1003/1008/1009) and ends the talk.
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import { errorCode } from '../../common/coded-error.ts';
import type { Logger } from '../../common/logger.ts';
import type { TalkSession } from './talk-session.ts';

export interface PumpOptions {
  /** Default 64 KiB (about 2 s at 16 kHz): a chunk is 20-40 ms. */
  maxMessageBytes?: number;
  /** Audio held while the camera session is still being set up; oldest dropped beyond. Default 64 KiB. */
  maxPendingBytes?: number;
  logger?: Logger;
}

const Control = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), sampleRate: z.union([z.literal(8000), z.literal(16000)]) }),
  z.object({ type: z.literal('stop') }),
]);

const MAX_TEXT_BYTES = 1024;

/**
 * Feeds the socket's audio into the talk session until either side ends; then both are closed.
 * `session` may still be starting: attach this at once, so no early message is lost.
 */
export function pumpSocketToTalk(ws: WebSocket, session: TalkSession | Promise<TalkSession>, o: PumpOptions = {}): Promise<void> {
  const maxMessage = o.maxMessageBytes ?? 64 * 1024;
  const maxPending = o.maxPendingBytes ?? 64 * 1024;
  let sampleRate: 8000 | 16000 | null = null;
  let live: TalkSession | null = null;
  let pending: Int16Array[] = [];
  let pendingBytes = 0;
  let finished = false;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });

  const finish = async (code: number, reason: string, errorCodeToSend?: string): Promise<void> => {
    if (finished) return;
    finished = true;
    if (errorCodeToSend && ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'error', code: errorCodeToSend }));
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason.slice(0, 120));
    const s = live ?? (await Promise.resolve(session).catch(() => null));
    await s?.close().catch((err: unknown) => o.logger?.warn({ err }, 'talk session did not close cleanly'));
    resolveDone();
  };

  const deliver = (pcm: Int16Array): void => {
    if (!sampleRate) return;
    if (live) {
      live.push(pcm, sampleRate);
      return;
    }
    pending.push(pcm);
    pendingBytes += pcm.byteLength;
    while (pendingBytes > maxPending && pending.length > 1) pendingBytes -= pending.shift()?.byteLength ?? 0;
  };

  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (finished) return;
    const bytes = toBuffer(data);
    if (!isBinary) {
      if (bytes.length > MAX_TEXT_BYTES) return void finish(1009, 'control message too large', 'INTERCOM_BAD_INPUT');
      let msg;
      try {
        msg = Control.safeParse(JSON.parse(bytes.toString('utf8')));
      } catch {
        return void finish(1003, 'control message is not JSON', 'INTERCOM_BAD_INPUT');
      }
      if (!msg.success) return void finish(1008, 'unknown control message', 'INTERCOM_BAD_INPUT');
      if (msg.data.type === 'stop') return void finish(1000, 'stopped');
      if (sampleRate !== null) return void finish(1008, 'start sent twice', 'INTERCOM_BAD_INPUT');
      sampleRate = msg.data.sampleRate;
      return;
    }
    if (sampleRate === null) return void finish(1008, 'audio before start', 'INTERCOM_BAD_INPUT');
    if (bytes.length > maxMessage) return void finish(1009, 'audio message too large', 'INTERCOM_BAD_INPUT');
    if (bytes.length % 2 !== 0) return void finish(1003, 'audio is not 16-bit', 'INTERCOM_BAD_INPUT');
    deliver(pcm16le(bytes));
  });
  ws.on('close', () => void finish(1000, 'closed'));
  ws.on('error', (err) => {
    o.logger?.debug({ err }, 'talk socket error');
    void finish(1011, 'socket error');
  });

  Promise.resolve(session).then(
    (s) => {
      if (finished) return void s.close();
      live = s;
      for (const pcm of pending) deliver(pcm);
      pending = [];
      pendingBytes = 0;
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'ready' }));
      void s.ended().then((reason) => {
        if (reason) void finish(1011, 'camera connection lost', errorCode(reason));
      });
    },
    (err: unknown) => {
      o.logger?.info({ err }, 'talk session could not start');
      void finish(1011, 'talk could not start', errorCode(err));
    },
  );
  return done;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Copies, so an odd byte offset in the socket's buffer cannot misalign the samples. */
function pcm16le(bytes: Buffer): Int16Array {
  const out = new Int16Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(2 * i);
  return out;
}
