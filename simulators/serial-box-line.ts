// Simulated alarm boxes on one RS-485 line, at the far end of a socat pty pair: the gateway sees
// a serial device, the boxes speak protocol v1 for real (serial-box-peer.ts). Owns the device
// side of the pty (a SerialPort), the optional line-timing timers and the peers.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { SerialPort } from 'serialport';
import { FrameDecoder } from '../firmware-bridge/protocol/decoder.ts';
import { ADDRESS_BROADCAST, type Frame } from '../firmware-bridge/protocol/frame.ts';
import { IDLE_GAP_MS, wireTimeMs } from '../firmware-bridge/protocol/timing.ts';
import type { PtyPair } from './pty-pair.ts';
import type { SimOutputs, SimulatedBoxes } from './simulated-boxes.ts';
import { SerialBoxPeer } from './serial-box-peer.ts';

export interface SimulatedSerialLineOptions {
  pty: PtyPair;
  boxes: Array<{ boxId: string; address: number }>;
  heartbeatIntervalMs: number;
  /** Delay every frame by its real time on the wire at 9600 baud (a pty delivers at once). */
  lineTiming?: boolean;
}

const SIM_BAUD = 9600;

export class SimulatedSerialLine extends EventEmitter implements SimulatedBoxes {
  readonly boxIds: readonly string[];
  private readonly pty: PtyPair;
  private readonly peers = new Map<string, SerialBoxPeer>();
  private readonly byAddress = new Map<number, SerialBoxPeer>();
  private readonly decoder = new FrameDecoder();
  private readonly lineTiming: boolean;
  private readonly pacing = new Set<NodeJS.Timeout>();
  private port: SerialPort | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  /** When the simulated transmitter is free again (line timing only). */
  private txFreeAt = 0;
  private startedPty = false;
  private running = false;

  constructor(options: SimulatedSerialLineOptions) {
    super();
    this.pty = options.pty;
    this.lineTiming = options.lineTiming ?? false;
    for (const { boxId, address } of options.boxes) {
      const peer = new SerialBoxPeer(boxId, address, options.heartbeatIntervalMs, {
        send: (bytes) => this.send(bytes),
        pressed: (eventId, atNs) => this.emit('pressed', boxId, eventId, atNs),
        acked: (eventId) => this.emit('acked', boxId, eventId),
        relayCommand: (outputs, atNs) => this.emit('relay-command', boxId, outputs, atNs),
        outputs: (outputs, atNs) => this.emit('outputs', boxId, outputs, atNs),
      });
      this.peers.set(boxId, peer);
      this.byAddress.set(address, peer);
    }
    this.boxIds = options.boxes.map((b) => b.boxId);
  }

  /** Starts the pty pair if it is not running (and then owns it), opens the device side, starts the boxes. */
  async start(): Promise<void> {
    if (this.running) return;
    if (!this.pty.running) {
      await this.pty.start();
      this.startedPty = true;
    }
    await this.openDevice();
    this.running = true;
    for (const peer of this.peers.values()) peer.start();
  }

  /** Stops the boxes and closes the device side; stops the pty pair too if start() started it. */
  async stop(): Promise<void> {
    this.running = false;
    for (const peer of this.peers.values()) peer.stop();
    for (const t of this.pacing) clearTimeout(t);
    this.pacing.clear();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    await this.closeDevice();
    if (this.startedPty) await this.pty.stop();
    this.startedPty = false;
  }

  press(boxId: string): number {
    return this.peer(boxId).button(true);
  }

  release(boxId: string): number {
    return this.peer(boxId).button(false);
  }

  tamper(boxId: string, open: boolean): number {
    return this.peer(boxId).tamper(open);
  }

  fault(boxId: string, code: string, active: boolean): number {
    return this.peer(boxId).fault(code, active);
  }

  setHeartbeats(boxId: string, on: boolean): void {
    this.peer(boxId).setHeartbeats(on);
  }

  sendGarbage(bytes?: Buffer): void {
    this.send(bytes ?? randomBytes(32));
  }

  /** The pty vanishes, as an unplugged USB-RS485 adapter does. The boxes keep retrying into the void. */
  async unplug(): Promise<void> {
    await this.closeDevice();
    await this.pty.stop();
  }

  async replug(): Promise<void> {
    await this.pty.start();
    await this.openDevice();
  }

  outputs(boxId: string): SimOutputs {
    return this.peer(boxId).outputs;
  }

  private peer(boxId: string): SerialBoxPeer {
    const peer = this.peers.get(boxId);
    if (!peer) throw new Error(`no simulated box "${boxId}" on this line`);
    return peer;
  }

  private send(bytes: Buffer): bigint {
    const now = process.hrtime.bigint();
    if (!this.lineTiming) {
      this.port?.write(bytes);
      return now;
    }
    // Half duplex: one transmitter at a time; the bytes arrive when their last bit has.
    const t = Date.now();
    this.txFreeAt = Math.max(t, this.txFreeAt) + wireTimeMs(bytes.length, SIM_BAUD);
    const timer = setTimeout(() => {
      this.pacing.delete(timer);
      this.port?.write(bytes);
    }, Math.ceil(this.txFreeAt - t));
    this.pacing.add(timer);
    return now;
  }

  private onData(chunk: Buffer): void {
    this.dispatch(this.decoder.push(chunk), process.hrtime.bigint());
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.decoder.pendingBytes > 0) {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = null;
        this.dispatch(this.decoder.flush(), process.hrtime.bigint());
      }, IDLE_GAP_MS);
    }
  }

  private dispatch(frames: Frame[], atNs: bigint): void {
    for (const frame of frames) {
      if (frame.dst === ADDRESS_BROADCAST) for (const p of this.byAddress.values()) p.onFrame(frame, atNs);
      else this.byAddress.get(frame.dst)?.onFrame(frame, atNs);
    }
  }

  private openDevice(): Promise<void> {
    return new Promise((resolve, reject) => {
      const port = new SerialPort({ path: this.pty.devicePath, baudRate: SIM_BAUD, autoOpen: false });
      port.on('error', () => undefined); // the pty going away is the test's doing
      port.on('data', (chunk: Buffer) => this.onData(chunk));
      port.open((err) => {
        if (err) return reject(err);
        this.port = port;
        resolve();
      });
    });
  }

  private async closeDevice(): Promise<void> {
    const port = this.port;
    this.port = null;
    this.decoder.flush();
    if (port?.isOpen) await new Promise<void>((res) => port.close(() => res()));
  }
}
