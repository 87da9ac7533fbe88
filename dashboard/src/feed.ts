// The live feed: one WebSocket to /api/feed that comes back by itself.
// After each (re)connect the gateway sends a full snapshot first, and the view model
// replaces its state with it, so nothing missed while disconnected is lost.
import type { FeedMessage } from './api-types.ts';
import { parseFeedMessage } from './parse.ts';
import type { FeedStatus } from './state.ts';

export const MIN_DELAY_MS = 1000;
export const MAX_DELAY_MS = 10000;

/**
 * How long to wait before reconnect attempt number `attempt` (0 for the first retry):
 * doubling from 1 s up to 10 s, with ±25 % jitter so a room of screens does not reconnect
 * in step after a gateway restart. `random` is in [0, 1).
 */
export function reconnectDelay(attempt: number, random: number): number {
  const base = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** Math.max(0, attempt));
  const jittered = base * (0.75 + 0.5 * random);
  return Math.round(Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, jittered)));
}

export interface FeedOptions {
  onMessage: (msg: FeedMessage) => void;
  /** `failures` counts attempts since the feed was last live; 0 when open. */
  onStatus: (status: FeedStatus, failures: number) => void;
  url?: string;
  /** For tests. */
  createSocket?: (url: string) => WebSocket;
  random?: () => number;
}

export function defaultFeedUrl(loc: Location = location): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/api/feed`;
}

export class FeedClient {
  private readonly opts: FeedOptions;
  private socket: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private running = false;
  private readonly onOnline = (): void => this.reconnectNow();

  constructor(opts: FeedOptions) {
    this.opts = opts;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    window.addEventListener('online', this.onOnline);
    this.opts.onStatus('connecting', 0);
    this.connect();
  }

  stop(): void {
    this.running = false;
    window.removeEventListener('online', this.onOnline);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onopen = s.onmessage = s.onclose = s.onerror = null;
      s.close(1000, 'page closed');
    }
  }

  /** Skips the wait, e.g. when the browser says the network is back. */
  reconnectNow(): void {
    if (!this.running || this.socket) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.connect();
  }

  private connect(): void {
    const url = this.opts.url ?? defaultFeedUrl();
    let socket: WebSocket;
    try {
      socket = this.opts.createSocket ? this.opts.createSocket(url) : new WebSocket(url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onmessage = (ev: MessageEvent) => {
      if (typeof ev.data !== 'string') return;
      const msg = parseFeedMessage(ev.data);
      if (!msg) return;
      if (msg.type === 'snapshot') {
        // Live only once the snapshot is in: a socket that opens and drops at once
        // (say, a rejected session) must keep backing off.
        this.failures = 0;
        this.opts.onStatus('open', 0);
      }
      this.opts.onMessage(msg);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleReconnect();
    };
    // An error is always followed by close; reconnecting is handled there.
    socket.onerror = null;
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    const delay = reconnectDelay(this.failures, (this.opts.random ?? Math.random)());
    this.failures++;
    this.opts.onStatus('reconnecting', this.failures);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }
}
