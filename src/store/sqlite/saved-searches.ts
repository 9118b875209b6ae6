// Saved searches on SQLite.
import type Database from 'better-sqlite3';
import { newId } from '../../model/ids.ts';
import { ConflictError } from '../../model/errors.ts';
import type { SavedSearch, SavedSearchStore } from '../../model/saved-searches.ts';
import { stmt } from './statements.ts';

interface Row {
  id: string;
  subscriber_id: string;
  name: string;
  query: string;
  created_at: string;
}

const toSaved = (r: Row): SavedSearch => ({ id: r.id, subscriberId: r.subscriber_id, name: r.name, query: r.query, createdAt: r.created_at });

export class SqliteSavedSearchStore implements SavedSearchStore {
  constructor(private readonly db: Database.Database) {}

  /** Inserts a saved search. */
  async create(s: { subscriberId: string; name: string; query: string }, now = new Date()): Promise<SavedSearch> {
    const id = newId(now.getTime());
    try {
      stmt(this.db, `INSERT INTO saved_searches (id, subscriber_id, name, query, created_at) VALUES (?, ?, ?, ?, ?)`).run(
        id,
        s.subscriberId,
        s.name,
        s.query,
        now.toISOString(),
      );
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new ConflictError(`a saved search named "${s.name}" already exists`);
      throw e;
    }
    return (await this.get(id))!;
  }

  /** Reads one saved search. */
  async get(id: string): Promise<SavedSearch | null> {
    const r = stmt(this.db, `SELECT * FROM saved_searches WHERE id = ?`).get(id) as Row | undefined;
    return r ? toSaved(r) : null;
  }

  /** Lists a subscriber's saved searches by name. */
  async list(subscriberId: string): Promise<SavedSearch[]> {
    return (stmt(this.db, `SELECT * FROM saved_searches WHERE subscriber_id = ? ORDER BY name`).all(subscriberId) as Row[]).map(toSaved);
  }

  /** Deletes one saved search. */
  async delete(id: string): Promise<boolean> {
    return stmt(this.db, `DELETE FROM saved_searches WHERE id = ?`).run(id).changes === 1;
  }
}
