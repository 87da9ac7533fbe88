// Protocol v1 timing (PROTOCOL.md, "Acknowledgement and retry"). Shared by the gateway and the
// simulated boxes so both ends follow one rule. Pure values and arithmetic; callers own the timers.

/** Wait for an ACK this long, plus a random 0..RETRY_JITTER_MS so two boxes that collided do not collide again. */
export const RETRY_BASE_MS = 60;
export const RETRY_JITTER_MS = 40;
/** Transmissions (first + retries) at the quick pace. */
export const QUICK_TRIES = 5;
/** After the quick tries an alarm event keeps going at this pace, forever: an alarm is never dropped. */
export const SLOW_RETRY_MS = 1000;
/**
 * Silence after which a receiver drops a half frame. Far above 3.5 character times at 9600 baud
 * (3.6 ms) because USB-RS485 adapters deliver bytes in batches up to 16 ms apart.
 */
export const IDLE_GAP_MS = 50;

/** How long to wait for the ACK after transmission number `sent` (1 = the first) before sending again. */
export function retryDelayMs(sent: number, random: () => number = Math.random): number {
  if (sent <= QUICK_TRIES) return RETRY_BASE_MS + Math.floor(random() * (RETRY_JITTER_MS + 1));
  return SLOW_RETRY_MS + Math.floor(random() * (RETRY_JITTER_MS + 1));
}

/** Time a frame occupies the wire with 8N1 framing (10 bits a byte). */
export function wireTimeMs(bytes: number, baudRate: number): number {
  return (bytes * 10 * 1000) / baudRate;
}
