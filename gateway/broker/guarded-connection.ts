// The socket aedes sees: the client's TCP socket behind a frame size check. A client that
// announces an oversized packet is cut off before the bytes are buffered.
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { MqttFrameSizeScanner } from './packet-size.ts';

export class GuardedConnection extends Duplex {
  private readonly scanner: MqttFrameSizeScanner;

  constructor(
    private readonly socket: Socket,
    maxPacketBytes: number,
    onOversize: (reason: string) => void,
  ) {
    super();
    this.scanner = new MqttFrameSizeScanner(maxPacketBytes);
    socket.on('data', (chunk: Buffer) => {
      const problem = this.scanner.push(chunk);
      if (problem) {
        onOversize(problem);
        socket.destroy();
        return;
      }
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => this.destroy());
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.socket.write(chunk, encoding, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.socket.end(cb);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.socket.destroy();
    cb(err);
  }
}
