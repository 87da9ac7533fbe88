import { describe, expect, it } from 'vitest';
import type { FeedMessage, Incident, Site } from '../../../dashboard/src/api-types.ts';
import {
  alarmCameras,
  closePanel,
  initialAlarmPanel,
  observeAlarms,
  panelAlarms,
  pickAlarm,
  reopenPanel,
  shouldBeep,
  shownAlarm,
  type AlarmPanelState,
} from '../../../dashboard/src/alarm-panel.ts';
import { applyFeedMessage, emptyView, type ViewModel } from '../../../dashboard/src/state.ts';

function incident(id: string, over: Partial<Incident> = {}): Incident {
  return {
    id,
    boxId: 'box-gate',
    kind: 'panic',
    priority: 'red',
    state: 'new',
    openedAt: '2026-11-23T08:00:00.000Z',
    steps: [],
    ...over,
  };
}

const snapshot = (incidents: Incident[]): FeedMessage => ({ type: 'snapshot', incidents, devices: [], bridge: { connected: true } });
const live = (i: Incident): FeedMessage => ({ type: 'incident', incident: i });

/** Feeds messages one at a time through the view model and the panel, as the page does. */
function run(msgs: FeedMessage[], start: { view: ViewModel; panel: AlarmPanelState } = { view: emptyView(), panel: initialAlarmPanel }) {
  let { view, panel } = start;
  const fresh: string[][] = [];
  for (const m of msgs) {
    view = applyFeedMessage(view, m);
    const r = observeAlarms(panel, view);
    panel = r.state;
    if (r.fresh.length) fresh.push(r.fresh.map((i) => i.id));
  }
  return { view, panel, fresh };
}

