// The signed-in page: top bar, incidents, alarm boxes. Composes the views; owns no data.
import type { Site, User } from '../api-types.ts';
import type { FeedStatus, ViewModel } from '../state.ts';
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
  onLogout: () => void;
  changed: () => void;
}): ConsoleView {
  const header = createHeader({ site: opts.site, user: opts.user, onLogout: opts.onLogout });
  const incidents = createIncidentsView({ site: opts.site, acknowledge: opts.acknowledge, changed: opts.changed });
  const devices = createDevicesView({ site: opts.site, reset: opts.reset, changed: opts.changed });
  const el = h('div', { className: 'console' }, header.el, h('main', { className: 'console-main' }, incidents.el, devices.el));
  return {
    el,
    update: (view, feed, nowMs) => {
      header.update(view, feed);
      incidents.update(view, nowMs);
      devices.update(view, nowMs);
    },
    dispose: header.dispose,
  };
}
