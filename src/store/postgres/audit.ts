// AuditStore on PostgreSQL (the SQLite twin: ../sqlite/audit.ts): one row per act, read newest first
// with keyset pagination on the id.
import type pg from 'pg';
import type { AuditEntry, AuditFilter, AuditStore, AuditTargetType, NewAuditEntry } from '../../model/audit.ts';
import { readWith, writeWith } from './database.ts';

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

export function pgAuditStore(pool: pg.Pool): AuditStore {
  return {
    async record(e: NewAuditEntry, now = new Date()): Promise<AuditEntry> {
      return writeWith(pool, `recording ${e.action} in the audit trail`, async (sql) => {
        const r = await sql.query<Row>(
          `INSERT INTO audit (at, actor_type, actor_id, actor_name, action, target_type, target_id, story_id, details)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
          [now.toISOString(), e.actor.type, e.actor.id, e.actor.name, e.action, e.targetType, e.targetId, e.storyId ?? null, JSON.stringify(e.details)],
        );
        return toEntry(r.rows[0]);
      });
    },

    async list(f: AuditFilter = {}): Promise<AuditEntry[]> {
      return readWith(`reading the audit trail`, async () => {
        const conditions: [string, string | number | undefined][] = [
          ['actor_id', f.actorId],
          ['story_id', f.storyId],
          ['target_type', f.targetType],
          ['target_id', f.targetId],
        ];
        const args: (string | number)[] = [];
        const where: string[] = [];
        for (const [column, v] of conditions) {
          if (v === undefined) continue;
          args.push(v);
          where.push(`${column} = $${args.length}`);
        }
        if (f.before !== undefined) {
          args.push(f.before);
          where.push(`id < $${args.length}`);
        }
        args.push(Math.min(Math.max(f.limit ?? 50, 1), 500));
        const r = await pool.query<Row>(
          `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${args.length}`,
          args,
        );
        return r.rows.map(toEntry);
      });
    },
  };
}
