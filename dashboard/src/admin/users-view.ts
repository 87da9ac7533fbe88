// Placeholder until this page lands: the shell can already route to it.
import type { MountedView, ViewContext } from '../views/view-contract.ts';

export function createUsersView(_ctx: ViewContext): MountedView {
  const el = document.createElement('main');
  el.textContent = '…';
  return { el, update: () => {}, dispose: () => {} };
}
