// The alarm panel: pops up when a new panic or tamper alarm arrives, with the box, its place,
// the priority colour, live video of the box's own camera and the PTZ dome linked to it, and
// the snapshots the gateway takes for the incident as they come in. Several alarms: the most
// urgent, newest one is in front and a list switches between them. Closing the panel does not
// acknowledge anything (that stays a deliberate act in the incident list).
// Streams are opened only while their alarm is in front, and closed when it leaves.
import type { Attachment, Incident, Site } from '../api-types.ts';
import {
  alarmCameras,
  closePanel,
  focusAlarm,
  initialAlarmPanel,
  observeAlarms,
  panelAlarms,
  pickAlarm,
  reopenPanel,
  shownAlarm,
  type AlarmPanelState,
} from '../alarm-panel.ts';
import { kindLabel, local, priorityLabel, t, timeText } from '../i18n.ts';
import type { ViewModel } from '../state.ts';
import { createVideoTile, type VideoTile } from '../video/video-tile.ts';
import { h, reconcileChildren, setAttr, setClass, setText } from './dom.ts';
import { createIntercomControls } from './intercom-controls.ts';

export interface AlarmView {
  el: HTMLElement;
  update: (view: ViewModel, nowMs: number) => void;
  /** Shows this alarm's video and intercom in the panel (the operator picked it elsewhere). */
  focus: (incidentId: string) => void;
  dispose: () => void;
}

export interface AlarmViewOptions {
  site: Site;
  loadAttachments: (incidentId: string) => Promise<Attachment[]>;
  attachmentUrl: (a: Attachment) => string;
  /** New alarms just raised (the console beeps for red ones). */
  onNewAlarms: (fresh: Incident[]) => void;
  changed: () => void;
  /** Push-to-talk needs intercom.talk; without it only listening is offered. */
  canTalk?: boolean;
}

