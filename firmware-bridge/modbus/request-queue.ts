// One request at a time on a Modbus RTU bus: the wire is half duplex and a second request sent
// before the first answer would collide on RS-485. Relay writes go ahead of queued polls, because
// an alarm's strobe and siren must not wait behind a round of input polls.
import { CodedError } from '../../common/coded-error.ts';

/** relay: coil writes that drive a strobe or siren. poll: input and coil reads. */
export type RequestPriority = 'relay' | 'poll';

export interface QueuedRequestOptions {
  /** Time the request may take once it owns the bus; defaults to the queue's timeout. */
  timeoutMs?: number;
  /** Shown in the timeout error so a log says what hung. */
  label?: string;
}

interface Entry {
  priority: RequestPriority;
  run: () => Promise<unknown>;
  timeoutMs: number;
  label: string;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export class RequestQueue {
  private readonly relays: Entry[] = [];
  private readonly polls: Entry[] = [];
  private busy = false;
  private closed = false;

  constructor(private readonly defaultTimeoutMs: number) {}

  /** Requests waiting for the bus (not counting the one on the wire). */
  get pending(): number {
    return this.relays.length + this.polls.length;
  }

  get active(): boolean {
    return this.busy;
  }

  /**
   * Runs `run` once the bus is free. Rejects with CodedError('MODBUS_TIMEOUT') if it takes longer
   * than its timeout; the bus is then handed on, since the Modbus client's own timeout (always set,
   * shorter than this one) has given up on the answer by then.
   */
  enqueue<T>(priority: RequestPriority, run: () => Promise<T>, options: QueuedRequestOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new CodedError('QUEUE_CLOSED', 'the Modbus bus is stopping'));
    return new Promise<T>((resolve, reject) => {
      const entry: Entry = {
        priority,
        run,
        timeoutMs: options.timeoutMs ?? this.defaultTimeoutMs,
        label: options.label ?? priority,
        resolve: resolve as (value: unknown) => void,
        reject,
      };
      (priority === 'relay' ? this.relays : this.polls).push(entry);
      this.next();
    });
  }

  /** Rejects everything still waiting; the request on the wire finishes (or times out) on its own. */
  close(): void {
    this.closed = true;
    const dropped = [...this.relays.splice(0), ...this.polls.splice(0)];
    for (const entry of dropped) entry.reject(new CodedError('QUEUE_CLOSED', 'the Modbus bus is stopping', { label: entry.label }));
  }

  private next(): void {
    if (this.busy) return;
    const entry = this.relays.shift() ?? this.polls.shift();
    if (!entry) return;
    this.busy = true;
    let settled = false;
    const finish = (ok: boolean, value: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.busy = false;
      if (ok) entry.resolve(value);
      else entry.reject(value);
      this.next();
    };
    const timer = setTimeout(() => {
      finish(false, new CodedError('MODBUS_TIMEOUT', `${entry.label} took longer than ${entry.timeoutMs} ms`, { label: entry.label }));
    }, entry.timeoutMs);
    let started: Promise<unknown>;
    try {
      started = entry.run();
    } catch (err) {
      started = Promise.reject(err);
    }
    started.then(
      (value) => finish(true, value),
      (err: unknown) => finish(false, err),
    );
  }
}
