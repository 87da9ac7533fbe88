// An HTTP agent for one camera whose sockets give up on any single answer larger than a cap.
// The onvif package's Cam reads a whole answer into memory before we see it; a broken or hostile
// camera could otherwise send an endless body. Counting happens per socket and starts again
// whenever the socket goes back to the pool (keep-alive), so the cap is per answer.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { cameraError } from './errors.ts';

/** Above any SOAP answer (parsed up to 1 MiB) and any snapshot (5 MiB), with headers. */
export const MAX_ANSWER_BYTES = 6 * 1024 * 1024;

export class CappedAgent extends http.Agent {
  private readonly received = new WeakMap<Duplex, number>();

  constructor(
    options: http.AgentOptions,
    readonly maxAnswerBytes = MAX_ANSWER_BYTES,
  ) {
    super(options);
    this.on('free', (socket: Duplex) => this.received.set(socket, 0));
  }

  override createConnection(options: Parameters<http.Agent['createConnection']>[0], callback?: Parameters<http.Agent['createConnection']>[1]): Duplex {
    const socket = super.createConnection(options, callback) as Duplex;
    this.received.set(socket, 0);
    socket.on('data', (chunk: Buffer) => {
      const n = (this.received.get(socket) ?? 0) + chunk.length;
      this.received.set(socket, n);
      if (n > this.maxAnswerBytes) {
        socket.destroy(cameraError('CAMERA_FAULT', `answer larger than ${this.maxAnswerBytes} bytes`, { tooLarge: true }));
      }
    });
    return socket;
  }
}
