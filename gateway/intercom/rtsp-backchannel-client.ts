// Talking to a camera's speaker through the ONVIF audio backchannel: one RTSP connection over
// TCP with Digest auth, OPTIONS → DESCRIBE (Require: www.onvif.org/ver20/backchannel) → SETUP of
// the sendonly PCMU track (interleaved) → PLAY, then PCMU RTP written on that connection at real
// time, GET_PARAMETER keepalives within the session timeout, and TEARDOWN on close.
// This module owns the socket and its two timers (pacing, keepalive); close() ends all three.
import { randomInt } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { CodedError } from '../../common/coded-error.ts';
import type { Logger } from '../../common/logger.ts';
import { digestAuthorization, parseDigestChallenges, type DigestChallenge } from '../cameras/soap/http-digest.ts';
import { findBackchannelTrack } from './backchannel-sdp.ts';
import { intercomError } from './errors.ts';
import { mulawEncode } from './mulaw.ts';
import { formatRequest, interleavedFrame, parseInterleaved, parseSession, RtspResponseReader, type RtspResponse } from './rtsp-wire.ts';
import { TalkPacer } from './talk-pacer.ts';

export const BACKCHANNEL_REQUIRE = 'www.onvif.org/ver20/backchannel';

export interface BackchannelClientOptions {
  /** rtsp://host:port/path of the camera's stream (credentials in it are ignored). */
  rtspUri: string;
  username: string;
  password: string;
  logger: Logger;
  /** Per request, and for the TCP connect; default 5000. */
  requestTimeoutMs?: number;
  /** Talk backlog beyond this is dropped, oldest first; default 1000. */
  maxBacklogMs?: number;
  /** GET_PARAMETER period; default half the session timeout the camera gives, at least 5 s. */
  keepaliveMs?: number;
}

/** A camera that stops reading gets no more than this queued; later audio is dropped. */
const MAX_SOCKET_QUEUE = 64 * 1024;
const PACE_MS = 10;
const USER_AGENT = 'campus-gateway-intercom/1';

export class RtspBackchannelClient {
  private readonly socket: Socket;
  private readonly reader = new RtspResponseReader();
  private readonly timeoutMs: number;
  private cseq = 0;
  private challenge: DigestChallenge | null = null;
  private nc = 0;
  private pending: { resolve: (r: RtspResponse) => void; reject: (e: Error) => void } | null = null;
  /** Requests go one at a time (keepalive and TEARDOWN may race otherwise). */
  private queue: Promise<unknown> = Promise.resolve();
  private session: { id: string; timeoutS: number } | null = null;
  /** Aggregate control URL (Content-Base) for PLAY, keepalive and TEARDOWN. */
  private base = '';
  private channel = 0;
  private pacer: TalkPacer | null = null;
  private paceTimer: NodeJS.Timeout | null = null;
  private keepaliveTimer: NodeJS.Timeout | null = null;
  private closing: Promise<void> | null = null;
  private ended = false;
  private readonly endWaiters: Array<(reason: Error | null) => void> = [];
  private endReason: Error | null = null;
  packetsSent = 0;
  /** Samples dropped: backlog overflow or a camera that stopped reading. */
  samplesDropped = 0;

