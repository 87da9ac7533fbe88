// A serial port that comes back by itself. USB-RS485 adapters get unplugged and RS-485 lines
// fault; the gateway must report it and reopen in-process with backoff, never exit (FIELD-NOTES,
// "Alarm hardware on the wire"). This file owns the SerialPort object and the reopen timer.
import { EventEmitter } from 'node:events';
import { stat } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { Backoff, type BackoffOptions } from '../../common/backoff.ts';
import type { Logger } from '../../common/logger.ts';

export interface ReopeningSerialPortOptions {
  path: string;
  baudRate: number;
  logger: Logger;
  /** Delays between open attempts; default 200 ms doubling to 5 s with jitter. */
  backoff?: BackoffOptions;
  /**
   * How often to check that the device node is still there and still the same device. A pty
   * whose other end closed does not always wake the reader, and an idle gateway may not write
   * for a long time, so the loss would otherwise go unnoticed. Default 500 ms.
   */
  presenceCheckMs?: number;
}

export interface ReopeningSerialPortEvents {
  /** The port opened (first time or again). */
  up: [reason: string];
  /** The port failed to open or was lost; a reopen is already scheduled. */
  down: [reason: string];
  data: [chunk: Buffer];
}

export class ReopeningSerialPort extends EventEmitter<ReopeningSerialPortEvents> {
  private port: SerialPort | null = null;
  private reopenTimer: NodeJS.Timeout | null = null;
  private presenceTimer: NodeJS.Timeout | null = null;
  private state: 'new' | 'up' | 'down' = 'new';
  private stopped = true;
  private readonly backoff: Backoff;
  private opens = 0;
  private losses = 0;

  constructor(private readonly options: ReopeningSerialPortOptions) {
    super();
    this.backoff = new Backoff(options.backoff ?? { initialMs: 200, maxMs: 5000, jitter: 0.3 });
  }

  get isOpen(): boolean {
    return this.port !== null;
  }

  get path(): string {
    return this.options.path;
  }

  counters(): { opens: number; losses: number } {
    return { opens: this.opens, losses: this.losses };
  }

  /** Resolves after the first open attempt, whatever its outcome: a missing port is not fatal. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    await this.openOnce();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reopenTimer = null;
    this.stopPresenceCheck();
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((res) => port.close(() => res()));
  }

  /** Writes at once; false (bytes dropped) while the port is down. The protocol's retries cover that. */
  write(bytes: Uint8Array): boolean {
    const port = this.port;
    if (!port) return false;
    port.write(bytes);
    return true;
  }

  private openOnce(): Promise<void> {
    const { path, baudRate, logger } = this.options;
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    // Errors after a loss must never become an unhandled 'error' event (that would exit the process).
    port.on('error', (err: Error) => this.lost(port, `error: ${err.message}`));
    return new Promise<void>((resolve) => {
      port.open((err) => {
        if (this.stopped) {
          if (!err) port.close(() => undefined);
          return resolve();
        }
        if (err) {
          this.markDown(`open failed: ${err.message}`);
          this.scheduleReopen();
          return resolve();
        }
        this.port = port;
        this.opens++;
        this.backoff.reset();
        port.on('data', (chunk: Buffer) => this.emit('data', chunk));
        port.on('close', (closeErr?: Error | null) => this.lost(port, closeErr ? `lost: ${closeErr.message}` : 'closed'));
        this.state = 'up';
        void this.startPresenceCheck(port);
        logger.info({ path }, 'serial port open');
        this.emit('up', `opened ${path}`);
        resolve();
      });
    });
  }

  private lost(port: SerialPort, reason: string): void {
    if (this.port !== port) return; // already handled, or stop() closed it
    this.port = null;
    this.losses++;
    this.stopPresenceCheck();
    if (port.isOpen) port.close(() => undefined);
    this.markDown(reason);
    this.scheduleReopen();
  }

  private async startPresenceCheck(port: SerialPort): Promise<void> {
    const path = this.options.path;
    const device = async (): Promise<number | null> => {
      try {
        return (await stat(path)).rdev;
      } catch {
        return null;
      }
    };
    const opened = await device();
    const check = async (): Promise<void> => {
      this.presenceTimer = null;
      const now = await device();
      if (this.port !== port) return;
      if (now === null || now !== opened) return this.lost(port, now === null ? 'device vanished' : 'device replaced');
      this.presenceTimer = setTimeout(() => void check(), this.options.presenceCheckMs ?? 500);
    };
    if (this.port === port) this.presenceTimer = setTimeout(() => void check(), this.options.presenceCheckMs ?? 500);
  }

  private stopPresenceCheck(): void {
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    this.presenceTimer = null;
  }

  private markDown(reason: string): void {
    if (this.state === 'down') {
      this.options.logger.debug({ path: this.options.path, reason }, 'serial port still down');
      return;
    }
    this.state = 'down';
    this.options.logger.warn({ path: this.options.path, reason }, 'serial port down; reopening with backoff');
    this.emit('down', reason);
  }

  private scheduleReopen(): void {
    if (this.stopped || this.reopenTimer) return;
    const delay = this.backoff.next();
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = null;
      if (!this.stopped) void this.openOnce();
    }, delay);
  }
}
