// Live video at /api/streams/:cameraId: authenticated and Origin-checked before the upgrade like
// the feed; one shared ffmpeg per camera however many viewers (the hub), pumped with flow control.
// Sockets close (4401) when their session ends (logout, user disabled, role change, password reset).
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { AuthService } from '../../auth/auth-service.ts';
import type { Logger } from '../../../common/logger.ts';
import type { StreamHub } from '../../streams/stream-hub.ts';
import { pumpStreamToSocket, closeCodeFor } from '../../streams/ws-endpoint.ts';
import { apiError } from '../errors.ts';
import { originAllowed } from '../origin.ts';
import { requirePermission } from '../plugins/session.ts';
import { parseInput } from '../validate.ts';
import { CLOSE_SESSION_ENDED } from '../close-codes.ts';

const Params = z.strictObject({ cameraId: z.string().min(1).max(64) });
const Query = z.strictObject({
  profile: z.enum(['main', 'sub']).default('sub'),
  /** Force the fallback (mpeg1) even for H.264; normally the camera's codec decides. */
  format: z.enum(['fmp4', 'mpeg1']).optional(),
  /** 1: with the camera's sound (listening in); the default picture-only stream starts faster. */
  audio: z.enum(['0', '1']).default('0'),
});

export { CLOSE_SESSION_ENDED };

export function streamRoutes(hub: StreamHub | null, auth: AuthService, allowedOrigins: readonly string[], logger: Logger) {
  const sockets = new Set<{ socket: WebSocket; username: string; sessionId: string }>();
  const closeWhere = (match: (c: { username: string; sessionId: string }) => boolean) => {
    for (const c of [...sockets]) if (match(c)) c.socket.close(CLOSE_SESSION_ENDED, 'session ended');
  };
  return async (fastify: FastifyInstance): Promise<void> => {
    const offUser = auth.onUserSessionsEnded((username) => closeWhere((c) => c.username === username));
    const offSession = auth.onSessionEnded((sessionId) => closeWhere((c) => c.sessionId === sessionId));
    fastify.addHook('onClose', async () => {
      offUser();
      offSession();
      for (const c of sockets) c.socket.close(1001, 'gateway stopping');
    });

    fastify.get(
      '/api/streams/:cameraId',
      {
        websocket: true,
        preValidation: async (req) => {
          if (!originAllowed(req, allowedOrigins)) throw apiError('ORIGIN_REFUSED');
          requirePermission(req, 'cameras.view');
          parseInput(Params, req.params, 'params');
          parseInput(Query, req.query, 'query');
          if (!hub) throw apiError('CAMERA_NOT_FOUND', 'this site has no cameras');
        },
      },
      (socket, req) => {
        const session = req.auth!;
        const { cameraId } = parseInput(Params, req.params, 'params');
        const q = parseInput(Query, req.query, 'query');
        const entry = { socket, username: session.user.username, sessionId: session.sessionId };
        sockets.add(entry);
        let detach: (() => void) | null = null;
        socket.on('close', () => {
          sockets.delete(entry);
          detach?.();
        });
        socket.on('error', (err) => logger.debug({ err, cameraId }, 'stream socket error'));
        hub!
          .open(cameraId, q.profile, q.audio === '1')
          .then(({ stream, format }) => {
            if (socket.readyState !== socket.OPEN) return;
            const chosen = q.format ?? format;
            const s = chosen === format ? stream : hub!.viewer(cameraId, q.profile, chosen, q.audio === '1');
            detach = pumpStreamToSocket(socket, s, { format: chosen });
            logger.info({ cameraId, profile: q.profile, format: chosen, username: session.user.username }, 'viewer joined');
          })
          .catch((err: unknown) => {
            logger.warn({ err, cameraId }, 'stream refused');
            if (socket.readyState === socket.OPEN) socket.close(closeCodeFor(err), 'stream unavailable');
          });
      },
    );
  };
}
