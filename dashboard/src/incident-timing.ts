// How long the centre took (or is taking) to acknowledge an incident and to get someone on
// scene, against the site's targets (site.response). Pure: "now" comes in as a value.
// Contract #5: to acknowledge = first 'acknowledge' step - openedAt; to arrive = first
// 'on-scene' step - openedAt.
import type { Incident, ResponseTargets } from './api-types.ts';

export type TimingPhase =
  /** The step happened; `seconds` is final. */
  | 'done'
  /** Still waiting for the step; `seconds` keeps running. */
  | 'running'
  /** The incident ended (cancelled, say) without the step: nothing to measure. */
  | 'none';

export interface Timing {
  phase: TimingPhase;
  /** Whole seconds from the alarm; null when phase is 'none'. */
  seconds: number | null;
  targetS: number;
  /** Over target (for 'running' too: the target has already been missed). */
  over: boolean;
}

export interface IncidentTiming {
  acknowledge: Timing;
  arrive: Timing;
}

/** States in which nobody is on scene yet and the clock to arrive still runs. */
const AWAITING_ARRIVAL = new Set(['new', 'acknowledged', 'dispatched', 'accepted', 'en_route']);

function firstStepAt(incident: Incident, action: string): number | null {
  for (const step of incident.steps) {
    if (step.action !== action) continue;
    const t = Date.parse(step.at);
    if (!Number.isNaN(t)) return t;
  }
  return null;
}

function measure(openedMs: number, stepMs: number | null, waiting: boolean, nowMs: number, targetS: number): Timing {
  if (stepMs !== null) {
    const seconds = Math.max(0, Math.floor((stepMs - openedMs) / 1000));
    return { phase: 'done', seconds, targetS, over: seconds > targetS };
  }
  if (!waiting) return { phase: 'none', seconds: null, targetS, over: false };
  const seconds = Math.max(0, Math.floor((nowMs - openedMs) / 1000));
  return { phase: 'running', seconds, targetS, over: seconds > targetS };
}

export function incidentTiming(incident: Incident, targets: ResponseTargets, nowMs: number): IncidentTiming {
  const openedMs = Date.parse(incident.openedAt);
  if (Number.isNaN(openedMs)) {
    const none = (targetS: number): Timing => ({ phase: 'none', seconds: null, targetS, over: false });
    return { acknowledge: none(targets.acknowledgeS), arrive: none(targets.arriveS) };
  }
  return {
    acknowledge: measure(openedMs, firstStepAt(incident, 'acknowledge'), incident.state === 'new', nowMs, targets.acknowledgeS),
    arrive: measure(openedMs, firstStepAt(incident, 'on-scene'), AWAITING_ARRIVAL.has(incident.state), nowMs, targets.arriveS),
  };
}

/** 75 -> "1:15", 3725 -> "1:02:05"; null -> "—". */
export function durationText(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}
