// The bridge's MQTT transport against simulated MQTT boxes through a real site broker: alarm
// events acknowledged only after the sink recorded them, relay commands, last will, bad payloads.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../../support/until.ts';
import { MqttSite, SITE } from './mqtt-site.ts';

describe('MqttBoxTransport with simulated MQTT boxes', () => {
  let site: MqttSite;

  beforeEach(async () => {
    site = new MqttSite();
    await site.startBroker();
    await site.startBridge();
    await site.startSims();
  });
  afterEach(async () => {
    await site.stop();
  });

  it('reports the broker connection and the boxes online', async () => {
    expect(site.of('transport')[0]).toMatchObject({ transportId: 'mqtt', up: true, code: 'MQTT_BROKER_CONNECTED' });
    await until(() => site.of('presence').filter((p) => p.online).length >= 2, 5000, 'both boxes online');
  });

  it('a press reaches the sink as a button signal and the box hears the ack', async () => {
    const eventId = site.sims!.press('box-a');
    await until(() => site.acked.some((a) => a.boxId === 'box-a' && a.eventId === eventId), 5000, 'ack');
    expect(site.of('button')).toEqual([{ kind: 'button', boxId: 'box-a', pressed: true, eventId }]);
  });

  it('delivers tamper and fault events in the order the box sent them', async () => {
    const ids = [site.sims!.tamper('box-b', true), site.sims!.fault('box-b', 'BATTERY_LOW', true), site.sims!.release('box-b')];
    await until(() => site.acked.filter((a) => a.boxId === 'box-b').length === 3, 5000, 'three acks');
    const events = site.signals.filter((s) => s.kind === 'tamper' || s.kind === 'fault' || s.kind === 'button');
    expect(events).toEqual([
      { kind: 'tamper', boxId: 'box-b', open: true, eventId: ids[0] },
      { kind: 'fault', boxId: 'box-b', code: 'BATTERY_LOW', active: true, eventId: ids[1] },
      { kind: 'button', boxId: 'box-b', pressed: false, eventId: ids[2] },
    ]);
  });

  it('setOutputs switches the box relays and resolves on its relay/state', async () => {
    await site.transport!.setOutputs('box-b', { strobe: true, siren: true });
    expect(site.sims!.outputs('box-b')).toEqual({ strobe: true, siren: true });
    await until(() => site.of('outputs').some((o) => o.boxId === 'box-b' && o.outputs.strobe && o.outputs.siren), 5000, 'outputs signal');
    await site.transport!.setOutputs('box-b', { strobe: true, siren: false });
    expect(site.sims!.outputs('box-b')).toEqual({ strobe: true, siren: false });
  });

  it('setOutputs rejects with RELAY_NO_ACK when the box never answers, after two retries', async () => {
    await site.sims!.unplug(); // the simulated box-b would take its session back and answer
    const silent = await site.boxClient('box-b');
    const commands: number[] = [];
    await silent.subscribeAsync(`campus/${SITE}/box/box-b/relay/set`, { qos: 1 });
    silent.on('message', (_t, p) => commands.push((JSON.parse(p.toString()) as { cmdId: number }).cmdId));
    await expect(site.transport!.setOutputs('box-b', { strobe: true, siren: true })).rejects.toMatchObject({ code: 'RELAY_NO_ACK' });
    expect(commands).toHaveLength(3);
    expect(new Set(commands).size).toBe(1); // retries repeat the same cmdId, so the box can tell
  });

  it('setOutputs to an unknown box rejects', async () => {
    await expect(site.transport!.setOutputs('box-z', { strobe: true, siren: true })).rejects.toMatchObject({ code: 'MQTT_UNKNOWN_BOX' });
  });

  it('heartbeats arrive with the box outputs', async () => {
    await until(() => site.of('heartbeat').some((h) => h.boxId === 'box-a'), 5000, 'heartbeat');
    expect(site.of('heartbeat').find((h) => h.boxId === 'box-a')).toMatchObject({ selfTestOk: true, faults: [], outputs: { strobe: false, siren: false } });
  });

  it('an unplugged box is reported offline through its last will, and online again on replug', async () => {
    await until(() => site.of('presence').filter((p) => p.online).length >= 2, 5000, 'online');
    await site.sims!.unplug();
    await until(() => site.of('presence').filter((p) => !p.online).length >= 2, 5000, 'offline via last will');
    expect(site.of('presence').find((p) => !p.online)).toMatchObject({ online: false, reason: 'MQTT_LAST_WILL' });
    site.signals.length = 0;
    const eventId = site.sims!.press('box-a'); // pressed while unplugged: sent after replug
    await site.sims!.replug();
    await until(() => site.acked.some((a) => a.eventId === eventId), 5000, 'ack after replug');
    expect(site.of('presence').filter((p) => p.online).length).toBeGreaterThanOrEqual(2);
  });

  it('drops a malformed payload and handles the next good one', async () => {
    site.sims!.sendGarbage();
    site.sims!.sendGarbage(Buffer.from(JSON.stringify({ type: 'button', state: 'sideways', eventId: 1 })));
    site.sims!.sendGarbage(Buffer.alloc(5000, 0x20)); // over the payload cap
    const eventId = site.sims!.press('box-a');
    await until(() => site.acked.some((a) => a.eventId === eventId), 5000, 'ack');
    expect(site.of('button')).toEqual([{ kind: 'button', boxId: 'box-a', pressed: true, eventId }]);
  });

  it('a refusing sink means no ack; the box repeats and the event is delivered once when the sink recovers', async () => {
    let refusals = 0;
    site.sinkImpl = async (s) => {
      if (s.kind === 'button' && refusals < 2) {
        refusals++;
        throw new Error('disk full');
      }
    };
    const eventId = site.sims!.press('box-a');
    await until(() => site.acked.some((a) => a.eventId === eventId), 8000, 'ack after repeats');
    expect(refusals).toBe(2);
    await sleep(1200); // one more repeat period: a late repeat must not be recorded again
    expect(site.of('button').filter((b) => b.eventId === eventId)).toHaveLength(1);
    expect(site.acked.filter((a) => a.eventId === eventId)).toHaveLength(1);
  });

  it('a retransmitted event id is acknowledged again but delivered once', async () => {
    await site.sims!.unplug(); // a hand-driven box-b instead of the simulated one
    const box = await site.boxClient('box-b');
    const acks: number[] = [];
    await box.subscribeAsync(`campus/${SITE}/box/box-b/ack`, { qos: 1 });
    box.on('message', (_t, p) => acks.push((JSON.parse(p.toString()) as { eventId: number }).eventId));
    const payload = JSON.stringify({ type: 'button', state: 'pressed', eventId: 4242, at: new Date().toISOString() });
    await box.publishAsync(`campus/${SITE}/box/box-b/event`, payload, { qos: 1 });
    await until(() => acks.length === 1, 5000, 'first ack');
    await box.publishAsync(`campus/${SITE}/box/box-b/event`, payload, { qos: 1 });
    await until(() => acks.length === 2, 5000, 'second ack');
    expect(site.of('button').filter((b) => b.eventId === 4242)).toHaveLength(1);
  });
});
