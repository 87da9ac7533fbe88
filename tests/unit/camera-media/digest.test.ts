import { describe, expect, it } from 'vitest';
import { challengeHeader, digestResponse, NonceBook, parseDigestAuthorization, verifyDigest } from '../../../simulators/camera/rtsp/digest.ts';

describe('RTSP digest', () => {
  it('computes the RFC 2617 example response (qop=auth)', () => {
    // RFC 2617 §3.5.
    expect(
      digestResponse({
        username: 'Mufasa',
        realm: 'testrealm@host.com',
        password: 'Circle Of Life',
        method: 'GET',
        uri: '/dir/index.html',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        qop: 'auth',
        nc: '00000001',
        cnonce: '0a4f113b',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('parses an Authorization header with quoted and bare values', () => {
    const creds = parseDigestAuthorization('Digest username="admin", realm="camsim x", nonce="abc", uri="rtsp://127.0.0.1:554/main", response="0123", algorithm=MD5');
    expect(creds).toEqual({ username: 'admin', realm: 'camsim x', nonce: 'abc', uri: 'rtsp://127.0.0.1:554/main', response: '0123', algorithm: 'MD5' });
    expect(parseDigestAuthorization('Basic YWRtaW46cHc=')).toBeNull();
    expect(parseDigestAuthorization('Digest username="a"')).toBeNull();
    expect(parseDigestAuthorization(undefined)).toBeNull();
  });

  it('accepts the right password and refuses a wrong one, another method or another user', () => {
    const base = { username: 'admin', realm: 'r', nonce: 'n1', uri: 'rtsp://h/main' };
    const response = digestResponse({ ...base, password: 'pw', method: 'DESCRIBE' });
    const creds = { ...base, response };
    expect(verifyDigest(creds, { username: 'admin', realm: 'r', password: 'pw', method: 'DESCRIBE' })).toBe(true);
    expect(verifyDigest({ ...creds, response: response.toUpperCase() }, { username: 'admin', realm: 'r', password: 'pw', method: 'DESCRIBE' })).toBe(true);
    expect(verifyDigest(creds, { username: 'admin', realm: 'r', password: 'pw2', method: 'DESCRIBE' })).toBe(false);
    expect(verifyDigest(creds, { username: 'admin', realm: 'r', password: 'pw', method: 'PLAY' })).toBe(false);
    expect(verifyDigest(creds, { username: 'root', realm: 'r', password: 'pw', method: 'DESCRIBE' })).toBe(false);
    expect(verifyDigest({ ...creds, response: 'short' }, { username: 'admin', realm: 'r', password: 'pw', method: 'DESCRIBE' })).toBe(false);
  });

  it('formats the challenge', () => {
    expect(challengeHeader('camsim gate', 'ff00')).toBe('Digest realm="camsim gate", nonce="ff00"');
    expect(challengeHeader('r', 'n', true)).toBe('Digest realm="r", nonce="n", stale=TRUE');
  });
});

describe('NonceBook', () => {
  it('knows nonces it issued until they expire', () => {
    const book = new NonceBook(1000, 10);
    book.add('a', 0);
    expect(book.check('a', 500)).toBe('ok');
    expect(book.check('b', 500)).toBe('unknown');
    expect(book.check('a', 1500)).toBe('stale');
    expect(book.check('a', 1500)).toBe('unknown');
  });

  it('stays bounded, forgetting the oldest nonce first', () => {
    const book = new NonceBook(1000, 3);
    for (const n of ['a', 'b', 'c', 'd']) book.add(n, 0);
    expect(book.size()).toBe(3);
    expect(book.check('a', 0)).toBe('unknown');
    expect(book.check('d', 0)).toBe('ok');
  });
});
