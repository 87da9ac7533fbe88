// Safe XML in and out for ONVIF SOAP. Cameras and anything else on the site LAN may send hostile
// XML: we cap the size, refuse DOCTYPE/ENTITY outright (no entity expansion of any kind) and let
// fast-xml-parser bound the nesting depth. Parsed trees are plain objects; the helpers below read
// them without trusting their shape.
import { XMLParser } from 'fast-xml-parser';

export const MAX_SOAP_BYTES = 1024 * 1024;

export type XmlNode = unknown;

export class XmlRejected extends Error {}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 64,
});

export function parseXml(text: string, maxBytes = MAX_SOAP_BYTES): XmlNode {
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw new XmlRejected(`XML larger than ${maxBytes} bytes`);
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new XmlRejected('XML with DOCTYPE/ENTITY refused');
  try {
    return parser.parse(text) as XmlNode;
  } catch (err) {
    throw new XmlRejected(`malformed XML: ${(err as Error).message}`);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** All children with a local name (namespace prefixes are already stripped). */
export function children(node: XmlNode, name: string): XmlNode[] {
  if (!isRecord(node)) return [];
  const v = node[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

export function child(node: XmlNode, name: string): XmlNode | undefined {
  return children(node, name)[0];
}

/** Walks a path of local names, taking the first match at each step. */
export function at(node: XmlNode, ...path: string[]): XmlNode | undefined {
  let cur: XmlNode | undefined = node;
  for (const p of path) {
    if (cur === undefined) return undefined;
    cur = child(cur, p);
  }
  return cur;
}

export function text(node: XmlNode | undefined): string | undefined {
  if (typeof node === 'string') return decodeEntities(node.trim());
  if (isRecord(node) && typeof node['#text'] === 'string') return decodeEntities(node['#text'].trim());
  if (isRecord(node)) return '';
  return undefined;
}

export function attr(node: XmlNode | undefined, name: string): string | undefined {
  if (!isRecord(node)) return undefined;
  const v = node[`@_${name}`];
  return typeof v === 'string' ? decodeEntities(v) : undefined;
}

/** Only the five predefined entities and numeric references: never anything a document declares. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (_m, e: string) => {
    switch (e) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
      default: {
        const code = e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      }
    }
  });
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** The SOAP Body's first element, or undefined. */
export function soapBody(doc: XmlNode): XmlNode | undefined {
  return at(doc, 'Envelope', 'Body');
}

export interface SoapFault {
  code: string;
  subcodes: string[];
  reason: string;
}

/** A SOAP 1.2 (or 1.1) fault in the body, if there is one. */
export function soapFault(doc: XmlNode): SoapFault | null {
  const f = child(soapBody(doc), 'Fault');
  if (f === undefined) return null;
  const subcodes: string[] = [];
  let sub = at(f, 'Code', 'Subcode');
  for (let i = 0; sub !== undefined && i < 8; i++) {
    const v = text(child(sub, 'Value'));
    if (v) subcodes.push(v);
    sub = child(sub, 'Subcode');
  }
  const reason = text(at(f, 'Reason', 'Text')) ?? text(child(f, 'faultstring')) ?? '';
  const code = text(at(f, 'Code', 'Value')) ?? text(child(f, 'faultcode')) ?? '';
  return { code, subcodes, reason };
}

export function isAuthFault(f: SoapFault): boolean {
  return [...f.subcodes, f.code, f.reason].some((s) => /NotAuthorized|not authorized|FailedAuthentication|Unauthorized/i.test(s));
}
