// Rows ↔ Incident. Used only inside the Journal's transactions.
import type { Db } from './database.ts';
import type { CancelReason, Incident, IncidentKind, IncidentState, IncidentStep } from '../domain/incident.ts';
import type { PriorityColour } from '../../config/schema.ts';

interface IncidentRow {
  id: string;
  seq: number;
  box_id: string;
  kind: string;
  priority: string;
  state: string;
  opened_at: string;
}

interface StepRow {
  incident_id: string;
  action: string;
  at: string;
  by: string;
  note: string | null;
  team: string | null;
  reason: string | null;
}

function toStep(r: StepRow): IncidentStep {
  const step: IncidentStep = { action: r.action, at: r.at, by: r.by };
  if (r.note !== null) step.note = r.note;
  if (r.team !== null) step.team = r.team;
  if (r.reason !== null) step.reason = r.reason as CancelReason;
  return step;
}

export class IncidentStore {
  private readonly byId;
  private readonly stepsOf;
  private readonly insertRow;
  private readonly insertStepRow;
  private readonly updateState;
  private readonly maxSeq;

  constructor(private readonly db: Db) {
    this.byId = db.prepare<[string], IncidentRow>('SELECT * FROM incidents WHERE id = ?');
    this.stepsOf = db.prepare<[string], StepRow>('SELECT * FROM incident_steps WHERE incident_id = ? ORDER BY n');
    this.insertRow = db.prepare(
      'INSERT INTO incidents (id, seq, box_id, kind, priority, state, opened_at, opened_by_event, updated_at) VALUES (@id, @seq, @boxId, @kind, @priority, @state, @openedAt, @eventId, @updatedAt)',
    );
    this.insertStepRow = db.prepare(
      'INSERT INTO incident_steps (incident_id, n, action, at, by, note, team, reason) VALUES (?, (SELECT COUNT(*) FROM incident_steps WHERE incident_id = ?), ?, ?, ?, ?, ?, ?)',
    );
    this.updateState = db.prepare('UPDATE incidents SET state = ?, updated_at = ? WHERE id = ?');
    this.maxSeq = db.prepare<[], { s: number | null }>('SELECT MAX(seq) AS s FROM incidents');
  }

  nextSeq(): number {
    return (this.maxSeq.get()?.s ?? 0) + 1;
  }

  get(id: string): Incident | null {
    const row = this.byId.get(id);
    return row ? this.hydrate([row])[0]! : null;
  }

  /** Loads incidents for rows, with their steps. */
  hydrate(rows: IncidentRow[]): Incident[] {
    return rows.map((r) => ({
      id: r.id,
      seq: r.seq,
      boxId: r.box_id,
      kind: r.kind as IncidentKind,
      priority: r.priority as PriorityColour,
      state: r.state as IncidentState,
      openedAt: r.opened_at,
      steps: this.stepsOf.all(r.id).map(toStep),
    }));
  }

  query(sql: string, ...params: unknown[]): Incident[] {
    return this.hydrate(this.db.prepare<unknown[], IncidentRow>(sql).all(...params));
  }

  insert(incident: Incident, eventId: number | null, updatedAt: string): void {
    this.insertRow.run({ id: incident.id, seq: incident.seq, boxId: incident.boxId, kind: incident.kind, priority: incident.priority, state: incident.state, openedAt: incident.openedAt, eventId, updatedAt });
    for (const step of incident.steps) this.appendStep(incident.id, step);
  }

  appendStep(id: string, step: IncidentStep): void {
    this.insertStepRow.run(id, id, step.action, step.at, step.by, step.note ?? null, step.team ?? null, step.reason ?? null);
  }

  setState(id: string, state: IncidentState, updatedAt: string): void {
    this.updateState.run(state, updatedAt, id);
  }
}
