// What every top-level page (console, patrol, ops, users) gets from the shell in main.ts and
// gives back. The shell owns the session, the feed and the clock; a page owns its DOM.
import type { ApiErrorBody, Site, User } from '../api-types.ts';
import type { FeedStatus, ViewModel } from '../state.ts';

export interface ViewContext {
  site: Site;
  user: User;
  /** Ask the shell for a repaint (coalesced into one animation frame). */
  changed: () => void;
  /** The server said 401: back to sign-in. */
  sessionEnded: (notice?: ApiErrorBody) => void;
  onLogout: () => void;
}

export interface MountedView {
  el: HTMLElement;
  /** Called on every feed change and once a second; must be cheap when nothing changed. */
  update: (model: ViewModel, feed: FeedStatus, nowMs: number) => void;
  dispose: () => void;
}
