// The audit trail on SQLite: one row per act, read newest first with keyset pagination on the id.
import type Database from 'better-sqlite3';
import type { AuditEntry, AuditFilter, AuditStore, AuditTargetType, NewAuditEntry } from '../../model/audit.ts';
import { stmt } from './statements.ts';
import { readWith, writeWith } from './guard.ts';

interface Row {
  id: number;
  at: string;
  actor_type: AuditEntry['actor']['type'];
  actor_id: string;
  actor_name: string;
  action: string;
  target_type: AuditTargetType;
  target_id: string;
  story_id: string | null;
  details: string;
}

const toEntry = (r: Row): AuditEntry => ({
  id: r.id,
  at: r.at,
  actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name },
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  storyId: r.story_id,
  details: JSON.parse(r.details) as Record<string, unknown>,
});

export class SqliteAuditStore implements AuditStore {
  constructor(private readonly db: Database.Database) {}

  async record(e: NewAuditEntry, now = new Date()): Promise<AuditEntry> {
    return writeWith(this.db, `recording ${e.action} in the audit trail`, () => {
      const r = stmt(
        this.db,
        `INSERT INTO audit (at, actor_type, actor_id, actor_name, action, target_type, target_id, story_id, details)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      ).get(now.toISOString(), e.actor.type, e.actor.id, e.actor.name, e.action, e.targetType, e.targetId, e.storyId ?? null, JSON.stringify(e.details)) as Row;
      return toEntry(r);
    });
  }

  async list(f: AuditFilter = {}): Promise<AuditEntry[]> {
    return readWith(`reading the audit trail`, () => {
      const conditions: [string, string | number | undefined][] = [
        ['actor_id = ?', f.actorId],
        ['story_id = ?', f.storyId],
        ['target_type = ?', f.targetType],
        ['target_id = ?', f.targetId],
        ['id < ?', f.before],
      ];
      const given = conditions.filter(([, v]) => v !== undefined);
      const where = given.map(([c]) => c);
      const args = given.map(([, v]) => v as string | number);
      const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
      return (this.db.prepare(sql).all(...args, Math.min(Math.max(f.limit ?? 50, 1), 500)) as Row[]).map(toEntry);
    });
  }
}
