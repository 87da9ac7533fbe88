// Video around an alarm: the stream hub (one ffmpeg per camera), warm streams with the last GOP
// for alarm-linked cameras, a pre-alarm buffer on each warm stream, a clip per linked camera on
// every alarm (30 s before the press to postSeconds after) attached to the incident, and the
// retention sweeper that keeps the box from filling up.
import type { Logger } from '../../common/logger.ts';
import { CodedError } from '../../common/coded-error.ts';
import type { SiteConfig } from '../../config/schema.ts';
import type { Secrets } from '../../config/secrets.ts';
import type { GatewayApp } from '../app/gateway-app.ts';
import type { Incident } from '../domain/incident.ts';
import { StreamHub, type StreamProfile } from '../streams/stream-hub.ts';
import { PreAlarmBuffer, feedBuffer } from '../evidence/pre-alarm-buffer.ts';
import { recordClip, clipAttachment } from '../evidence/clip-recorder.ts';
import { EvidenceRetention } from '../evidence/retention.ts';
import { EvidenceSettings, retentionLimits } from '../evidence/settings.ts';
import type { CameraFleet } from '../cameras/camera-fleet.ts';

export interface RunningVideo {
  hub: StreamHub;
  /** The camera's RTSP URI and account: its ONVIF backchannel for the intercom. */
  talkTarget(cameraId: string): Promise<{ uri: string; username: string; password: string }>;
  stop(): Promise<void>;
}

/** Camera profile for a stream profile: main = the first (largest), sub = the second if any. */
async function profileToken(fleet: CameraFleet, cameraId: string, profile: StreamProfile) {
  const cam = fleet.get(cameraId);
  if (!cam) throw new CodedError('STREAM_UNKNOWN_CAMERA', `no camera "${cameraId}"`);
  const profiles = await cam.profiles();
  const p = profile === 'sub' ? (profiles[1] ?? profiles[0]) : profiles[0];
  if (!p) throw new CodedError('STREAM_UNKNOWN_CAMERA', `camera "${cameraId}" has no media profile`);
  return { cam, p };
}

export function startVideo(site: SiteConfig, secrets: Secrets, fleet: CameraFleet, app: GatewayApp, root: Logger): RunningVideo {
  const logger = root.child({ component: 'video' });
  const resolveSource = async (cameraId: string, profile: StreamProfile) => {
    const creds = secrets.cameras[cameraId] ?? secrets.cameras['*'];
    if (!creds) throw new CodedError('STREAM_UNKNOWN_CAMERA', `no credentials for camera "${cameraId}"`);
    const { cam, p } = await profileToken(fleet, cameraId, profile);
    const uri = await cam.streamUri(p.token);
    return { uri, username: creds.username, password: creds.password, encoding: p.encoding === 'H265' ? ('H265' as const) : ('H264' as const) };
  };
  const hub = new StreamHub({ logger: root, resolveSource });
  const settings = EvidenceSettings.parse({
    preSeconds: site.video.evidence.preSeconds,
    postSeconds: site.video.evidence.postSeconds,
    retention: { maxAgeDays: site.video.evidence.maxAgeDays, maxTotalBytes: site.video.evidence.maxTotalBytes, minFreeBytes: site.video.evidence.minFreeBytes },
  });
  const profile = site.video.warmProfile;
  const linked = [...new Set(site.alarmBoxes.flatMap((b) => b.cameras.map((c) => c.camera)))];
  const warm = site.video.warm === 'linked' ? linked : [];
  const buffers = new Map<string, PreAlarmBuffer>();
  const unfeed: Array<() => void> = [];
  const aborter = new AbortController();
  const clips = new Set<Promise<unknown>>();
  const seen = new Set<string>(app.listIncidents({ open: true, limit: 500 }).map((i) => i.id));

  // Warm streams start once their camera is connected (the hub needs its stream URI).
  const warming = new Set<string>();
  const warmUp = (cameraId: string) => {
    if (!warm.includes(cameraId) || warming.has(cameraId)) return;
    warming.add(cameraId);
    void hub
      .setWarm([...warming], profile)
      .then(async () => {
        const { stream } = await hub.open(cameraId, profile);
        const buffer = new PreAlarmBuffer({ preSeconds: settings.preSeconds, maxBytes: settings.bufferMaxBytes });
        buffers.set(cameraId, buffer);
        unfeed.push(feedBuffer(stream, buffer));
        logger.info({ cameraId }, 'stream kept warm with a pre-alarm buffer');
      })
      .catch((err: unknown) => {
        warming.delete(cameraId);
        logger.warn({ err, cameraId }, 'could not keep the stream warm; will retry when the camera reconnects');
      });
  };
  const onHealth = (h: { cameraId: string; state: string }) => h.state === 'online' && warmUp(h.cameraId);
  fleet.on('health', onHealth);
  for (const { id, health } of fleet.list()) if (health.state === 'online') warmUp(id);

  const onIncident = (incident: Incident) => {
    if (!site.video.evidence.clips || seen.has(incident.id) || incident.kind === 'fault') return;
    seen.add(incident.id);
    const box = site.alarmBoxes.find((b) => b.id === incident.boxId);
    for (const { camera } of box?.cameras ?? []) {
      const job = hub
        .open(camera, profile)
        .then(({ stream, format }) => {
          if (format !== 'fmp4') throw new CodedError('EVIDENCE_UNSUPPORTED_FORMAT', 'clips are recorded from H.264 streams');
          return recordClip({ incidentId: incident.id, cameraId: camera, source: stream, buffer: buffers.get(camera) ?? null, postSeconds: settings.postSeconds, dataDir: site.gateway.dataDir, logger, signal: aborter.signal });
        })
        .then((clip) => {
          app.attach(clipAttachment(incident.id, camera, clip));
          logger.info({ incidentId: incident.id, cameraId: camera, preSeconds: clip.preSeconds, postSeconds: clip.postSeconds, complete: clip.complete }, 'alarm clip recorded');
        })
        .catch((err: unknown) => logger.warn({ err, incidentId: incident.id, cameraId: camera }, 'alarm clip failed'))
        .finally(() => clips.delete(job));
      clips.add(job);
    }
  };
  const onFeed = (m: { type: string; incident?: Incident }) => m.type === 'incident' && m.incident && onIncident(m.incident);
  app.on('feed', onFeed);

  const retention = new EvidenceRetention({
    dataDir: site.gateway.dataDir,
    limits: retentionLimits(settings.retention),
    logger,
    onSweep: (report) => logger.warn({ deleted: report.deleted.length, freedBytes: report.freedBytes, unmet: report.unmet }, 'evidence retention deleted old material'),
  });
  retention.start();

  return {
    hub,
    talkTarget: (cameraId) => resolveSource(cameraId, 'main'),
    async stop() {
      app.off('feed', onFeed);
      fleet.off('health', onHealth);
      aborter.abort();
      await Promise.allSettled([...clips]);
      for (const off of unfeed) off();
      await retention.stop();
      await hub.stop();
    },
  };
}
