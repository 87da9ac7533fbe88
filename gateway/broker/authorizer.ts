// Who may connect to the site broker and which topics each may use. Pure: no sockets, no
// aedes types, so every rule is unit-tested. Field notes: no anonymous clients; each device
// may publish only its own topics.
import { createHash, timingSafeEqual } from 'node:crypto';
import { BOX_PUBLISHES, BRIDGE_PUBLISHES, boxTopic, parseBoxTopic } from '../../firmware-bridge/mqtt/topics.ts';

export interface BrokerCredentials {
  bridge: { username: string; password: string };
  /** boxId → password; a box's username (and client id) is its box id. */
  boxes: ReadonlyMap<string, string>;
}

export type Identity = { role: 'bridge'; username: string } | { role: 'box'; boxId: string };

export type AuthResult = { ok: true; identity: Identity } | { ok: false; reason: 'NO_CREDENTIALS' | 'BAD_CREDENTIALS' | 'CLIENT_ID_MISMATCH' };

/**
 * Compares digests, not the strings: timingSafeEqual needs equal lengths, and comparing
 * lengths first would leak the password's length.
 */
function samePassword(given: Buffer, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export function authenticate(creds: BrokerCredentials, clientId: string, username: string | undefined, password: Buffer | undefined): AuthResult {
  if (username === undefined || username === '' || password === undefined) return { ok: false, reason: 'NO_CREDENTIALS' };
  const isBridge = username === creds.bridge.username;
  const expected = isBridge ? creds.bridge.password : creds.boxes.get(username);
  // An unknown user still costs a comparison, so timing does not tell which usernames exist.
  const passwordOk = samePassword(password, expected ?? '\u0000unknown user');
  if (expected === undefined || !passwordOk) return { ok: false, reason: 'BAD_CREDENTIALS' };
  // One session per identity: a second client cannot log in as a box under another client id
  // (and so cannot hold a session that outlives, or impersonates, the real box's).
  if (clientId !== username) return { ok: false, reason: 'CLIENT_ID_MISMATCH' };
  return { ok: true, identity: isBridge ? { role: 'bridge', username } : { role: 'box', boxId: username } };
}

function hasWildcardOrSys(topic: string): boolean {
  return topic === '' || topic.startsWith('$') || topic.includes('+') || topic.includes('#');
}

/**
 * identity null: aedes publishing a will left by a client that is gone (persisted session);
 * only a box's offline status can be such a will.
 */
export function authorizePublish(siteId: string, identity: Identity | null, topic: string, retain: boolean): boolean {
  if (hasWildcardOrSys(topic)) return false;
  const parsed = parseBoxTopic(siteId, topic);
  if (!parsed) return false;
  if (identity === null) return parsed.leaf === 'status';
  if (identity.role === 'bridge') return BRIDGE_PUBLISHES.includes(parsed.leaf) && !retain;
  // Only the presence status is retained: a retained event would be replayed to every new subscriber.
  if (retain && parsed.leaf !== 'status') return false;
  return parsed.boxId === identity.boxId && BOX_PUBLISHES.includes(parsed.leaf);
}

export function authorizeSubscribe(siteId: string, identity: Identity, filter: string): boolean {
  if (filter === '' || filter.startsWith('$')) return false;
  if (identity.role === 'box') {
    return BRIDGE_PUBLISHES.some((leaf) => filter === boxTopic(siteId, identity.boxId, leaf));
  }
  // The bridge: anything below campus/<site>/box/<one level>/ (i.e. within campus/S/box/+/#).
  const levels = filter.split('/');
  return levels.length >= 5 && levels[0] === 'campus' && levels[1] === siteId && levels[2] === 'box' && levels[3] !== '#' && levels.slice(4).every((l) => l !== '');
}
