import { describe, expect, it } from 'vitest';
import type { User } from '../../../dashboard/src/api-types.ts';
import { canFor } from '../../../dashboard/src/permissions.ts';
import { allowedPages, defaultPage, pageFromHash, resolveRoute } from '../../../dashboard/src/routes.ts';

const admin: User = { username: 'a', role: 'admin' };
const operator: User = { username: 'o', role: 'operator' };
const security: User = { username: 's', role: 'security' };
const patrol: User = { username: 'p', role: 'patrol', team: 'team-east' };

describe('pages per role (route guard)', () => {
  it('gives each role its pages from the contract table when /api/me has no permission list', () => {
    expect(allowedPages(admin)).toEqual(['console', 'ops', 'users']);
    expect(allowedPages(operator)).toEqual(['console', 'ops']);
    expect(allowedPages(security)).toEqual(['console']);
    expect(allowedPages(patrol)).toEqual(['patrol']);
    expect(allowedPages({ role: 'janitor' })).toEqual([]);
  });

  it('follows the permissions the gateway sends over the role', () => {
    const narrowedOperator = { ...operator, permissions: ['incidents.view', 'incidents.acknowledge'] };
    expect(allowedPages(narrowedOperator)).toEqual(['console']);
    expect(allowedPages({ ...security, permissions: ['incidents.view', 'users.manage'] })).toEqual(['users']);
  });

  it('defaults patrol officers to #/patrol and everyone else to #/console', () => {
    expect(defaultPage(patrol)).toBe('patrol');
    expect(defaultPage(operator)).toBe('console');
    expect(defaultPage({ role: 'nobody' })).toBeNull();
  });

  it('reads only known page hashes', () => {
    expect(pageFromHash('#/ops')).toBe('ops');
    expect(pageFromHash('#/users/')).toBe('users');
    expect(pageFromHash('#/nowhere')).toBeNull();
    expect(pageFromHash('')).toBeNull();
    expect(pageFromHash('#ops')).toBeNull();
  });

  it('lets a user onto an allowed page and sends them home from a forbidden or unknown one', () => {
    expect(resolveRoute('#/ops', operator)).toEqual({ page: 'ops', redirect: null });
    expect(resolveRoute('#/users', operator)).toEqual({ page: 'console', redirect: '#/console' });
    expect(resolveRoute('', patrol)).toEqual({ page: 'patrol', redirect: '#/patrol' });
    expect(resolveRoute('#/console', patrol)).toEqual({ page: 'patrol', redirect: '#/patrol' });
    expect(resolveRoute('#/console', { role: 'nobody' })).toEqual({ page: null, redirect: null });
  });
});

describe('permissions', () => {
  it('uses the list from /api/me when present, else the role table', () => {
    expect(canFor(security)('boxes.reset')).toBe(true);
    expect(canFor(security)('incidents.dispatch')).toBe(false);
    expect(canFor(patrol)('boxes.reset')).toBe(false);
    expect(canFor({ ...security, permissions: ['incidents.view'] })('boxes.reset')).toBe(false);
    expect(canFor({ role: 'nobody' })('incidents.view')).toBe(false);
  });
});
