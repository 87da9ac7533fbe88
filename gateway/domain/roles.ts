// Who may do what. One table, checked on the server for every request (the dashboard's hiding
// of buttons is a convenience, never the control).
export const ROLES = ['admin', 'operator', 'security', 'patrol'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'incidents.view',
  'incidents.acknowledge',
  'incidents.dispatch',
  'incidents.accept',
  'incidents.en-route',
  'incidents.on-scene',
  'incidents.resolve',
  'incidents.close',
  'incidents.cancel',
  'devices.view',
  'boxes.reset',
  'boxes.test',
  'users.manage',
  'config.view',
  'cameras.view',
  'cameras.control',
  'intercom.talk',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ALL_INCIDENT: Permission[] = PERMISSIONS.filter((p) => p.startsWith('incidents.'));

const TABLE: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  operator: new Set([...ALL_INCIDENT, 'devices.view', 'boxes.reset', 'boxes.test', 'cameras.view', 'cameras.control', 'intercom.talk']),
  security: new Set(['incidents.view', 'incidents.acknowledge', 'incidents.cancel', 'devices.view', 'boxes.reset', 'cameras.view']),
  // A patrol acts only on incidents dispatched to its own team (patrol-scope.ts).
  patrol: new Set(['incidents.view', 'incidents.accept', 'incidents.en-route', 'incidents.on-scene', 'incidents.resolve', 'devices.view', 'cameras.view']),
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, permission: Permission): boolean {
  return TABLE[role].has(permission);
}

/** Everything a role may do, in table order (GET /api/me tells the dashboard). */
export function permissionsOf(role: Role): Permission[] {
  return PERMISSIONS.filter((p) => TABLE[role].has(p));
}
