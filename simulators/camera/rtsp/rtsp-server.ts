// The camera's RTSP server, as players see it: loopback TCP, Digest auth on every method but
// OPTIONS, RTP over the RTSP connection only (interleaved, RFC 2326 §10.12), one session per
// connection. A viewer that cannot keep up is dropped rather than buffered without bound.
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../../../common/logger.ts';
import { BACKCHANNEL_REQUIRE, requiresBackchannel, withAudioSections } from './backchannel-sdp.ts';
import { audioTrackOf, SessionAudio, type TwoWayAudio } from './backchannel-session.ts';
import { challengeHeader, NonceBook, parseDigestAuthorization, verifyDigest } from './digest.ts';
import { pathOf } from './ingest-server.ts';
import type { ProfileStream, Viewer } from './profile-stream.ts';
import { formatResponse, isTcpTransport, parseTransport, RtspStreamParser, type RtspRequest } from './rtsp-message.ts';
import { buildH264Sdp } from './sdp.ts';

export interface RtspCameraServerOptions {
  cameraName: string;
  username: string;
  password: string;
  realm: string;
  /** 0 = any free port. */
  port: number;
  streams: ReadonlyMap<string, ProfileStream>;
  log: Logger;
  sessionTimeoutS?: number;
  /** Bytes queued to one viewer beyond which it is dropped. */
  maxClientBufferBytes?: number;
  maxConnections?: number;
  /** The microphone track and the ONVIF backchannel; absent = video only, Require answered 551. */
  twoWayAudio?: TwoWayAudio;
}

const PUBLIC_METHODS = 'OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER';

interface Session {
  id: string;
  token: string;
  channels: [number, number];
  viewer: Viewer | null;
  /** trackID=0 was set up (a talk-back client may set up the backchannel alone). */
  video: boolean;
  audio: SessionAudio;
}

interface Connection {
  socket: Socket;
  lastSeenMs: number;
  session: Session | null;
}

export class RtspCameraServer {
  private server: Server | null = null;
  private readonly connections = new Set<Connection>();
  private readonly nonces = new NonceBook();
  private sweeper: NodeJS.Timeout | null = null;
  private listenPort = 0;
  private readonly sessionTimeoutS: number;
  private readonly maxClientBufferBytes: number;

  constructor(private readonly opts: RtspCameraServerOptions) {
    this.sessionTimeoutS = opts.sessionTimeoutS ?? 60;
    this.maxClientBufferBytes = opts.maxClientBufferBytes ?? 2 * 1024 * 1024;
  }

  get port(): number {
    return this.listenPort;
  }

  /** Sessions that are playing now. */
  playing(): number {
    let n = 0;
    for (const c of this.connections) if (c.session?.viewer) n++;
    return n;
  }

  async start(): Promise<void> {
    const server = createServer((socket) => this.onConnection(socket));
    server.maxConnections = this.opts.maxConnections ?? 64;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address();
    this.listenPort = typeof addr === 'object' && addr ? addr.port : 0;
    this.server = server;
    const sweepMs = Math.min(5000, (this.sessionTimeoutS * 1000) / 2);
    this.sweeper = setInterval(() => this.sweep(Date.now()), sweepMs);
  }

  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    for (const c of this.connections) this.closeConnection(c, 'server stopping');
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A connection silent for longer than the session timeout is gone (RTCP receiver reports count). */
  private sweep(nowMs: number): void {
    for (const c of this.connections) {
      if (nowMs - c.lastSeenMs > this.sessionTimeoutS * 1000) this.closeConnection(c, 'session timed out');
    }
  }

  private closeConnection(c: Connection, reason: string): void {
    this.detach(c);
    if (!c.socket.destroyed) {
      this.opts.log.debug({ reason }, 'closing RTSP connection');
      c.socket.destroy();
    }
  }

  private detach(c: Connection): void {
    const s = c.session;
    if (s?.viewer) {
      this.opts.streams.get(s.token)?.removeViewer(s.viewer);
      s.viewer = null;
    }
    s?.audio.stop();
  }

