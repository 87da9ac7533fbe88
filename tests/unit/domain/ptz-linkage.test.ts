import { describe, expect, it } from 'vitest';
import { PtzLinkage, compareClaims } from '../../../gateway/domain/ptz-linkage.ts';

const claim = (incidentId: string, priority: 'red' | 'orange' | 'yellow', openedAt: string, seq = 1) => ({ incidentId, priority, openedAt, seq });
const dome = [{ cameraId: 'dome-1', preset: 'box-a' }];

describe('PTZ linkage', () => {
  it('turns a linked dome to the box preset at once, then scans after the dwell', () => {
    const l = new PtzLinkage([{ cameraId: 'dome-1', dwellMs: 8000 }]);
    expect(l.alarmOpened(claim('INC-1', 'red', '2026-11-23T10:00:00Z'), dome)).toEqual([
      { kind: 'goto-preset', cameraId: 'dome-1', preset: 'box-a', incidentId: 'INC-1' },
      { kind: 'schedule-scan', cameraId: 'dome-1', incidentId: 'INC-1', afterMs: 8000 },
    ]);
    expect(l.dwellElapsed('dome-1', 'INC-1')).toEqual([{ kind: 'start-scan', cameraId: 'dome-1', incidentId: 'INC-1' }]);
    expect(l.view('dome-1')?.phase).toBe('scan');
  });

  it('returns home when the incident closes', () => {
    const l = new PtzLinkage([{ cameraId: 'dome-1', dwellMs: 0 }]);
    l.alarmOpened(claim('INC-1', 'red', '2026-11-23T10:00:00Z'), dome);
    expect(l.alarmClosed('INC-1')).toEqual([{ kind: 'go-home', cameraId: 'dome-1' }]);
  });

  it('a newer alarm of equal priority takes the dome; the older one is logged and resumes when the newer closes', () => {
    const l = new PtzLinkage([{ cameraId: 'dome-1', dwellMs: 0 }]);
    l.alarmOpened(claim('INC-1', 'orange', '2026-11-23T10:00:00Z'), [{ cameraId: 'dome-1', preset: 'p1' }]);
    const a = l.alarmOpened(claim('INC-2', 'orange', '2026-11-23T10:00:05Z', 2), [{ cameraId: 'dome-1', preset: 'p2' }]);
    expect(a[0]).toMatchObject({ kind: 'log', incidentId: 'INC-1' });
    expect(a[1]).toMatchObject({ kind: 'goto-preset', preset: 'p2' });
    expect(l.alarmClosed('INC-2')[0]).toMatchObject({ kind: 'goto-preset', preset: 'p1', incidentId: 'INC-1' });
  });

  it('a newer alarm of lower priority does not take the dome from a higher one', () => {
    const l = new PtzLinkage([{ cameraId: 'dome-1', dwellMs: 0 }]);
    l.alarmOpened(claim('INC-1', 'red', '2026-11-23T10:00:00Z'), [{ cameraId: 'dome-1', preset: 'p1' }]);
    const a = l.alarmOpened(claim('INC-2', 'yellow', '2026-11-23T10:00:05Z', 2), [{ cameraId: 'dome-1', preset: 'p2' }]);
    expect(a).toEqual([{ kind: 'log', cameraId: 'dome-1', incidentId: 'INC-2', message: expect.stringContaining('waits') }]);
    expect(l.view('dome-1')?.serving).toBe('INC-1');
  });

  it('does not fight an operator: no movement while held, resumes the best alarm on release', () => {
    const l = new PtzLinkage([{ cameraId: 'dome-1', dwellMs: 5000 }]);
    expect(l.takeManual('dome-1', 'op-li', 0, 60000)).toBe(true);
    const a = l.alarmOpened(claim('INC-1', 'red', '2026-11-23T10:00:00Z'), dome);
    expect(a.filter((x) => x.kind === 'goto-preset')).toEqual([]);
    expect(l.dwellElapsed('dome-1', 'INC-1')).toEqual([]);
    expect(l.expireManual(59999)).toEqual([]);
    expect(l.expireManual(60000)[0]).toMatchObject({ kind: 'goto-preset', preset: 'box-a' });
  });

  it('a stale dwell timer for an alarm that lost the dome does nothing', () => {
    const l = new PtzLinkage([{ cameraId: 'dome-1', dwellMs: 0 }]);
    l.alarmOpened(claim('INC-1', 'yellow', '2026-11-23T10:00:00Z'), dome);
    l.alarmOpened(claim('INC-2', 'red', '2026-11-23T10:00:01Z', 2), dome);
    expect(l.dwellElapsed('dome-1', 'INC-1')).toEqual([]);
  });

  it('orders claims by priority, then by time, then by journal order', () => {
    expect(compareClaims({ ...claim('a', 'red', '2026-01-01T00:00:00Z'), preset: 'x' }, { ...claim('b', 'orange', '2026-01-02T00:00:00Z'), preset: 'x' })).toBeGreaterThan(0);
    expect(compareClaims({ ...claim('a', 'red', '2026-01-01T00:00:00Z', 5), preset: 'x' }, { ...claim('b', 'red', '2026-01-01T00:00:00Z', 4), preset: 'x' })).toBeGreaterThan(0);
  });
});
