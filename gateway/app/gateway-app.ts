// The gateway's centre: takes device events from the bridge link, commits them to the journal,
// and only then tells the feed. Holds the in-memory device views and the bridge status; carries
// people's incident actions and box commands. No HTTP here: the API is one client of this.
import { EventEmitter } from 'node:events';
import { CodedError } from '../../common/coded-error.ts';
import type { Logger } from '../../common/logger.ts';
import type { SiteConfig } from '../../config/schema.ts';
import type { BoxState, BridgeCommand, DeviceEvent } from '../../firmware-bridge/link/messages.ts';
import type { Journal } from '../journal/journal.ts';
import { foldDeviceEvent, initialDeviceView, initialDeviceViews, viewFromBoxState, type DeviceView } from '../domain/device-state.ts';
import type { CancelReason, Incident, IncidentAction } from '../domain/incident.ts';
import { can, type Permission, type Role } from '../domain/roles.ts';
import { mayActOnIncident } from '../domain/patrol-scope.ts';
import type { CameraView, LiveFeedMessage, Snapshot } from './feed-messages.ts';
import type { DeviceEventKind } from '../../firmware-bridge/link/messages.ts';
import type { IncidentAttachment } from '../journal/journal.ts';

/** Camera events are journalled as device events of this pseudo-bridge, with their own sequence. */
export const CAMERA_SOURCE = 'cameras';

export interface BridgeCommander {
  readonly connected: boolean;
  send(command: BridgeCommand): Promise<{ ok: boolean; code?: string; message?: string }>;
}

export interface Actor {
  username: string;
  role: Role;
  /** A patrol user's team (they act only on incidents dispatched to it); null otherwise. */
  team: string | null;
}

export interface GatewayAppOptions {
  site: SiteConfig;
  journal: Journal;
  commander: BridgeCommander;
  logger: Logger;
  now?: () => Date;
}

/** The centre's own view of its health; the API adds the host's figures (memory, disk). */
export interface Health {
  ok: boolean;
  now: string;
  startedAt: string;
  uptimeS: number;
  bridge: { connected: boolean };
  openIncidents: number;
  devices: { total: number; online: number; inAlarm: number };
  cameras: { total: number; online: number };
}

const CLOSED_IN_SNAPSHOT = 50;

export interface GatewayAppEvents {
  feed: [message: LiveFeedMessage];
}

export class GatewayApp extends EventEmitter<GatewayAppEvents> {
  readonly site: SiteConfig;
  private readonly journal: Journal;
  private readonly commander: BridgeCommander;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly devices: Map<string, DeviceView>;
  private bridgeConnected = false;
  private readonly cameras = new Map<string, CameraView>();
  private cameraSeq: number | null = null;
  private readonly startedAt: string;

  constructor(opts: GatewayAppOptions) {
    super();
    this.site = opts.site;
    this.journal = opts.journal;
    this.commander = opts.commander;
    this.logger = opts.logger;
    this.now = opts.now ?? (() => new Date());
    this.devices = initialDeviceViews(opts.site);
    this.startedAt = this.now().toISOString();
    // Many sockets listen; the default limit of 10 would warn about a leak that is not one.
    this.setMaxListeners(0);
  }

  /** Commits first, tells afterwards: nothing reaches a screen before it is on disk.
   * Returns false for a duplicate (already journalled) event. */
  ingestDeviceEvent(bridgeId: string, event: DeviceEvent): boolean {
    const result = this.journal.ingest(bridgeId, event);
    if (result.duplicate) return false;
    this.send({ type: 'device-event', event });
    if (event.boxId !== null && !event.kind.startsWith('camera-')) {
      const device = foldDeviceEvent(this.devices.get(event.boxId) ?? initialDeviceView(event.boxId), event);
      this.devices.set(event.boxId, device);
      this.send({ type: 'device', device });
    }
    for (const incident of result.incidents) {
      this.logger.warn({ incident: incident.id, boxId: incident.boxId, kind: incident.kind, priority: incident.priority, steps: incident.steps.length }, 'incident raised');
      this.send({ type: 'incident', incident });
    }
    return true;
  }

