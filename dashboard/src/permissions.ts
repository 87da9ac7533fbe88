// What the signed-in user may do, for showing or hiding controls. The server checks every
// request anyway (403 FORBIDDEN); this only keeps buttons off screens that cannot use them.
import type { User } from './api-types.ts';

export type Permission =
  | 'incidents.view'
  | 'incidents.acknowledge'
  | 'incidents.dispatch'
  | 'incidents.accept'
  | 'incidents.en-route'
  | 'incidents.on-scene'
  | 'incidents.resolve'
  | 'incidents.close'
  | 'incidents.cancel'
  | 'devices.view'
  | 'boxes.reset'
  | 'boxes.test'
  | 'cameras.view'
  | 'cameras.control'
  | 'intercom.talk'
  | 'users.manage'
  | 'config.view';

const INCIDENT_ALL: Permission[] = [
  'incidents.view',
  'incidents.acknowledge',
  'incidents.dispatch',
  'incidents.accept',
  'incidents.en-route',
  'incidents.on-scene',
  'incidents.resolve',
  'incidents.close',
  'incidents.cancel',
];

/** Contract #5's table, used only when /api/me carries no permission list (an older gateway). */
export const ROLE_PERMISSIONS: Readonly<Record<string, readonly Permission[]>> = {
  admin: [...INCIDENT_ALL, 'devices.view', 'boxes.reset', 'boxes.test', 'cameras.view', 'cameras.control', 'intercom.talk', 'users.manage', 'config.view'],
  operator: [...INCIDENT_ALL, 'devices.view', 'boxes.reset', 'boxes.test', 'cameras.view', 'cameras.control', 'intercom.talk'],
  security: ['incidents.view', 'incidents.acknowledge', 'incidents.cancel', 'devices.view', 'boxes.reset', 'cameras.view'],
  patrol: ['incidents.view', 'incidents.accept', 'incidents.en-route', 'incidents.on-scene', 'incidents.resolve', 'devices.view', 'cameras.view'],
};

export type Can = (permission: Permission) => boolean;

export function permissionsOf(user: Pick<User, 'role' | 'permissions'>): ReadonlySet<string> {
  return new Set(user.permissions ?? ROLE_PERMISSIONS[user.role] ?? []);
}

export function canFor(user: Pick<User, 'role' | 'permissions'>): Can {
  const set = permissionsOf(user);
  return (p) => set.has(p);
}
