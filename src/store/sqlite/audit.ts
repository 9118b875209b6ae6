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
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (f.actorId !== undefined) where.push('actor_id = ?'), args.push(f.actorId);
      if (f.storyId !== undefined) where.push('story_id = ?'), args.push(f.storyId);
      if (f.targetType !== undefined) where.push('target_type = ?'), args.push(f.targetType);
      if (f.targetId !== undefined) where.push('target_id = ?'), args.push(f.targetId);
      if (f.before !== undefined) where.push('id < ?'), args.push(f.before);
      const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
      return (this.db.prepare(sql).all(...args, Math.min(Math.max(f.limit ?? 50, 1), 500)) as Row[]).map(toEntry);
    });
  }
}
