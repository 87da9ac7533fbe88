// A Modbus RTU bus of IO modules carrying alarm boxes: a latching key on a discrete input, an
// optional tamper contact, strobe and siren on relay coils. The bus polls every module's inputs in
// turn, turns input edges into BoxSignals, and puts relay writes on the wire ahead of any poll.
import { setTimeout as sleep } from 'node:timers/promises';
import { CodedError } from '../../common/coded-error.ts';
import type { Logger } from '../../common/logger.ts';
import type { ModbusBusConfig } from '../../config/schema.ts';
import type { BoxSignal, BoxTransport, Outputs, SignalSink } from '../transport/box-transport.ts';
import { classifyModbusError, failureReason } from './modbus-errors.ts';
import { ModuleState, type IoBoxWiring } from './module-state.ts';
import { RequestQueue } from './request-queue.ts';
import { SerialLink } from './serial-link.ts';
import { SignalPump } from './signal-pump.ts';

export type { IoBoxWiring } from './module-state.ts';

export interface IoModuleBusOptions {
  bus: ModbusBusConfig;
  boxes: readonly IoBoxWiring[];
  sink: SignalSink;
  logger: Logger;
}

export interface IoModuleBusStats {
  /** Successful discrete-input reads. */
  polls: number;
  pollFailures: number;
  /** Requests (polls or relay writes) a module did not answer in time. */
  timeouts: number;
  /** Modbus exception answers (illegal address or function). */
  exceptions: number;
  coilReads: number;
  relayWrites: number;
  relayFailures: number;
  /** Wall time of the last successful input poll, queueing included. */
  lastPollMs: number | null;
  portUp: boolean;
  reopenAttempts: number;
  /** Signals heard but not yet accepted by the sink. */
  sinkBacklog: number;
}

interface PolledModule {
  unit: number;
  state: ModuleState;
  polls: number;
}

/** Coils are read on every Nth input poll: relays change only on our command or by hand. */
const COIL_READ_EVERY = 10;
const HEARTBEAT_EVERY_MS = 1000;
const RELAY_TRIES = 3;

export class IoModuleBus implements BoxTransport {
  readonly id: string;
  readonly boxIds: readonly string[];
  private readonly bus: ModbusBusConfig;
  private readonly logger: Logger;
  private readonly sink: SignalSink;
  private readonly modules: PolledModule[];
  private readonly moduleOfBox = new Map<string, { module: PolledModule; wiring: IoBoxWiring }>();
  private readonly link: SerialLink;
  private queue: RequestQueue;
  private pump: SignalPump;
  private abort = new AbortController();
  private loop: Promise<void> | null = null;
  private readonly counters = { polls: 0, pollFailures: 0, timeouts: 0, exceptions: 0, coilReads: 0, relayWrites: 0, relayFailures: 0 };
  private lastPollMs: number | null = null;

  constructor(options: IoModuleBusOptions) {
    this.bus = options.bus;
    this.id = options.bus.id;
    this.sink = options.sink;
    // The caller's logger already carries the component and bus id (componentLogger).
    this.logger = options.logger;
    this.boxIds = options.boxes.map((b) => b.boxId);
    this.modules = options.bus.modules.map((m) => ({
      unit: m.unit,
      polls: 0,
      state: new ModuleState({
        moduleId: m.id,
        boxes: options.boxes.filter((b) => b.module === m.id),
        inputs: m.inputs,
        offlineAfterFailures: options.bus.offlineAfterFailures,
        heartbeatEveryMs: HEARTBEAT_EVERY_MS,
      }),
    }));
    for (const wiring of options.boxes) {
      const module = this.modules.find((m) => m.state.moduleId === wiring.module);
      if (!module) throw new CodedError('CONFIG_INVALID', `box ${wiring.boxId}: no module "${wiring.module}" on bus ${this.id}`);
      this.moduleOfBox.set(wiring.boxId, { module, wiring });
    }
    this.queue = new RequestQueue(this.requestTimeoutMs(1));
    this.pump = new SignalPump(this.sink, this.logger);
    this.link = new SerialLink({
      path: this.bus.path,
      baudRate: this.bus.baudRate,
      timeoutMs: this.bus.timeoutMs,
      logger: this.logger,
      onDown: (code, message) => this.pump.push({ kind: 'transport', transportId: this.id, up: false, code, message }),
      onUp: () => this.pump.push({ kind: 'transport', transportId: this.id, up: true, code: 'SERIAL_PORT_OPEN', message: `${this.bus.path} open again` }),
    });
  }

  async start(): Promise<void> {
    if (this.loop) return;
    this.abort = new AbortController();
    this.queue = new RequestQueue(this.requestTimeoutMs(1));
    this.pump = new SignalPump(this.sink, this.logger);
    await this.link.start();
    this.loop = this.pollLoop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.queue.close();
    // The link first: stopping it wakes a poll loop that waits for the port to come back.
    await this.link.stop();
    await this.loop;
    this.loop = null;
    await this.pump.stop();
  }

