// What every alarm-box transport (RS-485 line, Modbus bus, MQTT) offers the bridge.
// A transport knows a wire format; it knows nothing of latches, incidents or users.

export interface Outputs {
  strobe: boolean;
  siren: boolean;
}

/** What a box said, in the site's words, whatever the wire. */
export type BoxSignal =
  /** eventId: the box's own event counter, so a retransmission is recognised. */
  | { kind: 'button'; boxId: string; pressed: boolean; eventId?: number }
  | { kind: 'tamper'; boxId: string; open: boolean; eventId?: number }
  | { kind: 'fault'; boxId: string; code: string; active: boolean; eventId?: number }
  /** Proof of life. outputs: what the box says its strobe and siren are doing. */
  | { kind: 'heartbeat'; boxId: string; selfTestOk: boolean; faults: string[]; outputs?: Outputs }
  /** A relay state report (answer to a command, or a change the box made itself). */
  | { kind: 'outputs'; boxId: string; outputs: Outputs }
  /** The transport learnt directly that a box went away or came back (MQTT last will, module poll). */
  | { kind: 'presence'; boxId: string; online: boolean; reason: string };

/** The wire itself: a serial port vanished, a Modbus module stopped answering, the broker went away. */
export interface TransportSignal {
  kind: 'transport';
  transportId: string;
  up: boolean;
  code: string;
  message: string;
}

/**
 * Where a transport hands what it heard. The promise resolves once the signal is safely
 * recorded; only then may the transport acknowledge it to the box (serial ACK, MQTT ack).
 * If it rejects, the transport does not acknowledge and the box repeats.
 */
export type SignalSink = (signal: BoxSignal | TransportSignal) => Promise<void>;

export interface BoxTransport {
  /** The line, bus or broker id from the site file. */
  readonly id: string;
  /** The alarm boxes this transport carries. */
  readonly boxIds: readonly string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Drive a box's strobe and siren. The request goes on the wire before anything queued later;
   * resolves when the box (or IO module) confirmed, rejects with a CodedError after retries.
   */
  setOutputs(boxId: string, outputs: Outputs): Promise<void>;
}
