// The ops page (admin, operator): every box and camera with its health and a test button per
// box, the gateway's own health every five seconds, and, for admins, the running configuration.
import type { ApiError } from '../api.ts';
import { local } from '../i18n.ts';
import type { FeedStatus, ViewModel } from '../state.ts';
import { h, setText } from '../views/dom.ts';
import type { MountedView, ViewContext } from '../views/view-contract.ts';
import { createConfigPanel } from './config-panel.ts';
import { createDeviceHealthList } from './device-health-list.ts';
import { createHealthPanel } from './health-panel.ts';
import { ot } from './ops-strings.ts';

export function createOpsView(ctx: ViewContext): MountedView {
  const permissions = ctx.user.permissions;
  // The server checks every call; hiding is a convenience. Unknown permissions: show, let it refuse.
  const canTest = permissions === undefined || permissions.includes('boxes.test');
  const canViewConfig = permissions !== undefined && permissions.includes('config.view');

  let disposed = false;
  const sessionEnded = (e: ApiError): void => {
    if (!disposed) ctx.sessionEnded({ code: e.code, message: e.message });
  };
  const changed = (): void => {
    if (!disposed) ctx.changed();
  };

  const title = h('h1', { className: 'ops-title' });
  const siteName = h('span', { className: 'ops-muted' });

  const health = createHealthPanel({ changed, sessionEnded });
  const devices = createDeviceHealthList({ site: ctx.site, canTest, changed, sessionEnded });
  const config = canViewConfig ? createConfigPanel({ changed, sessionEnded }) : null;

  const el = h(
    'main',
    { className: 'ops-page' },
    h(
      'header',
      { className: 'ops-top' },
      title,
      siteName,
    ),
    h('div', { className: 'ops-grid' }, devices.el, h('div', { className: 'ops-side' }, health.el, ...(config ? [config.el] : []))),
  );

  // The shell's top bar shows the feed status, language and sign-out above every page.
  const update = (model: ViewModel, _feed: FeedStatus, nowMs: number): void => {
    if (disposed) return;
    setText(title, ot('title'));
    setText(siteName, local(ctx.site.site.name));
    health.update(nowMs);
    devices.update(model, nowMs);
    config?.update();
  };

  return {
    el,
    update,
    dispose: () => {
      disposed = true;
      health.dispose();
    },
  };
}
