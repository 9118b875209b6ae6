// API keys: hashed secrets with a role, optionally bound to a subscriber.
import type Database from 'better-sqlite3';
import type { ApiKey, Role } from '../../model/keys.ts';
import { stmt } from './statements.ts';

interface KeyRow {
  id: string;
  role: Role;
  subscriber_id: string | null;
  label: string | null;
  prefix: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

function toKey(r: KeyRow): ApiKey {
  return {
    id: r.id,
    role: r.role,
    subscriberId: r.subscriber_id,
    label: r.label,
    prefix: r.prefix,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  };
}

/** Inserts a key. */
export function insertKey(
  db: Database.Database,
  k: { id: string; hash: string; prefix: string; role: Role; subscriberId: string | null; label: string | null },
  now: string,
): ApiKey {
  stmt(db, `INSERT INTO api_keys (id, hash, prefix, role, subscriber_id, label, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
    k.id,
    k.hash,
    k.prefix,
    k.role,
    k.subscriberId,
    k.label,
    now,
  );
  return selectKey(db, k.id)!;
}

/** Reads a key by id. */
export function selectKey(db: Database.Database, id: string): ApiKey | null {
  const r = stmt(db, `SELECT * FROM api_keys WHERE id = ?`).get(id) as KeyRow | undefined;
  return r ? toKey(r) : null;
}

/** The unrevoked key with this hash. */
export function selectLiveKeyByHash(db: Database.Database, hash: string): ApiKey | null {
  const r = stmt(db, `SELECT * FROM api_keys WHERE hash = ? AND revoked_at IS NULL`).get(hash) as KeyRow | undefined;
  return r ? toKey(r) : null;
}

/** Lists keys, optionally of one subscriber, newest first. */
export function selectKeys(db: Database.Database, subscriberId?: string): ApiKey[] {
  const rows = subscriberId
    ? stmt(db, `SELECT * FROM api_keys WHERE subscriber_id = ? ORDER BY created_at DESC, id DESC`).all(subscriberId)
    : stmt(db, `SELECT * FROM api_keys ORDER BY created_at DESC, id DESC`).all();
  return (rows as KeyRow[]).map(toKey);
}

/** Revokes a key (idempotent). */
export function revokeKeyRow(db: Database.Database, id: string, now: string): boolean {
  return stmt(db, `UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`).run(now, id).changes === 1;
}

/** Records the last use of a key. */
export function touchKeyRow(db: Database.Database, id: string, now: string): void {
  stmt(db, `UPDATE api_keys SET last_used_at = ? WHERE id = ?`).run(now, id);
}
