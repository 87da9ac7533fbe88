// Protocol v1 messages in the site's words. Pure mapping; the line decides when to call it.
import type { BoxSignal } from '../transport/box-transport.ts';
import { faultName, selfTestFaultNames, type Message } from '../protocol/messages.ts';

/** The signal a box message carries, or null for link-level messages (ACK, NAK, commands). */
export function toBoxSignal(boxId: string, m: Message): BoxSignal | null {
  switch (m.type) {
    case 'button':
      return { kind: 'button', boxId, pressed: m.pressed, eventId: m.eventId };
    case 'tamper':
      return { kind: 'tamper', boxId, open: m.open, eventId: m.eventId };
    case 'fault':
      return { kind: 'fault', boxId, code: faultName(m.code), active: m.active, eventId: m.eventId };
    case 'heartbeat':
      return { kind: 'heartbeat', boxId, selfTestOk: m.selfTestFaults === 0, faults: selfTestFaultNames(m.selfTestFaults), outputs: m.outputs };
    case 'relay-report':
      return { kind: 'outputs', boxId, outputs: m.state };
    default:
      return null;
  }
}
