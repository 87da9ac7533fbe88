// What both live players (MSE and JSMpeg) offer a video tile.
import type { ServerStreamState, StreamRefusal } from './live-edge.ts';

/** connecting: first socket not live yet; live: media flows; reconnecting: dropped, retrying; stopped: destroyed or refused. */
export type PlayerStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface PlayerStats {
  /** Media bytes received over all connections. */
  bytes: number;
  /** Media messages after the init segment (fMP4 moof+mdat, or MPEG-TS chunks). */
  fragments: number;
  framesDecoded: number;
  droppedFrames: number;
  /** Seconds between the playhead and the end of what is buffered; null where unknown (JSMpeg). */
  latencyToBufferEnd: number | null;
  reconnects: number;
}

export interface PlayerEvents {
  onStatus?: (status: PlayerStatus) => void;
  onServerState?: (state: ServerStreamState) => void;
  onRefused?: (reason: StreamRefusal) => void;
}

export interface LivePlayer {
  readonly kind: 'mse' | 'jsmpeg';
  /** Resolves with performance.now() when the first frame is on screen; stays pending if that never happens. */
  readonly firstFrame: Promise<number>;
  readonly stats: PlayerStats;
  readonly status: PlayerStatus;
  start(): void;
  /** Closes the socket, stops every timer and releases the decoder. Safe to call twice. */
  destroy(): void;
}
