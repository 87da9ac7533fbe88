// A simulated Modbus RTU IO module (slave) on the device end of a pty: alarm keys and tamper
// contacts on its discrete inputs, strobes and sirens on its coils. A real protocol peer, so the
// gateway's bus code runs unchanged against it. One module per pty: a pty has one device end.
//
// Written on serialport rather than modbus-serial's ServerSerial so the test can make the module
// fall silent, add real line timing, and learn when a press first went out on the wire.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { SerialPort } from 'serialport';
import type { PtyPair } from './pty-pair.ts';
import type { SimOutputs, SimulatedBoxes } from './simulated-boxes.ts';
import {
  EXCEPTION,
  bitsResponse,
  exceptionResponse,
  parseRequest,
  requestLength,
  writeResponse,
  type RtuRequest,
} from './modbus-rtu-frames.ts';

export interface SimulatedIoBox {
  boxId: string;
  buttonInput: number;
  tamperInput?: number | undefined;
  strobeCoil: number;
  sirenCoil: number;
}

export interface SimulatedIoModuleOptions {
  pty: PtyPair;
  /** Modbus unit address (1-247). */
  unit: number;
  inputs?: number;
  coils?: number;
  boxes: SimulatedIoBox[];
  /** Delay each answer by the time request and answer take at `baudRate` (a pty carries bytes instantly). */
  lineTiming?: boolean;
  baudRate?: number;
}

export interface SimulatedIoModuleStats {
  /** Frames with a good CRC addressed to this module. */
  requests: number;
  answered: number;
  /** Bad CRC or leftovers dropped at a frame gap. */
  badFrames: number;
}

interface InputRange {
  address: number;
  quantity: number;
}

/** Bits per character on an 8N1 line: start, 8 data, stop. */
const BITS_PER_CHAR = 10;

export class SimulatedIoModule extends EventEmitter implements SimulatedBoxes {
  readonly boxIds: readonly string[];
  readonly unit: number;
  private readonly pty: PtyPair;
  private readonly boxes = new Map<string, SimulatedIoBox>();
  private readonly inputBits: boolean[];
  private readonly coilBits: boolean[];
  private readonly lineTiming: boolean;
  private readonly baudRate: number;
  private readonly gapMs: number;
  private port: SerialPort | null = null;
  private rx = Buffer.alloc(0);
  private gapTimer: NodeJS.Timeout | null = null;
  private readonly replyTimers = new Set<NodeJS.Timeout>();
  private answering = true;
  private readonly pressVisibleAtNs = new Map<string, bigint | null>();
  private readonly counters: SimulatedIoModuleStats = { requests: 0, answered: 0, badFrames: 0 };

  constructor(options: SimulatedIoModuleOptions) {
    super();
    this.pty = options.pty;
    this.unit = options.unit;
    this.inputBits = new Array<boolean>(options.inputs ?? 8).fill(false);
    this.coilBits = new Array<boolean>(options.coils ?? 8).fill(false);
    this.lineTiming = options.lineTiming ?? false;
    this.baudRate = options.baudRate ?? 9600;
    // The RTU frame gap is 3.5 characters; a pty may split a frame with a few ms of jitter, so
    // without line timing the gap is stretched to keep whole frames together.
    const charMs = (BITS_PER_CHAR * 1000) / this.baudRate;
    this.gapMs = this.lineTiming ? Math.max(2, 3.5 * charMs) : 20;
    for (const box of options.boxes) {
      const used = [box.buttonInput, box.tamperInput ?? 0];
      if (used.some((i) => i >= this.inputBits.length) || Math.max(box.strobeCoil, box.sirenCoil) >= this.coilBits.length) {
        throw new Error(`box ${box.boxId}: input or coil beyond the module's ${this.inputBits.length} inputs / ${this.coilBits.length} coils`);
      }
      this.boxes.set(box.boxId, box);
    }
    this.boxIds = options.boxes.map((b) => b.boxId);
  }

  async start(): Promise<void> {
    if (!this.pty.running) await this.pty.start();
    await this.openPort();
  }

  async stop(): Promise<void> {
    await this.closePort();
    await this.pty.stop();
  }

