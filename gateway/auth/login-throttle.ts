// Slows down password guessing: after MAX_FAILURES failed logins for one username or from one
// address within the window, further attempts are refused until the window has passed.
// Pure bookkeeping with time passed in; memory is bounded so a flood of usernames cannot grow it.

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;
const MAX_KEYS = 10000;

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = MAX_FAILURES,
    private readonly windowMs = WINDOW_MS,
  ) {}

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
      if (list.length >= this.maxFailures) {
        // Locked until enough old failures leave the window to drop below the limit.
        const unlockAt = list[list.length - this.maxFailures]! + this.windowMs;
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
      // Only the last maxFailures matter for the decision.
      this.failures.set(key, list.slice(-this.maxFailures));
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
