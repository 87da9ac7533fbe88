// Human-friendly incident ids ('INC-20261123-0001'): a patrol can read one out over the radio.
// The day is the site's local day, so the counter restarts at local midnight, not UTC's.

/** 'YYYYMMDD' of an instant in a time zone. Intl is pure computation, not I/O. */
export function localDay(atIso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(atIso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}${get('month')}${get('day')}`;
}

export function formatIncidentId(day: string, counter: number): string {
  return `INC-${day}-${String(counter).padStart(4, '0')}`;
}
