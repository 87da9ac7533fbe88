// Cameras: their health and linkage state, manual PTZ (which takes the dome from linkage until
// released), and the snapshots attached to incidents.
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GatewayApp } from '../../app/gateway-app.ts';
import type { CameraControl } from '../../linkage/camera-control.ts';
import { parseInput } from '../validate.ts';
import { requirePermission } from '../plugins/session.ts';
import { apiError } from '../errors.ts';

const CameraParams = z.strictObject({ id: z.string().min(1).max(64) });
const IncidentParams = z.strictObject({ id: z.string().min(1).max(64) });
const AttachmentParams = z.strictObject({ id: z.string().min(1).max(64), attachmentId: z.coerce.number().int().positive() });
const TakeBody = z.strictObject({ holdS: z.number().int().min(10).max(3600).optional() });
const MoveBody = z.strictObject({
  x: z.number().min(-1).max(1),
  y: z.number().min(-1).max(1),
  zoom: z.number().min(-1).max(1).default(0),
  timeoutMs: z.number().int().min(100).max(10000).default(1000),
});
const GotoBody = z.strictObject({ preset: z.string().min(1).max(64) });
const Empty = z.strictObject({});

export function cameraRoutes(app: GatewayApp, control: CameraControl | null, dataDir: string) {
  return async (fastify: FastifyInstance): Promise<void> => {
    fastify.get('/api/cameras', async (req) => {
      requirePermission(req, 'cameras.view');
      return app.listCameras();
    });

    const need = () => {
      if (!control) throw apiError('CAMERA_NOT_FOUND', 'this site has no cameras');
      return control;
    };

    fastify.post('/api/cameras/:id/ptz/take', async (req) => {
      const { user } = requirePermission(req, 'cameras.control');
      const { id } = parseInput(CameraParams, req.params, 'params');
      const { holdS } = parseInput(TakeBody, req.body, 'body');
      need().take(id, user.username, holdS !== undefined ? holdS * 1000 : undefined);
      return { ok: true };
    });
    fastify.post('/api/cameras/:id/ptz/release', async (req) => {
      requirePermission(req, 'cameras.control');
      const { id } = parseInput(CameraParams, req.params, 'params');
      parseInput(Empty, req.body, 'body');
      need().release(id);
      return { ok: true };
    });
    fastify.post('/api/cameras/:id/ptz/move', async (req) => {
      const { user } = requirePermission(req, 'cameras.control');
      const { id } = parseInput(CameraParams, req.params, 'params');
      const { x, y, zoom, timeoutMs } = parseInput(MoveBody, req.body, 'body');
      await need().move(id, user.username, { x, y, zoom }, timeoutMs);
      return { ok: true };
    });
    fastify.post('/api/cameras/:id/ptz/stop', async (req) => {
      const { user } = requirePermission(req, 'cameras.control');
      const { id } = parseInput(CameraParams, req.params, 'params');
      parseInput(Empty, req.body, 'body');
      await need().stop(id, user.username);
      return { ok: true };
    });
    fastify.post('/api/cameras/:id/ptz/goto', async (req) => {
      const { user } = requirePermission(req, 'cameras.control');
      const { id } = parseInput(CameraParams, req.params, 'params');
      const { preset } = parseInput(GotoBody, req.body, 'body');
      await need().gotoPreset(id, user.username, preset);
      return { ok: true };
    });

    fastify.get('/api/incidents/:id/attachments', async (req) => {
      requirePermission(req, 'incidents.view');
      const { id } = parseInput(IncidentParams, req.params, 'params');
      return app.listAttachments(id).map(({ file: _file, ...shown }) => shown);
    });
    fastify.get('/api/incidents/:id/attachments/:attachmentId', async (req, reply) => {
      requirePermission(req, 'incidents.view');
      const { id, attachmentId } = parseInput(AttachmentParams, req.params, 'params');
      const a = app.listAttachments(id).find((x) => x.id === attachmentId);
      if (!a) throw apiError('ATTACHMENT_NOT_FOUND');
      // The path came from our own journal; still refuse anything that would leave the data dir.
      const rel = normalize(a.file);
      if (rel.startsWith('..') || rel.startsWith('/')) throw apiError('ATTACHMENT_NOT_FOUND');
      const body = await readFile(join(dataDir, rel)).catch(() => null);
      if (!body) throw apiError('ATTACHMENT_NOT_FOUND');
      return reply.type(a.kind === 'clip' ? 'video/mp4' : 'image/jpeg').header('cache-control', 'private, max-age=3600').send(body);
    });
  };
}
