// The camera's internal ingest: each encoder ffmpeg publishes its stream here with RTSP
// ANNOUNCE/SETUP/RECORD over TCP (interleaved RTP). ffmpeg does the RTP packetisation, TCP means
// no loss and no UDP ports, and if our process dies the socket closes and ffmpeg exits on its own.
// Loopback only; a publisher must know its random path.
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../../../common/logger.ts';
import { formatResponse, parseTransport, RtspStreamParser, type RtspRequest } from './rtsp-message.ts';

export interface PublishSink {
  onAnnounce(sdp: string): void;
  onRtp(pkt: Buffer): void;
  onRtcp(pkt: Buffer): void;
  /** The publisher's connection closed. */
  onClose(): void;
}

/** A publisher may buffer a keyframe or two in its requests; bigger than any SDP it sends. */
const INGEST_LIMITS = { maxHeaderBytes: 8192, maxBodyBytes: 16384 };

export class IngestServer {
  private server: Server | null = null;
  private readonly sinks = new Map<string, PublishSink>();
  private readonly sockets = new Set<Socket>();
  private listenPort = 0;

  constructor(private readonly log: Logger) {}

  async start(): Promise<void> {
    const server = createServer((socket) => this.onConnection(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    this.listenPort = typeof addr === 'object' && addr ? addr.port : 0;
    this.server = server;
  }

  publishUrl(path: string): string {
    return `rtsp://127.0.0.1:${this.listenPort}/${path}`;
  }

  register(path: string, sink: PublishSink): () => void {
    this.sinks.set(path, sink);
    return () => {
      if (this.sinks.get(path) === sink) this.sinks.delete(path);
    };
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private onConnection(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const parser = new RtspStreamParser(INGEST_LIMITS);
    let sink: PublishSink | null = null;
    let recording = false;
    let channels: [number, number] = [0, 1];
    const session = Math.floor(Math.random() * 1e9).toString(16);

    const reply = (req: RtspRequest, status: number, headers: Array<[string, string]> = []): void => {
      socket.write(formatResponse(status, [['CSeq', req.headers.get('cseq') ?? '0'], ...headers]));
    };

    const handle = (req: RtspRequest): void => {
      const path = pathOf(req.uri);
      const found = path === null ? undefined : this.sinks.get(path.split('/')[0] ?? '');
      if (req.method === 'OPTIONS') return reply(req, 200, [['Public', 'OPTIONS, ANNOUNCE, SETUP, RECORD, TEARDOWN']]);
      if (!found) return reply(req, 404);
      if (sink && found !== sink) return reply(req, 455);
      sink = found;
      switch (req.method) {
        case 'ANNOUNCE':
          sink.onAnnounce(req.body.toString('utf8'));
          return reply(req, 200);
        case 'SETUP': {
          const tcp = parseTransport(req.headers.get('transport') ?? '').find((t) => t.profile === 'RTP/AVP/TCP');
          if (!tcp) return reply(req, 461);
          channels = tcp.interleaved ?? [0, 1];
          return reply(req, 200, [
            ['Transport', `RTP/AVP/TCP;unicast;interleaved=${channels[0]}-${channels[1]};mode=record`],
            ['Session', session],
          ]);
        }
        case 'RECORD':
          recording = true;
          return reply(req, 200, [['Session', session]]);
        case 'TEARDOWN':
          recording = false;
          reply(req, 200, [['Session', session]]);
          socket.end();
          return;
        default:
          return reply(req, 501);
      }
    };

    socket.on('data', (chunk: Buffer) => {
      try {
        for (const item of parser.push(chunk)) {
          if (item.kind === 'request') handle(item.request);
          else if (item.kind === 'interleaved' && recording && sink) {
            if (item.channel === channels[0]) sink.onRtp(item.payload);
            else if (item.channel === channels[1]) sink.onRtcp(item.payload);
          }
        }
      } catch (err) {
        this.log.warn({ err }, 'dropping a publisher that sent a bad RTSP stream');
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
      sink?.onClose();
    });
  }
}

/** The path of an rtsp:// URL without its leading slash; null if the URL is not ours to parse. */
export function pathOf(uri: string): string | null {
  const m = /^rtsps?:\/\/[^/]+(\/[^?#]*)?/i.exec(uri);
  if (!m) return uri.startsWith('/') ? uri.slice(1) : null;
  return (m[1] ?? '/').slice(1);
}