  private constructor(
    private readonly o: BackchannelClientOptions,
    private readonly url: URL,
    socket: Socket,
  ) {
    this.timeoutMs = o.requestTimeoutMs ?? 5000;
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.end(intercomError('INTERCOM_UNREACHABLE', err.message)));
    socket.on('close', () => this.end(this.closing ? null : intercomError('INTERCOM_UNREACHABLE', 'the camera closed the connection')));
  }

  /** Connects and negotiates up to PLAY; the result is ready for send(). */
  static async connect(o: BackchannelClientOptions): Promise<RtspBackchannelClient> {
    const url = parseRtspUri(o.rtspUri);
    const socket = await openSocket(url, o.requestTimeoutMs ?? 5000);
    const client = new RtspBackchannelClient(o, url, socket);
    try {
      await client.negotiate();
      return client;
    } catch (err) {
      client.socket.destroy();
      client.stopTimers();
      throw err;
    }
  }

  /** 8 kHz 16-bit mono PCM; paced out at real time, the backlog bounded to about a second. */
  send(pcm16At8k: Int16Array): void {
    if (this.ended || this.closing || !this.pacer) return;
    const before = this.pacer.dropped;
    this.pacer.push(mulawEncode(pcm16At8k));
    this.samplesDropped += this.pacer.dropped - before;
  }

  /** Resolves when the connection ends: null after close(), else why it broke. */
  ended$(): Promise<Error | null> {
    if (this.ended) return Promise.resolve(this.endReason);
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  /** Sends what is still queued (drain, default), then TEARDOWN, then closes the connection. */
  close(opts: { drain?: boolean } = {}): Promise<void> {
    this.closing ??= this.shutdown(opts.drain ?? true);
    return this.closing;
  }

  private async shutdown(drain: boolean): Promise<void> {
    if (drain && this.pacer && !this.ended) {
      this.pacer.drain();
      // The backlog is at most about a second; it leaves at real time.
      const deadline = Date.now() + 2000;
      while (!this.ended && this.pacer.pending() > 0 && Date.now() < deadline) await sleep(PACE_MS);
    }
    this.stopTimers();
    if (!this.ended && this.session) {
      try {
        await this.request('TEARDOWN', this.base, [['Session', this.session.id]]);
      } catch (err) {
        this.o.logger.debug({ err }, 'TEARDOWN not answered');
      }
    }
    this.socket.end();
    // A camera that never closes its side is not waited for.
    const timer = setTimeout(() => this.socket.destroy(), 1000);
    await this.ended$();
    clearTimeout(timer);
  }

  private async negotiate(): Promise<void> {
    const uri = requestUri(this.url);
    await this.request('OPTIONS', uri, []);
    const described = await this.request('DESCRIBE', uri, [['Accept', 'application/sdp'], ['Require', BACKCHANNEL_REQUIRE]], [551]);
    if (described.status === 551) throw intercomError('INTERCOM_UNSUPPORTED', `551 ${described.headers.get('unsupported') ?? ''}`.trim());
    this.base = described.headers.get('content-base') ?? described.headers.get('content-location') ?? uri;
    const track = findBackchannelTrack(described.body.toString('utf8'), this.base);
    if (!track) throw intercomError('INTERCOM_UNSUPPORTED', 'no sendonly PCMU track in the SDP');
    const want: [number, number] = [2 * track.index, 2 * track.index + 1];
    const setup = await this.request('SETUP', track.controlUrl, [
      ['Transport', `RTP/AVP/TCP;unicast;interleaved=${want[0]}-${want[1]}`],
      ['Require', BACKCHANNEL_REQUIRE],
    ]);
    const session = parseSession(setup.headers.get('session'));
    if (!session) throw intercomError('INTERCOM_PROTOCOL', 'SETUP answer has no usable Session');
    this.session = session;
    this.channel = (parseInterleaved(setup.headers.get('transport')) ?? want)[0];
    await this.request('PLAY', this.base, [['Session', session.id], ['Range', 'npt=0.000-'], ['Require', BACKCHANNEL_REQUIRE]]);
    this.pacer = new TalkPacer(
      { ssrc: randomInt(0, 0x100000000), seq: randomInt(0, 0x10000), timestamp: randomInt(0, 0x100000000), payloadType: track.payloadType },
      { maxBacklogMs: this.o.maxBacklogMs ?? 1000 },
    );
    this.paceTimer = setInterval(() => this.pace(), PACE_MS);
    // Half the session timeout leaves room for a slow answer; never more often than every 5 s.
    const keepaliveMs = this.o.keepaliveMs ?? Math.max(5, session.timeoutS / 2) * 1000;
    this.keepaliveTimer = setInterval(() => this.keepalive(), keepaliveMs);
    this.o.logger.info({ channel: this.channel, session: session.id, timeoutS: session.timeoutS }, 'backchannel playing');
  }

  private pace(): void {
    if (!this.pacer || this.ended) return;
    for (const pkt of this.pacer.tick(Date.now())) {
      if (this.socket.writableLength > MAX_SOCKET_QUEUE) {
        this.samplesDropped += pkt.length - 12;
        continue;
      }
      this.socket.write(interleavedFrame(this.channel, pkt));
      this.packetsSent++;
    }
  }

  private keepalive(): void {
    const session = this.session;
    if (!session || this.ended || this.closing) return;
    this.request('GET_PARAMETER', this.base, [['Session', session.id]]).catch((err: unknown) => {
      this.o.logger.warn({ err }, 'backchannel keepalive failed');
    });
  }

  /** One request, answering a Digest challenge once; non-2xx answers throw unless `accept`ed. */
  private request(method: string, uri: string, headers: Array<[string, string]>, accept: number[] = []): Promise<RtspResponse> {
    const run = async (): Promise<RtspResponse> => {
      let res = await this.exchange(method, uri, headers);
      for (let attempt = 0; res.status === 401 && attempt < 2; attempt++) {
        const challenge = parseDigestChallenges((res.headers.get('www-authenticate') ?? '').split('\n'));
        // A repeated 401 means the password is wrong, unless the nonce merely went stale.
        if (!challenge || (attempt > 0 && !challenge.stale)) break;
        this.challenge = challenge;
        this.nc = 0;
        res = await this.exchange(method, uri, headers);
      }
      if (res.status === 401) throw intercomError('INTERCOM_AUTH_FAILED', `${method} answered 401`);
      if ((res.status < 200 || res.status > 299) && !accept.includes(res.status)) {
        throw intercomError('INTERCOM_PROTOCOL', `${method} answered ${res.status} ${res.reason}`, { status: res.status });
      }
      return res;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private exchange(method: string, uri: string, headers: Array<[string, string]>): Promise<RtspResponse> {
    if (this.ended) return Promise.reject(intercomError('INTERCOM_CLOSED'));
    const all: Array<[string, string]> = [['CSeq', String(++this.cseq)], ['User-Agent', USER_AGENT], ...headers];
    if (this.challenge) {
      this.nc++;
      all.push(['Authorization', digestAuthorization(this.challenge, { username: this.o.username, password: this.o.password }, method, uri, this.nc)]);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = null;
        reject(intercomError('INTERCOM_TIMEOUT', `${method} not answered within ${this.timeoutMs} ms`));
        // The answer may still come and would be taken for the next request's: start over instead.
        this.socket.destroy();
      }, this.timeoutMs);
      this.pending = {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.socket.write(formatRequest(method, uri, all));
    });
  }

  private onData(chunk: Buffer): void {
    let items;
    try {
      items = this.reader.push(chunk);
    } catch (err) {
      this.o.logger.warn({ err }, 'camera sent a bad RTSP stream');
      this.end(err instanceof CodedError ? err : intercomError('INTERCOM_PROTOCOL'));
      this.socket.destroy();
      return;
    }
    for (const item of items) {
      // Interleaved data from the camera (RTCP receiver reports) needs no answer.
      if (item.kind !== 'response') continue;
      const p = this.pending;
      this.pending = null;
      p?.resolve(item.response);
    }
  }

  private stopTimers(): void {
    if (this.paceTimer) clearInterval(this.paceTimer);
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    this.paceTimer = null;
    this.keepaliveTimer = null;
  }

  private end(reason: Error | null): void {
    if (this.ended) return;
    this.ended = true;
    this.endReason = reason;
    this.stopTimers();
    const p = this.pending;
    this.pending = null;
    p?.reject(reason ?? intercomError('INTERCOM_CLOSED'));
    if (reason) this.o.logger.warn({ err: reason }, 'backchannel connection ended');
    for (const w of this.endWaiters.splice(0)) w(reason);
  }
}

function parseRtspUri(uri: string): URL {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw intercomError('INTERCOM_PROTOCOL', 'rtspUri is not a URL');
  }
  if (url.protocol !== 'rtsp:' || !url.hostname) throw intercomError('INTERCOM_PROTOCOL', 'rtspUri must be rtsp://host[:port]/path');
  return url;
}

/** The URL as sent in request lines: never with credentials. */
function requestUri(url: URL): string {
  return `rtsp://${url.host}${url.pathname}${url.search}`;
}

function openSocket(url: URL, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const socket = connect({ host, port: url.port ? Number(url.port) : 554 });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(intercomError('INTERCOM_TIMEOUT', `connect to ${url.host}`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(intercomError('INTERCOM_UNREACHABLE', err.message));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
