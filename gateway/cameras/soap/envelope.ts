// SOAP 1.2 envelopes with the optional WS-Security UsernameToken header. Pure: the caller passes
// the time (already corrected for the camera's clock) and the nonce.
import { createHash } from 'node:crypto';
import { escapeXml } from './xml.ts';

export const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  wsa: 'http://www.w3.org/2005/08/addressing',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  device: 'http://www.onvif.org/ver10/device/wsdl',
  media: 'http://www.onvif.org/ver10/media/wsdl',
  ptz: 'http://www.onvif.org/ver20/ptz/wsdl',
  events: 'http://www.onvif.org/ver10/events/wsdl',
  deviceIO: 'http://www.onvif.org/ver10/deviceIO/wsdl',
  wsnt: 'http://docs.oasis-open.org/wsn/b-2',
  tt: 'http://www.onvif.org/ver10/schema',
} as const;

export interface UsernameToken {
  username: string;
  password: string;
  /** Camera time in ms since the epoch (gateway clock + measured offset). */
  createdMs: number;
  nonce: Buffer;
}

/** WS-UsernameToken digest: Base64(SHA1(nonce + created + password)). */
export function passwordDigest(nonce: Buffer, created: string, password: string): string {
  return createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')])).digest('base64');
}

/** xs:dateTime without milliseconds: some cameras refuse fractional seconds in Created. */
export function createdStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function securityHeader(t: UsernameToken): string {
  const created = createdStamp(t.createdMs);
  return (
    `<wsse:Security s:mustUnderstand="1" xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}"><wsse:UsernameToken>` +
    `<wsse:Username>${escapeXml(t.username)}</wsse:Username>` +
    `<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${passwordDigest(t.nonce, created, t.password)}</wsse:Password>` +
    `<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${t.nonce.toString('base64')}</wsse:Nonce>` +
    `<wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security>`
  );
}

/** headerXml: extra header blocks (WS-Addressing To/Action for subscription managers). */
export function envelope(bodyXml: string, headerXml = ''): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${NS.soap}" xmlns:a="${NS.wsa}" xmlns:tt="${NS.tt}">` +
    `<s:Header>${headerXml}</s:Header><s:Body>${bodyXml}</s:Body></s:Envelope>`
  );
}

/** WS-Addressing header for a request to an endpoint reference (pull point, subscription manager). */
export function addressingHeader(to: string, action: string, messageId: string): string {
  return `<a:Action s:mustUnderstand="1">${escapeXml(action)}</a:Action><a:MessageID>${escapeXml(messageId)}</a:MessageID><a:To s:mustUnderstand="1">${escapeXml(to)}</a:To>`;
}
