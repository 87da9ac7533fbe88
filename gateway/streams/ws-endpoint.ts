// Pumps one live stream into one browser WebSocket: a JSON init ({type:'init', codecs, format}),
// then binary messages (fMP4 init segment, GOP, live fragments; or MPEG-TS chunks). A socket that
// cannot keep up is cut back to keyframes: while its send buffer is over the limit, fragments are
// dropped until the next keyframe, so memory per viewer stays bounded whatever the client does.
// Independent of fastify: the authenticated route in gateway/api calls this with a `ws` socket.
import type { WebSocket } from 'ws';
import { CodedError } from '../../common/coded-error.ts';
import type { LiveStreamLike, StreamMessage, StreamState } from './live-stream.ts';
import type { StreamFormat } from './stream-hub.ts';

export const WS_CLOSE = {
  /** Unknown camera or profile. */
  UNKNOWN_CAMERA: 4404,
  /** The stream was stopped for good (gateway shutting down, camera removed). */
  STREAM_CLOSED: 4410,
  SERVER_ERROR: 1011,
} as const;

export const DEFAULT_MAX_BUFFERED_BYTES = 2 * 1024 * 1024;

export interface PumpOptions {
  format: StreamFormat;
  /** Above this many queued bytes fragments are dropped until the next keyframe; default 2 MiB. */
  maxBufferedBytes?: number;
  /** Told about every drop episode (tests, metrics). */
  onDrop?: (info: { droppedFragments: number; bufferedAmount: number }) => void;
}

/** The close code for an error the route met before it could pump (e.g. hub.open failed). */
export function closeCodeFor(err: unknown): number {
  if (err instanceof CodedError && (err.code === 'STREAM_UNKNOWN_CAMERA' || err.code === 'CAMERA_UNKNOWN')) return WS_CLOSE.UNKNOWN_CAMERA;
  if (err instanceof CodedError && err.code === 'STREAM_CLOSED') return WS_CLOSE.STREAM_CLOSED;
  return WS_CLOSE.SERVER_ERROR;
}

/** Starts pumping; returns a function that detaches from the stream (done by itself when the socket closes). */
export function pumpStreamToSocket(ws: WebSocket, stream: LiveStreamLike, opts: PumpOptions): () => void {
  const limit = opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  let dropping = false;
  let dropped = 0;
  let ended = false;

  const sendJson = (obj: Record<string, unknown>): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(obj));
  };
  const sendBinary = (data: Buffer): void => {
    if (ws.readyState === ws.OPEN && data.length > 0) ws.send(data, { binary: true });
  };

  const viewer = (msg: StreamMessage): void => {
    if (msg.kind === 'init') {
      // A new init (ffmpeg restarted) resets the player's SourceBuffer: start clean at a keyframe.
      dropping = false;
      sendJson({ type: 'init', codecs: msg.codecs, format: opts.format });
      sendBinary(msg.data);
      return;
    }
    if (dropping) {
      if (!msg.keyframe || ws.bufferedAmount > limit) {
        dropped += 1;
        return;
      }
      dropping = false;
      opts.onDrop?.({ droppedFragments: dropped, bufferedAmount: ws.bufferedAmount });
      dropped = 0;
    } else if (ws.bufferedAmount > limit) {
      dropping = true;
      dropped = 1;
      return;
    }
    sendBinary(msg.data);
  };

  const onState = (state: StreamState): void => {
    sendJson({ type: 'state', state });
    // With a viewer subscribed a stream only stops when it is stopped for good.
    if (state === 'stopped') end(WS_CLOSE.STREAM_CLOSED, 'stream stopped');
  };
  const onFatal = (err: CodedError): void => {
    end(closeCodeFor(err), err.code);
  };

  const end = (code?: number, reason?: string): void => {
    if (ended) return;
    ended = true;
    unsubscribe();
    stream.off('state', onState);
    stream.off('fatal', onFatal);
    ws.off('close', onClose);
    if (code !== undefined && (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING)) ws.close(code, reason);
  };
  const onClose = (): void => end();

  let unsubscribe: () => void = () => undefined;
  stream.on('state', onState);
  stream.on('fatal', onFatal);
  ws.on('close', onClose);
  try {
    unsubscribe = stream.subscribe(viewer);
  } catch (err) {
    end(closeCodeFor(err), err instanceof CodedError ? err.code : 'error');
  }
  // Detaches only: the socket belongs to the caller.
  return () => end();
}
