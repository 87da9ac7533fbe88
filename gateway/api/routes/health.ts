// Health for operators and monitoring: bridge link, open incidents, boxes and cameras online,
// and the host's figures (memory, journal size, free disk). Any signed-in user may read it.
import type { FastifyInstance } from 'fastify';
import type { GatewayApp } from '../../app/gateway-app.ts';
import { hostHealth } from '../../app/host-health.ts';
import { sessionOf } from '../plugins/session.ts';

export interface HealthSources {
  /** The gateway's SQLite file; null when it has none on disk. */
  journalFile: string | null;
  /** Where journal, clips and secrets live: free space is measured there. */
  dataDir: string | null;
}

export function healthRoutes(app: GatewayApp, sources: HealthSources) {
  return async (fastify: FastifyInstance): Promise<void> => {
    fastify.get('/api/health', async (req) => {
      sessionOf(req);
      return { ...app.health(), ...hostHealth(sources) };
    });
  };
}
