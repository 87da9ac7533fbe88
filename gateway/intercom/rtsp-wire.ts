// What an RTSP client reads and writes on the wire (RFC 2326): requests out; responses and
// `$`-framed interleaved packets in (§10.12). Pure: the socket owner feeds bytes and gets items.
// Every size is bounded, so a misbehaving camera cannot make us buffer without end.
import { intercomError } from './errors.ts';

export interface RtspResponse {
  status: number;
  reason: string;
  /** Names lower-cased; repeated headers are joined by "\n" (WWW-Authenticate may repeat). */
  headers: Map<string, string>;
  body: Buffer;
}

export type RtspInbound = { kind: 'response'; response: RtspResponse } | { kind: 'interleaved'; channel: number; payload: Buffer };

const MAX_HEAD = 16 * 1024;
const MAX_BODY = 64 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');

export class RtspResponseReader {
  private buf: Buffer = Buffer.alloc(0);

  /** Throws INTERCOM_PROTOCOL on garbage or oversize; the connection is then unusable. */
  push(chunk: Buffer): RtspInbound[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: RtspInbound[] = [];
    // Each pass consumes one item or stops, so the loop ends.
    for (let item = this.next(); item; item = this.next()) out.push(item);
    return out;
  }

  private next(): RtspInbound | null {
    const buf = this.buf;
    if (buf.length === 0) return null;
    if (buf[0] === 0x24) {
      if (buf.length < 4) return null;
      const len = buf.readUInt16BE(2);
      if (buf.length < 4 + len) return null;
      this.buf = buf.subarray(4 + len);
      return { kind: 'interleaved', channel: buf.readUInt8(1), payload: buf.subarray(4, 4 + len) };
    }
    const end = buf.indexOf(HEAD_END);
    if (end < 0) {
      if (buf.length > MAX_HEAD) throw intercomError('INTERCOM_PROTOCOL', 'response head too large');
      return null;
    }
    if (end > MAX_HEAD) throw intercomError('INTERCOM_PROTOCOL', 'response head too large');
    const [first = '', ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n');
    const m = /^RTSP\/1\.0 (\d{3})(?: (.*))?$/.exec(first);
    if (!m) throw intercomError('INTERCOM_PROTOCOL', `not an RTSP response: ${first.slice(0, 80)}`);
    const headers = new Map<string, string>();
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw intercomError('INTERCOM_PROTOCOL', 'bad header line');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      const prev = headers.get(name);
      headers.set(name, prev === undefined ? value : `${prev}\n${value}`);
    }
    const lengthText = headers.get('content-length') ?? '0';
    if (!/^\d{1,9}$/.test(lengthText) || Number(lengthText) > MAX_BODY) throw intercomError('INTERCOM_PROTOCOL', `bad Content-Length ${lengthText.slice(0, 20)}`);
    const total = end + 4 + Number(lengthText);
    if (buf.length < total) return null;
    this.buf = buf.subarray(total);
    return { kind: 'response', response: { status: Number(m[1]), reason: m[2] ?? '', headers, body: Buffer.from(buf.subarray(end + 4, total)) } };
  }
}

/** One request; header values must not carry CR/LF (we build them, never the camera). */
export function formatRequest(method: string, uri: string, headers: Array<[string, string]>): Buffer {
  let text = `${method} ${uri} RTSP/1.0\r\n`;
  for (const [name, value] of headers) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw intercomError('INTERCOM_PROTOCOL', `header ${name} has a line break`);
    text += `${name}: ${value}\r\n`;
  }
  return Buffer.from(`${text}\r\n`, 'utf8');
}

export function interleavedFrame(channel: number, payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(4 + payload.length);
  frame.writeUInt8(0x24, 0);
  frame.writeUInt8(channel & 0xff, 1);
  frame.writeUInt16BE(payload.length, 2);
  payload.copy(frame, 4);
  return frame;
}

/** `Session: <id>[;timeout=<s>]`; timeout defaults to 60 s (RFC 2326 §12.37). */
export function parseSession(value: string | undefined): { id: string; timeoutS: number } | null {
  if (!value) return null;
  const [id = '', ...params] = value.split(';').map((s) => s.trim());
  if (!/^[A-Za-z0-9$\-_.+]{1,128}$/.test(id)) return null;
  const t = params.map((p) => /^timeout=(\d{1,6})$/i.exec(p)).find((m) => m);
  const timeoutS = t ? Number(t[1]) : 60;
  return { id, timeoutS: timeoutS > 0 ? timeoutS : 60 };
}

/** The interleaved channels a SETUP answer's Transport header gives, or null. */
export function parseInterleaved(transport: string | undefined): [number, number] | null {
  const m = /(?:^|;)\s*interleaved=(\d{1,3})(?:-(\d{1,3}))?/i.exec(transport ?? '');
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a + 1 : Number(m[2]);
  return a <= 255 && b <= 255 ? [a, b] : null;
}
