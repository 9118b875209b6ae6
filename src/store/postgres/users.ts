// UserStore on PostgreSQL (the SQLite twin: ../sqlite/users.ts): users, their sessions (shared by every
// node, so ending one takes effect everywhere at once), failed sign-ins and the session secret.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { ConflictError, NotFoundError } from '../../model/errors.ts';
import { newId } from '../../model/ids.ts';
import type { InterfaceLanguage, NewUser, SessionRecord, User, UserRole, UserStore } from '../../model/users.ts';
import { readWith, writeWith } from './database.ts';
import { isUniqueViolation } from './saved-searches.ts';

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

interface SessionRow {
  id: string;
  user_id: string | null;
  data: string;
  created_at: string;
  last_seen_at: string;
}

/** How long a failure counts for anything: older ones say nothing about any window we count in. */
const FAILURE_MEMORY_MS = 86_400_000;

export function pgUserStore(pool: pg.Pool): UserStore {
  const one = async (doing: string, text: string, args: unknown[]): Promise<User | null> =>
    readWith(doing, async () => {
      const r = await pool.query<Row>(text, args);
      return r.rows[0] ? toUser(r.rows[0]) : null;
    });
  const many = async (text: string, args: unknown[] = []): Promise<User[]> =>
    readWith('listing users', async () => (await pool.query<Row>(text, args)).rows.map(toUser));

  return {
    /** Inserts a user; the e-mail is kept lowercased. */
    async create(u: NewUser, now = new Date()): Promise<User> {
      const id = newId(now.getTime());
      const at = now.toISOString();
      const email = u.email.trim().toLowerCase();
      return writeWith(pool, 'creating a user', async (sql) => {
        try {
          const r = await sql.query<Row>(
            `INSERT INTO users (id, email, name, role, subscriber_id, language, password_hash, active, must_change_password, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10) RETURNING ${COLUMNS}`,
            [id, email, u.name, u.role, u.subscriberId ?? null, u.language ?? 'en', u.passwordHash, u.mustChangePassword ? 1 : 0, at, at],
          );
          return toUser(r.rows[0]);
        } catch (e) {
          if (isUniqueViolation(e)) throw new ConflictError(`a user with the e-mail ${email} already exists`);
          throw e;
        }
      });
    },

    async get(id: string): Promise<User | null> {
      return one('reading a user', `SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    },

    async getByEmail(email: string): Promise<User | null> {
      return one('reading a user', `SELECT ${COLUMNS} FROM users WHERE email = $1`, [email.trim().toLowerCase()]);
    },

    async passwordHash(id: string): Promise<string | null> {
      return readWith('reading a password hash', async () => {
        const r = await pool.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE id = $1`, [id]);
        return r.rows[0]?.password_hash ?? null;
      });
    },

    /** Staff (no subscriber) or one subscriber's seats, by e-mail (byte order, as SQLite's BINARY). */
    async list(filter: { subscriberId?: string | null; staff?: boolean } = {}): Promise<User[]> {
      if (filter.staff) return many(`SELECT ${COLUMNS} FROM users WHERE subscriber_id IS NULL ORDER BY email COLLATE "C"`);
      if (filter.subscriberId) return many(`SELECT ${COLUMNS} FROM users WHERE subscriber_id = $1 ORDER BY email COLLATE "C"`, [filter.subscriberId]);
      return many(`SELECT ${COLUMNS} FROM users ORDER BY email COLLATE "C"`);
    },

    async update(id: string, change: Partial<Pick<User, 'name' | 'role' | 'language' | 'active' | 'mustChangePassword'>>, now = new Date()): Promise<User> {
      return writeWith(pool, 'changing a user', async (sql) => {
        // Locked: two admins changing different fields at once must not undo each other's change.
        const r = await sql.query<Row>(`SELECT ${COLUMNS} FROM users WHERE id = $1 FOR UPDATE`, [id]);
        if (!r.rows[0]) throw new NotFoundError(`no user ${id}`);
        const next = { ...toUser(r.rows[0]), ...change };
        const u = await sql.query<Row>(
          `UPDATE users SET name = $1, role = $2, language = $3, active = $4, must_change_password = $5, updated_at = $6 WHERE id = $7 RETURNING ${COLUMNS}`,
          [next.name, next.role, next.language, next.active ? 1 : 0, next.mustChangePassword ? 1 : 0, now.toISOString(), id],
        );
        return toUser(u.rows[0]);
      });
    },

    async setPassword(id: string, hash: string, mustChange: boolean, now = new Date()): Promise<User> {
      return writeWith(pool, 'setting a password', async (sql) => {
        const r = await sql.query<Row>(`UPDATE users SET password_hash = $1, must_change_password = $2, updated_at = $3 WHERE id = $4 RETURNING ${COLUMNS}`, [
          hash,
          mustChange ? 1 : 0,
          now.toISOString(),
          id,
        ]);
        if (r.rowCount !== 1) throw new NotFoundError(`no user ${id}`);
        return toUser(r.rows[0]);
      });
    },

    async getSession(id: string): Promise<SessionRecord | null> {
      return readWith('reading a session', async () => {
        const r = (await pool.query<SessionRow>(`SELECT id, user_id, data, created_at, last_seen_at FROM sessions WHERE id = $1`, [id])).rows[0];
        return r ? { id: r.id, userId: r.user_id, data: r.data, createdAt: r.created_at, lastSeenAt: r.last_seen_at } : null;
      });
    },

    async saveSession(s: { id: string; userId: string | null; data: string }, now = new Date()): Promise<void> {
      const at = now.toISOString();
      await writeWith(pool, 'saving a session', (sql) =>
        sql.query(
          `INSERT INTO sessions (id, user_id, data, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, last_seen_at = excluded.last_seen_at`,
          [s.id, s.userId, s.data, at, at],
        ),
      );
    },

    async touchSession(id: string, now = new Date()): Promise<void> {
      await writeWith(pool, 'touching a session', (sql) => sql.query(`UPDATE sessions SET last_seen_at = $1 WHERE id = $2`, [now.toISOString(), id]));
    },

    async deleteSession(id: string): Promise<void> {
      await writeWith(pool, 'ending a session', (sql) => sql.query(`DELETE FROM sessions WHERE id = $1`, [id]));
    },

    async deleteSessionsOf(userId: string): Promise<number> {
      return writeWith(pool, "ending a user's sessions", async (sql) => (await sql.query(`DELETE FROM sessions WHERE user_id = $1`, [userId])).rowCount ?? 0);
    },

    async pruneSessions(idleBefore: Date, createdBefore: Date): Promise<number> {
      return writeWith(
        pool,
        'pruning sessions',
        async (sql) =>
          (await sql.query(`DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2`, [idleBefore.toISOString(), createdBefore.toISOString()]))
            .rowCount ?? 0,
      );
    },

    async recordFailedSignIn(keys: string[], now = new Date()): Promise<void> {
      const at = now.toISOString();
      await writeWith(pool, 'recording a failed sign-in', async (sql) => {
        if (keys.length > 0) await sql.query(`INSERT INTO sign_in_failures (key, at) SELECT k, $2 FROM unnest($1::text[]) AS k`, [keys, at]);
        // Failures older than a day say nothing about any window we count in.
        await sql.query(`DELETE FROM sign_in_failures WHERE at < $1`, [new Date(now.getTime() - FAILURE_MEMORY_MS).toISOString()]);
      });
    },

    async countFailedSignIns(key: string, since: Date): Promise<number> {
      return readWith('counting failed sign-ins', async () => {
        const r = await pool.query<{ n: number }>(`SELECT count(*) AS n FROM sign_in_failures WHERE key = $1 AND at >= $2`, [key, since.toISOString()]);
        return r.rows[0].n;
      });
    },

    async clearFailedSignIns(key: string): Promise<void> {
      await writeWith(pool, 'clearing failed sign-ins', (sql) => sql.query(`DELETE FROM sign_in_failures WHERE key = $1`, [key]));
    },

    async sessionSecret(): Promise<string> {
      // Several nodes may ask at the same moment: the first insert wins and every node reads that one.
      await writeWith(pool, 'making the session secret', (sql) =>
        sql.query(`INSERT INTO secrets (name, value) VALUES ('session', $1) ON CONFLICT (name) DO NOTHING`, [randomBytes(32).toString('base64url')]),
      );
      return readWith(
        'reading the session secret',
        async () => (await pool.query<{ value: string }>(`SELECT value FROM secrets WHERE name = 'session'`)).rows[0].value,
      );
    },
  };
}
