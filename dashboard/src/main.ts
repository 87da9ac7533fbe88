// Bootstrap: choose the language, find out whether a session exists, then show the sign-in
// form or the console. Owns the feed and the clock tick, and stops both on sign-out.
import * as api from './api.ts';
import type { ApiErrorBody, User } from './api-types.ts';
import { FeedClient } from './feed.ts';
import { initLang, onLangChange } from './i18n.ts';
import { applyFeedMessage, emptyView, type FeedStatus, type ViewModel } from './state.ts';
import { createConsole } from './views/console.ts';
import { shouldBeep } from './alarm-panel.ts';
import { playAlarmBeep } from './views/alarm-sound.ts';
import { createLoginView } from './views/login.ts';

const TICK_MS = 1000;

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
      const user = await api.login(username, password);
      await showConsole(root, user);
    },
  });
  mount(root, view.el, view.dispose);
}

async function showConsole(root: HTMLElement, user: User): Promise<void> {
  const site = await api.site();

  let model: ViewModel = emptyView();
  let feedStatus: FeedStatus = 'connecting';
  let frame = 0;
  let stopped = false;

  const render = (): void => {
    frame = 0;
    if (!stopped) consoleView.update(model, feedStatus, Date.now());
  };
  // Coalesces a burst of feed messages into one repaint.
  const scheduleRender = (): void => {
    if (frame === 0 && !stopped) frame = requestAnimationFrame(render);
  };

  const stop = (): void => {
    stopped = true;
    feed.stop();
    clearInterval(tick);
    if (frame !== 0) cancelAnimationFrame(frame);
    offLang();
    consoleView.dispose();
  };

  const sessionEnded = (notice?: ApiErrorBody): void => {
    if (stopped) return;
    showLogin(root, notice); // unmounts the console, which stops the feed
  };

  /** Runs an action; a 401 means the session is gone, so back to sign-in. */
  const guarded =
    (fn: (id: string) => Promise<void>) =>
    async (id: string): Promise<void> => {
      try {
        await fn(id);
      } catch (err) {
        const e = api.toApiError(err);
        if (e.status === 401) sessionEnded({ code: 'UNAUTHORIZED', message: e.message });
        throw e;
      }
    };

  const consoleView = createConsole({
    site,
    user,
    acknowledge: guarded(api.acknowledgeIncident),
    reset: guarded(api.resetBox),
    loadAttachments: api.attachments,
    attachmentUrl: api.attachmentUrl,
    onNewAlarms: (fresh) => {
      if (shouldBeep(fresh)) playAlarmBeep();
    },
    changed: scheduleRender,
    onLogout: () => {
      api.logout().catch(() => {
        // Signing out locally still matters when the gateway cannot be reached.
      });
      sessionEnded();
    },
  });

  const feed = new FeedClient({
    onMessage: (msg) => {
      model = applyFeedMessage(model, msg);
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
  mount(root, consoleView.el, stop);
  render();
  feed.start();
}

async function boot(): Promise<void> {
  initLang();
  const root = document.getElementById('app');
  if (!root) throw new Error('index.html has no #app element');
  try {
    const user = await api.me();
    if (user) await showConsole(root, user);
    else showLogin(root);
  } catch (err) {
    showLogin(root, api.toApiError(err));
  }
}

void boot();
