// The device event log from the journal, newest first, pageable: what each box said and when.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GatewayApp } from '../../app/gateway-app.ts';
import { parseInput } from '../validate.ts';
import { requirePermission } from '../plugins/session.ts';

const Query = z.strictObject({
  /** One box's (or camera's) events; `box` is the older spelling of the same filter. */
  boxId: z.string().min(1).max(64).optional(),
  box: z.string().min(1).max(64).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export function deviceEventRoutes(app: GatewayApp) {
  return async (fastify: FastifyInstance): Promise<void> => {
    fastify.get('/api/device-events', async (req) => {
      requirePermission(req, 'devices.view');
      const q = parseInput(Query, req.query, 'query');
      return app.listDeviceEvents({ boxId: q.boxId ?? q.box, beforeId: q.before, limit: q.limit }).map((e) => ({ id: e.id, receivedAt: e.receivedAt, ...e.event }));
    });
  };
}
