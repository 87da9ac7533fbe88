// The school plan on the console: buildings, every alarm box and every located camera as a
// marker coloured by state, a building/floor filter and a legend. Clicking a box selects its
// most urgent open incident (or the box itself when it has none).
import type { Site } from '../api-types.ts';
import { local, statusLabel, t } from '../i18n.ts';
import { boxMarkers, buildingAreas, cameraMarkers, NO_FILTER, type MarkerStatus, type PlanFilter } from '../plan-model.ts';
import { emptyView, type ViewModel } from '../state.ts';
import { h, setAttr, setText } from './dom.ts';

const NS = 'http://www.w3.org/2000/svg';
const STATUSES: readonly MarkerStatus[] = ['normal', 'alarm', 'tamper', 'offline', 'fault'];

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

export interface PlanView {
  el: HTMLElement;
  update: (view: ViewModel) => void;
}

export function createPlanView(opts: {
  site: Site;
  /** A box marker was clicked: its most urgent open incident, or null when it has none. */
  selectBox: (boxId: string, incidentId: string | null) => void;
  /** The box of the selected incident (or the selected box), ringed on the plan. */
  selectedBox: () => string | null;
  changed: () => void;
}): PlanView {
  const { site } = opts;
  const w = site.site.plan.width > 0 ? site.site.plan.width : 1000;
  const hgt = site.site.plan.height > 0 ? site.site.plan.height : 600;
  const unit = Math.max(w, hgt) / 100;
  let filter: PlanFilter = NO_FILTER;

  const heading = h('h2');
  const buildingLabel = h('span');
  const buildingSelect = h('select', { attrs: { 'data-testid': 'plan-building' } });
  const floorLabel = h('span');
  const floorSelect = h('select', { attrs: { 'data-testid': 'plan-floor' } });
  const filters = h(
    'div',
    { className: 'plan-filters' },
    h('label', {}, buildingLabel, buildingSelect),
    h('label', {}, floorLabel, floorSelect),
  );

  const root = svg('svg', { viewBox: `0 0 ${w} ${hgt}`, class: 'plan-svg', role: 'img', preserveAspectRatio: 'xMidYMid meet' });
  const title = svg('title');
  root.append(title, svg('rect', { x: 0, y: 0, width: w, height: hgt, rx: unit, class: 'plan-ground' }));

  // Buildings: the rectangle around what the site file places in each.
  const areaLayer = svg('g', { class: 'plan-buildings' });
  const areaLabels = new Map<string, SVGTextElement>();
  for (const a of buildingAreas(site, unit * 7)) {
    const g = svg('g', { class: 'plan-building', 'data-building': a.id });
    g.append(svg('rect', { x: a.x, y: a.y, width: a.width, height: a.height, rx: unit * 0.8 }));
    // The name sits at the bottom edge, clear of the box labels above their dots.
    const label = svg('text', { x: a.x + unit * 0.8, y: a.y + a.height - unit * 0.9, 'font-size': unit * 2 });
    areaLabels.set(a.id, label);
    g.append(label);
    areaLayer.append(g);
  }
  root.append(areaLayer);

  const cameraLayer = svg('g', { class: 'plan-cameras' });
  const boxLayer = svg('g', { class: 'plan-boxes' });
  root.append(cameraLayer, boxLayer);

  const cameraEls = new Map<string, { g: SVGGElement; tip: SVGTitleElement }>();
  for (const m of cameraMarkers(site, emptyView(), NO_FILTER)) {
    const s = unit * 1.3;
    const g = svg('g', { class: 'plan-marker plan-camera', 'data-camera-id': m.camera.id, transform: `translate(${m.point.x} ${m.point.y})` });
    const tip = svg('title');
    g.append(tip, svg('rect', { x: -s, y: -s * 0.7, width: s * 2, height: s * 1.4, rx: s * 0.3 }));
    cameraLayer.append(g);
    cameraEls.set(m.camera.id, { g, tip });
  }

  const boxEls = new Map<string, { g: SVGGElement; tip: SVGTitleElement; label: SVGTextElement }>();
  for (const box of site.boxes) {
    const { x, y } = box.location.point;
    const r = unit * 1.6;
    const g = svg('g', { class: 'plan-marker plan-box', 'data-box-id': box.id, 'data-testid': 'plan-box', tabindex: 0, role: 'button', transform: `translate(${x} ${y})` });
    const tip = svg('title');
    const label = svg('text', { y: -r * 1.6, 'text-anchor': 'middle', 'font-size': unit * 1.9 });
    g.append(tip, svg('circle', { r: r * 2.2, class: 'plan-ring' }), svg('circle', { r, class: 'plan-dot' }), label);
    const pick = (): void => {
      const marker = boxMarkers(site, lastView, NO_FILTER).find((m) => m.box.id === box.id);
      opts.selectBox(box.id, marker?.incidentId ?? null);
    };
    g.addEventListener('click', pick);
    g.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        pick();
      }
    });
    boxLayer.append(g);
    boxEls.set(box.id, { g, tip, label });
  }

  const legendTitle = h('span', { className: 'plan-legend-title' });
  const legendItems = STATUSES.map((s) => ({ s, el: h('span', { className: `plan-legend-item status-${s}` }) }));
  const legendBox = h('span', { className: 'plan-legend-item plan-legend-box' });
  const legendCamera = h('span', { className: 'plan-legend-item plan-legend-camera' });
  const legend = h('div', { className: 'plan-legend', attrs: { 'data-testid': 'plan-legend' } }, legendTitle, ...legendItems.map((l) => l.el), legendBox, legendCamera);

  const el = h(
    'section',
    { className: 'panel plan', attrs: { 'data-testid': 'plan' } },
    h('div', { className: 'panel-head' }, heading, filters),
    h('div', { className: 'plan-canvas' }, root),
    legend,
  );

  const fillFilters = (): void => {
    const opt = (value: string, text: string): HTMLOptionElement => h('option', { text, attrs: { value } });
    const b = filter.building ?? '';
    buildingSelect.replaceChildren(opt('', t('plan.allBuildings')), ...site.buildings.map((x) => opt(x.id, local(x.name))));
    buildingSelect.value = b;
    const building = site.buildings.find((x) => x.id === filter.building);
    floorSelect.replaceChildren(opt('', t('plan.allFloors')), ...(building?.floors ?? []).map((f) => opt(String(f), t('plan.floorN', { n: f }))));
    floorSelect.value = filter.floor === null ? '' : String(filter.floor);
    floorSelect.disabled = !building;
  };
  buildingSelect.addEventListener('change', () => {
    filter = { building: buildingSelect.value || null, floor: null };
    fillFilters();
    opts.changed();
  });
  floorSelect.addEventListener('change', () => {
    const f = Number(floorSelect.value);
    filter = { ...filter, floor: floorSelect.value === '' || !Number.isFinite(f) ? null : f };
    opts.changed();
  });

  let lastView: ViewModel = emptyView();
  let paintedLang = '';

  return {
    el,
    update: (view) => {
      lastView = view;
      const lang = t('plan.heading');
      if (lang !== paintedLang) {
        // Language changed (or first paint): rebuild the option lists in it.
        paintedLang = lang;
        fillFilters();
      }
      setText(heading, t('plan.heading'));
      setText(buildingLabel, t('plan.building'));
      setText(floorLabel, t('plan.floor'));
      setText(title, t('plan.label'));
      setAttr(root, 'aria-label', t('plan.label'));
      for (const b of site.buildings) {
        const label = areaLabels.get(b.id);
        if (label) setText(label, local(b.name));
      }
      const selected = opts.selectedBox();
      for (const m of boxMarkers(site, view, filter)) {
        const e = boxEls.get(m.box.id);
        if (!e) continue;
        setAttr(e.g, 'class', `plan-marker plan-box status-${m.status}${m.dimmed ? ' dimmed' : ''}${m.box.id === selected ? ' selected' : ''}`);
        setAttr(e.g, 'data-status', m.status);
        setAttr(e.g, 'aria-label', `${local(m.box.name)} · ${statusLabel(m.status)}`);
        setText(e.tip, `${local(m.box.name)} · ${local(m.box.location.text)} · ${statusLabel(m.status)}`);
        setText(e.label, local(m.box.name));
      }
      for (const m of cameraMarkers(site, view, filter)) {
        const e = cameraEls.get(m.camera.id);
        if (!e) continue;
        setAttr(e.g, 'class', `plan-marker plan-camera status-${m.status}${m.dimmed ? ' dimmed' : ''}`);
        setAttr(e.g, 'data-status', m.status);
        setText(e.tip, `${local(m.camera.name)} · ${statusLabel(m.status)}`);
      }
      setText(legendTitle, t('plan.legend'));
      for (const l of legendItems) setText(l.el, statusLabel(l.s));
      setText(legendBox, t('plan.box'));
      setText(legendCamera, t('plan.camera'));
    },
  };
}
