import { describe, expect, it } from 'vitest';
import { formatRequest, interleavedFrame, parseInterleaved, parseSession, RtspResponseReader } from '../../../gateway/intercom/rtsp-wire.ts';

describe('RTSP responses as the talk-back client reads them', () => {
  it('parses a response split anywhere, with its body, and interleaved frames around it', () => {
    const body = 'v=0\r\n';
    const wire = Buffer.concat([
      interleavedFrame(1, Buffer.from([1, 2, 3])),
      Buffer.from(`RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Base: rtsp://h/s/\r\nContent-Length: ${body.length}\r\n\r\n${body}`),
      interleavedFrame(7, Buffer.alloc(0)),
    ]);
    for (let cut = 1; cut < wire.length; cut += 3) {
      const r = new RtspResponseReader();
      const items = [...r.push(wire.subarray(0, cut)), ...r.push(wire.subarray(cut))];
      expect(items.map((i) => i.kind)).toEqual(['interleaved', 'response', 'interleaved']);
      const res = items[1];
      if (res?.kind !== 'response') throw new Error('no response');
      expect(res.response.status).toBe(200);
      expect(res.response.headers.get('content-base')).toBe('rtsp://h/s/');
      expect(res.response.body.toString()).toBe(body);
    }
  });

  it('keeps every WWW-Authenticate of a 401 (cameras offer Digest and Basic)', () => {
    const [item] = new RtspResponseReader().push(Buffer.from('RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nWWW-Authenticate: Basic realm="x"\r\nWWW-Authenticate: Digest realm="x", nonce="n"\r\n\r\n'));
    if (item?.kind !== 'response') throw new Error('no response');
    expect(item.response.headers.get('www-authenticate')?.split('\n')).toEqual(['Basic realm="x"', 'Digest realm="x", nonce="n"']);
  });

  it('refuses garbage, endless heads and huge bodies', () => {
    expect(() => new RtspResponseReader().push(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'))).toThrow(/RTSP/);
    expect(() => new RtspResponseReader().push(Buffer.alloc(20000, 0x41))).toThrow(/too large/);
    expect(() => new RtspResponseReader().push(Buffer.from('RTSP/1.0 200 OK\r\nContent-Length: 999999\r\n\r\n'))).toThrow(/Content-Length/);
  });

  it('reads Session with and without timeout, and the interleaved channels of a Transport', () => {
    expect(parseSession('12345678;timeout=30')).toEqual({ id: '12345678', timeoutS: 30 });
    expect(parseSession('abc')).toEqual({ id: 'abc', timeoutS: 60 });
    expect(parseSession(undefined)).toBeNull();
    expect(parseSession('bad id;timeout=5')).toBeNull();
    expect(parseInterleaved('RTP/AVP/TCP;unicast;interleaved=4-5;ssrc=1234')).toEqual([4, 5]);
    expect(parseInterleaved('RTP/AVP/TCP;interleaved=6')).toEqual([6, 7]);
    expect(parseInterleaved('RTP/AVP;unicast;client_port=5000-5001')).toBeNull();
  });

  it('formats requests and will not put a line break into a header', () => {
    expect(formatRequest('OPTIONS', 'rtsp://h/s', [['CSeq', '1']]).toString()).toBe('OPTIONS rtsp://h/s RTSP/1.0\r\nCSeq: 1\r\n\r\n');
    expect(() => formatRequest('PLAY', 'rtsp://h/s', [['Session', 'a\r\nEvil: 1']])).toThrow();
  });
});
