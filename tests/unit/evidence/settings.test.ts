import { describe, expect, it } from 'vitest';
import { EvidenceSettings, retentionLimits } from '../../../gateway/evidence/settings.ts';

describe('evidence settings', () => {
  it('defaults to 30 s before the alarm and 90 days of keeping', () => {
    const s = EvidenceSettings.parse({});
    expect(s).toMatchObject({ preSeconds: 30, retention: { maxAgeDays: 90, minAgeHours: 24 } });
    expect(retentionLimits(s.retention)).toMatchObject({ maxAgeDays: 90, maxTotalBytes: Number.POSITIVE_INFINITY, minAgeMs: 24 * 3600 * 1000 });
  });

  it('refuses keeping video less than 30 days', () => {
    const r = EvidenceSettings.safeParse({ retention: { maxAgeDays: 7 } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['retention', 'maxAgeDays']);
  });
});
