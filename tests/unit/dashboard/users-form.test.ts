import { describe, expect, it } from 'vitest';
import type { UserRecord } from '../../../dashboard/src/api-types.ts';
import { checkNewUser, checkRoleChange, isOwnAccount, sortUsers } from '../../../dashboard/src/admin/users-logic.ts';
import { parseCreated, parseNewPassword, parseUserList } from '../../../dashboard/src/admin/users-parse.ts';

const TEAMS = ['team-east', 'team-west'];
const form = (over: Partial<{ username: string; role: string; team: string; password: string }> = {}) => ({
  username: 'li.ming',
  role: 'operator',
  team: '',
  password: '',
  ...over,
});

describe('new user form', () => {
  it('sends only what the gateway takes: no team for non-patrol, no password when it should be generated', () => {
    expect(checkNewUser(form(), TEAMS, [])).toEqual({ ok: true, body: { username: 'li.ming', role: 'operator' } });
    expect(checkNewUser(form({ role: 'patrol', team: 'team-east', password: 'a-long-password' }), TEAMS, [])).toEqual({
      ok: true,
      body: { username: 'li.ming', role: 'patrol', team: 'team-east', password: 'a-long-password' },
    });
    // A team left in a hidden field does not go with a non-patrol role.
    expect(checkNewUser(form({ role: 'security', team: 'team-east' }), TEAMS, [])).toEqual({ ok: true, body: { username: 'li.ming', role: 'security' } });
  });

  it('requires one of the site teams for patrol', () => {
    expect(checkNewUser(form({ role: 'patrol' }), TEAMS, [])).toEqual({ ok: false, problems: { team: 'team.required' } });
    expect(checkNewUser(form({ role: 'patrol', team: 'team-north' }), TEAMS, [])).toEqual({ ok: false, problems: { team: 'team.unknown' } });
  });

  it('refuses usernames, roles and passwords the gateway would refuse', () => {
    for (const bad of ['', 'Li', '.dot', 'a b', 'x'.repeat(33), '名字']) {
      const res = checkNewUser(form({ username: bad }), TEAMS, []);
      expect(res.ok ? null : res.problems.username).toBe('username.invalid');
    }
    expect(checkNewUser(form({ username: 'x'.repeat(32) }), TEAMS, []).ok).toBe(true);
    const taken = checkNewUser(form(), TEAMS, ['li.ming']);
    expect(taken.ok ? null : taken.problems.username).toBe('username.taken');
    const role = checkNewUser(form({ role: 'root' }), TEAMS, []);
    expect(role.ok ? null : role.problems.role).toBe('role.invalid');
    const short = checkNewUser(form({ password: 'short' }), TEAMS, []);
    expect(short.ok ? null : short.problems.password).toBe('password.length');
    expect(checkNewUser(form({ password: 'x'.repeat(12) }), TEAMS, []).ok).toBe(true);
    const long = checkNewUser(form({ password: 'x'.repeat(257) }), TEAMS, []);
    expect(long.ok ? null : long.problems.password).toBe('password.length');
  });

  it('reports every problem at once', () => {
    const res = checkNewUser({ username: 'BAD', role: 'patrol', team: '', password: 'abc' }, TEAMS, []);
    expect(res).toEqual({ ok: false, problems: { username: 'username.invalid', team: 'team.required', password: 'password.length' } });
  });
});

describe('role change and own account', () => {
  it('checks the role and team pair', () => {
    expect(checkRoleChange('patrol', 'team-west', TEAMS)).toEqual({ ok: true, body: { role: 'patrol', team: 'team-west' } });
    expect(checkRoleChange('admin', '', TEAMS)).toEqual({ ok: true, body: { role: 'admin' } });
    expect(checkRoleChange('patrol', '', TEAMS)).toEqual({ ok: false, problems: { team: 'team.required' } });
    expect(checkRoleChange('boss', '', TEAMS)).toEqual({ ok: false, problems: { role: 'role.invalid' } });
  });

  it('knows the admin’s own row', () => {
    expect(isOwnAccount('admin', { username: 'admin' })).toBe(true);
    expect(isOwnAccount('admin', { username: 'admin2' })).toBe(false);
  });

  it('lists enabled accounts first, then by name', () => {
    const u = (username: string, disabled: boolean): UserRecord => ({ username, role: 'operator', team: null, disabled, createdAt: '2026-11-23T08:00:00.000Z' });
    expect(sortUsers([u('zed', false), u('amy', true), u('bob', false)]).map((x) => x.username)).toEqual(['bob', 'zed', 'amy']);
  });
});

describe('replies', () => {
  const rec = { username: 'wang', role: 'patrol', team: 'team-east', disabled: false, createdAt: '2026-11-23T08:00:00.000Z' };

  it('parses the list and drops records that do not fit', () => {
    expect(parseUserList([rec, { ...rec, username: 'x', role: 'root' }, { ...rec, username: 'y', team: null, role: 'admin' }])?.map((u) => u.username)).toEqual(['wang', 'y']);
    expect(parseUserList({})).toBeNull();
  });

  it('parses a created user with and without a generated password, and a reset', () => {
    expect(parseCreated({ user: rec, password: 'generated-pw-123' })).toEqual({ user: rec, password: 'generated-pw-123' });
    expect(parseCreated({ user: rec })).toEqual({ user: rec, password: null });
    expect(parseCreated({ user: { username: 'q' } })).toBeNull();
    expect(parseNewPassword({ password: 'p' })).toBe('p');
    expect(parseNewPassword({ password: '' })).toBeNull();
    expect(parseNewPassword({})).toBeNull();
  });
});

describe('error text', () => {
  it('puts the gateway’s own words after the local text, and lets a page name its own not-found', async () => {
    const { ApiError } = await import('../../../dashboard/src/api.ts');
    const { describeError } = await import('../../../dashboard/src/admin/users-api.ts');
    const forbidden = new ApiError('FORBIDDEN', 'you cannot disable your own account', 403);
    expect(describeError(forbidden)).toContain('you cannot disable your own account');
    expect(describeError(forbidden)).not.toBe(forbidden.message);
    expect(describeError(new ApiError('NOT_FOUND', 'no such user', 404), { NOT_FOUND: '找不到该账号' })).toBe('找不到该账号 — no such user');
    expect(describeError(new ApiError('SOMETHING_NEW', 'a new kind of refusal', 409))).toBe('a new kind of refusal');
    expect(describeError(new ApiError('NETWORK', 'Failed to fetch', 0))).not.toContain('Failed to fetch');
  });
});
