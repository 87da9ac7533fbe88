// The Modbus IO-module transport against a simulated IO module over a real socat pty.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModbusBusConfig } from '../../../config/schema.ts';
import { IoModuleBus, type IoBoxWiring } from '../../../firmware-bridge/modbus/io-module-bus.ts';
import type { BoxSignal, SignalSink, TransportSignal } from '../../../firmware-bridge/transport/box-transport.ts';
import { SimulatedIoModule } from '../../../simulators/modbus-io-module.ts';
import { PtyPair } from '../../../simulators/pty-pair.ts';

type Signal = BoxSignal | TransportSignal;

const UNIT = 3;
// box-a: adjacent coils (one function 15 write); box-b: coils apart (two function 05 writes).
const WIRING: IoBoxWiring[] = [
  { boxId: 'box-a', module: 'm1', buttonInput: 0, tamperInput: 1, strobeCoil: 0, sirenCoil: 1 },
  { boxId: 'box-b', module: 'm1', buttonInput: 2, strobeCoil: 2, sirenCoil: 5 },
];

interface Rig {
  pty: PtyPair;
  sim: SimulatedIoModule;
  bus: IoModuleBus;
  signals: Signal[];
}

let dir: string | null = null;
const owned: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const stop of owned.splice(0).reverse()) await stop().catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

async function rig(options: { lineTiming?: boolean; sink?: SignalSink; extraWiring?: IoBoxWiring[]; bus?: Partial<ModbusBusConfig> } = {}): Promise<Rig> {
  dir = mkdtempSync(join(tmpdir(), 'modbus-bus-'));
  const pty = new PtyPair(join(dir, 'rs485'));
  owned.push(() => pty.stop());
  const sim = new SimulatedIoModule({
    pty,
    unit: UNIT,
    boxes: WIRING.map(({ module: _m, ...box }) => box),
    lineTiming: options.lineTiming ?? false,
  });
  await sim.start();
  owned.push(() => sim.stop());
  const signals: Signal[] = [];
  const sink: SignalSink =
    options.sink ??
    (async (s) => {
      signals.push(s);
    });
  const bus = new IoModuleBus({
    bus: {
      id: 'bus-1',
      path: pty.gatewayPath,
      baudRate: 9600,
      pollIntervalMs: 20,
      timeoutMs: 100,
      offlineAfterFailures: 3,
      modules: [{ id: 'm1', unit: UNIT, inputs: 8 }],
      ...options.bus,
    },
    boxes: [...WIRING, ...(options.extraWiring ?? [])],
    sink,
    logger: pino({ level: 'silent' }),
  });
  await bus.start();
  owned.push(() => bus.stop());
  return { pty, sim, bus, signals };
}

const wait = (fn: () => void, timeout = 5000) => vi.waitFor(fn, { timeout, interval: 10 });
const buttons = (signals: Signal[], boxId: string) =>
  signals.flatMap((s) => (s.kind === 'button' && s.boxId === boxId ? [s.pressed] : []));
const presence = (signals: Signal[], boxId: string) =>
  signals.flatMap((s) => (s.kind === 'presence' && s.boxId === boxId ? [s.online] : []));
const transport = (signals: Signal[]) => signals.flatMap((s) => (s.kind === 'transport' ? [s] : []));

