import { describe, expect, it } from 'vitest';
import type { FeedMessage, Incident, IncidentStep } from '../../../dashboard/src/api-types.ts';
import {
  cleanNote,
  dispatchKey,
  laterIncident,
  latestDispatchStep,
  myDispatches,
  newDispatches,
  nextAction,
  rememberSeen,
  stepTimes,
} from '../../../dashboard/src/patrol/patrol-logic.ts';
import { parseIncident } from '../../../dashboard/src/patrol/patrol-parse.ts';
import { applyFeedMessage, emptyView, type ViewModel } from '../../../dashboard/src/state.ts';

const OPENED = '2026-11-23T08:00:00.000Z';

function step(action: string, at: string, extra: Partial<IncidentStep> = {}): IncidentStep {
  return { action, at, by: 'someone', ...extra };
}

function dispatched(id: string, team: string, at: string, over: Partial<Incident> = {}): Incident {
  return {
    id,
    boxId: 'box-gate',
    kind: 'panic',
    priority: 'red',
    state: 'dispatched',
    openedAt: OPENED,
    steps: [step('opened', OPENED), step('acknowledge', OPENED), step('dispatch', at, { team })],
    ...over,
  };
}

function snapshot(incidents: Incident[]): FeedMessage {
  return { type: 'snapshot', incidents, devices: [], bridge: { connected: true } };
}

describe('myDispatches', () => {
  it('keeps open incidents whose latest dispatch is to my team, newest dispatch first', () => {
    const a = dispatched('INC-A', 'team-east', '2026-11-23T08:01:00.000Z');
    const b = dispatched('INC-B', 'team-east', '2026-11-23T08:05:00.000Z');
    const other = dispatched('INC-C', 'team-west', '2026-11-23T08:06:00.000Z');
    const notDispatched: Incident = { ...a, id: 'INC-D', state: 'acknowledged', steps: a.steps.slice(0, 2) };
    const mine = myDispatches([a, b, other, notDispatched], 'team-east');
    expect(mine.map((d) => d.incident.id)).toEqual(['INC-B', 'INC-A']);
    expect(mine[0]!.key).toBe(dispatchKey('INC-B', '2026-11-23T08:05:00.000Z'));
  });

  it('follows the latest dispatch when an incident is sent to another team', () => {
    const moved = dispatched('INC-A', 'team-east', '2026-11-23T08:01:00.000Z');
    moved.steps.push(step('dispatch', '2026-11-23T08:03:00.000Z', { team: 'team-west' }));
    expect(myDispatches([moved], 'team-east')).toEqual([]);
    expect(myDispatches([moved], 'team-west').map((d) => d.step.at)).toEqual(['2026-11-23T08:03:00.000Z']);
    expect(latestDispatchStep(moved)?.team).toBe('team-west');
  });

  it('drops finished incidents and keeps those being worked on', () => {
    const base = dispatched('INC-A', 'team-east', '2026-11-23T08:01:00.000Z');
    const states = ['accepted', 'en_route', 'on_scene', 'resolved', 'closed', 'cancelled'] as const;
    const kept = states.filter((state) => myDispatches([{ ...base, state }], 'team-east').length === 1);
    expect(kept).toEqual(['accepted', 'en_route', 'on_scene']);
  });

  it('gives a user without a team nothing', () => {
    const a = dispatched('INC-A', 'team-east', '2026-11-23T08:01:00.000Z');
    expect(myDispatches([a], null)).toEqual([]);
    expect(myDispatches([a], undefined)).toEqual([]);
  });
});

