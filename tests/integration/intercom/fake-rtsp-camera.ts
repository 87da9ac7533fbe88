// A scripted RTSP camera for the talk-back client's tests: it records every request and answers
// from a table, so a test can play a camera the simulator is not (551 on Require, odd channel
// numbers, a stream that needs keepalives) and check exactly what the client sent.
import { createServer, type Server, type Socket } from 'node:net';

export interface SeenRequest {
  method: string;
  uri: string;
  headers: Map<string, string>;
}

export type Answer = { status: number; headers?: Record<string, string>; body?: string };

export class FakeRtspCamera {
  readonly requests: SeenRequest[] = [];
  /** Interleaved frames received, by channel. */
  readonly frames = new Map<number, number>();
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly answer: (req: SeenRequest) => Answer) {}

  async start(): Promise<void> {
    const server = createServer((socket) => this.onConnection(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  connections(): number {
    return this.sockets.size;
  }

  methods(): string[] {
    return this.requests.map((r) => r.method);
  }

  private onConnection(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      // Each pass consumes one frame or one request, or waits for more bytes.
      for (;;) {
        if (buf.length > 0 && buf[0] === 0x24) {
          if (buf.length < 4 || buf.length < 4 + buf.readUInt16BE(2)) return;
          const ch = buf.readUInt8(1);
          this.frames.set(ch, (this.frames.get(ch) ?? 0) + 1);
          buf = buf.subarray(4 + buf.readUInt16BE(2));
          continue;
        }
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [first = '', ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n');
        buf = buf.subarray(end + 4);
        const [method = '', uri = ''] = first.split(' ');
        const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()] as [string, string]));
        const req = { method, uri, headers };
        this.requests.push(req);
        const a = this.answer(req);
        const body = Buffer.from(a.body ?? '');
        let head = `RTSP/1.0 ${a.status} X\r\nCSeq: ${headers.get('cseq') ?? '0'}\r\n`;
        for (const [k, v] of Object.entries(a.headers ?? {})) head += `${k}: ${v}\r\n`;
        if (body.length > 0) head += `Content-Length: ${body.length}\r\n`;
        socket.write(Buffer.concat([Buffer.from(`${head}\r\n`), body]));
      }
    });
  }
}
