import { describe, expect, it } from 'vitest';
import { parseFeedMessage, parseSite } from '../../../dashboard/src/parse.ts';

const text = { zh: '校', en: 'School' };

describe('contract #5 shapes on the dashboard side', () => {
  it.each(['accepted', 'en_route', 'on_scene'])('takes an incident in state %s with its team and reason steps', (state) => {
    const incident = {
      id: 'INC-1',
      boxId: 'box-gate',
      kind: 'panic',
      priority: 'red',
      state,
      openedAt: '2026-11-23T08:00:00.000Z',
      steps: [
        { action: 'opened', at: '2026-11-23T08:00:00.000Z', by: 'box-gate' },
        { action: 'dispatch', at: '2026-11-23T08:01:00.000Z', by: 'op', team: 'team-east' },
      ],
    };
    const msg = parseFeedMessage(JSON.stringify({ type: 'incident', incident }));
    expect(msg).toEqual({ type: 'incident', incident });
  });

  it('reads patrol teams, response targets and camera places from /api/site', () => {
    const place = { building: 'gate', floor: 1, point: { x: 5, y: 6 }, text };
    const site = parseSite({
      site: { id: 's', name: text, plan: { width: 10, height: 10 } },
      buildings: [{ id: 'gate', name: text, floors: [1] }],
      boxes: [],
      cameras: [
        { id: 'cam-1', name: text, kind: 'fixed', location: place },
        { id: 'cam-2', name: text, kind: 'ptz' },
      ],
      patrolTeams: [{ id: 'team-east', name: { zh: '东区巡逻组', en: 'East patrol' } }, { id: 7 }],
      response: { acknowledgeS: 45, arriveS: 240 },
    });
    expect(site?.cameras).toEqual([
      { id: 'cam-1', name: text, kind: 'fixed', location: place },
      { id: 'cam-2', name: text, kind: 'ptz' },
    ]);
    expect(site?.patrolTeams).toEqual([{ id: 'team-east', name: { zh: '东区巡逻组', en: 'East patrol' } }]);
    expect(site?.response).toEqual({ acknowledgeS: 45, arriveS: 240 });
  });

  it('falls back to the default targets when the gateway sends none', () => {
    const site = parseSite({ site: { id: 's', name: text, plan: { width: 10, height: 10 } }, buildings: [], boxes: [] });
    expect(site?.response).toEqual({ acknowledgeS: 60, arriveS: 300 });
    expect(site?.patrolTeams).toEqual([]);
  });
});