  private onConnection(socket: Socket): void {
    socket.setNoDelay(true);
    const conn: Connection = { socket, lastSeenMs: Date.now(), session: null };
    this.connections.add(conn);
    const parser = new RtspStreamParser();
    // Requests are answered in order even when one waits for the encoder.
    let queue: Promise<void> = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      conn.lastSeenMs = Date.now();
      let items;
      try {
        items = parser.push(chunk);
      } catch (err) {
        this.opts.log.warn({ err }, 'dropping an RTSP client that sent a bad or oversized message');
        socket.end(formatResponse(400, []));
        this.closeConnection(conn, 'bad request');
        return;
      }
      for (const item of items) {
        // Interleaved data from a player is RTCP receiver reports (proof of life) or, on the
        // backchannel, audio for the speaker.
        if (item.kind === 'interleaved') conn.session?.audio.onInterleaved(item.channel, item.payload);
        if (item.kind !== 'request') continue;
        const req = item.request;
        queue = queue
          .then(() => this.handle(conn, req))
          .catch((err: unknown) => {
            this.opts.log.error({ err, method: req.method }, 'RTSP request failed');
            this.reply(conn, req, 500);
          });
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.detach(conn);
      this.connections.delete(conn);
    });
  }

  private reply(conn: Connection, req: RtspRequest, status: number, headers: Array<[string, string]> = [], body = ''): void {
    if (conn.socket.destroyed) return;
    conn.socket.write(formatResponse(status, [['CSeq', req.headers.get('cseq') ?? '0'], ['Server', 'camsim'], ...headers], body));
  }

  private challenge(conn: Connection, req: RtspRequest, stale = false): void {
    const nonce = randomBytes(16).toString('hex');
    this.nonces.add(nonce, Date.now());
    this.reply(conn, req, 401, [['WWW-Authenticate', challengeHeader(this.opts.realm, nonce, stale)]]);
  }

  private authorized(conn: Connection, req: RtspRequest): boolean {
    const creds = parseDigestAuthorization(req.headers.get('authorization'));
    if (!creds) {
      this.challenge(conn, req);
      return false;
    }
    const fresh = this.nonces.check(creds.nonce, Date.now());
    if (fresh !== 'ok') {
      this.challenge(conn, req, fresh === 'stale');
      return false;
    }
    const ok = verifyDigest(creds, { username: this.opts.username, realm: this.opts.realm, password: this.opts.password, method: req.method });
    if (!ok) {
      this.opts.log.info({ username: creds.username, method: req.method }, 'RTSP digest authentication failed');
      this.challenge(conn, req);
    }
    return ok;
  }

  private async handle(conn: Connection, req: RtspRequest): Promise<void> {
    if (conn.socket.destroyed) return;
    const require = req.headers.get('require');
    if (req.method === 'OPTIONS') {
      return this.reply(conn, req, 200, [['Public', PUBLIC_METHODS]]);
    }
    if (!this.authorized(conn, req)) return;
    if (require) {
      const supported = this.opts.twoWayAudio?.recorder ? [BACKCHANNEL_REQUIRE] : [];
      const unsupported = require.split(',').map((s) => s.trim()).filter((s) => s && !supported.includes(s));
      if (unsupported.length > 0) return this.reply(conn, req, 551, [['Unsupported', unsupported.join(', ')]]);
    }
    const path = pathOf(req.uri);
    const [token = '', track, ...rest] = (path ?? '').split('/').filter((s) => s.length > 0);
    const stream = this.opts.streams.get(token);
    const trackOk = (track === undefined || track === 'trackID=0') && rest.length === 0;
    const audioTrack = rest.length === 0 ? audioTrackOf(track, this.opts.twoWayAudio) : null;

    switch (req.method) {
      case 'DESCRIBE': {
        if (!stream || track !== undefined) return this.reply(conn, req, 404);
        let sets;
        try {
          sets = await stream.parameterSets();
        } catch (err) {
          this.opts.log.warn({ err, profile: token }, 'no stream to describe');
          return this.reply(conn, req, 503);
        }
        const p = stream.profile;
        const videoSdp = buildH264Sdp({
          sessionName: this.opts.cameraName,
          sessionId: String(Date.now()),
          sps: sets.sps,
          pps: sets.pps,
          control: 'trackID=0',
          fps: p.fps,
          width: p.width,
          height: p.height,
        });
        const sdp = withAudioSections(videoSdp, { audio: Boolean(this.opts.twoWayAudio?.tone), backchannel: requiresBackchannel(require) });
        return this.reply(conn, req, 200, [['Content-Base', `rtsp://127.0.0.1:${this.listenPort}/${token}/`], ['Content-Type', 'application/sdp']], sdp);
      }
      case 'SETUP': {
        if (!stream || (!trackOk && !audioTrack)) return this.reply(conn, req, 404);
        const specs = parseTransport(req.headers.get('transport') ?? '');
        const tcp = specs.find(isTcpTransport);
        if (!tcp) return this.reply(conn, req, 461);
        const sessionHeader = sessionIdOf(req);
        if (conn.session && sessionHeader !== null && sessionHeader !== conn.session.id) return this.reply(conn, req, 454);
        if (conn.session && conn.session.token !== token) return this.reply(conn, req, 459);
        const channels = tcp.interleaved ?? (audioTrack ? SessionAudio.defaultChannels(audioTrack) : [0, 1]);
        if (!conn.session) conn.session = { id: randomBytes(8).toString('hex'), token, channels: audioTrack ? [0, 1] : channels, viewer: null, video: !audioTrack, audio: new SessionAudio(this.opts.twoWayAudio ?? { tone: null, recorder: null }) };
        else if (!audioTrack && !conn.session.viewer) {
          conn.session.channels = channels;
          conn.session.video = true;
        }
        const s = conn.session;
        if (audioTrack) s.audio.setup(audioTrack, channels);
        const given = audioTrack ? channels : s.channels;
        return this.reply(conn, req, 200, [
          ['Transport', `RTP/AVP/TCP;unicast;interleaved=${given[0]}-${given[1]}`],
          ['Session', `${s.id};timeout=${this.sessionTimeoutS}`],
        ]);
      }
      case 'PLAY': {
        const s = this.sessionFor(conn, req);
        if (!s) return;
        const playStream = this.opts.streams.get(s.token);
        if (!playStream) return this.reply(conn, req, 404);
        if (!s.video) {
          // Audio only (a talk-back client): no encoder to wait for.
          this.reply(conn, req, 200, [['Session', `${s.id};timeout=${this.sessionTimeoutS}`]]);
          s.audio.play((channel, pkt) => this.sendFrame(conn, s, channel, pkt));
          return;
        }
        if (!s.viewer) {
          try {
            await playStream.parameterSets();
          } catch (err) {
            this.opts.log.warn({ err, profile: s.token }, 'no stream to play');
            return this.reply(conn, req, 503);
          }
          if (conn.socket.destroyed || conn.session !== s) return;
        }
        this.reply(conn, req, 200, [
          ['Session', `${s.id};timeout=${this.sessionTimeoutS}`],
          ['Range', 'npt=0.000-'],
        ]);
        if (!s.viewer) {
          s.viewer = this.viewerFor(conn, s);
          playStream.addViewer(s.viewer);
          s.audio.play((channel, pkt) => this.sendFrame(conn, s, channel, pkt));
        }
        return;
      }
      case 'PAUSE': {
        const s = this.sessionFor(conn, req);
        if (!s) return;
        this.detach(conn);
        return this.reply(conn, req, 200, [['Session', s.id]]);
      }
      case 'TEARDOWN': {
        const s = this.sessionFor(conn, req);
        if (!s) return;
        this.detach(conn);
        conn.session = null;
        return this.reply(conn, req, 200, [['Session', s.id]]);
      }
      case 'GET_PARAMETER':
      case 'SET_PARAMETER': {
        if (sessionIdOf(req) !== null) {
          const s = this.sessionFor(conn, req);
          if (!s) return;
          return this.reply(conn, req, 200, [['Session', s.id]]);
        }
        return this.reply(conn, req, 200);
      }
      default:
        return this.reply(conn, req, 501, [['Public', PUBLIC_METHODS]]);
    }
  }

  /** The connection's session if the request names it; otherwise answers 454 and returns null. */
  private sessionFor(conn: Connection, req: RtspRequest): Session | null {
    const id = sessionIdOf(req);
    if (!conn.session || id !== conn.session.id) {
      this.reply(conn, req, 454);
      return null;
    }
    return conn.session;
  }

  private sendFrame(conn: Connection, s: Session, channel: number, pkt: Buffer): void {
    const socket = conn.socket;
    if (socket.destroyed) return;
    if (socket.writableLength > this.maxClientBufferBytes) {
      this.opts.log.warn({ profile: s.token, queued: socket.writableLength }, 'dropping a viewer that cannot keep up');
      this.closeConnection(conn, 'slow client');
      return;
    }
    const head = Buffer.allocUnsafe(4);
    head.writeUInt8(0x24, 0);
    head.writeUInt8(channel, 1);
    head.writeUInt16BE(pkt.length, 2);
    socket.cork();
    socket.write(head);
    socket.write(pkt);
    socket.uncork();
  }

  private viewerFor(conn: Connection, s: Session): Viewer {
    const send = (channel: number, pkt: Buffer): void => this.sendFrame(conn, s, channel, pkt);
    return {
      sendRtp: (pkt) => send(s.channels[0], pkt),
      sendRtcp: (pkt) => send(s.channels[1], pkt),
      close: (reason) => this.closeConnection(conn, reason),
    };
  }
}

function sessionIdOf(req: RtspRequest): string | null {
  const h = req.headers.get('session');
  if (!h) return null;
  return h.split(';')[0]?.trim() ?? null;
}
