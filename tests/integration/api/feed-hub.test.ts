// The feed hub's protections, with stand-in sockets so memory and silence can be simulated
// exactly (a real slow TCP peer depends on kernel buffer sizes).
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import type { WebSocket } from 'ws';
import { FeedHub, MAX_BUFFERED_BYTES } from '../../../gateway/api/feed.ts';
import type { GatewayApp } from '../../../gateway/app/gateway-app.ts';
import type { AuthService } from '../../../gateway/auth/auth-service.ts';

class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: string[] = [];
  terminated = false;
  pings = 0;
  send(data: string) {
    this.sent.push(data);
  }
  ping() {
    this.pings++;
  }
  close() {
    this.terminate();
  }
  terminate() {
    this.terminated = true;
    this.readyState = 3;
    this.emit('close');
  }
}

let hub: FeedHub;
let app: EventEmitter;
let alive = true;

beforeEach(() => {
  vi.useFakeTimers();
  alive = true;
  app = Object.assign(new EventEmitter(), { snapshot: () => ({ site: {}, incidents: [], devices: [], bridge: { connected: true } }) });
  const auth = { onUserSessionsEnded: () => () => {}, onSessionEnded: () => () => {}, sessionAlive: () => alive };
  hub = new FeedHub({ app: app as unknown as GatewayApp, auth: auth as unknown as AuthService, logger: pino({ level: 'silent' }), pingIntervalMs: 1000 });
});
afterEach(() => {
  hub.close();
  vi.useRealTimers();
});

const add = () => {
  const s = new FakeSocket();
  hub.add(s as unknown as WebSocket, 'op', 'session-1');
  return s;
};

describe('feed hub', () => {
  it('drops a consumer whose unsent data passes 1 MiB instead of buffering more', () => {
    const slow = add();
    const fast = add();
    slow.bufferedAmount = MAX_BUFFERED_BYTES + 1;
    app.emit('feed', { type: 'bridge', connected: false });
    expect(slow.terminated).toBe(true);
    expect(slow.sent).toHaveLength(1); // the snapshot only
    expect(fast.sent).toHaveLength(2);
    expect(hub.size).toBe(1);
  });

  it('pings, and terminates a peer that stopped answering', () => {
    const s = add();
    vi.advanceTimersByTime(1000);
    expect(s.pings).toBe(1);
    s.emit('pong');
    vi.advanceTimersByTime(1000);
    expect(s.terminated).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(s.terminated).toBe(true);
  });

  it('closes a socket whose session ended without a hook (expiry, CLI reset)', () => {
    const s = add();
    alive = false;
    vi.advanceTimersByTime(1000);
    expect(s.terminated).toBe(true);
  });

  it('stops listening and closes every socket on close()', () => {
    const s = add();
    hub.close();
    expect(s.terminated).toBe(true);
    expect(app.listenerCount('feed')).toBe(0);
  });
});
