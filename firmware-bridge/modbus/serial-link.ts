// Owns the serial port of one Modbus bus. A USB-RS485 adapter can vanish at any time: the link
// notices the port closing, reports it and reopens in-process with backoff. It never exits the
// process, because the other buses and the MQTT boxes of the site must keep working.
import modbusSerial from 'modbus-serial';
import { setTimeout as sleep } from 'node:timers/promises';
import { Backoff } from '../../common/backoff.ts';
import type { Logger } from '../../common/logger.ts';

// modbus-serial is CommonJS; its `default` is the client class both at runtime and in its typings.
const ModbusRTU = modbusSerial.default;
export type ModbusClient = InstanceType<typeof ModbusRTU>;

export interface SerialLinkOptions {
  path: string;
  baudRate: number;
  /** Per-request answer timeout given to the Modbus client; a dead module must never hang a request. */
  timeoutMs: number;
  logger: Logger;
  onDown(code: 'SERIAL_PORT_LOST' | 'SERIAL_OPEN_FAILED', message: string): void;
  /** Called when the port is open again after onDown (not on the first open). */
  onUp(): void;
}

export class SerialLink {
  private client: ModbusClient | null = null;
  private stopped = new AbortController();
  private reopening: Promise<void> | null = null;
  private wasDown = false;
  private upWaiters: Array<() => void> = [];
  private attempts = 0;

  constructor(private readonly options: SerialLinkOptions) {}

  /** Reopen attempts since the link was created (for stats). */
  get reopenAttempts(): number {
    return this.attempts;
  }

  get up(): boolean {
    return this.client !== null && this.client.isOpen;
  }

  /** The open client, or null while the port is away. Only the request queue should call it. */
  get modbus(): ModbusClient | null {
    return this.up ? this.client : null;
  }

  /** Opens the port once; if that fails the link reports down and keeps trying in the background. */
  async start(): Promise<void> {
    this.stopped = new AbortController();
    try {
      await this.open();
    } catch (err) {
      this.down('SERIAL_OPEN_FAILED', err);
    }
  }

  async stop(): Promise<void> {
    this.stopped.abort();
    for (const wake of this.upWaiters.splice(0)) wake();
    await this.reopening;
    await this.closeClient();
  }

  /** Resolves when the port is open or the link is stopped. */
  waitUp(): Promise<void> {
    if (this.up || this.stopped.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => this.upWaiters.push(resolve));
  }

  private async open(): Promise<void> {
    const client = new ModbusRTU();
    // Without an 'error' listener an EventEmitter error would crash the process.
    client.on('error', (err: unknown) => this.options.logger.warn({ err }, 'serial port error'));
    await client.connectRTUBuffered(this.options.path, { baudRate: this.options.baudRate, dataBits: 8, stopBits: 1, parity: 'none' });
    client.setTimeout(this.options.timeoutMs);
    if (this.stopped.signal.aborted) {
      await new Promise<void>((resolve) => client.close(() => resolve()));
      return;
    }
    client.on('close', () => {
      if (this.client !== client || this.stopped.signal.aborted) return;
      this.down('SERIAL_PORT_LOST', new Error(`serial port ${this.options.path} closed`));
    });
    this.client = client;
    this.options.logger.info({ path: this.options.path }, 'serial port open');
    for (const wake of this.upWaiters.splice(0)) wake();
    if (this.wasDown) {
      this.wasDown = false;
      this.options.onUp();
    }
  }

  private down(code: 'SERIAL_PORT_LOST' | 'SERIAL_OPEN_FAILED', err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.options.logger.error({ code, path: this.options.path, err }, 'serial port down; reopening');
    this.wasDown = true;
    void this.closeClient();
    this.options.onDown(code, message);
    this.reopening ??= this.reopenLoop().finally(() => {
      this.reopening = null;
    });
  }

  private async reopenLoop(): Promise<void> {
    const backoff = new Backoff({ initialMs: 200, maxMs: 5000 });
    while (!this.stopped.signal.aborted && !this.up) {
      const aborted = await sleep(backoff.next(), false, { signal: this.stopped.signal }).catch(() => true);
      if (aborted) return;
      this.attempts += 1;
      try {
        await this.open();
      } catch (err) {
        this.options.logger.debug({ err, attempt: backoff.attempts }, 'serial port still away');
      }
    }
  }

  private async closeClient(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    // A request still on the wire ends by the client's own answer timeout.
    await new Promise<void>((resolve) => {
      try {
        client.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}
