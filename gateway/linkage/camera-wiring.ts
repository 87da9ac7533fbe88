// Wires the camera fleet into the gateway: health and events become journalled camera events and
// feed messages; incidents drive PTZ linkage and alarm snapshots; operators get manual control.
import type { Logger } from '../../common/logger.ts';
import type { SiteConfig } from '../../config/schema.ts';
import type { Secrets } from '../../config/secrets.ts';
import type { DeviceEventKind } from '../../firmware-bridge/link/messages.ts';
import { CameraFleet } from '../cameras/camera-fleet.ts';
import type { GatewayApp } from '../app/gateway-app.ts';
import type { CameraView } from '../app/feed-messages.ts';
import type { DomeView } from '../domain/ptz-linkage.ts';
import { PtzLinkageRunner } from './ptz-linkage-runner.ts';
import { AlarmSnapshots } from './alarm-snapshots.ts';
import { CameraControl } from './camera-control.ts';
import type { LinkedCamera } from './linked-camera.ts';

interface HealthEvent {
  cameraId: string;
  state: CameraView['state'];
  since: string;
  reason?: string;
}

interface CameraEvent {
  cameraId: string;
  topic: 'motion' | 'tamper' | 'other';
  active: boolean;
  at: string;
  onvifTopic?: string;
}

const HEALTH_EVENT: Partial<Record<CameraView['state'], DeviceEventKind>> = {
  online: 'camera-online',
  offline: 'camera-offline',
  'auth-failed': 'camera-auth-failed',
};

export interface RunningCameras {
  control: CameraControl;
  fleet: CameraFleet;
  stop(): Promise<void>;
}

export function startCameras(site: SiteConfig, secrets: Secrets, app: GatewayApp, root: Logger): RunningCameras {
  const logger = root.child({ component: 'cameras' });
  const fleet = new CameraFleet({
    cameras: site.cameras,
    credentials: (id) => secrets.cameras[id] ?? null,
    discovery: site.discovery,
    adoptWith: secrets.cameras['*'] ?? null,
    logger: root,
  });
  const lookup = (id: string): LinkedCamera | undefined => fleet.get(id);
  const views = new Map<string, CameraView>();
  for (const c of site.cameras) views.set(c.id, { cameraId: c.id, kind: c.kind, state: 'connecting', since: new Date().toISOString() });

  const toPtz = (v: DomeView): CameraView['ptz'] => ({
    serving: v.serving,
    phase: v.phase,
    manual: v.manual ? { by: v.manual.by, until: new Date(v.manual.untilMs).toISOString() } : null,
  });
  const runner = new PtzLinkageRunner(site, lookup, root.child({ component: 'ptz-linkage' }), (cameraId, dome) => {
    const view = views.get(cameraId);
    if (!view) return;
    view.ptz = toPtz(dome);
    app.updateCamera({ ...view });
  });
  const snapshots = new AlarmSnapshots(site, site.gateway.dataDir, lookup, (a) => app.attach(a), root.child({ component: 'alarm-snapshots' }));

  fleet.on('health', (h: HealthEvent) => {
    const view = views.get(h.cameraId);
    if (!view) return;
    const changed = view.state !== h.state;
    Object.assign(view, { state: h.state, since: h.since, reason: h.reason });
    const dome = runner.view(h.cameraId);
    if (dome) view.ptz = toPtz(dome);
    app.updateCamera({ ...view });
    const kind = HEALTH_EVENT[h.state];
    if (changed && kind) app.recordCameraEvent(h.cameraId, kind, h.reason ? { reason: h.reason } : {});
  });
  fleet.on('event', (e: CameraEvent) => {
    if (e.topic === 'other') return;
    const kind: DeviceEventKind = e.topic === 'motion' ? (e.active ? 'camera-motion' : 'camera-motion-end') : e.active ? 'camera-tamper' : 'camera-tamper-end';
    app.recordCameraEvent(e.cameraId, kind, { cameraAt: e.at, onvifTopic: e.onvifTopic });
  });
  fleet.on('adopted', (c: { id: string; kind: 'ptz' | 'fixed' }) => {
    const view: CameraView = { cameraId: c.id, kind: c.kind, state: 'connecting', since: new Date().toISOString() };
    views.set(c.id, view);
    app.updateCamera({ ...view });
  });
  fleet.on('discovered', (d: { endpoint: string; xaddrs: string[] }) => logger.info({ endpoint: d.endpoint, xaddrs: d.xaddrs }, 'camera discovered that is not in the site file'));

  const open = app.listIncidents({ open: true, limit: 500 });
  snapshots.known(open);
  const onFeed = (m: { type: string; incident?: import('../domain/incident.ts').Incident }) => {
    if (m.type !== 'incident' || !m.incident) return;
    runner.onIncident(m.incident);
    snapshots.onIncident(m.incident);
  };
  app.on('feed', onFeed);
  for (const [, view] of views) app.updateCamera({ ...view });
  void fleet.start();
  runner.start(open);

  return {
    control: new CameraControl(site, lookup, runner),
    fleet,
    async stop() {
      app.off('feed', onFeed);
      runner.stop();
      await fleet.stop();
    },
  };
}
