// HTTP Digest (RFC 7616) as ONVIF requires it: MD5 or SHA-256, qop=auth. Pure functions; the
// transport keeps the last challenge so later requests authenticate in one round trip.
import { createHash, randomBytes } from 'node:crypto';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  qop?: string;
  opaque?: string;
  algorithm: 'MD5' | 'SHA-256';
  stale: boolean;
}

/** Picks the strongest Digest challenge among WWW-Authenticate values; null when none is usable. */
export function parseDigestChallenges(headers: string[]): DigestChallenge | null {
  let best: DigestChallenge | null = null;
  for (const h of headers) {
    if (h.length > 4096 || !/^\s*Digest\s/i.test(h)) continue;
    const params = new Map<string, string>();
    const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
    let m: RegExpExecArray | null;
    let guard = 0;
    while ((m = re.exec(h.replace(/^\s*Digest\s+/i, ''))) !== null && guard++ < 32) {
      params.set(m[1]!.toLowerCase(), m[2] ?? m[3] ?? '');
    }
    const realm = params.get('realm');
    const nonce = params.get('nonce');
    if (realm === undefined || nonce === undefined) continue;
    const algo = (params.get('algorithm') ?? 'MD5').toUpperCase();
    if (algo !== 'MD5' && algo !== 'SHA-256') continue;
    const qop = params.get('qop');
    if (qop !== undefined && !qop.split(',').map((q) => q.trim()).includes('auth')) continue;
    const c: DigestChallenge = {
      realm,
      nonce,
      qop: qop === undefined ? undefined : 'auth',
      opaque: params.get('opaque'),
      algorithm: algo,
      stale: (params.get('stale') ?? '').toLowerCase() === 'true',
    };
    if (best === null || (best.algorithm === 'MD5' && c.algorithm === 'SHA-256')) best = c;
  }
  return best;
}

function h(algo: DigestChallenge['algorithm'], s: string): string {
  return createHash(algo === 'MD5' ? 'md5' : 'sha256').update(s, 'utf8').digest('hex');
}

export function digestAuthorization(
  c: DigestChallenge,
  creds: { username: string; password: string },
  method: string,
  uri: string,
  nc: number,
  cnonce = randomBytes(8).toString('hex'),
): string {
  const ha1 = h(c.algorithm, `${creds.username}:${c.realm}:${creds.password}`);
  const ha2 = h(c.algorithm, `${method}:${uri}`);
  const ncHex = nc.toString(16).padStart(8, '0');
  const response = c.qop ? h(c.algorithm, `${ha1}:${c.nonce}:${ncHex}:${cnonce}:auth:${ha2}`) : h(c.algorithm, `${ha1}:${c.nonce}:${ha2}`);
  const q = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;
  const parts = [`username=${q(creds.username)}`, `realm=${q(c.realm)}`, `nonce=${q(c.nonce)}`, `uri=${q(uri)}`, `algorithm=${c.algorithm}`, `response=${q(response)}`];
  if (c.qop) parts.push('qop=auth', `nc=${ncHex}`, `cnonce=${q(cnonce)}`);
  if (c.opaque !== undefined) parts.push(`opaque=${q(c.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}