describe('newDispatches', () => {
  it('finds nothing before the first snapshot', () => {
    const mine = myDispatches([dispatched('INC-A', 'team-east', '2026-11-23T08:01:00.000Z')], 'team-east');
    expect(newDispatches(mine, new Set(), false)).toEqual([]);
    expect(newDispatches(mine, new Set(), true)).toHaveLength(1);
  });

  it('rings after a reconnect for a dispatch made while the phone was offline, and only for that one', () => {
    // Online: the first snapshot has one dispatch, which rings and is remembered.
    let model: ViewModel = applyFeedMessage(emptyView(), snapshot([dispatched('INC-A', 'team-east', '2026-11-23T08:01:00.000Z')]));
    let seen: string[] = [];
    const ringFor = (m: ViewModel): string[] => {
      const fresh = newDispatches(myDispatches(m.incidents.values(), 'team-east'), new Set(seen), m.ready);
      seen = rememberSeen(seen, fresh.map((d) => d.key), 200);
      return fresh.map((d) => d.incident.id);
    };
    expect(ringFor(model)).toEqual(['INC-A']);
    expect(ringFor(model)).toEqual([]);

    // Offline: no messages arrive. Meanwhile INC-B is dispatched to us and INC-C to the west team.
    // Reconnect: the snapshot carries every open incident.
    model = applyFeedMessage(
      model,
      snapshot([
        dispatched('INC-A', 'team-east', '2026-11-23T08:01:00.000Z', { state: 'accepted' }),
        dispatched('INC-B', 'team-east', '2026-11-23T08:10:00.000Z'),
        dispatched('INC-C', 'team-west', '2026-11-23T08:11:00.000Z'),
      ]),
    );
    expect(ringFor(model)).toEqual(['INC-B']);
    // A second reconnect with the same incidents rings for nothing.
    model = applyFeedMessage(model, snapshot([...model.incidents.values()]));
    expect(ringFor(model)).toEqual([]);
  });

  it('rings again when the same incident is dispatched to us a second time', () => {
    const first = dispatched('INC-A', 'team-east', '2026-11-23T08:01:00.000Z');
    const seen = new Set(myDispatches([first], 'team-east').map((d) => d.key));
    const again: Incident = {
      ...first,
      steps: [...first.steps, step('dispatch', '2026-11-23T08:02:00.000Z', { team: 'team-west' }), step('dispatch', '2026-11-23T08:04:00.000Z', { team: 'team-east' })],
    };
    expect(newDispatches(myDispatches([again], 'team-east'), seen, true).map((d) => d.step.at)).toEqual(['2026-11-23T08:04:00.000Z']);
  });

  it('survives a reload: keys remembered on the device are not new', () => {
    const mine = myDispatches([dispatched('INC-A', 'team-east', '2026-11-23T08:01:00.000Z')], 'team-east');
    const stored = rememberSeen([], mine.map((d) => d.key), 200);
    expect(newDispatches(mine, new Set(stored), true)).toEqual([]);
  });
});

describe('rememberSeen', () => {
  it('adds new keys once and keeps only the newest cap', () => {
    expect(rememberSeen(['a', 'b'], ['b', 'c', 'c'], 10)).toEqual(['a', 'b', 'c']);
    expect(rememberSeen(['a', 'b', 'c'], ['d', 'e'], 3)).toEqual(['c', 'd', 'e']);
  });
});

describe('next step and times', () => {
  it('offers one button per state of the patrol part of the loop', () => {
    expect(nextAction('dispatched')).toBe('accept');
    expect(nextAction('accepted')).toBe('en-route');
    expect(nextAction('en_route')).toBe('on-scene');
    expect(nextAction('on_scene')).toBe('resolve');
    expect(nextAction('resolved')).toBeNull();
    expect(nextAction('acknowledged')).toBeNull();
  });

  it('takes the step times after the latest dispatch', () => {
    const inc = dispatched('INC-A', 'team-east', '2026-11-23T08:01:00.000Z', { state: 'on_scene' });
    inc.steps.push(step('accept', '2026-11-23T08:02:00.000Z'), step('en-route', '2026-11-23T08:03:00.000Z'), step('on-scene', '2026-11-23T08:06:00.000Z'));
    expect(stepTimes(inc)).toEqual({
      opened: OPENED,
      dispatched: '2026-11-23T08:01:00.000Z',
      accepted: '2026-11-23T08:02:00.000Z',
      enRoute: '2026-11-23T08:03:00.000Z',
      onScene: '2026-11-23T08:06:00.000Z',
    });
    const fresh = dispatched('INC-B', 'team-east', '2026-11-23T08:01:00.000Z');
    expect(stepTimes(fresh).accepted).toBeNull();
  });

  it('requires a note to resolve', () => {
    expect(cleanNote('   ')).toBeNull();
    expect(cleanNote(' found nothing, box reset ')).toBe('found nothing, box reset');
    expect(cleanNote('x'.repeat(1001))).toBeNull();
  });

  it('shows an action reply until the feed catches up', () => {
    const feed = dispatched('INC-A', 'team-east', '2026-11-23T08:01:00.000Z');
    const reply: Incident = { ...feed, state: 'accepted', steps: [...feed.steps, step('accept', '2026-11-23T08:02:00.000Z')] };
    expect(laterIncident(feed, reply).state).toBe('accepted');
    expect(laterIncident(reply, feed).state).toBe('accepted');
    expect(laterIncident(feed, undefined)).toBe(feed);
  });
});

describe('parseIncident', () => {
  it('accepts every state of the closed loop and refuses malformed replies', () => {
    const inc = dispatched('INC-A', 'team-east', '2026-11-23T08:01:00.000Z');
    for (const state of ['accepted', 'en_route', 'on_scene', 'resolved'] as const) {
      expect(parseIncident({ ...inc, state })?.state).toBe(state);
    }
    expect(parseIncident({ ...inc, state: 'lost' })).toBeNull();
    expect(parseIncident({ ...inc, steps: [{ action: 'accept' }] })).toBeNull();
    expect(parseIncident(null)).toBeNull();
  });
});
