// The pages of the dashboard and who may see them; the shell in main.ts routes by location.hash.
// Pure. The server is still the control: a page shown by mistake gets 403s, nothing more.
import type { User } from './api-types.ts';
import { permissionsOf } from './permissions.ts';

export const PAGES = ['console', 'patrol', 'ops', 'users'] as const;
export type PageId = (typeof PAGES)[number];

/** Which pages a user may open, in nav order. */
export function allowedPages(user: Pick<User, 'role' | 'permissions' | 'team'>): PageId[] {
  const perms = permissionsOf(user);
  const has = (p: string): boolean => perms.has(p);
  const out: PageId[] = [];
  // The command-centre console: whoever takes alarms in (admin, operator, security).
  if (user.role !== 'patrol' && has('incidents.acknowledge')) out.push('console');
  // A patrol officer's own dispatches.
  if (user.role === 'patrol') out.push('patrol');
  // Gateway health, box tests, the running configuration (admin, operator).
  if (has('boxes.test') || has('config.view')) out.push('ops');
  if (has('users.manage')) out.push('users');
  return out;
}

export function defaultPage(user: Pick<User, 'role' | 'permissions' | 'team'>): PageId | null {
  return allowedPages(user)[0] ?? null;
}

/** '#/ops' -> 'ops'; anything else -> null. */
export function pageFromHash(hash: string): PageId | null {
  const m = /^#\/([a-z]+)\/?$/.exec(hash);
  const id = m?.[1];
  return id !== undefined && (PAGES as readonly string[]).includes(id) ? (id as PageId) : null;
}

export function hashOf(page: PageId): string {
  return `#/${page}`;
}

export interface Route {
  /** The page to show, or null when this user may see none. */
  page: PageId | null;
  /** Set when the address must change (unknown or forbidden page): replace the hash with it. */
  redirect: string | null;
}

/** The route guard: a page the user may not see (or no page) sends them to their default page. */
export function resolveRoute(hash: string, user: Pick<User, 'role' | 'permissions' | 'team'>): Route {
  const allowed = allowedPages(user);
  const wanted = pageFromHash(hash);
  if (wanted !== null && allowed.includes(wanted)) return { page: wanted, redirect: null };
  const fallback = allowed[0] ?? null;
  return { page: fallback, redirect: fallback === null ? null : hashOf(fallback) };
}
