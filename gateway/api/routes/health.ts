// Health for operators and monitoring: bridge link, open incidents, boxes online.
import type { FastifyInstance } from 'fastify';
import type { GatewayApp } from '../../app/gateway-app.ts';
import { sessionOf } from '../plugins/session.ts';

export function healthRoutes(app: GatewayApp) {
  return async (fastify: FastifyInstance): Promise<void> => {
    fastify.get('/api/health', async (req) => {
      sessionOf(req);
      return app.health();
    });
  };
}
