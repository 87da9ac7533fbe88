// The patrol page, for a phone: my team's dispatches, newest on top, each with the place, a
// small plan, the latest snapshot and one big button for the next step. A dispatch this phone
// has not seen before rings (sound, vibration, notification, flashing banner), also when it
// arrives in the snapshot after a reconnect.
import type { AlarmBox, Attachment, Incident } from '../api-types.ts';
import { toApiError, type ApiError } from '../api.ts';
import { getLang, local, priorityLabel, stateLabel } from '../i18n.ts';
import type { FeedStatus, ViewModel } from '../state.ts';
import { h, reconcileChildren, setAttr, setClass, setText } from '../views/dom.ts';
import type { MountedView, ViewContext } from '../views/view-contract.ts';
import { audioReady, notificationsState, ring, unlockAlerts } from './patrol-alerts.ts';
import { attachmentUrl, describeError, incidentAttachments, patrolStep } from './patrol-api.ts';
import {
  cleanNote,
  laterIncident,
  myDispatches,
  newDispatches,
  nextAction,
  NOTE_MAX_CHARS,
  stepTimes,
  type Dispatch,
  type PatrolAction,
} from './patrol-logic.ts';
import { loadSeen, saveSeen } from './patrol-seen-store.ts';
import { planSvg } from './plan-svg.ts';
import { pt } from './patrol-strings.ts';

const DONE_SHOWN_MS = 8000;

interface Card {
  el: HTMLElement;
  prio: HTMLElement;
  name: HTMLElement;
  state: HTMLElement;
  location: HTMLElement;
  floor: HTMLElement;
  times: HTMLElement;
  snap: HTMLElement;
  snapImg: HTMLImageElement;
  snapCaption: HTMLElement;
  snapUrl: string;
  noteLabel: HTMLElement;
  note: HTMLTextAreaElement;
  noteBox: HTMLElement;
  button: HTMLButtonElement;
  error: HTMLElement;
  /** Attachments fetched once when the card appeared (the feed announces later ones). */
  fetched: Attachment[];
}

interface Action {
  busy: boolean;
  error: string | null;
}

function clockText(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleTimeString(getLang() === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false });
}

