// One camera stream socket (/api/streams/<id>) that comes back by itself: the protocol's text
// frames (init, state) are parsed here, binary media is handed on untouched. Both players sit
// on it. A refusal (4401/4403/4404) stops it for good; anything else reconnects with backoff
// (1 s doubling to 10 s, jittered), and a socket that goes quiet is treated as dropped.
import { reconnectDelay } from '../feed.ts';
import { REFUSALS, parseStreamControl, type ServerStreamState, type StreamControl, type StreamRefusal } from './live-edge.ts';

/** No media for this long on an open socket: assume it is dead and reconnect. */
export const STALL_MS = 10_000;

export interface StreamSocketHandlers {
  /** A (re)connect's first message: the player (re)builds its pipeline for it. */
  onInit: (init: Extract<StreamControl, { type: 'init' }>) => void;
  onMedia: (data: ArrayBuffer) => void;
  onServerState?: (state: ServerStreamState) => void;
  /** The socket dropped and a retry is scheduled; `attempt` counts from 1 since media last flowed. */
  onDrop: (attempt: number) => void;
  onRefused: (reason: StreamRefusal) => void;
}

export interface StreamSocketOptions {
  url: string;
  createSocket?: (url: string) => WebSocket;
  random?: () => number;
  stallMs?: number;
}

export class StreamSocket {
  private socket: WebSocket | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stallTimer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private running = false;
  private sawInit = false;

  constructor(
    private readonly opts: StreamSocketOptions,
    private readonly on: StreamSocketHandlers,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  stop(): void {
    this.running = false;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.clearStall();
    this.dropSocket(1000, 'viewer closed');
  }

  /** Media flows: the next drop starts the backoff from the shortest wait again. */
  markHealthy(): void {
    this.failures = 0;
  }

  /** Closes the socket as if it had dropped (e.g. the player hit an error it cannot recover from). */
  restart(): void {
    if (!this.running || !this.socket) return;
    this.dropSocket(4000, 'player restart');
    this.scheduleReconnect();
  }

  private connect(): void {
    let socket: WebSocket;
    try {
      socket = this.opts.createSocket ? this.opts.createSocket(this.opts.url) : new WebSocket(this.opts.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.sawInit = false;
    socket.binaryType = 'arraybuffer';
    this.armStall();
    socket.onmessage = (ev: MessageEvent) => {
      if (this.socket !== socket) return;
      this.armStall();
      if (typeof ev.data === 'string') {
        const msg = parseStreamControl(ev.data);
        if (msg?.type === 'init') {
          this.sawInit = true;
          this.on.onInit(msg);
        } else if (msg?.type === 'state') {
          this.on.onServerState?.(msg.state);
        }
        return;
      }
      // Media before an init has nothing to be decoded against.
      if (this.sawInit && ev.data instanceof ArrayBuffer) this.on.onMedia(ev.data);
    };
    socket.onclose = (ev: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearStall();
      const refusal = REFUSALS[ev.code];
      if (refusal) {
        this.running = false;
        this.on.onRefused(refusal);
        return;
      }
      this.scheduleReconnect();
    };
    // An error is always followed by close; reconnecting is handled there.
    socket.onerror = null;
  }

  private dropSocket(code: number, reason: string): void {
    const s = this.socket;
    this.socket = null;
    if (!s) return;
    s.onopen = s.onmessage = s.onclose = s.onerror = null;
    try {
      s.close(code, reason);
    } catch {
      s.close();
    }
  }

  private scheduleReconnect(): void {
    this.clearStall();
    if (!this.running || this.retryTimer !== null) return;
    const delay = reconnectDelay(this.failures, (this.opts.random ?? Math.random)());
    this.failures++;
    this.on.onDrop(this.failures);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.running) this.connect();
    }, delay);
  }

  private armStall(): void {
    this.clearStall();
    this.stallTimer = setTimeout(() => {
      this.stallTimer = null;
      this.restart();
    }, this.opts.stallMs ?? STALL_MS);
  }

  private clearStall(): void {
    if (this.stallTimer !== null) clearTimeout(this.stallTimer);
    this.stallTimer = null;
  }
}
