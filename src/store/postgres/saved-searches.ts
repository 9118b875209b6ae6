// SavedSearchStore on PostgreSQL (the SQLite twin: ../sqlite/saved-searches.ts).
import type pg from 'pg';
import { ConflictError } from '../../model/errors.ts';
import { newId } from '../../model/ids.ts';
import type { SavedSearch, SavedSearchStore } from '../../model/saved-searches.ts';
import { readWith, writeWith } from './database.ts';

interface Row {
  id: string;
  subscriber_id: string;
  name: string;
  query: string;
  created_at: string;
}

const toSaved = (r: Row): SavedSearch => ({ id: r.id, subscriberId: r.subscriber_id, name: r.name, query: r.query, createdAt: r.created_at });

/** The unique constraint PostgreSQL reports as SQLSTATE 23505 (SQLite's SQLITE_CONSTRAINT_UNIQUE). */
export const isUniqueViolation = (e: unknown): boolean => (e as { code?: unknown }).code === '23505';

export function pgSavedSearchStore(pool: pg.Pool): SavedSearchStore {
  return {
    /** Inserts a saved search; ConflictError when the subscriber already has one of that name. */
    async create(s: { subscriberId: string; name: string; query: string }, now = new Date()): Promise<SavedSearch> {
      const id = newId(now.getTime());
      return writeWith(pool, 'saving a search', async (sql) => {
        try {
          const r = await sql.query<Row>(`INSERT INTO saved_searches (id, subscriber_id, name, query, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *`, [
            id,
            s.subscriberId,
            s.name,
            s.query,
            now.toISOString(),
          ]);
          return toSaved(r.rows[0]);
        } catch (e) {
          if (isUniqueViolation(e)) throw new ConflictError(`a saved search named "${s.name}" already exists`);
          throw e;
        }
      });
    },

    /** Reads one saved search. */
    async get(id: string): Promise<SavedSearch | null> {
      return readWith('reading a saved search', async () => {
        const r = await pool.query<Row>(`SELECT * FROM saved_searches WHERE id = $1`, [id]);
        return r.rows[0] ? toSaved(r.rows[0]) : null;
      });
    },

    /** Lists a subscriber's saved searches by name (byte order, as SQLite's BINARY, whatever the database locale). */
    async list(subscriberId: string): Promise<SavedSearch[]> {
      return readWith('listing saved searches', async () => {
        const r = await pool.query<Row>(`SELECT * FROM saved_searches WHERE subscriber_id = $1 ORDER BY name COLLATE "C"`, [subscriberId]);
        return r.rows.map(toSaved);
      });
    },

    /** Deletes one saved search (its follows go with it: ON DELETE CASCADE). */
    async delete(id: string): Promise<boolean> {
      return writeWith(pool, 'deleting a saved search', async (sql) => (await sql.query(`DELETE FROM saved_searches WHERE id = $1`, [id])).rowCount === 1);
    },
  };
}
