// At the moment of an alarm, a snapshot from every camera linked to the box is stored on disk and
// attached to the incident: evidence even when nobody was watching live.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../common/logger.ts';
import type { SiteConfig } from '../../config/schema.ts';
import type { Incident } from '../domain/incident.ts';
import type { IncidentAttachment } from '../journal/journal.ts';
import type { CameraLookup } from './linked-camera.ts';

export const SNAPSHOT_TIMEOUT_MS = 5000;
const JPEG_MAGIC = Buffer.from([0xff, 0xd8]);

export class AlarmSnapshots {
  private readonly seen = new Set<string>();

  constructor(
    private readonly site: SiteConfig,
    private readonly dataDir: string,
    private readonly cameras: CameraLookup,
    private readonly attach: (a: Omit<IncidentAttachment, 'id'>) => void,
    private readonly logger: Logger,
  ) {}

  /** Marks incidents that were open before start, so a restart does not take new snapshots for them. */
  known(incidents: readonly Incident[]): void {
    for (const i of incidents) this.seen.add(i.id);
  }

  onIncident(incident: Incident): void {
    if (this.seen.has(incident.id) || incident.kind === 'fault') return;
    this.seen.add(incident.id);
    const box = this.site.alarmBoxes.find((b) => b.id === incident.boxId);
    for (const link of box?.cameras ?? []) void this.take(incident.id, link.camera);
  }

  private async take(incidentId: string, cameraId: string): Promise<void> {
    const cam = this.cameras(cameraId);
    if (!cam) return;
    const at = new Date().toISOString();
    try {
      const jpeg = await Promise.race([
        cam.snapshot(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('snapshot timed out')), SNAPSHOT_TIMEOUT_MS).unref()),
      ]);
      if (!jpeg.subarray(0, 2).equals(JPEG_MAGIC)) throw new Error('not a JPEG');
      const rel = join('snapshots', incidentId, `${cameraId}-${Date.parse(at)}.jpg`);
      await mkdir(join(this.dataDir, 'snapshots', incidentId), { recursive: true });
      await writeFile(join(this.dataDir, rel), jpeg);
      this.attach({ incidentId, cameraId, kind: 'snapshot', file: rel, bytes: jpeg.length, at });
    } catch (err) {
      this.logger.warn({ err, incidentId, cameraId }, 'alarm snapshot failed');
    }
  }
}
