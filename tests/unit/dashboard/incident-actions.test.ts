import { describe, expect, it } from 'vitest';
import type { IncidentState } from '../../../dashboard/src/api-types.ts';
import { availableActions, dispatchedTeam, nextActions } from '../../../dashboard/src/incident-actions.ts';
import { canFor } from '../../../dashboard/src/permissions.ts';

const operator = canFor({ role: 'operator' });
const security = canFor({ role: 'security' });
const patrol = canFor({ role: 'patrol' });

describe('next steps of an incident', () => {
  it('follows the closed loop of contract #5', () => {
    const expected: Record<IncidentState, string[]> = {
      new: ['acknowledge', 'cancel'],
      acknowledged: ['dispatch', 'cancel'],
      dispatched: ['accept', 'en-route', 'on-scene', 'cancel'],
      accepted: ['en-route', 'on-scene', 'cancel'],
      en_route: ['on-scene', 'cancel'],
      on_scene: ['resolve', 'cancel'],
      resolved: ['close'],
      closed: [],
      cancelled: [],
    };
    for (const [state, actions] of Object.entries(expected)) expect(nextActions(state as IncidentState)).toEqual(actions);
  });

  it('offers only what the user may do', () => {
    expect(availableActions({ state: 'new' }, operator)).toEqual(['acknowledge', 'cancel']);
    expect(availableActions({ state: 'acknowledged' }, security)).toEqual(['cancel']);
    expect(availableActions({ state: 'on_scene' }, operator)).toEqual(['resolve', 'cancel']);
    expect(availableActions({ state: 'resolved' }, security)).toEqual([]);
    expect(availableActions({ state: 'dispatched' }, patrol)).toEqual(['accept', 'en-route', 'on-scene']);
    expect(availableActions({ state: 'new' }, canFor({ role: 'operator', permissions: ['incidents.view'] }))).toEqual([]);
  });

  it('names the team of the latest dispatch', () => {
    const at = '2026-11-23T08:00:00.000Z';
    expect(dispatchedTeam({ steps: [{ action: 'opened', at, by: 'box' }] })).toBeNull();
    expect(
      dispatchedTeam({
        steps: [
          { action: 'dispatch', at, by: 'op', team: 'team-east' },
          { action: 'dispatch', at, by: 'op', team: 'team-west' },
        ],
      }),
    ).toBe('team-west');
  });
});