  lastSeq(bridgeId: string): number {
    return this.journal.lastSeq(bridgeId);
  }

  /** The bridge's own view of a box replaces ours: it owns the interlock. */
  updateBoxState(state: BoxState): void {
    const device = viewFromBoxState(state);
    this.devices.set(state.boxId, device);
    this.send({ type: 'device', device });
  }

  /** A camera's health or linkage state changed. */
  updateCamera(view: CameraView): void {
    this.cameras.set(view.cameraId, view);
    this.send({ type: 'camera', camera: view });
  }

  listCameras(): CameraView[] {
    return [...this.cameras.values()];
  }

  /** Motion, tamper, health of a camera: journalled like a box's events, then told. */
  recordCameraEvent(cameraId: string, kind: DeviceEventKind, detail: Record<string, unknown> = {}): boolean {
    this.cameraSeq = (this.cameraSeq ?? this.journal.lastSeq(CAMERA_SOURCE)) + 1;
    return this.ingestDeviceEvent(CAMERA_SOURCE, {
      seq: this.cameraSeq,
      at: this.now().toISOString(),
      kind,
      boxId: cameraId,
      source: 'onvif',
      boxEventId: null,
      detail: { cameraId, ...detail },
    });
  }

  /** A snapshot taken for an incident: on disk already; recorded, then told. */
  attach(attachment: Omit<IncidentAttachment, 'id'>): IncidentAttachment {
    const saved = this.journal.addAttachment(attachment);
    const { file: _file, ...shown } = saved;
    this.send({ type: 'attachment', attachment: shown });
    return saved;
  }

  listAttachments(incidentId: string): IncidentAttachment[] {
    return this.journal.listAttachments(incidentId);
  }

  setBridgeConnected(connected: boolean): void {
    if (connected === this.bridgeConnected) return;
    this.bridgeConnected = connected;
    this.logger[connected ? 'info' : 'warn']({ connected }, 'firmware bridge link');
    this.send({ type: 'bridge', connected });
  }

  private send(message: LiveFeedMessage): void {
    // A failing listener must not undo a commit or stop the next listener: log and go on.
    for (const listener of this.listeners('feed')) {
      try {
        (listener as (m: LiveFeedMessage) => void)(message);
      } catch (err) {
        this.logger.error({ err, type: message.type }, 'feed listener failed');
      }
    }
  }

  private require(actor: Actor, permission: Permission): void {
    if (!can(actor.role, permission)) throw new CodedError('FORBIDDEN', `role "${actor.role}" may not do ${permission}`);
  }

  private act(id: string, actor: Actor, permission: Permission, action: IncidentAction): Incident {
    this.require(actor, permission);
    // Checked inside the journal's transaction, against the incident as committed.
    const incident = this.journal.applyTransition(id, action, actor.username, (current) => {
      if (!mayActOnIncident(actor, current)) {
        throw new CodedError('FORBIDDEN', `incident "${id}" is not dispatched to your team`, { id });
      }
    });
    this.logger.info({ incident: id, action: action.action, by: actor.username, state: incident.state }, 'incident step');
    this.send({ type: 'incident', incident });
    return incident;
  }

  acknowledge(id: string, actor: Actor): Incident {
    return this.act(id, actor, 'incidents.acknowledge', { action: 'acknowledge' });
  }

  /** Dispatch goes to one of the site's patrol teams, by id. */
  dispatch(id: string, team: string, actor: Actor): Incident {
    this.require(actor, 'incidents.dispatch');
    if (!this.site.patrolTeams.some((t) => t.id === team)) {
      throw new CodedError('VALIDATION_FAILED', `team: "${team.slice(0, 48)}" is not a patrol team of this site`, { field: 'team' });
    }
    return this.act(id, actor, 'incidents.dispatch', { action: 'dispatch', team });
  }

