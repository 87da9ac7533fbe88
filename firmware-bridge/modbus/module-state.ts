// What one IO module's inputs and coils mean for the alarm boxes wired to it. Pure: bits and the
// time come in, BoxSignals go out, so the edge, heartbeat and presence rules are tested without a bus.
import type { BoxSignal, Outputs } from '../transport/box-transport.ts';

export interface IoBoxWiring {
  boxId: string;
  /** Module id from the site file. */
  module: string;
  /** Discrete input of the (latching) alarm key. */
  buttonInput: number;
  /** Discrete input of the tamper contact: 1 = housing open. */
  tamperInput?: number;
  strobeCoil: number;
  sirenCoil: number;
}

export interface ModuleStateOptions {
  moduleId: string;
  boxes: readonly IoBoxWiring[];
  /** Discrete inputs the module has; reads cover at least these and every wired input. */
  inputs: number;
  offlineAfterFailures: number;
  /** A box gets at most one heartbeat per this many ms, however fast the bus polls. */
  heartbeatEveryMs: number;
}

interface BoxMemory {
  button: boolean;
  tamper: boolean;
  outputs: Outputs | null;
  lastHeartbeatMs: number;
}

export class ModuleState {
  readonly moduleId: string;
  readonly inputCount: number;
  readonly coilCount: number;
  private readonly boxes: readonly IoBoxWiring[];
  private readonly memory = new Map<string, BoxMemory>();
  private failures = 0;
  private offline = false;

  constructor(private readonly options: ModuleStateOptions) {
    this.moduleId = options.moduleId;
    this.boxes = options.boxes;
    const inputs = options.boxes.flatMap((b) => (b.tamperInput === undefined ? [b.buttonInput] : [b.buttonInput, b.tamperInput]));
    this.inputCount = Math.max(options.inputs, ...inputs.map((i) => i + 1));
    this.coilCount = Math.max(1, ...options.boxes.flatMap((b) => [b.strobeCoil + 1, b.sirenCoil + 1]));
    // Inputs start as "off": a key already latched when the gateway starts is reported as a press.
    for (const b of options.boxes) {
      this.memory.set(b.boxId, { button: false, tamper: false, outputs: null, lastHeartbeatMs: Number.NEGATIVE_INFINITY });
    }
  }

  get isOffline(): boolean {
    return this.offline;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** A successful discrete-input read: edges in wiring order, then recovery and heartbeats. */
  onInputs(bits: readonly boolean[], nowMs: number): BoxSignal[] {
    const signals: BoxSignal[] = [];
    this.failures = 0;
    if (this.offline) {
      this.offline = false;
      for (const b of this.boxes) signals.push({ kind: 'presence', boxId: b.boxId, online: true, reason: 'MODBUS_ANSWERED' });
    }
    for (const b of this.boxes) {
      const m = this.mem(b.boxId);
      const button = bits[b.buttonInput] === true;
      if (button !== m.button) signals.push({ kind: 'button', boxId: b.boxId, pressed: button });
      m.button = button;
      if (b.tamperInput !== undefined) {
        const tamper = bits[b.tamperInput] === true;
        if (tamper !== m.tamper) signals.push({ kind: 'tamper', boxId: b.boxId, open: tamper });
        m.tamper = tamper;
      }
    }
    for (const b of this.boxes) {
      const m = this.mem(b.boxId);
      if (nowMs - m.lastHeartbeatMs < this.options.heartbeatEveryMs) continue;
      m.lastHeartbeatMs = nowMs;
      const heartbeat: BoxSignal = { kind: 'heartbeat', boxId: b.boxId, selfTestOk: true, faults: [] };
      if (m.outputs) heartbeat.outputs = { ...m.outputs };
      signals.push(heartbeat);
    }
    return signals;
  }

  /** A coil read: an 'outputs' report for every box whose strobe or siren differs from last seen. */
  onCoils(bits: readonly boolean[]): BoxSignal[] {
    const signals: BoxSignal[] = [];
    for (const b of this.boxes) {
      const outputs = { strobe: bits[b.strobeCoil] === true, siren: bits[b.sirenCoil] === true };
      if (this.remember(b.boxId, outputs)) signals.push({ kind: 'outputs', boxId: b.boxId, outputs });
    }
    return signals;
  }

  /** The module confirmed a relay write; returns whether that changed what we last saw. */
  remember(boxId: string, outputs: Outputs): boolean {
    const m = this.mem(boxId);
    const changed = !m.outputs || m.outputs.strobe !== outputs.strobe || m.outputs.siren !== outputs.siren;
    m.outputs = { ...outputs };
    return changed;
  }

  /** A failed poll; after offlineAfterFailures in a row the module's boxes are reported offline once. */
  onFailure(reason: string): BoxSignal[] {
    this.failures += 1;
    if (this.offline || this.failures < this.options.offlineAfterFailures) return [];
    this.offline = true;
    return this.boxes.map((b) => ({ kind: 'presence', boxId: b.boxId, online: false, reason }) as const);
  }

  private mem(boxId: string): BoxMemory {
    const m = this.memory.get(boxId);
    if (!m) throw new Error(`box ${boxId} is not wired to module ${this.moduleId}`);
    return m;
  }
}
