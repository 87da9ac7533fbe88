// Production entry point: `tsx gateway/site.ts --config /etc/campus/site.yaml`.
// Checks the site file, makes per-install secrets on first start, then runs broker, bridge and
// gateway as supervised processes. Stderr lines of the children (first-start banner) pass through.
import { join } from 'node:path';
import { ConfigError, loadSiteConfig } from '../config/load.ts';
import { ensureSecrets } from '../config/secrets.ts';
import { configPathFromArgs } from '../common/process-args.ts';
import { componentLogger, createRootLogger } from '../common/logger.ts';
import { SiteSupervisor } from './site-supervisor.ts';

const root = createRootLogger('site');
const file = configPathFromArgs();
try {
  const site = loadSiteConfig(file);
  ensureSecrets(site.gateway.dataDir, site);
  const supervisor = new SiteSupervisor({
    configFile: file,
    logDir: join(site.gateway.dataDir, 'logs'),
    logger: componentLogger(root, 'supervisor'),
    onStderr: (name, line) => process.stderr.write(`[${name}] ${line}\n`),
  });
  supervisor.start();
  root.info({ site: site.site.id, dashboard: `http://${site.gateway.host}:${site.gateway.port}/` }, 'site running');
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => void supervisor.stop().finally(() => process.exit(0)));
  }
} catch (err) {
  if (err instanceof ConfigError) {
    for (const p of err.problems) process.stderr.write(`${file}: ${p}\n`);
    process.exit(1);
  }
  throw err;
}
