// The sweeper: scans <dataDir>/evidence and <dataDir>/snapshots per incident folder, asks
// planDeletions what to remove, removes it and reports what went (for a log line and a journal
// event, so an attachment whose file has expired is explained). All decisions are in
// retention-plan.ts; this file only does the I/O and the timer.
import { readdir, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../common/logger.ts';
import { PART_SUFFIX } from './part-file.ts';
import { DEFAULT_RETENTION_LIMITS, planDeletions, type DeletionReason, type EvidenceEntry, type RetentionLimits } from './retention-plan.ts';

export const EVIDENCE_AREAS = ['evidence', 'snapshots'] as const;
/** A .part untouched this long is a crash leftover, not a clip being written (a recorder writes
 * every frame). It no longer protects its folder. */
export const PART_STALE_MS = 10 * 60 * 1000;
export const DEFAULT_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

export type FreeBytes = (path: string) => Promise<number>;

export const diskFreeBytes: FreeBytes = async (path) => {
  const s = await statfs(path);
  return s.bavail * s.bsize;
};

export interface SweepReport {
  at: string;
  deleted: Array<{ dir: string; area: string; incidentId: string; bytes: number; reason: DeletionReason }>;
  freedBytes: number;
  freeBytesBefore: number;
  totalBytesBefore: number;
  unmet: Array<'total' | 'free'>;
}

async function listDirs(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

async function describe(dataDir: string, area: string, incidentId: string, now: number): Promise<EvidenceEntry> {
  const dir = join(area, incidentId);
  const abs = join(dataDir, dir);
  let bytes = 0;
  let newestMs = (await stat(abs)).mtimeMs;
  let writing = false;
  for (const d of await readdir(abs, { withFileTypes: true })) {
    if (!d.isFile()) continue;
    const s = await stat(join(abs, d.name)).catch(() => null); // removed meanwhile
    if (!s) continue;
    bytes += s.size;
    newestMs = Math.max(newestMs, s.mtimeMs);
    if (d.name.endsWith(PART_SUFFIX) && now - s.mtimeMs < PART_STALE_MS) writing = true;
  }
  return { area, incidentId, dir, bytes, newestMs, writing };
}

export async function scanEvidence(dataDir: string, now: number): Promise<EvidenceEntry[]> {
  const entries: EvidenceEntry[] = [];
  for (const area of EVIDENCE_AREAS) {
    for (const incidentId of await listDirs(join(dataDir, area))) entries.push(await describe(dataDir, area, incidentId, now));
  }
  return entries;
}

export interface SweepOptions {
  dataDir: string;
  limits?: Partial<RetentionLimits>;
  now?: number;
  freeBytes?: FreeBytes;
}

export async function sweepEvidence(opts: SweepOptions): Promise<SweepReport> {
  const now = opts.now ?? Date.now();
  const limits = { ...DEFAULT_RETENTION_LIMITS, ...opts.limits };
  const freeBytes = opts.freeBytes ?? diskFreeBytes;
  const entries = await scanEvidence(opts.dataDir, now);
  const freeBefore = await freeBytes(opts.dataDir);
  const plan = planDeletions(entries, now, limits, freeBefore);
  const report: SweepReport = {
    at: new Date(now).toISOString(),
    deleted: [],
    freedBytes: 0,
    freeBytesBefore: freeBefore,
    totalBytesBefore: entries.reduce((s, e) => s + e.bytes, 0),
    unmet: plan.unmet,
  };
  for (const { entry, reason } of plan.deletions) {
    // A recording may have started in this folder since the scan (an old incident re-alarmed).
    const fresh = await describe(opts.dataDir, entry.area, entry.incidentId, now).catch(() => null);
    if (!fresh || fresh.writing) continue;
    await rm(join(opts.dataDir, entry.dir), { recursive: true, force: true });
    report.deleted.push({ dir: entry.dir, area: entry.area, incidentId: entry.incidentId, bytes: fresh.bytes, reason });
    report.freedBytes += fresh.bytes;
  }
  return report;
}

export interface RetentionOptions extends Omit<SweepOptions, 'now'> {
  logger: Logger;
  intervalMs?: number;
  /** Called after every sweep that deleted something (e.g. to write a journal event). */
  onSweep?: (report: SweepReport) => void;
}

/** Runs sweepEvidence at start and then every intervalMs; never two at once; stop() waits. */
export class EvidenceRetention {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly opts: RetentionOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweepNow(), this.opts.intervalMs ?? DEFAULT_SWEEP_INTERVAL_MS);
    this.timer.unref();
    void this.sweepNow();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One sweep now (or the one already under way). Failures are logged, never thrown: retention
   * must not take the gateway down. */
  sweepNow(): Promise<void> {
    this.running ??= this.sweep().finally(() => (this.running = null));
    return this.running;
  }

  private async sweep(): Promise<void> {
    const { logger } = this.opts;
    try {
      const report = await sweepEvidence(this.opts);
      if (report.deleted.length > 0) {
        logger.info({ deleted: report.deleted.length, freedBytes: report.freedBytes, incidents: report.deleted.map((d) => d.incidentId) }, 'evidence retention deleted old folders');
        this.opts.onSweep?.(report);
      }
      if (report.unmet.length > 0) logger.warn({ unmet: report.unmet, freeBytes: report.freeBytesBefore }, 'evidence retention cannot meet its limits');
    } catch (err) {
      logger.error({ err }, 'evidence retention sweep failed');
    }
  }
}
