// The video patrol grid and its camera tour: which cameras are on screen. Pure; the view holds
// the state and passes the clock in.
//
// The grid shows one page of `size` cameras (4 for 2x2, 9 for 3x3). While the tour runs it moves
// to the next page every `intervalS` seconds, wrapping round; stopped, it stays on its page.

export const GRID_SIZES = [4, 9] as const;
export type GridSize = (typeof GRID_SIZES)[number];
export const DEFAULT_TOUR_INTERVAL_S = 10;
export const MIN_TOUR_INTERVAL_S = 3;
export const MAX_TOUR_INTERVAL_S = 600;

export interface TourState {
  size: GridSize;
  /** The page shown when stopped, and the page the tour started from. */
  page: number;
  intervalS: number;
  /** When the tour started (ms), or null when stopped. */
  startedAtMs: number | null;
}

export const initialTour: TourState = { size: 4, page: 0, intervalS: DEFAULT_TOUR_INTERVAL_S, startedAtMs: null };

export function pageCount(cameraCount: number, size: number): number {
  return Math.max(1, Math.ceil(cameraCount / size));
}

/** The page on screen now. */
export function currentPage(state: TourState, cameraCount: number, nowMs: number): number {
  const pages = pageCount(cameraCount, state.size);
  const base = ((state.page % pages) + pages) % pages;
  if (state.startedAtMs === null) return base;
  const steps = Math.max(0, Math.floor((nowMs - state.startedAtMs) / (state.intervalS * 1000)));
  return (base + steps) % pages;
}

/** The cameras on screen now, in site order. */
export function camerasOnScreen<T>(cameras: readonly T[], state: TourState, nowMs: number): T[] {
  const page = currentPage(state, cameras.length, nowMs);
  return cameras.slice(page * state.size, page * state.size + state.size);
}

export function startTour(state: TourState, nowMs: number): TourState {
  return state.startedAtMs !== null ? state : { ...state, startedAtMs: nowMs };
}

/** Stops on the page that is showing. */
export function stopTour(state: TourState, cameraCount: number, nowMs: number): TourState {
  if (state.startedAtMs === null) return state;
  return { ...state, page: currentPage(state, cameraCount, nowMs), startedAtMs: null };
}

/** Turns the page by hand (stops the tour). */
export function turnPage(state: TourState, delta: number, cameraCount: number, nowMs: number): TourState {
  const pages = pageCount(cameraCount, state.size);
  const page = (((currentPage(state, cameraCount, nowMs) + delta) % pages) + pages) % pages;
  return { ...state, page, startedAtMs: null };
}

/** A new grid size keeps the first camera on screen in view. */
export function resize(state: TourState, size: GridSize, cameraCount: number, nowMs: number): TourState {
  const first = currentPage(state, cameraCount, nowMs) * state.size;
  return { ...state, size, page: Math.floor(first / size), startedAtMs: state.startedAtMs === null ? null : nowMs };
}

export function clampInterval(seconds: number): number {
  if (!Number.isFinite(seconds)) return DEFAULT_TOUR_INTERVAL_S;
  return Math.min(MAX_TOUR_INTERVAL_S, Math.max(MIN_TOUR_INTERVAL_S, Math.round(seconds)));
}

/** A new interval restarts the count from the page on screen. */
export function withInterval(state: TourState, seconds: number, cameraCount: number, nowMs: number): TourState {
  const page = currentPage(state, cameraCount, nowMs);
  return { ...state, page, intervalS: clampInterval(seconds), startedAtMs: state.startedAtMs === null ? null : nowMs };
}
