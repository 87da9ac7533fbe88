// Sessions as rows, keyed by sha256 of the token: a copy of the file gives no usable token.
import type { Db } from './database.ts';

export interface SessionRecord {
  tokenHash: string;
  username: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
}

interface Row {
  token_hash: string;
  username: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
}

const toRecord = (r: Row): SessionRecord => ({ tokenHash: r.token_hash, username: r.username, createdAt: r.created_at, lastUsedAt: r.last_used_at, expiresAt: r.expires_at });

export class SessionStore {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      insert: db.prepare('INSERT INTO sessions (token_hash, username, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?)'),
      get: db.prepare<[string], Row>('SELECT * FROM sessions WHERE token_hash = ?'),
      touch: db.prepare('UPDATE sessions SET last_used_at = ?, expires_at = ? WHERE token_hash = ?'),
      delete: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
      deleteUser: db.prepare('DELETE FROM sessions WHERE username = ?'),
      deleteExpired: db.prepare('DELETE FROM sessions WHERE expires_at < ?'),
    };
  }

  insert(s: SessionRecord): void {
    this.stmts.insert.run(s.tokenHash, s.username, s.createdAt, s.lastUsedAt, s.expiresAt);
  }

  get(tokenHash: string): SessionRecord | null {
    const row = this.stmts.get.get(tokenHash);
    return row ? toRecord(row) : null;
  }

  touch(tokenHash: string, lastUsedAt: string, expiresAt: string): void {
    this.stmts.touch.run(lastUsedAt, expiresAt, tokenHash);
  }

  delete(tokenHash: string): boolean {
    return this.stmts.delete.run(tokenHash).changes > 0;
  }

  deleteForUser(username: string): number {
    return this.stmts.deleteUser.run(username).changes;
  }

  deleteExpired(nowIso: string): number {
    return this.stmts.deleteExpired.run(nowIso).changes;
  }
}
