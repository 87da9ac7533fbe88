// The bridge end of the link to the gateway: a Unix socket in the data directory (file
// permissions are its access control). Events go out from the durable outbox; the gateway acks
// what is in its journal and only then are they dropped here. While no gateway is connected the
// outbox simply grows on disk; the interlock does not care.
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../../common/logger.ts';
import { onJsonLines, writeJsonLine } from '../../common/ndjson.ts';
import { CodedError } from '../../common/coded-error.ts';
import type { BridgeStore } from '../bridge/bridge-store.ts';
import type { Interlock } from '../bridge/interlock.ts';
import { GatewayMessageSchema, MAX_LINK_LINE_BYTES, type BridgeMessage, type DeviceEvent } from './messages.ts';

const BATCH = 200;

export class LinkServer {
  private server: Server | null = null;
  private peer: Socket | null = null;
  /** Highest seq sent to the current peer (events above it are read from the outbox). */
  private sentUpTo = -1;
  private acked = 0;

  constructor(
    private readonly socketPath: string,
    private readonly store: BridgeStore,
    private readonly interlock: Interlock,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    if (existsSync(this.socketPath)) unlinkSync(this.socketPath);
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(this.socketPath, () => res());
    });
    chmodSync(this.socketPath, 0o600);
    this.interlock.on('event', (e) => this.onEvent(e));
    this.interlock.on('state', (box) => this.send({ t: 'state', box }));
  }

  async stop(): Promise<void> {
    this.peer?.destroy();
    await new Promise<void>((res) => (this.server ? this.server.close(() => res()) : res()));
    this.server = null;
  }

  get connected(): boolean {
    return this.peer !== null;
  }

  private accept(socket: Socket): void {
    // One gateway at a time: a new connection (a restarted gateway) replaces the old one.
    if (this.peer) this.peer.destroy();
    this.peer = socket;
    this.sentUpTo = -1;
    this.logger.info('gateway connected');
    socket.on('close', () => {
      if (this.peer === socket) {
        this.peer = null;
        this.logger.warn('gateway disconnected');
      }
    });
    socket.on('error', (err) => this.logger.warn({ err }, 'link error'));
    socket.on('drain', () => this.pump());
    onJsonLines(
      socket,
      MAX_LINK_LINE_BYTES,
      (value) => this.onMessage(socket, value),
      (err) => this.logger.warn({ err }, 'bad line from gateway dropped'),
    );
    writeJsonLine(socket, { t: 'hello', bridgeId: this.store.bridgeId, boxes: this.interlock.boxStates() } satisfies BridgeMessage);
  }

  private onMessage(socket: Socket, value: unknown): void {
    const parsed = GatewayMessageSchema.safeParse(value);
    if (!parsed.success) {
      this.logger.warn({ issues: parsed.error.issues.slice(0, 3) }, 'invalid message from gateway dropped');
      return;
    }
    const msg = parsed.data;
    if (msg.t === 'ack') {
      // The first ack after hello says where the gateway's journal stands: resend from there.
      if (this.sentUpTo < 0) this.sentUpTo = msg.seq;
      if (msg.seq > this.acked) {
        this.acked = msg.seq;
        this.store.acknowledge(msg.seq);
      }
      this.pump();
      return;
    }
    const { id, command } = msg;
    const run = command.kind === 'reset' ? this.interlock.reset(command.boxId, command.by) : this.interlock.test(command.boxId, command.by, command.durationMs);
    run.then(
      () => socket.writable && writeJsonLine(socket, { t: 'result', id, ok: true } satisfies BridgeMessage),
      (err: unknown) => {
        const code = err instanceof CodedError ? err.code : 'BRIDGE_COMMAND_FAILED';
        const message = err instanceof Error ? err.message : String(err);
        if (socket.writable) writeJsonLine(socket, { t: 'result', id, ok: false, code, message } satisfies BridgeMessage);
      },
    );
  }

  private onEvent(event: DeviceEvent): void {
    // Send at once if the peer is caught up; otherwise pump() reads it from the outbox in order.
    if (this.peer && this.sentUpTo >= 0 && event.seq === this.sentUpTo + 1 && this.peer.writableLength < 1 << 20) {
      this.sentUpTo = event.seq;
      writeJsonLine(this.peer, { t: 'event', event } satisfies BridgeMessage);
    } else {
      this.pump();
    }
  }

  private pump(): void {
    const peer = this.peer;
    if (!peer || this.sentUpTo < 0) return;
    while (peer.writableLength < 1 << 20) {
      const batch = this.store.pending(this.sentUpTo, BATCH);
      if (batch.length === 0) return;
      for (const event of batch) writeJsonLine(peer, { t: 'event', event } satisfies BridgeMessage);
      this.sentUpTo = batch[batch.length - 1]!.seq;
    }
  }

  private send(msg: BridgeMessage): void {
    if (this.peer && this.sentUpTo >= 0) writeJsonLine(this.peer, msg);
  }
}
