// The bridge's own durable memory: an outbox of device events not yet in the gateway's journal,
// the latch of every box, and the recent event ids of each box (to recognise retransmissions).
// SQLite in WAL mode with synchronous=FULL: a committed event survives kill -9 and power loss.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DeviceEvent } from '../link/messages.ts';

export type NewDeviceEvent = Omit<DeviceEvent, 'seq'>;

export interface LatchRow {
  boxId: string;
  latched: boolean;
  strobe: boolean;
  siren: boolean;
  since: string | null;
}

/** How many event ids per box are remembered for duplicate detection. */
const SEEN_PER_BOX = 256;

export class BridgeStore {
  private readonly db: Database.Database;
  readonly bridgeId: string;
  private readonly stmts;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, json TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS latches (box_id TEXT PRIMARY KEY, latched INTEGER NOT NULL, strobe INTEGER NOT NULL, siren INTEGER NOT NULL, since TEXT);
      CREATE TABLE IF NOT EXISTS seen (box_id TEXT NOT NULL, event_id INTEGER NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (box_id, event_id));
    `);
    const existing = this.db.prepare('SELECT value FROM meta WHERE key = ?').get('bridge_id') as { value: string } | undefined;
    if (existing) {
      this.bridgeId = existing.value;
    } else {
      this.bridgeId = randomUUID();
      this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('bridge_id', this.bridgeId);
    }
    this.stmts = {
      insertEvent: this.db.prepare('INSERT INTO outbox (json) VALUES (?)'),
      pending: this.db.prepare('SELECT seq, json FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?'),
      deleteUpTo: this.db.prepare('DELETE FROM outbox WHERE seq <= ?'),
      lastSeq: this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'"),
      upsertLatch: this.db.prepare(
        'INSERT INTO latches (box_id, latched, strobe, siren, since) VALUES (@boxId, @latched, @strobe, @siren, @since) ' +
          'ON CONFLICT(box_id) DO UPDATE SET latched = excluded.latched, strobe = excluded.strobe, siren = excluded.siren, since = excluded.since',
      ),
      latches: this.db.prepare('SELECT box_id, latched, strobe, siren, since FROM latches'),
      latestSeen: this.db.prepare('SELECT event_id FROM seen WHERE box_id = ? ORDER BY at DESC, rowid DESC LIMIT 1'),
      forgetSeen: this.db.prepare('DELETE FROM seen WHERE box_id = ? AND event_id = ?'),
      markSeen: this.db.prepare('INSERT INTO seen (box_id, event_id, at) VALUES (?, ?, ?)'),
      trimSeen: this.db.prepare(
        'DELETE FROM seen WHERE box_id = ? AND event_id NOT IN (SELECT event_id FROM seen WHERE box_id = ? ORDER BY at DESC, rowid DESC LIMIT ?)',
      ),
    };
  }

  /**
   * Records events (and optionally a latch change) in one durable transaction. If the events
   * carry the box event id recorded last for that box, nothing is written and null is returned:
   * a retransmission. Boxes send one event at a time, in order, so only the latest event can be
   * repeated; an older counter coming back means the box's counter went back (a factory reset, a
   * spare put in) and is a new event, never dropped.
   */
  record(events: NewDeviceEvent[], opts: { dedup?: { boxId: string; eventId: number }; latch?: LatchRow } = {}): DeviceEvent[] | null {
    const tx = this.db.transaction((): DeviceEvent[] | null => {
      if (opts.dedup) {
        const { boxId, eventId } = opts.dedup;
        if (this.isRetransmission(boxId, eventId)) return null;
        this.stmts.forgetSeen.run(boxId, eventId);
        this.stmts.markSeen.run(boxId, eventId, Date.now());
        this.stmts.trimSeen.run(boxId, boxId, SEEN_PER_BOX);
      }
      if (opts.latch) this.writeLatch(opts.latch);
      return events.map((e) => {
        // seq is only known after insert; store the JSON without it and add it on read.
        const r = this.stmts.insertEvent.run(JSON.stringify(e));
        return { ...e, seq: Number(r.lastInsertRowid) };
      });
    });
    return tx();
  }

  /** Whether this is the event the box sent last, repeated (see record()). */
  isRetransmission(boxId: string, eventId: number): boolean {
    const row = this.stmts.latestSeen.get(boxId) as { event_id: number } | undefined;
    return row !== undefined && row.event_id === eventId;
  }

  private writeLatch(l: LatchRow): void {
    this.stmts.upsertLatch.run({ boxId: l.boxId, latched: l.latched ? 1 : 0, strobe: l.strobe ? 1 : 0, siren: l.siren ? 1 : 0, since: l.since });
  }

  latches(): LatchRow[] {
    return (this.stmts.latches.all() as Array<{ box_id: string; latched: number; strobe: number; siren: number; since: string | null }>).map((r) => ({
      boxId: r.box_id,
      latched: r.latched === 1,
      strobe: r.strobe === 1,
      siren: r.siren === 1,
      since: r.since,
    }));
  }

  pending(afterSeq: number, limit = 500): DeviceEvent[] {
    return (this.stmts.pending.all(afterSeq, limit) as Array<{ seq: number; json: string }>).map((r) => ({
      ...(JSON.parse(r.json) as NewDeviceEvent),
      seq: r.seq,
    }));
  }

  /** The gateway has everything up to seq in its own journal. */
  acknowledge(seq: number): void {
    this.stmts.deleteUpTo.run(seq);
  }

  lastSeq(): number {
    const row = this.stmts.lastSeq.get() as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  close(): void {
    this.db.close();
  }
}
