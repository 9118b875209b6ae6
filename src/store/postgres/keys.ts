// API keys on PostgreSQL (the SQLite twin: ../sqlite/keys.ts): hashed secrets with a role, optionally
// bound to a subscriber.
import type { ApiKey, Role } from '../../model/keys.ts';
import type { Sql } from './database.ts';

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
export async function insertKey(
  sql: Sql,
  k: { id: string; hash: string; prefix: string; role: Role; subscriberId: string | null; label: string | null },
  now: string,
): Promise<ApiKey> {
  const r = await sql.query<KeyRow>(
    `INSERT INTO api_keys (id, hash, prefix, role, subscriber_id, label, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [k.id, k.hash, k.prefix, k.role, k.subscriberId, k.label, now],
  );
  return toKey(r.rows[0]);
}

/** Reads a key by id. */
export async function selectKey(sql: Sql, id: string): Promise<ApiKey | null> {
  const r = await sql.query<KeyRow>(`SELECT * FROM api_keys WHERE id = $1`, [id]);
  return r.rows[0] ? toKey(r.rows[0]) : null;
}

/** The unrevoked key with this hash. */
export async function selectLiveKeyByHash(sql: Sql, hash: string): Promise<ApiKey | null> {
  const r = await sql.query<KeyRow>(`SELECT * FROM api_keys WHERE hash = $1 AND revoked_at IS NULL`, [hash]);
  return r.rows[0] ? toKey(r.rows[0]) : null;
}

/** Lists keys, optionally of one subscriber, newest first. */
export async function selectKeys(sql: Sql, subscriberId?: string): Promise<ApiKey[]> {
  const r = subscriberId
    ? await sql.query<KeyRow>(`SELECT * FROM api_keys WHERE subscriber_id = $1 ORDER BY created_at DESC, id DESC`, [subscriberId])
    : await sql.query<KeyRow>(`SELECT * FROM api_keys ORDER BY created_at DESC, id DESC`);
  return r.rows.map(toKey);
}

/** Revokes a key (idempotent); returns the key, null when there is none. */
export async function revokeKeyRow(sql: Sql, id: string, now: string): Promise<ApiKey | null> {
  const r = await sql.query<KeyRow>(`UPDATE api_keys SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2 RETURNING *`, [now, id]);
  return r.rows[0] ? toKey(r.rows[0]) : null;
}

/** Records the last use of a key. */
export async function touchKeyRow(sql: Sql, id: string, now: string): Promise<void> {
  await sql.query(`UPDATE api_keys SET last_used_at = $1 WHERE id = $2`, [now, id]);
}
