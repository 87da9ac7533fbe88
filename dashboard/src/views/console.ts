// The command-centre console (operator, security, admin): the alarm panel with live video, the
// incident queue, the school plan, the incident detail with every step of the closed loop, video
// patrol, the alarm boxes (reset) and the camera list. Composes the views; owns no data.
import * as api from '../api.ts';
import { isAlarm, shouldBeep } from '../alarm-panel.ts';
import { canFor } from '../permissions.ts';
import type { ViewModel } from '../state.ts';
import { playAlarmBeep } from './alarm-sound.ts';
import { createAlarmView } from './alarm-view.ts';
import { createCamerasView } from './cameras.ts';
import { createDevicesView } from './devices.ts';
import { h } from './dom.ts';
import { createIncidentDetail } from './incident-detail.ts';
import { createIncidentsView } from './incidents.ts';
import { createPlanView } from './plan-view.ts';
import { createVideoPatrol } from './video-patrol.ts';
import type { MountedView, ViewContext } from './view-contract.ts';

export function createConsolePage(ctx: ViewContext): MountedView {
  const { site } = ctx;
  const can = canFor(ctx.user);
  let selectedIncident: string | null = null;
  let selectedBox: string | null = null;
  let lastModel: ViewModel | null = null;

  /** Runs a call to the gateway; a 401 means the session is gone, so back to sign-in. */
  const guarded = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (err) {
        const e = api.toApiError(err);
        if (e.status === 401) ctx.sessionEnded({ code: 'UNAUTHORIZED', message: e.message });
        throw e;
      }
    };

  const select = (incidentId: string): void => {
    selectedIncident = incidentId;
    selectedBox = lastModel?.incidents.get(incidentId)?.boxId ?? null;
    const inc = lastModel?.incidents.get(incidentId);
    if (inc && isAlarm(inc)) alarm.focus(incidentId);
    ctx.changed();
  };

  const alarm = createAlarmView({
    site,
    loadAttachments: api.attachments,
    attachmentUrl: api.attachmentUrl,
    canTalk: can('intercom.talk'),
    onNewAlarms: (fresh) => {
      if (shouldBeep(fresh)) playAlarmBeep();
      videoPatrol.alarmRaised(Date.now());
      // The newest alarm goes into the detail panel unless the operator is working on another open one.
      const current = selectedIncident ? lastModel?.incidents.get(selectedIncident) : undefined;
      if (!current || current.state === 'closed' || current.state === 'cancelled') {
        const first = fresh[0];
        if (first) {
          selectedIncident = first.id;
          selectedBox = first.boxId;
        }
      }
    },
    changed: ctx.changed,
  });
  const incidents = createIncidentsView({
    site,
    acknowledge: guarded(async (id: string) => {
      await api.incidentAction(id, { action: 'acknowledge' });
    }),
    canAcknowledge: can('incidents.acknowledge'),
    select,
    selected: () => selectedIncident,
    changed: ctx.changed,
  });
  const plan = createPlanView({
    site,
    selectBox: (boxId, incidentId) => {
      if (incidentId) {
        select(incidentId);
        return;
      }
      selectedIncident = null;
      selectedBox = boxId;
      // Its row in the box list (Reset is there) comes into view.
      devices.el.querySelector(`[data-box-id="${CSS.escape(boxId)}"]`)?.scrollIntoView({ block: 'nearest' });
      ctx.changed();
    },
    selectedBox: () => selectedBox,
    changed: ctx.changed,
  });
  const detail = createIncidentDetail({
    site,
    can,
    selectedIncident: () => selectedIncident,
    selectedBox: () => selectedBox,
    act: guarded(api.incidentAction),
    showVideo: (id) => alarm.focus(id),
    changed: ctx.changed,
  });
  const videoPatrol = createVideoPatrol({ site, changed: ctx.changed });
  const devices = createDevicesView({
    site,
    reset: guarded(api.resetBox),
    canReset: can('boxes.reset'),
    selected: () => selectedBox,
    changed: ctx.changed,
  });
  const cameras = createCamerasView({ site });

  const el = h(
    'div',
    { className: 'console', attrs: { 'data-page': 'console' } },
    alarm.el,
    h(
      'main',
      { className: 'console-main' },
      h('div', { className: 'console-col console-queue' }, incidents.el, devices.el),
      h('div', { className: 'console-col console-centre' }, plan.el, videoPatrol.el),
      h('div', { className: 'console-col console-side' }, detail.el, cameras.el),
    ),
  );

  return {
    el,
    update: (model, _feed, nowMs) => {
      lastModel = model;
      alarm.update(model, nowMs);
      incidents.update(model, nowMs);
      plan.update(model);
      detail.update(model, nowMs);
      videoPatrol.update(model, nowMs);
      devices.update(model, nowMs);
      cameras.update(model);
    },
    dispose: () => {
      alarm.dispose();
      videoPatrol.dispose();
    },
  };
}
