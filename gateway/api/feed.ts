// The live feed at /api/feed. Authenticated and Origin-checked before the upgrade (the session
// hook and the route's preValidation run first). Each socket gets a snapshot, then every live
// message. The hub owns the sockets and the keepalive timer: a slow consumer is cut off rather
// than allowed to grow memory, and a socket whose session ended is closed.
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { GatewayApp } from '../app/gateway-app.ts';
import type { LiveFeedMessage } from '../app/feed-messages.ts';
import type { AuthService } from '../auth/auth-service.ts';
import type { Logger } from '../../common/logger.ts';
import { apiError } from './errors.ts';
import { originAllowed } from './origin.ts';
import { requirePermission } from './plugins/session.ts';
import { CLOSE_SESSION_ENDED } from './close-codes.ts';

/** Past this much unsent data a client is not keeping up: drop it, it reconnects and resyncs. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
export { CLOSE_SESSION_ENDED };

interface Client {
  socket: WebSocket;
  username: string;
  sessionId: string;
  alive: boolean;
}

export interface FeedHubOptions {
  app: GatewayApp;
  auth: AuthService;
  logger: Logger;
  pingIntervalMs?: number;
}

export class FeedHub {
  private readonly clients = new Set<Client>();
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly onFeed = (message: LiveFeedMessage) => this.broadcast(message);

  constructor(private readonly opts: FeedHubOptions) {
    opts.app.on('feed', this.onFeed);
    this.unsubscribe.push(() => opts.app.off('feed', this.onFeed));
    this.unsubscribe.push(opts.auth.onUserSessionsEnded((username) => this.closeWhere((c) => c.username === username)));
    this.unsubscribe.push(opts.auth.onSessionEnded((sessionId) => this.closeWhere((c) => c.sessionId === sessionId)));
    this.timer = setInterval(() => this.keepalive(), opts.pingIntervalMs ?? 30000);
  }

  get size(): number {
    return this.clients.size;
  }

  add(socket: WebSocket, username: string, sessionId: string): void {
    const client: Client = { socket, username, sessionId, alive: true };
    this.clients.add(client);
    socket.on('pong', () => (client.alive = true));
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', (err) => this.opts.logger.debug({ err, username }, 'feed socket error'));
    // Clients have nothing to say on the feed; what they send is ignored.
    this.deliver(client, JSON.stringify({ type: 'snapshot', ...this.opts.app.snapshot() }));
  }

  private deliver(client: Client, data: string): void {
    const { socket } = client;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.opts.logger.warn({ username: client.username, buffered: socket.bufferedAmount }, 'feed client too slow: closing');
      this.clients.delete(client);
      socket.terminate();
      return;
    }
    socket.send(data);
  }

  private broadcast(message: LiveFeedMessage): void {
    if (this.clients.size === 0) return;
    const data = JSON.stringify(message);
    for (const client of [...this.clients]) this.deliver(client, data);
  }

  private closeWhere(match: (c: Client) => boolean): void {
    for (const client of [...this.clients]) {
      if (!match(client)) continue;
      this.clients.delete(client);
      client.socket.close(CLOSE_SESSION_ENDED, 'session ended');
      // A peer that never answers the close handshake must not keep the socket.
      const force = setTimeout(() => client.socket.terminate(), 2000);
      client.socket.once('close', () => clearTimeout(force));
    }
  }

  private keepalive(): void {
    for (const client of [...this.clients]) {
      if (!client.alive) {
        this.clients.delete(client);
        client.socket.terminate();
        continue;
      }
      // Sessions also end where no hook fires: expiry, a password reset from the CLI.
      if (!this.opts.auth.sessionAlive(client.sessionId)) {
        this.closeWhere((c) => c === client);
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }

  close(): void {
    clearInterval(this.timer);
    for (const off of this.unsubscribe) off();
    for (const client of this.clients) client.socket.close(1001, 'gateway stopping');
    this.clients.clear();
  }
}

export function feedRoute(hub: FeedHub, allowedOrigins: readonly string[]) {
  return async (fastify: FastifyInstance): Promise<void> => {
    fastify.get(
      '/api/feed',
      {
        websocket: true,
        preValidation: async (req) => {
          if (!originAllowed(req, allowedOrigins)) throw apiError('ORIGIN_REFUSED');
          requirePermission(req, 'incidents.view');
        },
      },
      (socket, req) => {
        const session = req.auth!;
        hub.add(socket, session.user.username, session.sessionId);
      },
    );
  };
}
