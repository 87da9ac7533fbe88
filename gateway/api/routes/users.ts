// User management, for admins only. A new user's password comes back once in the reply
// when the admin did not choose one (and once more after a reset); hashes never leave the server.
// Disabling a user, changing their role or resetting their password ends their sessions: their
// next request is refused and their open sockets close at once (the auth service's hook).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuthService } from '../../auth/auth-service.ts';
import { MIN_PASSWORD_CHARS, USERNAME_PATTERN } from '../../auth/auth-service.ts';
import { ROLES } from '../../domain/roles.ts';
import { parseInput } from '../validate.ts';
import { apiError } from '../errors.ts';
import { requirePermission } from '../plugins/session.ts';

/** Shape only; whether it is one of the site's teams the auth service checks. */
const team = z.string().min(1).max(48).nullable().optional();
const NewUser = z.strictObject({
  username: z.string().regex(USERNAME_PATTERN, '1-32 lower-case letters, digits, ".", "_" or "-"'),
  role: z.enum(ROLES),
  team,
  password: z.string().min(MIN_PASSWORD_CHARS).max(256).optional(),
});
const RoleBody = z.strictObject({ role: z.enum(ROLES), team });
const UserParams = z.strictObject({ username: z.string().regex(USERNAME_PATTERN, 'not a username') });
const Empty = z.strictObject({});

export function userRoutes(auth: AuthService) {
  return async (fastify: FastifyInstance): Promise<void> => {
    fastify.get('/api/users', async (req) => {
      requirePermission(req, 'users.manage');
      return auth.listUsers();
    });

    fastify.post('/api/users', async (req, reply) => {
      const { user: by } = requirePermission(req, 'users.manage');
      const body = parseInput(NewUser, req.body, 'body');
      const { password } = await auth.createUser(body.username, body.role, body.password, body.team);
      // The whole record, as GET /api/users lists it.
      const user = auth.getUser(body.username);
      req.log.info({ username: user.username, role: user.role, team: user.team, by: by.username }, 'user created');
      reply.status(201);
      return body.password === undefined ? { user, password } : { user };
    });

    /** An admin action on someone else's account: locking yourself out is never what was meant. */
    const onOther = (path: string, what: string, run: (username: string, req: FastifyRequest, by: string) => unknown) => {
      fastify.post(`/api/users/:username/${path}`, async (req) => {
        const { user: by } = requirePermission(req, 'users.manage');
        const { username } = parseInput(UserParams, req.params, 'params');
        if (username === by.username) throw apiError('FORBIDDEN', `you cannot ${what} your own account`);
        return run(username, req, by.username);
      });
    };

    onOther('disable', 'disable', (username, req, by) => {
      parseInput(Empty, req.body, 'body');
      auth.disableUser(username);
      req.log.warn({ username, by }, 'user disabled');
      return { ok: true, user: auth.getUser(username) };
    });

    onOther('enable', 'enable', (username, req, by) => {
      parseInput(Empty, req.body, 'body');
      auth.enableUser(username);
      req.log.info({ username, by }, 'user enabled');
      return { ok: true, user: auth.getUser(username) };
    });

    onOther('role', 'change the role of', (username, req, by) => {
      const b = parseInput(RoleBody, req.body, 'body');
      const user = auth.setRole(username, b.role, b.team);
      req.log.warn({ username, role: user.role, team: user.team, by }, 'user role changed');
      return { ok: true, user };
    });

    // Your own password you change by signing in; a reset is for someone who forgot theirs.
    onOther('reset-password', 'reset the password of', async (username, req, by) => {
      parseInput(Empty, req.body, 'body');
      const password = await auth.resetPassword(username);
      req.log.warn({ username, by }, 'user password reset');
      return { password };
    });
  };
}
