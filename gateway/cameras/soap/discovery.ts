// WS-Discovery (2005/04, the version ONVIF uses) Probe and the ProbeMatch/Hello answers. Pure.
import { at, child, children, escapeXml, parseXml, text, type XmlNode } from './xml.ts';

export const WSD_PORT = 3702;
export const WSD_MULTICAST = '239.255.255.250';
/** A ProbeMatch for one device is well under this; bigger datagrams are not for us. */
export const MAX_DATAGRAM_BYTES = 8192;

const WSA = 'http://schemas.xmlsoap.org/ws/2004/08/addressing';
const WSD = 'http://schemas.xmlsoap.org/ws/2005/04/discovery';

export function probeXml(messageId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="${WSA}" xmlns:d="${WSD}" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">` +
    `<s:Header><a:Action s:mustUnderstand="1">${WSD}/Probe</a:Action><a:MessageID>${escapeXml(messageId)}</a:MessageID>` +
    `<a:ReplyTo><a:Address>${WSA}/role/anonymous</a:Address></a:ReplyTo><a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header>` +
    `<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>`
  );
}

export interface DiscoveredDevice {
  /** Endpoint reference address, usually urn:uuid:...: the device's identity across IP changes. */
  endpoint: string;
  xaddrs: string[];
  scopes: string[];
  types: string[];
  /** From onvif://www.onvif.org/name/... and .../hardware/... scopes, when present. */
  name?: string;
  hardware?: string;
}

const words = (s: string | undefined, max: number): string[] => (s ?? '').split(/\s+/).filter((w) => w.length > 0 && w.length <= 512).slice(0, max);

function scopeValue(scopes: string[], kind: string): string | undefined {
  const prefix = `onvif://www.onvif.org/${kind}/`;
  const s = scopes.find((x) => x.startsWith(prefix));
  if (!s) return undefined;
  try {
    return decodeURIComponent(s.slice(prefix.length)).slice(0, 128);
  } catch {
    return s.slice(prefix.length, prefix.length + 128);
  }
}

function device(node: XmlNode): DiscoveredDevice | null {
  const endpoint = text(at(node, 'EndpointReference', 'Address'));
  const xaddrs = words(text(child(node, 'XAddrs')), 8).filter((x) => /^https?:\/\//i.test(x));
  if (!endpoint || endpoint.length > 256 || xaddrs.length === 0) return null;
  const scopes = words(text(child(node, 'Scopes')), 32);
  return { endpoint, xaddrs, scopes, types: words(text(child(node, 'Types')), 8), name: scopeValue(scopes, 'name'), hardware: scopeValue(scopes, 'hardware') };
}

export interface DiscoveryMessage {
  kind: 'probe-matches' | 'hello';
  relatesTo?: string;
  devices: DiscoveredDevice[];
}

/** A ProbeMatches or Hello datagram, or null for anything else (oversized, hostile, unrelated). */
export function parseDiscoveryDatagram(datagram: Buffer): DiscoveryMessage | null {
  if (datagram.length > MAX_DATAGRAM_BYTES) return null;
  let doc: XmlNode;
  try {
    doc = parseXml(datagram.toString('utf8'), MAX_DATAGRAM_BYTES);
  } catch {
    return null;
  }
  const header = at(doc, 'Envelope', 'Header');
  const body = at(doc, 'Envelope', 'Body');
  const matches = child(body, 'ProbeMatches');
  if (matches !== undefined) {
    const devices = children(matches, 'ProbeMatch').slice(0, 16).map(device).filter((d): d is DiscoveredDevice => d !== null);
    return { kind: 'probe-matches', relatesTo: text(child(header, 'RelatesTo')), devices };
  }
  const hello = child(body, 'Hello');
  if (hello !== undefined) {
    const d = device(hello);
    return { kind: 'hello', devices: d ? [d] : [] };
  }
  return null;
}
