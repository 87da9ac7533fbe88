// One simulated alarm box on a protocol v1 line: what its firmware would do. Sends events
// stop-and-wait (one in flight, in order) and repeats them until ACKed, forever; heartbeats;
// obeys RELAY_COMMAND (ACK, then RELAY_REPORT). Owns its heartbeat and retry timers.
// Bytes go out through `send`; frames come in through onFrame.
import { CodedError } from '../common/coded-error.ts';
import { ADDRESS_GATEWAY, encodeFrame, type Frame } from '../firmware-bridge/protocol/frame.ts';
import { AckStatus, decodeMessage, encodeMessage, faultCode, NakReason, type Message } from '../firmware-bridge/protocol/messages.ts';
import { QUICK_TRIES, retryDelayMs } from '../firmware-bridge/protocol/timing.ts';
import type { SimOutputs } from './simulated-boxes.ts';

export interface SerialBoxPeerHooks {
  /** Writes one frame; returns hrtime of the write. */
  send(bytes: Buffer): bigint;
  pressed(eventId: number, atNs: bigint): void;
  acked(eventId: number): void;
  relayCommand(outputs: SimOutputs, atNs: bigint): void;
  outputs(outputs: SimOutputs, atNs: bigint): void;
}

interface Outgoing {
  message: Message;
  seq: number;
  sent: number;
  timer: NodeJS.Timeout | null;
  /** Alarm events never give up; heartbeats and reports stop after the quick tries. */
  forever: boolean;
  eventId: number | null;
}

/** How long a repeated RELAY_COMMAND (same SEQ and bytes) counts as a retransmission. */
const COMMAND_REPEAT_WINDOW_MS = 1000;

export class SerialBoxPeer {
  private seq = 0;
  private eventCounter = 0;
  private readonly events: Outgoing[] = [];
  private readonly others = new Map<number, Outgoing>();
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private heartbeatsOn = true;
  private running = false;
  private readonly bootedAt = Date.now();
  private lastCommand: { seq: number; key: string; at: number } | null = null;
  private current: SimOutputs = { strobe: false, siren: false };

  constructor(
    readonly boxId: string,
    readonly address: number,
    private readonly heartbeatIntervalMs: number,
    private readonly hooks: SerialBoxPeerHooks,
  ) {}

  get outputs(): SimOutputs {
    return { ...this.current };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.scheduleHeartbeat(true);
    if (this.events[0] && !this.events[0].timer) this.transmit(this.events[0]);
  }

  stop(): void {
    this.running = false;
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
    for (const o of [...this.events, ...this.others.values()]) {
      if (o.timer) clearTimeout(o.timer);
      o.timer = null;
    }
    this.others.clear();
  }

  setHeartbeats(on: boolean): void {
    this.heartbeatsOn = on;
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
    if (on && this.running) this.scheduleHeartbeat(false);
  }

  button(pressed: boolean): number {
    return this.queueEvent((eventId) => ({ type: 'button', eventId, pressed }));
  }

  tamper(open: boolean): number {
    return this.queueEvent((eventId) => ({ type: 'tamper', eventId, open }));
  }

  fault(code: string, active: boolean): number {
    const c = faultCode(code);
    return this.queueEvent((eventId) => ({ type: 'fault', eventId, code: c, active }));
  }

  onFrame(frame: Frame, atNs: bigint): void {
    if (frame.src !== ADDRESS_GATEWAY) return; // another box on the bus
    let m: Message;
    try {
      m = decodeMessage(frame.type, frame.payload);
    } catch (err) {
      const code = err instanceof CodedError ? err.code : '';
      const reason = code === 'PROTO_UNKNOWN_TYPE' ? NakReason.UNKNOWN_TYPE : code === 'PROTO_BAD_LENGTH' ? NakReason.BAD_LENGTH : NakReason.BAD_VALUE;
      this.reply({ type: 'nak', nakedSeq: frame.seq, reason });
      return;
    }
    if (m.type === 'ack' || m.type === 'nak') return this.onAnswer(m.type === 'ack' ? m.ackedSeq : m.nakedSeq, m.type === 'nak' && m.reason !== NakReason.BUSY);
    if (m.type === 'relay-command') return this.onRelayCommand(frame, m.mask, m.state, atNs);
  }