  /** The alarm key is latching: the input stays on until release() (reset by key). */
  press(boxId: string): number {
    const box = this.box(boxId);
    if (!this.inputBits[box.buttonInput]) this.pressVisibleAtNs.set(boxId, null);
    this.inputBits[box.buttonInput] = true;
    this.emit('pressed', boxId, 0, process.hrtime.bigint());
    return 0;
  }

  release(boxId: string): number {
    const box = this.box(boxId);
    this.inputBits[box.buttonInput] = false;
    this.pressVisibleAtNs.delete(boxId);
    return 0;
  }

  tamper(boxId: string, open: boolean): number {
    const box = this.box(boxId);
    if (box.tamperInput === undefined) throw new Error(`box ${boxId} has no tamper input wired`);
    this.inputBits[box.tamperInput] = open;
    return 0;
  }

  /** An IO module has no fault input per box: a fault shows only as a module that stops answering. */
  fault(boxId: string, _code: string, _active: boolean): number {
    this.box(boxId);
    return 0;
  }

  /** Off: the whole module falls silent (a dead module), for every box wired to it. */
  setHeartbeats(boxId: string, on: boolean): void {
    this.box(boxId);
    this.answering = on;
  }

  sendGarbage(bytes?: Buffer): void {
    this.port?.write(bytes ?? randomBytes(8));
  }

  async unplug(): Promise<void> {
    await this.closePort();
    await this.pty.stop();
  }

  async replug(): Promise<void> {
    await this.pty.start();
    await this.openPort();
  }

  outputs(boxId: string): SimOutputs {
    const box = this.box(boxId);
    return { strobe: this.coilBits[box.strobeCoil] === true, siren: this.coilBits[box.sirenCoil] === true };
  }

  /** hrtime of the first poll answer that reported the current press, or null if none has yet. */
  lastInputReadAtNs(boxId: string): bigint | null {
    this.box(boxId);
    return this.pressVisibleAtNs.get(boxId) ?? null;
  }

  stats(): SimulatedIoModuleStats {
    return { ...this.counters };
  }

  private box(boxId: string): SimulatedIoBox {
    const box = this.boxes.get(boxId);
    if (!box) throw new Error(`no box "${boxId}" on simulated IO module ${this.unit}`);
    return box;
  }

