// One RS-485 line of alarm boxes speaking protocol v1 (../PROTOCOL.md), as a BoxTransport.
// Owns: the reopening serial port, the decoder's idle-gap timer, relay-command retries.
// Rule that matters most: a box event is ACKed only after the sink has recorded it, so an
// event the gateway could not store is repeated by the box, never lost.
import { CodedError } from '../../common/coded-error.ts';
import type { Logger } from '../../common/logger.ts';
import type { SerialLineConfig } from '../../config/schema.ts';
import type { BoxSignal, BoxTransport, Outputs, SignalSink } from '../transport/box-transport.ts';
import { FrameDecoder } from '../protocol/decoder.ts';
import { ADDRESS_BROADCAST, ADDRESS_GATEWAY, encodeFrame, MAX_BOX_ADDRESS, MIN_BOX_ADDRESS, type Frame } from '../protocol/frame.ts';
import { AckStatus, decodeMessage, encodeMessage, NakReason, type Message } from '../protocol/messages.ts';
import { IDLE_GAP_MS } from '../protocol/timing.ts';
import type { BackoffOptions } from '../../common/backoff.ts';
import { toBoxSignal } from './box-signals.ts';
import { EventDedup } from './event-dedup.ts';
import { LogLimiter } from './log-limiter.ts';
import { RelayCommands } from './relay-commands.ts';
import { ReopeningSerialPort } from './serial-port.ts';

export interface AlarmBoxLineOptions {
  line: SerialLineConfig;
  boxes: Array<{ boxId: string; address: number }>;
  sink: SignalSink;
  logger: Logger;
  /** Reopen delays of the serial port; default 200 ms → 5 s. */
  reopenBackoff?: BackoffOptions;
}

export interface AlarmBoxLineStats {
  framesIn: number;
  framesOut: number;
  crcErrors: number;
  badVersion: number;
  badLength: number;
  garbageBytes: number;
  unknownSource: number;
  badPayload: number;
  /** Frames not for us (our own echo, box-to-box). */
  ignored: number;
  duplicates: number;
  sinkRejected: number;
  acksSent: number;
  relayCommands: number;
  relayRetries: number;
  relayFailures: number;
  portOpens: number;
  portLosses: number;
}

const NAK_FOR_CODE: Readonly<Record<string, number>> = {
  PROTO_UNKNOWN_TYPE: NakReason.UNKNOWN_TYPE,
  PROTO_BAD_LENGTH: NakReason.BAD_LENGTH,
  PROTO_BAD_VALUE: NakReason.BAD_VALUE,
};

export class AlarmBoxLine implements BoxTransport {
  readonly id: string;
  readonly boxIds: readonly string[];
  private readonly boxByAddress = new Map<number, string>();
  private readonly addressByBox = new Map<string, number>();
  private readonly port: ReopeningSerialPort;
  private readonly decoder = new FrameDecoder();
  private readonly dedup = new EventDedup();
  private readonly relays: RelayCommands;
  private readonly sink: SignalSink;
  private readonly logger: Logger;
  private readonly limited: LogLimiter;
  private seq = 0;
  private running = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private lastRxAt = 0;
  private readonly counters = {
    framesIn: 0, framesOut: 0, unknownSource: 0, badPayload: 0, ignored: 0, duplicates: 0,
    sinkRejected: 0, acksSent: 0, relayCommands: 0, relayRetries: 0, relayFailures: 0,
  };

  constructor(options: AlarmBoxLineOptions) {
    const { line, boxes, sink, logger } = options;
    this.id = line.id;
    this.sink = sink;
    this.logger = logger;
    this.limited = new LogLimiter(logger);
    for (const { boxId, address } of boxes) {
      if (!Number.isInteger(address) || address < MIN_BOX_ADDRESS || address > MAX_BOX_ADDRESS) {
        throw new CodedError('CONFIG_BAD_ADDRESS', `box "${boxId}" has address ${address}; allowed ${MIN_BOX_ADDRESS}..${MAX_BOX_ADDRESS}`);
      }
      if (this.boxByAddress.has(address)) throw new CodedError('CONFIG_DUPLICATE_ADDRESS', `address ${address} used twice on line "${line.id}"`);
      this.boxByAddress.set(address, boxId);
      this.addressByBox.set(boxId, address);
    }
    this.boxIds = boxes.map((b) => b.boxId);
    this.port = new ReopeningSerialPort({ path: line.path, baudRate: line.baudRate, logger, ...(options.reopenBackoff ? { backoff: options.reopenBackoff } : {}) });
    this.port.on('data', (chunk) => this.onData(chunk));
    this.port.on('up', (reason) => this.onPort(true, reason));
    this.port.on('down', (reason) => this.onPort(false, reason));
    this.relays = new RelayCommands({
      send: (address, seq, outputs) => {
        this.write(address, seq, { type: 'relay-command', mask: { strobe: true, siren: true }, state: outputs });
      },
      nextSeq: () => this.nextSeq(),
      onRetry: () => this.counters.relayRetries++,
    });
  }

