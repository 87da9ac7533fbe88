// The local interlock: a press switches that box's strobe and siren on before anything else is
// done, and they stay on (latched) until an authorised reset. It also folds every signal into the
// box's state and records it durably in the outbox for the gateway. It knows nothing of incidents,
// users or cameras; if the gateway is down or hung, none of this waits for it.
// Ops test mode opens a per-box test window: a press inside it drives the relays and latches
// exactly like any other press (the interlock never changes), but its events carry
// detail.test = true so the gateway opens no incident for it. The first press closes the window:
// one press proves the path, and a second press, even seconds later, is a real alarm. Windows
// live in memory only: after a restart every press is real again, which is the safe way to fail.
import { EventEmitter } from 'node:events';
import { CodedError } from '../../common/coded-error.ts';
import type { Logger } from '../../common/logger.ts';
import { Backoff } from '../../common/backoff.ts';
import type { BoxSignal, BoxTransport, Outputs, TransportSignal } from '../transport/box-transport.ts';
import type { BoxState, DeviceEvent, DeviceEventKind } from '../link/messages.ts';
import type { BridgeStore, NewDeviceEvent } from './bridge-store.ts';

export interface InterlockBox {
  boxId: string;
  silent: boolean;
}

const OFF: Outputs = { strobe: false, siren: false };

/** A test sounds the box for a moment, however long its window stays open. */
export const TEST_PULSE_MAX_MS = 10000;

interface TestWindow {
  by: string;
  pulse: NodeJS.Timeout;
  end: NodeJS.Timeout;
}

export interface InterlockEvents {
  event: [DeviceEvent];
  state: [BoxState];
}

export class Interlock extends EventEmitter<InterlockEvents> {
  private readonly boxes = new Map<string, InterlockBox>();
  private readonly transports = new Map<string, BoxTransport>();
  private readonly states = new Map<string, BoxState>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private readonly testWindows = new Map<string, TestWindow>();
  private stopped = false;

  constructor(
    boxes: InterlockBox[],
    private readonly store: BridgeStore,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
    for (const b of boxes) {
      this.boxes.set(b.boxId, b);
      this.states.set(b.boxId, {
        boxId: b.boxId,
        online: false,
        latched: false,
        pressed: false,
        tamper: false,
        faults: [],
        commanded: { ...OFF },
        reported: null,
        lastSeen: null,
      });
    }
    for (const l of store.latches()) {
      const s = this.states.get(l.boxId);
      if (s && l.latched) {
        s.latched = true;
        s.commanded = { strobe: l.strobe, siren: l.siren };
      }
    }
  }

  attach(transport: BoxTransport): void {
    for (const id of transport.boxIds) this.transports.set(id, transport);
  }

  /** After a restart (power cut, kill -9): drive every latched box's outputs again. */
  restoreLatches(): void {
    for (const s of this.states.values()) if (s.latched) this.drive(s.boxId, s.commanded);
  }

  boxStates(): BoxState[] {
    return [...this.states.values()].map((s) => structuredClone(s));
  }

  state(boxId: string): BoxState | undefined {
    return this.states.get(boxId);
  }

