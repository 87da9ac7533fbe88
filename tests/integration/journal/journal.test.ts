import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../../../gateway/journal/journal.ts';
import { deviceEvent, site } from '../../unit/domain/fixtures.ts';

let dir: string;
const opened: Journal[] = [];
const open = () => {
  const j = new Journal({ file: join(dir, 'gateway.db'), site });
  opened.push(j);
  return j;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'journal-'));
});
afterEach(() => {
  for (const j of opened.splice(0)) j.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('journal', () => {
  it('is durable by configuration: WAL with synchronous=FULL', () => {
    const j = open();
    expect(j.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(j.db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('ingest is idempotent: the same (bridge, seq) again is a duplicate and changes nothing', () => {
    const j = open();
    const e = deviceEvent('button-pressed', 'box-gate');
    const first = j.ingest('bridge-1', e);
    expect(first.duplicate).toBe(false);
    expect(j.ingest('bridge-1', e)).toEqual({ duplicate: true });
    expect(j.listIncidents({ open: true })).toHaveLength(1);
    expect(j.listIncidents({ open: true })[0]!.steps).toHaveLength(1);
    expect(j.listRecentDeviceEvents(10)).toHaveLength(1);
    // The same seq from another bridge is another event.
    expect(j.ingest('bridge-2', e).duplicate).toBe(false);
  });

  it('tracks the last seq per bridge', () => {
    const j = open();
    expect(j.lastSeq('bridge-1')).toBe(0);
    j.ingest('bridge-1', { ...deviceEvent('online', 'box-gate'), seq: 41 });
    j.ingest('bridge-1', { ...deviceEvent('online', 'box-gate'), seq: 42 });
    expect(j.lastSeq('bridge-1')).toBe(42);
    expect(j.lastSeq('bridge-2')).toBe(0);
  });

  it('numbers incidents INC-<local day>-NNNN and returns what changed', () => {
    const j = open();
    const r = j.ingest('b', deviceEvent('button-pressed', 'box-gate', '2026-11-23T02:00:00.000Z'));
    const r2 = j.ingest('b', deviceEvent('button-pressed', 'box-dorm', '2026-11-23T02:00:01.000Z'));
    const r3 = j.ingest('b', deviceEvent('button-pressed', 'box-gate', '2026-11-23T02:00:02.000Z'));
    if (r.duplicate || r2.duplicate || r3.duplicate) throw new Error('unexpected duplicate');
    expect(r.incidents.map((i) => i.id)).toEqual(['INC-20261123-0001']);
    expect(r2.incidents.map((i) => i.id)).toEqual(['INC-20261123-0002']);
    expect(r3.incidents[0]).toMatchObject({ id: 'INC-20261123-0001', steps: [{ action: 'opened' }, { action: 're-triggered' }] });
  });

  it('applies transitions in a transaction and refuses illegal ones without a trace', () => {
    const j = open();
    j.ingest('b', deviceEvent('button-pressed', 'box-gate'));
    const id = j.loadOpenIncidents()[0]!.id;
    expect(() => j.applyTransition(id, { action: 'close', note: 'x' }, 'op')).toThrow(expect.objectContaining({ code: 'INCIDENT_BAD_TRANSITION' }));
    expect(() => j.applyTransition('INC-20990101-0001', { action: 'acknowledge' }, 'op')).toThrow(expect.objectContaining({ code: 'INCIDENT_NOT_FOUND' }));
    const inc = j.applyTransition(id, { action: 'acknowledge' }, 'op');
    expect(inc.state).toBe('acknowledged');
    expect(j.getIncident(id)).toEqual(inc);
  });

  it('keeps open incidents, in order, across close and reopen', () => {
    const j = open();
    j.ingest('b', deviceEvent('button-pressed', 'box-playground', '2026-11-23T02:00:02.000Z'));
    j.ingest('b', deviceEvent('button-pressed', 'box-gate', '2026-11-23T02:00:01.000Z'));
    j.ingest('b', deviceEvent('tamper-open', 'box-dorm', '2026-11-23T02:00:03.000Z'));
    const id = j.loadOpenIncidents().find((i) => i.boxId === 'box-dorm')!.id;
    j.applyTransition(id, { action: 'cancel', reason: 'test', note: 'installer test' }, 'op');
    const before = j.loadOpenIncidents();
    j.close();
    const again = open();
    expect(again.loadOpenIncidents()).toEqual(before);
    expect(before.map((i) => i.boxId)).toEqual(['box-gate', 'box-playground']);
    expect(again.listIncidents({ open: false }).map((i) => i.state)).toEqual(['cancelled']);
    // The counter continues: no id is ever reused.
    const r = again.ingest('b', deviceEvent('button-pressed', 'box-dorm', '2026-11-23T02:00:04.000Z'));
    expect(r.duplicate === false && r.incidents[0]!.id).toBe('INC-20261123-0004');
  });
});
