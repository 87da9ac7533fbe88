import { describe, expect, it } from 'vitest';
import { ROLES, can, isRole, type Permission, type Role } from '../../../gateway/domain/roles.ts';

const EXPECTED: Record<Permission, Role[]> = {
  'incidents.view': ['admin', 'operator', 'security', 'patrol'],
  'incidents.acknowledge': ['admin', 'operator', 'security'],
  'incidents.dispatch': ['admin', 'operator'],
  'incidents.on-scene': ['admin', 'operator', 'patrol'],
  'incidents.resolve': ['admin', 'operator', 'patrol'],
  'incidents.close': ['admin', 'operator'],
  'incidents.cancel': ['admin', 'operator', 'security'],
  'devices.view': ['admin', 'operator', 'security', 'patrol'],
  'boxes.reset': ['admin', 'operator', 'security'],
  'boxes.test': ['admin', 'operator'],
  'users.manage': ['admin'],
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

  it('patrol cannot reset relays; only admin manages users', () => {
    expect(can('patrol', 'boxes.reset')).toBe(false);
    expect(ROLES.filter((r) => can(r, 'users.manage'))).toEqual(['admin']);
  });

  it('recognises only the four roles', () => {
    expect(isRole('operator')).toBe(true);
    expect(isRole('root')).toBe(false);
  });
});
