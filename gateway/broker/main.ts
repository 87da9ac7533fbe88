// Entry point of the MQTT broker process: `tsx gateway/broker/main.ts --config SITE.yaml`.
// Its own process, so neither a hung gateway nor a hung bridge stops MQTT alarm boxes.
import { loadSiteConfigOrExit } from '../../config/load.ts';
import { BRIDGE_MQTT_USERNAME, loadSecrets } from '../../config/secrets.ts';
import { configPathFromArgs } from '../../common/process-args.ts';
import { componentLogger, createRootLogger } from '../../common/logger.ts';
import { startHealthBeat } from '../../common/health-beat.ts';
import { startBroker } from './broker.ts';

const root = createRootLogger('broker');
const site = loadSiteConfigOrExit(configPathFromArgs());
const secrets = loadSecrets(site.gateway.dataDir);
const broker = await startBroker({
  host: site.broker.host,
  port: site.broker.port,
  siteId: site.site.id,
  credentials: {
    bridge: { username: BRIDGE_MQTT_USERNAME, password: secrets.mqtt.bridge },
    boxes: new Map(Object.entries(secrets.mqtt.boxes)),
  },
  logger: componentLogger(root, 'broker'),
});
const stopBeat = startHealthBeat(site.gateway.dataDir, 'broker');
root.info({ host: site.broker.host, port: broker.port }, 'MQTT broker listening');
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    stopBeat();
    void broker.close().finally(() => process.exit(0));
  });
}
