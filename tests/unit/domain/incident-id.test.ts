import { describe, expect, it } from 'vitest';
import { formatIncidentId, localDay } from '../../../gateway/domain/incident-id.ts';

describe('incident ids', () => {
  it('reads as INC-<local day>-<4-digit counter>', () => {
    expect(formatIncidentId('20261123', 1)).toBe('INC-20261123-0001');
    expect(formatIncidentId('20261123', 12345)).toBe('INC-20261123-12345');
  });

  it('uses the site time zone for the day, not UTC', () => {
    expect(localDay('2026-11-23T17:30:00.000Z', 'Asia/Shanghai')).toBe('20261124');
    expect(localDay('2026-11-23T17:30:00.000Z', 'UTC')).toBe('20261123');
  });
});
