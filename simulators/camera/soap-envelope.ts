// SOAP 1.2 envelope parsing (safe, prefix-agnostic) and building. Pure: no sockets, no clocks.
import { XMLParser } from 'fast-xml-parser';
import { SoapFault } from './soap-fault.ts';

/** A parsed XML element: children by qualified name, attributes under '@_name', text under '#text'. */
export type XmlNode = Record<string, unknown>;

export const NS = {
  env: 'http://www.w3.org/2003/05/soap-envelope',
  tt: 'http://www.onvif.org/ver10/schema',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tptz: 'http://www.onvif.org/ver20/ptz/wsdl',
  tev: 'http://www.onvif.org/ver10/events/wsdl',
  tmd: 'http://www.onvif.org/ver10/deviceIO/wsdl',
  ter: 'http://www.onvif.org/ver10/error',
  wsnt: 'http://docs.oasis-open.org/wsn/b-2',
  wstop: 'http://docs.oasis-open.org/wsn/t-1',
  wsa: 'http://www.w3.org/2005/08/addressing',
  tns1: 'http://www.onvif.org/ver10/topics',
  'wsrf-rw': 'http://docs.oasis-open.org/wsrf/rw-2',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
} as const;

export const MAX_SOAP_BYTES = 64 * 1024;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: false,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  maxNestedTags: 64,
});

export function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

function prefixOf(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? '' : qname.slice(0, i);
}

function isNode(v: unknown): v is XmlNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse hostile XML: refuse DTDs and entity declarations outright, never expand entities. */
export function parseXml(xml: string): XmlNode {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new SoapFault('BAD_XML', 'DTDs are not accepted');
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (err) {
    throw new SoapFault('BAD_XML', (err as Error).message);
  }
  if (!isNode(doc)) throw new SoapFault('BAD_XML', 'no document element');
  return doc;
}

/** All children whose local name matches, whatever their prefix. */
export function children(node: unknown, name: string): XmlNode[] {
  if (!isNode(node)) return [];
  const out: XmlNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_') || key === '#text' || localName(key) !== name) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      out.push(isNode(v) ? v : { '#text': v === undefined || v === null ? '' : String(v) });
    }
  }
  return out;
}

export function child(node: unknown, name: string): XmlNode | undefined {
  return children(node, name)[0];
}

export function text(node: unknown): string | undefined {
  if (!isNode(node)) return undefined;
  const t = node['#text'];
  return t === undefined ? (Object.keys(node).length === 0 ? '' : undefined) : String(t);
}

/** Text of a descendant by a path of local names. */
export function textAt(node: unknown, ...path: string[]): string | undefined {
  let cur: unknown = node;
  for (const p of path) cur = child(cur, p);
  return text(cur);
}

export function attr(node: unknown, name: string): string | undefined {
  if (!isNode(node)) return undefined;
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_') && localName(key.slice(2)) === name) return String(value);
  }
  return undefined;
}

function nsDecls(node: XmlNode, into: Map<string, string>): void {
  for (const [key, value] of Object.entries(node)) {
    if (key === '@_xmlns') into.set('', String(value));
    else if (key.startsWith('@_xmlns:')) into.set(key.slice(8), String(value));
  }
}

export interface SoapRequest {
  header: XmlNode | undefined;
  /** The Body's first element, prefix-agnostic. */
  action: string;
  /** Namespace URI of that element ('' if undeclared). */
  actionNs: string;
  body: XmlNode;
}

export function parseSoap(xml: string): SoapRequest {
  const doc = parseXml(xml);
  const ns = new Map<string, string>();
  const envKey = Object.keys(doc).find((k) => localName(k) === 'Envelope');
  const envelope = envKey ? doc[envKey] : undefined;
  if (!isNode(envelope)) throw new SoapFault('BAD_XML', 'no Envelope');
  nsDecls(envelope, ns);
  const bodyNode = child(envelope, 'Body');
  if (!bodyNode) throw new SoapFault('BAD_XML', 'no Body');
  nsDecls(bodyNode, ns);
  const first = Object.keys(bodyNode).find((k) => !k.startsWith('@_') && k !== '#text');
  if (!first) throw new SoapFault('BAD_XML', 'empty Body');
  const raw = bodyNode[first];
  const body = isNode(raw) ? raw : {};
  nsDecls(body, ns);
  return { header: child(envelope, 'Header'), action: localName(first), actionNs: ns.get(prefixOf(first)) ?? '', body };
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const ENVELOPE_NS = Object.entries(NS)
  .map(([p, uri]) => `xmlns:${p}="${uri}"`)
  .join(' ');

export function envelope(bodyXml: string, headerXml = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope ${ENVELOPE_NS}><env:Header>${headerXml}</env:Header><env:Body>${bodyXml}</env:Body></env:Envelope>`;
}

export function faultEnvelope(fault: SoapFault): string {
  const [first, ...rest] = fault.spec.subcodes;
  const sub = (codes: string[]): string => {
    const [c, ...more] = codes;
    return c ? `<env:Subcode><env:Value>${c}</env:Value>${sub(more)}</env:Subcode>` : '';
  };
  const subXml = first ? sub([first, ...rest]) : '';
  return envelope(
    `<env:Fault><env:Code><env:Value>${fault.spec.code}</env:Value>${subXml}</env:Code>` +
      `<env:Reason><env:Text xml:lang="en">${esc(fault.message)}</env:Text></env:Reason></env:Fault>`,
  );
}

/** xs:duration (PnDTnHnMnS, the subset cameras use) to milliseconds; undefined if not a duration. */
export function parseDuration(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const m = /^\s*(-)?P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?\s*$/.exec(s);
  if (!m || s.trim() === 'P' || s.trim().endsWith('T')) return undefined;
  const [, neg, d, h, min, sec] = m;
  const ms = ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(sec ?? 0) * 1000;
  return neg ? -ms : ms;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