  /** The SignalSink handed to every transport. Resolves once the signal is on disk. */
  readonly sink = async (signal: BoxSignal | TransportSignal): Promise<void> => {
    if (signal.kind === 'transport') {
      this.record([this.event(signal.up ? 'transport-up' : 'transport-down', null, signal.transportId, null, { code: signal.code, message: signal.message })]);
      return;
    }
    const s = this.states.get(signal.boxId);
    const box = this.boxes.get(signal.boxId);
    if (!s || !box) throw new CodedError('BOX_UNKNOWN', `no alarm box "${signal.boxId}"`);
    const source = this.transports.get(signal.boxId)?.id ?? 'unknown';
    // A retransmission of the event on disk last (the box missed our ACK): nothing to do but ACK again.
    if ('eventId' in signal && signal.eventId !== undefined && this.store.isRetransmission(signal.boxId, signal.eventId)) return;
    this.markSeen(s, source, signal.kind === 'presence' ? signal.online : true);

    switch (signal.kind) {
      case 'button': {
        if (signal.pressed) {
          // Interlock first: the relay command is on its way before the disk is touched.
          const newlyLatched = !s.latched;
          const outputs: Outputs = { strobe: true, siren: !box.silent };
          s.latched = true;
          s.pressed = true;
          s.commanded = outputs;
          this.drive(s.boxId, outputs);
          const since = this.now().toISOString();
          const test = this.testWindows.get(s.boxId);
          const mark = test ? { test: true, testBy: test.by } : {};
          const events = [this.event('button-pressed', s.boxId, source, signal.eventId ?? null, { silent: box.silent, ...mark })];
          if (newlyLatched) events.push(this.event('latched', s.boxId, source, null, { outputs, ...mark }));
          if (test) {
            // The path is proven: the window closes, so whoever presses next is heard as an alarm.
            clearTimeout(test.pulse);
            clearTimeout(test.end);
            this.testWindows.delete(s.boxId);
            events.push(this.event('test', s.boxId, source, null, { by: test.by, phase: 'end', reason: 'pressed' }));
          }
          this.record(events, {
            dedup: signal.eventId !== undefined ? { boxId: s.boxId, eventId: signal.eventId } : undefined,
            latch: { boxId: s.boxId, latched: true, strobe: outputs.strobe, siren: outputs.siren, since },
          });
        } else {
          s.pressed = false;
          this.record([this.event('button-released', s.boxId, source, signal.eventId ?? null, {})], this.dedup(s.boxId, signal.eventId));
        }
        break;
      }
      case 'tamper':
        s.tamper = signal.open;
        this.record([this.event(signal.open ? 'tamper-open' : 'tamper-closed', s.boxId, source, signal.eventId ?? null, {})], this.dedup(s.boxId, signal.eventId));
        break;
      case 'fault': {
        const had = s.faults.includes(signal.code);
        s.faults = signal.active ? (had ? s.faults : [...s.faults, signal.code]) : s.faults.filter((f) => f !== signal.code);
        this.record([this.event(signal.active ? 'fault' : 'fault-cleared', s.boxId, source, signal.eventId ?? null, { code: signal.code })], this.dedup(s.boxId, signal.eventId));
        break;
      }
      case 'heartbeat': {
        const faults = signal.selfTestOk ? [] : [...signal.faults].sort();
        if (faults.join() !== [...s.faults].sort().join()) {
          const added = faults.filter((f) => !s.faults.includes(f));
          const cleared = s.faults.filter((f) => !faults.includes(f));
          s.faults = faults;
          this.record([
            ...added.map((code) => this.event('fault', s.boxId, source, null, { code, from: 'self-test' })),
            ...cleared.map((code) => this.event('fault-cleared', s.boxId, source, null, { code, from: 'self-test' })),
          ]);
        }
        if (signal.outputs) this.onReported(s, source, signal.outputs);
        break;
      }
      case 'outputs':
        this.onReported(s, source, signal.outputs);
        break;
      case 'presence':
        // markSeen already recorded the change.
        break;
    }
    this.emit('state', structuredClone(s));
  };

  /** Supervision found a box silent for three heartbeat intervals. */
  markOffline(boxId: string, reason: string): void {
    const s = this.states.get(boxId);
    if (!s || !s.online) return;
    s.online = false;
    this.record([this.event('offline', boxId, this.transports.get(boxId)?.id ?? 'unknown', null, { reason })]);
    this.emit('state', structuredClone(s));
  }

  /** Supervision never heard from a box since start. */
  markNeverSeen(boxId: string): void {
    const s = this.states.get(boxId);
    if (!s || s.lastSeen !== null) return;
    this.record([this.event('offline', boxId, this.transports.get(boxId)?.id ?? 'unknown', null, { reason: 'NEVER_SEEN' })]);
    this.emit('state', structuredClone(s));
  }

  /** Authorised manual reset (GB 50394: no automatic reset). */
  async reset(boxId: string, by: string): Promise<void> {
    const s = this.states.get(boxId);
    if (!s) throw new CodedError('BOX_NOT_FOUND', `no alarm box "${boxId}"`);
    if (s.pressed) throw new CodedError('BOX_STILL_PRESSED', 'the button is still pressed: release it with the key first');
    const wasLatched = s.latched;
    s.latched = false;
    s.commanded = { ...OFF };
    this.cancelRetry(boxId);
    this.record([this.event('reset', boxId, this.transports.get(boxId)?.id ?? 'unknown', null, { by, wasLatched })], {
      latch: { boxId, latched: false, strobe: false, siren: false, since: null },
    });
    this.emit('state', structuredClone(s));
    await this.drive(boxId, OFF);
  }

  /** Whether a box's test window is open (a press now is journalled as a test). */
  testing(boxId: string): boolean {
    return this.testWindows.has(boxId);
  }