describe('IoModuleBus over a pty', () => {
  it('reports a latched key press as button pressed, and its reset by key as pressed:false', async () => {
    const { sim, signals } = await rig();
    await wait(() => expect(signals.some((s) => s.kind === 'heartbeat' && s.boxId === 'box-a')).toBe(true));
    sim.press('box-a');
    await wait(() => expect(buttons(signals, 'box-a')).toEqual([true]));
    expect(sim.lastInputReadAtNs('box-a')).not.toBeNull();
    sim.release('box-a');
    await wait(() => expect(buttons(signals, 'box-a')).toEqual([true, false]));
    expect(buttons(signals, 'box-b')).toEqual([]);
  });

  it('reports the tamper contact opening and closing', async () => {
    const { sim, signals } = await rig();
    sim.tamper('box-a', true);
    await wait(() => expect(signals).toContainEqual({ kind: 'tamper', boxId: 'box-a', open: true }));
    sim.tamper('box-a', false);
    await wait(() => expect(signals).toContainEqual({ kind: 'tamper', boxId: 'box-a', open: false }));
  });

  it('drives strobe and siren coils, adjacent (function 15) or apart (function 05)', async () => {
    const { sim, bus, signals } = await rig();
    const changed: string[] = [];
    sim.on('outputs', (boxId: string) => changed.push(boxId));
    await bus.setOutputs('box-a', { strobe: true, siren: true });
    expect(sim.outputs('box-a')).toEqual({ strobe: true, siren: true });
    await bus.setOutputs('box-b', { strobe: true, siren: false });
    expect(sim.outputs('box-b')).toEqual({ strobe: true, siren: false });
    await bus.setOutputs('box-b', { strobe: false, siren: true });
    expect(sim.outputs('box-b')).toEqual({ strobe: false, siren: true });
    expect(sim.outputs('box-a')).toEqual({ strobe: true, siren: true });
    // Coils apart take two function 05 writes, so the module passes through strobe-off, siren-off.
    expect(changed).toEqual(['box-a', 'box-b', 'box-b', 'box-b']);
    await wait(() => expect(signals).toContainEqual({ kind: 'outputs', boxId: 'box-b', outputs: { strobe: false, siren: true } }));
    expect(bus.stats().relayWrites).toBe(3);
  });

  it('puts a relay write on the wire before further polls, however busy the bus', async () => {
    // Line timing makes each poll take real time, so polls are always in flight or queued.
    const { sim, bus } = await rig({ lineTiming: true, bus: { pollIntervalMs: 10 } });
    await wait(() => expect(bus.stats().polls).toBeGreaterThan(3));
    for (let i = 0; i < 10; i += 1) {
      const before = sim.stats().requests;
      const relayed = new Promise<number>((resolve) => sim.once('relay-command', () => resolve(sim.stats().requests)));
      await bus.setOutputs('box-a', { strobe: i % 2 === 0, siren: false });
      // At most the poll already on the wire went before the relay write itself.
      expect((await relayed) - before).toBeLessThanOrEqual(2);
    }
  });

  it('reports a silent module offline after N failed polls and online when it answers again', async () => {
    const { sim, bus, signals } = await rig();
    await wait(() => expect(bus.stats().polls).toBeGreaterThan(0));
    sim.setHeartbeats('box-a', false);
    await wait(() => expect(presence(signals, 'box-a')).toEqual([false]));
    expect(presence(signals, 'box-b')).toEqual([false]);
    expect(signals.find((s) => s.kind === 'presence')).toMatchObject({ reason: 'MODBUS_TIMEOUT' });
    expect(bus.stats().timeouts).toBeGreaterThanOrEqual(3);
    sim.setHeartbeats('box-a', true);
    await wait(() => expect(presence(signals, 'box-a')).toEqual([false, true]));
    expect(presence(signals, 'box-b')).toEqual([false, true]);
  });

  it('gives up a relay write to a dead module with RELAY_NO_ACK instead of hanging', async () => {
    const { sim, bus } = await rig();
    sim.setHeartbeats('box-a', false);
    await expect(bus.setOutputs('box-a', { strobe: true, siren: true })).rejects.toMatchObject({ code: 'RELAY_NO_ACK' });
    expect(sim.outputs('box-a')).toEqual({ strobe: false, siren: false });
    expect(bus.stats().relayFailures).toBe(1);
  });

  it('rejects a relay write to coils the module does not have with MODBUS_EXCEPTION', async () => {
    const { bus } = await rig({ extraWiring: [{ boxId: 'box-x', module: 'm1', buttonInput: 3, strobeCoil: 10, sirenCoil: 11 }] });
    await expect(bus.setOutputs('box-x', { strobe: true, siren: false })).rejects.toMatchObject({ code: 'MODBUS_EXCEPTION' });
    await expect(bus.setOutputs('nobody', { strobe: true, siren: false })).rejects.toMatchObject({ code: 'BOX_UNKNOWN' });
  });

  it('reports the serial port lost when the pty vanishes, reopens it when it is back and polls again', async () => {
    const { sim, bus, signals } = await rig();
    await wait(() => expect(bus.stats().polls).toBeGreaterThan(0));
    await sim.unplug();
    await wait(() => expect(transport(signals)).toMatchObject([{ transportId: 'bus-1', up: false, code: 'SERIAL_PORT_LOST' }]));
    expect(bus.stats().portUp).toBe(false);
    await sim.replug();
    await wait(() => expect(transport(signals).map((t) => t.up)).toEqual([false, true]));
    const polls = bus.stats().polls;
    sim.press('box-b');
    await wait(() => expect(buttons(signals, 'box-b')).toEqual([true]));
    expect(bus.stats().polls).toBeGreaterThan(polls);
    expect(bus.stats().reopenAttempts).toBeGreaterThan(0);
  });

  it('starts without its port, reports it, and picks the bus up once the adapter appears', async () => {
    dir = mkdtempSync(join(tmpdir(), 'modbus-bus-'));
    const pty = new PtyPair(join(dir, 'late'));
    owned.push(() => pty.stop());
    const sim = new SimulatedIoModule({ pty, unit: UNIT, boxes: WIRING.map(({ module: _m, ...box }) => box) });
    owned.push(() => sim.stop());
    const signals: Signal[] = [];
    const bus = new IoModuleBus({
      bus: { id: 'bus-1', path: pty.gatewayPath, baudRate: 9600, pollIntervalMs: 20, timeoutMs: 100, offlineAfterFailures: 3, modules: [{ id: 'm1', unit: UNIT, inputs: 8 }] },
      boxes: WIRING,
      sink: async (s) => {
        signals.push(s);
      },
      logger: pino({ level: 'silent' }),
    });
    await bus.start();
    owned.push(() => bus.stop());
    await wait(() => expect(transport(signals)).toMatchObject([{ up: false, code: 'SERIAL_OPEN_FAILED' }]));
    await sim.start();
    sim.press('box-a');
    await wait(() => expect(buttons(signals, 'box-a')).toEqual([true]));
    expect(transport(signals).map((t) => t.up)).toEqual([false, true]);
  });

  it('keeps polling while the sink is slow, then delivers the edges in order', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const delivered: Signal[] = [];
    const sink: SignalSink = async (s) => {
      await gate;
      delivered.push(s);
    };
    const { sim, bus } = await rig({ sink });
    sim.press('box-a');
    await wait(() => expect(sim.lastInputReadAtNs('box-a')).not.toBeNull());
    sim.release('box-a');
    const polls = bus.stats().polls;
    await wait(() => expect(bus.stats().polls).toBeGreaterThan(polls + 3));
    sim.press('box-b');
    await wait(() => expect(sim.lastInputReadAtNs('box-b')).not.toBeNull());
    await wait(() => expect(bus.stats().sinkBacklog).toBeGreaterThanOrEqual(3));
    open();
    await wait(() => expect(delivered.filter((s) => s.kind === 'button')).toHaveLength(3));
    expect(delivered.filter((s) => s.kind === 'button')).toEqual([
      { kind: 'button', boxId: 'box-a', pressed: true },
      { kind: 'button', boxId: 'box-a', pressed: false },
      { kind: 'button', boxId: 'box-b', pressed: true },
    ]);
  });

  it('offers a press again when the sink refuses it', async () => {
    let refusals = 0;
    const delivered: Signal[] = [];
    const sink: SignalSink = async (s) => {
      if (s.kind === 'button' && refusals < 2) {
        refusals += 1;
        throw new Error('disk full');
      }
      delivered.push(s);
    };
    const { sim } = await rig({ sink });
    sim.press('box-a');
    await wait(() => expect(delivered).toContainEqual({ kind: 'button', boxId: 'box-a', pressed: true }));
    expect(refusals).toBe(2);
  });
});
