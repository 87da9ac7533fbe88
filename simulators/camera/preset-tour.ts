// Preset tours: step through presets, dwell at each, until stopped. Owns at most one timer.
export interface TourSpot { presetToken: string; stayMs: number }
export interface PresetTour { token: string; name: string; spots: TourSpot[]; state: 'Idle' | 'Touring' | 'Paused' }

/** goto returns the ms until the head arrives, or undefined if that preset cannot be reached (skipped). */
export type TourGoto = (presetToken: string) => number | undefined;

const MAX_STEPS = 100_000;

export class PresetTourRunner {
  readonly tours = new Map<string, PresetTour>();
  private timer: NodeJS.Timeout | undefined;
  private running: { tour: PresetTour; index: number; steps: number } | undefined;

  constructor(private readonly gotoPreset: TourGoto) {}

  start(token: string): boolean {
    const tour = this.tours.get(token);
    if (!tour) return false;
    if (this.running && this.running.tour === tour && tour.state === 'Paused') {
      tour.state = 'Touring';
      this.step();
      return true;
    }
    this.stopAll();
    tour.state = 'Touring';
    this.running = { tour, index: 0, steps: 0 };
    this.step();
    return true;
  }

  pause(token: string): boolean {
    const tour = this.tours.get(token);
    if (!tour) return false;
    if (this.running?.tour === tour && tour.state === 'Touring') {
      this.clearTimer();
      tour.state = 'Paused';
    }
    return true;
  }

  stop(token: string): boolean {
    const tour = this.tours.get(token);
    if (!tour) return false;
    if (this.running?.tour === tour) this.stopAll();
    tour.state = 'Idle';
    return true;
  }

  /** Manual control and shutdown end any tour. */
  stopAll(): void {
    this.clearTimer();
    if (this.running) this.running.tour.state = 'Idle';
    this.running = undefined;
  }

  private step(): void {
    const r = this.running;
    if (!r || r.tour.state !== 'Touring' || r.tour.spots.length === 0 || r.steps >= MAX_STEPS) {
      this.stopAll();
      return;
    }
    const spot = r.tour.spots[r.index % r.tour.spots.length];
    r.index += 1;
    r.steps += 1;
    if (!spot) return this.stopAll();
    const travel = this.gotoPreset(spot.presetToken) ?? 0;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.step();
    }, travel + Math.max(100, spot.stayMs));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
