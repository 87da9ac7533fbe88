// RTSP 1.0 on a TCP byte stream: requests (and responses) interleaved with `$`-framed binary
// packets (RFC 2326 §10.12). Pure: no sockets, no timers; the connection feeds bytes in and gets
// whole items out. Every size is bounded so a hostile peer cannot make us buffer without end.
import { cameraMediaError } from './errors.ts';

export interface RtspRequest {
  method: string;
  uri: string;
  /** Header names lower-cased; a repeated header keeps its last value. */
  headers: Map<string, string>;
  body: Buffer;
}

export interface RtspResponseMessage {
  status: number;
  reason: string;
  headers: Map<string, string>;
  body: Buffer;
}

export type RtspItem =
  | { kind: 'request'; request: RtspRequest }
  | { kind: 'response'; response: RtspResponseMessage }
  | { kind: 'interleaved'; channel: number; payload: Buffer };

export interface RtspParserLimits {
  /** Request line plus headers. */
  maxHeaderBytes: number;
  maxBodyBytes: number;
}

export const DEFAULT_RTSP_LIMITS: RtspParserLimits = { maxHeaderBytes: 8192, maxBodyBytes: 65536 };

const HEADER_END = Buffer.from('\r\n\r\n');
const DOLLAR = 0x24;

/** Splits an RTSP byte stream into items. Throws a CodedError on oversize or garbage. */
export class RtspStreamParser {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly limits: RtspParserLimits = DEFAULT_RTSP_LIMITS) {}

  push(chunk: Buffer): RtspItem[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const items: RtspItem[] = [];
    // Each pass consumes one item or stops; the buffer shrinks every pass, so the loop is bounded.
    for (;;) {
      const item = this.next();
      if (!item) break;
      items.push(item);
    }
    return items;
  }

  /** Bytes held waiting for the rest of an item. */
  buffered(): number {
    return this.buf.length;
  }

  private next(): RtspItem | null {
    const buf = this.buf;
    if (buf.length === 0) return null;
    if (buf[0] === DOLLAR) {
      if (buf.length < 4) return null;
      const channel = buf.readUInt8(1);
      const len = buf.readUInt16BE(2);
      if (buf.length < 4 + len) return null;
      const payload = buf.subarray(4, 4 + len);
      this.buf = buf.subarray(4 + len);
      return { kind: 'interleaved', channel, payload };
    }
    const end = buf.indexOf(HEADER_END);
    if (end < 0) {
      if (buf.length > this.limits.maxHeaderBytes) throw cameraMediaError('RTSP_MESSAGE_TOO_LARGE', { bytes: buf.length });
      return null;
    }
    if (end + 4 > this.limits.maxHeaderBytes) throw cameraMediaError('RTSP_MESSAGE_TOO_LARGE', { bytes: end + 4 });
    const head = buf.subarray(0, end).toString('latin1');
    const lines = head.split('\r\n');
    const first = lines.shift() ?? '';
    const headers = parseHeaderLines(lines);
    const lengthText = headers.get('content-length') ?? '0';
    if (!/^\d{1,9}$/.test(lengthText)) throw cameraMediaError('RTSP_MALFORMED', { contentLength: lengthText });
    const bodyLength = Number(lengthText);
    if (bodyLength > this.limits.maxBodyBytes) throw cameraMediaError('RTSP_MESSAGE_TOO_LARGE', { bodyLength });
    if (buf.length < end + 4 + bodyLength) return null;
    const body = Buffer.from(buf.subarray(end + 4, end + 4 + bodyLength));
    this.buf = buf.subarray(end + 4 + bodyLength);

    const status = /^RTSP\/1\.0 (\d{3}) ?(.*)$/.exec(first);
    if (status) return { kind: 'response', response: { status: Number(status[1]), reason: status[2] ?? '', headers, body } };
    const request = /^([A-Z_]{1,32}) (\S{1,2048}) RTSP\/1\.0$/.exec(first);
    if (!request) throw cameraMediaError('RTSP_MALFORMED', { line: first.slice(0, 120) });
    return { kind: 'request', request: { method: request[1] ?? '', uri: request[2] ?? '', headers, body } };
  }
}

function parseHeaderLines(lines: string[]): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw cameraMediaError('RTSP_MALFORMED', { header: line.slice(0, 120) });
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

export const RTSP_REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  454: 'Session Not Found',
  455: 'Method Not Valid in This State',
  459: 'Aggregate Operation Not Allowed',
  461: 'Unsupported Transport',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  551: 'Option not supported',
};

/** One RTSP response; Content-Length is added whenever there is a body. */
export function formatResponse(status: number, headers: Array<[string, string]>, body: string | Buffer = ''): Buffer {
  const bodyBuf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  let head = `RTSP/1.0 ${status} ${RTSP_REASONS[status] ?? 'Unknown'}\r\n`;
  for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
  if (bodyBuf.length > 0) head += `Content-Length: ${bodyBuf.length}\r\n`;
  head += '\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), bodyBuf]);
}

/** `$` + channel + 16-bit length + payload (RFC 2326 §10.12). */
export function interleavedFrame(channel: number, payload: Buffer): Buffer {
  if (payload.length > 0xffff) throw cameraMediaError('RTSP_MESSAGE_TOO_LARGE', { bytes: payload.length });
  const head = Buffer.allocUnsafe(4);
  head.writeUInt8(DOLLAR, 0);
  head.writeUInt8(channel & 0xff, 1);
  head.writeUInt16BE(payload.length, 2);
  return Buffer.concat([head, payload]);
}

export interface TransportSpec {
  /** RTP/AVP (UDP), RTP/AVP/UDP or RTP/AVP/TCP. */
  profile: string;
  unicast: boolean;
  interleaved: [number, number] | null;
  mode: string | null;
}

/** The Transport header may offer several specs separated by commas, in order of preference. */
export function parseTransport(value: string): TransportSpec[] {
  return value
    .split(',')
    .map((spec) => spec.trim())
    .filter((spec) => spec.length > 0)
    .map((spec) => {
      const [profile = '', ...params] = spec.split(';').map((p) => p.trim());
      let interleaved: [number, number] | null = null;
      let mode: string | null = null;
      let unicast = false;
      for (const p of params) {
        const [key = '', val = ''] = p.split('=', 2);
        const k = key.toLowerCase();
        if (k === 'unicast') unicast = true;
        else if (k === 'mode') mode = val.replace(/"/g, '').toLowerCase();
        else if (k === 'interleaved') {
          const m = /^(\d{1,3})(?:-(\d{1,3}))?$/.exec(val);
          if (m) {
            const a = Number(m[1]);
            const b = m[2] === undefined ? a + 1 : Number(m[2]);
            if (a <= 255 && b <= 255) interleaved = [a, b];
          }
        }
      }
      return { profile: profile.toUpperCase(), unicast, interleaved, mode };
    });
}

export function isTcpTransport(spec: TransportSpec): boolean {
  return spec.profile === 'RTP/AVP/TCP';
}
