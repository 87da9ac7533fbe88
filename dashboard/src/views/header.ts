// The top bar: site name, the pages this user may open, live-feed and hardware-bridge status,
// who is signed in, language, sign-out. Owned by the shell (main.ts), above every page.
import type { Site, User } from '../api-types.ts';
import { feedLabel, local, t } from '../i18n.ts';
import { hashOf, type PageId } from '../routes.ts';
import { isAlarm } from '../alarm-panel.ts';
import { openIncidentCount, type FeedStatus, type ViewModel } from '../state.ts';
import { h, setAttr, setClass, setText } from './dom.ts';
import { createLangToggle } from './lang-toggle.ts';

export interface HeaderView {
  el: HTMLElement;
  update: (view: ViewModel, feed: FeedStatus, page: PageId | null) => void;
  dispose: () => void;
}

export function createHeader(opts: { site: Site; user: User; pages: readonly PageId[]; onLogout: () => void }): HeaderView {
  const siteName = h('h1', { className: 'site-name' });
  const appName = h('span', { className: 'app-name' });
  const feedPill = h('span', { attrs: { role: 'status', 'aria-live': 'polite' } });
  const bridgePill = h('span', { attrs: { role: 'status' } });
  const userText = h('span', { className: 'user' });
  const logout = h('button', { className: 'ghost', attrs: { type: 'button', 'data-testid': 'logout' } });
  const langToggle = createLangToggle();
  logout.addEventListener('click', opts.onLogout);

  const links = opts.pages.map((page) => {
    const a = h('a', { className: 'nav-link', attrs: { href: hashOf(page), 'data-testid': `nav-${page}`, 'data-page': page } });
    return { page, a };
  });
  const nav = h('nav', { className: 'page-nav' }, ...links.map((l) => l.a));
  // On the other pages, alarms nobody has acknowledged yet still reach whoever may take them.
  const alarmAlert = h('a', { className: 'alarm-alert', attrs: { href: hashOf('console'), 'data-testid': 'alarm-alert', role: 'alert' } });
  alarmAlert.hidden = true;
  // One page only: no nav to speak of.
  nav.hidden = links.length < 2;

  const el = h(
    'header',
    { className: 'topbar' },
    h('div', { className: 'brand' }, siteName, appName),
    nav,
    alarmAlert,
    h('div', { className: 'status-pills' }, feedPill, bridgePill),
    h('div', { className: 'session' }, userText, langToggle.el, logout),
  );

  const update = (view: ViewModel, feed: FeedStatus, page: PageId | null): void => {
    setText(siteName, local(opts.site.site.name));
    setText(appName, t('app.title'));
    setAttr(nav, 'aria-label', t('nav.label'));
    for (const l of links) {
      setText(l.a, t(`nav.${l.page}`));
      if (l.page === page) l.a.setAttribute('aria-current', 'page');
      else l.a.removeAttribute('aria-current');
    }
    const waiting = opts.pages.includes('console') && page !== 'console' ? [...view.incidents.values()].filter((i) => isAlarm(i) && i.state === 'new').length : 0;
    alarmAlert.hidden = waiting === 0;
    if (waiting > 0) setText(alarmAlert, t('nav.alarmAlert', { n: waiting }));
    setText(feedPill, feedLabel(feed));
    setClass(feedPill, `pill feed-${feed}`);
    // Until the feed is live, the bridge flag is a memory, not news: show it as unknown.
    const bridgeKnown = feed === 'open' && view.ready;
    setText(bridgePill, view.bridgeConnected ? t('bridge.up') : t('bridge.down'));
    setClass(bridgePill, `pill ${!bridgeKnown ? 'bridge-unknown' : view.bridgeConnected ? 'bridge-up' : 'bridge-down'}`);
    setText(userText, t('header.user', { user: opts.user.username, role: opts.user.role }));
    setText(logout, t('header.logout'));
    // The open count in the tab title reaches an operator looking at another tab.
    const open = openIncidentCount(view);
    document.title = `${open > 0 ? `(${open}) ` : ''}${local(opts.site.site.name)} · ${t('app.title')}`;
  };

  return { el, update, dispose: langToggle.dispose };
}
