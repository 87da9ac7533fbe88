// The gateway's durable record. Every device event and every incident change is committed
// (fsync'd) before anyone is told about it; a duplicate delivery from the bridge's outbox is
// recognised by (bridge_id, seq) and changes nothing.
import type { Db } from './database.ts';
import { openDatabase } from './database.ts';
import { IncidentStore } from './incident-store.ts';
import { UserStore } from './user-store.ts';
import { SessionStore } from './session-store.ts';
import { CodedError } from '../../common/coded-error.ts';
import type { DeviceEvent } from '../../firmware-bridge/link/messages.ts';
import type { SiteConfig } from '../../config/schema.ts';
import { decideIncidentChanges } from '../domain/incident-rules.ts';
import { applyAction, sortIncidents, type Incident, type IncidentAction } from '../domain/incident.ts';
import { formatIncidentId, localDay } from '../domain/incident-id.ts';

export type IngestResult =
  | { duplicate: true }
  | { duplicate: false; eventId: number; incidents: Incident[] };

export interface StoredDeviceEvent {
  id: number;
  bridgeId: string;
  receivedAt: string;
  event: DeviceEvent;
}

export interface IncidentAttachment {
  id: number;
  incidentId: string;
  cameraId: string;
  kind: 'snapshot' | 'clip';
  /** Path relative to the data directory. */
  file: string;
  bytes: number;
  at: string;
}

export interface JournalOptions {
  file: string;
  site: SiteConfig;
  now?: () => Date;
}

/** The link already caps a line at 64 KiB; this guards the file against any other caller. */
export const MAX_EVENT_JSON_CHARS = 64 * 1024;

/** An oversized event is still recorded (never lose an alarm), with its detail replaced. */
function eventJson(event: DeviceEvent): string {
  const json = JSON.stringify(event);
  if (json.length <= MAX_EVENT_JSON_CHARS) return json;
  return JSON.stringify({ ...event, detail: { truncated: true, chars: json.length } });
}

const OPEN_SQL = "state NOT IN ('closed', 'cancelled')";
export const MAX_LIST_LIMIT = 500;

export class Journal {
  readonly db: Db;
  readonly users: UserStore;
  readonly sessions: SessionStore;
  private readonly incidents: IncidentStore;
  private readonly site: SiteConfig;
  private readonly now: () => Date;
  private readonly stmts;

