// Alarm boxes: their live state, and the two commands a person may send (reset, ops test).
// A test opens the box's test window in the bridge (see firmware-bridge/bridge/interlock.ts).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GatewayApp } from '../../app/gateway-app.ts';
import { TEST_MAX_MS, TEST_MIN_MS } from '../../../firmware-bridge/link/messages.ts';
import { parseInput } from '../validate.ts';
import { requirePermission } from '../plugins/session.ts';

const BoxParams = z.strictObject({ id: z.string().min(1).max(64) });
const Empty = z.strictObject({});
/** The test window: the relays sound for it, and a press on the box inside it opens no incident. */
const TestBody = z.strictObject({ durationMs: z.number().int().min(TEST_MIN_MS).max(TEST_MAX_MS) });

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
