// The site as the dashboard draws it: buildings, plan, boxes, patrol teams, response targets. Only what a screen needs;
// transport details (lines, addresses, secrets) stay on the server.
import type { FastifyInstance } from 'fastify';
import type { SiteConfig } from '../../../config/schema.ts';
import { requirePermission } from '../plugins/session.ts';

export function publicSite(site: SiteConfig) {
  return {
    site: { id: site.site.id, name: site.site.name, timezone: site.site.timezone, plan: site.site.plan },
    buildings: site.buildings.map((b) => ({ id: b.id, name: b.name, floors: b.floors })),
    boxes: site.alarmBoxes.map((b) => ({
      id: b.id,
      name: b.name,
      location: b.location,
      priority: b.priority,
      silent: b.silent,
      transport: b.transport.kind,
      /** Linked cameras: the box's own, the dome above it (with its preset), Sharp Eyes nearby. */
      cameras: b.cameras.map((c) => ({ camera: c.camera, ...(c.preset ? { preset: c.preset } : {}) })),
    })),
    /** Cameras without their addresses or credentials. */
    cameras: site.cameras.map((c) => ({ id: c.id, name: c.name, kind: c.kind, ...(c.location ? { location: c.location } : {}) })),
    /** Who can be dispatched, and the centre's targets (defaults filled by the schema). */
    patrolTeams: site.patrolTeams.map((t) => ({ id: t.id, name: t.name })),
    response: { acknowledgeS: site.response.acknowledgeS, arriveS: site.response.arriveS },
  };
}

export function siteRoutes(site: SiteConfig) {
  const body = publicSite(site);
  return async (fastify: FastifyInstance): Promise<void> => {
    fastify.get('/api/site', async (req) => {
      requirePermission(req, 'incidents.view');
      return body;
    });
  };
}
