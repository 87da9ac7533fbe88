// Incidents: list, read, and the steps of closed-loop handling. Each action checks the role
// here and again in the app (which also keeps a patrol to its own team's incidents); the state
// machine in the domain decides what is legal.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Actor, GatewayApp } from '../../app/gateway-app.ts';
import { CANCEL_REASONS, MAX_NOTE_CHARS, MAX_TEAM_CHARS } from '../../domain/incident.ts';
import type { Permission } from '../../domain/roles.ts';
import { parseInput } from '../validate.ts';
import { requirePermission } from '../plugins/session.ts';

const IdParams = z.strictObject({ id: z.string().regex(/^INC-\d{8}-\d{4,}$/, 'not an incident id') });
const ListQuery = z.strictObject({
  open: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
const Empty = z.strictObject({});
const note = z.string().trim().min(1).max(MAX_NOTE_CHARS);
const DispatchBody = z.strictObject({ team: z.string().trim().min(1).max(MAX_TEAM_CHARS) });
const NoteBody = z.strictObject({ note });
const CancelBody = z.strictObject({ reason: z.enum(CANCEL_REASONS as [string, ...string[]]).transform((r) => r as (typeof CANCEL_REASONS)[number]), note });

export function incidentRoutes(app: GatewayApp) {
  return async (fastify: FastifyInstance): Promise<void> => {
    fastify.get('/api/incidents', async (req) => {
      requirePermission(req, 'incidents.view');
      const q = parseInput(ListQuery, req.query, 'query');
      return app.listIncidents({ open: q.open === undefined ? undefined : q.open === 'true', limit: q.limit ?? 100 });
    });

    fastify.get('/api/incidents/:id', async (req) => {
      requirePermission(req, 'incidents.view');
      return app.getIncident(parseInput(IdParams, req.params, 'params').id);
    });

    const action = (path: string, permission: Permission, run: (id: string, body: unknown, actor: Actor) => unknown) => {
      fastify.post(`/api/incidents/:id/${path}`, async (req) => {
        const { user } = requirePermission(req, permission);
        const { id } = parseInput(IdParams, req.params, 'params');
        return run(id, req.body, user);
      });
    };
    action('acknowledge', 'incidents.acknowledge', (id, body, user) => (parseInput(Empty, body, 'body'), app.acknowledge(id, user)));
    action('dispatch', 'incidents.dispatch', (id, body, user) => app.dispatch(id, parseInput(DispatchBody, body, 'body').team, user));
    action('accept', 'incidents.accept', (id, body, user) => (parseInput(Empty, body, 'body'), app.accept(id, user)));
    action('en-route', 'incidents.en-route', (id, body, user) => (parseInput(Empty, body, 'body'), app.enRoute(id, user)));
    action('on-scene', 'incidents.on-scene', (id, body, user) => (parseInput(Empty, body, 'body'), app.onScene(id, user)));
    action('resolve', 'incidents.resolve', (id, body, user) => app.resolve(id, parseInput(NoteBody, body, 'body').note, user));
    action('close', 'incidents.close', (id, body, user) => app.close(id, parseInput(NoteBody, body, 'body').note, user));
    action('cancel', 'incidents.cancel', (id, body, user) => {
      const b = parseInput(CancelBody, body, 'body');
      return app.cancel(id, b.reason, b.note, user);
    });
  };
}
