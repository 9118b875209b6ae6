// Users, their sessions and failed sign-ins on SQLite.
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ConflictError, NotFoundError } from '../../model/errors.ts';
import { newId } from '../../model/ids.ts';
import type { InterfaceLanguage, NewUser, SessionRecord, User, UserRole, UserStore } from '../../model/users.ts';
import { stmt } from './statements.ts';

interface Row {
  id: string;
  email: string;
  name: string;
  role: string;
  subscriber_id: string | null;
  language: string;
  active: number;
  must_change_password: number;
  created_at: string;
  updated_at: string;
}

const toUser = (r: Row): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role as UserRole,
  subscriberId: r.subscriber_id,
  language: r.language as InterfaceLanguage,
  active: r.active === 1,
  mustChangePassword: r.must_change_password === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const COLUMNS = 'id, email, name, role, subscriber_id, language, active, must_change_password, created_at, updated_at';

export class SqliteUserStore implements UserStore {
  constructor(private readonly db: Database.Database) {}

  /** Inserts a user; the e-mail is kept lowercased. */
  async create(u: NewUser, now = new Date()): Promise<User> {
    const id = newId(now.getTime());
    const at = now.toISOString();
    try {
      stmt(
        this.db,
        `INSERT INTO users (id, email, name, role, subscriber_id, language, password_hash, active, must_change_password, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
      ).run(id, u.email.trim().toLowerCase(), u.name, u.role, u.subscriberId ?? null, u.language ?? 'en', u.passwordHash, u.mustChangePassword ? 1 : 0, at, at);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
        throw new ConflictError(`a user with the e-mail ${u.email.trim().toLowerCase()} already exists`);
      throw e;
    }
    return (await this.get(id))!;
  }

  async get(id: string): Promise<User | null> {
    const r = stmt(this.db, `SELECT ${COLUMNS} FROM users WHERE id = ?`).get(id) as Row | undefined;
    return r ? toUser(r) : null;
  }

  async getByEmail(email: string): Promise<User | null> {
    const r = stmt(this.db, `SELECT ${COLUMNS} FROM users WHERE email = ?`).get(email.trim().toLowerCase()) as Row | undefined;
    return r ? toUser(r) : null;
  }

  async passwordHash(id: string): Promise<string | null> {
    const r = stmt(this.db, `SELECT password_hash FROM users WHERE id = ?`).get(id) as { password_hash: string } | undefined;
    return r?.password_hash ?? null;
  }

  /** Staff (no subscriber) or one subscriber's seats, by e-mail. */
  async list(filter: { subscriberId?: string | null; staff?: boolean } = {}): Promise<User[]> {
    if (filter.staff) return (stmt(this.db, `SELECT ${COLUMNS} FROM users WHERE subscriber_id IS NULL ORDER BY email`).all() as Row[]).map(toUser);
    if (filter.subscriberId)
      return (stmt(this.db, `SELECT ${COLUMNS} FROM users WHERE subscriber_id = ? ORDER BY email`).all(filter.subscriberId) as Row[]).map(toUser);
    return (stmt(this.db, `SELECT ${COLUMNS} FROM users ORDER BY email`).all() as Row[]).map(toUser);
  }

  async update(id: string, change: Partial<Pick<User, 'name' | 'role' | 'language' | 'active' | 'mustChangePassword'>>, now = new Date()): Promise<User> {
    const current = await this.get(id);
    if (!current) throw new NotFoundError(`no user ${id}`);
    const next = { ...current, ...change };
    stmt(this.db, `UPDATE users SET name = ?, role = ?, language = ?, active = ?, must_change_password = ?, updated_at = ? WHERE id = ?`).run(
      next.name,
      next.role,
      next.language,
      next.active ? 1 : 0,
      next.mustChangePassword ? 1 : 0,
      now.toISOString(),
      id,
    );
    return (await this.get(id))!;
  }

  async setPassword(id: string, hash: string, mustChange: boolean, now = new Date()): Promise<User> {
    const r = stmt(this.db, `UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE id = ?`).run(
      hash,
      mustChange ? 1 : 0,
      now.toISOString(),
      id,
    );
    if (r.changes !== 1) throw new NotFoundError(`no user ${id}`);
    return (await this.get(id))!;
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const r = stmt(this.db, `SELECT id, user_id, data, created_at, last_seen_at FROM sessions WHERE id = ?`).get(id) as
      | { id: string; user_id: string | null; data: string; created_at: string; last_seen_at: string }
      | undefined;
    return r ? { id: r.id, userId: r.user_id, data: r.data, createdAt: r.created_at, lastSeenAt: r.last_seen_at } : null;
  }

  async saveSession(s: { id: string; userId: string | null; data: string }, now = new Date()): Promise<void> {
    const at = now.toISOString();
    stmt(
      this.db,
      `INSERT INTO sessions (id, user_id, data, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, last_seen_at = excluded.last_seen_at`,
    ).run(s.id, s.userId, s.data, at, at);
  }

  async touchSession(id: string, now = new Date()): Promise<void> {
    stmt(this.db, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`).run(now.toISOString(), id);
  }

  async deleteSession(id: string): Promise<void> {
    stmt(this.db, `DELETE FROM sessions WHERE id = ?`).run(id);
  }

  async deleteSessionsOf(userId: string): Promise<number> {
    return stmt(this.db, `DELETE FROM sessions WHERE user_id = ?`).run(userId).changes;
  }

  async pruneSessions(idleBefore: Date, createdBefore: Date): Promise<number> {
    return stmt(this.db, `DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?`).run(idleBefore.toISOString(), createdBefore.toISOString()).changes;
  }

  async recordFailedSignIn(keys: string[], now = new Date()): Promise<void> {
    const insert = stmt(this.db, `INSERT INTO sign_in_failures (key, at) VALUES (?, ?)`);
    const at = now.toISOString();
    this.db.transaction(() => {
      for (const k of keys) insert.run(k, at);
      // Failures older than a day say nothing about any window we count in.
      stmt(this.db, `DELETE FROM sign_in_failures WHERE at < ?`).run(new Date(now.getTime() - 86_400_000).toISOString());
    })();
  }

  async countFailedSignIns(key: string, since: Date): Promise<number> {
    return (stmt(this.db, `SELECT count(*) AS n FROM sign_in_failures WHERE key = ? AND at >= ?`).get(key, since.toISOString()) as { n: number }).n;
  }

  async clearFailedSignIns(key: string): Promise<void> {
    stmt(this.db, `DELETE FROM sign_in_failures WHERE key = ?`).run(key);
  }

  async sessionSecret(): Promise<string> {
    stmt(this.db, `INSERT OR IGNORE INTO secrets (name, value) VALUES ('session', ?)`).run(randomBytes(32).toString('base64url'));
    return (stmt(this.db, `SELECT value FROM secrets WHERE name = 'session'`).get() as { value: string }).value;
  }
}
