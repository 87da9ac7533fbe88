// The firmware bridge's composition root: from the site file, build every transport, the
// interlock, supervision and the link to the gateway. This process owns the alarm hardware and
// keeps running whatever the gateway process does.
import { join, resolve } from 'node:path';
import type { SiteConfig } from '../config/schema.ts';
import { BRIDGE_MQTT_USERNAME, type Secrets } from '../config/secrets.ts';
import { componentLogger, type Logger } from '../common/logger.ts';
import type { BoxTransport } from './transport/box-transport.ts';
import { BridgeStore } from './bridge/bridge-store.ts';
import { Interlock } from './bridge/interlock.ts';
import { HeartbeatSupervisor, type SupervisedBox } from './bridge/heartbeat-supervisor.ts';
import { LinkServer } from './link/link-server.ts';
import { AlarmBoxLine } from './serial/alarm-box-line.ts';
import { IoModuleBus } from './modbus/io-module-bus.ts';
import { MqttBoxTransport } from './mqtt/mqtt-box-transport.ts';

/** Modbus boxes prove life through polls; the bus reports at most one heartbeat a second. */
const MODBUS_HEARTBEAT_MS = 1000;

export function bridgeSocketPath(dataDir: string): string {
  return resolve(join(dataDir, 'bridge.sock'));
}

export interface RunningBridge {
  store: BridgeStore;
  interlock: Interlock;
  transports: BoxTransport[];
  stop(): Promise<void>;
}

export async function startBridge(site: SiteConfig, secrets: Secrets, root: Logger): Promise<RunningBridge> {
  const log = componentLogger(root, 'bridge');
  const dataDir = site.gateway.dataDir;
  const store = new BridgeStore(join(dataDir, 'bridge.db'));
  const interlock = new Interlock(
    site.alarmBoxes.map((b) => ({ boxId: b.id, silent: b.silent })),
    store,
    componentLogger(root, 'interlock'),
  );
  const sink = interlock.sink;
  const transports: BoxTransport[] = [];
  const supervised: SupervisedBox[] = [];

  for (const line of site.serialLines) {
    const boxes = site.alarmBoxes.flatMap((b) => (b.transport.kind === 'serial' && b.transport.line === line.id ? [{ boxId: b.id, address: b.transport.address }] : []));
    if (boxes.length === 0) continue;
    transports.push(new AlarmBoxLine({ line, boxes, sink, logger: componentLogger(root, 'serial-line', { line: line.id }) }));
    supervised.push(...boxes.map((b) => ({ boxId: b.boxId, heartbeatIntervalMs: line.heartbeatIntervalMs })));
  }
  for (const bus of site.modbusBuses) {
    const moduleIds = new Set(bus.modules.map((m) => m.id));
    const boxes = site.alarmBoxes.flatMap((b) =>
      b.transport.kind === 'modbus' && moduleIds.has(b.transport.module)
        ? [{ boxId: b.id, module: b.transport.module, buttonInput: b.transport.buttonInput, tamperInput: b.transport.tamperInput, strobeCoil: b.transport.strobeCoil, sirenCoil: b.transport.sirenCoil }]
        : [],
    );
    if (boxes.length === 0) continue;
    transports.push(new IoModuleBus({ bus, boxes, sink, logger: componentLogger(root, 'modbus-bus', { bus: bus.id }) }));
    supervised.push(...boxes.map((b) => ({ boxId: b.boxId, heartbeatIntervalMs: Math.max(MODBUS_HEARTBEAT_MS, bus.pollIntervalMs * 4) })));
  }
  const mqttBoxes = site.alarmBoxes.filter((b) => b.transport.kind === 'mqtt').map((b) => b.id);
  if (mqttBoxes.length > 0) {
    transports.push(
      new MqttBoxTransport({
        url: `mqtt://${site.broker.host.includes(':') ? `[${site.broker.host}]` : site.broker.host}:${site.broker.port}`,
        siteId: site.site.id,
        username: BRIDGE_MQTT_USERNAME,
        password: secrets.mqtt.bridge,
        boxes: mqttBoxes,
        heartbeatIntervalMs: site.broker.heartbeatIntervalMs,
        sink,
        logger: componentLogger(root, 'mqtt-boxes'),
      }),
    );
    supervised.push(...mqttBoxes.map((boxId) => ({ boxId, heartbeatIntervalMs: site.broker.heartbeatIntervalMs })));
  }

  for (const t of transports) interlock.attach(t);
  // A transport that cannot start now (adapter unplugged at boot) keeps trying by itself;
  // it must never keep the others, or the link, from starting.
  await Promise.all(
    transports.map((t) =>
      t.start().catch((err: unknown) => log.error({ err, transport: t.id }, 'transport failed to start; it will keep retrying')),
    ),
  );
  interlock.restoreLatches();
  const supervisor = new HeartbeatSupervisor(supervised, interlock);
  supervisor.start();
  const link = new LinkServer(bridgeSocketPath(dataDir), store, interlock, componentLogger(root, 'link'));
  await link.start();
  log.info({ bridgeId: store.bridgeId, transports: transports.map((t) => t.id), boxes: site.alarmBoxes.length }, 'firmware bridge running');

  return {
    store,
    interlock,
    transports,
    async stop() {
      supervisor.stop();
      interlock.stop();
      await link.stop();
      await Promise.all(transports.map((t) => t.stop().catch(() => undefined)));
      store.close();
    },
  };
}