  constructor(opts: JournalOptions) {
    this.db = openDatabase(opts.file);
    this.site = opts.site;
    this.now = opts.now ?? (() => new Date());
    this.incidents = new IncidentStore(this.db);
    this.users = new UserStore(this.db);
    this.sessions = new SessionStore(this.db);
    this.stmts = {
      insertEvent: this.db.prepare(
        'INSERT OR IGNORE INTO device_events (bridge_id, seq, at, kind, box_id, received_at, json) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      getKv: this.db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?'),
      setKv: this.db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      recentEvents: this.db.prepare<[number], { id: number; bridge_id: string; received_at: string; json: string }>(
        'SELECT id, bridge_id, received_at, json FROM device_events ORDER BY id DESC LIMIT ?',
      ),
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private kv(key: string): string | null {
    return this.stmts.getKv.get(key)?.value ?? null;
  }

  private setKv(key: string, value: string): void {
    this.stmts.setKv.run(key, value);
  }

  /** The highest seq of this bridge in the journal (0 if none): the bridge resends from there. */
  lastSeq(bridgeId: string): number {
    return Number(this.kv(`last-seq:${bridgeId}`) ?? 0);
  }

  private nextIncidentId(openedAt: string): string {
    const day = localDay(openedAt, this.site.site.timezone);
    const key = `incident-counter:${day}`;
    const n = Number(this.kv(key) ?? 0) + 1;
    this.setKv(key, String(n));
    return formatIncidentId(day, n);
  }

  /** Event, rules and incident changes in ONE transaction: all on disk, or none. */
  ingest(bridgeId: string, event: DeviceEvent): IngestResult {
    return this.db.transaction((): IngestResult => {
      const receivedAt = this.now().toISOString();
      const info = this.stmts.insertEvent.run(bridgeId, event.seq, event.at, event.kind, event.boxId, receivedAt, eventJson(event));
      if (info.changes === 0) return { duplicate: true };
      const eventId = Number(info.lastInsertRowid);
      if (event.seq > this.lastSeq(bridgeId)) this.setKv(`last-seq:${bridgeId}`, String(event.seq));

      const changed = new Map<string, Incident>();
      for (const change of decideIncidentChanges(event, this.site, this.loadOpenIncidents())) {
        if (change.type === 'open') {
          const incident: Incident = {
            id: this.nextIncidentId(change.openedAt),
            seq: this.incidents.nextSeq(),
            boxId: change.boxId,
            kind: change.kind,
            priority: change.priority,
            state: 'new',
            openedAt: change.openedAt,
            steps: [change.step],
          };
          this.incidents.insert(incident, eventId, receivedAt);
          changed.set(incident.id, incident);
        } else {
          this.incidents.appendStep(change.incidentId, change.step);
          const updated = this.incidents.get(change.incidentId);
          if (updated) changed.set(updated.id, updated);
        }
      }
      return { duplicate: false, eventId, incidents: sortIncidents([...changed.values()]) };
    }).immediate();
  }

  /** One person's action on an incident, checked by the domain's state machine, committed at once.
   * `guard` sees the incident as it is inside the transaction and may refuse (throw). */
  applyTransition(id: string, action: IncidentAction, by: string, guard?: (current: Incident) => void): Incident {
    return this.db.transaction((): Incident => {
      const current = this.incidents.get(id);
      if (!current) throw new CodedError('INCIDENT_NOT_FOUND', `no incident "${id}"`, { id });
      guard?.(current);
      const at = this.now().toISOString();
      const next = applyAction(current, action, at, by);
      this.incidents.setState(id, next.state, at);
      this.incidents.appendStep(id, next.steps[next.steps.length - 1]!);
      return next;
    }).immediate();
  }

  /** Every open incident, in alarm order. */
  loadOpenIncidents(): Incident[] {
    return sortIncidents(this.incidents.query(`SELECT * FROM incidents WHERE ${OPEN_SQL}`));
  }

  /** open=true: open ones in alarm order; open=false: closed/cancelled ones, newest first; neither: all, newest first. */
  listIncidents(opts: { open?: boolean; limit?: number } = {}): Incident[] {
    const limit = Math.max(1, Math.min(opts.limit ?? 100, MAX_LIST_LIMIT));
    if (opts.open === true) return this.loadOpenIncidents().slice(0, limit);
    const where = opts.open === false ? `WHERE NOT (${OPEN_SQL})` : '';
    return this.incidents.query(`SELECT * FROM incidents ${where} ORDER BY seq DESC LIMIT ?`, limit);
  }

  getIncident(id: string): Incident | null {
    return this.incidents.get(id);
  }

  addAttachment(a: Omit<IncidentAttachment, 'id'>): IncidentAttachment {
    const r = this.db
      .prepare('INSERT INTO incident_attachments (incident_id, camera_id, kind, file, bytes, at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(a.incidentId, a.cameraId, a.kind, a.file, a.bytes, a.at);
    return { ...a, id: Number(r.lastInsertRowid) };
  }

  listAttachments(incidentId: string): IncidentAttachment[] {
    return this.db
      .prepare<[string], { id: number; incident_id: string; camera_id: string; kind: 'snapshot'; file: string; bytes: number; at: string }>(
        'SELECT * FROM incident_attachments WHERE incident_id = ? ORDER BY id',
      )
      .all(incidentId)
      .map((r) => ({ id: r.id, incidentId: r.incident_id, cameraId: r.camera_id, kind: r.kind, file: r.file, bytes: r.bytes, at: r.at }));
  }

  /** Device events newest first, optionally of one box and before a journal id (for paging back). */
  listDeviceEvents(opts: { boxId?: string; beforeId?: number; limit?: number } = {}): StoredDeviceEvent[] {
    const n = Math.max(1, Math.min(opts.limit ?? 100, MAX_LIST_LIMIT));
    const rows = this.db
      .prepare<[string | null, string | null, number, number], { id: number; bridge_id: string; received_at: string; json: string }>(
        'SELECT id, bridge_id, received_at, json FROM device_events WHERE (? IS NULL OR box_id = ?) AND id < ? ORDER BY id DESC LIMIT ?',
      )
      .all(opts.boxId ?? null, opts.boxId ?? null, opts.beforeId ?? Number.MAX_SAFE_INTEGER, n);
    return rows.map((r) => ({ id: r.id, bridgeId: r.bridge_id, receivedAt: r.received_at, event: JSON.parse(r.json) as DeviceEvent }));
  }

  listRecentDeviceEvents(limit = 100): StoredDeviceEvent[] {
    const n = Math.max(1, Math.min(limit, MAX_LIST_LIMIT));
    return this.stmts.recentEvents.all(n).map((r) => ({ id: r.id, bridgeId: r.bridge_id, receivedAt: r.received_at, event: JSON.parse(r.json) as DeviceEvent }));
  }
}
