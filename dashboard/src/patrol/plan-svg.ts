// A small site plan: the buildings as outlines (the dispatched box's building lit), every box as a
// grey dot, the dispatched box as a large red marker with a ring, so an officer sees at a glance
// which building and which corner of the campus to run to.
import type { Site } from '../api-types.ts';
import { buildingAreas } from '../plan-model.ts';

const NS = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

export function planSvg(site: Site, boxId: string, label: string): SVGSVGElement {
  const { width, height } = site.site.plan;
  const w = width > 0 ? width : 1000;
  const hgt = height > 0 ? height : 640;
  const r = Math.max(w, hgt) / 40;
  // Room around the plan so a marker on its edge is drawn whole.
  const pad = r * 3.5;
  const root = svg('svg', { viewBox: `${-pad} ${-pad} ${w + 2 * pad} ${hgt + 2 * pad}`, class: 'patrol-plan', role: 'img', 'aria-label': label });
  root.append(svg('rect', { x: 0, y: 0, width: w, height: hgt, rx: r, class: 'patrol-plan-ground', 'stroke-width': r * 0.15 }));
  const target = site.boxes.find((b) => b.id === boxId);
  for (const area of buildingAreas(site, r * 2)) {
    const lit = area.id === target?.location.building;
    root.append(
      svg('rect', {
        x: area.x,
        y: area.y,
        width: area.width,
        height: area.height,
        rx: r * 0.4,
        class: lit ? 'patrol-plan-building patrol-plan-building-target' : 'patrol-plan-building',
        'data-building': area.id,
        'stroke-width': r * (lit ? 0.3 : 0.15),
      }),
    );
  }
  for (const box of site.boxes) {
    if (box.id === boxId) continue;
    root.append(svg('circle', { cx: box.location.point.x, cy: box.location.point.y, r: r * 0.5, class: 'patrol-plan-box' }));
  }
  if (target) {
    const { x, y } = target.location.point;
    root.append(svg('circle', { cx: x, cy: y, r: r * 3.2, class: 'patrol-plan-ring', 'stroke-width': r * 0.5 }));
    root.append(svg('circle', { cx: x, cy: y, r: r * 1.6, class: 'patrol-plan-target', 'stroke-width': r * 0.3 }));
  }
  return root;
}
