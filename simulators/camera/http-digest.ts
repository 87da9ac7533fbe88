// HTTP Digest (RFC 7616/2617, MD5, qop=auth) server side: issues nonces, checks responses, refuses nc replays.
// Pure apart from random nonces: the clock comes in as a value.
import { createHash, randomBytes } from 'node:crypto';

const NONCE_TTL_MS = 5 * 60_000;

export interface DigestParams { [key: string]: string }

export type DigestVerdict = { ok: true } | { ok: false; stale: boolean; reason: string };

const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

/** Parse `Digest k=v, k="v, with comma"` into a map (keys lower-cased). */
export function parseDigestHeader(header: string): DigestParams | undefined {
  const m = /^\s*Digest\s+(.*)$/is.exec(header);
  if (!m || !m[1]) return undefined;
  const out: DigestParams = {};
  const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  let found: RegExpExecArray | null;
  let guard = 0;
  while ((found = re.exec(m[1])) !== null && guard++ < 32) {
    const key = found[1];
    if (key) out[key.toLowerCase()] = found[2] !== undefined ? found[2].replace(/\\(.)/g, '$1') : (found[3] ?? '');
  }
  return out;
}

export function digestResponse(p: { username: string; realm: string; password: string; method: string; uri: string; nonce: string; nc: string; cnonce: string; qop: string }): string {
  const ha1 = md5(`${p.username}:${p.realm}:${p.password}`);
  const ha2 = md5(`${p.method}:${p.uri}`);
  return md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
}

export class DigestAuthority {
  /** nonce -> issue time and the highest nc seen; bounded. */
  private readonly nonces = new Map<string, { issuedMs: number; lastNc: number }>();
  constructor(
    readonly realm: string,
    private readonly creds: { username: string; password: string },
    private readonly capacity = 512,
  ) {}

  /** WWW-Authenticate value. Realm first: some clients (node-onvif) parse the header by position. */
  challenge(nowMs: number, stale = false): string {
    const nonce = randomBytes(16).toString('hex');
    if (this.nonces.size >= this.capacity) {
      const oldest = this.nonces.keys().next().value;
      if (oldest !== undefined) this.nonces.delete(oldest);
    }
    this.nonces.set(nonce, { issuedMs: nowMs, lastNc: 0 });
    return `Digest realm="${this.realm}", qop="auth", nonce="${nonce}", algorithm=MD5${stale ? ', stale=true' : ''}`;
  }

  verify(header: string, method: string, requestUri: string, nowMs: number): DigestVerdict {
    const p = parseDigestHeader(header);
    if (!p) return { ok: false, stale: false, reason: 'not digest' };
    const { username, realm, nonce, uri, response, nc, cnonce, qop } = p;
    if (!username || !nonce || !uri || !response) return { ok: false, stale: false, reason: 'missing field' };
    if (p.algorithm && p.algorithm.toUpperCase() !== 'MD5') return { ok: false, stale: false, reason: 'algorithm' };
    if (realm !== this.realm) return { ok: false, stale: false, reason: 'realm' };
    if (uri !== requestUri) return { ok: false, stale: false, reason: 'uri mismatch' };
    const issued = this.nonces.get(nonce);
    if (!issued || nowMs - issued.issuedMs > NONCE_TTL_MS) {
      if (issued) this.nonces.delete(nonce);
      return { ok: false, stale: true, reason: 'unknown or expired nonce' };
    }
    if (username !== this.creds.username) return { ok: false, stale: false, reason: 'user' };
    let expected: string;
    if (qop) {
      if (qop !== 'auth' || !nc || !cnonce) return { ok: false, stale: false, reason: 'qop' };
      const ncNum = Number.parseInt(nc, 16);
      if (!Number.isFinite(ncNum) || ncNum <= issued.lastNc) return { ok: false, stale: false, reason: 'nc replay' };
      expected = digestResponse({ username, realm, password: this.creds.password, method, uri, nonce, nc, cnonce, qop });
      if (expected !== response.toLowerCase()) return { ok: false, stale: false, reason: 'response' };
      issued.lastNc = ncNum;
      return { ok: true };
    }
    // RFC 2069 style (no qop): still accepted by cameras.
    expected = md5(`${md5(`${username}:${realm}:${this.creds.password}`)}:${nonce}:${md5(`${method}:${uri}`)}`);
    return expected === response.toLowerCase() ? { ok: true } : { ok: false, stale: false, reason: 'response' };
  }
}
