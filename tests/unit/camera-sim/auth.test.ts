import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DigestAuthority, digestResponse, parseDigestHeader } from '../../../simulators/camera/http-digest.ts';
import { parseSoap } from '../../../simulators/camera/soap-envelope.ts';
import { NonceCache, extractUsernameToken, usernameTokenHeader, verifyUsernameToken } from '../../../simulators/camera/ws-security.ts';

const creds = { username: 'admin', password: 's3cret' };
const NOW = Date.parse('2025-03-01T08:00:00Z');

function token(createdMs: number, nonce = randomBytes(16), password = creds.password) {
  const xml = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><s:Header>${usernameTokenHeader(creds.username, password, createdMs, nonce)}</s:Header><s:Body><x:Y xmlns:x="urn:x"/></s:Body></s:Envelope>`;
  return extractUsernameToken(parseSoap(xml).header);
}

describe('WS-Security UsernameToken', () => {
  it('accepts a correct digest once and refuses the replayed nonce', () => {
    const nonces = new NonceCache();
    const nonce = randomBytes(16);
    expect(verifyUsernameToken(token(NOW, nonce), creds, NOW, nonces)).toEqual({ ok: true });
    expect(verifyUsernameToken(token(NOW, nonce), creds, NOW + 100, nonces)).toEqual({ ok: false, reason: 'replayed-nonce' });
  });
  it('refuses a wrong password and a Created outside ±5 s of the camera clock', () => {
    const nonces = new NonceCache();
    expect(verifyUsernameToken(token(NOW, undefined, 'wrong'), creds, NOW, nonces)).toMatchObject({ ok: false, reason: 'bad-digest' });
    expect(verifyUsernameToken(token(NOW - 6000), creds, NOW, nonces)).toMatchObject({ ok: false, reason: 'stale-created' });
    expect(verifyUsernameToken(token(NOW + 6000), creds, NOW, nonces)).toMatchObject({ ok: false, reason: 'stale-created' });
    expect(verifyUsernameToken(token(NOW + 4000), creds, NOW, nonces)).toEqual({ ok: true });
  });
  it('keeps the nonce memory bounded', () => {
    const nonces = new NonceCache(100);
    for (let i = 0; i < 1000; i++) nonces.remember(`n${i}`, NOW + i);
    expect(nonces.size).toBeLessThanOrEqual(100);
  });
});

describe('HTTP Digest authority', () => {
  const auth = new DigestAuthority('cam', creds);
  const answer = (challenge: string, nc: string, password = creds.password, uri = '/onvif/device_service') => {
    const c = parseDigestHeader(challenge)!;
    const r = digestResponse({ username: creds.username, realm: c.realm!, password, method: 'POST', uri, nonce: c.nonce!, nc, cnonce: 'abc', qop: 'auth' });
    return `Digest username="admin", realm="${c.realm}", nonce="${c.nonce}", uri="${uri}", qop=auth, nc=${nc}, cnonce="abc", response="${r}"`;
  };
  it('accepts a valid response and refuses a replayed nonce count', () => {
    const ch = auth.challenge(NOW);
    expect(ch.startsWith('Digest realm="cam"')).toBe(true);
    const h = answer(ch, '00000001');
    expect(auth.verify(h, 'POST', '/onvif/device_service', NOW)).toEqual({ ok: true });
    expect(auth.verify(h, 'POST', '/onvif/device_service', NOW)).toMatchObject({ ok: false, reason: 'nc replay' });
    expect(auth.verify(answer(ch, '00000002'), 'POST', '/onvif/device_service', NOW)).toEqual({ ok: true });
  });
  it('refuses a wrong password, an unknown nonce (stale) and a different uri', () => {
    const ch = auth.challenge(NOW);
    expect(auth.verify(answer(ch, '00000001', 'nope'), 'POST', '/onvif/device_service', NOW).ok).toBe(false);
    expect(auth.verify(answer(ch, '00000002'), 'POST', '/onvif/media_service', NOW).ok).toBe(false);
    expect(auth.verify(answer(ch, '00000003'), 'POST', '/onvif/device_service', NOW + 10 * 60_000)).toMatchObject({ ok: false, stale: true });
  });
});
