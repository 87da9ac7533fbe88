// MQTT alarm boxes, seen from the bridge: one connection to the site broker carries every box.
// Maps the topic scheme (MQTT.md) to BoxSignals and acknowledges an alarm event only after the
// sink recorded it (a broker PUBACK proves nothing durable). Owns the broker connection, the
// relay command timers and the per-box delivery queues.
import { CodedError } from '../../common/coded-error.ts';
import type { Logger } from '../../common/logger.ts';
import { EventDedup } from '../serial/event-dedup.ts';
import { LogLimiter } from '../serial/log-limiter.ts';
import type { BoxSignal, BoxTransport, Outputs, SignalSink } from '../transport/box-transport.ts';
import { BrokerConnection } from './broker-connection.ts';
import { AckPayload, EventPayload, RelaySetPayload, RelayStatePayload, StatusPayload, encodePayload, parsePayload, type AlarmEventPayload } from './payloads.ts';
import { RelayRequests } from './relay-requests.ts';
import { allBoxesFilter, boxTopic, parseBoxTopic } from './topics.ts';

export interface MqttBoxTransportOptions {
  /** mqtt://127.0.0.1:1883 */
  url: string;
  siteId: string;
  username: string;
  password: string;
  boxes: string[];
  /** The boxes' heartbeat interval: the bridge's own MQTT keepalive follows it, so a dead broker is noticed as fast as a silent box. */
  heartbeatIntervalMs: number;
  sink: SignalSink;
  logger: Logger;
}

const CLIENT_ID = 'bridge';

