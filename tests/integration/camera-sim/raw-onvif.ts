// A minimal hand-written ONVIF client for the camera simulator tests: SOAP over fetch with WS-Security or HTTP Digest.
import { randomBytes } from 'node:crypto';
import { digestResponse, parseDigestHeader } from '../../../simulators/camera/http-digest.ts';
import { NS, parseSoap, type SoapRequest } from '../../../simulators/camera/soap-envelope.ts';
import { usernameTokenHeader } from '../../../simulators/camera/ws-security.ts';

export interface Creds { username: string; password: string }
export interface WsseOptions { createdMs?: number; nonce?: Buffer }
export interface SoapReply { status: number; text: string; soap: SoapRequest | undefined; headers: Headers }

const ENV_NS = Object.entries(NS)
  .map(([p, u]) => `xmlns:${p}="${u}"`)
  .join(' ');

export function envelope(body: string, header = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ${ENV_NS}><s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
}

async function post(url: string, xml: string, headers: Record<string, string> = {}): Promise<SoapReply> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/soap+xml; charset=utf-8', ...headers }, body: xml, signal: AbortSignal.timeout(20_000) });
  const text = await res.text();
  let soap: SoapRequest | undefined;
  try {
    soap = parseSoap(text);
  } catch {
    soap = undefined;
  }
  return { status: res.status, text, soap, headers: res.headers };
}

export function wsseHeader(creds: Creds, opts: WsseOptions = {}): string {
  return usernameTokenHeader(creds.username, creds.password, opts.createdMs ?? Date.now(), opts.nonce ?? randomBytes(16));
}

export function callWsse(url: string, body: string, creds: Creds, opts: WsseOptions = {}): Promise<SoapReply> {
  return post(url, envelope(body, wsseHeader(creds, opts)));
}

export function callNoAuth(url: string, body: string): Promise<SoapReply> {
  return post(url, envelope(body));
}

let nc = 0;
export function digestAuthorization(challenge: string, creds: Creds, method: string, uri: string): string {
  const c = parseDigestHeader(challenge);
  if (!c || !c.nonce || !c.realm) throw new Error(`bad challenge ${challenge}`);
  nc += 1;
  const ncHex = nc.toString(16).padStart(8, '0');
  const cnonce = randomBytes(8).toString('hex');
  const response = digestResponse({ ...creds, realm: c.realm, method, uri, nonce: c.nonce, nc: ncHex, cnonce, qop: 'auth' });
  return `Digest username="${creds.username}", realm="${c.realm}", nonce="${c.nonce}", uri="${uri}", algorithm=MD5, qop=auth, nc=${ncHex}, cnonce="${cnonce}", response="${response}"`;
}

/** Digest only, no WS-Security: the first attempt draws the 401 challenge. */
export async function callDigest(url: string, body: string, creds: Creds): Promise<SoapReply & { challenged: boolean }> {
  const xml = envelope(body);
  const first = await post(url, xml);
  const challenge = first.headers.get('www-authenticate');
  if (first.status !== 401 || !challenge) return { ...first, challenged: false };
  const uri = new URL(url).pathname;
  return { ...(await post(url, xml, { Authorization: digestAuthorization(challenge, creds, 'POST', uri) })), challenged: true };
}

/** The first element of a reply's Body (its local name), e.g. 'GetStatusResponse' or 'Fault'. */
export function replyAction(r: SoapReply): string {
  return r.soap?.action ?? '';
}
