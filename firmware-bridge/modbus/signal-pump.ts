// Hands signals to the bridge's sink in the order they were heard, one at a time, without
// making the poll loop wait: a slow sink (disk stall) must not stop the bus from seeing the next
// press. An alarm edge that the sink refuses is offered again (GB 50394: no alarm signal may be
// lost; a Modbus box cannot repeat it for us). Heartbeats are cheap to lose and are not queued twice.
import { setTimeout as sleep } from 'node:timers/promises';
import { Backoff } from '../../common/backoff.ts';
import type { Logger } from '../../common/logger.ts';
import type { BoxSignal, SignalSink, TransportSignal } from '../transport/box-transport.ts';

type Signal = BoxSignal | TransportSignal;

export class SignalPump {
  private readonly queue: Signal[] = [];
  private readonly abort = new AbortController();
  private draining: Promise<void> | null = null;

  constructor(
    private readonly sink: SignalSink,
    private readonly logger: Logger,
  ) {}

  /** Signals heard but not yet accepted by the sink. */
  get backlog(): number {
    return this.queue.length;
  }

  push(signal: Signal): void {
    if (this.abort.signal.aborted) return;
    if (signal.kind === 'heartbeat' && this.queue.some((s) => s.kind === 'heartbeat' && s.boxId === signal.boxId)) return;
    this.queue.push(signal);
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
  }

  /** Stops retrying; waits for the delivery in progress, but never longer than `graceMs`. */
  async stop(graceMs = 1000): Promise<void> {
    this.abort.abort();
    if (!this.draining) return;
    const timer = new AbortController();
    await Promise.race([this.draining, sleep(graceMs, undefined, { signal: timer.signal }).catch(() => undefined)]);
    timer.abort();
  }

  private async drain(): Promise<void> {
    const backoff = new Backoff({ initialMs: 200, maxMs: 5000 });
    while (this.queue.length > 0 && !this.abort.signal.aborted) {
      const signal = this.queue[0] as Signal;
      try {
        await this.sink(signal);
        this.queue.shift();
        backoff.reset();
      } catch (err) {
        if (signal.kind === 'heartbeat' || signal.kind === 'outputs') {
          // A later heartbeat or coil read says the same again.
          this.logger.warn({ err, signal }, 'sink refused a signal; dropped');
          this.queue.shift();
          continue;
        }
        const delayMs = backoff.next();
        this.logger.error({ err, signal, delayMs }, 'sink refused a signal; offering it again');
        await sleep(delayMs, undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
  }
}
