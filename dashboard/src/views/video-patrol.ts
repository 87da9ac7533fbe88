// Video patrol on the console: a 2x2 or 3x3 grid of live cameras (the same video tile as the
// alarm panel), paged by hand or by a camera tour that moves on every N seconds between alarms.
// Off until the operator turns it on (each tile is a live stream from the gateway). Tiles that
// leave the screen are destroyed at once, and all of them on dispose: no socket outlives its tile.
import type { Site } from '../api-types.ts';
import {
  camerasOnScreen,
  clampInterval,
  currentPage,
  DEFAULT_TOUR_INTERVAL_S,
  initialTour,
  MAX_TOUR_INTERVAL_S,
  MIN_TOUR_INTERVAL_S,
  pageCount,
  resize,
  startTour,
  stopTour,
  turnPage,
  withInterval,
  type GridSize,
  type TourState,
} from '../camera-tour.ts';
import { t } from '../i18n.ts';
import type { ViewModel } from '../state.ts';
import { createVideoTile, type VideoTile } from '../video/video-tile.ts';
import { h, reconcileChildren, setAttr, setClass, setText } from './dom.ts';

export interface VideoPatrolView {
  el: HTMLElement;
  update: (view: ViewModel, nowMs: number) => void;
  /** A new alarm: the tour stops (the alarm panel has the operator's attention now). */
  alarmRaised: (nowMs: number) => void;
  dispose: () => void;
}

export function createVideoPatrol(opts: { site: Site; changed: () => void }): VideoPatrolView {
  const cameras = opts.site.cameras;
  let tour: TourState = initialTour;
  let on = false;
  let stoppedByAlarm = false;
  const tiles = new Map<string, VideoTile>();

  const heading = h('h2');
  const showBtn = h('button', { className: 'secondary', attrs: { type: 'button', 'data-testid': 'video-patrol-toggle' } });
  const layoutLabel = h('span');
  const layout = h('select', { attrs: { 'data-testid': 'video-patrol-layout' } });
  const prevBtn = h('button', { className: 'secondary', attrs: { type: 'button', 'data-testid': 'video-patrol-prev' } });
  const pageText = h('span', { className: 'vp-page', attrs: { 'data-testid': 'video-patrol-page' } });
  const nextBtn = h('button', { className: 'secondary', attrs: { type: 'button', 'data-testid': 'video-patrol-next' } });
  const intervalLabel = h('span');
  const interval = h('input', {
    attrs: {
      type: 'number',
      min: String(MIN_TOUR_INTERVAL_S),
      max: String(MAX_TOUR_INTERVAL_S),
      step: '1',
      value: String(DEFAULT_TOUR_INTERVAL_S),
      'data-testid': 'tour-interval',
    },
  });
  const tourBtn = h('button', { className: 'primary', attrs: { type: 'button', 'data-testid': 'tour-toggle', 'aria-pressed': 'false' } });
  const note = h('p', { className: 'vp-note', attrs: { role: 'status' } });
  const grid = h('div', { className: 'vp-grid', attrs: { 'data-testid': 'video-patrol-grid' } });
  const controls = h(
    'div',
    { className: 'vp-controls' },
    showBtn,
    h('label', {}, layoutLabel, layout),
    prevBtn,
    pageText,
    nextBtn,
    h('label', {}, intervalLabel, interval),
    tourBtn,
  );
  const el = h(
    'section',
    { className: 'panel video-patrol', attrs: { 'data-testid': 'video-patrol' } },
    h('div', { className: 'panel-head' }, heading, controls),
    note,
    grid,
  );

  const now = (): number => Date.now();
  const dropTiles = (keep: ReadonlySet<string>): void => {
    for (const [id, tile] of tiles) {
      if (keep.has(id)) continue;
      tile.destroy();
      tiles.delete(id);
    }
  };

  showBtn.addEventListener('click', () => {
    on = !on;
    if (!on) tour = stopTour(tour, cameras.length, now());
    opts.changed();
  });
  layout.addEventListener('change', () => {
    tour = resize(tour, layout.value === '9' ? 9 : 4, cameras.length, now());
    opts.changed();
  });
  prevBtn.addEventListener('click', () => {
    tour = turnPage(tour, -1, cameras.length, now());
    opts.changed();
  });
  nextBtn.addEventListener('click', () => {
    tour = turnPage(tour, 1, cameras.length, now());
    opts.changed();
  });
  interval.addEventListener('change', () => {
    tour = withInterval(tour, Number(interval.value), cameras.length, now());
    interval.value = String(tour.intervalS);
    opts.changed();
  });
  tourBtn.addEventListener('click', () => {
    stoppedByAlarm = false;
    if (tour.startedAtMs === null) {
      on = true;
      tour = startTour(withInterval(tour, clampInterval(Number(interval.value)), cameras.length, now()), now());
    } else {
      tour = stopTour(tour, cameras.length, now());
    }
    opts.changed();
  });

  let paintedLang = '';

  return {
    el,
    update: (view, nowMs) => {
      const lang = t('vp.heading');
      if (lang !== paintedLang) {
        paintedLang = lang;
        const keep = layout.value || String(tour.size);
        layout.replaceChildren(h('option', { text: '2×2', attrs: { value: '4' } }), h('option', { text: '3×3', attrs: { value: '9' } }));
        layout.value = keep;
      }
      setText(heading, t('vp.heading'));
      setText(showBtn, on ? t('vp.hide') : t('vp.show'));
      setAttr(showBtn, 'aria-pressed', String(on));
      setText(layoutLabel, t('vp.layout'));
      layout.value = String(tour.size as GridSize);
      setText(prevBtn, t('vp.prev'));
      setText(nextBtn, t('vp.next'));
      setText(intervalLabel, t('vp.interval'));
      const running = tour.startedAtMs !== null;
      setText(tourBtn, running ? t('vp.tourStop') : t('vp.tourStart'));
      setAttr(tourBtn, 'aria-pressed', String(running));
      setAttr(el, 'data-touring', String(running));
      const pages = pageCount(cameras.length, tour.size);
      const page = currentPage(tour, cameras.length, nowMs);
      setText(pageText, t('vp.page', { n: page + 1, m: pages }));
      setAttr(pageText, 'data-page', String(page));
      prevBtn.disabled = nextBtn.disabled = pages < 2;
      tourBtn.disabled = cameras.length === 0;

      const message = cameras.length === 0 ? t('vp.empty') : stoppedByAlarm ? t('vp.stoppedByAlarm') : on ? '' : t('vp.off');
      setText(note, message);
      note.hidden = message === '';

      if (!on) {
        dropTiles(new Set());
        grid.hidden = true;
        return;
      }
      grid.hidden = false;
      setClass(grid, `vp-grid size-${tour.size}`);
      const shown = camerasOnScreen(cameras, tour, nowMs);
      dropTiles(new Set(shown.map((c) => c.id)));
      const els = shown.map((camera) => {
        let tile = tiles.get(camera.id);
        if (!tile) {
          tile = createVideoTile({ camera, profile: 'sub' });
          tiles.set(camera.id, tile);
        }
        tile.update(view.cameras.get(camera.id));
        return tile.el;
      });
      reconcileChildren(grid, els);
    },
    alarmRaised: (nowMs) => {
      if (tour.startedAtMs === null) return;
      tour = stopTour(tour, cameras.length, nowMs);
      stoppedByAlarm = true;
      opts.changed();
    },
    dispose: () => {
      dropTiles(new Set());
    },
  };
}
