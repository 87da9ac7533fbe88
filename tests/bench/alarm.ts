// `npm run bench -- alarm [presses]`: a whole demo site on simulators; presses spread over the
// three transports. Figures: press → relay command read at the box, press → WebSocket event at a
// feed client, and the raw pty round trip in the same run as the reference.
import { setTimeout as sleep } from 'node:timers/promises';
import { SiteHarness } from '../support/site-harness.ts';
import type { FeedMessage } from '../support/feed-client.ts';
import { line, percentiles, type Percentiles } from './stats.ts';
import { ptyRoundTrips } from './pty-reference.ts';

const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;

function waitFor<T>(subscribe: (resolve: (v: T) => void) => () => void, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const unsubscribe = subscribe((v) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(v);
    });
  });
}

export async function run(): Promise<void> {
  const presses = Number(process.argv[3] ?? 1000);
  const site = new SiteHarness({ heartbeatMs: 2000 });
  process.stderr.write('starting the demo site on simulators…\n');
  await site.start();
  await site.allOnline();
  const feed = await site.feed();
  const feedWaiters = new Set<(m: FeedMessage, atNs: bigint) => void>();
  feed.onMessage((m, atNs) => {
    for (const w of [...feedWaiters]) w(m, atNs);
  });
  const deviceEvent = (boxId: string, kind: string) =>
    waitFor<bigint>(
      (resolve) => {
        const w = (m: FeedMessage, atNs: bigint) => {
          const e = m.event as { kind?: string; boxId?: string } | undefined;
          if (m.type === 'device-event' && e?.kind === kind && e.boxId === boxId) resolve(atNs);
        };
        feedWaiters.add(w);
        return () => feedWaiters.delete(w);
      },
      10000,
      `${kind} of ${boxId} on the feed`,
    );

  const boxes = site.site.alarmBoxes.map((b) => ({ id: b.id, transport: b.transport.kind }));
  const relay: Record<string, number[]> = { serial: [], modbus: [], mqtt: [] };
  const relayAfterWire: number[] = [];
  const modbusRelayAfterWire: number[] = [];
  const modbusWsAfterWire: number[] = [];
  const ws: Record<string, number[]> = { serial: [], modbus: [], mqtt: [] };
  const wsAfterWire: number[] = [];

  // Warm-up: first presses latch the boxes and JIT the paths.
  for (let i = 0; i < presses + 25; i++) {
    const box = boxes[i % boxes.length]!;
    const sim = site.sims.box(box.id);
    const relayP = waitFor<bigint>(
      (resolve) => {
        const l = (b: string, o: { strobe: boolean }, atNs: bigint) => b === box.id && o.strobe && resolve(atNs);
        sim.on('relay-command', l);
        return () => sim.off('relay-command', l);
      },
      10000,
      `relay command to ${box.id}`,
    );
    const wsP = deviceEvent(box.id, 'button-pressed');
    const t0 = process.hrtime.bigint();
    sim.press(box.id);
    const [t1, t2] = await Promise.all([relayP, wsP]);
    // Read before release clears it: when the poll reply carrying the press left the module.
    const wire = box.transport === 'modbus' ? (sim as unknown as { lastInputReadAtNs(id: string): bigint | null }).lastInputReadAtNs(box.id) : null;
    const released = deviceEvent(box.id, 'button-released');
    sim.release(box.id);
    await released;
    // Press at a random moment relative to the Modbus poll cycle, as a person would.
    await sleep(Math.random() * 20);
    if (i < 25) continue;
    relay[box.transport]!.push(ms(t0, t1));
    ws[box.transport]!.push(ms(t0, t2));
    if (box.transport === 'modbus') {
      // A polled input is seen only at the next poll: measure the gateway from the poll reply on.
      if (wire !== null && wire <= t1) {
        relayAfterWire.push(ms(wire, t1));
        wsAfterWire.push(ms(wire, t2));
        modbusRelayAfterWire.push(ms(wire, t1));
        modbusWsAfterWire.push(ms(wire, t2));
      }
    } else {
      relayAfterWire.push(ms(t0, t1));
      wsAfterWire.push(ms(t0, t2));
    }
    if ((i - 25) % 100 === 0) process.stderr.write(`  ${i - 25}/${presses} presses\n`);
  }
  await sleep(50);
  process.stderr.write('measuring the raw pty round trip reference…\n');
  const ref = percentiles(await ptyRoundTrips(site.dir, Math.max(200, Math.floor(presses / 2))));
  await site.stop();

  const all = (r: Record<string, number[]>) => Object.values(r).flat();
  const relayAll = percentiles(relayAfterWire);
  const wsAll = percentiles(wsAfterWire);
  const out: string[] = [];
  out.push(`alarm bench: ${presses} presses over ${boxes.length} boxes (serial ×2, Modbus ×2, MQTT ×1)`);
  out.push(line('reference: raw pty round trip (2 processes)', ref));
  for (const t of ['serial', 'modbus', 'mqtt']) out.push(line(`press → relay command at box [${t}]`, percentiles(relay[t]!)));
  out.push(line('poll reply with the press → relay command [modbus]', percentiles(modbusRelayAfterWire)));
  out.push(line('press seen on wire → relay command [all]', relayAll));
  for (const t of ['serial', 'modbus', 'mqtt']) out.push(line(`press → WebSocket event [${t}]`, percentiles(ws[t]!)));
  out.push(line('poll reply with the press → WebSocket event [modbus]', percentiles(modbusWsAfterWire)));
  out.push(line('press seen on wire → WebSocket event [all]', wsAll));
  const added = (p: Percentiles) => Math.round((p.p99 - ref.p99) * 1000) / 1000;
  out.push(`gateway adds at p99: relay ${added(relayAll).toFixed(2)} ms (goal ≤ 10), WebSocket ${added(wsAll).toFixed(2)} ms (goal ≤ 25)`);
  out.push(`ratio to reference at p99: relay ×${(relayAll.p99 / ref.p99).toFixed(1)}, WebSocket ×${(wsAll.p99 / ref.p99).toFixed(1)}`);
  for (const l of out) process.stdout.write(`${l}\n`);
  const summary = {
    bench: 'alarm',
    presses,
    reference_pty_round_trip_ms: ref,
    relay_ms: relayAll,
    websocket_ms: wsAll,
    modbus_after_poll_reply_ms: { relay: percentiles(modbusRelayAfterWire), websocket: percentiles(modbusWsAfterWire) },
    relay_by_transport_ms: Object.fromEntries(Object.entries(relay).map(([k, v]) => [k, percentiles(v)])),
    websocket_by_transport_ms: Object.fromEntries(Object.entries(ws).map(([k, v]) => [k, percentiles(v)])),
    gateway_added_p99_ms: { relay: added(relayAll), websocket: added(wsAll) },
    ratio_p99: { relay: Math.round((relayAll.p99 / ref.p99) * 100) / 100, websocket: Math.round((wsAll.p99 / ref.p99) * 100) / 100 },
    goals_met: { relay: added(relayAll) <= 10, websocket: added(wsAll) <= 25 },
    all_samples_total: all(relay).length,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}
