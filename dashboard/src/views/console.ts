// The signed-in page: top bar, incidents, alarm boxes. Composes the views; owns no data.
import type { Attachment, Incident, Site, User } from '../api-types.ts';
import type { FeedStatus, ViewModel } from '../state.ts';
import { createAlarmView } from './alarm-view.ts';
import { createCamerasView } from './cameras.ts';
import { createDevicesView } from './devices.ts';
import { h } from './dom.ts';
import { createHeader } from './header.ts';
import { createIncidentsView } from './incidents.ts';

export interface ConsoleView {
  el: HTMLElement;
  update: (view: ViewModel, feed: FeedStatus, nowMs: number) => void;
  dispose: () => void;
}

export function createConsole(opts: {
  site: Site;
  user: User;
  acknowledge: (incidentId: string) => Promise<void>;
  reset: (boxId: string) => Promise<void>;
  loadAttachments: (incidentId: string) => Promise<Attachment[]>;
  attachmentUrl: (a: Attachment) => string;
  onNewAlarms: (fresh: Incident[]) => void;
  onLogout: () => void;
  changed: () => void;
}): ConsoleView {
  const header = createHeader({ site: opts.site, user: opts.user, onLogout: opts.onLogout });
  const incidents = createIncidentsView({ site: opts.site, acknowledge: opts.acknowledge, changed: opts.changed });
  const devices = createDevicesView({ site: opts.site, reset: opts.reset, changed: opts.changed });
  const cameras = createCamerasView({ site: opts.site });
  const alarm = createAlarmView({
    site: opts.site,
    loadAttachments: opts.loadAttachments,
    attachmentUrl: opts.attachmentUrl,
    onNewAlarms: opts.onNewAlarms,
    changed: opts.changed,
  });
  const el = h(
    'div',
    { className: 'console' },
    header.el,
    alarm.el,
    h('main', { className: 'console-main' }, incidents.el, h('div', { className: 'console-side' }, devices.el, cameras.el)),
  );
  return {
    el,
    update: (view, feed, nowMs) => {
      header.update(view, feed);
      alarm.update(view, nowMs);
      incidents.update(view, nowMs);
      devices.update(view, nowMs);
      cameras.update(view);
    },
    dispose: () => {
      alarm.dispose();
      header.dispose();
    },
  };
}
