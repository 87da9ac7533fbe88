// Users, passwords and sessions. Tokens are 32 random bytes; only their sha256 is stored.
// Disabling a user, changing their role or resetting their password ends every session of theirs
// and calls the hooks, so the feed, streams and intercom close that user's sockets at once.
import { createHash, randomBytes } from 'node:crypto';
import { CodedError } from '../../common/coded-error.ts';
import type { UserRecord, UserStore } from '../journal/user-store.ts';
import type { SessionStore } from '../journal/session-store.ts';
import { isRole, permissionsOf, type Permission, type Role } from '../domain/roles.ts';
import { LoginThrottle } from './login-throttle.ts';
import { MAX_PASSWORD_CHARS, dummyHash, hashPassword, randomPassword, verifyPassword } from './password.ts';

export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** Writing last-used on every request would fsync per request; once a minute is precise enough. */
const TOUCH_EVERY_MS = 60 * 1000;
export const MIN_PASSWORD_CHARS = 12;
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,31}$/;

export interface SessionUser {
  username: string;
  role: Role;
  /** A patrol user's team; null for every other role. */
  team: string | null;
}

/** GET /api/me: who is signed in and what the server lets them do. */
export interface Me extends SessionUser {
  permissions: Permission[];
}

export function meOf(user: SessionUser): Me {
  return { username: user.username, role: user.role, team: user.team, permissions: permissionsOf(user.role) };
}

export interface AuthedSession {
  user: SessionUser;
  /** sha256 of the token, hex: identifies the session without being it. */
  sessionId: string;
}

export interface AuthServiceOptions {
  users: UserStore;
  sessions: SessionStore;
  now?: () => Date;
  throttle?: LoginThrottle;
  /** The site's patrol team ids: a patrol user's team must be one of them. Without it any
   * well-formed id is taken (tools that do not load a site file). */
  teams?: readonly string[];
}

const TEAM_ID = /^[a-z0-9][a-z0-9-]{0,47}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Adds a hook; the returned function removes it (its owner calls it on stop). */
function subscribe<T>(list: Array<(v: T) => void>, hook: (v: T) => void): () => void {
  list.push(hook);
  return () => {
    const i = list.indexOf(hook);
    if (i >= 0) list.splice(i, 1);
  };
}

export class AuthService {
  private readonly users: UserStore;
  private readonly sessions: SessionStore;
  private readonly now: () => Date;
  private readonly throttle: LoginThrottle;
  private readonly teams: ReadonlySet<string> | null;
  private readonly userSessionsEndedHooks: Array<(username: string) => void> = [];
  private readonly sessionEndedHooks: Array<(sessionId: string) => void> = [];

  constructor(opts: AuthServiceOptions) {
    this.users = opts.users;
    this.sessions = opts.sessions;
    this.now = opts.now ?? (() => new Date());
    this.throttle = opts.throttle ?? new LoginThrottle();
    this.teams = opts.teams ? new Set(opts.teams) : null;
  }

  /** Called when every session of a user ends at once (disabled, role changed, password reset). */
  onUserSessionsEnded(hook: (username: string) => void): () => void {
    return subscribe(this.userSessionsEndedHooks, hook);
  }

  onSessionEnded(hook: (sessionId: string) => void): () => void {
    return subscribe(this.sessionEndedHooks, hook);
  }

  /** First start: creates 'admin' with a random password and returns it for the caller to show
   * once (never log it). Returns null when any user exists. */
  async ensureInitialAdmin(): Promise<string | null> {
    if (this.users.count() > 0) return null;
    const password = randomPassword();
    if (!this.users.insert('admin', 'admin', await hashPassword(password), this.now().toISOString())) return null;
    return password;
  }

  /** For the CLI: a new random password; the user's sessions end. */
  async resetPassword(username: string): Promise<string> {
    if (!this.users.get(username)) throw new CodedError('USER_NOT_FOUND', `no user "${username}"`);
    const password = randomPassword();
    this.users.setPasswordHash(username, await hashPassword(password));
    this.endSessionsOf(username);
    return password;
  }

  /** A patrol user needs a team of this site; nobody else has one. Returns the team to store. */
  private checkTeam(role: Role, team: string | null | undefined): string | null {
    if (role !== 'patrol') {
      if (team !== undefined && team !== null) throw new CodedError('VALIDATION_FAILED', 'team: only patrol users belong to a team', { field: 'team' });
      return null;
    }
    if (team === undefined || team === null) throw new CodedError('VALIDATION_FAILED', 'team: a patrol user needs a team', { field: 'team' });
    if (!TEAM_ID.test(team) || (this.teams !== null && !this.teams.has(team))) {
      throw new CodedError('VALIDATION_FAILED', `team: "${team.slice(0, 48)}" is not a patrol team of this site`, { field: 'team' });
    }
    return team;
  }

