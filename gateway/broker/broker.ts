// The site's embedded MQTT broker (aedes, MQTT 3.1.1) for MQTT alarm boxes and the firmware
// bridge. Owns the TCP server, its sockets and the aedes instance; close() ends all three.
// It is never a store: acknowledgements to boxes come from the bridge, after recording.
import { createServer, type Socket } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { Logger } from '../../common/logger.ts';
import { LogLimiter } from '../../firmware-bridge/serial/log-limiter.ts';
import { authenticate, authorizePublish, authorizeSubscribe, type BrokerCredentials, type Identity } from './authorizer.ts';
import { GuardedConnection } from './guarded-connection.ts';

export interface BrokerOptions {
  host: string;
  /** 0 = any free port (tests); the bound port is returned. */
  port: number;
  siteId: string;
  credentials: BrokerCredentials;
  logger: Logger;
  /** Largest MQTT packet accepted (remaining length); a bigger one closes the connection. */
  maxPacketBytes?: number;
}

export interface BrokerStats {
  connectedClients: number;
  connects: number;
  refusedConnects: number;
  deniedPublishes: number;
  deniedSubscribes: number;
  oversizedPackets: number;
}

export interface RunningBroker {
  port: number;
  close(): Promise<void>;
  stats(): BrokerStats;
}

const DEFAULT_MAX_PACKET_BYTES = 8192;
/** MQTT 3.1.1 CONNACK return codes (aedes' AuthErrorCode is a const enum, unusable under isolatedModules). */
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

export async function startBroker(opts: BrokerOptions): Promise<RunningBroker> {
  const { siteId, credentials, logger } = opts;
  if (credentials.boxes.has(credentials.bridge.username)) {
    throw new Error(`an alarm box may not be called "${credentials.bridge.username}": that is the bridge's MQTT user`);
  }
  const identities = new WeakMap<Client, Identity>();
  const limiter = new LogLimiter(logger);
  const counts = { connects: 0, refusedConnects: 0, deniedPublishes: 0, deniedSubscribes: 0, oversizedPackets: 0 };

  const aedes = await Aedes.createBroker({
    // Box ids are up to 48 characters; MQTT 3.1's 23-character limit would refuse them.
    maxClientsIdLength: 64,
    maxTopicLevels: 8,
    connectTimeout: 10_000,
    // A box that stops reading must not stall delivery to the others (see aedes docs).
    drainTimeout: 10_000,
    authenticate(client, username, password, done) {
      const result = authenticate(credentials, client.id, username, password);
      if (result.ok) {
        identities.set(client, result.identity);
        counts.connects++;
        logger.info({ clientId: client.id, role: result.identity.role }, 'MQTT client authenticated');
        return done(null, true);
      }
      counts.refusedConnects++;
      limiter.warn(`auth:${result.reason}`, { clientId: client.id, username, reason: result.reason }, 'MQTT connect refused');
      const err = new Error(result.reason) as AuthenticateError;
      err.returnCode = (result.reason === 'CLIENT_ID_MISMATCH' ? NOT_AUTHORIZED : BAD_USERNAME_OR_PASSWORD) as AuthenticateError['returnCode'];
      done(err, false);
    },
    authorizePublish(client, packet, done) {
      const identity = client ? (identities.get(client) ?? null) : null;
      if (client && !identity) return done(new Error('not authenticated'));
      if (authorizePublish(siteId, identity, packet.topic, packet.retain)) return done(null);
      counts.deniedPublishes++;
      limiter.warn(`pub:${client?.id}`, { clientId: client?.id, topic: packet.topic }, 'MQTT publish denied; client disconnected');
      done(new Error('publish not authorized'));
    },
    authorizeSubscribe(client, sub, done) {
      const identity = identities.get(client);
      if (identity && authorizeSubscribe(siteId, identity, sub.topic)) return done(null, sub);
      counts.deniedSubscribes++;
      limiter.warn(`sub:${client.id}`, { clientId: client.id, topic: sub.topic }, 'MQTT subscribe denied');
      // null (not an error): the client gets a failure return code (0x80) and stays connected.
      done(null, null);
    },
  });
  aedes.on('clientDisconnect', (client) => logger.info({ clientId: client.id }, 'MQTT client disconnected'));
  aedes.on('clientError', (client, err) => logger.debug({ clientId: client.id, err: err.message }, 'MQTT client error'));
  aedes.on('connectionError', (client, err) => logger.debug({ clientId: client.id, err: err.message }, 'MQTT connection error'));

  const maxPacketBytes = opts.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    // Small alarm messages must not wait for Nagle (PUBACK followed at once by a PUBLISH).
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    aedes.handle(
      new GuardedConnection(socket, maxPacketBytes, (reason) => {
        counts.oversizedPackets++;
        limiter.warn(`size:${socket.remoteAddress}`, { remote: socket.remoteAddress, reason }, 'MQTT connection cut: packet too large');
      }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => logger.error({ err }, 'MQTT listener error'));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;

  let closing: Promise<void> | null = null;
  return {
    port,
    stats: () => ({ connectedClients: aedes.connectedClients, ...counts }),
    close() {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        for (const s of sockets) s.destroy();
        await serverClosed;
      })();
      return closing;
    },
  };
}
