import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clockOffset, parseSystemDateAndTime } from '../../../gateway/cameras/soap/device.ts';
import { createdStamp, passwordDigest, securityHeader } from '../../../gateway/cameras/soap/envelope.ts';
import { digestAuthorization, parseDigestChallenges } from '../../../gateway/cameras/soap/http-digest.ts';
import { parseXml } from '../../../gateway/cameras/soap/xml.ts';

const sdt = (utc: string) =>
  `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><tds:GetSystemDateAndTimeResponse xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><tds:SystemDateAndTime><tt:DateTimeType xmlns:tt="x">NTP</tt:DateTimeType>${utc}</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse></s:Body></s:Envelope>`;
const utc = (y: number, mo: number, d: number, h: number, mi: number, s: number) =>
  `<tt:UTCDateTime xmlns:tt="x"><tt:Time><tt:Hour>${h}</tt:Hour><tt:Minute>${mi}</tt:Minute><tt:Second>${s}</tt:Second></tt:Time><tt:Date><tt:Year>${y}</tt:Year><tt:Month>${mo}</tt:Month><tt:Day>${d}</tt:Day></tt:Date></tt:UTCDateTime>`;

describe('camera clock', () => {
  it('reads UTCDateTime and measures the offset against the middle of the round trip', () => {
    const cam = parseSystemDateAndTime(parseXml(sdt(utc(2026, 3, 1, 12, 1, 30))));
    expect(cam).toBe(Date.UTC(2026, 2, 1, 12, 1, 30));
    const ours = Date.UTC(2026, 2, 1, 12, 0, 0);
    // Camera 90 s ahead; whole-second answer read as the middle of its second.
    expect(clockOffset(cam!, ours, ours + 200)).toBe(90_000 + 500 - 100);
  });

  it('rejects a missing or impossible UTCDateTime instead of guessing', () => {
    expect(parseSystemDateAndTime(parseXml(sdt('')))).toBeNull();
    expect(parseSystemDateAndTime(parseXml(sdt(utc(2026, 13, 1, 0, 0, 0))))).toBeNull();
    expect(parseSystemDateAndTime(parseXml(sdt(utc(2026, 1, 1, 25, 0, 0))))).toBeNull();
  });
});

describe('WS-UsernameToken', () => {
  it('digests nonce + created + password with SHA-1 and stamps Created with the camera time', () => {
    const nonce = Buffer.from('0123456789abcdef');
    const created = '2026-01-01T08:01:30Z';
    expect(passwordDigest(nonce, created, 'pw')).toBe(createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created), Buffer.from('pw')])).digest('base64'));
    expect(createdStamp(Date.UTC(2026, 0, 1, 8, 1, 30, 456))).toBe(created);
    const h = securityHeader({ username: 'a<b', password: 'pw', createdMs: Date.UTC(2026, 0, 1, 8, 1, 30), nonce });
    expect(h).toContain(`<wsu:Created>${created}</wsu:Created>`);
    expect(h).toContain('<wsse:Username>a&lt;b</wsse:Username>');
  });
});

describe('HTTP Digest', () => {
  it('answers the RFC 7616 MD5 example', () => {
    // RFC 7616 section 3.9.1 (MD5).
    const c = parseDigestChallenges(['Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"'])!;
    const h = digestAuthorization(c, { username: 'Mufasa', password: 'Circle of Life' }, 'GET', '/dir/index.html', 1, 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ');
    expect(h).toContain('response="8ca523f5e9506fed4657c9700eebdbec"');
    expect(h).toContain('nc=00000001');
  });

  it('prefers SHA-256 over MD5 and ignores what it cannot answer', () => {
    const c = parseDigestChallenges(['Basic realm="x"', 'Digest realm="r", nonce="n1", qop="auth"', 'Digest realm="r", nonce="n2", qop="auth", algorithm=SHA-256', 'Digest realm="r", nonce="n3", algorithm=SHA-512-256']);
    expect(c?.nonce).toBe('n2');
    expect(parseDigestChallenges(['Digest nonce="no-realm"'])).toBeNull();
    expect(parseDigestChallenges(['Digest realm="r", nonce="n", qop="auth-int"'])).toBeNull();
  });
});
