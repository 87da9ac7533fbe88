// The HTTP and WebSocket API on loopback. A composition root for the API areas: each area is
// its own plugin; errors map to one shape ({code, message, field?}) in one place.
import Fastify, { type FastifyBaseLogger } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import type { GatewayApp } from '../app/gateway-app.ts';
import type { AuthService } from '../auth/auth-service.ts';
import type { Logger } from '../../common/logger.ts';
import { REDACT_PATHS } from '../../common/logger.ts';
import { apiError, toHttpError } from './errors.ts';
import { registerSessionHook } from './plugins/session.ts';
import { sessionRoutes } from './routes/session.ts';
import { siteRoutes } from './routes/site.ts';
import { incidentRoutes } from './routes/incidents.ts';
import { deviceEventRoutes } from './routes/device-events.ts';
import { cameraRoutes } from './routes/cameras.ts';
import { streamRoutes } from './routes/streams.ts';
import { intercomRoutes, type TalkTarget } from './routes/intercom.ts';
import type { StreamHub } from '../streams/stream-hub.ts';
import type { CameraControl } from '../linkage/camera-control.ts';
import { deviceRoutes } from './routes/devices.ts';
import { userRoutes } from './routes/users.ts';
import { healthRoutes } from './routes/health.ts';
import { configRoutes, type ConfigSource } from './routes/config.ts';
import { FeedHub, feedRoute } from './feed.ts';

export const BODY_LIMIT_BYTES = 64 * 1024;

export interface ApiServerOptions {
  app: GatewayApp;
  auth: AuthService;
  host: string;
  port: number;
  allowedOrigins: string[];
  dashboardDir: string | null;
  /** Manual PTZ and snapshots; null on a site without cameras. */
  cameraControl?: CameraControl | null;
  /** Live video; null on a site without cameras. */
  streamHub?: StreamHub | null;
  /** The intercom's backchannel target per camera; null on a site without cameras. */
  talkTarget?: TalkTarget | null;
  dataDir?: string;
  /** The gateway's SQLite journal, for its size in /api/health. */
  journalFile?: string | null;
  /** Where the site file came from, for GET /api/config. */
  configSource?: ConfigSource;
  logger: Logger;
  /** Feed keepalive; tests shorten it. */
  pingIntervalMs?: number;
}

export interface ApiServer {
  port: number;
  close(): Promise<void>;
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const logger = opts.logger.child(
    { component: 'api' },
    { redact: { paths: [...REDACT_PATHS, 'req.headers["sec-websocket-protocol"]'], censor: '[redacted]' } },
  );
  const fastify = Fastify({ loggerInstance: logger as FastifyBaseLogger, bodyLimit: BODY_LIMIT_BYTES, trustProxy: false });
  const hub = new FeedHub({ app: opts.app, auth: opts.auth, logger, ...(opts.pingIntervalMs ? { pingIntervalMs: opts.pingIntervalMs } : {}) });

  try {
    fastify.setErrorHandler((err, req, reply) => {
      const { status, body, internal } = toHttpError(err);
      if (internal) req.log.error({ err }, 'request failed');
      if (body.retryAfterS !== undefined) reply.header('retry-after', String(body.retryAfterS));
      return reply.status(status).send(body);
    });
    fastify.setNotFoundHandler((req, reply) => {
      const { status, body } = toHttpError(apiError('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`));
      return reply.status(status).send(body);
    });

    await fastify.register(fastifyCookie);
    await fastify.register(fastifyWebsocket, { options: { maxPayload: 4096 } });
    registerSessionHook(fastify, opts.auth, opts.allowedOrigins);

    await fastify.register(sessionRoutes(opts.auth));
    await fastify.register(siteRoutes(opts.app.site));
    await fastify.register(incidentRoutes(opts.app));
    await fastify.register(deviceRoutes(opts.app));
    await fastify.register(deviceEventRoutes(opts.app));
    await fastify.register(cameraRoutes(opts.app, opts.cameraControl ?? null, opts.dataDir ?? '.'));
    await fastify.register(userRoutes(opts.auth));
    await fastify.register(healthRoutes(opts.app, { journalFile: opts.journalFile ?? null, dataDir: opts.dataDir ?? null }));
    await fastify.register(configRoutes(opts.app.site, opts.configSource ?? { source: '(not from a file)', loadedAt: new Date().toISOString() }));
    await fastify.register(feedRoute(hub, opts.allowedOrigins));
    await fastify.register(streamRoutes(opts.streamHub ?? null, opts.auth, opts.allowedOrigins, logger));
    await fastify.register(intercomRoutes(opts.talkTarget ?? null, opts.auth, opts.allowedOrigins, logger));
    if (opts.dashboardDir) await fastify.register(fastifyStatic, { root: opts.dashboardDir, index: 'index.html' });

    await fastify.listen({ host: opts.host, port: opts.port });
  } catch (err) {
    hub.close();
    await fastify.close();
    throw err;
  }
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  logger.info({ host: opts.host, port }, 'API listening');
  return {
    port,
    close: async () => {
      hub.close();
      await fastify.close();
    },
  };
}