  /**
   * Drives a box's strobe and siren coils, ahead of any queued poll. Resolves once the module
   * echoed the write; rejects with RELAY_NO_ACK (no answer) or MODBUS_EXCEPTION after 3 tries.
   */
  async setOutputs(boxId: string, outputs: Outputs): Promise<void> {
    const entry = this.moduleOfBox.get(boxId);
    if (!entry) throw new CodedError('BOX_UNKNOWN', `box ${boxId} is not on Modbus bus ${this.id}`);
    const { module, wiring } = entry;
    const requests = Math.abs(wiring.strobeCoil - wiring.sirenCoil) === 1 || wiring.strobeCoil === wiring.sirenCoil ? 1 : 2;
    let lastError: unknown = null;
    for (let attempt = 1; attempt <= RELAY_TRIES && !this.abort.signal.aborted; attempt += 1) {
      try {
        await this.queue.enqueue('relay', () => this.writeRelays(module.unit, wiring, outputs), {
          timeoutMs: this.requestTimeoutMs(requests),
          label: `relay write ${boxId}`,
        });
        this.counters.relayWrites += 1;
        if (module.state.remember(boxId, outputs)) this.pump.push({ kind: 'outputs', boxId, outputs: { ...outputs } });
        return;
      } catch (err) {
        lastError = err;
        const kind = classifyModbusError(err);
        if (kind === 'timeout') this.counters.timeouts += 1;
        if (kind === 'exception') this.counters.exceptions += 1;
        this.logger.warn({ err, boxId, attempt }, 'relay write failed');
        // With the port away every try fails at once: give the reopen loop a moment between tries.
        if (kind === 'port' && attempt < RELAY_TRIES) await sleep(100 * attempt, undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
    this.counters.relayFailures += 1;
    const exception = classifyModbusError(lastError) === 'exception';
    throw new CodedError(
      exception ? 'MODBUS_EXCEPTION' : 'RELAY_NO_ACK',
      exception ? `module ${wiring.module} refused the relay write for ${boxId}` : `module ${wiring.module} did not confirm the relay write for ${boxId}`,
      { boxId, module: wiring.module, tries: RELAY_TRIES, cause: lastError instanceof Error ? lastError.message : String(lastError) },
    );
  }

  stats(): IoModuleBusStats {
    return {
      ...this.counters,
      lastPollMs: this.lastPollMs,
      portUp: this.link.up,
      reopenAttempts: this.link.reopenAttempts,
      sinkBacklog: this.pump.backlog,
    };
  }

  /** The queue's guard is longer than the client's own timeout, so the client normally gives up first. */
  private requestTimeoutMs(requests: number): number {
    return requests * (this.bus.timeoutMs + Math.max(100, this.bus.timeoutMs));
  }

  private async pollLoop(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      await this.link.waitUp();
      const roundStart = performance.now();
      for (const module of this.modules) {
        if (signal.aborted) return;
        await this.pollModule(module);
      }
      const waitMs = Math.max(0, this.bus.pollIntervalMs - (performance.now() - roundStart));
      await sleep(waitMs, undefined, { signal }).catch(() => undefined);
    }
  }

  private async pollModule(module: PolledModule): Promise<void> {
    if (!this.link.up) return;
    const started = performance.now();
    try {
      const bits = await this.queue.enqueue('poll', () => this.read(module.unit, 'inputs', module.state.inputCount), {
        label: `input poll unit ${module.unit}`,
      });
      this.counters.polls += 1;
      this.lastPollMs = performance.now() - started;
      this.deliver(module.state.onInputs(bits, Date.now()));
    } catch (err) {
      this.pollFailed(module, err);
      return;
    }
    if (module.polls++ % COIL_READ_EVERY !== 0) return;
    try {
      const coils = await this.queue.enqueue('poll', () => this.read(module.unit, 'coils', module.state.coilCount), {
        label: `coil read unit ${module.unit}`,
      });
      this.counters.coilReads += 1;
      this.deliver(module.state.onCoils(coils));
    } catch (err) {
      // Presence follows the input polls alone; a missed coil read is seen again ten polls later.
      this.logger.debug({ err, unit: module.unit }, 'coil read failed');
    }
  }

  private pollFailed(module: PolledModule, err: unknown): void {
    const kind = classifyModbusError(err);
    // A port that went away (even if the request on the wire then timed out) is reported once as
    // a transport fault, not as every module on the bus going offline.
    if (kind === 'port' || !this.link.up || this.abort.signal.aborted) return;
    this.counters.pollFailures += 1;
    if (kind === 'timeout') this.counters.timeouts += 1;
    if (kind === 'exception') {
      this.counters.exceptions += 1;
      this.logger.warn({ err, unit: module.unit }, 'module answered the input poll with an exception; check the wiring in the site file');
    }
    this.deliver(module.state.onFailure(failureReason(kind)));
  }

  private deliver(signals: BoxSignal[]): void {
    for (const s of signals) this.pump.push(s);
  }

  private async read(unit: number, what: 'inputs' | 'coils', count: number): Promise<boolean[]> {
    const client = this.openClient();
    client.setID(unit);
    const result = what === 'inputs' ? await client.readDiscreteInputs(0, count) : await client.readCoils(0, count);
    // The answer is padded to whole bytes; only the bits asked for mean anything.
    return result.data.slice(0, count);
  }

  private async writeRelays(unit: number, w: IoBoxWiring, outputs: Outputs): Promise<void> {
    const client = this.openClient();
    client.setID(unit);
    if (w.strobeCoil === w.sirenCoil) {
      await client.writeCoil(w.strobeCoil, outputs.strobe || outputs.siren);
    } else if (Math.abs(w.strobeCoil - w.sirenCoil) === 1) {
      // Adjacent coils: one function 15 request switches both at the same instant.
      const first = Math.min(w.strobeCoil, w.sirenCoil);
      const states = w.strobeCoil < w.sirenCoil ? [outputs.strobe, outputs.siren] : [outputs.siren, outputs.strobe];
      await client.writeCoils(first, states);
    } else {
      await client.writeCoil(w.strobeCoil, outputs.strobe);
      await client.writeCoil(w.sirenCoil, outputs.siren);
    }
  }

  private openClient() {
    const client = this.link.modbus;
    if (!client) throw new CodedError('SERIAL_PORT_LOST', `serial port ${this.bus.path} is not open`);
    return client;
  }
}
