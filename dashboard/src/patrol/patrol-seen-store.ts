// The dispatch keys this device has already rung for, kept in localStorage so a reload or a
// reconnect does not ring again for the same dispatch. Capped; storage may be off.
import { rememberSeen } from './patrol-logic.ts';

const storageKey = (username: string): string => `campus-alarm.patrol.seen-dispatches.${username}`;
export const SEEN_CAP = 200;

export function loadSeen(username: string): string[] {
  try {
    const raw = localStorage.getItem(storageKey(username));
    const v: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(v) ? v.filter((k): k is string => typeof k === 'string').slice(-SEEN_CAP) : [];
  } catch {
    return [];
  }
}

/** Adds keys and stores the list; returns it (also when storage is off, for this visit). */
export function saveSeen(username: string, seen: readonly string[], keys: readonly string[]): string[] {
  const next = rememberSeen(seen, keys, SEEN_CAP);
  try {
    localStorage.setItem(storageKey(username), JSON.stringify(next));
  } catch {
    // Remembered for this visit only.
  }
  return next;
}
