// Shape checks for the replies the patrol page reads. The incident check knows every state of
// the closed loop (accepted and en_route included).
import type { Incident, IncidentState } from '../api-types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

const STATES: readonly IncidentState[] = [
  'new',
  'acknowledged',
  'dispatched',
  'accepted',
  'en_route',
  'on_scene',
  'resolved',
  'closed',
  'cancelled',
];

const isStep = (v: unknown): boolean =>
  isObj(v) &&
  isStr(v.action) &&
  isStr(v.at) &&
  isStr(v.by) &&
  (v.note === undefined || isStr(v.note)) &&
  (v.team === undefined || isStr(v.team));

export function parseIncident(v: unknown): Incident | null {
  if (!isObj(v)) return null;
  if (!isStr(v.id) || !isStr(v.boxId) || !isStr(v.openedAt)) return null;
  if (v.kind !== 'panic' && v.kind !== 'tamper' && v.kind !== 'fault') return null;
  if (v.priority !== 'red' && v.priority !== 'orange' && v.priority !== 'yellow') return null;
  if (!isStr(v.state) || !(STATES as readonly string[]).includes(v.state)) return null;
  if (!Array.isArray(v.steps) || !v.steps.every(isStep)) return null;
  return v as unknown as Incident;
}
