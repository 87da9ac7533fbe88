// Entry point of the firmware bridge process: `tsx firmware-bridge/main.ts --config SITE.yaml`.
import { loadSiteConfigOrExit } from '../config/load.ts';
import { loadSecrets } from '../config/secrets.ts';
import { configPathFromArgs } from '../common/process-args.ts';
import { createRootLogger } from '../common/logger.ts';
import { startHealthBeat } from '../common/health-beat.ts';
import { startBridge } from './bridge-process.ts';

const root = createRootLogger('firmware-bridge');
const file = configPathFromArgs();
const site = loadSiteConfigOrExit(file);
const bridge = await startBridge(site, loadSecrets(site.gateway.dataDir), root);
const stopBeat = startHealthBeat(site.gateway.dataDir, 'bridge');

// The interlock must outlive a bug elsewhere in this process: log and carry on.
process.on('uncaughtException', (err) => root.fatal({ err }, 'uncaught exception (continuing)'));
process.on('unhandledRejection', (err) => root.error({ err }, 'unhandled rejection (continuing)'));

let stopping = false;
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    stopBeat();
    void bridge.stop().finally(() => process.exit(0));
  });
}
