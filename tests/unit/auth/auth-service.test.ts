import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../../gateway/journal/journal.ts';
import { AuthService, hashToken, SESSION_IDLE_MS } from '../../../gateway/auth/auth-service.ts';
import { site } from '../domain/fixtures.ts';

let journal: Journal | null = null;
afterEach(() => journal?.close());

function setup(start = Date.parse('2026-11-23T00:00:00Z')) {
  const clock = { t: start };
  journal = new Journal({ file: ':memory:', site, now: () => new Date(clock.t) });
  const auth = new AuthService({ users: journal.users, sessions: journal.sessions, now: () => new Date(clock.t) });
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
    expect(user).toEqual({ username: 'admin', role: 'admin' });
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
    await auth.createUser('pat', 'patrol', 'patrol-password-1');
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
});
