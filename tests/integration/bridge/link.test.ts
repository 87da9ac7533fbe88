import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { BridgeStore } from '../../../firmware-bridge/bridge/bridge-store.ts';
import { Interlock } from '../../../firmware-bridge/bridge/interlock.ts';
import { LinkServer } from '../../../firmware-bridge/link/link-server.ts';
import { BridgeLinkClient, type LinkHandler } from '../../../gateway/bridge-link/link-client.ts';
import type { BoxTransport, Outputs } from '../../../firmware-bridge/transport/box-transport.ts';
import type { BoxState, DeviceEvent } from '../../../firmware-bridge/link/messages.ts';

const log = pino({ level: 'silent' });

class NullTransport implements BoxTransport {
  readonly id = 'null';
  readonly boxIds = ['box-a'];
  async start() {}
  async stop() {}
  async setOutputs(_b: string, _o: Outputs) {}
}

class Journal implements LinkHandler {
  readonly events = new Map<string, DeviceEvent[]>();
  readonly states: BoxState[] = [];
  up = false;
  lastSeq(bridgeId: string) {
    return this.events.get(bridgeId)?.at(-1)?.seq ?? 0;
  }
  ingest(bridgeId: string, e: DeviceEvent) {
    const list = this.events.get(bridgeId) ?? [];
    if ((list.at(-1)?.seq ?? 0) < e.seq) list.push(e);
    this.events.set(bridgeId, list);
  }
  boxState(s: BoxState) {
    this.states.push(s);
  }
  connected(c: boolean) {
    this.up = c;
  }
}

async function until(cond: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('link between firmware bridge and gateway', () => {
  let dir: string;
  let store: BridgeStore;
  let interlock: Interlock;
  let server: LinkServer;
  const clients: BridgeLinkClient[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'link-'));
    store = new BridgeStore(join(dir, 'bridge.db'));
    interlock = new Interlock([{ boxId: 'box-a', silent: false }], store, log);
    interlock.attach(new NullTransport());
    server = new LinkServer(join(dir, 'bridge.sock'), store, interlock, log);
    await server.start();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.stop();
    await server.stop();
    interlock.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = (journal: Journal) => {
    const c = new BridgeLinkClient(join(dir, 'bridge.sock'), journal, log);
    clients.push(c);
    c.start();
    return c;
  };

  it('events recorded while no gateway is connected arrive in order once it connects, and leave the outbox when acknowledged', async () => {
    for (let i = 1; i <= 50; i++) await interlock.sink({ kind: 'tamper', boxId: 'box-a', open: i % 2 === 1, eventId: i });
    const journal = new Journal();
    client(journal);
    await until(() => (journal.events.get(store.bridgeId)?.length ?? 0) === 51);
    const seqs = journal.events.get(store.bridgeId)!.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    await until(() => store.pending(0).length === 0);
  });

  it('a gateway that reconnects gets what it had not acknowledged, and nothing twice', async () => {
    const journal = new Journal();
    const c = client(journal);
    await until(() => journal.up);
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 1 });
    await until(() => (journal.events.get(store.bridgeId)?.length ?? 0) === 3);
    c.stop();
    await until(() => !server.connected);
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: false, eventId: 2 });
    client(journal);
    await until(() => (journal.events.get(store.bridgeId)?.length ?? 0) === 4);
    expect(journal.events.get(store.bridgeId)!.map((e) => e.kind)).toEqual(['online', 'button-pressed', 'latched', 'button-released']);
  });

  it('carries a reset command and its refusal back to the gateway', async () => {
    const journal = new Journal();
    const c = client(journal);
    await until(() => journal.up);
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: true, eventId: 1 });
    expect(await c.send({ kind: 'reset', boxId: 'box-a', by: 'op' })).toMatchObject({ ok: false, code: 'BOX_STILL_PRESSED' });
    await interlock.sink({ kind: 'button', boxId: 'box-a', pressed: false, eventId: 2 });
    expect(await c.send({ kind: 'reset', boxId: 'box-a', by: 'op' })).toEqual({ ok: true, code: undefined, message: undefined });
    expect(interlock.state('box-a')?.latched).toBe(false);
  });

  it('commands fail fast with BRIDGE_UNAVAILABLE while the bridge is away', async () => {
    await server.stop();
    const c = client(new Journal());
    expect(await c.send({ kind: 'reset', boxId: 'box-a', by: 'op' })).toMatchObject({ ok: false, code: 'BRIDGE_UNAVAILABLE' });
  });
});
