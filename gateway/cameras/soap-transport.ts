// Our own SOAP-over-HTTP for the calls the onvif package does not cover well (events, tours,
// relays, the GotoPreset hot path, the clock probe) and for snapshots. One per camera, with the
// camera's own keep-alive agent so a slow camera never holds sockets another camera needs.
//
// Auth: ONVIF cameras take WS-UsernameToken or HTTP Digest, some only one of them. We start with
// WS-UsernameToken and move to Digest when the camera challenges us (401) or faults with
// NotAuthorized, and back when Digest is refused; what worked is remembered for the next call.
// The Digest challenge is cached (nc counts up), so an authenticated call is one round trip.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { CodedError } from '../../common/coded-error.ts';
import { cameraError, toCameraError } from './errors.ts';
import { envelope, securityHeader } from './soap/envelope.ts';
import { digestAuthorization, parseDigestChallenges, type DigestChallenge } from './soap/http-digest.ts';
import { isAuthFault, MAX_SOAP_BYTES, parseXml, soapFault, XmlRejected, type XmlNode } from './soap/xml.ts';

export type AuthMode = 'wsse' | 'digest';

export interface Credentials {
  username: string;
  password: string;
}

export interface SoapCall {
  action: string;
  body: string;
  header?: string;
}

export interface CallOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** false: send no credentials at all (GetSystemDateAndTime). */
  auth?: boolean;
}

interface HttpAnswer {
  status: number;
  challenges: string[];
  body: Buffer;
  contentType: string;
}

export class SoapTransport {
  authMode: AuthMode = 'wsse';
  /** Camera clock minus gateway clock, ms. */
  clockOffsetMs = 0;
  private challenge: DigestChallenge | null = null;
  private nc = 0;

  constructor(
    private readonly credentials: Credentials,
    readonly agent: http.Agent,
    private readonly now: () => number = Date.now,
  ) {}

  async call(url: string, req: SoapCall, opts: CallOptions): Promise<XmlNode> {
    const useAuth = opts.auth !== false;
    const refused = new Set<AuthMode>();
    // At most: first try, a Digest challenge, a switch of method, one more challenge.
    for (let attempt = 0; attempt < 4; attempt++) {
      const mode = this.authMode;
      const headers: Record<string, string> = { 'Content-Type': `application/soap+xml; charset=utf-8; action="${req.action}"` };
      let sentDigest = false;
      if (useAuth && mode === 'digest' && this.challenge) {
        headers.Authorization = this.digestHeader('POST', url);
        sentDigest = true;
      }
      const sec = useAuth && mode === 'wsse' ? securityHeader({ ...this.credentials, createdMs: this.now() + this.clockOffsetMs, nonce: randomBytes(16) }) : '';
      const payload = envelope(req.body, sec + (req.header ?? ''));
      const ans = await this.send(url, 'POST', headers, payload, opts, MAX_SOAP_BYTES);

      if (ans.status === 401) {
        const ch = parseDigestChallenges(ans.challenges);
        if (!useAuth) throw cameraError('CAMERA_AUTH_FAILED', 'unauthenticated call refused');
        if (ch && (!sentDigest || ch.stale)) {
          // The camera wants Digest (or a fresh nonce): answer the challenge. A 401 to a
          // UsernameToken means the token was not good enough for this camera.
          if (mode === 'wsse') refused.add('wsse');
          this.challenge = ch;
          this.nc = 0;
          this.authMode = 'digest';
          continue;
        }
        refused.add(mode);
        if (this.switchMode(refused)) continue;
        throw cameraError('CAMERA_AUTH_FAILED', `HTTP 401 (${[...refused].join(', ')} refused)`);
      }
      let doc: XmlNode;
      try {
        doc = parseXml(ans.body.toString('utf8'));
      } catch (err) {
        if (err instanceof XmlRejected) throw cameraError('CAMERA_FAULT', `HTTP ${ans.status}: ${err.message}`);
        throw err;
      }
      const fault = soapFault(doc);
      if (fault && isAuthFault(fault)) {
        if (!useAuth) throw cameraError('CAMERA_AUTH_FAILED', 'unauthenticated call refused');
        refused.add(mode);
        if (this.switchMode(refused)) continue;
        throw cameraError('CAMERA_AUTH_FAILED', `${fault.subcodes.join(' ') || fault.code} (${[...refused].join(', ')} refused)`);
      }
      if (fault) throw cameraError('CAMERA_FAULT', `${fault.subcodes.at(-1) ?? fault.code}: ${fault.reason}`.slice(0, 300), { subcodes: fault.subcodes });
      if (ans.status >= 400) throw cameraError('CAMERA_FAULT', `HTTP ${ans.status}`);
      return doc;
    }
    throw cameraError('CAMERA_AUTH_FAILED', 'authentication did not settle');
  }

