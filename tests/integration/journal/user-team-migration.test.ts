// The team column arrives by a new migration: a journal written by the previous version (schema 2)
// opens with its users intact, each with no team, and patrol users can be given one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Journal } from '../../../gateway/journal/journal.ts';
import { SCHEMA_VERSION } from '../../../gateway/journal/migrations.ts';
import { site } from '../../unit/domain/fixtures.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'journal-team-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('users.team migration', () => {
  it('a schema-2 journal gains the team column; its users keep everything and have no team', () => {
    const file = join(dir, 'gateway.db');
    // Make today's schema, then turn it back into version 2 as the previous gateway left it.
    new Journal({ file, site }).close();
    const old = new Database(file);
    old.exec('ALTER TABLE users DROP COLUMN team');
    old.pragma('user_version = 2');
    old.prepare("INSERT INTO users (username, role, password_hash, disabled, created_at) VALUES ('pat', 'patrol', 'h', 1, '2026-01-01T00:00:00.000Z')").run();
    old.close();

    const j = new Journal({ file, site });
    try {
      expect(SCHEMA_VERSION).toBe(3);
      expect(j.db.pragma('user_version', { simple: true })).toBe(3);
      expect(j.users.get('pat')).toEqual({ username: 'pat', role: 'patrol', team: null, disabled: true, createdAt: '2026-01-01T00:00:00.000Z' });
      expect(j.users.passwordHash('pat')).toBe('h');
      expect(j.users.setRole('pat', 'patrol', 'team-east')).toBe(true);
      expect(j.users.get('pat')?.team).toBe('team-east');
    } finally {
      j.close();
    }
  });
});
