// The bridge survives its broker going away: it reports the loss, reconnects on its own
// (backoff, not mqtt.js' fixed second) when the broker is back on the same port, and works on.
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../support/until.ts';
import { MqttSite } from './mqtt-site.ts';

describe('MQTT bridge transport across a broker restart', () => {
  let site: MqttSite;
  afterEach(async () => {
    await site.stop();
  });

  it('reports the broker lost, reconnects when it is back on the same port, and acks presses again', async () => {
    site = new MqttSite();
    await site.startBroker();
    await site.startBridge();
    await site.startSims();
    const port = site.broker.port;

    await site.broker.close();
    await until(() => site.of('transport').some((t) => !t.up && t.code === 'MQTT_BROKER_LOST'), 5000, 'broker lost');

    await site.startBroker(port);
    await until(() => site.of('transport').filter((t) => t.up).length === 2, 15000, 'bridge reconnected');
    expect(site.of('transport').map((t) => t.code)).toEqual(['MQTT_BROKER_CONNECTED', 'MQTT_BROKER_LOST', 'MQTT_BROKER_CONNECTED']);

    const eventId = site.sims!.press('box-a');
    await until(() => site.acked.some((a) => a.eventId === eventId), 10000, 'ack after restart');
    expect(site.of('button').filter((b) => b.eventId === eventId)).toHaveLength(1);
    await site.transport!.setOutputs('box-a', { strobe: true, siren: false });
    expect(site.sims!.outputs('box-a')).toEqual({ strobe: true, siren: false });
  });
});
