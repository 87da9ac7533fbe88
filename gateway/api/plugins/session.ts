// Authentication for the API: the `session` cookie (browsers) or `Authorization: Bearer`
// (tools, tests). Every /api route needs a valid session except signing in; the dashboard's
// static files are public. State-changing requests from a foreign Origin are refused.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import type { AuthService, AuthedSession } from '../../auth/auth-service.ts';
import { can, type Permission } from '../../domain/roles.ts';
import { apiError } from '../errors.ts';
import { originAllowed } from '../origin.ts';

export const SESSION_COOKIE = 'session';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthedSession | null;
  }
}

export function tokenFromRequest(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice(7).trim() || null;
  const cookie = req.cookies[SESSION_COOKIE];
  return cookie && cookie.length > 0 ? cookie : null;
}

const underApi = (path: string | undefined): boolean => path !== undefined && (path === '/api' || path.startsWith('/api/'));

/** Decided on the matched route as well as the raw URL: the router decodes %-escapes, so a
 * raw-URL check alone would let '/%61pi/site' reach an /api route unauthenticated. */
const isPublic = (req: FastifyRequest): boolean => {
  const route = req.routeOptions.url;
  if (!underApi(route) && !underApi(req.url.split('?')[0])) return true;
  return route === '/api/session' && req.method === 'POST';
};

export function registerSessionHook(fastify: FastifyInstance, auth: AuthService, allowedOrigins: readonly string[]): void {
  fastify.decorateRequest('auth', null);
  fastify.addHook('onRequest', async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && !originAllowed(req, allowedOrigins)) throw apiError('ORIGIN_REFUSED');
    if (isPublic(req)) return;
    const token = tokenFromRequest(req);
    req.auth = token ? auth.authenticate(token) : null;
    if (!req.auth) throw apiError('UNAUTHORIZED');
  });
}

/** The signed-in session; the hook guarantees it on every non-public route. */
export function sessionOf(req: FastifyRequest): AuthedSession {
  if (!req.auth) throw apiError('UNAUTHORIZED');
  return req.auth;
}

/** Server-side role check: the one control that counts. */
export function requirePermission(req: FastifyRequest, permission: Permission): AuthedSession {
  const session = sessionOf(req);
  if (!can(session.user.role, permission)) throw apiError('FORBIDDEN', `role "${session.user.role}" may not do this`);
  return session;
}
