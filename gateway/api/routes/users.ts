// User management, for admins only. A new user's password comes back once in the reply
// when the admin did not choose one; hashes never leave the server.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuthService } from '../../auth/auth-service.ts';
import { MIN_PASSWORD_CHARS, USERNAME_PATTERN } from '../../auth/auth-service.ts';
import { ROLES } from '../../domain/roles.ts';
import { parseInput } from '../validate.ts';
import { apiError } from '../errors.ts';
import { requirePermission } from '../plugins/session.ts';

const NewUser = z.strictObject({
  username: z.string().regex(USERNAME_PATTERN, '1-32 lower-case letters, digits, ".", "_" or "-"'),
  role: z.enum(ROLES),
  password: z.string().min(MIN_PASSWORD_CHARS).max(256).optional(),
});
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
      const { user, password } = await auth.createUser(body.username, body.role, body.password);
      req.log.info({ username: user.username, role: user.role, by: by.username }, 'user created');
      reply.status(201);
      return body.password === undefined ? { user, password } : { user };
    });

    fastify.post('/api/users/:username/disable', async (req) => {
      const { user: by } = requirePermission(req, 'users.manage');
      const { username } = parseInput(UserParams, req.params, 'params');
      parseInput(Empty, req.body, 'body');
      // Locking yourself out is never what an admin meant, and could leave no admin at all.
      if (username === by.username) throw apiError('FORBIDDEN', 'you cannot disable your own account');
      auth.disableUser(username);
      req.log.warn({ username, by: by.username }, 'user disabled');
      return { ok: true };
    });
  };
}
