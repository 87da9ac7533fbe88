// What every simulated alarm-box family (serial line, Modbus IO module, MQTT) lets a test or
// the CLI do. Each family is a real protocol peer; this is only its remote control.
import type { EventEmitter } from 'node:events';

export interface SimOutputs {
  strobe: boolean;
  siren: boolean;
}

/**
 * Events every simulator emits:
 * - 'outputs' (boxId: string, outputs: SimOutputs, atNs: bigint) when a relay command changed a box's outputs;
 *   atNs is process.hrtime.bigint() at the moment the command was read off the wire.
 * - 'relay-command' (boxId: string, outputs: SimOutputs, atNs: bigint) for every relay command read, changed or not.
 * - 'acked' (boxId: string, eventId: number) when the gateway acknowledged an event the box sent.
 * - 'pressed' (boxId: string, eventId: number, atNs: bigint) when a press left the box (first transmission).
 */
export interface SimulatedBoxes extends EventEmitter {
  readonly boxIds: readonly string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Returns the box's event id for this press (serial and MQTT) or 0 where the wire has none (Modbus). */
  press(boxId: string): number;
  release(boxId: string): number;
  tamper(boxId: string, open: boolean): number;
  fault(boxId: string, code: string, active: boolean): number;
  setHeartbeats(boxId: string, on: boolean): void;
  /** Writes random bytes (or the given ones) onto the wire. No-op where the wire is not a byte stream. */
  sendGarbage(bytes?: Buffer): void;
  /** Takes the line away from the gateway (serial: the pty vanishes; MQTT: the boxes disconnect). */
  unplug(): Promise<void>;
  replug(): Promise<void>;
  outputs(boxId: string): SimOutputs;
}
