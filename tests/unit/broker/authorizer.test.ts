// Who may connect to the site broker and which topics each may use (pure rules).
import { describe, expect, it } from 'vitest';
import { authenticate, authorizePublish, authorizeSubscribe, type BrokerCredentials, type Identity } from '../../../gateway/broker/authorizer.ts';

const S = 'school-1';
const creds: BrokerCredentials = {
  bridge: { username: 'bridge', password: 'bridge-secret-123456' },
  boxes: new Map([
    ['box-a', 'box-a-secret-123456'],
    ['box-b', 'box-b-secret-123456'],
  ]),
};
const bridge: Identity = { role: 'bridge', username: 'bridge' };
const boxA: Identity = { role: 'box', boxId: 'box-a' };
const pw = (s: string) => Buffer.from(s);

describe('authenticate', () => {
  it('accepts a box whose client id is its username, with its own password', () => {
    expect(authenticate(creds, 'box-a', 'box-a', pw('box-a-secret-123456'))).toEqual({ ok: true, identity: boxA });
  });
  it('accepts the bridge', () => {
    expect(authenticate(creds, 'bridge', 'bridge', pw('bridge-secret-123456'))).toEqual({ ok: true, identity: bridge });
  });
  it('refuses anonymous clients (no username or no password)', () => {
    expect(authenticate(creds, 'box-a', undefined, undefined)).toEqual({ ok: false, reason: 'NO_CREDENTIALS' });
    expect(authenticate(creds, 'box-a', '', pw('x'))).toEqual({ ok: false, reason: 'NO_CREDENTIALS' });
    expect(authenticate(creds, 'box-a', 'box-a', undefined)).toEqual({ ok: false, reason: 'NO_CREDENTIALS' });
  });
  it("refuses a wrong password, another box's password and an unknown user", () => {
    expect(authenticate(creds, 'box-a', 'box-a', pw('box-a-secret-12345'))).toEqual({ ok: false, reason: 'BAD_CREDENTIALS' });
    expect(authenticate(creds, 'box-a', 'box-a', pw('box-b-secret-123456'))).toEqual({ ok: false, reason: 'BAD_CREDENTIALS' });
    expect(authenticate(creds, 'box-z', 'box-z', pw('box-a-secret-123456'))).toEqual({ ok: false, reason: 'BAD_CREDENTIALS' });
    expect(authenticate(creds, 'box-z', 'box-z', pw(''))).toEqual({ ok: false, reason: 'BAD_CREDENTIALS' });
  });
  it('refuses a client id that differs from the username', () => {
    expect(authenticate(creds, 'box-b', 'box-a', pw('box-a-secret-123456'))).toEqual({ ok: false, reason: 'CLIENT_ID_MISMATCH' });
    expect(authenticate(creds, 'bridge-2', 'bridge', pw('bridge-secret-123456'))).toEqual({ ok: false, reason: 'CLIENT_ID_MISMATCH' });
  });
});

describe('authorizePublish', () => {
  it('lets a box publish its own event, status and relay state', () => {
    for (const leaf of ['event', 'status', 'relay/state']) expect(authorizePublish(S, boxA, `campus/${S}/box/box-a/${leaf}`, false)).toBe(true);
  });
  it("refuses a box on another box's topics, on gateway-to-box topics and on other sites", () => {
    expect(authorizePublish(S, boxA, `campus/${S}/box/box-b/event`, false)).toBe(false);
    expect(authorizePublish(S, boxA, `campus/${S}/box/box-a/ack`, false)).toBe(false);
    expect(authorizePublish(S, boxA, `campus/${S}/box/box-a/relay/set`, false)).toBe(false);
    expect(authorizePublish(S, boxA, `campus/other/box/box-a/event`, false)).toBe(false);
    expect(authorizePublish(S, boxA, `campus/${S}/box/box-a/event/extra`, false)).toBe(false);
  });
  it('lets a box retain only its status', () => {
    expect(authorizePublish(S, boxA, `campus/${S}/box/box-a/status`, true)).toBe(true);
    expect(authorizePublish(S, boxA, `campus/${S}/box/box-a/event`, true)).toBe(false);
  });
  it("lets the bridge publish relay/set and ack to any box, nothing else", () => {
    expect(authorizePublish(S, bridge, `campus/${S}/box/box-b/relay/set`, false)).toBe(true);
    expect(authorizePublish(S, bridge, `campus/${S}/box/box-a/ack`, false)).toBe(true);
    expect(authorizePublish(S, bridge, `campus/${S}/box/box-a/event`, false)).toBe(false);
    expect(authorizePublish(S, bridge, `campus/${S}/box/box-a/status`, false)).toBe(false);
    expect(authorizePublish(S, bridge, `campus/${S}/box/box-a/ack`, true)).toBe(false);
  });
  it('refuses $SYS and wildcards to everyone', () => {
    for (const who of [boxA, bridge]) {
      expect(authorizePublish(S, who, '$SYS/broker/x', false)).toBe(false);
      expect(authorizePublish(S, who, `campus/${S}/box/+/ack`, false)).toBe(false);
      expect(authorizePublish(S, who, `campus/${S}/box/#`, false)).toBe(false);
      expect(authorizePublish(S, who, '', false)).toBe(false);
    }
  });
  it("allows a gone client's will only on a status topic", () => {
    expect(authorizePublish(S, null, `campus/${S}/box/box-a/status`, true)).toBe(true);
    expect(authorizePublish(S, null, `campus/${S}/box/box-a/event`, false)).toBe(false);
  });
});

describe('authorizeSubscribe', () => {
  it('lets a box subscribe to its own relay/set and ack only', () => {
    expect(authorizeSubscribe(S, boxA, `campus/${S}/box/box-a/relay/set`)).toBe(true);
    expect(authorizeSubscribe(S, boxA, `campus/${S}/box/box-a/ack`)).toBe(true);
    expect(authorizeSubscribe(S, boxA, `campus/${S}/box/box-b/ack`)).toBe(false);
    expect(authorizeSubscribe(S, boxA, `campus/${S}/box/+/ack`)).toBe(false);
    expect(authorizeSubscribe(S, boxA, `campus/${S}/box/box-a/#`)).toBe(false);
    expect(authorizeSubscribe(S, boxA, `campus/${S}/box/box-a/event`)).toBe(false);
    expect(authorizeSubscribe(S, boxA, '#')).toBe(false);
  });
  it('lets the bridge subscribe within campus/<site>/box/+/#', () => {
    expect(authorizeSubscribe(S, bridge, `campus/${S}/box/+/event`)).toBe(true);
    expect(authorizeSubscribe(S, bridge, `campus/${S}/box/+/relay/state`)).toBe(true);
    expect(authorizeSubscribe(S, bridge, `campus/${S}/box/+/#`)).toBe(true);
    expect(authorizeSubscribe(S, bridge, `campus/${S}/box/#`)).toBe(false);
    expect(authorizeSubscribe(S, bridge, `campus/other/box/+/event`)).toBe(false);
    expect(authorizeSubscribe(S, bridge, '#')).toBe(false);
    expect(authorizeSubscribe(S, bridge, '$SYS/#')).toBe(false);
  });
});
