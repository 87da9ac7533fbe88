// One camera's event subscription: CreatePullPointSubscription, a PullMessages long-poll loop,
// Renew before the camera's termination time, Unsubscribe on stop. Real cameras drop
// subscriptions without telling anyone, so a watchdog re-creates the subscription (with backoff)
// when a pull faults, when a pull does not come back within its timeout plus a grace, or when
// nothing at all arrived for maxSilenceMs.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Backoff } from '../../common/backoff.ts';
import type { Logger } from '../../common/logger.ts';
import type { SoapTransport } from './soap-transport.ts';
import {
  classify,
  createPullPointBody,
  EventChangeFilter,
  parseCreatePullPoint,
  parsePullMessages,
  parseRenew,
  pullMessagesRequest,
  renewRequest,
  unsubscribeRequest,
  type CameraEvent,
  type Subscription,
} from './soap/events.ts';
import { errorCode } from '../../common/coded-error.ts';

export interface PullPointTiming {
  /** How long the camera may hold a PullMessages before answering empty. */
  pullTimeoutMs: number;
  /** Extra wait on top of pullTimeoutMs before a pull counts as gone silent. */
  graceMs: number;
  subscriptionTtlMs: number;
  /** Re-create even a healthy-looking subscription after this long without any message. */
  maxSilenceMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_PULL_POINT_TIMING: PullPointTiming = {
  pullTimeoutMs: 10000,
  graceMs: 5000,
  subscriptionTtlMs: 60000,
  maxSilenceMs: 300000,
  backoffInitialMs: 1000,
  backoffMaxMs: 30000,
  requestTimeoutMs: 5000,
};

export interface PullPointOptions {
  eventsUrl: string;
  transport: SoapTransport;
  logger: Logger;
  timing?: Partial<PullPointTiming>;
  now?: () => number;
  onEvent: (e: CameraEvent) => void;
}

export class PullPoint {
  private readonly timing: PullPointTiming;
  private readonly now: () => number;
  private readonly filter = new EventChangeFilter();
  private abort: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private subscription: Subscription | null = null;
  /** Subscriptions created so far: the watchdog's work shows here. */
  created = 0;

  constructor(private readonly options: PullPointOptions) {
    this.timing = { ...DEFAULT_PULL_POINT_TIMING, ...options.timing };
    this.now = options.now ?? Date.now;
  }

  get running(): boolean {
    return this.loop !== null;
  }

  start(): void {
    if (this.loop) return;
    const abort = new AbortController();
    this.abort = abort;
    this.loop = this.run(abort.signal).finally(() => {
      this.loop = null;
    });
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    this.abort = null;
    await this.loop;
  }

  private async run(signal: AbortSignal): Promise<void> {
    const t = this.timing;
    const backoff = new Backoff({ initialMs: t.backoffInitialMs, maxMs: t.backoffMaxMs, jitter: 0.5 });
    while (!signal.aborted) {
      try {
        await this.subscribeAndPull(signal, backoff);
      } catch (err) {
        if (signal.aborted) break;
        this.options.logger.warn({ err: (err as Error).message, code: errorCode(err) }, 'event subscription lost; re-creating');
      }
      // Best effort: the old subscription may still exist on the camera.
      await this.unsubscribe();
      if (signal.aborted) break;
      await sleep(backoff.next(), undefined, { signal }).catch(() => undefined);
    }
    await this.unsubscribe();
  }

  private async subscribeAndPull(signal: AbortSignal, backoff: Backoff): Promise<void> {
    const t = this.timing;
    const { transport } = this.options;
    const created = await transport.call(this.options.eventsUrl, createPullPointBody(t.subscriptionTtlMs), { timeoutMs: t.requestTimeoutMs, signal });
    const sub = parseCreatePullPoint(created);
    if (!sub) throw new Error('CreatePullPointSubscription answer has no usable address');
    this.subscription = sub;
    this.created += 1;
    let renewAt = this.now() + (sub.ttlMs ?? t.subscriptionTtlMs) / 2;
    let lastMessage = this.now();
    while (!signal.aborted) {
      if (this.now() >= renewAt) {
        const r = parseRenew(await transport.call(sub.address, renewRequest(sub, t.subscriptionTtlMs, `urn:uuid:${randomUUID()}`), { timeoutMs: t.requestTimeoutMs, signal }));
        renewAt = this.now() + (r.ttlMs ?? t.subscriptionTtlMs) / 2;
      }
      // The HTTP deadline is the watchdog for a pull that went silent.
      const wait = Math.max(1000, Math.min(t.pullTimeoutMs, renewAt - this.now()));
      const doc = await transport.call(sub.address, pullMessagesRequest(sub, wait, `urn:uuid:${randomUUID()}`), { timeoutMs: wait + t.graceMs, signal });
      backoff.reset();
      const { messages } = parsePullMessages(doc);
      if (messages.length > 0) lastMessage = this.now();
      for (const m of messages) {
        const e = classify(m, transport.clockOffsetMs, this.now());
        if (e && this.filter.accept(e)) this.options.onEvent(e);
      }
      if (this.now() - lastMessage > t.maxSilenceMs) throw new Error(`no event for ${t.maxSilenceMs} ms`);
    }
  }

  private async unsubscribe(): Promise<void> {
    const sub = this.subscription;
    this.subscription = null;
    if (!sub) return;
    try {
      await this.options.transport.call(sub.address, unsubscribeRequest(sub, `urn:uuid:${randomUUID()}`), { timeoutMs: 1000 });
    } catch {
      // The camera may be gone or have dropped it already; nothing more to do.
    }
  }
}