  /** Ops test mode: sound an idle box for a moment and open its test window for durationMs.
   * Start and end are journalled as 'test' events with who started it. */
  async test(boxId: string, by: string, durationMs: number): Promise<void> {
    const s = this.states.get(boxId);
    const box = this.boxes.get(boxId);
    if (!s || !box) throw new CodedError('BOX_NOT_FOUND', `no alarm box "${boxId}"`);
    if (s.latched) throw new CodedError('BOX_LATCHED', 'the box is in alarm: reset it before testing');
    const source = () => this.transports.get(boxId)?.id ?? 'unknown';
    const previous = this.testWindows.get(boxId);
    if (previous) {
      // A new test replaces a window still open: that one ends here, on the record.
      clearTimeout(previous.pulse);
      clearTimeout(previous.end);
      this.testWindows.delete(boxId);
      this.record([this.event('test', boxId, source(), null, { by: previous.by, phase: 'end', replaced: true })]);
    }
    const outputs: Outputs = { strobe: true, siren: !box.silent };
    const pulseMs = Math.min(durationMs, TEST_PULSE_MAX_MS);
    this.record([this.event('test', boxId, source(), null, { by, durationMs, pulseMs, phase: 'start' })]);
    s.commanded = outputs;
    this.testWindows.set(boxId, {
      by,
      pulse: setTimeout(() => {
        if (s.latched) return; // a press came during the test: the interlock holds the relays now.
        s.commanded = { ...OFF };
        this.emit('state', structuredClone(s));
        void this.drive(boxId, OFF);
      }, pulseMs),
      end: setTimeout(() => {
        this.testWindows.delete(boxId);
        this.record([this.event('test', boxId, source(), null, { by, phase: 'end' })]);
      }, durationMs),
    });
    this.emit('state', structuredClone(s));
    await this.drive(boxId, outputs);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.retries.values()) clearTimeout(t);
    for (const w of this.testWindows.values()) {
      clearTimeout(w.pulse);
      clearTimeout(w.end);
    }
    this.retries.clear();
    this.testWindows.clear();
  }

  private onReported(s: BoxState, source: string, outputs: Outputs): void {
    const changed = !s.reported || s.reported.strobe !== outputs.strobe || s.reported.siren !== outputs.siren;
    s.reported = { ...outputs };
    if (changed) this.record([this.event('outputs', s.boxId, source, null, { ...outputs })]);
    // A latched box whose relays dropped (power blip, box reboot) is driven again.
    if (s.latched && (outputs.strobe !== s.commanded.strobe || outputs.siren !== s.commanded.siren) && !this.retries.has(s.boxId)) {
      this.drive(s.boxId, s.commanded);
    }
  }

  private markSeen(s: BoxState, source: string, online: boolean): void {
    if (online) s.lastSeen = this.now().toISOString();
    if (s.online === online) return;
    s.online = online;
    this.record([this.event(online ? 'online' : 'offline', s.boxId, source, null, {})]);
    if (online && s.latched) this.drive(s.boxId, s.commanded);
  }

  /** Drives outputs; on failure reports it and keeps trying while the command still stands. */
  private drive(boxId: string, outputs: Outputs, backoff = new Backoff({ initialMs: 250, maxMs: 5000 })): Promise<void> {
    const transport = this.transports.get(boxId);
    if (!transport) return Promise.resolve();
    this.cancelRetry(boxId);
    return transport.setOutputs(boxId, outputs).then(
      () => backoff.reset(),
      (err: unknown) => {
        const code = err instanceof CodedError ? err.code : 'RELAY_FAILED';
        // A newer command for the same box replaced this one: nothing failed.
        if (code === 'RELAY_SUPERSEDED') return;
        this.logger.warn({ boxId, code, err }, 'relay command failed, will retry');
        if (backoff.attempts === 0) this.record([this.event('output-failed', boxId, transport.id, null, { code, outputs })]);
        const s = this.states.get(boxId);
        if (this.stopped || !s || s.commanded.strobe !== outputs.strobe || s.commanded.siren !== outputs.siren) return;
        this.retries.set(
          boxId,
          setTimeout(() => {
            this.retries.delete(boxId);
            const now = this.states.get(boxId);
            if (now && now.commanded.strobe === outputs.strobe && now.commanded.siren === outputs.siren) void this.drive(boxId, outputs, backoff);
          }, backoff.next()),
        );
      },
    );
  }

  private cancelRetry(boxId: string): void {
    const t = this.retries.get(boxId);
    if (t) clearTimeout(t);
    this.retries.delete(boxId);
  }

  private dedup(boxId: string, eventId: number | undefined) {
    return eventId !== undefined ? { dedup: { boxId, eventId } } : {};
  }

  private event(kind: DeviceEventKind, boxId: string | null, source: string, boxEventId: number | null, detail: Record<string, unknown>): NewDeviceEvent {
    return { at: this.now().toISOString(), kind, boxId, source, boxEventId, detail };
  }

  private record(events: NewDeviceEvent[], opts: Parameters<BridgeStore['record']>[1] = {}): void {
    if (events.length === 0 && !opts.latch) return;
    const written = this.store.record(events, opts);
    if (written) for (const e of written) this.emit('event', e);
  }
}
