// The camera list: every configured camera, its health from the gateway, and what linkage is
// doing with a dome (idle, at a preset, scanning, or held by an operator).
import type { CameraView, Site } from '../api-types.ts';
import { cameraKindLabel, cameraStateLabel, local, t } from '../i18n.ts';
import type { ViewModel } from '../state.ts';
import { h, reconcileChildren, setAttr, setClass, setText } from './dom.ts';

export interface CamerasView {
  el: HTMLElement;
  update: (view: ViewModel) => void;
}

/** What the dome is doing, in words; empty for fixed cameras and unknown state. */
export function ptzText(view: CameraView | undefined): string {
  const ptz = view?.ptz;
  if (!ptz) return '';
  if (ptz.manual) return t('camera.ptz.manual', { by: ptz.manual.by });
  return t(`camera.ptz.${ptz.phase}`);
}

export function createCamerasView(opts: { site: Site }): CamerasView {
  const heading = h('h2');
  const empty = h('p', { className: 'empty' });
  const list = h('ul', { className: 'camera-list' });
  const el = h('section', { className: 'panel cameras' }, h('div', { className: 'panel-head' }, heading), empty, list);

  const rows = opts.site.cameras.map((camera) => {
    const name = h('span', { className: 'camera-name' });
    const kind = h('span', { className: 'camera-kind' });
    const badge = h('span', { className: 'badge' });
    const activity = h('span', { className: 'camera-activity' });
    const row = h('li', { className: 'camera', attrs: { 'data-camera': camera.id } }, badge, name, kind, activity);
    return { camera, row, name, kind, badge, activity };
  });
  reconcileChildren(
    list,
    rows.map((r) => r.row),
  );

  return {
    el,
    update: (view) => {
      setText(heading, t('cameras.heading'));
      setText(empty, rows.length === 0 ? t('cameras.empty') : '');
      empty.hidden = rows.length > 0;
      for (const r of rows) {
        const v = view.cameras.get(r.camera.id);
        const state = v?.state ?? 'unknown';
        setText(r.name, local(r.camera.name));
        setText(r.kind, cameraKindLabel(r.camera.kind));
        setText(r.badge, cameraStateLabel(state));
        setClass(r.badge, `badge camera-state-${state}`);
        setText(r.activity, ptzText(v));
        setAttr(r.row, 'title', v?.reason ?? '');
      }
    },
  };
}
