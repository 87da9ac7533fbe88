// WS-BaseNotification pull point: bodies and answers, and how an ONVIF notification becomes one
// of our camera events. Pure: durations come back relative to the camera's own CurrentTime so a
// skewed camera clock does not matter.
import { NS, addressingHeader } from './envelope.ts';
import { at, attr, child, children, soapBody, text, type XmlNode } from './xml.ts';

export const MAX_MESSAGES_PER_PULL = 32;

export interface Subscription {
  address: string;
  /** Axis-style reference parameter that must be echoed in the header. */
  subscriptionId?: string;
  /** Time left until the camera drops the subscription (TerminationTime - CurrentTime), if stated. */
  ttlMs?: number;
}

export function isoDuration(ms: number): string {
  return `PT${Math.max(1, Math.round(ms / 1000))}S`;
}

export function createPullPointBody(ttlMs: number): { action: string; body: string } {
  return {
    action: `${NS.events}/EventPortType/CreatePullPointSubscriptionRequest`,
    body: `<CreatePullPointSubscription xmlns="${NS.events}"><InitialTerminationTime>${isoDuration(ttlMs)}</InitialTerminationTime></CreatePullPointSubscription>`,
  };
}

function refHeader(sub: Subscription, action: string, messageId: string): string {
  const id = sub.subscriptionId === undefined ? '' : `<SubscriptionId xmlns="http://www.axis.com/2009/event" a:IsReferenceParameter="true">${sub.subscriptionId.replace(/[<>&]/g, '')}</SubscriptionId>`;
  return addressingHeader(sub.address, action, messageId) + id;
}

export function pullMessagesRequest(sub: Subscription, timeoutMs: number, messageId: string): { action: string; body: string; header: string } {
  const action = `${NS.events}/PullPointSubscription/PullMessagesRequest`;
  return {
    action,
    header: refHeader(sub, action, messageId),
    body: `<PullMessages xmlns="${NS.events}"><Timeout>${isoDuration(timeoutMs)}</Timeout><MessageLimit>${MAX_MESSAGES_PER_PULL}</MessageLimit></PullMessages>`,
  };
}

export function renewRequest(sub: Subscription, ttlMs: number, messageId: string): { action: string; body: string; header: string } {
  const action = `${NS.wsnt}/SubscriptionManager/RenewRequest`;
  return { action, header: refHeader(sub, action, messageId), body: `<Renew xmlns="${NS.wsnt}"><TerminationTime>${isoDuration(ttlMs)}</TerminationTime></Renew>` };
}

export function unsubscribeRequest(sub: Subscription, messageId: string): { action: string; body: string; header: string } {
  const action = `${NS.wsnt}/SubscriptionManager/UnsubscribeRequest`;
  return { action, header: refHeader(sub, action, messageId), body: `<Unsubscribe xmlns="${NS.wsnt}"/>` };
}

function ttl(node: XmlNode | undefined): number | undefined {
  const cur = Date.parse(text(child(node, 'CurrentTime')) ?? '');
  const end = Date.parse(text(child(node, 'TerminationTime')) ?? '');
  return Number.isFinite(cur) && Number.isFinite(end) ? end - cur : undefined;
}

export function parseCreatePullPoint(doc: XmlNode): Subscription | null {
  const r = child(soapBody(doc), 'CreatePullPointSubscriptionResponse');
  const ref = child(r, 'SubscriptionReference');
  const address = text(child(ref, 'Address'));
  if (!address || address.length > 2048 || !/^https?:\/\//i.test(address)) return null;
  const subscriptionId = text(at(ref, 'ReferenceParameters', 'SubscriptionId')) || undefined;
  return { address, subscriptionId, ttlMs: ttl(r) };
}

export function parseRenew(doc: XmlNode): { ttlMs?: number } {
  return { ttlMs: ttl(child(soapBody(doc), 'RenewResponse')) };
}

export interface RawNotification {
  topic: string;
  utcTime?: string;
  operation?: string;
  source: Record<string, string>;
  data: Record<string, string>;
}

function items(node: XmlNode | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const it of children(node, 'SimpleItem').slice(0, 16)) {
    const name = attr(it, 'Name');
    const value = attr(it, 'Value');
    if (name !== undefined && value !== undefined && name.length <= 128) out[name] = value.slice(0, 256);
  }
  return out;
}

