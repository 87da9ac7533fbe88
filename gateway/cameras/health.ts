// A camera's health as a small state machine: pure, time comes in as a value.
export type CameraHealthState = 'connecting' | 'online' | 'offline' | 'auth-failed';

export interface CameraHealth {
  state: CameraHealthState;
  /** ISO time the camera entered this state. */
  since: string;
  reason: string;
}

export type HealthInput =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'probe-ok' }
  | { kind: 'probe-failed'; reason: string }
  | { kind: 'connect-failed'; reason: string; auth: boolean };

/**
 * connecting -> online on a complete connect; -> auth-failed when credentials are refused;
 * -> offline when the camera cannot be reached. An online camera goes offline after
 * `failuresToOffline` probes in a row fail (one lost packet is not an outage).
 */
export class HealthMachine {
  private current: CameraHealth;
  private failures = 0;

  constructor(nowMs: number, private readonly failuresToOffline = 2) {
    this.current = { state: 'connecting', since: new Date(nowMs).toISOString(), reason: 'starting' };
  }

  get value(): CameraHealth {
    return this.current;
  }

  /** Returns the new health when the state changed, else null. */
  apply(input: HealthInput, nowMs: number): CameraHealth | null {
    switch (input.kind) {
      case 'connecting':
        return this.current.state === 'online' ? this.set('connecting', 'reconnecting', nowMs) : null;
      case 'connected':
        this.failures = 0;
        return this.set('online', 'connected', nowMs);
      case 'probe-ok':
        this.failures = 0;
        return null;
      case 'probe-failed':
        this.failures += 1;
        if (this.current.state === 'online' && this.failures >= this.failuresToOffline) return this.set('offline', input.reason, nowMs);
        return null;
      case 'connect-failed':
        return this.set(input.auth ? 'auth-failed' : 'offline', input.reason, nowMs);
    }
  }

  private set(state: CameraHealthState, reason: string, nowMs: number): CameraHealth | null {
    if (this.current.state === state) return null;
    this.current = { state, since: new Date(nowMs).toISOString(), reason };
    return this.current;
  }
}
