// Pull-point subscriptions: create, renew, unsubscribe, long-poll pull, expiry. Owns one timer per waiting pull.
// Real time (ms) is used for expiry; callers render times in the camera's (possibly skewed) clock.
import { randomBytes } from 'node:crypto';
import { SoapFault } from './soap-fault.ts';

export interface EventMessage {
  topic: string;
  utcMs: number;
  operation: 'Initialized' | 'Changed' | 'Deleted';
  source: Array<[string, string]>;
  data: Array<[string, string]>;
}

interface Waiter { resolve: (m: EventMessage[]) => void; timer: NodeJS.Timeout; limit: number }
interface Subscription { id: string; terminationMs: number; queue: EventMessage[]; waiter?: Waiter }

export interface EventBrokerLimits { maxSubscriptions: number; maxQueue: number; maxTerminationMs: number; maxPullMs: number }
const DEFAULT_LIMITS: EventBrokerLimits = { maxSubscriptions: 64, maxQueue: 256, maxTerminationMs: 3_600_000, maxPullMs: 30_000 };

export class EventBroker {
  private readonly subs = new Map<string, Subscription>();
  private readonly limits: EventBrokerLimits;
  private stopped = false;

  constructor(limits: Partial<EventBrokerLimits> = {}, private readonly now: () => number = Date.now) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  create(terminationInMs: number, initial: EventMessage[]): { id: string; terminationMs: number } {
    this.sweep();
    if (this.subs.size >= this.limits.maxSubscriptions) throw new SoapFault('TOO_MANY_SUBSCRIPTIONS');
    const id = randomBytes(8).toString('hex');
    const terminationMs = this.now() + this.boundTermination(terminationInMs);
    this.subs.set(id, { id, terminationMs, queue: initial.slice(0, this.limits.maxQueue) });
    return { id, terminationMs };
  }

  renew(id: string, terminationInMs: number): number {
    const sub = this.get(id);
    sub.terminationMs = this.now() + this.boundTermination(terminationInMs);
    return sub.terminationMs;
  }

  terminationOf(id: string): number {
    return this.get(id).terminationMs;
  }

  unsubscribe(id: string): void {
    const sub = this.get(id);
    this.release(sub);
    this.subs.delete(id);
  }

  /** Messages at once if any are queued, else wait up to timeoutMs (bounded) for the first ones. */
  pull(id: string, timeoutMs: number, limit: number): Promise<EventMessage[]> {
    const sub = this.get(id);
    const max = Math.max(1, Math.min(limit, this.limits.maxQueue));
    if (sub.queue.length > 0 || this.stopped) return Promise.resolve(sub.queue.splice(0, max));
    this.release(sub);
    const waitMs = Math.max(0, Math.min(timeoutMs, this.limits.maxPullMs, sub.terminationMs - this.now()));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (sub.waiter?.timer === timer) sub.waiter = undefined;
        resolve(sub.queue.splice(0, max));
      }, waitMs);
      sub.waiter = { resolve, timer, limit: max };
    });
  }

  publish(msg: EventMessage): void {
    this.sweep();
    for (const sub of this.subs.values()) {
      sub.queue.push(msg);
      if (sub.queue.length > this.limits.maxQueue) sub.queue.shift();
      const w = sub.waiter;
      if (w) {
        sub.waiter = undefined;
        clearTimeout(w.timer);
        w.resolve(sub.queue.splice(0, w.limit));
      }
    }
  }

  /** Forget every subscription without telling anyone (what a rebooting camera does). */
  dropAll(): void {
    for (const sub of this.subs.values()) this.release(sub);
    this.subs.clear();
  }

  get size(): number {
    this.sweep();
    return this.subs.size;
  }

  stop(): void {
    this.stopped = true;
    this.dropAll();
  }

  private get(id: string): Subscription {
    const sub = this.subs.get(id);
    if (!sub) throw new SoapFault('NO_SUBSCRIPTION', id);
    if (sub.terminationMs <= this.now()) {
      this.release(sub);
      this.subs.delete(id);
      throw new SoapFault('NO_SUBSCRIPTION', `${id} expired`);
    }
    return sub;
  }

  /** Answer a waiting pull with what is queued (usually nothing). */
  private release(sub: Subscription): void {
    const w = sub.waiter;
    if (!w) return;
    sub.waiter = undefined;
    clearTimeout(w.timer);
    w.resolve([]);
  }

  private sweep(): void {
    const now = this.now();
    for (const sub of this.subs.values()) {
      if (sub.terminationMs <= now) {
        this.release(sub);
        this.subs.delete(sub.id);
      }
    }
  }

  private boundTermination(ms: number): number {
    return Math.max(1_000, Math.min(this.limits.maxTerminationMs, Number.isFinite(ms) ? ms : 60_000));
  }
}
