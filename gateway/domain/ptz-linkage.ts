// Alarm linkage of PTZ domes, as pure rules: which alarm a dome serves, when it scans, when it
// goes home, and how it yields to an operator. Time comes in as values; the runner owns timers.
//
// The rule when alarms compete for one dome: the higher priority wins (red > orange > yellow);
// between equal priorities the newer alarm wins. The alarm that loses is logged and stays a
// contender: when the winner closes, the dome turns to the best alarm still open. An operator
// who takes a dome by hand holds it until they release it or the hold expires; linkage does not
// fight them, it only remembers what it would have done.
import type { PriorityColour } from '../../config/schema.ts';

export interface AlarmClaim {
  incidentId: string;
  priority: PriorityColour;
  /** ISO time the alarm was raised, and journal order to break ties. */
  openedAt: string;
  seq: number;
  preset: string;
}

export type LinkageAction =
  | { kind: 'goto-preset'; cameraId: string; preset: string; incidentId: string }
  | { kind: 'schedule-scan'; cameraId: string; incidentId: string; afterMs: number }
  | { kind: 'start-scan'; cameraId: string; incidentId: string }
  | { kind: 'go-home'; cameraId: string }
  | { kind: 'log'; cameraId: string; incidentId: string; message: string };

export interface DomeView {
  cameraId: string;
  /** The alarm the dome is turned to (or would be, under manual control). */
  serving: string | null;
  phase: 'idle' | 'dwell' | 'scan';
  manual: { by: string; untilMs: number } | null;
  contenders: string[];
}

const RANK: Record<PriorityColour, number> = { red: 3, orange: 2, yellow: 1 };

/** Positive when a beats b. */
export function compareClaims(a: AlarmClaim, b: AlarmClaim): number {
  if (RANK[a.priority] !== RANK[b.priority]) return RANK[a.priority] - RANK[b.priority];
  const t = Date.parse(a.openedAt) - Date.parse(b.openedAt);
  return t !== 0 ? t : a.seq - b.seq;
}

interface Dome {
  dwellMs: number;
  claims: AlarmClaim[];
  serving: string | null;
  phase: 'idle' | 'dwell' | 'scan';
  manual: { by: string; untilMs: number } | null;
}

export class PtzLinkage {
  private readonly domes = new Map<string, Dome>();

  constructor(domes: ReadonlyArray<{ cameraId: string; dwellMs: number }>) {
    for (const d of domes) this.domes.set(d.cameraId, { dwellMs: d.dwellMs, claims: [], serving: null, phase: 'idle', manual: null });
  }

  /** An alarm opened at a box: every dome linked to it with a preset. */
  alarmOpened(claim: Omit<AlarmClaim, 'preset'>, links: ReadonlyArray<{ cameraId: string; preset: string }>): LinkageAction[] {
    const actions: LinkageAction[] = [];
    for (const link of links) {
      const dome = this.domes.get(link.cameraId);
      if (!dome || dome.claims.some((c) => c.incidentId === claim.incidentId)) continue;
      const full = { ...claim, preset: link.preset };
      dome.claims.push(full);
      const current = dome.claims.find((c) => c.incidentId === dome.serving);
      if (current && compareClaims(full, current) < 0) {
        actions.push({ kind: 'log', cameraId: link.cameraId, incidentId: claim.incidentId, message: `dome kept on ${current.incidentId} (${current.priority}); ${claim.incidentId} (${claim.priority}) waits` });
        continue;
      }
      if (current) actions.push({ kind: 'log', cameraId: link.cameraId, incidentId: current.incidentId, message: `dome taken by ${claim.incidentId} (${claim.priority})` });
      actions.push(...this.serve(link.cameraId, dome, full));
    }
    return actions;
  }

  /** The alarm is closed or cancelled: the dome turns to the best alarm left, or home. */
  alarmClosed(incidentId: string): LinkageAction[] {
    const actions: LinkageAction[] = [];
    for (const [cameraId, dome] of this.domes) {
      const before = dome.claims.length;
      dome.claims = dome.claims.filter((c) => c.incidentId !== incidentId);
      if (dome.claims.length === before || dome.serving !== incidentId) continue;
      actions.push(...this.next(cameraId, dome));
    }
    return actions;
  }

  /** The dwell after turning to an alarm is over: scan, unless something changed meanwhile. */
  dwellElapsed(cameraId: string, incidentId: string): LinkageAction[] {
    const dome = this.domes.get(cameraId);
    if (!dome || dome.serving !== incidentId || dome.phase !== 'dwell' || dome.manual) return [];
    dome.phase = 'scan';
    return [{ kind: 'start-scan', cameraId, incidentId }];
  }

  takeManual(cameraId: string, by: string, nowMs: number, holdMs: number): boolean {
    const dome = this.domes.get(cameraId);
    if (!dome) return false;
    dome.manual = { by, untilMs: nowMs + holdMs };
    return true;
  }

  /** The operator let go (or the hold expired): resume what linkage would be doing. */
  releaseManual(cameraId: string): LinkageAction[] {
    const dome = this.domes.get(cameraId);
    if (!dome || !dome.manual) return [];
    dome.manual = null;
    return this.next(cameraId, dome);
  }

  /** Holds that expired by nowMs are released. */
  expireManual(nowMs: number): LinkageAction[] {
    const actions: LinkageAction[] = [];
    for (const [cameraId, dome] of this.domes) if (dome.manual && dome.manual.untilMs <= nowMs) actions.push(...this.releaseManual(cameraId));
    return actions;
  }

  view(cameraId: string): DomeView | null {
    const d = this.domes.get(cameraId);
    if (!d) return null;
    return { cameraId, serving: d.serving, phase: d.phase, manual: d.manual ? { ...d.manual } : null, contenders: d.claims.map((c) => c.incidentId) };
  }

  private next(cameraId: string, dome: Dome): LinkageAction[] {
    const best = [...dome.claims].sort((a, b) => compareClaims(b, a))[0];
    if (best) return this.serve(cameraId, dome, best);
    dome.serving = null;
    dome.phase = 'idle';
    return dome.manual ? [] : [{ kind: 'go-home', cameraId }];
  }

  private serve(cameraId: string, dome: Dome, claim: AlarmClaim): LinkageAction[] {
    dome.serving = claim.incidentId;
    dome.phase = 'dwell';
    if (dome.manual) return [{ kind: 'log', cameraId, incidentId: claim.incidentId, message: `operator ${dome.manual.by} holds the dome; linkage waits` }];
    return [
      { kind: 'goto-preset', cameraId, preset: claim.preset, incidentId: claim.incidentId },
      { kind: 'schedule-scan', cameraId, incidentId: claim.incidentId, afterMs: dome.dwellMs },
    ];
  }
}