  private async openPort(): Promise<void> {
    if (this.port) return;
    const port = new SerialPort({ path: this.pty.devicePath, baudRate: this.baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    port.on('data', (chunk: Buffer) => this.onData(chunk));
    // The pty vanishing under us (someone stopped it directly) closes the port with an error.
    port.on('error', () => undefined);
    port.on('close', () => {
      if (this.port === port) this.port = null;
    });
    this.port = port;
  }

  private async closePort(): Promise<void> {
    for (const t of this.replyTimers) clearTimeout(t);
    this.replyTimers.clear();
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = null;
    this.rx = Buffer.alloc(0);
    const port = this.port;
    this.port = null;
    if (!port?.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  /** Cuts whole frames off the receive buffer by their length; leftovers die at the next gap. */
  private onData(chunk: Buffer): void {
    const readAtNs = process.hrtime.bigint();
    this.rx = Buffer.concat([this.rx, chunk]);
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = null;
    for (;;) {
      const length = requestLength(this.rx);
      if (length === null || this.rx.length < length) break;
      const frame = this.rx.subarray(0, length);
      this.rx = this.rx.subarray(length);
      const request = parseRequest(frame);
      if (!request) {
        // Lost sync (garbage on the line): drop everything up to the next silence.
        this.counters.badFrames += 1;
        this.rx = Buffer.alloc(0);
        break;
      }
      this.handle(request, frame.length, readAtNs);
    }
    if (this.rx.length > 0) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = null;
        this.counters.badFrames += 1;
        this.rx = Buffer.alloc(0);
      }, this.gapMs);
    }
  }

  private handle(request: RtuRequest, requestBytes: number, readAtNs: bigint): void {
    const broadcast = request.unit === 0;
    if (request.unit !== this.unit && !broadcast) return;
    this.counters.requests += 1;
    // A dead module neither answers nor switches its relays.
    if (!this.answering) return;
    const reply = this.execute(request, readAtNs);
    if (broadcast || !reply) return;
    this.send(reply.frame, requestBytes, reply.reportsInputs);
  }

  private execute(request: RtuRequest, atNs: bigint): { frame: Buffer; reportsInputs: InputRange | null } | null {
    const { unit, fc } = request;
    if ('unsupported' in request) return { frame: exceptionResponse(unit, fc, EXCEPTION.illegalFunction), reportsInputs: null };
    if (request.fc === 1 || request.fc === 2) {
      const table = request.fc === 1 ? this.coilBits : this.inputBits;
      const bad = this.rangeError(request.address, request.quantity, table.length);
      if (bad) return { frame: exceptionResponse(unit, fc, bad), reportsInputs: null };
      const bits = table.slice(request.address, request.address + request.quantity);
      return { frame: bitsResponse(unit, request.fc, bits), reportsInputs: request.fc === 2 ? { address: request.address, quantity: request.quantity } : null };
    }
    if (request.fc === 5) {
      if (request.value !== 0xff00 && request.value !== 0x0000) return { frame: exceptionResponse(unit, fc, EXCEPTION.illegalValue), reportsInputs: null };
      const bad = this.rangeError(request.address, 1, this.coilBits.length);
      if (bad) return { frame: exceptionResponse(unit, fc, bad), reportsInputs: null };
      this.writeCoils(request.address, [request.value === 0xff00], atNs);
      return { frame: writeResponse(unit, 5, request.address, request.value), reportsInputs: null };
    }
    if (request.fc !== 15) return null;
    const bad = this.rangeError(request.address, request.quantity, this.coilBits.length);
    if (bad) return { frame: exceptionResponse(unit, fc, bad), reportsInputs: null };
    this.writeCoils(request.address, request.values, atNs);
    return { frame: writeResponse(unit, 15, request.address, request.quantity), reportsInputs: null };
  }

  private rangeError(address: number, quantity: number, size: number): number | null {
    if (quantity < 1 || quantity > 2000) return EXCEPTION.illegalValue;
    if (address + quantity > size) return EXCEPTION.illegalAddress;
    return null;
  }

  private writeCoils(address: number, values: readonly boolean[], atNs: bigint): void {
    const before = new Map([...this.boxes.keys()].map((id) => [id, this.outputs(id)]));
    values.forEach((on, i) => {
      this.coilBits[address + i] = on;
    });
    const end = address + values.length;
    for (const [boxId, box] of this.boxes) {
      const touched = [box.strobeCoil, box.sirenCoil].some((c) => c >= address && c < end);
      if (!touched) continue;
      const now = this.outputs(boxId);
      const was = before.get(boxId);
      this.emit('relay-command', boxId, now, atNs);
      if (!was || was.strobe !== now.strobe || was.siren !== now.siren) this.emit('outputs', boxId, now, atNs);
    }
  }

  private send(frame: Buffer, requestBytes: number, reportsInputs: InputRange | null): void {
    const write = (): void => {
      const port = this.port;
      if (!port) return;
      port.write(frame);
      this.counters.answered += 1;
      if (reportsInputs) this.notePressesVisible(reportsInputs);
    };
    if (!this.lineTiming) return write();
    // The request had to arrive in full and the answer has to leave in full at the line's speed.
    const delayMs = ((requestBytes + frame.length) * BITS_PER_CHAR * 1000) / this.baudRate;
    const timer = setTimeout(() => {
      this.replyTimers.delete(timer);
      write();
    }, delayMs);
    this.replyTimers.add(timer);
  }

  /** Records when each current press first left the module in an input-poll answer. */
  private notePressesVisible(range: InputRange): void {
    const atNs = process.hrtime.bigint();
    for (const [boxId, seen] of this.pressVisibleAtNs) {
      const input = this.box(boxId).buttonInput;
      if (seen === null && input >= range.address && input < range.address + range.quantity) this.pressVisibleAtNs.set(boxId, atNs);
    }
  }
}