  /** GET with the camera's credentials (snapshots): Digest, or Basic if that is all it offers. */
  async fetchBinary(url: string, opts: { timeoutMs: number; maxBytes: number; signal?: AbortSignal }): Promise<HttpAnswer> {
    let headers: Record<string, string> = {};
    if (this.challenge) headers.Authorization = this.digestHeader('GET', url);
    for (let attempt = 0; attempt < 3; attempt++) {
      const ans = await this.send(url, 'GET', headers, null, opts, opts.maxBytes);
      if (ans.status !== 401) return ans;
      const ch = parseDigestChallenges(ans.challenges);
      if (ch && (!headers.Authorization?.startsWith('Digest') || ch.stale)) {
        this.challenge = ch;
        this.nc = 0;
        headers = { Authorization: this.digestHeader('GET', url) };
        continue;
      }
      // Basic over plain HTTP is what some cameras' snapshot pages offer; only when asked for it.
      if (!headers.Authorization?.startsWith('Basic') && ans.challenges.some((c) => /^\s*Basic\b/i.test(c))) {
        headers = { Authorization: `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}` };
        continue;
      }
      throw cameraError('CAMERA_AUTH_FAILED', 'snapshot refused');
    }
    throw cameraError('CAMERA_AUTH_FAILED', 'snapshot refused');
  }

  private switchMode(refused: Set<AuthMode>): boolean {
    const other: AuthMode = this.authMode === 'wsse' ? 'digest' : 'wsse';
    if (refused.has(other)) return false;
    this.authMode = other;
    // A Digest attempt without a challenge draws one (401) from the camera.
    if (other === 'digest') this.challenge = null;
    return true;
  }

  private digestHeader(method: string, url: string): string {
    const u = new URL(url);
    this.nc += 1;
    return digestAuthorization(this.challenge!, this.credentials, method, u.pathname + u.search, this.nc);
  }

  private send(url: string, method: string, headers: Record<string, string>, body: string | null, opts: { timeoutMs: number; signal?: AbortSignal }, maxBytes: number): Promise<HttpAnswer> {
    return new Promise<HttpAnswer>((resolve, reject) => {
      let done = false;
      const finish = (err: CodedError | null, ans?: HttpAnswer) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        if (err) {
          req.destroy();
          reject(err);
        } else resolve(ans!);
      };
      const onAbort = () => finish(cameraError('CAMERA_STOPPED', 'request aborted'));
      if (opts.signal?.aborted) {
        reject(cameraError('CAMERA_STOPPED', 'request aborted'));
        return;
      }
      const u = new URL(url);
      if (u.protocol !== 'http:') {
        reject(cameraError('CAMERA_FAULT', `unsupported URL scheme ${u.protocol}`));
        return;
      }
      const payload = body === null ? null : Buffer.from(body, 'utf8');
      const req = http.request(u, {
        method,
        agent: this.agent,
        headers: { ...headers, ...(payload ? { 'Content-Length': String(payload.length) } : {}) },
      });
      const timer = setTimeout(() => finish(cameraError('CAMERA_TIMEOUT', `no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err) => finish(toCameraError(err)));
      req.on('response', (res) => {
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > maxBytes) return finish(cameraError('CAMERA_FAULT', `answer of ${declared} bytes is over the ${maxBytes}-byte cap`));
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) return finish(cameraError('CAMERA_FAULT', `answer over the ${maxBytes}-byte cap`));
          chunks.push(c);
        });
        res.on('error', (err) => finish(toCameraError(err)));
        res.on('end', () => {
          const raw = res.headers['www-authenticate'];
          // Node joins repeated WWW-Authenticate headers; rawHeaders keeps them apart.
          const challenges: string[] = [];
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) if (res.rawHeaders[i]!.toLowerCase() === 'www-authenticate') challenges.push(res.rawHeaders[i + 1]!);
          if (challenges.length === 0 && typeof raw === 'string') challenges.push(raw);
          finish(null, { status: res.statusCode ?? 0, challenges, body: Buffer.concat(chunks), contentType: String(res.headers['content-type'] ?? '') });
        });
      });
      req.end(payload ?? undefined);
    });
  }
}
