// RTSP Digest authentication (RFC 2617, as RTSP cameras use it). Pure: nonces come in as values;
// the server keeps the set of nonces it issued. We challenge without qop, which every RTSP client
// handles; a client that answers with qop=auth anyway is verified the RFC 2617 way.
import { createHash, timingSafeEqual } from 'node:crypto';

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
  algorithm?: string;
}

const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

export function challengeHeader(realm: string, nonce: string, stale = false): string {
  return `Digest realm="${realm}", nonce="${nonce}"${stale ? ', stale=TRUE' : ''}`;
}

/** Parses `Digest k="v", k=v, ...`; null when the header is not a usable Digest answer. */
export function parseDigestAuthorization(header: string | undefined): DigestCredentials | null {
  if (!header) return null;
  const m = /^Digest\s+(.*)$/is.exec(header.trim());
  if (!m) return null;
  const params = new Map<string, string>();
  const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/g;
  const rest = m[1] ?? '';
  // Each match advances through the header; a bounded number of parameters is all we look at.
  for (let i = 0; i < 32; i++) {
    const p = re.exec(rest);
    if (!p) break;
    params.set((p[1] ?? '').toLowerCase(), p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? ''));
  }
  const username = params.get('username');
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  const uri = params.get('uri');
  const response = params.get('response');
  if (username === undefined || realm === undefined || nonce === undefined || uri === undefined || response === undefined) return null;
  const creds: DigestCredentials = { username, realm, nonce, uri, response };
  const qop = params.get('qop');
  const nc = params.get('nc');
  const cnonce = params.get('cnonce');
  const algorithm = params.get('algorithm');
  if (qop !== undefined) creds.qop = qop;
  if (nc !== undefined) creds.nc = nc;
  if (cnonce !== undefined) creds.cnonce = cnonce;
  if (algorithm !== undefined) creds.algorithm = algorithm;
  return creds;
}

/** The `response` value a client computes (RFC 2617 §3.2.2.1), MD5 only. */
export function digestResponse(a: {
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
}): string {
  const ha1 = md5(`${a.username}:${a.realm}:${a.password}`);
  const ha2 = md5(`${a.method}:${a.uri}`);
  if (a.qop === 'auth') return md5(`${ha1}:${a.nonce}:${a.nc ?? ''}:${a.cnonce ?? ''}:auth:${ha2}`);
  return md5(`${ha1}:${a.nonce}:${ha2}`);
}

/** True when the credentials prove knowledge of the password for this method. Nonce freshness is the caller's. */
export function verifyDigest(creds: DigestCredentials, expected: { username: string; realm: string; password: string; method: string }): boolean {
  if (creds.username !== expected.username || creds.realm !== expected.realm) return false;
  if (creds.algorithm !== undefined && creds.algorithm.toUpperCase() !== 'MD5') return false;
  if (creds.qop !== undefined && creds.qop !== 'auth') return false;
  const want = digestResponse({
    username: creds.username,
    realm: creds.realm,
    password: expected.password,
    method: expected.method,
    uri: creds.uri,
    nonce: creds.nonce,
    ...(creds.qop !== undefined ? { qop: creds.qop, nc: creds.nc ?? '', cnonce: creds.cnonce ?? '' } : {}),
  });
  const got = Buffer.from(creds.response.toLowerCase(), 'utf8');
  const exp = Buffer.from(want, 'utf8');
  return got.length === exp.length && timingSafeEqual(got, exp);
}

/** Nonces we issued, each valid for `ttlMs`; bounded so a flood of 401s cannot grow it. */
export class NonceBook {
  private readonly issued = new Map<string, number>();

  constructor(
    private readonly ttlMs = 300_000,
    private readonly max = 1024,
  ) {}

  add(nonce: string, nowMs: number): void {
    if (this.issued.size >= this.max) {
      // Map keeps insertion order: the first key is the oldest nonce.
      const oldest = this.issued.keys().next();
      if (!oldest.done) this.issued.delete(oldest.value);
    }
    this.issued.set(nonce, nowMs + this.ttlMs);
  }

  /** 'ok', 'stale' (we issued it but it expired) or 'unknown'. */
  check(nonce: string, nowMs: number): 'ok' | 'stale' | 'unknown' {
    const until = this.issued.get(nonce);
    if (until === undefined) return 'unknown';
    if (until < nowMs) {
      this.issued.delete(nonce);
      return 'stale';
    }
    return 'ok';
  }

  size(): number {
    return this.issued.size;
  }
}
