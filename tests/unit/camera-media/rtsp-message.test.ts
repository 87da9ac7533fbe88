import { describe, expect, it } from 'vitest';
import { formatResponse, interleavedFrame, parseTransport, RtspStreamParser } from '../../../simulators/camera/rtsp/rtsp-message.ts';

const req = (s: string): Buffer => Buffer.from(s.replace(/\n/g, '\r\n'), 'latin1');

describe('RtspStreamParser', () => {
  it('parses a request with lower-cased headers and a body', () => {
    const p = new RtspStreamParser();
    const items = p.push(req('ANNOUNCE rtsp://127.0.0.1/x RTSP/1.0\nCSeq: 2\nContent-Type: application/sdp\nContent-Length: 4\n\nv=0\n'));
    expect(items).toHaveLength(1);
    const item = items[0];
    expect(item?.kind).toBe('request');
    if (item?.kind !== 'request') return;
    expect(item.request.method).toBe('ANNOUNCE');
    expect(item.request.uri).toBe('rtsp://127.0.0.1/x');
    expect(item.request.headers.get('cseq')).toBe('2');
    expect(item.request.body.toString()).toBe('v=0\r');
  });

  it('reassembles requests split across chunks, byte by byte', () => {
    const p = new RtspStreamParser();
    const bytes = req('OPTIONS rtsp://h/ RTSP/1.0\nCSeq: 1\n\nGET_PARAMETER rtsp://h/ RTSP/1.0\nCSeq: 2\n\n');
    const items = [...bytes].flatMap((b) => p.push(Buffer.from([b])));
    expect(items.map((i) => (i.kind === 'request' ? i.request.method : i.kind))).toEqual(['OPTIONS', 'GET_PARAMETER']);
    expect(p.buffered()).toBe(0);
  });

  it('separates $-framed packets from requests on the same stream', () => {
    const p = new RtspStreamParser();
    const stream = Buffer.concat([interleavedFrame(1, Buffer.from([1, 2, 3])), req('OPTIONS * RTSP/1.0\nCSeq: 9\n\n'), interleavedFrame(0, Buffer.alloc(0))]);
    const items = p.push(stream);
    expect(items.map((i) => i.kind)).toEqual(['interleaved', 'request', 'interleaved']);
    expect(items[0]).toEqual({ kind: 'interleaved', channel: 1, payload: Buffer.from([1, 2, 3]) });
  });

  it('waits for the whole interleaved payload', () => {
    const p = new RtspStreamParser();
    const frame = interleavedFrame(0, Buffer.alloc(1000, 7));
    expect(p.push(frame.subarray(0, 500))).toEqual([]);
    expect(p.push(frame.subarray(500))).toHaveLength(1);
  });

  it('parses responses', () => {
    const items = new RtspStreamParser().push(req('RTSP/1.0 401 Unauthorized\nCSeq: 3\nWWW-Authenticate: Digest realm="r", nonce="n"\n\n'));
    expect(items[0]).toMatchObject({ kind: 'response', response: { status: 401, reason: 'Unauthorized' } });
  });

  it('refuses headers beyond the limit without waiting for their end', () => {
    const p = new RtspStreamParser({ maxHeaderBytes: 100, maxBodyBytes: 100 });
    expect(() => p.push(Buffer.from('OPTIONS * RTSP/1.0\r\nX: ' + 'a'.repeat(200)))).toThrow(expect.objectContaining({ code: 'RTSP_MESSAGE_TOO_LARGE' }));
  });

  it('refuses a body beyond the limit and a malformed Content-Length', () => {
    const p = new RtspStreamParser({ maxHeaderBytes: 1000, maxBodyBytes: 10 });
    expect(() => p.push(req('ANNOUNCE * RTSP/1.0\nContent-Length: 11\n\n'))).toThrow(expect.objectContaining({ code: 'RTSP_MESSAGE_TOO_LARGE' }));
    expect(() => new RtspStreamParser().push(req('ANNOUNCE * RTSP/1.0\nContent-Length: -1\n\n'))).toThrow(expect.objectContaining({ code: 'RTSP_MALFORMED' }));
  });

  it('refuses garbage request lines and header lines', () => {
    expect(() => new RtspStreamParser().push(req('hello there\n\n'))).toThrow(expect.objectContaining({ code: 'RTSP_MALFORMED' }));
    expect(() => new RtspStreamParser().push(req('OPTIONS * RTSP/1.0\nno colon\n\n'))).toThrow(expect.objectContaining({ code: 'RTSP_MALFORMED' }));
  });
});

describe('formatResponse', () => {
  it('writes the status line, headers and Content-Length for a body', () => {
    const text = formatResponse(200, [['CSeq', '4']], 'abc').toString();
    expect(text).toBe('RTSP/1.0 200 OK\r\nCSeq: 4\r\nContent-Length: 3\r\n\r\nabc');
    expect(formatResponse(461, [['CSeq', '1']]).toString()).toBe('RTSP/1.0 461 Unsupported Transport\r\nCSeq: 1\r\n\r\n');
    expect(formatResponse(551, []).toString()).toContain('551 Option not supported');
  });
});

describe('interleavedFrame', () => {
  it('frames $, channel, 16-bit big-endian length, payload', () => {
    expect(interleavedFrame(3, Buffer.from([0xaa, 0xbb]))).toEqual(Buffer.from([0x24, 3, 0, 2, 0xaa, 0xbb]));
    expect(() => interleavedFrame(0, Buffer.alloc(70000))).toThrow();
  });
});

describe('parseTransport', () => {
  it('reads TCP interleaved channels and UDP offers in order', () => {
    const specs = parseTransport('RTP/AVP;unicast;client_port=5000-5001, RTP/AVP/TCP;unicast;interleaved=2-3;mode="PLAY"');
    expect(specs).toEqual([
      { profile: 'RTP/AVP', unicast: true, interleaved: null, mode: null },
      { profile: 'RTP/AVP/TCP', unicast: true, interleaved: [2, 3], mode: 'play' },
    ]);
    expect(parseTransport('RTP/AVP/TCP;interleaved=4')[0]?.interleaved).toEqual([4, 5]);
    expect(parseTransport('RTP/AVP/TCP;interleaved=999-1000')[0]?.interleaved).toBeNull();
  });
});
