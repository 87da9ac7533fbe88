import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamSocket, type StreamSocketHandlers } from '../../../dashboard/src/video/stream-socket.ts';

/** Just enough of a browser WebSocket for StreamSocket. */
class FakeSocket {
  binaryType = 'blob';
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: unknown = null;
  onopen: unknown = null;
  closed: number | null = null;
  constructor(readonly url: string) {}
  close(code = 1000): void {
    this.closed = code;
  }
  text(v: unknown): void {
    this.onmessage?.({ data: JSON.stringify(v) });
  }
  binary(n: number): void {
    this.onmessage?.({ data: new ArrayBuffer(n) });
  }
  drop(code = 1006): void {
    this.onclose?.({ code });
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const log: string[] = [];
  const handlers: StreamSocketHandlers = {
    onInit: (i) => log.push(`init ${i.format}`),
    onMedia: (d) => log.push(`media ${d.byteLength}`),
    onServerState: (s) => log.push(`state ${s}`),
    onDrop: (n) => log.push(`drop ${n}`),
    onRefused: (r) => log.push(`refused ${r}`),
  };
  const s = new StreamSocket(
    {
      url: 'ws://gw/api/streams/cam?profile=main&format=fmp4',
      createSocket: (url) => {
        const f = new FakeSocket(url);
        sockets.push(f);
        return f as unknown as WebSocket;
      },
      random: () => 0.5,
      stallMs: 10_000,
    },
    handlers,
  );
  return { s, sockets, log, last: () => sockets[sockets.length - 1]! };
}

describe('stream socket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hands on init and state text frames, drops media that comes before an init, and asks for arraybuffers', () => {
    const h = harness();
    h.s.start();
    expect(h.last().binaryType).toBe('arraybuffer');
    h.last().binary(10);
    h.last().text({ type: 'init', codecs: 'video/mp4; codecs="avc1.42c01e"', format: 'fmp4' });
    h.last().binary(20);
    h.last().text({ type: 'state', state: 'live' });
    h.last().text({ type: 'whatever' });
    expect(h.log).toEqual(['init fmp4', 'media 20', 'state live']);
    h.s.stop();
  });

  it('reconnects after a drop with growing, capped delays, and from 1 s again once media flowed', () => {
    const h = harness();
    h.s.start();
    h.last().drop();
    expect(h.log).toEqual(['drop 1']);
    vi.advanceTimersByTime(999);
    expect(h.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(h.sockets).toHaveLength(2);
    h.last().drop();
    vi.advanceTimersByTime(1999);
    expect(h.sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(h.sockets).toHaveLength(3);
    h.s.markHealthy();
    h.last().drop();
    vi.advanceTimersByTime(1000);
    expect(h.sockets).toHaveLength(4);
    h.s.stop();
  });

  it('stops for good on a refusal close code', () => {
    const h = harness();
    h.s.start();
    h.last().drop(4403);
    vi.advanceTimersByTime(60_000);
    expect(h.sockets).toHaveLength(1);
    expect(h.log).toEqual(['refused forbidden']);
    expect(h.s.isRunning).toBe(false);
  });

  it('treats a silent socket as dropped', () => {
    const h = harness();
    h.s.start();
    h.last().text({ type: 'init', codecs: '', format: 'mpeg1' });
    vi.advanceTimersByTime(9_999);
    expect(h.last().closed).toBeNull();
    vi.advanceTimersByTime(1);
    expect(h.sockets[0]!.closed).toBe(4000);
    vi.advanceTimersByTime(1000);
    expect(h.sockets).toHaveLength(2);
    h.s.stop();
  });

  it('leaves no socket or timer behind when stopped, even while waiting to reconnect', () => {
    const h = harness();
    h.s.start();
    h.last().drop();
    h.s.stop();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(h.sockets).toHaveLength(1);

    const h2 = harness();
    h2.s.start();
    h2.s.stop();
    expect(h2.last().closed).toBe(1000);
    expect(vi.getTimerCount()).toBe(0);
  });
});