describe('alarm panel selection', () => {
  it('does not pop up for alarms already acknowledged when the page loaded', () => {
    const r = run([snapshot([incident('OLD', { state: 'acknowledged' })])]);
    expect(r.fresh).toEqual([]);
    expect(shownAlarm(r.panel, r.view)).toBeNull();
    // Still nothing when that old alarm changes state later.
    const r2 = run([live(incident('OLD', { state: 'dispatched' }))], r);
    expect(r2.fresh).toEqual([]);
  });

  it('pops up (and sounds) at load for an alarm nobody has acknowledged yet, oldest first', () => {
    const r = run([
      snapshot([
        incident('LATE', { openedAt: '2026-11-23T08:02:00Z' }),
        incident('EARLY', { openedAt: '2026-11-23T08:01:00Z' }),
        incident('TAKEN', { state: 'acknowledged' }),
        incident('FAULT', { kind: 'fault', priority: 'yellow' }),
      ]),
    ]);
    expect(r.fresh).toEqual([['EARLY', 'LATE']]);
    expect(shownAlarm(r.panel, r.view)?.id).toBe('LATE');
    // Once acknowledged it is not raised again.
    const r2 = run([live(incident('EARLY', { state: 'acknowledged' }))], r);
    expect(r2.fresh).toEqual([]);
  });

  it('pops up at once for a new panic or tamper alarm, not for a fault', () => {
    const r = run([snapshot([]), live(incident('F', { kind: 'fault', priority: 'yellow' })), live(incident('T', { kind: 'tamper', priority: 'orange' }))]);
    expect(r.fresh).toEqual([['T']]);
    expect(shownAlarm(r.panel, r.view)?.id).toBe('T');
  });

  it('counts an alarm first seen in a snapshot after a reconnect as new', () => {
    const old = incident('OLD', { state: 'acknowledged' });
    const r = run([snapshot([old]), snapshot([old, incident('MISSED')])]);
    expect(r.fresh).toEqual([['MISSED']]);
  });

  it('shows the most urgent priority first, and the newest within it', () => {
    const r = run([
      snapshot([]),
      live(incident('R-early', { openedAt: '2026-11-23T08:00:00Z' })),
      live(incident('Y', { priority: 'yellow', openedAt: '2026-11-23T08:05:00Z' })),
      live(incident('R-late', { openedAt: '2026-11-23T08:01:00Z' })),
      live(incident('O', { priority: 'orange', openedAt: '2026-11-23T08:06:00Z' })),
    ]);
    expect(panelAlarms(r.panel, r.view).map((i) => i.id)).toEqual(['R-late', 'R-early', 'O', 'Y']);
    expect(shownAlarm(r.panel, r.view)?.id).toBe('R-late');
  });

  it('keeps the operator’s pick until a new alarm arrives', () => {
    const r = run([snapshot([]), live(incident('A', { openedAt: '2026-11-23T08:00:00Z' })), live(incident('B', { priority: 'orange', openedAt: '2026-11-23T08:01:00Z' }))]);
    let panel = pickAlarm(r.panel, 'B');
    expect(shownAlarm(panel, r.view)?.id).toBe('B');
    const r2 = run([live(incident('C', { priority: 'yellow', openedAt: '2026-11-23T08:02:00Z' }))], { view: r.view, panel });
    panel = r2.panel;
    expect(shownAlarm(panel, r2.view)?.id).toBe('A');
  });

  it('closing hides the panel without touching the incident; a new alarm opens it again', () => {
    const r = run([snapshot([]), live(incident('A'))]);
    const closed = closePanel(r.panel);
    expect(shownAlarm(closed, r.view)).toBeNull();
    expect(r.view.incidents.get('A')?.state).toBe('new');
    expect(panelAlarms(closed, r.view)).toHaveLength(1);
    expect(shownAlarm(reopenPanel(closed), r.view)?.id).toBe('A');
    const r2 = run([live(incident('B', { openedAt: '2026-11-23T09:00:00Z' }))], { view: r.view, panel: closed });
    expect(shownAlarm(r2.panel, r2.view)?.id).toBe('B');
  });

  it('drops an alarm once it is resolved, and falls back to the next one', () => {
    const r = run([snapshot([]), live(incident('A', { openedAt: '2026-11-23T08:00:00Z' })), live(incident('B', { openedAt: '2026-11-23T08:01:00Z' }))]);
    expect(shownAlarm(r.panel, r.view)?.id).toBe('B');
    const r2 = run([live(incident('B', { state: 'resolved' }))], r);
    expect(shownAlarm(r2.panel, r2.view)?.id).toBe('A');
    const r3 = run([live(incident('A', { state: 'cancelled' }))], r2);
    expect(shownAlarm(r3.panel, r3.view)).toBeNull();
    // An acknowledged alarm is still open and stays in the panel.
    const r4 = run([live(incident('C', { state: 'acknowledged' }))], r3);
    expect(shownAlarm(r4.panel, r4.view)?.id).toBe('C');
  });

  it('beeps for a new red alarm only', () => {
    expect(shouldBeep([incident('A', { priority: 'orange' })])).toBe(false);
    expect(shouldBeep([incident('A', { priority: 'orange' }), incident('B')])).toBe(true);
    expect(shouldBeep([])).toBe(false);
  });

  it('picks the box’s own fixed camera and its linked PTZ dome from the site', () => {
    const site = {
      site: { id: 's', name: { zh: '', en: '' }, plan: { width: 1, height: 1 } },
      buildings: [],
      boxes: [
        {
          id: 'box-gate',
          name: { zh: '南门', en: 'South gate' },
          location: { building: 'b', floor: 1, point: { x: 0, y: 0 }, text: { zh: '', en: '' } },
          priority: 'red',
          silent: false,
          transport: 'serial',
          cameras: [{ camera: 'dome-1', preset: 'gate' }, { camera: 'missing' }, { camera: 'cam-gate' }, { camera: 'cam-other' }],
        },
      ],
      cameras: [
        { id: 'cam-gate', name: { zh: '南门', en: 'Gate' }, kind: 'fixed' },
        { id: 'cam-other', name: { zh: '其他', en: 'Other' }, kind: 'fixed' },
        { id: 'dome-1', name: { zh: '球机', en: 'Dome' }, kind: 'ptz' },
      ],
      patrolTeams: [],
      response: { acknowledgeS: 60, arriveS: 300 },
    } satisfies Site;
    const c = alarmCameras(site, 'box-gate');
    expect(c.own?.id).toBe('cam-gate');
    expect(c.dome?.id).toBe('dome-1');
    expect(alarmCameras(site, 'nope')).toEqual({ box: null, own: null, dome: null });
  });
});