export function parsePullMessages(doc: XmlNode): { ttlMs?: number; messages: RawNotification[] } {
  const r = child(soapBody(doc), 'PullMessagesResponse');
  const messages = children(r, 'NotificationMessage')
    .slice(0, MAX_MESSAGES_PER_PULL * 4)
    .map((n): RawNotification => {
      const msg = at(n, 'Message', 'Message');
      return {
        topic: (text(child(n, 'Topic')) ?? '').slice(0, 256),
        utcTime: attr(msg, 'UtcTime'),
        operation: attr(msg, 'PropertyOperation'),
        source: items(child(msg, 'Source')),
        data: items(child(msg, 'Data')),
      };
    });
  return { ttlMs: ttl(r), messages };
}

export type CameraEventTopic = 'motion' | 'tamper' | 'other';

export interface CameraEvent {
  topic: CameraEventTopic;
  active: boolean;
  /** ISO time on the gateway's clock (camera time corrected by the measured offset). */
  at: string;
  source?: string;
  /** The ONVIF topic without namespace prefixes, e.g. RuleEngine/CellMotionDetector/Motion. */
  onvifTopic: string;
}

/** tns1:RuleEngine/CellMotionDetector/Motion -> RuleEngine/CellMotionDetector/Motion. */
export function stripTopic(topic: string): string {
  return topic
    .split('/')
    .map((seg) => seg.replace(/^[^:]*:/, ''))
    .join('/');
}

function bool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const s = v.trim().toLowerCase();
  if (s === 'true' || s === '1' || s === 'active') return true;
  if (s === 'false' || s === '0' || s === 'inactive') return false;
  return undefined;
}

export function classify(n: RawNotification, offsetMs: number, nowMs: number): CameraEvent | null {
  const topic = stripTopic(n.topic);
  let kind: CameraEventTopic = 'other';
  let active: boolean | undefined;
  if (/^RuleEngine\/CellMotionDetector\/Motion$/i.test(topic)) {
    kind = 'motion';
    active = bool(n.data.IsMotion);
  } else if (/^VideoSource\/MotionAlarm$/i.test(topic)) {
    kind = 'motion';
    active = bool(n.data.State);
  } else if (/^VideoSource\/GlobalSceneChange\//i.test(topic) || /^VideoSource\/Tamper$/i.test(topic) || /^Device\/Trigger\/Tampering$/i.test(topic)) {
    kind = 'tamper';
    active = bool(n.data.State) ?? bool(n.data.IsTamper) ?? bool(n.data.Value);
  }
  // Unknown topics: take the first boolean-looking data item.
  if (active === undefined) active = Object.values(n.data).map(bool).find((b) => b !== undefined);
  if (active === undefined) return null;
  const cam = Date.parse(n.utcTime ?? '');
  const at = Number.isFinite(cam) ? new Date(cam - offsetMs).toISOString() : new Date(nowMs).toISOString();
  const src = n.source.VideoSourceToken ?? n.source.VideoSourceConfigurationToken ?? n.source.Source ?? n.source.InputToken ?? Object.values(n.source)[0];
  return { topic: kind, active, at, source: src, onvifTopic: topic };
}

/** Remembers each (topic, source)'s state so only changes go out. Bounded by distinct keys. */
export class EventChangeFilter {
  private readonly last = new Map<string, boolean>();
  constructor(private readonly maxKeys = 256) {}

  accept(e: CameraEvent): boolean {
    const key = `${e.onvifTopic}|${e.source ?? ''}`;
    const prev = this.last.get(key) ?? false;
    if (!this.last.has(key) && this.last.size >= this.maxKeys) return false;
    this.last.set(key, e.active);
    return prev !== e.active;
  }

  reset(): void {
    this.last.clear();
  }
}
