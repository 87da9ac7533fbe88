// WS-Security UsernameToken check as cameras do it: PasswordDigest = Base64(SHA1(nonce + created + password)),
// Created within ±5 s of the camera's own clock, each nonce used once. Pure: the clock comes in as a value.
import { createHash, timingSafeEqual } from 'node:crypto';
import { child, text, textAt, attr, type XmlNode } from './soap-envelope.ts';

export const CREATED_WINDOW_MS = 5_000;

export interface UsernameToken { username: string; password: string; passwordType: string; nonce: string; created: string }

export type TokenVerdict = { ok: true } | { ok: false; reason: 'no-token' | 'bad-user' | 'bad-digest' | 'stale-created' | 'replayed-nonce' | 'malformed' };

/** Nonces seen recently; bounded in count, and entries older than the Created window can be forgotten. */
export class NonceCache {
  private readonly seen = new Map<string, number>();
  constructor(private readonly capacity = 4096) {}
  /** true if the nonce is new (and now remembered). */
  remember(nonce: string, nowMs: number): boolean {
    if (this.seen.has(nonce)) return false;
    for (const [n, at] of this.seen) {
      if (this.seen.size < this.capacity && nowMs - at <= 4 * CREATED_WINDOW_MS) break;
      this.seen.delete(n);
    }
    this.seen.set(nonce, nowMs);
    return true;
  }
  get size(): number {
    return this.seen.size;
  }
}

export function extractUsernameToken(header: XmlNode | undefined): UsernameToken | undefined {
  const token = child(child(header, 'Security'), 'UsernameToken');
  if (!token) return undefined;
  const pw = child(token, 'Password');
  return {
    username: textAt(token, 'Username') ?? '',
    password: text(pw) ?? '',
    passwordType: attr(pw, 'Type') ?? '',
    nonce: textAt(token, 'Nonce') ?? '',
    created: textAt(token, 'Created') ?? '',
  };
}

export function passwordDigest(nonceB64: string, created: string, password: string): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(nonceB64, 'base64'), Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')]))
    .digest('base64');
}

function sameString(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export function verifyUsernameToken(
  token: UsernameToken | undefined,
  creds: { username: string; password: string },
  cameraNowMs: number,
  nonces: NonceCache,
): TokenVerdict {
  if (!token) return { ok: false, reason: 'no-token' };
  if (!sameString(token.username, creds.username)) return { ok: false, reason: 'bad-user' };
  if (token.passwordType.endsWith('#PasswordText')) {
    // Plain-text tokens are legal WS-Security; cameras accept them, so do we (no nonce needed).
    return sameString(token.password, creds.password) ? { ok: true } : { ok: false, reason: 'bad-digest' };
  }
  if (!token.nonce || !token.created) return { ok: false, reason: 'malformed' };
  const createdMs = Date.parse(token.created);
  if (!Number.isFinite(createdMs)) return { ok: false, reason: 'malformed' };
  if (Math.abs(createdMs - cameraNowMs) > CREATED_WINDOW_MS) return { ok: false, reason: 'stale-created' };
  if (!sameString(passwordDigest(token.nonce, token.created, creds.password), token.password)) return { ok: false, reason: 'bad-digest' };
  if (!nonces.remember(token.nonce, cameraNowMs)) return { ok: false, reason: 'replayed-nonce' };
  return { ok: true };
}

/** The header a client sends; used by tests and by anyone who wants to talk to the simulator by hand. */
export function usernameTokenHeader(username: string, password: string, createdMs: number, nonce: Buffer): string {
  const created = new Date(createdMs).toISOString();
  const nonceB64 = nonce.toString('base64');
  return (
    `<wsse:Security env:mustUnderstand="1"><wsse:UsernameToken><wsse:Username>${username}</wsse:Username>` +
    `<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${passwordDigest(nonceB64, created, password)}</wsse:Password>` +
    `<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${nonceB64}</wsse:Nonce>` +
    `<wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security>`
  );
}
