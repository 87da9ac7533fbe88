// Pure pan/tilt/zoom motion: position is a function of time, which comes in as a value (ms).
// Coordinates are ONVIF's generic spaces: pan -1..1 (= -180..+180 deg), tilt -1..1 (= -90..+90 deg), zoom 0..1.

export interface PtzAxes { pan: number; tilt: number; zoom: number }
export interface PtzStatus extends PtzAxes { moving: boolean }

export const PAN_DEG_PER_UNIT = 180;
export const TILT_DEG_PER_UNIT = 90;
const LIMITS = { pan: [-1, 1], tilt: [-1, 1], zoom: [0, 1] } as const;
const AXES = ['pan', 'tilt', 'zoom'] as const;

type Motion =
  | { kind: 'idle' }
  | { kind: 'goto'; target: PtzAxes; speed: PtzAxes /* units per ms */ }
  | { kind: 'velocity'; velocity: PtzAxes /* units per ms */; untilMs: number };

export interface PtzSpeeds { panDegPerS: number; tiltDegPerS: number; zoomPerS: number }

export function clampAxes(p: PtzAxes): PtzAxes {
  return {
    pan: Math.min(LIMITS.pan[1], Math.max(LIMITS.pan[0], p.pan)),
    tilt: Math.min(LIMITS.tilt[1], Math.max(LIMITS.tilt[0], p.tilt)),
    zoom: Math.min(LIMITS.zoom[1], Math.max(LIMITS.zoom[0], p.zoom)),
  };
}

const clamp01 = (v: number): number => Math.min(1, Math.max(0, Math.abs(v)));

export class PtzModel {
  private origin: PtzAxes;
  private t0: number;
  private motion: Motion = { kind: 'idle' };
  /** Full speed of each axis in units per ms. */
  private readonly max: PtzAxes;

  constructor(speeds: PtzSpeeds, start: PtzAxes, nowMs: number) {
    this.origin = clampAxes(start);
    this.t0 = nowMs;
    this.max = {
      pan: speeds.panDegPerS / PAN_DEG_PER_UNIT / 1000,
      tilt: speeds.tiltDegPerS / TILT_DEG_PER_UNIT / 1000,
      zoom: speeds.zoomPerS / 1000,
    };
  }

  statusAt(nowMs: number): PtzStatus {
    const dt = Math.max(0, nowMs - this.t0);
    const m = this.motion;
    if (m.kind === 'idle') return { ...this.origin, moving: false };
    if (m.kind === 'goto') {
      const p = { ...this.origin };
      let moving = false;
      for (const a of AXES) {
        const d = m.target[a] - this.origin[a];
        const step = m.speed[a] * dt;
        if (Math.abs(d) > step) {
          p[a] = this.origin[a] + Math.sign(d) * step;
          moving = true;
        } else p[a] = m.target[a];
      }
      return { ...p, moving };
    }
    const span = Math.max(0, Math.min(nowMs, m.untilMs) - this.t0);
    const free = { pan: 0, tilt: 0, zoom: 0 };
    for (const a of AXES) free[a] = this.origin[a] + m.velocity[a] * span;
    const p = clampAxes(free);
    const moving = nowMs < m.untilMs && AXES.some((a) => m.velocity[a] !== 0 && p[a] === free[a]);
    return { ...p, moving };
  }

  /** Move to an absolute position; speedFraction (0..1 per axis) scales the axis' full speed. */
  goto(target: PtzAxes, nowMs: number, speedFraction?: Partial<PtzAxes>): void {
    this.rebase(nowMs);
    const speed = { pan: 0, tilt: 0, zoom: 0 };
    for (const a of AXES) {
      const f = speedFraction?.[a];
      speed[a] = this.max[a] * (f === undefined || !Number.isFinite(f) || f <= 0 ? 1 : clamp01(f));
    }
    this.motion = { kind: 'goto', target: clampAxes(target), speed };
  }

  /** Continuous move; velocity is -1..1 of full speed per axis, for at most timeoutMs. */
  move(velocity: PtzAxes, nowMs: number, timeoutMs: number): void {
    this.rebase(nowMs);
    const v = { pan: 0, tilt: 0, zoom: 0 };
    for (const a of AXES) v[a] = Math.sign(velocity[a]) * clamp01(velocity[a]) * this.max[a];
    this.motion = { kind: 'velocity', velocity: v, untilMs: nowMs + Math.max(0, timeoutMs) };
  }

  stop(nowMs: number): void {
    this.rebase(nowMs);
    this.motion = { kind: 'idle' };
  }

  /** When a goto in progress will arrive (nowMs if not moving toward a target). */
  arrivalMs(nowMs: number): number {
    const m = this.motion;
    if (m.kind !== 'goto') return nowMs;
    let end = this.t0;
    for (const a of AXES) {
      const d = Math.abs(m.target[a] - this.origin[a]);
      if (m.speed[a] > 0) end = Math.max(end, this.t0 + d / m.speed[a]);
    }
    return Math.max(nowMs, end);
  }

  private rebase(nowMs: number): void {
    const s = this.statusAt(nowMs);
    this.origin = { pan: s.pan, tilt: s.tilt, zoom: s.zoom };
    this.t0 = nowMs;
    if (!s.moving) this.motion = { kind: 'idle' };
  }
}
