import { describe, expect, it } from 'vitest';
import { planDeletions, type EvidenceEntry, type RetentionLimits } from '../../../gateway/evidence/retention-plan.ts';

const DAY = 24 * 3600 * 1000;
const NOW = Date.parse('2026-11-23T12:00:00Z');
const GB = 1024 ** 3;

function entry(incidentId: string, ageDays: number, bytes: number, writing = false, area = 'evidence'): EvidenceEntry {
  return { area, incidentId, dir: `${area}/${incidentId}`, bytes, newestMs: NOW - ageDays * DAY, writing };
}

const LIMITS: RetentionLimits = { maxAgeDays: 90, maxTotalBytes: Number.POSITIVE_INFINITY, minFreeBytes: 1 * GB, criticalFreeBytes: 0.25 * GB, minAgeMs: DAY };
const PLENTY = 100 * GB;
const ids = (p: ReturnType<typeof planDeletions>) => p.deletions.map((d) => `${d.entry.incidentId}:${d.reason}`);

describe('planDeletions', () => {
  it('deletes folders older than maxAgeDays, in both evidence and snapshots', () => {
    const plan = planDeletions([entry('i1', 91, 10), entry('i2', 89, 10), entry('i1', 120, 5, false, 'snapshots')], NOW, LIMITS, PLENTY);
    expect(ids(plan)).toEqual(['i1:age', 'i1:age']);
    expect(plan.deletions.map((d) => d.entry.area).sort()).toEqual(['evidence', 'snapshots']);
    expect(plan.totalBytesAfter).toBe(10);
    expect(plan.unmet).toEqual([]);
  });

  it('never keeps less than 30 days, whatever maxAgeDays says', () => {
    const plan = planDeletions([entry('i1', 29, 10), entry('i2', 31, 10)], NOW, { ...LIMITS, maxAgeDays: 7 }, PLENTY);
    expect(ids(plan)).toEqual(['i2:age']);
  });

  it('deletes oldest first until the total is under its cap', () => {
    const entries = [entry('new', 2, 400), entry('old', 10, 400), entry('mid', 5, 400)];
    const plan = planDeletions(entries, NOW, { ...LIMITS, maxTotalBytes: 700 }, PLENTY);
    expect(ids(plan)).toEqual(['old:total', 'mid:total']);
    expect(plan.totalBytesAfter).toBe(400);
  });

  it('deletes oldest first until free space is back over its floor', () => {
    const entries = [entry('a', 40, GB / 2), entry('b', 20, GB / 2), entry('c', 3, GB / 2)];
    const plan = planDeletions(entries, NOW, LIMITS, 0.3 * GB);
    expect(ids(plan)).toEqual(['a:free', 'b:free']);
    expect(plan.freeBytesAfter).toBeCloseTo(1.3 * GB);
  });

  it('protects clips being written and folders younger than the minimum age', () => {
    const entries = [entry('writing', 50, GB, true), entry('young', 0.5, GB), entry('old', 5, 100)];
    const plan = planDeletions(entries, NOW, { ...LIMITS, maxTotalBytes: 10 }, 0.5 * GB);
    expect(ids(plan)).toEqual(['old:free']);
    expect(plan.unmet).toEqual(['total', 'free']);
  });

  it('lets young folders go when free space is critically low, but never one being written', () => {
    const entries = [entry('writing', 0.1, GB, true), entry('young1', 0.5, 0.1 * GB), entry('young2', 0.2, 0.1 * GB)];
    const plan = planDeletions(entries, NOW, LIMITS, 0.1 * GB);
    // young1 (older) lifts free to 0.2 GB, still under the critical 0.25 GB; young2 lifts it to 0.3 GB.
    expect(ids(plan)).toEqual(['young1:critical', 'young2:critical']);
    expect(plan.unmet).toEqual(['free']);
  });

  it('stops deleting young folders once free space is above the critical level', () => {
    const entries = [entry('young1', 0.5, 0.2 * GB), entry('young2', 0.2, 0.2 * GB)];
    const plan = planDeletions(entries, NOW, LIMITS, 0.2 * GB);
    expect(ids(plan)).toEqual(['young1:critical']);
  });

  it('deletes nothing when every limit is met', () => {
    const plan = planDeletions([entry('a', 60, GB), entry('b', 1, GB)], NOW, { ...LIMITS, maxTotalBytes: 3 * GB }, PLENTY);
    expect(plan.deletions).toEqual([]);
  });
});
