// The evidence settings with their limits, ready to sit in the site config's schema (config/ is
// owned elsewhere; until it is merged there, callers parse with this).
import { z } from 'zod';
import { DEFAULT_MAX_BUFFER_BYTES, DEFAULT_PRE_SECONDS } from './pre-alarm-buffer.ts';
import { DEFAULT_POST_SECONDS } from './clip-recorder.ts';
import { DEFAULT_RETENTION_DAYS, DEFAULT_RETENTION_LIMITS, MIN_RETENTION_DAYS, type RetentionLimits } from './retention-plan.ts';
import { DEFAULT_SWEEP_INTERVAL_MS } from './retention.ts';

const bytes = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const EvidenceSettings = z.strictObject({
  /** DB15/T 3968: the 30 s before the alarm. */
  preSeconds: z.number().int().min(0).max(120).default(DEFAULT_PRE_SECONDS),
  postSeconds: z.number().int().min(1).max(600).default(DEFAULT_POST_SECONDS),
  bufferMaxBytes: bytes.min(1024 * 1024).default(DEFAULT_MAX_BUFFER_BYTES),
  retention: z
    .strictObject({
      /** DB15/T 3968 keeps video 30-90 days; Beijing keeps alarm logs ≥ 30 days. */
      maxAgeDays: z.number().int().min(MIN_RETENTION_DAYS).max(3650).default(DEFAULT_RETENTION_DAYS),
      /** 0: no cap on the total (free space still bounds it). */
      maxTotalBytes: bytes.default(0),
      minFreeBytes: bytes.default(DEFAULT_RETENTION_LIMITS.minFreeBytes),
      criticalFreeBytes: bytes.default(DEFAULT_RETENTION_LIMITS.criticalFreeBytes),
      minAgeHours: z.number().min(0).max(24 * 30).default(24),
      sweepIntervalMinutes: z.number().int().min(1).max(24 * 60).default(DEFAULT_SWEEP_INTERVAL_MS / 60000),
    })
    .default({
      maxAgeDays: DEFAULT_RETENTION_DAYS,
      maxTotalBytes: 0,
      minFreeBytes: DEFAULT_RETENTION_LIMITS.minFreeBytes,
      criticalFreeBytes: DEFAULT_RETENTION_LIMITS.criticalFreeBytes,
      minAgeHours: 24,
      sweepIntervalMinutes: DEFAULT_SWEEP_INTERVAL_MS / 60000,
    }),
});
export type EvidenceSettings = z.infer<typeof EvidenceSettings>;

export function retentionLimits(s: EvidenceSettings['retention']): RetentionLimits {
  return {
    maxAgeDays: s.maxAgeDays,
    maxTotalBytes: s.maxTotalBytes === 0 ? Number.POSITIVE_INFINITY : s.maxTotalBytes,
    minFreeBytes: s.minFreeBytes,
    criticalFreeBytes: s.criticalFreeBytes,
    minAgeMs: s.minAgeHours * 3600 * 1000,
  };
}
