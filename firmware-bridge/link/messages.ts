// The link between the firmware bridge and the gateway: newline-delimited JSON on a Unix socket
// in the data directory. The bridge owns the socket; the gateway connects. Both sides check every
// line against these schemas and drop (and log) what does not fit.
import { z } from 'zod';

export const MAX_LINK_LINE_BYTES = 64 * 1024;

export const OutputsSchema = z.strictObject({ strobe: z.boolean(), siren: z.boolean() });

export const DeviceEventKind = z.enum([
  'button-pressed',
  'button-released',
  'tamper-open',
  'tamper-closed',
  'fault',
  'fault-cleared',
  'online',
  'offline',
  /** The interlock latched a box: strobe (and siren unless silent) on until reset. */
  'latched',
  /** An authorised person reset a latched box. */
  'reset',
  /** What the box reports its strobe and siren are doing. */
  'outputs',
  /** A relay command failed after retries: the box may not be sounding. */
  'output-failed',
  'transport-down',
  'transport-up',
  /** Ops test mode exercised a box. */
  'test',
  // Camera events, recorded by the gateway itself (boxId holds the camera id, source 'onvif').
  'camera-online',
  'camera-offline',
  'camera-auth-failed',
  'camera-motion',
  'camera-motion-end',
  'camera-tamper',
  'camera-tamper-end',
]);
export type DeviceEventKind = z.infer<typeof DeviceEventKind>;

export const DeviceEventSchema = z.strictObject({
  /** Durable outbox sequence of the bridge: strictly increasing, never reused. */
  seq: z.number().int().positive(),
  at: z.iso.datetime(),
  kind: DeviceEventKind,
  boxId: z.string().max(64).nullable(),
  /** The line, bus or broker it came through. */
  source: z.string().max(64),
  /** The box's own event counter, where the wire has one. */
  boxEventId: z.number().int().min(0).nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type DeviceEvent = z.infer<typeof DeviceEventSchema>;

export const BoxStateSchema = z.strictObject({
  boxId: z.string(),
  online: z.boolean(),
  latched: z.boolean(),
  pressed: z.boolean(),
  tamper: z.boolean(),
  faults: z.array(z.string()),
  /** What we last commanded. */
  commanded: OutputsSchema,
  /** What the box last reported, if it ever did. */
  reported: OutputsSchema.nullable(),
  lastSeen: z.iso.datetime().nullable(),
});
export type BoxState = z.infer<typeof BoxStateSchema>;

/** An ops test window: from one second (a relay check) to five minutes (walk to the box, press it). */
export const TEST_MIN_MS = 1000;
export const TEST_MAX_MS = 300000;

export const BridgeCommandSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('reset'), boxId: z.string().max(64), by: z.string().max(64) }),
  z.strictObject({ kind: z.literal('test'), boxId: z.string().max(64), by: z.string().max(64), durationMs: z.number().int().min(TEST_MIN_MS).max(TEST_MAX_MS) }),
]);
export type BridgeCommand = z.infer<typeof BridgeCommandSchema>;

/** Bridge → gateway. */
export const BridgeMessageSchema = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('hello'), bridgeId: z.string(), boxes: z.array(BoxStateSchema) }),
  z.strictObject({ t: z.literal('event'), event: DeviceEventSchema }),
  z.strictObject({ t: z.literal('state'), box: BoxStateSchema }),
  z.strictObject({ t: z.literal('result'), id: z.number().int(), ok: z.boolean(), code: z.string().optional(), message: z.string().optional() }),
]);
export type BridgeMessage = z.infer<typeof BridgeMessageSchema>;

/** Gateway → bridge. */
export const GatewayMessageSchema = z.discriminatedUnion('t', [
  /** Everything up to and including seq is in the gateway's journal. */
  z.strictObject({ t: z.literal('ack'), seq: z.number().int().min(0) }),
  z.strictObject({ t: z.literal('command'), id: z.number().int(), command: BridgeCommandSchema }),
]);
export type GatewayMessage = z.infer<typeof GatewayMessageSchema>;
