// Shape checks for the account administration replies.
import type { UserRecord } from '../api-types.ts';
import { isRole } from './users-logic.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

export function parseUserRecord(v: unknown): UserRecord | null {
  if (!isObj(v) || !isStr(v.username) || !isStr(v.role) || !isRole(v.role)) return null;
  if (!(v.team === null || v.team === undefined || isStr(v.team))) return null;
  if (typeof v.disabled !== 'boolean' || !isStr(v.createdAt)) return null;
  return { username: v.username, role: v.role, team: v.team ?? null, disabled: v.disabled, createdAt: v.createdAt };
}

/** The account list; a record that does not fit is dropped, a non-list is null. */
export function parseUserList(v: unknown): UserRecord[] | null {
  if (!Array.isArray(v)) return null;
  return v.map(parseUserRecord).filter((u): u is UserRecord => u !== null);
}

export function parseCreated(v: unknown): { user: UserRecord; password: string | null } | null {
  if (!isObj(v)) return null;
  const user = parseUserRecord(v.user);
  if (!user || !(v.password === undefined || isStr(v.password))) return null;
  return { user, password: v.password ?? null };
}

export function parseNewPassword(v: unknown): string | null {
  return isObj(v) && isStr(v.password) && v.password.length > 0 ? v.password : null;
}
