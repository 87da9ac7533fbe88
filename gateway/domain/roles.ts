// Who may do what. One table, checked on the server for every request (the dashboard's hiding
// of buttons is a convenience, never the control).
export const ROLES = ['admin', 'operator', 'security', 'patrol'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'incidents.view'
  | 'incidents.acknowledge'
  | 'incidents.dispatch'
  | 'incidents.on-scene'
  | 'incidents.resolve'
  | 'incidents.close'
  | 'incidents.cancel'
  | 'devices.view'
  | 'boxes.reset'
  | 'boxes.test'
  | 'users.manage'
  | 'cameras.view'
  | 'cameras.control'
  | 'intercom.talk';

const ALL_INCIDENT: Permission[] = [
  'incidents.view',
  'incidents.acknowledge',
  'incidents.dispatch',
  'incidents.on-scene',
  'incidents.resolve',
  'incidents.close',
  'incidents.cancel',
];

const TABLE: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set([...ALL_INCIDENT, 'devices.view', 'boxes.reset', 'boxes.test', 'users.manage', 'cameras.view', 'cameras.control', 'intercom.talk']),
  operator: new Set([...ALL_INCIDENT, 'devices.view', 'boxes.reset', 'boxes.test', 'cameras.view', 'cameras.control', 'intercom.talk']),
  security: new Set(['incidents.view', 'incidents.acknowledge', 'incidents.cancel', 'devices.view', 'boxes.reset', 'cameras.view']),
  patrol: new Set(['incidents.view', 'incidents.on-scene', 'incidents.resolve', 'devices.view', 'cameras.view']),
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, permission: Permission): boolean {
  return TABLE[role].has(permission);
}
