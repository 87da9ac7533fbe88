import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { BridgeStore } from '../../../firmware-bridge/bridge/bridge-store.ts';
import { Interlock } from '../../../firmware-bridge/bridge/interlock.ts';
import type { BoxTransport, Outputs } from '../../../firmware-bridge/transport/box-transport.ts';
import type { DeviceEvent } from '../../../firmware-bridge/link/messages.ts';

class RecordingTransport implements BoxTransport {
  readonly id = 'fake-line';
  readonly calls: Array<{ boxId: string; outputs: Outputs }> = [];
  fail = false;
  constructor(readonly boxIds: string[]) {}
  async start() {}
  async stop() {}
  setOutputs(boxId: string, outputs: Outputs): Promise<void> {
    this.calls.push({ boxId, outputs });
    return this.fail ? Promise.reject(new Error('no ack')) : Promise.resolve();
  }
}

const log = pino({ level: 'silent' });

describe('interlock', () => {
  let dir: string;
  let store: BridgeStore;
  let transport: RecordingTransport;
  let interlock: Interlock;
  let events: DeviceEvent[];

  const build = () => {
    store = new BridgeStore(join(dir, 'bridge.db'));
    transport = new RecordingTransport(['box-a', 'box-quiet']);
    interlock = new Interlock([{ boxId: 'box-a', silent: false }, { boxId: 'box-quiet', silent: true }], store, log);
    interlock.attach(transport);
    events = [];
    interlock.on('event', (e) => events.push(e));
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'interlock-'));
    build();
  });
  afterEach(() => {
    interlock.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('switches strobe and siren on before the press is recorded', async () => {
    let commandedBeforeRecord = false;
    interlock.on('event', (e) => {
      if (e.kind === 'button-pressed') commandedBeforeRecord = transport.calls.length === 1;
    });
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 1 });
    expect(transport.calls).toEqual([{ boxId: 'box-a', outputs: { strobe: true, siren: true } }]);
    expect(commandedBeforeRecord).toBe(true);
    expect(events.map((e) => e.kind)).toEqual(['online', 'button-pressed', 'latched']);
  });

  it('a silent box gets its strobe but never its siren', async () => {
    await interlock.sink({ kind: 'button', boxId: 'box-quiet', pressed: true, eventId: 1 });
    expect(transport.calls.at(-1)).toEqual({ boxId: 'box-quiet', outputs: { strobe: true, siren: false } });
  });

  it('stays latched after the button is released, until an authorised reset', async () => {
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 1 });
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: false, eventId: 2 });
    expect(interlock.state('box-a')?.latched).toBe(true);
    expect(transport.calls.every((c) => c.outputs.strobe)).toBe(true);
    await interlock.reset('box-a', 'guard-1');
    expect(interlock.state('box-a')?.latched).toBe(false);
    expect(transport.calls.at(-1)).toEqual({ boxId: 'box-a', outputs: { strobe: false, siren: false } });
    expect(events.at(-1)).toMatchObject({ kind: 'reset', detail: { by: 'guard-1' } });
  });

  it('refuses a reset while the button is still held', async () => {
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 1 });
    await expect(interlock.reset('box-a', 'guard-1')).rejects.toMatchObject({ code: 'BOX_STILL_PRESSED' });
    expect(interlock.state('box-a')?.latched).toBe(true);
  });

  it('records a retransmitted event once', async () => {
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 7 });
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 7 });
    expect(events.filter((e) => e.kind === 'button-pressed')).toHaveLength(1);
  });

  it('hears a box whose counter went back (a spare put in): an old counter is a new press', async () => {
    for (const id of [1, 2, 3]) {
      await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: id });
      await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: false, eventId: id + 100 });
    }
    await interlock.reset('box-a', 'guard-1');
    transport.calls.length = 0;
    // The spare counts from 1 again.
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 1 });
    expect(transport.calls.at(-1)).toEqual({ boxId: 'box-a', outputs: { strobe: true, siren: true } });
    expect(interlock.state('box-a')?.latched).toBe(true);
    expect(events.filter((e) => e.kind === 'button-pressed')).toHaveLength(4);
    // Its own retransmission is still recorded once.
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 1 });
    expect(events.filter((e) => e.kind === 'button-pressed')).toHaveLength(4);
  });

  it('keeps the latch across a restart and drives the relays again', async () => {
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 1 });
    interlock.stop();
    store.close();
    build();
    expect(interlock.state('box-a')?.latched).toBe(true);
    interlock.restoreLatches();
    expect(transport.calls).toEqual([{ boxId: 'box-a', outputs: { strobe: true, siren: true } }]);
  });

  it('everything recorded stays in the outbox until the gateway acknowledges it', async () => {
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 1 });
    await interlock.sink({ kind: 'tamper', boxId: 'box-a', open: true, eventId: 2 });
    const all = store.pending(0);
    expect(all.map((e) => e.kind)).toEqual(['online', 'button-pressed', 'latched', 'tamper-open']);
    store.acknowledge(all[1]!.seq);
    expect(store.pending(0).map((e) => e.kind)).toEqual(['latched', 'tamper-open']);
  });

  it('reports a relay that does not answer and keeps trying while latched', async () => {
    transport.fail = true;
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 1 });
    await new Promise((r) => setTimeout(r, 20));
    expect(events.some((e) => e.kind === 'output-failed')).toBe(true);
    transport.fail = false;
    await new Promise((r) => setTimeout(r, 600));
    expect(transport.calls.length).toBeGreaterThan(1);
  });

  it('drives the relays again when a latched box reports them off', async () => {
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 1 });
    await interlock.sink({ kind: 'heartbeat', boxId: 'box-a', selfTestOk: true, faults: [], outputs: { strobe: false, siren: false } });
    expect(transport.calls).toHaveLength(2);
    expect(transport.calls[1]!.outputs).toEqual({ strobe: true, siren: true });
  });
});
