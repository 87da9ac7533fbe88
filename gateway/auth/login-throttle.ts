// Slows down password guessing: after MAX_FAILURES failed logins for one username, or
// MAX_FAILURES_PER_ADDRESS from one address, within the window, further attempts are refused until
// the window has passed. An address gets more room than a username: a command centre reaches the
// gateway through one NAT address, and one operator's typos must not lock out the whole shift.
// Pure bookkeeping with time passed in; memory is bounded so a flood of usernames cannot grow it.

export const MAX_FAILURES = 5;
export const MAX_FAILURES_PER_ADDRESS = 30;
export const WINDOW_MS = 15 * 60 * 1000;
const MAX_KEYS = 10000;

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = MAX_FAILURES,
    private readonly windowMs = WINDOW_MS,
    private readonly maxFailuresPerAddress = MAX_FAILURES_PER_ADDRESS,
  ) {}

  /** Keys are `user:<name>` or `ip:<address>`. */
  private limitFor(key: string): number {
    return key.startsWith('ip:') ? this.maxFailuresPerAddress : this.maxFailures;
  }

  private recent(key: string, nowMs: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => nowMs - t < this.windowMs);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Milliseconds until any of these keys may try again; 0 when none is locked. */
  lockedForMs(keys: string[], nowMs: number): number {
    let wait = 0;
    for (const key of keys) {
      const list = this.recent(key, nowMs);
      const limit = this.limitFor(key);
      if (list.length >= limit) {
        // Locked until enough old failures leave the window to drop below the limit.
        const unlockAt = list[list.length - limit]! + this.windowMs;
        wait = Math.max(wait, unlockAt - nowMs);
      }
    }
    return wait;
  }

  recordFailure(keys: string[], nowMs: number): void {
    if (this.failures.size >= MAX_KEYS) this.prune(nowMs);
    for (const key of keys) {
      const list = this.recent(key, nowMs);
      list.push(nowMs);
      // Only the last `limit` failures matter for the decision.
      this.failures.set(key, list.slice(-this.limitFor(key)));
    }
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private prune(nowMs: number): void {
    for (const key of [...this.failures.keys()]) this.recent(key, nowMs);
    // Still full of fresh entries (an attack): forget the oldest keys rather than grow.
    while (this.failures.size >= MAX_KEYS) {
      const first = this.failures.keys().next().value;
      if (first === undefined) break;
      this.failures.delete(first);
    }
  }
}