  /** Resolves once the first open attempt is over; a missing port is reported, not thrown. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.port.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.relays.cancelAll(new CodedError('TRANSPORT_STOPPED', `serial line "${this.id}" stopped`));
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    await this.port.stop();
  }

  setOutputs(boxId: string, outputs: Outputs): Promise<void> {
    const address = this.addressByBox.get(boxId);
    if (address === undefined) return Promise.reject(new CodedError('BOX_UNKNOWN', `box "${boxId}" is not on line "${this.id}"`));
    if (!this.running) return Promise.reject(new CodedError('TRANSPORT_STOPPED', `serial line "${this.id}" is not running`));
    this.counters.relayCommands++;
    return this.relays.command(address, { strobe: outputs.strobe, siren: outputs.siren }).catch((err: unknown) => {
      if (err instanceof CodedError && err.code === 'RELAY_NO_ACK') this.counters.relayFailures++;
      throw err;
    });
  }

  stats(): AlarmBoxLineStats {
    const d = this.decoder.stats();
    const p = this.port.counters();
    return {
      ...this.counters,
      crcErrors: d.crcErrors,
      badVersion: d.badVersion,
      badLength: d.badLength,
      garbageBytes: d.garbageBytes,
      portOpens: p.opens,
      portLosses: p.losses,
    };
  }

  private onData(chunk: Buffer): void {
    this.lastRxAt = Date.now();
    for (const frame of this.decoder.push(chunk)) this.onFrame(frame);
    if (this.decoder.pendingBytes > 0 && !this.idleTimer) this.armIdleTimer(IDLE_GAP_MS);
  }

  // One timer re-armed lazily rather than reset on every chunk: cheaper on a busy line.
  private armIdleTimer(ms: number): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      const quiet = Date.now() - this.lastRxAt;
      if (quiet < IDLE_GAP_MS) return this.armIdleTimer(IDLE_GAP_MS - quiet);
      for (const frame of this.decoder.flush()) this.onFrame(frame);
    }, ms);
  }

  private onFrame(frame: Frame): void {
    this.counters.framesIn++;
    if (frame.src === ADDRESS_GATEWAY || (frame.dst !== ADDRESS_GATEWAY && frame.dst !== ADDRESS_BROADCAST)) {
      this.counters.ignored++; // our own echo on adapters that hear themselves, or not for us
      return;
    }
    const boxId = this.boxByAddress.get(frame.src);
    if (boxId === undefined) {
      this.counters.unknownSource++;
      this.limited.warn(`unknown-${frame.src}`, { line: this.id, address: frame.src, type: frame.type }, 'frame from an address not configured on this line; dropped');
      return;
    }
    let message: Message;
    try {
      message = decodeMessage(frame.type, frame.payload);
    } catch (err) {
      this.counters.badPayload++;
      const code = err instanceof CodedError ? err.code : 'INTERNAL';
      this.limited.warn(`bad-${frame.src}-${code}`, { line: this.id, boxId, code, err: (err as Error).message }, 'bad payload from box; dropped');
      const reason = NAK_FOR_CODE[code];
      if (reason !== undefined && frame.dst === ADDRESS_GATEWAY) this.write(frame.src, this.nextSeq(), { type: 'nak', nakedSeq: frame.seq, reason });
      return;
    }
    switch (message.type) {
      case 'ack':
        if (!this.relays.onAck(frame.src, message.ackedSeq)) this.counters.ignored++;
        return;
      case 'nak':
        if (!this.relays.onNak(frame.src, message.nakedSeq, message.reason)) this.counters.ignored++;
        return;
      case 'relay-command':
        this.counters.ignored++; // boxes do not command the gateway
        return;
      default:
        break;
    }
    const signal = toBoxSignal(boxId, message);
    if (!signal) return;
    const eventId = message.type === 'button' || message.type === 'tamper' || message.type === 'fault' ? message.eventId : null;
    if (eventId !== null) {
      const verdict = this.dedup.begin(frame.src, eventId);
      if (verdict === 'duplicate') {
        this.counters.duplicates++;
        this.ack(frame, AckStatus.DUPLICATE);
        return;
      }
      if (verdict === 'in-flight') {
        this.counters.duplicates++;
        return;
      }
    }
    this.deliver(signal, frame, eventId);
  }

  private deliver(signal: BoxSignal, frame: Frame, eventId: number | null): void {
    this.sink(signal).then(
      () => {
        if (eventId !== null) this.dedup.delivered(frame.src, eventId);
        this.ack(frame, AckStatus.OK);
      },
      (err: unknown) => {
        if (eventId !== null) this.dedup.failed(frame.src, eventId);
        this.counters.sinkRejected++;
        this.limited.warn(`sink-${frame.src}`, { line: this.id, boxId: signal.boxId, kind: signal.kind, err: (err as Error)?.message }, 'signal not recorded; not acknowledged, the box will repeat it');
      },
    );
  }

  private ack(frame: Frame, status: number): void {
    if (frame.dst === ADDRESS_BROADCAST) return; // nobody ACKs a broadcast: all boxes would collide
    this.counters.acksSent++;
    this.write(frame.src, this.nextSeq(), { type: 'ack', ackedSeq: frame.seq, status });
  }

  private write(dst: number, seq: number, message: Message): void {
    if (!this.running) return;
    const bytes = encodeFrame({ dst, src: ADDRESS_GATEWAY, seq, ...encodeMessage(message) });
    if (this.port.write(bytes)) this.counters.framesOut++;
  }

  private nextSeq(): number {
    const s = this.seq;
    this.seq = (this.seq + 1) & 0xff;
    return s;
  }

  private onPort(up: boolean, reason: string): void {
    if (!up) {
      // Bytes from before the loss cannot join bytes after it; a frame hidden in them still counts.
      for (const frame of this.decoder.flush()) this.onFrame(frame);
    }
    if (!this.running) return;
    this.sink({
      kind: 'transport',
      transportId: this.id,
      up,
      code: up ? 'SERIAL_PORT_OPEN' : 'SERIAL_PORT_LOST',
      message: `${this.port.path}: ${reason}`,
    }).catch((err: unknown) => this.logger.error({ err, line: this.id, up }, 'sink refused a transport signal'));
  }
}
