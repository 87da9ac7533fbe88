// The sweeper against real folders in a temp data directory: ages set with utimes, free space
// from the real filesystem (statfs) or a stand-in where the test needs it low.
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diskFreeBytes, EvidenceRetention, sweepEvidence, type SweepReport } from '../../../gateway/evidence/retention.ts';

const DAY = 24 * 3600 * 1000;
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'evidence-retention-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** An incident folder with one file of `bytes`, last written `ageDays` ago. */
async function folder(area: string, incidentId: string, ageDays: number, bytes: number, name = 'cam-1.mp4'): Promise<void> {
  const dir = join(dataDir, area, incidentId);
  await mkdir(dir, { recursive: true });
  const file = join(dir, name);
  await writeFile(file, Buffer.alloc(bytes));
  const t = new Date(Date.now() - ageDays * DAY);
  await utimes(file, t, t);
  await utimes(dir, t, t);
}

const remaining = async (area: string) => (await readdir(join(dataDir, area)).catch(() => [])).sort();
const plenty = async () => 1e15;

describe('evidence retention sweep', () => {
  it('deletes incident folders older than maxAgeDays by mtime, in evidence and snapshots', async () => {
    await folder('evidence', 'INC-old', 95, 100);
    await folder('evidence', 'INC-keep', 60, 100);
    await folder('snapshots', 'INC-old', 95, 10, 'cam-1.jpg');
    await folder('snapshots', 'INC-new', 1, 10, 'cam-1.jpg');
    const report = await sweepEvidence({ dataDir, limits: { maxAgeDays: 90 }, freeBytes: plenty });
    expect(report.deleted.map((d) => `${d.dir}:${d.reason}`).sort()).toEqual(['evidence/INC-old:age', 'snapshots/INC-old:age']);
    expect(report.freedBytes).toBe(110);
    expect(await remaining('evidence')).toEqual(['INC-keep']);
    expect(await remaining('snapshots')).toEqual(['INC-new']);
  });

  it('keeps 30 days even when configured for less', async () => {
    await folder('evidence', 'INC-20d', 20, 100);
    await folder('evidence', 'INC-40d', 40, 100);
    await sweepEvidence({ dataDir, limits: { maxAgeDays: 1 }, freeBytes: plenty });
    expect(await remaining('evidence')).toEqual(['INC-20d']);
  });

  it('deletes oldest first while the total is over its cap, sparing the young and the in-progress', async () => {
    await folder('evidence', 'INC-a', 10, 1000);
    await folder('evidence', 'INC-b', 5, 1000);
    await folder('evidence', 'INC-c', 3, 1000);
    await folder('evidence', 'INC-writing', 4, 1000, 'cam-1-1.mp4'); // old clip, plus one being written:
    await writeFile(join(dataDir, 'evidence', 'INC-writing', 'cam-2-2.mp4.part'), Buffer.alloc(10));
    await folder('evidence', 'INC-young', 0.1, 1000);
    const report = await sweepEvidence({ dataDir, limits: { maxTotalBytes: 1500 }, freeBytes: plenty });
    expect(report.deleted.map((d) => `${d.incidentId}:${d.reason}`)).toEqual(['INC-a:total', 'INC-b:total', 'INC-c:total']);
    expect(report.unmet).toEqual(['total']);
    expect(await remaining('evidence')).toEqual(['INC-writing', 'INC-young']);
  });

  it('a stale .part (crash leftover) does not protect its folder', async () => {
    await folder('evidence', 'INC-crashed', 100, 100, 'cam-1-1.mp4.part');
    await sweepEvidence({ dataDir, freeBytes: plenty });
    expect(await remaining('evidence')).toEqual([]);
  });

  it('frees space oldest first when the disk runs low; young folders go only when critically low', async () => {
    for (const [id, age] of [['INC-1', 9], ['INC-2', 8], ['INC-3', 0.2]] as const) await folder('evidence', id, age, 1000);
    const low = await sweepEvidence({ dataDir, limits: { minFreeBytes: 2500, criticalFreeBytes: 100 }, freeBytes: async () => 1000 });
    expect(low.deleted.map((d) => `${d.incidentId}:${d.reason}`)).toEqual(['INC-1:free', 'INC-2:free']);
    expect(await remaining('evidence')).toEqual(['INC-3']);
    const critical = await sweepEvidence({ dataDir, limits: { minFreeBytes: 2500, criticalFreeBytes: 500 }, freeBytes: async () => 50 });
    expect(critical.deleted.map((d) => `${d.incidentId}:${d.reason}`)).toEqual(['INC-3:critical']);
  });

  it('reads free space from the real filesystem and does nothing to a tree within limits', async () => {
    expect(await diskFreeBytes(dataDir)).toBeGreaterThan(0);
    await folder('evidence', 'INC-1', 1, 100);
    const report = await sweepEvidence({ dataDir, limits: { minFreeBytes: 0, criticalFreeBytes: 0 } });
    expect(report.deleted).toEqual([]);
    expect(report.totalBytesBefore).toBe(100);
  });

  it('runs on start, reports deletions for the journal, and stops cleanly', async () => {
    await folder('evidence', 'INC-old', 120, 100);
    const reports: SweepReport[] = [];
    const retention = new EvidenceRetention({ dataDir, logger: pino({ level: 'silent' }), freeBytes: plenty, onSweep: (r) => reports.push(r) });
    retention.start();
    await retention.sweepNow();
    await retention.stop();
    expect(reports).toHaveLength(1);
    expect(reports[0]!.deleted[0]).toMatchObject({ incidentId: 'INC-old', reason: 'age', bytes: 100 });
  });
});
