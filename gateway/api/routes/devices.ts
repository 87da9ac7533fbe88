// Alarm boxes: their live state, and the two commands a person may send (reset, ops test).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GatewayApp } from '../../app/gateway-app.ts';
import { parseInput } from '../validate.ts';
import { requirePermission } from '../plugins/session.ts';

const BoxParams = z.strictObject({ id: z.string().min(1).max(64) });
const Empty = z.strictObject({});
const TestBody = z.strictObject({ durationMs: z.number().int().min(100).max(60000) });

export function deviceRoutes(app: GatewayApp) {
  return async (fastify: FastifyInstance): Promise<void> => {
    fastify.get('/api/devices', async (req) => {
      requirePermission(req, 'devices.view');
      return app.listDevices();
    });

    fastify.post('/api/boxes/:id/reset', async (req) => {
      const { user } = requirePermission(req, 'boxes.reset');
      const { id } = parseInput(BoxParams, req.params, 'params');
      parseInput(Empty, req.body, 'body');
      await app.resetBox(id, user);
      return { ok: true };
    });

    fastify.post('/api/boxes/:id/test', async (req) => {
      const { user } = requirePermission(req, 'boxes.test');
      const { id } = parseInput(BoxParams, req.params, 'params');
      const { durationMs } = parseInput(TestBody, req.body, 'body');
      await app.testBox(id, user, durationMs);
      return { ok: true };
    });
  };
}
