// The gateway end of the link to the firmware bridge. Every event is committed to the journal
// by the handler before it is acknowledged, so the bridge drops it from its outbox only once it
// is safe here. Reconnects by itself with backoff; commands fail fast while the bridge is away.
import { connect, type Socket } from 'node:net';
import { EventEmitter } from 'node:events';
import { Backoff } from '../../common/backoff.ts';
import type { Logger } from '../../common/logger.ts';
import { onJsonLines, writeJsonLine } from '../../common/ndjson.ts';
import {
  BridgeMessageSchema,
  MAX_LINK_LINE_BYTES,
  type BoxState,
  type BridgeCommand,
  type DeviceEvent,
  type GatewayMessage,
} from '../../firmware-bridge/link/messages.ts';

export interface LinkHandler {
  /** Where this bridge's events stand in our journal. */
  lastSeq(bridgeId: string): number;
  /** Must commit durably before returning. */
  ingest(bridgeId: string, event: DeviceEvent): void;
  boxState(state: BoxState): void;
  connected(connected: boolean): void;
}

export interface CommandResult {
  ok: boolean;
  code?: string;
  message?: string;
}

const COMMAND_TIMEOUT_MS = 5000;

export class BridgeLinkClient extends EventEmitter {
  private socket: Socket | null = null;
  private bridgeId: string | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  private readonly backoff = new Backoff({ initialMs: 100, maxMs: 2000 });
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: CommandResult) => void; timer: NodeJS.Timeout }>();
  private ackPending: number | null = null;

  constructor(
    private readonly socketPath: string,
    private readonly handler: LinkHandler,
    private readonly logger: Logger,
  ) {
    super();
  }

  get connected(): boolean {
    return this.bridgeId !== null;
  }

  start(): void {
    this.stopped = false;
    this.dial();
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.socket?.destroy();
    this.socket = null;
  }

  send(command: BridgeCommand): Promise<CommandResult> {
    const socket = this.socket;
    if (!socket || !this.connected) return Promise.resolve({ ok: false, code: 'BRIDGE_UNAVAILABLE', message: 'the firmware bridge is not connected' });
    const id = this.nextId++;
    return new Promise<CommandResult>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve({ ok: false, code: 'BRIDGE_TIMEOUT', message: 'the firmware bridge did not answer in time' });
      }, COMMAND_TIMEOUT_MS);
      this.waiting.set(id, { resolve, timer });
      writeJsonLine(socket, { t: 'command', id, command } satisfies GatewayMessage);
    });
  }

  private dial(): void {
    if (this.stopped) return;
    const socket = connect(this.socketPath);
    this.socket = socket;
    socket.on('error', (err) => this.logger.debug({ err }, 'link socket error'));
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
      if (this.bridgeId !== null) {
        this.bridgeId = null;
        this.logger.warn('firmware bridge link lost');
        this.handler.connected(false);
      }
      for (const [id, w] of this.waiting) {
        clearTimeout(w.timer);
        w.resolve({ ok: false, code: 'BRIDGE_UNAVAILABLE', message: 'the link to the firmware bridge dropped' });
        this.waiting.delete(id);
      }
      if (!this.stopped) this.retry = setTimeout(() => this.dial(), this.backoff.next());
    });
    onJsonLines(
      socket,
      MAX_LINK_LINE_BYTES,
      (value) => this.onMessage(socket, value),
      (err) => this.logger.warn({ err }, 'bad line from bridge dropped'),
    );
  }

  private onMessage(socket: Socket, value: unknown): void {
    const parsed = BridgeMessageSchema.safeParse(value);
    if (!parsed.success) {
      this.logger.warn({ issues: parsed.error.issues.slice(0, 3) }, 'invalid message from bridge dropped');
      return;
    }
    const msg = parsed.data;
    switch (msg.t) {
      case 'hello': {
        this.bridgeId = msg.bridgeId;
        this.backoff.reset();
        this.logger.info({ bridgeId: msg.bridgeId }, 'firmware bridge link up');
        for (const box of msg.boxes) this.handler.boxState(box);
        this.handler.connected(true);
        writeJsonLine(socket, { t: 'ack', seq: this.handler.lastSeq(msg.bridgeId) } satisfies GatewayMessage);
        break;
      }
      case 'event': {
        if (!this.bridgeId) return;
        this.handler.ingest(this.bridgeId, msg.event);
        this.scheduleAck(socket, msg.event.seq);
        break;
      }
      case 'state':
        this.handler.boxState(msg.box);
        break;
      case 'result': {
        const w = this.waiting.get(msg.id);
        if (!w) return;
        clearTimeout(w.timer);
        this.waiting.delete(msg.id);
        w.resolve({ ok: msg.ok, code: msg.code, message: msg.message });
        break;
      }
    }
  }

  /** Acks are cumulative: one per burst is enough. */
  private scheduleAck(socket: Socket, seq: number): void {
    const first = this.ackPending === null;
    this.ackPending = Math.max(this.ackPending ?? 0, seq);
    if (!first) return;
    setImmediate(() => {
      const upTo = this.ackPending;
      this.ackPending = null;
      if (upTo !== null && socket.writable) writeJsonLine(socket, { t: 'ack', seq: upTo } satisfies GatewayMessage);
    });
  }
}
