// The gateway's HTTP API, as promises. Every failure, whether the gateway refused, the
// network dropped, or the reply was malformed, rejects with an ApiError carrying {code, message}.
import type { Attachment, CancelReason, Incident, Site, User } from './api-types.ts';
import { isApiErrorBody, isIncident, isUser, parseAttachments, parseSite } from './parse.ts';

export class ApiError extends Error {
  readonly code: string;
  /** HTTP status, or 0 when no reply came back. */
  readonly status: number;

  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError('NETWORK', err instanceof Error ? err.message : String(err), 0);
}

/** One call to the gateway's HTTP API; views with API needs of their own build on this. */
export async function request(method: string, path: string, body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch (err) {
    throw toApiError(err);
  }
  const text = await res.text().catch(() => '');
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    if (isApiErrorBody(data)) throw new ApiError(data.code, data.message, res.status);
    const code = res.status === 401 ? 'UNAUTHORIZED' : `HTTP_${res.status}`;
    throw new ApiError(code, res.statusText || code, res.status);
  }
  return data;
}

/** Checks a reply's shape; a reply that does not fit rejects with BAD_RESPONSE. */
export function expect<T>(data: unknown, check: (v: unknown) => T | null): T {
  const value = check(data);
  if (value === null) throw new ApiError('BAD_RESPONSE', 'unexpected reply from the gateway', 200);
  return value;
}

/**
 * Signs in. The session lives in an HttpOnly cookie the gateway sets; the token in the reply
 * is deliberately not kept, so nothing a script could steal sits in storage.
 */
export async function login(username: string, password: string): Promise<User> {
  const data = await request('POST', '/api/session', { username, password });
  const user = typeof data === 'object' && data !== null && 'user' in data ? data.user : undefined;
  return expect(user, (v) => (isUser(v) ? v : null));
}

export async function logout(): Promise<void> {
  await request('DELETE', '/api/session');
}

/** The signed-in user, or null when there is no valid session. */
export async function me(): Promise<User | null> {
  try {
    return expect(await request('GET', '/api/me'), (v) => (isUser(v) ? v : null));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export async function site(): Promise<Site> {
  return expect(await request('GET', '/api/site'), parseSite);
}

export async function acknowledgeIncident(incidentId: string): Promise<void> {
  await request('POST', `/api/incidents/${encodeURIComponent(incidentId)}/acknowledge`, {});
}

/** The body each incident action takes (contract #5); every action returns the whole incident. */
export type IncidentActionBody =
  | { action: 'acknowledge' | 'accept' | 'en-route' | 'on-scene' }
  | { action: 'dispatch'; team: string }
  | { action: 'resolve' | 'close'; note: string }
  | { action: 'cancel'; reason: CancelReason; note: string };

/** Resolves with the incident the gateway returns (null if the reply is not one: the feed brings it anyway). */
export async function incidentAction(incidentId: string, body: IncidentActionBody): Promise<Incident | null> {
  const { action, ...rest } = body;
  const data = await request('POST', `/api/incidents/${encodeURIComponent(incidentId)}/${action}`, rest);
  return isIncident(data) ? data : null;
}

export async function resetBox(boxId: string): Promise<void> {
  await request('POST', `/api/boxes/${encodeURIComponent(boxId)}/reset`, {});
}

export async function attachments(incidentId: string): Promise<Attachment[]> {
  return expect(await request('GET', `/api/incidents/${encodeURIComponent(incidentId)}/attachments`), parseAttachments);
}

/** Where the JPEG of an attachment is; an <img> loads it with the session cookie. */
export function attachmentUrl(a: Pick<Attachment, 'id' | 'incidentId'>): string {
  return `/api/incidents/${encodeURIComponent(a.incidentId)}/attachments/${encodeURIComponent(String(a.id))}`;
}
