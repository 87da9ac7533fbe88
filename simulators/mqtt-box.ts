// Simulated MQTT alarm boxes: each its own MQTT client against the site broker, speaking the
// topic scheme of firmware-bridge/mqtt/MQTT.md for real (mqtt-box-peer.ts). This class is the
// remote control of the family; it owns the peers and stops them.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { CodedError } from '../common/coded-error.ts';
import type { SimOutputs, SimulatedBoxes } from './simulated-boxes.ts';
import { MqttBoxPeer } from './mqtt-box-peer.ts';

export interface SimulatedMqttBoxesOptions {
  /** mqtt://127.0.0.1:1883 */
  url: string;
  siteId: string;
  boxes: Array<{ boxId: string; password: string }>;
  heartbeatIntervalMs: number;
  /** start() gives up waiting for the broker after this long (the boxes keep trying). */
  startTimeoutMs?: number;
}

export class SimulatedMqttBoxes extends EventEmitter implements SimulatedBoxes {
  readonly boxIds: readonly string[];
  private readonly peers = new Map<string, MqttBoxPeer>();
  private readonly startTimeoutMs: number;

  constructor(options: SimulatedMqttBoxesOptions) {
    super();
    this.startTimeoutMs = options.startTimeoutMs ?? 30_000;
    for (const { boxId, password } of options.boxes) {
      const peer = new MqttBoxPeer(boxId, password, options.url, options.siteId, options.heartbeatIntervalMs, {
        pressed: (eventId, atNs) => this.emit('pressed', boxId, eventId, atNs),
        acked: (eventId) => this.emit('acked', boxId, eventId),
        relayCommand: (outputs, atNs) => this.emit('relay-command', boxId, outputs, atNs),
        outputs: (outputs, atNs) => this.emit('outputs', boxId, outputs, atNs),
        connected: () => this.emit('connected', boxId),
      });
      this.peers.set(boxId, peer);
    }
    this.boxIds = options.boxes.map((b) => b.boxId);
  }

  /** Connects every box; resolves when all are connected (the broker may still be starting). */
  async start(): Promise<void> {
    await this.plugAll();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.peers.values()].map((p) => p.stop()));
  }

  press(boxId: string): number {
    return this.peer(boxId).queueEvent((eventId, at) => ({ type: 'button', state: 'pressed', eventId, at }));
  }

  release(boxId: string): number {
    return this.peer(boxId).queueEvent((eventId, at) => ({ type: 'button', state: 'released', eventId, at }));
  }

  tamper(boxId: string, open: boolean): number {
    return this.peer(boxId).queueEvent((eventId, at) => ({ type: 'tamper', state: open ? 'open' : 'closed', eventId, at }));
  }

  fault(boxId: string, code: string, active: boolean): number {
    return this.peer(boxId).queueEvent((eventId, at) => ({ type: 'fault', code, active, eventId, at }));
  }

  setHeartbeats(boxId: string, on: boolean): void {
    this.peer(boxId).setHeartbeats(on);
  }

  /** A malformed payload on the first box's own event topic (default: random bytes). */
  sendGarbage(bytes?: Buffer): void {
    const first = this.boxIds[0];
    if (first) this.peer(first).publishRaw('event', bytes ?? randomBytes(32));
  }

  /** Every box's connection is destroyed abruptly, so the broker publishes each one's last will. */
  async unplug(): Promise<void> {
    await Promise.all([...this.peers.values()].map((p) => p.unplug()));
  }

  async replug(): Promise<void> {
    await this.plugAll();
  }

  outputs(boxId: string): SimOutputs {
    return this.peer(boxId).outputs;
  }

  private plugAll(): Promise<void> {
    const waiting = new Set([...this.peers.values()].filter((p) => !p.connected).map((p) => p.boxId));
    for (const p of this.peers.values()) p.plugIn();
    if (waiting.size === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onConnected = (boxId: string) => {
        waiting.delete(boxId);
        if (waiting.size > 0) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(new CodedError('SIM_MQTT_CONNECT_TIMEOUT', `MQTT boxes not connected within ${this.startTimeoutMs} ms: ${[...waiting].join(', ')}`));
      }, this.startTimeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.off('connected', onConnected);
      };
      this.on('connected', onConnected);
    });
  }

  private peer(boxId: string): MqttBoxPeer {
    const peer = this.peers.get(boxId);
    if (!peer) throw new Error(`no simulated MQTT box "${boxId}"`);
    return peer;
  }
}
