// Shared test data for the domain: the demo school's real site file and event builders.
import { resolve } from 'node:path';
import { loadSiteConfig } from '../../../config/load.ts';
import type { DeviceEvent } from '../../../firmware-bridge/link/messages.ts';
import type { Incident } from '../../../gateway/domain/incident.ts';

export const site = loadSiteConfig(resolve('config/demo-school.yaml'));

let seq = 0;
export function deviceEvent(kind: DeviceEvent['kind'], boxId: string | null, at = '2026-11-23T02:00:00.000Z', detail: Record<string, unknown> = {}): DeviceEvent {
  seq += 1;
  return { seq, at, kind, boxId, source: 'line-a', boxEventId: null, detail };
}

export function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'INC-20261123-0001',
    seq: 1,
    boxId: 'box-gate',
    kind: 'panic',
    priority: 'red',
    state: 'new',
    openedAt: '2026-11-23T02:00:00.000Z',
    steps: [{ action: 'opened', at: '2026-11-23T02:00:00.000Z', by: 'system' }],
    ...over,
  };
}
