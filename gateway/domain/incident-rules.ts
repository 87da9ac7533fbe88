// What a device event means for incidents (GB 50394): a press always raises an alarm, a second
// press on the same box joins the incident already open, tamper raises an alarm armed or not,
// faults raise one yellow incident per box. A press inside an ops test window (the bridge marks it
// detail.test = true) is journalled but opens nothing: nobody is dispatched to a technician's test.
// Pure: the journal runs this inside its transaction.
import type { DeviceEvent } from '../../firmware-bridge/link/messages.ts';
import type { PriorityColour, SiteConfig } from '../../config/schema.ts';
import { isOpen, type Incident, type IncidentKind, type IncidentStep } from './incident.ts';

export type IncidentChange =
  | { type: 'open'; boxId: string; kind: IncidentKind; priority: PriorityColour; openedAt: string; step: IncidentStep }
  | { type: 'step'; incidentId: string; step: IncidentStep };

export const SYSTEM_ACTOR = 'system';

/** An alarm from a box the site file does not know is still an alarm: treat it as the most urgent. */
const UNKNOWN_BOX_PRIORITY: PriorityColour = 'red';

function incidentKindOf(event: DeviceEvent): IncidentKind | null {
  switch (event.kind) {
    case 'button-pressed':
      return 'panic';
    case 'tamper-open':
    case 'camera-tamper':
      return 'tamper';
    case 'camera-offline':
    case 'camera-auth-failed':
    case 'offline':
    case 'fault':
    case 'output-failed':
      return 'fault';
    default:
      return null;
  }
}

/** The bridge marks a press inside a box's test window; its relays were driven all the same. */
export function isTestEvent(event: DeviceEvent): boolean {
  return event.detail.test === true;
}

function priorityFor(kind: IncidentKind, boxPriority: PriorityColour): PriorityColour {
  if (kind === 'panic') return boxPriority;
  if (kind === 'tamper') return boxPriority === 'red' ? 'red' : 'orange';
  return 'yellow';
}

/** A short human note of what the box said, for the incident record. */
function describe(event: DeviceEvent): string | undefined {
  const code = event.detail.code ?? event.detail.reason;
  return typeof code === 'string' && code.length > 0 ? `${event.kind}: ${code}`.slice(0, 200) : event.kind === 'button-pressed' ? undefined : event.kind;
}

export function decideIncidentChanges(event: DeviceEvent, site: SiteConfig, open: readonly Incident[]): IncidentChange[] {
  const kind = incidentKindOf(event);
  if (kind === null || event.boxId === null || isTestEvent(event)) return [];
  const boxId = event.boxId;
  const box = site.alarmBoxes.find((b) => b.id === boxId);
  const note = describe(event);
  const existing = open.find((i) => i.boxId === boxId && i.kind === kind && isOpen(i.state));
  if (existing) {
    const step: IncidentStep = { action: 're-triggered', at: event.at, by: SYSTEM_ACTOR };
    if (note !== undefined) step.note = note;
    return [{ type: 'step', incidentId: existing.id, step }];
  }
  const step: IncidentStep = { action: 'opened', at: event.at, by: SYSTEM_ACTOR };
  if (note !== undefined) step.note = note;
  // A camera is not a box: its tamper is orange, its faults yellow.
  const devicePriority = box?.priority ?? (site.cameras.some((c) => c.id === boxId) ? 'orange' : UNKNOWN_BOX_PRIORITY);
  return [{ type: 'open', boxId, kind, priority: priorityFor(kind, devicePriority), openedAt: event.at, step }];
}
