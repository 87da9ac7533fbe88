import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../../gateway/journal/journal.ts';
import { AuthService, hashToken, SESSION_IDLE_MS } from '../../../gateway/auth/auth-service.ts';
import { site } from '../domain/fixtures.ts';

let journal: Journal | null = null;
afterEach(() => journal?.close());

function setup(start = Date.parse('2026-11-23T00:00:00Z')) {
  const clock = { t: start };
  journal = new Journal({ file: ':memory:', site, now: () => new Date(clock.t) });
  const auth = new AuthService({ users: journal.users, sessions: journal.sessions, now: () => new Date(clock.t), teams: ['team-east', 'team-west'] });
  return { auth, clock, journal };
}

const codeOf = async (p: Promise<unknown>) => p.then(() => undefined, (e: { code?: string }) => e.code);

describe('auth service', () => {
  it('creates the first admin once with a random password it returns, and never again', async () => {
    const { auth } = setup();
    const pw = await auth.ensureInitialAdmin();
    expect(pw).toBeTypeOf('string');
    expect(pw!.length).toBeGreaterThanOrEqual(16);
    expect(await auth.ensureInitialAdmin()).toBeNull();
    const { user } = await auth.login('admin', pw!, '127.0.0.1');
    expect(user).toEqual({ username: 'admin', role: 'admin', team: null });
  });

  it('stores only the sha256 of a 256-bit token', async () => {
    const { auth, journal: j } = setup();
    const pw = (await auth.ensureInitialAdmin())!;
    const { token } = await auth.login('admin', pw, '127.0.0.1');
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const rows = j.db.prepare('SELECT token_hash FROM sessions').all() as Array<{ token_hash: string }>;
    expect(rows.map((r) => r.token_hash)).toEqual([hashToken(token)]);
  });

  it('expires a session after 12 h idle, and keeps it while used', async () => {
    const { auth, clock } = setup();
    const pw = (await auth.ensureInitialAdmin())!;
    const { token } = await auth.login('admin', pw, '127.0.0.1');
    clock.t += SESSION_IDLE_MS - 60_000;
    expect(auth.authenticate(token)).not.toBeNull();
    clock.t += SESSION_IDLE_MS - 60_000;
    expect(auth.authenticate(token)).not.toBeNull();
    clock.t += SESSION_IDLE_MS + 1;
    expect(auth.authenticate(token)).toBeNull();
  });

  it('refuses with AUTH_LOCKED after 5 failures, even with the right password, until 15 min pass', async () => {
    const { auth, clock } = setup();
    const pw = (await auth.ensureInitialAdmin())!;
    for (let i = 0; i < 5; i++) expect(await codeOf(auth.login('admin', 'wrong', '10.0.0.1'))).toBe('AUTH_INVALID');
    expect(await codeOf(auth.login('admin', pw, '10.0.0.2'))).toBe('AUTH_LOCKED');
    clock.t += 15 * 60 * 1000;
    expect(await codeOf(auth.login('admin', pw, '10.0.0.2'))).toBeUndefined();
  });

  it('disabling a user ends their sessions and calls the hook; they cannot sign in', async () => {
    const { auth } = setup();
    await auth.ensureInitialAdmin();
    await auth.createUser('pat', 'patrol', 'patrol-password-1', 'team-east');
    const { token } = await auth.login('pat', 'patrol-password-1', '127.0.0.1');
    const ended: string[] = [];
    auth.onUserSessionsEnded((u) => ended.push(u));
    auth.disableUser('pat');
    expect(ended).toEqual(['pat']);
    expect(auth.authenticate(token)).toBeNull();
    expect(await codeOf(auth.login('pat', 'patrol-password-1', '127.0.0.1'))).toBe('AUTH_INVALID');
  });

  it('resetPassword returns a new random password that works and ends old sessions', async () => {
    const { auth } = setup();
    const first = (await auth.ensureInitialAdmin())!;
    const { token } = await auth.login('admin', first, '127.0.0.1');
    const second = await auth.resetPassword('admin');
    expect(second).not.toBe(first);
    expect(auth.authenticate(token)).toBeNull();
    expect(await codeOf(auth.login('admin', first, '127.0.0.1'))).toBe('AUTH_INVALID');
    expect(await codeOf(auth.login('admin', second, '127.0.0.1'))).toBeUndefined();
  });

  it('a patrol user needs one of the site\'s teams; nobody else may have one', async () => {
    const { auth } = setup();
    expect(await codeOf(auth.createUser('pat', 'patrol', 'patrol-password-1'))).toBe('VALIDATION_FAILED');
    const field = await auth.createUser('pat', 'patrol', 'patrol-password-1', 'team-north').catch((e: { details: { field?: string } }) => e.details.field);
    expect(field).toBe('team');
    expect(await codeOf(auth.createUser('op', 'operator', 'operator-password-1', 'team-east'))).toBe('VALIDATION_FAILED');
    const { user } = await auth.createUser('pat', 'patrol', 'patrol-password-1', 'team-west');
    expect(user).toEqual({ username: 'pat', role: 'patrol', team: 'team-west' });
    expect((await auth.createUser('op', 'operator', 'operator-password-1', null)).user.team).toBeNull();
    expect(auth.listUsers().map((u) => [u.username, u.role, u.team])).toEqual([['op', 'operator', null], ['pat', 'patrol', 'team-west']]);
    const { token } = await auth.login('pat', 'patrol-password-1', '127.0.0.1');
    expect(auth.authenticate(token)?.user).toEqual({ username: 'pat', role: 'patrol', team: 'team-west' });
  });

  it('a role change sets role and team, ends the user\'s sessions and calls the hook', async () => {
    const { auth } = setup();
    await auth.createUser('sam', 'security', 'security-password-1');
    const { token } = await auth.login('sam', 'security-password-1', '127.0.0.1');
    const ended: string[] = [];
    auth.onUserSessionsEnded((u) => ended.push(u));
    expect(() => auth.setRole('sam', 'patrol')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(auth.authenticate(token)).not.toBeNull();
    const updated = auth.setRole('sam', 'patrol', 'team-east');
    expect(updated).toMatchObject({ username: 'sam', role: 'patrol', team: 'team-east', disabled: false });
    expect(ended).toEqual(['sam']);
    expect(auth.authenticate(token)).toBeNull();
    const again = await auth.login('sam', 'security-password-1', '127.0.0.1');
    expect(again.user).toEqual({ username: 'sam', role: 'patrol', team: 'team-east' });
    // Back to a role without a team: the team goes.
    expect(auth.setRole('sam', 'operator')).toMatchObject({ role: 'operator', team: null });
    expect(() => auth.setRole('nobody', 'operator')).toThrow(expect.objectContaining({ code: 'USER_NOT_FOUND' }));
    expect(() => auth.setRole('sam', 'root')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('an enabled user may sign in again', async () => {
    const { auth } = setup();
    await auth.createUser('op', 'operator', 'operator-password-1');
    auth.disableUser('op');
    expect(await codeOf(auth.login('op', 'operator-password-1', '127.0.0.1'))).toBe('AUTH_INVALID');
    auth.enableUser('op');
    expect(auth.getUser('op').disabled).toBe(false);
    expect(await codeOf(auth.login('op', 'operator-password-1', '127.0.0.1'))).toBeUndefined();
    expect(() => auth.enableUser('nobody')).toThrow(expect.objectContaining({ code: 'USER_NOT_FOUND' }));
  });

  it('a password reset calls the user-sessions hook', async () => {
    const { auth } = setup();
    await auth.createUser('op', 'operator', 'operator-password-1');
    const ended: string[] = [];
    auth.onUserSessionsEnded((u) => ended.push(u));
    await auth.resetPassword('op');
    expect(ended).toEqual(['op']);
  });
});
