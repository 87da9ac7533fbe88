// Ops test mode in the interlock: a test window per box. Timers are faked (the window is minutes
// long in real use); the store is real SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { BridgeStore } from '../../../firmware-bridge/bridge/bridge-store.ts';
import { Interlock, TEST_PULSE_MAX_MS } from '../../../firmware-bridge/bridge/interlock.ts';
import type { BoxTransport, Outputs } from '../../../firmware-bridge/transport/box-transport.ts';
import { BridgeCommandSchema, type DeviceEvent } from '../../../firmware-bridge/link/messages.ts';

class RecordingTransport implements BoxTransport {
  readonly id = 'fake-line';
  readonly calls: Array<{ boxId: string; outputs: Outputs }> = [];
  constructor(readonly boxIds: string[]) {}
  async start() {}
  async stop() {}
  setOutputs(boxId: string, outputs: Outputs): Promise<void> {
    this.calls.push({ boxId, outputs });
    return Promise.resolve();
  }
}

const ON = { strobe: true, siren: true };
const OFF = { strobe: false, siren: false };

describe('interlock test window', () => {
  let dir: string;
  let store: BridgeStore;
  let transport: RecordingTransport;
  let interlock: Interlock;
  let events: DeviceEvent[];

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    dir = mkdtempSync(join(tmpdir(), 'test-window-'));
    store = new BridgeStore(join(dir, 'bridge.db'));
    transport = new RecordingTransport(['box-a', 'box-b']);
    interlock = new Interlock([{ boxId: 'box-a', silent: false }, { boxId: 'box-b', silent: false }], store, pino({ level: 'silent' }));
    interlock.attach(transport);
    events = [];
    interlock.on('event', (e) => events.push(e));
  });
  afterEach(() => {
    interlock.stop();
    store.close();
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  const last = (kind: string) => events.filter((e) => e.kind === kind).at(-1);

  it('sounds the box for a moment, journals start and end with who started it', async () => {
    await interlock.test('box-a', 'op1', 60000);
    expect(transport.calls.at(-1)).toEqual({ boxId: 'box-a', outputs: ON });
    expect(last('test')?.detail).toMatchObject({ by: 'op1', durationMs: 60000, phase: 'start' });
    expect(interlock.testing('box-a')).toBe(true);
    await vi.advanceTimersByTimeAsync(TEST_PULSE_MAX_MS);
    expect(transport.calls.at(-1)).toEqual({ boxId: 'box-a', outputs: OFF });
    expect(interlock.testing('box-a')).toBe(true);
    await vi.advanceTimersByTimeAsync(60000 - TEST_PULSE_MAX_MS);
    expect(interlock.testing('box-a')).toBe(false);
    expect(last('test')?.detail).toEqual({ by: 'op1', phase: 'end' });
  });

  it('a press inside the window drives and latches the relays as always, marked test: true', async () => {
    await interlock.test('box-a', 'op1', 30000);
    await vi.advanceTimersByTimeAsync(TEST_PULSE_MAX_MS + 1000);
    expect(transport.calls.at(-1)?.outputs).toEqual(OFF);
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 1 });
    expect(transport.calls.at(-1)).toEqual({ boxId: 'box-a', outputs: ON });
    expect(interlock.state('box-a')?.latched).toBe(true);
    expect(last('button-pressed')?.detail).toEqual({ silent: false, test: true, testBy: 'op1' });
    expect(last('latched')?.detail).toMatchObject({ test: true });
    // The press closes the window on the record; the latched relays stay on until an authorised reset.
    expect(last('test')?.detail).toEqual({ by: 'op1', phase: 'end', reason: 'pressed' });
    expect(interlock.testing('box-a')).toBe(false);
    await vi.advanceTimersByTimeAsync(30000);
    expect(events.filter((e) => e.kind === 'test' && (e.detail as { phase?: string }).phase === 'end')).toHaveLength(1);
    expect(transport.calls.at(-1)?.outputs).toEqual(ON);
    expect(interlock.state('box-a')?.commanded).toEqual(ON);
  });

  it('only the first press in the window is a test: the next one, seconds later, is a real alarm', async () => {
    await interlock.test('box-a', 'op1', 60000);
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 1 });
    expect(last('button-pressed')?.detail).toMatchObject({ test: true });
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: false, eventId: 2 });
    await vi.advanceTimersByTimeAsync(3000);
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 3 });
    expect(last('button-pressed')?.detail).toEqual({ silent: false });
  });

  it('a press during the pulse keeps the relays on when the pulse ends', async () => {
    await interlock.test('box-a', 'op1', 5000);
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 1 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(transport.calls.every((c) => c.outputs.strobe)).toBe(true);
    expect(interlock.state('box-a')?.latched).toBe(true);
  });

  it('a press after the window, or on another box, is a real one', async () => {
    await interlock.test('box-a', 'op1', 2000);
    await interlock.sink({ kind: 'button', boxId: 'box-b', pressed: true, eventId: 1 });
    expect(last('button-pressed')?.detail).toEqual({ silent: false });
    await vi.advanceTimersByTimeAsync(2000);
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 1 });
    expect(last('button-pressed')).toMatchObject({ boxId: 'box-a', detail: { silent: false } });
    expect(last('button-pressed')?.detail).not.toHaveProperty('test');
  });

  it('refuses to test a latched box; a second test replaces the open window on the record', async () => {
    await interlock.test('box-a', 'op1', 20000);
    await interlock.test('box-a', 'op2', 20000);
    const tests = events.filter((e) => e.kind === 'test').map((e) => e.detail);
    expect(tests).toEqual([
      expect.objectContaining({ by: 'op1', phase: 'start' }),
      { by: 'op1', phase: 'end', replaced: true },
      expect.objectContaining({ by: 'op2', phase: 'start' }),
    ]);
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 1 });
    expect(last('button-pressed')?.detail).toMatchObject({ test: true, testBy: 'op2' });
    await expect(interlock.test('box-a', 'op1', 20000)).rejects.toMatchObject({ code: 'BOX_LATCHED' });
  });

  it('the link accepts a window of 1 s to 5 min and nothing else', () => {
    const cmd = (durationMs: number) => BridgeCommandSchema.safeParse({ kind: 'test', boxId: 'box-a', by: 'op1', durationMs }).success;
    expect([cmd(999), cmd(1000), cmd(300000), cmd(300001), cmd(1500.5)]).toEqual([false, true, true, false, false]);
  });
});
