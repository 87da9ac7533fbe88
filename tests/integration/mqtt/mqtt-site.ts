// A broker, the bridge's MQTT transport and simulated MQTT boxes on loopback (port 0), with a
// recording sink. Shared by the MQTT integration tests; stop() releases everything it started.
import { randomBytes } from 'node:crypto';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { createRootLogger } from '../../../common/logger.ts';
import { startBroker, type RunningBroker } from '../../../gateway/broker/broker.ts';
import { MqttBoxTransport } from '../../../firmware-bridge/mqtt/mqtt-box-transport.ts';
import type { BoxSignal, SignalSink, TransportSignal } from '../../../firmware-bridge/transport/box-transport.ts';
import { SimulatedMqttBoxes } from '../../../simulators/mqtt-box.ts';

export type Signal = BoxSignal | TransportSignal;

export const SITE = 'test-school';
export const BOX_IDS = ['box-a', 'box-b'] as const;
export const logger = createRootLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');

export class MqttSite {
  readonly bridgePassword = randomBytes(18).toString('base64url');
  readonly boxPasswords = new Map<string, string>(BOX_IDS.map((b) => [b, randomBytes(18).toString('base64url')]));
  broker!: RunningBroker;
  transport: MqttBoxTransport | null = null;
  sims: SimulatedMqttBoxes | null = null;
  readonly signals: Signal[] = [];
  readonly acked: Array<{ boxId: string; eventId: number }> = [];
  /** Replaced by a test to make the sink slow or failing; runs before the signal is recorded. */
  sinkImpl: (s: Signal) => Promise<void> = async () => undefined;
  private readonly clients: MqttClient[] = [];

  get url(): string {
    return `mqtt://127.0.0.1:${this.broker.port}`;
  }

  async startBroker(port = 0): Promise<void> {
    this.broker = await startBroker({
      host: '127.0.0.1',
      port,
      siteId: SITE,
      credentials: { bridge: { username: 'bridge', password: this.bridgePassword }, boxes: this.boxPasswords },
      logger,
    });
  }

  async startBridge(): Promise<MqttBoxTransport> {
    const sink: SignalSink = async (s) => {
      await this.sinkImpl(s);
      this.signals.push(s);
    };
    this.transport = new MqttBoxTransport({
      url: this.url,
      siteId: SITE,
      username: 'bridge',
      password: this.bridgePassword,
      boxes: [...BOX_IDS],
      heartbeatIntervalMs: 500,
      sink,
      logger,
    });
    await this.transport.start();
    return this.transport;
  }

  async startSims(): Promise<SimulatedMqttBoxes> {
    this.sims = new SimulatedMqttBoxes({
      url: this.url,
      siteId: SITE,
      boxes: BOX_IDS.map((boxId) => ({ boxId, password: this.boxPasswords.get(boxId)! })),
      heartbeatIntervalMs: 500,
    });
    this.sims.on('acked', (boxId: string, eventId: number) => this.acked.push({ boxId, eventId }));
    await this.sims.start();
    return this.sims;
  }

  /** A raw MQTT client (no reconnect), closed by stop(). */
  async client(opts: IClientOptions): Promise<MqttClient> {
    const c = await connectAsync(this.url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 3000, ...opts });
    this.clients.push(c);
    return c;
  }

  boxClient(boxId: string): Promise<MqttClient> {
    return this.client({ clientId: boxId, username: boxId, password: this.boxPasswords.get(boxId)! });
  }

  of<K extends Signal['kind']>(kind: K): Array<Extract<Signal, { kind: K }>> {
    return this.signals.filter((s): s is Extract<Signal, { kind: K }> => s.kind === kind);
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.endAsync(true)));
    await this.sims?.stop();
    await this.transport?.stop();
    await this.broker?.close();
  }
}
