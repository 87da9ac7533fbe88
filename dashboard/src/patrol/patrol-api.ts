// The patrol page's calls: the four steps of the closed loop and the incident's snapshots.
import type { Attachment, Incident } from '../api-types.ts';
import { attachmentUrl, expect, request, type ApiError } from '../api.ts';
import { errorText } from '../i18n.ts';
import { parseAttachments } from '../parse.ts';
import type { PatrolAction } from './patrol-logic.ts';
import { parseIncident } from './patrol-parse.ts';

/** Runs one step; the gateway answers with the whole incident. */
export async function patrolStep(incidentId: string, action: PatrolAction, note?: string): Promise<Incident> {
  const body = action === 'resolve' ? { note: note ?? '' } : {};
  const data = await request('POST', `/api/incidents/${encodeURIComponent(incidentId)}/${action}`, body);
  return expect(data, parseIncident);
}

export async function incidentAttachments(incidentId: string): Promise<Attachment[]> {
  return expect(await request('GET', `/api/incidents/${encodeURIComponent(incidentId)}/attachments`), parseAttachments);
}

export { attachmentUrl };

/** An error in the user's language, followed by the gateway's own words when they add something. */
export function describeError(e: ApiError, own?: Partial<Record<string, string>>): string {
  const base = own?.[e.code] ?? errorText(e);
  return e.message && e.message !== base && e.status !== 0 ? `${base} — ${e.message}` : base;
}
