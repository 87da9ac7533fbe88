// Users as rows. Password hashes stay in this file and the auth service: nothing else reads them.
import type { Db } from './database.ts';
import type { Role } from '../domain/roles.ts';

export interface UserRecord {
  username: string;
  role: Role;
  /** A patrol user's team; null for every other role. */
  team: string | null;
  disabled: boolean;
  createdAt: string;
}

interface Row {
  username: string;
  role: string;
  password_hash: string;
  team: string | null;
  disabled: number;
  created_at: string;
}

const toRecord = (r: Row): UserRecord => ({
  username: r.username,
  role: r.role as Role,
  team: r.team ?? null,
  disabled: r.disabled !== 0,
  createdAt: r.created_at,
});

export class UserStore {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM users'),
      get: db.prepare<[string], Row>('SELECT * FROM users WHERE username = ?'),
      all: db.prepare<[], Row>('SELECT * FROM users ORDER BY username'),
      insert: db.prepare('INSERT INTO users (username, role, team, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, 0, ?)'),
      setRole: db.prepare('UPDATE users SET role = ?, team = ? WHERE username = ?'),
      setHash: db.prepare('UPDATE users SET password_hash = ? WHERE username = ?'),
      setDisabled: db.prepare('UPDATE users SET disabled = ? WHERE username = ?'),
    };
  }

  count(): number {
    return this.stmts.count.get()?.n ?? 0;
  }

  get(username: string): UserRecord | null {
    const row = this.stmts.get.get(username);
    return row ? toRecord(row) : null;
  }

  passwordHash(username: string): string | null {
    return this.stmts.get.get(username)?.password_hash ?? null;
  }

  list(): UserRecord[] {
    return this.stmts.all.all().map(toRecord);
  }

  /** False if the username is taken. */
  insert(username: string, role: Role, passwordHash: string, createdAt: string, team: string | null = null): boolean {
    try {
      this.stmts.insert.run(username, role, team, passwordHash, createdAt);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return false;
      throw err;
    }
  }

  setPasswordHash(username: string, hash: string): boolean {
    return this.stmts.setHash.run(hash, username).changes > 0;
  }

  setRole(username: string, role: Role, team: string | null): boolean {
    return this.stmts.setRole.run(role, team, username).changes > 0;
  }

  setDisabled(username: string, disabled: boolean): boolean {
    return this.stmts.setDisabled.run(disabled ? 1 : 0, username).changes > 0;
  }
}
