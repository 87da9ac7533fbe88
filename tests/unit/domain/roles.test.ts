import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, can, isRole, permissionsOf, type Permission, type Role } from '../../../gateway/domain/roles.ts';

const EXPECTED: Record<Permission, Role[]> = {
  'incidents.view': ['admin', 'operator', 'security', 'patrol'],
  'incidents.acknowledge': ['admin', 'operator', 'security'],
  'incidents.dispatch': ['admin', 'operator'],
  'incidents.accept': ['admin', 'operator', 'patrol'],
  'incidents.en-route': ['admin', 'operator', 'patrol'],
  'incidents.on-scene': ['admin', 'operator', 'patrol'],
  'incidents.resolve': ['admin', 'operator', 'patrol'],
  'incidents.close': ['admin', 'operator'],
  'incidents.cancel': ['admin', 'operator', 'security'],
  'devices.view': ['admin', 'operator', 'security', 'patrol'],
  'boxes.reset': ['admin', 'operator', 'security'],
  'boxes.test': ['admin', 'operator'],
  'users.manage': ['admin'],
  'config.view': ['admin'],
  'cameras.view': ['admin', 'operator', 'security', 'patrol'],
  'cameras.control': ['admin', 'operator'],
  'intercom.talk': ['admin', 'operator'],
};

describe('roles', () => {
  for (const [permission, allowed] of Object.entries(EXPECTED) as Array<[Permission, Role[]]>) {
    for (const role of ROLES) {
      it(`${role} ${allowed.includes(role) ? 'may' : 'may not'} ${permission}`, () => {
        expect(can(role, permission)).toBe(allowed.includes(role));
      });
    }
  }

  it('the table covers every permission there is', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...PERMISSIONS].sort());
  });

  it('patrol cannot reset or test boxes, manage users, view config or control cameras; only admin manages users', () => {
    for (const p of ['boxes.reset', 'boxes.test', 'users.manage', 'config.view', 'cameras.control', 'incidents.dispatch'] as const) expect(can('patrol', p)).toBe(false);
    expect(ROLES.filter((r) => can(r, 'users.manage'))).toEqual(['admin']);
  });

  it('lists a role\'s permissions for /api/me, exactly the ones it may do', () => {
    for (const role of ROLES) expect(permissionsOf(role)).toEqual(PERMISSIONS.filter((p) => can(role, p)));
    expect(permissionsOf('patrol')).toEqual(['incidents.view', 'incidents.accept', 'incidents.en-route', 'incidents.on-scene', 'incidents.resolve', 'devices.view', 'cameras.view']);
    expect(permissionsOf('admin')).toEqual([...PERMISSIONS]);
  });

  it('recognises only the four roles', () => {
    expect(isRole('operator')).toBe(true);
    expect(isRole('root')).toBe(false);
  });
});
