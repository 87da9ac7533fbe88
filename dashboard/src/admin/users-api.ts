// The users page's calls (users.manage). Disabling, re-roling and resetting end that user's
// sessions on the gateway at once.
import type { UserRecord } from '../api-types.ts';
import { expect, request, type ApiError } from '../api.ts';
import { errorText } from '../i18n.ts';
import type { NewUserBody, RoleBody } from './users-logic.ts';
import { parseCreated, parseNewPassword, parseUserList } from './users-parse.ts';

const userPath = (username: string, action: string): string => `/api/users/${encodeURIComponent(username)}/${action}`;

export async function listUsers(): Promise<UserRecord[]> {
  return expect(await request('GET', '/api/users'), parseUserList);
}

/** The generated password comes back once, only when none was given. */
export async function createUser(body: NewUserBody): Promise<{ user: UserRecord; password: string | null }> {
  return expect(await request('POST', '/api/users', body), parseCreated);
}

export async function disableUser(username: string): Promise<void> {
  await request('POST', userPath(username, 'disable'), {});
}

export async function enableUser(username: string): Promise<void> {
  await request('POST', userPath(username, 'enable'), {});
}

export async function changeRole(username: string, body: RoleBody): Promise<void> {
  await request('POST', userPath(username, 'role'), body);
}

export async function resetPassword(username: string): Promise<string> {
  return expect(await request('POST', userPath(username, 'reset-password'), {}), parseNewPassword);
}

/** An error in the user's language, followed by the gateway's own words when they add something. */
export function describeError(e: ApiError, own?: Partial<Record<string, string>>): string {
  const base = own?.[e.code] ?? errorText(e);
  return e.message && e.message !== base && e.status !== 0 ? `${base} — ${e.message}` : base;
}
