// Signing in and out. The token goes back in the body (for tools) and in an HttpOnly,
// SameSite=Strict cookie (for the dashboard, so no script ever holds it).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuthService } from '../../auth/auth-service.ts';
import { SESSION_IDLE_MS, meOf } from '../../auth/auth-service.ts';
import { parseInput } from '../validate.ts';
import { SESSION_COOKIE, sessionOf } from '../plugins/session.ts';

const LoginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

export function sessionRoutes(auth: AuthService) {
  return async (fastify: FastifyInstance): Promise<void> => {
    fastify.post('/api/session', async (req, reply) => {
      const body = parseInput(LoginBody, req.body, 'body');
      try {
        const { token, user } = await auth.login(body.username, body.password, req.ip);
        // Secure whenever the gateway serves TLS itself; plain HTTP stays usable on a site's closed LAN.
        reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: 'auto', path: '/', maxAge: SESSION_IDLE_MS / 1000 });
        req.log.info({ username: user.username }, 'signed in');
        return { token, user: meOf(user) };
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'AUTH_LOCKED') {
          const retry = (err as { details?: { retryAfterS?: number } }).details?.retryAfterS;
          if (retry) reply.header('retry-after', String(retry));
        }
        req.log.warn({ username: body.username, ip: req.ip, code }, 'sign-in refused');
        throw err;
      }
    });

    fastify.delete('/api/session', async (req, reply) => {
      const session = sessionOf(req);
      auth.logout(session.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    });

    /** Who is signed in: username, role, team (patrol) and every permission the role has. */
    fastify.get('/api/me', async (req) => meOf(sessionOf(req).user));
  };
}
