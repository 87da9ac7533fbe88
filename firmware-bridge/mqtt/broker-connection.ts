// The bridge's one MQTT connection to the site broker. mqtt.js would reconnect every second,
// without backoff or jitter (field notes): after a power cut every gateway and box would hit the
// broker in step. So mqtt.js' own reconnect is off and this class reconnects with Backoff.
// Owns the mqtt.js client and the reconnect timer; stop() ends both.
import { connect, type IClientPublishOptions, type MqttClient } from 'mqtt';
import { Backoff } from '../../common/backoff.ts';
import type { Logger } from '../../common/logger.ts';
import { LogLimiter } from '../serial/log-limiter.ts';

export interface BrokerConnectionOptions {
  url: string;
  clientId: string;
  username: string;
  password: string;
  keepaliveS: number;
  /** Subscribed (QoS 1) on every connect: a restarted in-memory broker forgot the session. */
  filters: string[];
  logger: Logger;
  onMessage(topic: string, payload: Buffer): void;
  /** Called on every change between connected (and subscribed) and not. */
  onLink(up: boolean, message: string): void;
  backoff?: Backoff;
}

export class BrokerConnection {
  private client: MqttClient | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private up: boolean | null = null;
  private stopped = false;
  private readonly backoff: Backoff;
  private readonly limiter: LogLimiter;

  constructor(private readonly opts: BrokerConnectionOptions) {
    this.backoff = opts.backoff ?? new Backoff({ initialMs: 500, maxMs: 15_000 });
    this.limiter = new LogLimiter(opts.logger);
  }

  get connected(): boolean {
    return this.up === true;
  }

  /** Resolves once the first attempt ended, connected or not; later attempts run on their own. */
  start(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.stopped = false;
    return new Promise<void>((firstAttemptDone) => {
      const client = connect(this.opts.url, {
        clientId: this.opts.clientId,
        username: this.opts.username,
        password: this.opts.password,
        protocolVersion: 4,
        // Keep the session (and QoS 1 messages queued for us) across our own reconnects.
        clean: false,
        reconnectPeriod: 0,
        resubscribe: false,
        connectTimeout: 5000,
        keepalive: this.opts.keepaliveS,
      });
      this.client = client;
      client.on('connect', () => {
        // Alarm traffic is small writes in quick succession (PUBACK then relay/set): without
        // TCP_NODELAY, Nagle + delayed ACK hold the second write ~40 ms.
        (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
        client
          .subscribeAsync(this.opts.filters, { qos: 1 })
          .then(() => {
            this.backoff.reset();
            this.setLink(true, 'connected to the MQTT broker');
          })
          .catch((err: unknown) => {
            this.limiter.warn('subscribe', { err: String(err) }, 'MQTT subscribe failed; reconnecting');
            client.end(true);
          })
          .finally(firstAttemptDone);
      });
      client.on('close', () => {
        this.setLink(false, 'MQTT broker connection lost');
        firstAttemptDone();
        this.scheduleReconnect();
      });
      client.on('error', (err) => this.limiter.warn('error', { err: err.message }, 'MQTT client error'));
      client.on('message', (topic, payload) => this.opts.onMessage(topic, payload));
    });
  }

  publish(topic: string, payload: Buffer, options: IClientPublishOptions): void {
    // While offline mqtt.js holds QoS 1 messages until the next connect; every caller retries
    // at the application level anyway (acks are re-sent on retransmission, relay/set on timeout).
    this.client?.publish(topic, payload, options, (err) => {
      if (err) this.limiter.warn('publish', { topic, err: err.message }, 'MQTT publish failed');
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const client = this.client;
    this.client = null;
    if (client) await client.endAsync(true);
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.backoff.next();
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped && this.client && !this.client.connected) this.client.reconnect();
    }, delay);
  }

  private setLink(up: boolean, message: string): void {
    if (this.stopped || this.up === up) return;
    this.up = up;
    this.opts.onLink(up, message);
  }
}
