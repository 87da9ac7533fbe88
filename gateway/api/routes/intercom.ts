// The visual intercom's talk-back at /api/intercom/:cameraId: the browser's microphone (PCM16 over
// the WebSocket) goes to the camera's speaker through its ONVIF RTSP backchannel. Authenticated
// and Origin-checked before the upgrade; one talk session per socket, closed with the socket.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Logger } from '../../../common/logger.ts';
import type { AuthService } from '../../auth/auth-service.ts';
import { startTalk, type TalkSession } from '../../intercom/talk-session.ts';
import { pumpSocketToTalk } from '../../intercom/ws-talk.ts';
import { apiError } from '../errors.ts';
import { originAllowed } from '../origin.ts';
import { requirePermission } from '../plugins/session.ts';
import { parseInput } from '../validate.ts';
import { CLOSE_SESSION_ENDED } from '../close-codes.ts';

const Params = z.strictObject({ cameraId: z.string().min(1).max(64) });

/** Where a camera's backchannel is: its RTSP URI and account. Rejects for an unknown camera. */
export type TalkTarget = (cameraId: string) => Promise<{ uri: string; username: string; password: string }>;

export function intercomRoutes(target: TalkTarget | null, auth: AuthService, allowedOrigins: readonly string[], logger: Logger) {
  const sockets = new Map<import('ws').WebSocket, { username: string; sessionId: string }>();
  return async (fastify: FastifyInstance): Promise<void> => {
    const offUser = auth.onUserSessionsEnded((u) => [...sockets].forEach(([s, c]) => c.username === u && s.close(CLOSE_SESSION_ENDED, 'session ended')));
    const offSession = auth.onSessionEnded((id) => [...sockets].forEach(([s, c]) => c.sessionId === id && s.close(CLOSE_SESSION_ENDED, 'session ended')));
    fastify.addHook('onClose', async () => {
      offUser();
      offSession();
      for (const s of sockets.keys()) s.close(1001, 'gateway stopping');
    });
    fastify.get(
      '/api/intercom/:cameraId',
      {
        websocket: true,
        preValidation: async (req) => {
          if (!originAllowed(req, allowedOrigins)) throw apiError('ORIGIN_REFUSED');
          requirePermission(req, 'intercom.talk');
          parseInput(Params, req.params, 'params');
          if (!target) throw apiError('CAMERA_NOT_FOUND', 'this site has no cameras');
        },
      },
      (socket, req) => {
        const session = req.auth!;
        const { cameraId } = parseInput(Params, req.params, 'params');
        sockets.set(socket, { username: session.user.username, sessionId: session.sessionId });
        socket.on('close', () => sockets.delete(socket));
        const talk: Promise<TalkSession> = target!(cameraId).then(({ uri, username, password }) =>
          startTalk({ rtspUri: uri, username, password, logger: logger.child({ component: 'intercom', cameraId }) }),
        );
        logger.info({ cameraId, username: session.user.username }, 'intercom talk started');
        void pumpSocketToTalk(socket, talk, { logger }).finally(() => logger.info({ cameraId, username: session.user.username }, 'intercom talk ended'));
      },
    );
  };
}