export function createPatrolView(ctx: ViewContext): MountedView {
  const site = ctx.site;
  const team = ctx.user.team ?? null;
  const boxes = new Map<string, AlarmBox>(site.boxes.map((b) => [b.id, b]));
  const buildings = new Map(site.buildings.map((b) => [b.id, b]));
  const teamInfo = team ? site.patrolTeams.find((x) => x.id === team) : undefined;

  let seen = loadSeen(ctx.user.username);
  let seenSet = new Set(seen);
  /** Incidents from our own action replies, newer than the feed's until it catches up. */
  const replies = new Map<string, Incident>();
  const actions = new Map<string, Action>();
  const cards = new Map<string, Card>();
  /** New dispatches the banner is showing, newest first, until dismissed or acted on. */
  let bannerKeys: string[] = [];
  let bannerDispatches: Dispatch[] = [];
  let done: { text: string; atMs: number } | null = null;
  let alertsUnlocked = false;
  let disposed = false;

  const boxName = (boxId: string): string => {
    const box = boxes.get(boxId);
    return box ? local(box.name) : pt('unknownBox', { id: boxId });
  };

  const handleError = (err: unknown): ApiError => {
    const e = toApiError(err);
    if (e.status === 401) ctx.sessionEnded({ code: e.code, message: e.message });
    return e;
  };

  // ---- top bar, alerts, banner ----
  const title = h('h1', { className: 'patrol-title' });
  const who = h('span', { className: 'patrol-who' });
  const feedPill = h('p', { className: 'patrol-feed', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': 'feed-status' } });
  const enableAlerts = h('button', { className: 'patrol-enable', attrs: { type: 'button', 'data-testid': 'enable-alerts' } });
  const alertsNote = h('p', { className: 'patrol-alerts-note' });
  const bannerText = h('span', { className: 'patrol-banner-text' });
  const bannerDismiss = h('button', { className: 'patrol-banner-dismiss', attrs: { type: 'button' } });
  const banner = h(
    'div',
    { className: 'patrol-banner', attrs: { role: 'alert', 'data-testid': 'dispatch-banner' } },
    bannerText,
    bannerDismiss,
  );
  banner.hidden = true;
  const doneEl = h('p', { className: 'patrol-done', attrs: { role: 'status' } });
  const hint = h('p', { className: 'patrol-empty' });
  const list = h('ol', { className: 'patrol-list' });
  const el = h(
    'main',
    { className: 'patrol-page' },
    h(
      'header',
      { className: 'patrol-top' },
      h('div', { className: 'patrol-top-row' }, title, who),
      feedPill,
    ),
    h('div', { className: 'patrol-alerts' }, enableAlerts, alertsNote),
    banner,
    doneEl,
    hint,
    list,
  );

  const unlock = (): void => {
    void unlockAlerts().then((ok) => {
      alertsUnlocked = ok;
      ctx.changed();
    });
  };
  enableAlerts.addEventListener('click', unlock);
  // Any first tap on the page also unlocks sound, so a forgotten button does not mean silence.
  const firstTouch = (): void => {
    if (!audioReady()) void unlockAlerts().then((ok) => {
      alertsUnlocked = ok;
      ctx.changed();
    });
  };
  el.addEventListener('pointerdown', firstTouch, { once: true });

  const dismissBanner = (): void => {
    bannerKeys = [];
    bannerDispatches = [];
    ctx.changed();
  };
  bannerDismiss.addEventListener('click', dismissBanner);
  bannerText.addEventListener('click', () => {
    const first = bannerDispatches[0];
    if (first) cards.get(first.incident.id)?.el.scrollIntoView({ behavior: 'smooth', block: 'start' });
  });

  // ---- actions ----
  const act = (incidentId: string, action: PatrolAction): void => {
    if (actions.get(incidentId)?.busy) return;
    const card = cards.get(incidentId);
    let note: string | undefined;
    if (action === 'resolve') {
      const cleaned = cleanNote(card?.note.value ?? '');
      if (cleaned === null) {
        actions.set(incidentId, { busy: false, error: pt('note.required') });
        ctx.changed();
        card?.note.focus();
        return;
      }
      note = cleaned;
    }
    actions.set(incidentId, { busy: true, error: null });
    // Acting on a dispatch answers the banner for it.
    bannerKeys = bannerKeys.filter((k) => !k.startsWith(`${incidentId}@`));
    ctx.changed();
    patrolStep(incidentId, action, note).then(
      (incident) => {
        replies.set(incident.id, incident);
        actions.set(incidentId, { busy: false, error: null });
        if (incident.state === 'resolved') {
          done = { text: pt('done.resolved', { box: boxName(incident.boxId) }), atMs: Date.now() };
          if (card) card.note.value = '';
        }
      },
      (err: unknown) => {
        const e = handleError(err);
        actions.set(incidentId, { busy: false, error: pt('error', { message: describeError(e) }) });
      },
    ).finally(() => {
      if (!disposed) ctx.changed();
    });
  };

  const loadSnapshots = (incidentId: string, card: Card): void => {
    incidentAttachments(incidentId).then(
      (list) => {
        card.fetched = list;
        if (!disposed) ctx.changed();
      },
      (err: unknown) => {
        handleError(err);
        // A missing picture is not worth more than the caption saying so.
      },
    );
  };

  const createCard = (d: Dispatch): Card => {
    const id = d.incident.id;
    const box = boxes.get(d.incident.boxId);
    const prio = h('span', { className: 'prio-tag' });
    const name = h('h2', { className: 'patrol-box' });
    const state = h('span', { className: 'state-badge' });
    const location = h('p', { className: 'patrol-location' });
    const floor = h('p', { className: 'patrol-floor' });
    const times = h('ol', { className: 'patrol-times' });
    const snapImg = h('img', { className: 'patrol-snap-img', attrs: { alt: '', decoding: 'async' } });
    snapImg.hidden = true;
    const snapCaption = h('figcaption');
    const snap = h('figure', { className: 'patrol-snap' }, snapImg, snapCaption);
    const noteLabel = h('label', { className: 'patrol-note-label', attrs: { for: `patrol-note-${id}` } });
    const note = h('textarea', {
      className: 'patrol-note',
      attrs: { id: `patrol-note-${id}`, 'data-field': 'note', rows: '3', maxlength: String(NOTE_MAX_CHARS) },
    });
    const noteBox = h('div', { className: 'patrol-note-box' }, noteLabel, note);
    const button = h('button', { className: 'primary patrol-action', attrs: { type: 'button' } });
    button.addEventListener('click', () => {
      const action = button.getAttribute('data-action') as PatrolAction | null;
      if (action) act(id, action);
    });
    const error = h('p', { className: 'patrol-error', attrs: { role: 'alert' } });
    const plan = h('div', { className: 'patrol-plan-wrap' }, planSvg(site, d.incident.boxId, pt('plan', { box: box ? local(box.name) : d.incident.boxId })));
    const el = h(
      'li',
      { attrs: { 'data-incident-id': id } },
      h('div', { className: 'patrol-card-head' }, prio, name, state),
      location,
      floor,
      times,
      h('div', { className: 'patrol-visuals' }, plan, snap),
      noteBox,
      button,
      error,
    );
    const card: Card = { el, prio, name, state, location, floor, times, snap, snapImg, snapCaption, snapUrl: '', noteLabel, note, noteBox, button, error, fetched: [] };
    loadSnapshots(id, card);
    return card;
  };

  const paintTimes = (card: Card, incident: Incident): void => {
    const st = stepTimes(incident);
    const rows: Array<[string, string | null]> = [
      [pt('step.opened'), st.opened],
      [pt('step.dispatched'), st.dispatched],
      [pt('step.accepted'), st.accepted],
      [pt('step.enRoute'), st.enRoute],
      [pt('step.onScene'), st.onScene],
    ];
    const text = rows.map(([k, v]) => `${k}|${v ?? ''}`).join(';') + getLang();
    if (card.times.getAttribute('data-painted') === text) return;
    card.times.setAttribute('data-painted', text);
    card.times.replaceChildren(
      ...rows.map(([label, at]) =>
        h(
          'li',
          { className: at ? 'patrol-step' : 'patrol-step patrol-step-pending' },
          h('span', { className: 'patrol-step-label', text: label }),
          h('time', { className: 'patrol-step-time', text: at ? clockText(at) : '—', attrs: at ? { datetime: at } : {} }),
        ),
      ),
    );
  };

  const paintCard = (card: Card, d: Dispatch, model: ViewModel): void => {
    const inc = d.incident;
    const box = boxes.get(inc.boxId);
    const fresh = bannerKeys.includes(d.key);
    setClass(card.el, `patrol-card prio-${inc.priority} state-${inc.state}${fresh ? ' patrol-card-new' : ''}`);
    setText(card.prio, priorityLabel(inc.priority));
    setText(card.name, boxName(inc.boxId));
    setText(card.state, stateLabel(inc.state));
    setClass(card.state, `state-badge state-${inc.state}`);
    setText(card.location, box ? local(box.location.text) : '');
    const building = box ? buildings.get(box.location.building) : undefined;
    setText(
      card.floor,
      box ? pt('where.floor', { building: building ? local(building.name) : box.location.building, floor: box.location.floor }) : '',
    );
    paintTimes(card, inc);

    // Latest snapshot: what was fetched plus what the feed announced since.
    const all = [...card.fetched, ...(model.attachments.get(inc.id) ?? [])];
    let latest: Attachment | null = null;
    for (const a of all) if (!latest || a.at > latest.at || (a.at === latest.at && a.id > latest.id)) latest = a;
    if (latest) {
      const url = attachmentUrl(latest);
      if (card.snapUrl !== url) {
        card.snapUrl = url;
        card.snapImg.src = url;
      }
      card.snapImg.hidden = false;
      setAttr(card.snapImg, 'alt', pt('snapshot.alt', { box: boxName(inc.boxId) }));
      setText(card.snapCaption, pt('snapshot', { time: clockText(latest.at) }));
    } else {
      card.snapImg.hidden = true;
      setText(card.snapCaption, pt('snapshot.none'));
    }
    setClass(card.snap, latest ? 'patrol-snap' : 'patrol-snap patrol-snap-none');

    const action = nextAction(inc.state);
    const busy = actions.get(inc.id)?.busy === true;
    card.button.hidden = action === null;
    if (action) {
      setAttr(card.button, 'data-action', action);
      setText(card.button, busy ? pt('action.busy') : pt(`action.${action}`));
    }
    card.button.disabled = busy;
    card.noteBox.hidden = action !== 'resolve';
    setText(card.noteLabel, pt('note.label'));
    setAttr(card.note, 'placeholder', pt('note.placeholder'));
    const err = actions.get(inc.id)?.error ?? '';
    setText(card.error, err);
    card.error.hidden = err === '';
  };

  const update = (model: ViewModel, feed: FeedStatus, nowMs: number): void => {
    if (disposed) return;
    setText(title, pt('title'));
    setText(who, pt('user', { user: ctx.user.username, team: teamInfo ? local(teamInfo.name) : team ?? pt('noTeam') }));
    setText(feedPill, pt(`feed.${feed}`));
    setClass(feedPill, `patrol-feed patrol-feed-${feed}`);
    setAttr(feedPill, 'data-status', feed);

    const notify = notificationsState();
    const alertsOn = alertsUnlocked && audioReady();
    setText(enableAlerts, alertsOn ? pt('alerts.on') : pt('alerts.enable'));
    setClass(enableAlerts, alertsOn ? 'patrol-enable patrol-enable-on' : 'patrol-enable primary');
    setText(alertsNote, alertsOn && notify !== 'granted' ? pt('alerts.noNotify') : '');
    alertsNote.hidden = !(alertsOn && notify !== 'granted');

    // Merge in our own replies, dropping those the feed has caught up with or forgotten.
    for (const [id, reply] of replies) {
      const fromFeed = model.incidents.get(id);
      if (!fromFeed || fromFeed.steps.length >= reply.steps.length) replies.delete(id);
    }
    const incidents = [...model.incidents.values()].map((i) => laterIncident(i, replies.get(i.id)));
    const mine = myDispatches(incidents, team);

    const fresh = newDispatches(mine, seenSet, model.ready);
    if (fresh.length > 0) {
      seen = saveSeen(ctx.user.username, seen, fresh.map((d) => d.key));
      seenSet = new Set(seen);
      bannerKeys = [...fresh.map((d) => d.key), ...bannerKeys];
      const first = fresh[0]!;
      const box = boxes.get(first.incident.boxId);
      ring(pt('notify.title'), `${boxName(first.incident.boxId)}${box ? ` · ${local(box.location.text)}` : ''}`, first.key);
    }
    // The banner shows only dispatches still on the list.
    const mineKeys = new Set(mine.map((d) => d.key));
    bannerKeys = bannerKeys.filter((k) => mineKeys.has(k));
    bannerDispatches = mine.filter((d) => bannerKeys.includes(d.key));
    banner.hidden = bannerDispatches.length === 0;
    if (bannerDispatches.length > 0) {
      const box = boxName(bannerDispatches[0]!.incident.boxId);
      setText(bannerText, bannerDispatches.length === 1 ? pt('banner.one', { box }) : pt('banner.many', { n: bannerDispatches.length, box }));
    }
    setText(bannerDismiss, pt('banner.dismiss'));

    const doneShown = done !== null && nowMs - done.atMs < DONE_SHOWN_MS;
    setText(doneEl, doneShown && done ? done.text : '');
    doneEl.hidden = !doneShown;

    hint.hidden = mine.length > 0;
    setText(hint, !team ? pt('noTeamHint') : model.ready ? pt('empty') : pt('waiting'));

    const ordered: HTMLElement[] = [];
    const present = new Set<string>();
    for (const d of mine) {
      let card = cards.get(d.incident.id);
      if (!card) {
        card = createCard(d);
        cards.set(d.incident.id, card);
      }
      paintCard(card, d, model);
      ordered.push(card.el);
      present.add(d.incident.id);
    }
    for (const id of [...cards.keys()]) {
      if (!present.has(id)) {
        cards.delete(id);
        actions.delete(id);
      }
    }
    reconcileChildren(list, ordered);
  };

  return {
    el,
    update,
    dispose: () => {
      disposed = true;
      el.removeEventListener('pointerdown', firstTouch);
    },
  };
}
