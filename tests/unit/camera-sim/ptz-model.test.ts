import { describe, expect, it } from 'vitest';
import { PtzModel } from '../../../simulators/camera/ptz-model.ts';

const speeds = { panDegPerS: 100, tiltDegPerS: 60, zoomPerS: 1 / 3 };
const home = { pan: 0, tilt: 0, zoom: 0 };

describe('PtzModel (pure, time passed in)', () => {
  it('moves toward a preset at the configured speed, not instantly', () => {
    const m = new PtzModel(speeds, home, 0);
    m.goto({ pan: 0.5, tilt: 0, zoom: 0 }, 0); // 90 degrees of pan at 100 deg/s = 900 ms
    const mid = m.statusAt(450);
    expect(mid.moving).toBe(true);
    expect(mid.pan).toBeCloseTo(0.25, 5);
    expect(m.arrivalMs(0)).toBeCloseTo(900, 5);
    const end = m.statusAt(901);
    expect(end).toEqual({ pan: 0.5, tilt: 0, zoom: 0, moving: false });
  });

  it('moves each axis at its own speed and reports MOVING until the slowest arrives', () => {
    const m = new PtzModel(speeds, home, 1000);
    m.goto({ pan: 0.1, tilt: -0.5, zoom: 1 }, 1000); // tilt 45deg/60 = 750 ms; zoom 3000 ms
    const s = m.statusAt(1800);
    expect(s.pan).toBeCloseTo(0.1);
    expect(s.tilt).toBeCloseTo(-0.5);
    expect(s.moving).toBe(true);
    expect(m.statusAt(4001).moving).toBe(false);
  });

  it('continuous move runs until its timeout and stays within limits', () => {
    const m = new PtzModel(speeds, home, 0);
    m.move({ pan: 1, tilt: 0, zoom: 0 }, 0, 500);
    expect(m.statusAt(250).moving).toBe(true);
    expect(m.statusAt(1000).pan).toBeCloseTo((50 / 180), 5);
    expect(m.statusAt(1000).moving).toBe(false);
    m.move({ pan: -1, tilt: 0, zoom: 0 }, 1000, 60_000);
    expect(m.statusAt(60_000).pan).toBe(-1);
    expect(m.statusAt(60_000).moving).toBe(false);
  });

  it('stop freezes the head where it is', () => {
    const m = new PtzModel(speeds, home, 0);
    m.goto({ pan: 1, tilt: 0, zoom: 0 }, 0);
    m.stop(300);
    const s = m.statusAt(5000);
    expect(s.moving).toBe(false);
    expect(s.pan).toBeCloseTo(30 / 180, 5);
  });

  it('a speed fraction slows a preset move', () => {
    const m = new PtzModel(speeds, home, 0);
    m.goto({ pan: 0.5, tilt: 0, zoom: 0 }, 0, { pan: 0.5 });
    expect(m.arrivalMs(0)).toBeCloseTo(1800, 5);
  });
});
