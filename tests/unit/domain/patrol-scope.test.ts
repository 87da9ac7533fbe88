import { describe, expect, it } from 'vitest';
import { mayActOnIncident } from '../../../gateway/domain/patrol-scope.ts';
import { incident } from './fixtures.ts';

const AT = '2026-11-23T02:05:00.000Z';
const dispatchedTo = (team: string) =>
  incident({
    state: 'dispatched',
    steps: [
      { action: 'opened', at: AT, by: 'system' },
      { action: 'acknowledge', at: AT, by: 'op1' },
      { action: 'dispatch', at: AT, by: 'op1', team },
    ],
  });

describe('patrol scope', () => {
  it('a patrol acts on incidents dispatched to its own team', () => {
    expect(mayActOnIncident({ role: 'patrol', team: 'team-east' }, dispatchedTo('team-east'))).toBe(true);
  });

  it('a patrol of another team is refused', () => {
    expect(mayActOnIncident({ role: 'patrol', team: 'team-west' }, dispatchedTo('team-east'))).toBe(false);
  });

  it('a patrol may not act on an incident nobody dispatched, nor may a patrol without a team', () => {
    expect(mayActOnIncident({ role: 'patrol', team: 'team-east' }, incident())).toBe(false);
    expect(mayActOnIncident({ role: 'patrol', team: null }, dispatchedTo('team-east'))).toBe(false);
  });

  it('the latest dispatch decides', () => {
    const inc = dispatchedTo('team-west');
    const redispatched = { ...inc, steps: [...inc.steps, { action: 'dispatch', at: AT, by: 'op1', team: 'team-east' }] };
    expect(mayActOnIncident({ role: 'patrol', team: 'team-east' }, redispatched)).toBe(true);
    expect(mayActOnIncident({ role: 'patrol', team: 'team-west' }, redispatched)).toBe(false);
  });

  it('other roles are not scoped by team', () => {
    for (const role of ['admin', 'operator', 'security'] as const) {
      expect(mayActOnIncident({ role, team: null }, dispatchedTo('team-east'))).toBe(true);
      expect(mayActOnIncident({ role, team: null }, incident())).toBe(true);
    }
  });
});
