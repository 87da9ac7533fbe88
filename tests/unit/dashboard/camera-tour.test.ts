import { describe, expect, it } from 'vitest';
import {
  camerasOnScreen,
  clampInterval,
  currentPage,
  initialTour,
  pageCount,
  resize,
  startTour,
  stopTour,
  turnPage,
  withInterval,
} from '../../../dashboard/src/camera-tour.ts';

const cams = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9', 'c10'];
const T = 1_000_000;

describe('video patrol grid and camera tour', () => {
  it('pages the cameras four or nine at a time', () => {
    expect(pageCount(10, 4)).toBe(3);
    expect(pageCount(10, 9)).toBe(2);
    expect(pageCount(0, 4)).toBe(1);
    expect(camerasOnScreen(cams, initialTour, T)).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(camerasOnScreen(cams, { ...initialTour, size: 9 }, T)).toHaveLength(9);
  });

  it('starts every 10 seconds by default and wraps round', () => {
    const tour = startTour(initialTour, T);
    expect(tour.intervalS).toBe(10);
    expect(currentPage(tour, cams.length, T + 9_999)).toBe(0);
    expect(camerasOnScreen(cams, tour, T + 10_000)).toEqual(['c5', 'c6', 'c7', 'c8']);
    expect(camerasOnScreen(cams, tour, T + 20_000)).toEqual(['c9', 'c10']);
    expect(currentPage(tour, cams.length, T + 30_000)).toBe(0);
  });

  it('stops on the page that is showing, and a restart goes on from there', () => {
    const stopped = stopTour(startTour(initialTour, T), cams.length, T + 12_000);
    expect(stopped.startedAtMs).toBeNull();
    expect(currentPage(stopped, cams.length, T + 500_000)).toBe(1);
    const again = startTour(stopped, T + 600_000);
    expect(currentPage(again, cams.length, T + 610_000)).toBe(2);
  });

  it('turns pages by hand (which stops the tour), both ways round', () => {
    const running = startTour(initialTour, T);
    const back = turnPage(running, -1, cams.length, T + 1000);
    expect(back.startedAtMs).toBeNull();
    expect(currentPage(back, cams.length, T)).toBe(2);
    expect(currentPage(turnPage(back, 1, cams.length, T), cams.length, T)).toBe(0);
  });

  it('keeps the first camera on screen when the layout changes', () => {
    const onPage2 = { ...initialTour, page: 2 }; // c9, c10
    const nine = resize(onPage2, 9, cams.length, T);
    expect(camerasOnScreen(cams, nine, T)).toContain('c9');
    const four = resize({ ...initialTour, size: 9, page: 1 }, 4, cams.length, T); // c10 first
    expect(camerasOnScreen(cams, four, T)[0]).toBe('c9');
  });

  it('takes a new interval from the page on screen, within bounds', () => {
    const tour = startTour(initialTour, T);
    const slower = withInterval(tour, 30, cams.length, T + 10_000);
    expect(currentPage(slower, cams.length, T + 10_000)).toBe(1);
    expect(currentPage(slower, cams.length, T + 39_000)).toBe(1);
    expect(currentPage(slower, cams.length, T + 40_000)).toBe(2);
    expect(clampInterval(0)).toBe(3);
    expect(clampInterval(Number.NaN)).toBe(10);
    expect(clampInterval(99999)).toBe(600);
  });

  it('shows nothing and does not fail with no cameras', () => {
    expect(camerasOnScreen([], startTour(initialTour, T), T + 50_000)).toEqual([]);
  });
});
