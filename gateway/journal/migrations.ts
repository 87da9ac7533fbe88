// Schema migrations, numbered by PRAGMA user_version. Append new steps; never edit old ones.
import type Database from 'better-sqlite3';

const STEPS: string[] = [
  `
  CREATE TABLE device_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bridge_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    box_id TEXT,
    received_at TEXT NOT NULL,
    json TEXT NOT NULL,
    UNIQUE (bridge_id, seq)
  );
  CREATE INDEX device_events_box ON device_events (box_id, id);

  CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    box_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    priority TEXT NOT NULL,
    state TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    opened_by_event INTEGER REFERENCES device_events (id),
    updated_at TEXT NOT NULL
  );
  CREATE INDEX incidents_state ON incidents (state);
  CREATE INDEX incidents_opened ON incidents (opened_at, seq);

  CREATE TABLE incident_steps (
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    n INTEGER NOT NULL,
    action TEXT NOT NULL,
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    note TEXT,
    team TEXT,
    reason TEXT,
    PRIMARY KEY (incident_id, n)
  );

  CREATE TABLE users (
    username TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );

  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES users (username),
    created_at TEXT NOT NULL,
    last_used_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions (username);

  CREATE TABLE kv (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  `
  -- Evidence linked to an incident: a snapshot from each linked camera at the moment of the alarm.
  CREATE TABLE incident_attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    camera_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    file TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX incident_attachments_incident ON incident_attachments (incident_id, id);
  `,
  `
  -- A patrol user's team (a patrolTeams id of the site file); NULL for every other role.
  ALTER TABLE users ADD COLUMN team TEXT;
  `,
];

export const SCHEMA_VERSION = STEPS.length;

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new Error(`journal schema ${current} is newer than this gateway (${SCHEMA_VERSION})`);
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(STEPS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
