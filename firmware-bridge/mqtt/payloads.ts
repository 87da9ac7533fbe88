// JSON payloads of the MQTT topic scheme (MQTT.md). Everything a box sends is hostile until one
// of these schemas accepted it; a payload is capped in size before it is even parsed.
import { z } from 'zod';

/** No legitimate payload comes near this; a bigger one is dropped unread. */
export const MAX_PAYLOAD_BYTES = 4096;

const u32 = z.number().int().min(0).max(0xffff_ffff);
const label = z.string().min(1).max(64);

const Button = z.object({ type: z.literal('button'), state: z.enum(['pressed', 'released']), eventId: u32, at: z.iso.datetime({ offset: true }).optional() });
const Tamper = z.object({ type: z.literal('tamper'), state: z.enum(['open', 'closed']), eventId: u32, at: z.iso.datetime({ offset: true }).optional() });
const Fault = z.object({ type: z.literal('fault'), code: label, active: z.boolean(), eventId: u32, at: z.iso.datetime({ offset: true }).optional() });
const OutputsSchema = z.object({ strobe: z.boolean(), siren: z.boolean() });
const Heartbeat = z.object({
  type: z.literal('heartbeat'),
  selfTest: z.object({ ok: z.boolean(), faults: z.array(label).max(16) }),
  outputs: OutputsSchema,
  uptimeS: z.number().int().min(0),
});

export const EventPayload = z.discriminatedUnion('type', [Button, Tamper, Fault, Heartbeat]);
export type EventPayload = z.infer<typeof EventPayload>;
/** The events a box repeats until acknowledged (a heartbeat is never acknowledged). */
export type AlarmEventPayload = Exclude<EventPayload, { type: 'heartbeat' }>;

export const StatusPayload = z.object({ state: z.enum(['online', 'offline']) });
export type StatusPayload = z.infer<typeof StatusPayload>;

export const RelaySetPayload = OutputsSchema.extend({ cmdId: u32 });
export type RelaySetPayload = z.infer<typeof RelaySetPayload>;

export const RelayStatePayload = OutputsSchema.extend({ cmdId: u32.nullable() });
export type RelayStatePayload = z.infer<typeof RelayStatePayload>;

export const AckPayload = z.object({ eventId: u32 });
export type AckPayload = z.infer<typeof AckPayload>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Size cap, then JSON, then the schema. Never throws. */
export function parsePayload<T>(schema: z.ZodType<T>, payload: Buffer): Parsed<T> {
  if (payload.length > MAX_PAYLOAD_BYTES) return { ok: false, error: `payload of ${payload.length} bytes exceeds ${MAX_PAYLOAD_BYTES}` };
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
}

export function encodePayload<T>(value: T): Buffer {
  return Buffer.from(JSON.stringify(value));
}