  private queueEvent(make: (eventId: number) => Message): number {
    // EEPROM counter: u16, monotonic, wraps.
    this.eventCounter = (this.eventCounter + 1) & 0xffff;
    const eventId = this.eventCounter;
    const out: Outgoing = { message: make(eventId), seq: -1, sent: 0, timer: null, forever: true, eventId };
    this.events.push(out);
    if (this.events.length === 1 && this.running) this.transmit(out);
    return eventId;
  }

  private transmit(o: Outgoing): void {
    if (o.sent === 0) o.seq = this.nextSeq();
    o.sent++;
    const at = this.hooks.send(encodeFrame({ dst: ADDRESS_GATEWAY, src: this.address, seq: o.seq, ...encodeMessage(o.message) }));
    if (o.sent === 1 && o.message.type === 'button' && o.message.pressed) this.hooks.pressed(o.message.eventId, at);
    if (!o.forever && o.sent >= QUICK_TRIES) {
      o.timer = setTimeout(() => this.others.delete(o.seq), retryDelayMs(o.sent));
      return;
    }
    o.timer = setTimeout(() => {
      o.timer = null;
      if (this.running) this.transmit(o);
    }, retryDelayMs(o.sent));
  }

  private onAnswer(seq: number, refused: boolean): void {
    const head = this.events[0];
    if (head && head.seq === seq && head.sent > 0) {
      if (head.timer) clearTimeout(head.timer);
      this.events.shift();
      if (!refused && head.eventId !== null) this.hooks.acked(head.eventId);
      const next = this.events[0];
      if (next && this.running) this.transmit(next);
      return;
    }
    const other = this.others.get(seq);
    if (other) {
      if (other.timer) clearTimeout(other.timer);
      this.others.delete(seq);
    }
  }

  private onRelayCommand(frame: Frame, mask: SimOutputs, state: SimOutputs, atNs: bigint): void {
    const key = Buffer.from(frame.payload).toString('hex');
    const now = Date.now();
    const repeat = this.lastCommand && this.lastCommand.seq === frame.seq && this.lastCommand.key === key && now - this.lastCommand.at < COMMAND_REPEAT_WINDOW_MS;
    this.lastCommand = { seq: frame.seq, key, at: now };
    this.reply({ type: 'ack', ackedSeq: frame.seq, status: repeat ? AckStatus.DUPLICATE : AckStatus.OK });
    if (repeat) return; // our ACK was lost; the command was already carried out and reported
    const next: SimOutputs = {
      strobe: mask.strobe ? state.strobe : this.current.strobe,
      siren: mask.siren ? state.siren : this.current.siren,
    };
    const changed = next.strobe !== this.current.strobe || next.siren !== this.current.siren;
    this.current = next;
    this.hooks.relayCommand({ ...next }, atNs);
    if (changed) this.hooks.outputs({ ...next }, atNs);
    this.sendOther({ type: 'relay-report', state: { ...next }, cause: 'command' });
  }

  private reply(m: Message): void {
    this.hooks.send(encodeFrame({ dst: ADDRESS_GATEWAY, src: this.address, seq: this.nextSeq(), ...encodeMessage(m) }));
  }

  private sendOther(message: Message): void {
    if (!this.running) return;
    const o: Outgoing = { message, seq: -1, sent: 0, timer: null, forever: false, eventId: null };
    this.transmit(o);
    this.others.set(o.seq, o);
  }

  private scheduleHeartbeat(now: boolean): void {
    if (!this.heartbeatsOn) return;
    // Up to 10 % early, never late: boxes powered up together drift apart instead of colliding
    // every interval, and the gateway's "3 missed" supervision is never tripped by the jitter.
    const period = () => this.heartbeatIntervalMs * (0.9 + 0.1 * Math.random());
    const beat = () => {
      this.heartbeatTimer = setTimeout(beat, period());
      this.sendOther({
        type: 'heartbeat',
        uptimeS: Math.floor((Date.now() - this.bootedAt) / 1000),
        selfTestFaults: 0,
        outputs: { ...this.current },
        firmware: 1,
      });
    };
    if (now) beat();
    else this.heartbeatTimer = setTimeout(beat, period());
  }

  private nextSeq(): number {
    const s = this.seq;
    this.seq = (this.seq + 1) & 0xff;
    return s;
  }
}
