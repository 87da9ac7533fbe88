// Bootstrap and shell: choose the language, find out whether a session exists, then show the
// sign-in form or the signed-in shell. The shell owns the session, the one feed, the 1 s tick
// and rendering; it routes by location.hash between the pages the user's role may see
// (#/console, #/patrol, #/ops, #/users). Changing page never reconnects the feed.
import * as api from './api.ts';
import type { ApiErrorBody, Site, User } from './api-types.ts';
import { createUsersView } from './admin/users-view.ts';
import { initialAlarmPanel, observeAlarms, shouldBeep } from './alarm-panel.ts';
import { FeedClient } from './feed.ts';
import { initLang, onLangChange, t } from './i18n.ts';
import { createOpsView } from './ops/ops-view.ts';
import { createPatrolView } from './patrol/patrol-view.ts';
import { allowedPages, resolveRoute, type PageId } from './routes.ts';
import { applyFeedMessage, emptyView, type FeedStatus, type ViewModel } from './state.ts';
import { createConsolePage } from './views/console.ts';
import { h } from './views/dom.ts';
import { createHeader } from './views/header.ts';
import { createLoginView } from './views/login.ts';
import { playAlarmBeep } from './views/alarm-sound.ts';
import type { MountedView, ViewContext } from './views/view-contract.ts';

const TICK_MS = 1000;

const PAGE_FACTORIES: Readonly<Record<PageId, (ctx: ViewContext) => MountedView>> = {
  console: createConsolePage,
  patrol: createPatrolView,
  ops: createOpsView,
  users: createUsersView,
};

/** Tears down whatever is on screen. */
let unmount: () => void = () => {};

function mount(root: HTMLElement, el: HTMLElement, dispose: () => void): void {
  unmount();
  root.replaceChildren(el);
  unmount = dispose;
}

function showLogin(root: HTMLElement, notice?: ApiErrorBody): void {
  const view = createLoginView({
    ...(notice ? { notice } : {}),
    submit: async (username, password) => {
      await api.login(username, password);
      // /api/me carries the permissions and team the sign-in reply may not.
      const user = await api.me();
      if (!user) throw new api.ApiError('UNAUTHORIZED', 'session not established', 401);
      await showShell(root, user);
    },
  });
  mount(root, view.el, view.dispose);
}

/** For an account whose role may open no page at all. */
function noPageView(): MountedView {
  const p = h('p', { className: 'empty', attrs: { 'data-testid': 'no-page' } });
  const el = h('main', { className: 'no-page' }, p);
  return {
    el,
    update: () => {
      if (p.textContent !== t('shell.noPage')) p.textContent = t('shell.noPage');
    },
    dispose: () => {},
  };
}

async function showShell(root: HTMLElement, user: User): Promise<void> {
  const site: Site = await api.site();

  let model: ViewModel = emptyView();
  let feedStatus: FeedStatus = 'connecting';
  let frame = 0;
  let stopped = false;
  let pageId: PageId | null = null;
  let page: MountedView | null = null;
  const pages = allowedPages(user);
  /** New alarms while another page is open: the console beeps for its own. */
  let alarms = initialAlarmPanel;

  const render = (): void => {
    frame = 0;
    if (stopped) return;
    const now = Date.now();
    header.update(model, feedStatus, pageId);
    page?.update(model, feedStatus, now);
  };
  // Coalesces a burst of feed messages into one repaint.
  const scheduleRender = (): void => {
    if (frame === 0 && !stopped) frame = requestAnimationFrame(render);
  };

  const sessionEnded = (notice?: ApiErrorBody): void => {
    if (stopped) return;
    showLogin(root, notice); // unmounts the shell, which stops the feed
  };

  const onLogout = (): void => {
    api.logout().catch(() => {
      // Signing out locally still matters when the gateway cannot be reached.
    });
    sessionEnded();
  };

  const ctx: ViewContext = { site, user, changed: scheduleRender, sessionEnded, onLogout };
  const header = createHeader({ site, user, pages, onLogout });
  const pageHost = h('div', { className: 'page-host' });
  const shellEl = h('div', { className: 'shell' }, header.el, pageHost);

  /** Shows the page the address asks for, if this user may see it; otherwise their default page. */
  const route = (): void => {
    if (stopped) return;
    const r = resolveRoute(location.hash, user);
    if (r.redirect !== null && location.hash !== r.redirect) history.replaceState(null, '', r.redirect);
    if (r.page === pageId && page !== null) return;
    page?.dispose();
    pageId = r.page;
    page = r.page === null ? noPageView() : PAGE_FACTORIES[r.page](ctx);
    pageHost.replaceChildren(page.el);
    render();
  };
  const onHash = (): void => route();

  const stop = (): void => {
    stopped = true;
    feed.stop();
    clearInterval(tick);
    if (frame !== 0) cancelAnimationFrame(frame);
    window.removeEventListener('hashchange', onHash);
    offLang();
    page?.dispose();
    page = null;
    header.dispose();
  };

  const feed = new FeedClient({
    onMessage: (msg) => {
      model = applyFeedMessage(model, msg);
      const seen = observeAlarms(alarms, model);
      alarms = seen.state;
      if (pageId !== 'console' && pages.includes('console') && shouldBeep(seen.fresh)) playAlarmBeep();
      scheduleRender();
    },
    onStatus: (status, failures) => {
      feedStatus = status;
      scheduleRender();
      // The socket cannot tell us why it was refused; ask whether the session still holds.
      if (status === 'reconnecting' && failures > 0) {
        api.me().then(
          (u) => {
            if (u === null) sessionEnded({ code: 'UNAUTHORIZED', message: 'session expired' });
          },
          () => {
            // Gateway unreachable: keep retrying the feed.
          },
        );
      }
    },
  });

  const tick = setInterval(scheduleRender, TICK_MS);
  const offLang = onLangChange(scheduleRender);
  mount(root, shellEl, stop);
  window.addEventListener('hashchange', onHash);
  route();
  feed.start();
}

async function boot(): Promise<void> {
  initLang();
  const root = document.getElementById('app');
  if (!root) throw new Error('index.html has no #app element');
  try {
    const user = await api.me();
    if (user) await showShell(root, user);
    else showLogin(root);
  } catch (err) {
    showLogin(root, api.toApiError(err));
  }
}

void boot();
