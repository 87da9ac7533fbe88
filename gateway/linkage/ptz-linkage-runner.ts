// Runs the PTZ linkage rules against real domes: turns them on alarm, dwells, scans (the
// camera's own preset tour where it has one, else our loop over configured presets), sends them
// home when the alarm closes, and yields to an operator who takes a dome by hand.
import type { Logger } from '../../common/logger.ts';
import type { CameraConfig, SiteConfig } from '../../config/schema.ts';
import { PtzLinkage, type LinkageAction, type DomeView } from '../domain/ptz-linkage.ts';
import { isOpen, type Incident } from '../domain/incident.ts';
import type { CameraLookup } from './linked-camera.ts';

export const MANUAL_HOLD_MS = 5 * 60 * 1000;

interface Scan {
  incidentId: string;
  tour: string | null;
  timer: NodeJS.Timeout | null;
  step: number;
}

export class PtzLinkageRunner {
  private readonly linkage: PtzLinkage;
  private readonly domes: Map<string, CameraConfig>;
  private readonly known = new Map<string, boolean>();
  private readonly dwellTimers = new Map<string, NodeJS.Timeout>();
  private readonly scans = new Map<string, Scan>();
  private expiry: NodeJS.Timeout | null = null;

  constructor(
    private readonly site: SiteConfig,
    private readonly cameras: CameraLookup,
    private readonly logger: Logger,
    private readonly onChange: (cameraId: string, view: DomeView) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.domes = new Map(site.cameras.filter((c) => c.kind === 'ptz').map((c) => [c.id, c]));
    this.linkage = new PtzLinkage([...this.domes.values()].map((c) => ({ cameraId: c.id, dwellMs: c.scan.dwellMs })));
  }

  start(openIncidents: readonly Incident[]): void {
    // After a restart, domes go back to the alarms still open.
    for (const incident of openIncidents) this.onIncident(incident);
    this.expiry = setInterval(() => this.run(this.linkage.expireManual(this.now())), 1000);
    this.expiry.unref();
  }

  stop(): void {
    if (this.expiry) clearInterval(this.expiry);
    for (const t of this.dwellTimers.values()) clearTimeout(t);
    for (const s of this.scans.values()) if (s.timer) clearTimeout(s.timer);
    this.dwellTimers.clear();
    this.scans.clear();
  }

  /** Every incident change from the app's feed: opens and closes drive the domes. */
  onIncident(incident: Incident): void {
    const wasOpen = this.known.get(incident.id);
    const open = isOpen(incident.state);
    this.known.set(incident.id, open);
    if (open && wasOpen === undefined) {
      const box = this.site.alarmBoxes.find((b) => b.id === incident.boxId);
      const links = (box?.cameras ?? []).filter((l) => l.preset !== undefined && this.domes.has(l.camera)).map((l) => ({ cameraId: l.camera, preset: l.preset! }));
      if (links.length > 0) this.run(this.linkage.alarmOpened({ incidentId: incident.id, priority: incident.priority, openedAt: incident.openedAt, seq: incident.seq }, links));
    } else if (!open && wasOpen === true) {
      this.run(this.linkage.alarmClosed(incident.id));
    }
  }

  isDome(cameraId: string): boolean {
    return this.domes.has(cameraId);
  }

  view(cameraId: string): DomeView | null {
    return this.linkage.view(cameraId);
  }

  /** An operator takes the dome: linkage stops moving it until release or the hold expires. */
  take(cameraId: string, by: string, holdMs = MANUAL_HOLD_MS): void {
    this.linkage.takeManual(cameraId, by, this.now(), holdMs);
    this.stopScan(cameraId);
    this.changed(cameraId);
  }

  release(cameraId: string): void {
    this.run(this.linkage.releaseManual(cameraId));
    this.changed(cameraId);
  }

  private run(actions: LinkageAction[]): void {
    for (const a of actions) {
      switch (a.kind) {
        case 'goto-preset': {
          this.stopScan(a.cameraId);
          const cam = this.cameras(a.cameraId);
          // The hot path: the GotoPreset request goes out now, before anything else.
          cam?.gotoPreset(a.preset).catch((err: unknown) => this.logger.warn({ err, cameraId: a.cameraId, preset: a.preset, incident: a.incidentId }, 'dome did not go to the preset'));
          this.logger.info({ cameraId: a.cameraId, preset: a.preset, incident: a.incidentId }, 'dome turned to alarm');
          break;
        }
        case 'schedule-scan': {
          clearTimeout(this.dwellTimers.get(a.cameraId));
          this.dwellTimers.set(
            a.cameraId,
            setTimeout(() => {
              this.dwellTimers.delete(a.cameraId);
              this.run(this.linkage.dwellElapsed(a.cameraId, a.incidentId));
            }, a.afterMs),
          );
          break;
        }
        case 'start-scan':
          void this.startScan(a.cameraId, a.incidentId);
          break;
        case 'go-home': {
          clearTimeout(this.dwellTimers.get(a.cameraId));
          this.stopScan(a.cameraId);
          this.cameras(a.cameraId)?.gotoHome().catch((err: unknown) => this.logger.warn({ err, cameraId: a.cameraId }, 'dome did not go home'));
          break;
        }
        case 'log':
          this.logger.info({ cameraId: a.cameraId, incident: a.incidentId }, a.message);
          break;
      }
      this.changed(a.cameraId);
    }
  }

  private async startScan(cameraId: string, incidentId: string): Promise<void> {
    const cam = this.cameras(cameraId);
    const config = this.domes.get(cameraId);
    if (!cam || !config) return;
    const scan: Scan = { incidentId, tour: null, timer: null, step: 0 };
    this.scans.set(cameraId, scan);
    if (config.scan.useCameraTour) {
      const tours = await cam.presetTours().catch(() => []);
      if (this.scans.get(cameraId) !== scan) return;
      const tour = tours[0];
      if (tour) {
        scan.tour = tour.token;
        await cam.startPresetTour(tour.token).catch((err: unknown) => this.logger.warn({ err, cameraId }, 'preset tour did not start'));
        this.logger.info({ cameraId, incident: incidentId, tour: tour.token }, 'dome scanning with its own preset tour');
        return;
      }
    }
    const presets = config.scan.presets;
    if (presets.length === 0) return;
    this.logger.info({ cameraId, incident: incidentId, presets }, 'dome scanning its configured presets');
    const step = () => {
      if (this.scans.get(cameraId) !== scan) return;
      const preset = presets[scan.step % presets.length]!;
      scan.step += 1;
      cam.gotoPreset(preset).catch((err: unknown) => this.logger.warn({ err, cameraId, preset }, 'scan step failed'));
      scan.timer = setTimeout(step, config.scan.stepMs);
    };
    step();
  }

  private stopScan(cameraId: string): void {
    const scan = this.scans.get(cameraId);
    if (!scan) return;
    this.scans.delete(cameraId);
    if (scan.timer) clearTimeout(scan.timer);
    if (scan.tour) this.cameras(cameraId)?.stopPresetTour(scan.tour).catch(() => undefined);
  }

  private changed(cameraId: string): void {
    const v = this.linkage.view(cameraId);
    if (v) this.onChange(cameraId, v);
  }
}
