// AlarmBoxLine against simulated boxes over a real socat pty pair: the wire protocol, the
// ACK-after-sink rule, garbage on the line, and an unplugged adapter coming back in-process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRootLogger } from '../../../common/logger.ts';
import { AlarmBoxLine } from '../../../firmware-bridge/serial/alarm-box-line.ts';
import type { BoxSignal, SignalSink, TransportSignal } from '../../../firmware-bridge/transport/box-transport.ts';
import { PtyPair } from '../../../simulators/pty-pair.ts';
import { SimulatedSerialLine } from '../../../simulators/serial-box-line.ts';

type Signal = BoxSignal | TransportSignal;

const BOXES = [
  { boxId: 'gate-east', address: 1 },
  { boxId: 'library-2f', address: 17 },
];

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('AlarmBoxLine over a pty with simulated boxes', () => {
  let dir: string;
  let pty: PtyPair;
  let sim: SimulatedSerialLine;
  let line: AlarmBoxLine;
  let signals: Signal[];
  let acked: Array<{ boxId: string; eventId: number }>;
  /** Replaced by a test to make the sink slow or failing. */
  let sinkImpl: (s: Signal) => Promise<void>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'alarm-line-'));
    pty = new PtyPair(join(dir, 'ttyRS485'));
    sim = new SimulatedSerialLine({ pty, boxes: BOXES, heartbeatIntervalMs: 500 });
    acked = [];
    sim.on('acked', (boxId: string, eventId: number) => acked.push({ boxId, eventId }));
    await sim.start();
    signals = [];
    sinkImpl = async () => undefined;
    const sink: SignalSink = async (s) => {
      await sinkImpl(s);
      signals.push(s);
    };
    line = new AlarmBoxLine({
      line: { id: 'line-a', path: pty.gatewayPath, baudRate: 9600, heartbeatIntervalMs: 500 },
      boxes: BOXES,
      sink,
      logger: createRootLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent'),
      reopenBackoff: { initialMs: 50, maxMs: 300 },
    });
    await line.start();
  });

  afterEach(async () => {
    await line?.stop();
    await sim?.stop();
    await pty?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const buttons = (eventId: number) => signals.filter((s): s is Extract<BoxSignal, { kind: 'button' }> => s.kind === 'button' && s.eventId === eventId);

  it('delivers a press to the sink and the box hears the ACK', async () => {
    const eventId = sim.press('library-2f');
    await waitFor('button signal', () => buttons(eventId).length > 0);
    expect(buttons(eventId)[0]).toEqual({ kind: 'button', boxId: 'library-2f', pressed: true, eventId });
    await waitFor('ack at the box', () => acked.find((a) => a.boxId === 'library-2f' && a.eventId === eventId));
  });

  it('reports heartbeats with self-test and outputs', async () => {
    const hb = await waitFor('heartbeat', () => signals.find((s) => s.kind === 'heartbeat' && s.boxId === 'gate-east'));
    expect(hb).toEqual({ kind: 'heartbeat', boxId: 'gate-east', selfTestOk: true, faults: [], outputs: { strobe: false, siren: false } });
  });

  it('setOutputs reaches the box, which confirms and reports its relays', async () => {
    const seen: unknown[] = [];
    sim.on('outputs', (boxId: string, outputs: unknown, atNs: bigint) => seen.push({ boxId, outputs, atNs: typeof atNs }));
    await line.setOutputs('gate-east', { strobe: true, siren: false });
    expect(sim.outputs('gate-east')).toEqual({ strobe: true, siren: false });
    expect(sim.outputs('library-2f')).toEqual({ strobe: false, siren: false });
    expect(seen).toEqual([{ boxId: 'gate-east', outputs: { strobe: true, siren: false }, atNs: 'bigint' }]);
    await waitFor('relay report', () => signals.find((s) => s.kind === 'outputs' && s.boxId === 'gate-east' && s.outputs.strobe));
    await line.setOutputs('gate-east', { strobe: true, siren: true });
    expect(sim.outputs('gate-east')).toEqual({ strobe: true, siren: true });
  });

  it('a press answered with setOutputs from the sink switches that box strobe and siren on', async () => {
    let pressedAt = 0n;
    let commandAt = 0n;
    sim.on('pressed', (_b: string, _e: number, atNs: bigint) => (pressedAt = atNs));
    sim.on('relay-command', (_b: string, _o: unknown, atNs: bigint) => (commandAt = atNs));
    sinkImpl = async (s) => {
      if (s.kind === 'button' && s.pressed) void line.setOutputs(s.boxId, { strobe: true, siren: true });
    };
    sim.press('gate-east');
    await waitFor('strobe on', () => sim.outputs('gate-east').strobe && sim.outputs('gate-east').siren);
    expect(commandAt).toBeGreaterThan(pressedAt); // measured, not bounded: wall-clock asserts flake
  });

  it('rejects setOutputs for a box not on the line', async () => {
    await expect(line.setOutputs('nowhere', { strobe: true, siren: true })).rejects.toMatchObject({ code: 'BOX_UNKNOWN' });
  });

  it('still delivers a press after garbage and false frame starts on the line', async () => {
    sim.sendGarbage();
    sim.sendGarbage(Buffer.from([0xa5, 0x5a, 0x01, 0x00, 0x01, 0x09, 0x10, 0x40, 0xa5])); // header wanting 64 bytes
    sim.sendGarbage();
    const eventId = sim.press('gate-east');
    await waitFor('button after garbage', () => buttons(eventId).length > 0);
    await waitFor('ack after garbage', () => acked.find((a) => a.eventId === eventId && a.boxId === 'gate-east'));
    expect(line.stats().garbageBytes).toBeGreaterThan(0);
  });

  it('reports the adapter unplugged and back, and reopens by itself', async () => {
    await sim.unplug();
    await waitFor('transport down', () => signals.find((s) => s.kind === 'transport' && !s.up));
    expect(signals.find((s) => s.kind === 'transport' && !s.up)).toMatchObject({ transportId: 'line-a', code: 'SERIAL_PORT_LOST' });
    const pressedWhileUnplugged = sim.press('gate-east');
    await sim.replug();
    await waitFor('transport up', () => signals.find((s) => s.kind === 'transport' && s.up));
    expect(signals.find((s) => s.kind === 'transport' && s.up)).toMatchObject({ transportId: 'line-a', code: 'SERIAL_PORT_OPEN' });
    // The press made while unplugged is repeated (slow retry) until it gets through.
    await waitFor('press from while unplugged', () => buttons(pressedWhileUnplugged).length > 0);
    const eventId = sim.press('library-2f');
    await waitFor('press after replug', () => buttons(eventId).length > 0);
    await waitFor('ack after replug', () => acked.find((a) => a.eventId === eventId));
    expect(line.stats().portLosses).toBe(1);
  });

  it('does not ACK while the sink refuses; the box repeats; delivered once when the sink recovers', async () => {
    let refusals = 0;
    let accept = false;
    sinkImpl = async (s) => {
      if (s.kind === 'button' && !accept) {
        refusals++;
        throw new Error('store unavailable');
      }
    };
    const eventId = sim.press('gate-east');
    await waitFor('three refused attempts', () => refusals >= 3);
    expect(acked.find((a) => a.eventId === eventId)).toBeUndefined();
    expect(buttons(eventId)).toHaveLength(0);
    accept = true;
    await waitFor('ack once accepted', () => acked.find((a) => a.eventId === eventId), 5000);
    await sleep(300);
    expect(buttons(eventId)).toHaveLength(1);
    expect(line.stats().sinkRejected).toBeGreaterThanOrEqual(3);
  });

  it('records a repeated event once when the sink is slower than the retry timer', async () => {
    let calls = 0;
    sinkImpl = async (s) => {
      if (s.kind !== 'button') return;
      calls++;
      await sleep(400); // several box retransmissions arrive meanwhile
    };
    const eventId = sim.press('library-2f');
    await waitFor('ack', () => acked.find((a) => a.eventId === eventId));
    await sleep(300);
    expect(calls).toBe(1);
    expect(buttons(eventId)).toHaveLength(1);
    expect(line.stats().duplicates).toBeGreaterThan(0);
  });

  it('delivers tamper and fault events with their names', async () => {
    const t = sim.tamper('gate-east', true);
    const f = sim.fault('gate-east', 'battery-low', true);
    await waitFor('fault', () => signals.find((s) => s.kind === 'fault' && s.eventId === f));
    expect(signals.find((s) => s.kind === 'tamper' && s.eventId === t)).toEqual({ kind: 'tamper', boxId: 'gate-east', open: true, eventId: t });
    expect(signals.find((s) => s.kind === 'fault' && s.eventId === f)).toEqual({ kind: 'fault', boxId: 'gate-east', code: 'battery-low', active: true, eventId: f });
    // In order: the box sends one event at a time.
    const order = signals.filter((s) => s.kind === 'tamper' || s.kind === 'fault').map((s) => s.kind);
    expect(order).toEqual(['tamper', 'fault']);
  });

  it('rejects a relay command with RELAY_NO_ACK when the box is gone', async () => {
    await sim.unplug();
    await waitFor('transport down', () => signals.find((s) => s.kind === 'transport' && !s.up));
    await expect(line.setOutputs('gate-east', { strobe: true, siren: true })).rejects.toMatchObject({ code: 'RELAY_NO_ACK' });
    expect(line.stats().relayFailures).toBe(1);
  });
});
