// Which incident folders of evidence to delete, decided without touching the disk. Rules, in
// order: anything older than maxAgeDays goes (never less than 30 days: Beijing's safe-campus rules
// keep alarm records ≥ 30 days and DB15/T 3968 keeps video 30-90 days); then, while the total is
// over its cap or free space under its floor, the oldest go first. A folder being written to is
// never deleted (unlinking an open file frees nothing anyway); one younger than minAgeMs only
// when free space is critically low, because losing fresh evidence beats losing the next alarm's.

export const MIN_RETENTION_DAYS = 30;
export const DEFAULT_RETENTION_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface EvidenceEntry {
  /** Top folder under the data directory: 'evidence' or 'snapshots'. */
  area: string;
  incidentId: string;
  /** Relative to the data directory. */
  dir: string;
  bytes: number;
  /** Newest file's mtime: an incident that got a clip yesterday is not old. */
  newestMs: number;
  /** Holds a .part file still being written. */
  writing: boolean;
}

export interface RetentionLimits {
  maxAgeDays: number;
  maxTotalBytes: number;
  minFreeBytes: number;
  /** Below this, even young evidence may go. */
  criticalFreeBytes: number;
  minAgeMs: number;
}

export const DEFAULT_RETENTION_LIMITS: RetentionLimits = {
  maxAgeDays: DEFAULT_RETENTION_DAYS,
  maxTotalBytes: Number.POSITIVE_INFINITY,
  minFreeBytes: 1024 ** 3,
  criticalFreeBytes: 256 * 1024 ** 2,
  minAgeMs: DAY_MS,
};

export type DeletionReason = 'age' | 'total' | 'free' | 'critical';

export interface PlannedDeletion {
  entry: EvidenceEntry;
  reason: DeletionReason;
}

export interface DeletionPlan {
  deletions: PlannedDeletion[];
  totalBytesAfter: number;
  /** Estimated: assumes deleting a folder frees its bytes. */
  freeBytesAfter: number;
  /** Limits still broken after every deletable folder is planned (for an operator warning). */
  unmet: Array<'total' | 'free'>;
}

export function planDeletions(entries: readonly EvidenceEntry[], now: number, limits: RetentionLimits, freeBytes: number): DeletionPlan {
  const maxAgeMs = Math.max(MIN_RETENTION_DAYS, limits.maxAgeDays) * DAY_MS;
  const oldestFirst = [...entries].sort((a, b) => a.newestMs - b.newestMs || a.dir.localeCompare(b.dir));
  const deletions: PlannedDeletion[] = [];
  let total = entries.reduce((sum, e) => sum + e.bytes, 0);
  let free = freeBytes;
  const remove = (entry: EvidenceEntry, reason: DeletionReason): void => {
    deletions.push({ entry, reason });
    total -= entry.bytes;
    free += entry.bytes;
  };

  const kept: EvidenceEntry[] = [];
  for (const e of oldestFirst) {
    if (!e.writing && now - e.newestMs > maxAgeMs) remove(e, 'age');
    else kept.push(e);
  }
  for (const e of kept) {
    const overTotal = total > limits.maxTotalBytes;
    const lowFree = free < limits.minFreeBytes;
    if (!overTotal && !lowFree) break;
    if (e.writing) continue;
    const young = now - e.newestMs < limits.minAgeMs;
    if (young && free >= limits.criticalFreeBytes) continue;
    remove(e, young ? 'critical' : lowFree ? 'free' : 'total');
  }

  const unmet: Array<'total' | 'free'> = [];
  if (total > limits.maxTotalBytes) unmet.push('total');
  if (free < limits.minFreeBytes) unmet.push('free');
  return { deletions, totalBytesAfter: total, freeBytesAfter: free, unmet };
}