  accept(id: string, actor: Actor): Incident {
    return this.act(id, actor, 'incidents.accept', { action: 'accept' });
  }

  enRoute(id: string, actor: Actor): Incident {
    return this.act(id, actor, 'incidents.en-route', { action: 'en-route' });
  }

  onScene(id: string, actor: Actor): Incident {
    return this.act(id, actor, 'incidents.on-scene', { action: 'on-scene' });
  }

  resolve(id: string, note: string, actor: Actor): Incident {
    return this.act(id, actor, 'incidents.resolve', { action: 'resolve', note });
  }

  close(id: string, note: string, actor: Actor): Incident {
    return this.act(id, actor, 'incidents.close', { action: 'close', note });
  }

  cancel(id: string, reason: CancelReason, note: string, actor: Actor): Incident {
    return this.act(id, actor, 'incidents.cancel', { action: 'cancel', reason, note });
  }

  listIncidents(opts: { open?: boolean; limit?: number }): Incident[] {
    return this.journal.listIncidents(opts);
  }

  getIncident(id: string): Incident {
    const incident = this.journal.getIncident(id);
    if (!incident) throw new CodedError('INCIDENT_NOT_FOUND', `no incident "${id}"`);
    return incident;
  }

  listDeviceEvents(opts: { boxId?: string; beforeId?: number; limit?: number }) {
    return this.journal.listDeviceEvents(opts);
  }

  listDevices(): DeviceView[] {
    return [...this.devices.values()];
  }

  private async command(boxId: string, command: BridgeCommand): Promise<void> {
    if (!this.site.alarmBoxes.some((b) => b.id === boxId)) throw new CodedError('BOX_NOT_FOUND', `no alarm box "${boxId}"`);
    if (!this.commander.connected) throw new CodedError('BRIDGE_UNAVAILABLE', 'the firmware bridge is not connected');
    const result = await this.commander.send(command);
    this.logger.info({ boxId, command: command.kind, by: command.by, ok: result.ok, code: result.code }, 'box command');
    if (!result.ok) throw new CodedError(result.code ?? 'BRIDGE_FAILED', result.message ?? 'the firmware bridge refused the command', { bridge: true });
  }

  async resetBox(boxId: string, actor: Actor): Promise<void> {
    this.require(actor, 'boxes.reset');
    await this.command(boxId, { kind: 'reset', boxId, by: actor.username });
  }

  async testBox(boxId: string, actor: Actor, durationMs: number): Promise<void> {
    this.require(actor, 'boxes.test');
    await this.command(boxId, { kind: 'test', boxId, by: actor.username, durationMs });
  }

  snapshot(): Snapshot {
    const open = this.journal.listIncidents({ open: true, limit: 500 });
    const closed = this.journal.listIncidents({ open: false, limit: CLOSED_IN_SNAPSHOT });
    return {
      site: { id: this.site.site.id, name: this.site.site.name, boxes: this.site.alarmBoxes.length },
      incidents: [...open, ...closed],
      devices: this.listDevices(),
      bridge: { connected: this.bridgeConnected },
      cameras: this.listCameras(),
    };
  }

  health(): Health {
    const devices = this.listDevices();
    const now = this.now();
    const cameras = this.listCameras();
    // Configured cameras that never reported count too; discovered ones are in the list.
    const cameraIds = new Set([...this.site.cameras.map((c) => c.id), ...cameras.map((c) => c.cameraId)]);
    return {
      ok: this.bridgeConnected,
      now: now.toISOString(),
      startedAt: this.startedAt,
      uptimeS: Math.max(0, Math.floor((now.getTime() - Date.parse(this.startedAt)) / 1000)),
      bridge: { connected: this.bridgeConnected },
      openIncidents: this.journal.listIncidents({ open: true, limit: 500 }).length,
      devices: { total: devices.length, online: devices.filter((d) => d.online).length, inAlarm: devices.filter((d) => d.latched).length },
      cameras: { total: cameraIds.size, online: cameras.filter((c) => c.state === 'online').length },
    };
  }
}