export class MqttBoxTransport implements BoxTransport {
  readonly id = 'mqtt';
  readonly boxIds: readonly string[];
  private readonly opts: MqttBoxTransportOptions;
  private readonly connection: BrokerConnection;
  private readonly relays: RelayRequests;
  private readonly limiter: LogLimiter;
  /** EventDedup keys boxes by number: the box's index in the list. */
  private readonly boxIndex = new Map<string, number>();
  private readonly dedup = new EventDedup();
  /** One delivery at a time per box, so a box's events reach the sink in the order it sent them. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(opts: MqttBoxTransportOptions) {
    this.opts = opts;
    this.boxIds = [...opts.boxes];
    opts.boxes.forEach((b, i) => this.boxIndex.set(b, i));
    this.limiter = new LogLimiter(opts.logger);
    this.relays = new RelayRequests((boxId, cmdId, outputs) =>
      this.connection.publish(boxTopic(opts.siteId, boxId, 'relay/set'), encodePayload(RelaySetPayload.parse({ ...outputs, cmdId })), { qos: 1 }),
    );
    this.connection = new BrokerConnection({
      url: opts.url,
      clientId: CLIENT_ID,
      username: opts.username,
      password: opts.password,
      keepaliveS: Math.min(60, Math.max(2, Math.ceil(opts.heartbeatIntervalMs / 1000))),
      filters: (['event', 'status', 'relay/state'] as const).map((leaf) => allBoxesFilter(opts.siteId, leaf)),
      logger: opts.logger,
      onMessage: (topic, payload) => this.onMessage(topic, payload),
      onLink: (up, message) => this.report(up, message),
    });
  }

  start(): Promise<void> {
    return this.connection.start();
  }

  async stop(): Promise<void> {
    this.relays.cancelAll(new CodedError('MQTT_TRANSPORT_STOPPED', 'the MQTT transport stopped'));
    await this.connection.stop();
  }

  setOutputs(boxId: string, outputs: Outputs): Promise<void> {
    if (!this.boxIndex.has(boxId)) return Promise.reject(new CodedError('MQTT_UNKNOWN_BOX', `box ${boxId} is not an MQTT box of this site`, { boxId }));
    return this.relays.command(boxId, { strobe: outputs.strobe, siren: outputs.siren });
  }

  private report(up: boolean, message: string): void {
    const code = up ? 'MQTT_BROKER_CONNECTED' : 'MQTT_BROKER_LOST';
    this.opts.sink({ kind: 'transport', transportId: this.id, up, code, message }).catch((err: unknown) => this.opts.logger.error({ err, code }, 'sink refused a transport signal'));
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parsed = parseBoxTopic(this.opts.siteId, topic);
    if (!parsed) return this.limiter.warn('topic', { topic }, 'MQTT message on a foreign topic dropped');
    const { boxId, leaf } = parsed;
    if (!this.boxIndex.has(boxId)) return this.limiter.warn(`unknown:${boxId}`, { boxId, topic }, 'MQTT message from a box not in the site file dropped');
    if (leaf === 'relay/state') {
      const state = parsePayload(RelayStatePayload, payload);
      if (!state.ok) return this.badPayload(boxId, topic, state.error);
      // Confirm at once: a slow sink call queued for this box must not time the command out.
      this.relays.onState(boxId, state.value.cmdId);
      return this.enqueue(boxId, () => this.deliver({ kind: 'outputs', boxId, outputs: { strobe: state.value.strobe, siren: state.value.siren } }));
    }
    if (leaf === 'status') {
      const status = parsePayload(StatusPayload, payload);
      if (!status.ok) return this.badPayload(boxId, topic, status.error);
      const online = status.value.state === 'online';
      return this.enqueue(boxId, () => this.deliver({ kind: 'presence', boxId, online, reason: online ? 'MQTT_ONLINE' : 'MQTT_LAST_WILL' }));
    }
    if (leaf !== 'event') return; // our own relay/set and ack are not subscribed to
    const event = parsePayload(EventPayload, payload);
    if (!event.ok) return this.badPayload(boxId, topic, event.error);
    const e = event.value;
    if (e.type === 'heartbeat') {
      return this.enqueue(boxId, () =>
        this.deliver({ kind: 'heartbeat', boxId, selfTestOk: e.selfTest.ok, faults: e.selfTest.faults, outputs: { strobe: e.outputs.strobe, siren: e.outputs.siren } }),
      );
    }
    this.onAlarmEvent(boxId, e);
  }

  private onAlarmEvent(boxId: string, e: AlarmEventPayload): void {
    const index = this.boxIndex.get(boxId)!;
    const verdict = this.dedup.begin(index, e.eventId);
    if (verdict === 'duplicate') return this.ack(boxId, e.eventId); // our ack was lost: say it again
    if (verdict === 'in-flight') return; // the first copy's ack will answer this one too
    this.enqueue(boxId, async () => {
      try {
        await this.opts.sink(toSignal(boxId, e));
      } catch (err) {
        // No ack: the box repeats the event, and the repeat is delivered afresh.
        this.dedup.failed(index, e.eventId);
        this.limiter.warn(`sink:${boxId}`, { boxId, eventId: e.eventId, err: String(err) }, 'sink refused an alarm event; not acknowledged');
        return;
      }
      this.dedup.delivered(index, e.eventId);
      this.ack(boxId, e.eventId);
    });
  }

  private ack(boxId: string, eventId: number): void {
    this.connection.publish(boxTopic(this.opts.siteId, boxId, 'ack'), encodePayload(AckPayload.parse({ eventId })), { qos: 1 });
  }

  private async deliver(signal: BoxSignal): Promise<void> {
    try {
      await this.opts.sink(signal);
    } catch (err) {
      this.limiter.warn(`sink:${signal.boxId}:${signal.kind}`, { boxId: signal.boxId, kind: signal.kind, err: String(err) }, 'sink refused a box signal');
    }
  }

  private enqueue(boxId: string, work: () => Promise<void>): void {
    const next = (this.queues.get(boxId) ?? Promise.resolve()).then(work);
    this.queues.set(boxId, next);
    void next.finally(() => {
      if (this.queues.get(boxId) === next) this.queues.delete(boxId);
    });
  }

  private badPayload(boxId: string, topic: string, error: string): void {
    this.limiter.warn(`payload:${boxId}`, { boxId, topic, error }, 'malformed MQTT payload dropped');
  }
}

function toSignal(boxId: string, e: AlarmEventPayload): BoxSignal {
  switch (e.type) {
    case 'button':
      return { kind: 'button', boxId, pressed: e.state === 'pressed', eventId: e.eventId };
    case 'tamper':
      return { kind: 'tamper', boxId, open: e.state === 'open', eventId: e.eventId };
    case 'fault':
      return { kind: 'fault', boxId, code: e.code, active: e.active, eventId: e.eventId };
  }
}