  async createUser(username: string, role: string, password?: string, team?: string | null): Promise<{ user: SessionUser; password: string }> {
    if (!USERNAME_PATTERN.test(username)) throw new CodedError('VALIDATION_FAILED', 'username: 1-32 lower-case letters, digits, ".", "_" or "-"', { field: 'username' });
    if (!isRole(role)) throw new CodedError('VALIDATION_FAILED', 'role: unknown role', { field: 'role' });
    const teamOf = this.checkTeam(role, team);
    const pw = password ?? randomPassword();
    if (pw.length < MIN_PASSWORD_CHARS || pw.length > MAX_PASSWORD_CHARS) {
      throw new CodedError('VALIDATION_FAILED', `password: ${MIN_PASSWORD_CHARS}-${MAX_PASSWORD_CHARS} characters`, { field: 'password' });
    }
    if (!this.users.insert(username, role, await hashPassword(pw), this.now().toISOString(), teamOf)) {
      throw new CodedError('USER_EXISTS', `user "${username}" already exists`);
    }
    return { user: { username, role, team: teamOf }, password: pw };
  }

  listUsers(): UserRecord[] {
    return this.users.list();
  }

  getUser(username: string): UserRecord {
    const user = this.users.get(username);
    if (!user) throw new CodedError('USER_NOT_FOUND', `no user "${username}"`);
    return user;
  }

  disableUser(username: string): void {
    if (!this.users.setDisabled(username, true)) throw new CodedError('USER_NOT_FOUND', `no user "${username}"`);
    this.endSessionsOf(username);
  }

  /** The user may sign in again; they had no sessions left to restore. */
  enableUser(username: string): void {
    if (!this.users.setDisabled(username, false)) throw new CodedError('USER_NOT_FOUND', `no user "${username}"`);
  }

  /** A new role (and team, for patrol). Their sessions end: what they could do has changed. */
  setRole(username: string, role: string, team?: string | null): UserRecord {
    if (!isRole(role)) throw new CodedError('VALIDATION_FAILED', 'role: unknown role', { field: 'role' });
    const teamOf = this.checkTeam(role, team);
    if (!this.users.setRole(username, role, teamOf)) throw new CodedError('USER_NOT_FOUND', `no user "${username}"`);
    this.endSessionsOf(username);
    return this.getUser(username);
  }

  private endSessionsOf(username: string): void {
    this.sessions.deleteForUser(username);
    for (const hook of this.userSessionsEndedHooks) hook(username);
  }

  async login(username: string, password: string, ip: string): Promise<{ token: string; user: SessionUser; sessionId: string }> {
    const nowMs = this.now().getTime();
    const keys = [`user:${username}`, `ip:${ip}`];
    const wait = this.throttle.lockedForMs(keys, nowMs);
    if (wait > 0) throw new CodedError('AUTH_LOCKED', 'too many failed logins: try again later', { retryAfterS: Math.ceil(wait / 1000) });

    const record = this.users.get(username);
    const stored = this.users.passwordHash(username);
    // Hash even for unknown users so timing does not reveal which usernames exist.
    const ok = password.length <= MAX_PASSWORD_CHARS && (await verifyPassword(password, stored ?? (await dummyHash())));
    if (!ok || !record || !stored || record.disabled) {
      this.throttle.recordFailure(keys, this.now().getTime());
      throw new CodedError('AUTH_INVALID', 'wrong username or password');
    }
    this.throttle.clear(`user:${username}`);
    const token = randomBytes(32).toString('base64url');
    const sessionId = hashToken(token);
    const now = this.now();
    this.sessions.deleteExpired(now.toISOString());
    this.sessions.insert({
      tokenHash: sessionId,
      username,
      createdAt: now.toISOString(),
      lastUsedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_IDLE_MS).toISOString(),
    });
    return { token, user: { username, role: record.role, team: record.team }, sessionId };
  }

  /** The session's user, or null if the token is unknown, expired or its user disabled. */
  authenticate(token: string): AuthedSession | null {
    if (token.length === 0 || token.length > 128) return null;
    const sessionId = hashToken(token);
    const session = this.sessions.get(sessionId);
    if (!session) return null;
    const now = this.now();
    if (Date.parse(session.expiresAt) <= now.getTime()) {
      this.sessions.delete(sessionId);
      return null;
    }
    const user = this.users.get(session.username);
    if (!user || user.disabled) return null;
    if (now.getTime() - Date.parse(session.lastUsedAt) >= TOUCH_EVERY_MS) {
      this.sessions.touch(sessionId, now.toISOString(), new Date(now.getTime() + SESSION_IDLE_MS).toISOString());
    }
    return { user: { username: user.username, role: user.role, team: user.team }, sessionId };
  }

  /** Whether a session (by id) is still valid, without touching it: the feed re-checks its sockets. */
  sessionAlive(sessionId: string): boolean {
    const session = this.sessions.get(sessionId);
    if (!session || Date.parse(session.expiresAt) <= this.now().getTime()) return false;
    const user = this.users.get(session.username);
    return !!user && !user.disabled;
  }

  logout(sessionId: string): void {
    this.sessions.delete(sessionId);
    for (const hook of this.sessionEndedHooks) hook(sessionId);
  }
}