export function createAlarmView(opts: AlarmViewOptions): AlarmView {
  let panel: AlarmPanelState = initialAlarmPanel;

  const prio = h('span', { className: 'prio-tag' });
  const boxName = h('h2', { className: 'alarm-box' });
  const kind = h('span', { className: 'kind' });
  const location = h('p', { className: 'location' });
  const opened = h('time', { className: 'alarm-opened' });
  const closeBtn = h('button', { className: 'secondary alarm-close', attrs: { type: 'button' } });
  const tilesEl = h('div', { className: 'alarm-tiles' });
  const noCamera = h('p', { className: 'empty' });
  const intercom = createIntercomControls({ canTalk: opts.canTalk ?? true });
  const snapsHeading = h('h3');
  const snapsEmpty = h('p', { className: 'alarm-snaps-empty' });
  const snapsList = h('div', { className: 'alarm-snaps' });
  const listHeading = h('h3');
  const list = h('ul', { className: 'alarm-list' });
  const listBox = h('nav', { className: 'alarm-switch' }, listHeading, list);
  const panelEl = h(
    'section',
    { className: 'alarm-panel', attrs: { role: 'alertdialog', 'aria-live': 'assertive' } },
    h('div', { className: 'alarm-head' }, h('div', { className: 'alarm-title' }, prio, boxName, kind), closeBtn),
    h('div', { className: 'alarm-where' }, location, opened),
    tilesEl,
    intercom.el,
    noCamera,
    h('div', { className: 'alarm-snapshots' }, snapsHeading, snapsEmpty, snapsList),
    listBox,
  );
  const reopenBtn = h('button', { className: 'primary alarm-reopen', attrs: { type: 'button' } });
  const el = h('div', { className: 'alarm-area' }, panelEl, reopenBtn);

  let tiles: VideoTile[] = [];
  let tilesFor: string | null = null;
  const fetched = new Map<string, Attachment[]>();
  const fetching = new Set<string>();
  const thumbs = new Map<number, { el: HTMLElement; img: HTMLImageElement; caption: HTMLElement; a: Attachment }>();
  const listRows = new Map<string, { li: HTMLElement; btn: HTMLButtonElement }>();
  let disposed = false;

  closeBtn.addEventListener('click', () => {
    panel = closePanel(panel);
    opts.changed();
  });
  reopenBtn.addEventListener('click', () => {
    panel = reopenPanel(panel);
    opts.changed();
  });

  const cameraName = (id: string): string => {
    const c = opts.site.cameras.find((x) => x.id === id);
    return c ? local(c.name) : id;
  };

  const dropTiles = (): void => {
    for (const tile of tiles) tile.destroy();
    tiles = [];
    tilesFor = null;
    intercom.setTarget(null, () => undefined);
  };

  const showTiles = (incident: Incident, view: ViewModel): void => {
    if (tilesFor !== incident.boxId) {
      dropTiles();
      const cams = alarmCameras(opts.site, incident.boxId);
      // The sub profile is the one the gateway keeps warm for alarm-linked cameras: the picture
      // comes from its cached GOP at once instead of waiting for a cold stream's next keyframe.
      if (cams.own) tiles.push(createVideoTile({ camera: cams.own, role: 'alarm.ownCamera', profile: 'sub' }));
      const ownCamera = cams.own;
      intercom.setTarget(ownCamera ? ownCamera.id : null, (on) => {
        if (!ownCamera) return;
        const i = tiles.findIndex((x) => x.cameraId === ownCamera.id);
        if (i < 0) return;
        const fresh = createVideoTile({ camera: ownCamera, role: 'alarm.ownCamera', profile: 'sub', audio: on });
        tiles[i]!.destroy();
        tiles[i] = fresh;
        reconcileChildren(tilesEl, tiles.map((x) => x.el));
        opts.changed();
      });
      if (cams.dome) tiles.push(createVideoTile({ camera: cams.dome, role: 'alarm.dome', profile: 'sub' }));
      tilesFor = incident.boxId;
      reconcileChildren(
        tilesEl,
        tiles.map((x) => x.el),
      );
    }
    for (const tile of tiles) tile.update(view.cameras.get(tile.cameraId));
    noCamera.hidden = tiles.length > 0;
    setText(noCamera, tiles.length > 0 ? '' : t('alarm.noCamera'));
  };

  const attachmentsOf = (incidentId: string, view: ViewModel): Attachment[] => {
    if (!fetched.has(incidentId) && !fetching.has(incidentId)) {
      fetching.add(incidentId);
      opts.loadAttachments(incidentId).then(
        (list) => {
          fetched.set(incidentId, list);
        },
        () => {
          // The feed still brings new ones; a later alarm switch retries the list.
        },
      ).finally(() => {
        fetching.delete(incidentId);
        if (!disposed) opts.changed();
      });
    }
    const byId = new Map<number, Attachment>();
    for (const a of fetched.get(incidentId) ?? []) byId.set(a.id, a);
    for (const a of view.attachments.get(incidentId) ?? []) byId.set(a.id, a);
    return [...byId.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id - b.id));
  };

  const showSnapshots = (incident: Incident, view: ViewModel): void => {
    const atts = attachmentsOf(incident.id, view);
    const wanted = new Set(atts.map((a) => a.id));
    for (const [id, th] of thumbs) {
      if (!wanted.has(id)) {
        th.el.remove();
        thumbs.delete(id);
      }
    }
    const els = atts.map((a) => {
      let th = thumbs.get(a.id);
      if (!th) {
        const img = h('img', { attrs: { src: opts.attachmentUrl(a), loading: 'lazy', decoding: 'async' } });
        const caption = h('figcaption');
        const link = h('a', { attrs: { href: opts.attachmentUrl(a), target: '_blank', rel: 'noopener' } }, img);
        th = { el: h('figure', { className: 'alarm-snap' }, link, caption), img, caption, a };
        thumbs.set(a.id, th);
      }
      const alt = t('alarm.snapshotAlt', { camera: cameraName(a.cameraId), time: timeText(a.at) });
      setAttr(th.img, 'alt', alt);
      setText(th.caption, `${cameraName(a.cameraId)} · ${timeText(a.at)}`);
      return th.el;
    });
    reconcileChildren(snapsList, els);
    setText(snapsHeading, t('alarm.snapshots'));
    setText(snapsEmpty, atts.length === 0 ? t('alarm.noSnapshots') : '');
    snapsEmpty.hidden = atts.length > 0;
  };

  const showList = (alarms: Incident[], shown: Incident): void => {
    listBox.hidden = alarms.length < 2;
    setText(listHeading, t('alarm.list', { n: alarms.length }));
    const ids = new Set(alarms.map((a) => a.id));
    for (const [id, row] of listRows) if (!ids.has(id)) listRows.delete(id);
    const rows = alarms.map((a) => {
      let row = listRows.get(a.id);
      if (!row) {
        const btn = h('button', { attrs: { type: 'button' } });
        btn.addEventListener('click', () => {
          panel = pickAlarm(panel, a.id);
          opts.changed();
        });
        row = { li: h('li', {}, btn), btn };
        listRows.set(a.id, row);
      }
      const box = opts.site.boxes.find((b) => b.id === a.boxId);
      setText(row.btn, `${priorityLabel(a.priority)} · ${box ? local(box.name) : a.boxId} · ${kindLabel(a.kind)}`);
      setClass(row.li, `prio-${a.priority}${a.id === shown.id ? ' current' : ''}`);
      setAttr(row.btn, 'aria-current', a.id === shown.id ? 'true' : 'false');
      return row.li;
    });
    reconcileChildren(list, rows);
  };

  return {
    el,
    update: (view) => {
      if (disposed) return;
      const observed = observeAlarms(panel, view);
      panel = observed.state;
      if (observed.fresh.length > 0) opts.onNewAlarms(observed.fresh);

      const alarms = panelAlarms(panel, view);
      const shown = shownAlarm(panel, view);
      reopenBtn.hidden = shown !== null || alarms.length === 0;
      setText(reopenBtn, t('alarm.reopen', { n: alarms.length }));
      panelEl.hidden = shown === null;
      if (!shown) {
        dropTiles();
        return;
      }
      const box = opts.site.boxes.find((b) => b.id === shown.boxId);
      setClass(panelEl, `alarm-panel prio-${shown.priority}`);
      setAttr(panelEl, 'data-incident', shown.id);
      setText(prio, priorityLabel(shown.priority));
      setText(boxName, box ? local(box.name) : t('incidents.unknownBox', { id: shown.boxId }));
      setText(kind, kindLabel(shown.kind));
      setText(location, box ? local(box.location.text) : '');
      setText(opened, t('alarm.openedAt', { time: timeText(shown.openedAt) }));
      setAttr(opened, 'datetime', shown.openedAt);
      setText(closeBtn, t('alarm.close'));
      setAttr(closeBtn, 'title', t('alarm.closeTitle'));
      showTiles(shown, view);
      showSnapshots(shown, view);
      showList(alarms, shown);
    },
    focus: (incidentId) => {
      panel = focusAlarm(panel, incidentId);
      opts.changed();
    },
    dispose: () => {
      disposed = true;
      dropTiles();
      intercom.destroy();
    },
  };
}
