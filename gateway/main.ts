// Entry point of the gateway process: `tsx gateway/main.ts --config SITE.yaml`.
import { loadSiteConfigOrExit } from '../config/load.ts';
import { configPathFromArgs } from '../common/process-args.ts';
import { createRootLogger } from '../common/logger.ts';
import { startHealthBeat } from '../common/health-beat.ts';
import { startGateway } from './gateway-process.ts';

const root = createRootLogger('gateway');
const file = configPathFromArgs();
const loadedAt = new Date().toISOString();
const site = loadSiteConfigOrExit(file);
const gateway = await startGateway(site, root, { configFile: file, loadedAt });
const stopBeat = startHealthBeat(site.gateway.dataDir, 'gateway');
if (gateway.initialAdminPassword) {
  // Shown once, on the console only: never logged, stored only as a hash.
  process.stderr.write(`FIRST START: administrator "admin" password: ${gateway.initialAdminPassword} (shown once; change it after logging in)\n`);
}
root.info({ host: site.gateway.host, port: gateway.api.port }, 'gateway listening');

let stopping = false;
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    stopBeat();
    void gateway.stop().finally(() => process.exit(0));
  });
}
