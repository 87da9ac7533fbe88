// One simulated MQTT alarm box: what its firmware would do. Sends alarm events stop-and-wait
// (one in flight, in order) and repeats the head every 1 s (first after 500 ms) until the
// gateway's application ack; heartbeats; obeys relay/set and answers relay/state. Owns its
// mqtt.js client, heartbeat and retry timers.
import { connect, type MqttClient } from 'mqtt';
import { AckPayload, RelaySetPayload, encodePayload, parsePayload, type EventPayload } from '../firmware-bridge/mqtt/payloads.ts';
import { boxTopic, type BoxLeaf } from '../firmware-bridge/mqtt/topics.ts';
import type { SimOutputs } from './simulated-boxes.ts';

export const FIRST_RETRY_MS = 500;
export const RETRY_MS = 1000;

export interface MqttBoxPeerHooks {
  pressed(eventId: number, atNs: bigint): void;
  acked(eventId: number): void;
  relayCommand(outputs: SimOutputs, atNs: bigint): void;
  outputs(outputs: SimOutputs, atNs: bigint): void;
  connected(): void;
}

type AlarmEvent = Exclude<EventPayload, { type: 'heartbeat' }>;

export class MqttBoxPeer {
  private client: MqttClient | null = null;
  // A real box keeps its counter in EEPROM across reboots; a fresh simulator starts anywhere,
  // so a bridge that still remembers an earlier run's ids does not take new events for repeats.
  private eventCounter = Math.floor(Math.random() * 0x7fff_ffff);
  private readonly queue: Array<{ event: AlarmEvent; sent: number }> = [];
  private retryTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private heartbeatsOn = true;
  private current: SimOutputs = { strobe: false, siren: false };
  private readonly bootedAt = Date.now();

  constructor(
    readonly boxId: string,
    private readonly password: string,
    private readonly url: string,
    private readonly siteId: string,
    private readonly heartbeatIntervalMs: number,
    private readonly hooks: MqttBoxPeerHooks,
  ) {}

  get outputs(): SimOutputs {
    return { ...this.current };
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Connects (mqtt.js retries every 250 ms until the broker is there). */
  plugIn(): void {
    if (this.client) return;
    const client = connect(this.url, {
      clientId: this.boxId,
      username: this.boxId,
      password: this.password,
      protocolVersion: 4,
      clean: true,
      resubscribe: false,
      reconnectPeriod: 250,
      connectTimeout: 5000,
      keepalive: 10,
      will: { topic: this.topic('status'), payload: encodePayload({ state: 'offline' }), qos: 1, retain: true },
    });
    this.client = client;
    client.on('connect', () => {
      (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      client.publish(this.topic('status'), encodePayload({ state: 'online' }), { qos: 1, retain: true });
      client.subscribe([this.topic('relay/set'), this.topic('ack')], { qos: 1 });
      this.heartbeat();
      const head = this.queue[0];
      if (head) this.transmit();
      this.hooks.connected();
    });
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('error', () => undefined); // refused or reset: mqtt.js retries; the test watches the outcome
  }

  /** Abrupt: the socket is destroyed without DISCONNECT, so the broker publishes the will. */
  async unplug(): Promise<void> {
    this.stopTimers();
    const client = this.client;
    this.client = null;
    if (client) await client.endAsync(true);
  }

  async stop(): Promise<void> {
    await this.unplug();
  }

  setHeartbeats(on: boolean): void {
    this.heartbeatsOn = on;
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
    if (on && this.connected) this.scheduleHeartbeat();
  }

  queueEvent(make: (eventId: number, at: string) => AlarmEvent): number {
    this.eventCounter = (this.eventCounter + 1) >>> 0;
    const eventId = this.eventCounter;
    this.queue.push({ event: make(eventId, new Date().toISOString()), sent: 0 });
    if (this.queue.length === 1) this.transmit();
    return eventId;
  }

  publishRaw(leaf: BoxLeaf, payload: Buffer): void {
    this.client?.publish(this.topic(leaf), payload, { qos: 1 });
  }

  private transmit(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const head = this.queue[0];
    if (!head || !this.client) return;
    if (this.client.connected) {
      head.sent++;
      this.client.publish(this.topic('event'), encodePayload(head.event), { qos: 1 });
      if (head.sent === 1 && head.event.type === 'button' && head.event.state === 'pressed') this.hooks.pressed(head.event.eventId, process.hrtime.bigint());
    }
    // Offline, the timer keeps running; the connect handler also sends the head at once.
    this.retryTimer = setTimeout(() => this.transmit(), head.sent <= 1 ? FIRST_RETRY_MS : RETRY_MS);
  }

  private onMessage(topic: string, payload: Buffer): void {
    const atNs = process.hrtime.bigint();
    if (topic === this.topic('ack')) {
      const ack = parsePayload(AckPayload, payload);
      const head = this.queue[0];
      if (!ack.ok || !head || head.event.eventId !== ack.value.eventId) return; // stale ack of an earlier repeat
      this.queue.shift();
      this.hooks.acked(ack.value.eventId);
      this.transmit();
      return;
    }
    if (topic !== this.topic('relay/set')) return;
    const cmd = parsePayload(RelaySetPayload, payload);
    if (!cmd.ok) return;
    const next: SimOutputs = { strobe: cmd.value.strobe, siren: cmd.value.siren };
    const changed = next.strobe !== this.current.strobe || next.siren !== this.current.siren;
    this.current = next;
    this.hooks.relayCommand({ ...next }, atNs);
    if (changed) this.hooks.outputs({ ...next }, atNs);
    // A repeated cmdId is answered again: the gateway's retry means our first answer was lost.
    this.client?.publish(this.topic('relay/state'), encodePayload({ ...next, cmdId: cmd.value.cmdId }), { qos: 1 });
  }

  private heartbeat(): void {
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
    if (!this.heartbeatsOn || !this.client?.connected) return;
    const beat: EventPayload = {
      type: 'heartbeat',
      selfTest: { ok: true, faults: [] },
      outputs: { ...this.current },
      uptimeS: Math.floor((Date.now() - this.bootedAt) / 1000),
    };
    this.client.publish(this.topic('event'), encodePayload(beat), { qos: 1 });
    this.scheduleHeartbeat();
  }

  private scheduleHeartbeat(): void {
    // Up to 10 % early, never late (as the serial boxes): boxes drift apart, supervision never trips.
    this.heartbeatTimer = setTimeout(() => this.heartbeat(), this.heartbeatIntervalMs * (0.9 + 0.1 * Math.random()));
  }

  private stopTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.retryTimer = null;
    this.heartbeatTimer = null;
  }

  private topic(leaf: BoxLeaf): string {
    return boxTopic(this.siteId, this.boxId, leaf);
  }
}
