import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CodedError } from '../../../common/coded-error.ts';
import { RequestQueue } from '../../../firmware-bridge/modbus/request-queue.ts';

/** A request whose answer the test releases by hand, recording when it went on the wire. */
function manual(log: string[], name: string) {
  let answer: (v: string) => void = () => undefined;
  const run = () => {
    log.push(name);
    return new Promise<string>((resolve) => {
      answer = resolve;
    });
  };
  return { run, answer: (v = name) => answer(v) };
}

describe('RequestQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('puts only one request on the wire at a time', async () => {
    const q = new RequestQueue(1000);
    const log: string[] = [];
    const a = manual(log, 'a');
    const b = manual(log, 'b');
    const pa = q.enqueue('poll', a.run);
    const pb = q.enqueue('poll', b.run);
    expect(log).toEqual(['a']);
    expect(q.pending).toBe(1);
    a.answer();
    await expect(pa).resolves.toBe('a');
    expect(log).toEqual(['a', 'b']);
    b.answer();
    await expect(pb).resolves.toBe('b');
  });

  it('sends a relay write before polls queued earlier, but never interrupts the request on the wire', async () => {
    const q = new RequestQueue(1000);
    const log: string[] = [];
    const poll1 = manual(log, 'poll1');
    const poll2 = manual(log, 'poll2');
    const poll3 = manual(log, 'poll3');
    const relay = manual(log, 'relay');
    const done: Promise<string>[] = [q.enqueue('poll', poll1.run), q.enqueue('poll', poll2.run), q.enqueue('poll', poll3.run)];
    done.push(q.enqueue('relay', relay.run));
    expect(log).toEqual(['poll1']);
    poll1.answer();
    await vi.waitFor(() => expect(log).toEqual(['poll1', 'relay']));
    relay.answer();
    await vi.waitFor(() => expect(log).toEqual(['poll1', 'relay', 'poll2']));
    poll2.answer();
    await vi.waitFor(() => expect(log).toEqual(['poll1', 'relay', 'poll2', 'poll3']));
    poll3.answer();
    await expect(Promise.all(done)).resolves.toEqual(['poll1', 'poll2', 'poll3', 'relay']);
  });

  it('keeps relay writes in the order they were asked for', async () => {
    const q = new RequestQueue(1000);
    const log: string[] = [];
    const busy = manual(log, 'poll');
    const r1 = manual(log, 'r1');
    const r2 = manual(log, 'r2');
    void q.enqueue('poll', busy.run);
    const p1 = q.enqueue('relay', r1.run);
    const p2 = q.enqueue('relay', r2.run);
    busy.answer();
    await vi.waitFor(() => expect(log).toEqual(['poll', 'r1']));
    r1.answer();
    await p1;
    r2.answer();
    await p2;
    expect(log).toEqual(['poll', 'r1', 'r2']);
  });

  it('times out a request that never answers and hands the bus on', async () => {
    const q = new RequestQueue(200);
    const log: string[] = [];
    const dead = manual(log, 'dead');
    const next = manual(log, 'next');
    const pDead = q.enqueue('relay', dead.run, { label: 'relay write box-1' });
    const pNext = q.enqueue('poll', next.run);
    const failure = expect(pDead).rejects.toMatchObject({ code: 'MODBUS_TIMEOUT' });
    await vi.advanceTimersByTimeAsync(199);
    expect(log).toEqual(['dead']);
    await vi.advanceTimersByTimeAsync(1);
    await failure;
    expect(log).toEqual(['dead', 'next']);
    next.answer();
    await expect(pNext).resolves.toBe('next');
  });

  it('counts the timeout from when the request owns the bus, not from when it was queued', async () => {
    const q = new RequestQueue(100);
    const log: string[] = [];
    const slow = manual(log, 'slow');
    const waiting = manual(log, 'waiting');
    void q.enqueue('poll', slow.run, { timeoutMs: 90 });
    const pWaiting = q.enqueue('poll', waiting.run);
    await vi.advanceTimersByTimeAsync(80);
    slow.answer();
    await vi.advanceTimersByTimeAsync(60);
    waiting.answer();
    await expect(pWaiting).resolves.toBe('waiting');
  });

  it('passes on a request error and carries on with the next one', async () => {
    const q = new RequestQueue(1000);
    const failing = q.enqueue('poll', () => Promise.reject(new Error('CRC error')));
    const sync = q.enqueue('poll', () => {
      throw new Error('thrown');
    });
    const ok = q.enqueue('poll', () => Promise.resolve(42));
    await expect(failing).rejects.toThrow('CRC error');
    await expect(sync).rejects.toThrow('thrown');
    await expect(ok).resolves.toBe(42);
  });

  it('rejects waiting and new requests once closed', async () => {
    const q = new RequestQueue(1000);
    const log: string[] = [];
    const busy = manual(log, 'busy');
    const pBusy = q.enqueue('poll', busy.run);
    const waiting = q.enqueue('relay', () => Promise.resolve('never'));
    q.close();
    await expect(waiting).rejects.toBeInstanceOf(CodedError);
    await expect(q.enqueue('poll', () => Promise.resolve(1))).rejects.toMatchObject({ code: 'QUEUE_CLOSED' });
    busy.answer();
    await expect(pBusy).resolves.toBe('busy');
  });
});
