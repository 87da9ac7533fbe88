// The users page's pure parts: checking the create and change-role forms the way the gateway
// will, and what an admin may not do to their own account. The gateway still decides.
import type { Role, UserRecord } from '../api-types.ts';

export const ROLES: readonly Role[] = ['admin', 'operator', 'security', 'patrol'];
/** The gateway's rules (gateway/auth): lower-case letters, digits, ".", "_", "-"; 1-32 long. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,31}$/;
export const MIN_PASSWORD_CHARS = 12;
export const MAX_PASSWORD_CHARS = 256;

export type FormField = 'username' | 'role' | 'team' | 'password';
export type FormProblem = 'username.invalid' | 'username.taken' | 'role.invalid' | 'team.required' | 'team.unknown' | 'password.length';

export interface NewUserForm {
  username: string;
  role: string;
  team: string;
  password: string;
}

export interface NewUserBody {
  username: string;
  role: Role;
  team?: string;
  password?: string;
}

export interface RoleBody {
  role: Role;
  team?: string;
}

export type Checked<T> = { ok: true; body: T } | { ok: false; problems: Partial<Record<FormField, FormProblem>> };

export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

/** A patrol officer needs one of the site's teams; nobody else may have one. */
function checkRoleTeam(role: string, team: string, teams: readonly string[], problems: Partial<Record<FormField, FormProblem>>): RoleBody | null {
  if (!isRole(role)) {
    problems.role = 'role.invalid';
    return null;
  }
  if (role !== 'patrol') return { role };
  if (team === '') {
    problems.team = 'team.required';
    return null;
  }
  if (!teams.includes(team)) {
    problems.team = 'team.unknown';
    return null;
  }
  return { role, team };
}

export function checkNewUser(form: NewUserForm, teams: readonly string[], existing: readonly string[]): Checked<NewUserBody> {
  const problems: Partial<Record<FormField, FormProblem>> = {};
  const username = form.username.trim();
  if (!USERNAME_PATTERN.test(username)) problems.username = 'username.invalid';
  else if (existing.includes(username)) problems.username = 'username.taken';
  const roleTeam = checkRoleTeam(form.role, form.team, teams, problems);
  // An empty password field means "let the gateway generate one".
  if (form.password !== '' && (form.password.length < MIN_PASSWORD_CHARS || form.password.length > MAX_PASSWORD_CHARS)) {
    problems.password = 'password.length';
  }
  if (Object.keys(problems).length > 0 || roleTeam === null) return { ok: false, problems };
  return { ok: true, body: { username, ...roleTeam, ...(form.password !== '' ? { password: form.password } : {}) } };
}

export function checkRoleChange(role: string, team: string, teams: readonly string[]): Checked<RoleBody> {
  const problems: Partial<Record<FormField, FormProblem>> = {};
  const body = checkRoleTeam(role, team, teams, problems);
  return body === null ? { ok: false, problems } : { ok: true, body };
}

/** The gateway refuses an admin disabling, re-roling or resetting their own account. */
export function isOwnAccount(me: string, user: Pick<UserRecord, 'username'>): boolean {
  return me === user.username;
}

/** Alphabetical, enabled accounts first. */
export function sortUsers(users: readonly UserRecord[]): UserRecord[] {
  return [...users].sort((a, b) => (a.disabled !== b.disabled ? (a.disabled ? 1 : -1) : a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
}
