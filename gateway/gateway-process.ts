// The gateway's composition root: journal, auth, the domain service, the link to the firmware
// bridge and the API, wired from the site file. Returns the admin password when it made one.
import { join, resolve, dirname } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SiteConfig } from '../config/schema.ts';
import { componentLogger, type Logger } from '../common/logger.ts';
import { Journal } from './journal/journal.ts';
import { AuthService } from './auth/auth-service.ts';
import { GatewayApp } from './app/gateway-app.ts';
import { BridgeLinkClient } from './bridge-link/link-client.ts';
import { startApiServer, type ApiServer } from './api/server.ts';
import { startCameras } from './linkage/camera-wiring.ts';
import { startVideo } from './linkage/video-wiring.ts';
import { loadSecrets } from '../config/secrets.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function gatewayJournalPath(dataDir: string): string {
  return join(dataDir, 'gateway.db');
}

export interface RunningGateway {
  app: GatewayApp;
  api: ApiServer;
  initialAdminPassword: string | null;
  stop(): Promise<void>;
}

export interface StartGatewayOptions {
  /** The site file it was loaded from: GET /api/config names it. */
  configFile?: string;
  /** When the site file was read (default: now). */
  loadedAt?: string;
}

export async function startGateway(site: SiteConfig, root: Logger, opts: StartGatewayOptions = {}): Promise<RunningGateway> {
  const dataDir = site.gateway.dataDir;
  const journalFile = gatewayJournalPath(dataDir);
  const journal = new Journal({ file: journalFile, site });
  const auth = new AuthService({ users: journal.users, sessions: journal.sessions, teams: site.patrolTeams.map((t) => t.id) });
  const initialAdminPassword = await auth.ensureInitialAdmin();

  // The link needs the app (to ingest) and the app needs the link (to send commands).
  let app!: GatewayApp;
  const link = new BridgeLinkClient(
    join(dataDir, 'bridge.sock'),
    {
      lastSeq: (bridgeId) => app.lastSeq(bridgeId),
      ingest: (bridgeId, event) => void app.ingestDeviceEvent(bridgeId, event),
      boxState: (state) => app.updateBoxState(state),
      connected: (up) => app.setBridgeConnected(up),
    },
    componentLogger(root, 'bridge-link'),
  );
  app = new GatewayApp({ site, journal, commander: link, logger: componentLogger(root, 'app') });
  link.start();
  const secrets = loadSecrets(dataDir);
  const cameras = site.cameras.length > 0 ? startCameras(site, secrets, app, root) : null;
  const video = cameras ? startVideo(site, secrets, cameras.fleet, app, root) : null;

  const dashboardDir = join(ROOT, 'dashboard', 'dist');
  const api = await startApiServer({
    app,
    auth,
    host: site.gateway.host,
    port: site.gateway.port,
    allowedOrigins: site.gateway.allowedOrigins,
    dashboardDir: existsSync(join(dashboardDir, 'index.html')) ? dashboardDir : null,
    logger: root,
    cameraControl: cameras?.control ?? null,
    streamHub: video?.hub ?? null,
    talkTarget: video?.talkTarget ?? null,
    dataDir,
    journalFile,
    configSource: {
      source: opts.configFile ? resolve(opts.configFile) : '(not from a file)',
      loadedAt: opts.loadedAt ?? new Date().toISOString(),
    },
  });
  return {
    app,
    api,
    initialAdminPassword,
    async stop() {
      link.stop();
      await video?.stop();
      await cameras?.stop();
      await api.close();
      journal.close();
    },
  };
}
